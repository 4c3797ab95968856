"""Every write of the border: record a crossing, correct one, extend a stay, link documents."""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.border import documents, hooks, selectors
from corredor.border import permissions as border_permissions
from corredor.border.documents import DocumentInput
from corredor.border.models import (
    BorderPolicy,
    Crossing,
    Decision,
    Direction,
    ExitPermit,
    Stay,
    StayChange,
    TravelDocument,
    Traveller,
)
from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import BorderPost, Role, StayCategory, User
from corredor.core.permissions import permit_post, permit_supervise, refuse

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class RecordedCrossing:
    crossing: Crossing
    stay: Stay | None
    warnings: list[str] = field(default_factory=list)


def document_resolve(*, doc: DocumentInput, device_id: str) -> TravelDocument:
    """Find the stored document with this issuing state and number, or store it with its traveller.

    A new document joins an existing traveller when the printed identity (names, birth date, nationality)
    is the same: a renewed passport is the same person.
    """
    doc = documents.normalise(doc)
    documents.document_check(doc)
    existing = (
        TravelDocument.objects.select_related("traveller")
        .filter(issuing_state_id=doc.issuing_state, number=doc.number)
        .first()
    )
    if existing is not None:
        if (existing.surname, existing.given_names, existing.birth_date) != (
            doc.surname,
            doc.given_names,
            doc.birth_date,
        ):
            raise ApplicationError(
                _(
                    "Document %(state)s %(number)s is already on record for another holder (%(name)s, born "
                    "%(born)s). Refer the traveller to a supervisor."
                )
                % {
                    "state": doc.issuing_state,
                    "number": doc.number,
                    "name": f"{existing.surname} {existing.given_names}",
                    "born": existing.birth_date or "?",
                },
                status=409,
            )
        return existing
    traveller = (
        Traveller.objects.filter(
            surname=doc.surname,
            given_names=doc.given_names,
            birth_date=doc.birth_date,
            nationality_id=doc.nationality,
        )
        .exclude(birth_date__isnull=True)
        .first()
    )
    if traveller is None:
        traveller = Traveller.objects.create(
            surname=doc.surname,
            given_names=doc.given_names,
            birth_date=doc.birth_date,
            sex=doc.sex,
            nationality_id=doc.nationality,
            device_id=device_id,
        )
    return TravelDocument.objects.create(
        traveller=traveller,
        document_code=doc.document_code,
        issuing_state_id=doc.issuing_state,
        number=doc.number,
        surname=doc.surname,
        given_names=doc.given_names,
        nationality_id=doc.nationality,
        birth_date=doc.birth_date,
        sex=doc.sex,
        expiry_date=doc.expiry_date,
        mrz=doc.mrz,
        device_id=device_id,
    )


def _get_post(code: str) -> BorderPost:
    try:
        return BorderPost.objects.get(code=code, active=True)
    except BorderPost.DoesNotExist:
        raise NotFound(_("There is no active border post %(code)s.") % {"code": code}) from None


def _get_category(code: str) -> StayCategory:
    try:
        return StayCategory.objects.get(code=code, active=True)
    except StayCategory.DoesNotExist:
        raise ApplicationError(
            _("Unknown stay category %(code)s.") % {"code": code}, detail={"field": "stay_category"}
        ) from None


class _RecordedMeanwhile(Exception):
    """Another request stored the same crossing id between this one's look and its write."""


def _once_more_if_recorded_meanwhile(record: Callable[P, R]) -> Callable[P, R]:
    """Two requests with one crossing id at the same time (a post resending while the first is still being
    written): the one that loses the race runs again, finds the stored crossing, and answers it as a resend
    does (or 409 when its data differ), instead of failing."""

    @functools.wraps(record)
    def again(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return record(*args, **kwargs)
        except _RecordedMeanwhile:
            try:
                return record(*args, **kwargs)
            except _RecordedMeanwhile:
                raise ApplicationError(
                    _("This crossing was recorded twice at the same time."), status=409
                ) from None

    return again


def _already_recorded(crossing_id: uuid.UUID) -> Crossing | None:
    return Crossing.objects.filter(id=crossing_id).first()


@_once_more_if_recorded_meanwhile
@transaction.atomic
def crossing_record(
    *,
    officer: User,
    post_code: str,
    direction: str,
    decision: str,
    document: DocumentInput,
    occurred_at: datetime | None = None,
    stay_category: str | None = None,
    stay_days: int | None = None,
    area_entered_on: date | None = None,
    transport: str = "",
    transport_reference: str = "",
    note: str = "",
    crossing_id: uuid.UUID | None = None,
    device_id: str | None = None,
    refusal_ground: str = "",
    expired_document_reason: str = "",
    late_reason: str = "",
    exit_permit: str = "",
    missing_exit_reason: str = "",
    hook_answers: dict[str, str] | None = None,
) -> RecordedCrossing:
    """Record that a traveller entered or left (or was refused or referred) at a post.

    An admitted entry grants a stay: the category and days (by default the most the rules allow). A crossing
    id made at the post makes the call idempotent: the same id with the same request is stored once, with a
    different request it is refused (409).

    Guardrails, each refused with what to do: a refusal needs its legal ground; an admission on an expired
    document needs a reason (or is refused, by the country's policy); an admission of someone the record
    shows in the country needs the missing exit first (`missing_exit_reason` records it); a crossing dated
    further back than the late-record window needs a supervisor and a reason; a national minor's exit
    records whether the exit permit was seen where the country requires one.
    """
    permit_post(officer, post_code)
    now = timezone.now()
    if occurred_at is not None:
        _permit_when(officer, occurred_at, now=now, late_reason=late_reason)
    if crossing_id is not None:
        already = _already_recorded(crossing_id)
        if already is not None:
            _same_request(
                already,
                post_code=post_code,
                direction=direction,
                decision=decision,
                document=document,
                occurred_at=occurred_at,
                refusal_ground=refusal_ground,
                transport_reference=transport_reference,
            )
            return RecordedCrossing(crossing=already, stay=Stay.objects.filter(entry=already).first())
    if direction not in Direction.values:
        raise ApplicationError(_("Direction must be entry or exit."), detail={"field": "direction"})
    if decision not in Decision.values:
        raise ApplicationError(
            _("Decision must be admitted, refused or referred."), detail={"field": "decision"}
        )
    post = _get_post(post_code)
    occurred_at = occurred_at or now
    refusal_ground = _check_refusal_ground(
        decision=decision, refusal_ground=refusal_ground, country=post.country_id
    )
    device_id = device_id or settings.CORREDOR_DEVICE_ID
    travel_document = document_resolve(doc=document, device_id=device_id)
    traveller = travel_document.traveller
    on = timezone.localdate(occurred_at)
    warnings = selectors.crossing_warnings(
        traveller=traveller, document=travel_document, direction=direction, on=on
    )
    grants_stay = direction == Direction.ENTRY and decision == Decision.ADMITTED
    category = None
    authorised_until = None
    if grants_stay:
        expired_document_reason = _check_expired_document(
            travel_document, on=on, country=post.country_id, reason=expired_document_reason
        )
        _check_not_in_country(
            officer=officer,
            traveller=traveller,
            post=post,
            occurred_at=occurred_at,
            missing_exit_reason=missing_exit_reason,
            device_id=device_id,
        )
        category, stay_days, authorised_until = _stay_terms(
            traveller=traveller,
            nationality=travel_document.nationality_id,
            stay_category=stay_category,
            stay_days=stay_days,
            entry_date=on,
            area_entered_on=area_entered_on,
        )
    elif stay_days or (stay_category and direction == Direction.EXIT):
        raise ApplicationError(
            _("A stay is granted only on an admitted entry."), detail={"field": "stay_category"}
        )
    else:
        expired_document_reason = ""
    exit_permit = _check_exit_permit(
        travel_document,
        direction=direction,
        decision=decision,
        on=on,
        country=post.country_id,
        exit_permit=exit_permit,
    )
    if exit_permit == ExitPermit.NOT_SEEN:
        warnings.append(_("The minor's exit permit was not seen."))
    hook_context = hooks.CrossingContext(
        document=document,
        post_code=post_code,
        officer=officer,
        travel_document=travel_document,
        traveller=traveller,
        direction=direction,
        decision=decision,
        answers=dict(hook_answers or {}),
    )
    screening_outcome = hooks.before_record(hook_context)
    try:
        crossing = Crossing.objects.create(
            id=crossing_id or uuid.uuid4(),
            traveller=traveller,
            document=travel_document,
            direction=direction,
            post=post,
            occurred_at=occurred_at,
            officer=officer,
            transport=transport or _default_transport(post),
            transport_reference=transport_reference.strip().upper()[:40],
            decision=decision,
            screening_outcome=screening_outcome,
            note=note,
            refusal_ground=refusal_ground,
            expired_document_reason=expired_document_reason,
            late_reason=late_reason.strip() if occurred_at < now - _late_window() else "",
            exit_permit=exit_permit,
            device_id=device_id,
        )
    except IntegrityError as exc:
        # Nothing more can be asked in this broken transaction: the retry looks again, after the rollback.
        if crossing_id is not None:
            raise _RecordedMeanwhile from exc
        raise
    stay = None
    if grants_stay and category is not None:
        stay = Stay.objects.create(
            traveller=traveller,
            entry=crossing,
            category=category,
            granted_days=None if category.open_ended else stay_days,
            authorised_until=authorised_until,
            area_entered_on=area_entered_on,
            device_id=device_id,
        )
    hooks.after_record(crossing, hook_context)
    return RecordedCrossing(crossing=crossing, stay=stay, warnings=warnings)


def _late_window() -> timedelta:
    return timedelta(hours=settings.CORREDOR_LATE_RECORD_HOURS)


def _permit_when(officer: User, occurred_at: datetime, *, now: datetime, late_reason: str) -> None:
    """A crossing's time: never in the future (beyond a clock's skew); further back than the late-record
    window only by a supervisor, with a reason (a late record can otherwise erase an overstay)."""
    _check_not_future(occurred_at, now=now)
    if occurred_at >= now - _late_window():
        return
    hours = settings.CORREDOR_LATE_RECORD_HOURS
    if getattr(officer, "role", None) not in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise refuse(
            officer,
            _(
                "This crossing is dated more than %(hours)s hours ago. Only a supervisor can record it, with "
                "the reason it is recorded late."
            )
            % {"hours": hours},
            "late_record",
            detail={"field": "occurred_at", "late_record_hours": hours},
        )
    if not late_reason.strip():
        raise ApplicationError(
            _("A crossing dated more than %(hours)s hours ago needs the reason it is recorded late.")
            % {"hours": hours},
            detail={"field": "late_reason", "late_record_hours": hours},
        )


def _same_request(already: Crossing, *, document: DocumentInput, **asked: object) -> None:
    """The same crossing id sent again: the same request answers the stored crossing; another one is a
    conflict (an id reused by mistake must not silently answer with someone else's crossing)."""
    doc = documents.normalise(document)
    stored = {
        "post_code": already.post_id,
        "direction": already.direction,
        "decision": already.decision,
        "document": (already.document.issuing_state_id, already.document.number),
        "occurred_at": already.occurred_at,
        "refusal_ground": already.refusal_ground,
        "transport_reference": already.transport_reference,
    }
    wanted = {
        **asked,
        "document": (doc.issuing_state, doc.number),
        "transport_reference": str(asked["transport_reference"]).strip().upper()[:40],
        "refusal_ground": str(asked["refusal_ground"]).strip().upper(),
    }
    if wanted["occurred_at"] is None:
        wanted["occurred_at"] = already.occurred_at
    differs = sorted(name for name in stored if stored[name] != wanted[name])
    if differs:
        raise ApplicationError(
            _("This crossing id is already recorded with different data (%(fields)s).")
            % {"fields": ", ".join(differs)},
            status=409,
            detail={"crossing": str(already.pk), "differs": differs},
        )


def _check_refusal_ground(*, decision: str, refusal_ground: str, country: str) -> str:
    code = refusal_ground.strip().upper()
    if decision != Decision.REFUSED:
        if code:
            raise ApplicationError(
                _("A refusal ground is given only with a refusal."), detail={"field": "refusal_ground"}
            )
        return ""
    grounds = {g.code: g for g in selectors.refusal_grounds(country=country)}
    if code not in grounds:
        raise ApplicationError(
            (
                _("A refusal of entry needs its legal ground; %(code)s is not one.") % {"code": code}
                if code
                else _("A refusal of entry needs its legal ground.")
            ),
            detail={"field": "refusal_ground", "choices": {c: str(g.name) for c, g in grounds.items()}},
        )
    return code


def _check_expired_document(document: TravelDocument, *, on: date, country: str, reason: str) -> str:
    if document.expiry_date is None or document.expiry_date >= on:
        return ""
    policy = selectors.border_policy(country=country)
    if policy.expired_document == BorderPolicy.ExpiredDocument.REFUSE:
        raise ApplicationError(
            _(
                "The document expired on %(date)s: the country's policy refuses admission on an expired "
                "document."
            )
            % {"date": document.expiry_date},
            detail={"field": "expiry_date", "policy": "refuse"},
        )
    if not reason.strip():
        raise ApplicationError(
            _(
                "The document expired on %(date)s. To admit the traveller all the same, confirm it with the "
                "reason (for example, a national returning home)."
            )
            % {"date": document.expiry_date},
            detail={"field": "expired_document_reason", "policy": "confirm"},
        )
    return reason.strip()


def _open_stay_detail(entry: Crossing) -> dict[str, object]:
    stay = selectors.stays_with_effective_until().filter(entry=entry).first()
    return {
        "entry": str(entry.pk),
        "entered_at": entry.occurred_at.isoformat(),
        "post": entry.post_id,
        "stay": str(stay.pk) if stay else None,
        "category": stay.category_id if stay else None,
        "authorised_until": str(stay.effective_until) if stay and stay.effective_until else None,
    }


def _check_not_in_country(
    *,
    officer: User,
    traveller: Traveller,
    post: BorderPost,
    occurred_at: datetime,
    missing_exit_reason: str,
    device_id: str,
) -> None:
    """No overlapping stays: an admitted entry while the record shows the traveller in the country (or
    before crossings already recorded after it) is refused, unless the officer records the missing exit."""
    admitted = selectors.effective_crossings().filter(traveller=traveller, decision=Decision.ADMITTED)
    later = admitted.filter(occurred_at__gt=occurred_at).order_by("occurred_at").first()
    if later is not None:
        raise ApplicationError(
            _(
                "The record has a later crossing of this traveller (%(direction)s on %(date)s at %(post)s): "
                "an entry dated before it would overlap. A supervisor corrects the history instead."
            )
            % {
                "direction": later.get_direction_display(),
                "date": timezone.localtime(later.occurred_at).strftime("%Y-%m-%d %H:%M"),
                "post": later.post_id,
            },
            status=409,
            detail={"field": "occurred_at", "later_crossing": str(later.pk)},
        )
    last = (
        admitted.filter(occurred_at__lte=occurred_at).order_by("-occurred_at").select_related("post").first()
    )
    if last is None or last.direction != Direction.ENTRY:
        return
    if not missing_exit_reason.strip():
        detail = _open_stay_detail(last)
        raise ApplicationError(
            _(
                "The record shows the traveller already in the country: entered %(date)s at %(post)s, "
                "authorised until %(until)s, with no exit recorded. Record the missing exit first (with the "
                "reason), or refer the traveller."
            )
            % {
                "date": timezone.localtime(last.occurred_at).strftime("%Y-%m-%d"),
                "post": last.post_id,
                "until": detail["authorised_until"] or "—",
            },
            status=409,
            detail={"field": "missing_exit_reason", "open_stay": detail},
        )
    # The traveller left without an exit on record (another border, an unrecorded departure): the exit is
    # recorded now, just before this entry, saying so; when they left is not known.
    Crossing.objects.create(
        traveller=traveller,
        document=last.document,
        direction=Direction.EXIT,
        post=post,
        occurred_at=occurred_at - timedelta(seconds=1),
        officer=officer,
        transport=last.transport,
        decision=Decision.ADMITTED,
        note=_("Missing exit, recorded at the next entry: %(reason)s")
        % {"reason": missing_exit_reason.strip()},
        device_id=device_id,
    )


def _check_exit_permit(
    document: TravelDocument, *, direction: str, decision: str, on: date, country: str, exit_permit: str
) -> str:
    if direction != Direction.EXIT or decision != Decision.ADMITTED or document.nationality_id != country:
        return ""
    policy = selectors.border_policy(country=country)
    age = documents.age_on(document.birth_date, on)
    if not policy.minor_exit_permit or age is None or age >= policy.age_of_majority:
        return ""
    if exit_permit not in ExitPermit.values:
        raise ApplicationError(
            _(
                "A national minor (%(age)s years old) leaving needs an exit permit: record whether it was "
                "seen."
            )
            % {"age": age},
            detail={"field": "exit_permit", "choices": list(ExitPermit.values)},
        )
    return exit_permit


def _stay_terms(
    *,
    traveller: Traveller,
    nationality: str,
    stay_category: str | None,
    stay_days: int | None,
    entry_date: date,
    area_entered_on: date | None,
) -> tuple[StayCategory, int | None, date | None]:
    """The category, days and last day of a stay granted on `entry_date`, checked against the stay rules.

    Days default to the most the rules allow; more than that, or none left, is refused with the rule's name.
    """
    if not stay_category:
        raise ApplicationError(
            _("An admitted entry needs a stay category."), detail={"field": "stay_category"}
        )
    category = _get_category(stay_category)
    if category.open_ended:
        return category, None, None
    allowance = selectors.stay_allowance(
        traveller=traveller,
        nationality=nationality,
        category=category,
        entry_date=entry_date,
        area_entered_on=area_entered_on,
    )
    days = stay_days if stay_days is not None else allowance.days
    if days < 1:
        raise ApplicationError(
            _("No days of stay are left under the rule “%(rule)s”. Refuse or refer the entry.")
            % {"rule": allowance.rule_name},
            detail={"field": "stay_days"},
        )
    if days > allowance.days:
        raise ApplicationError(
            _("At most %(max)s days can be granted under the rule “%(rule)s” (%(why)s).")
            % {"max": allowance.days, "rule": allowance.rule_name, "why": allowance.explanation},
            detail={"field": "stay_days", "max": allowance.days},
        )
    return category, days, entry_date + timedelta(days=days - 1)


def _check_not_future(occurred_at: datetime, *, now: datetime | None = None) -> None:
    if occurred_at > (now or timezone.now()) + timedelta(minutes=5):
        raise ApplicationError(
            _("A crossing cannot be recorded in the future."), detail={"field": "occurred_at"}
        )


def _default_transport(post: BorderPost) -> str:
    return {"airport": "air", "land": "land", "seaport": "sea"}.get(post.kind, "")


@transaction.atomic
def crossing_correct(
    *,
    officer: User,
    crossing_id: uuid.UUID,
    reason: str,
    direction: str | None = None,
    decision: str | None = None,
    occurred_at: datetime | None = None,
    stay_category: str | None = None,
    stay_days: int | None = None,
    refusal_ground: str | None = None,
) -> Crossing:
    """Correct a crossing: a new crossing that replaces it. The original stays on record, marked corrected.

    The stay the original granted ends with it (a correction into a refusal must not leave a stay behind);
    an admitted entry in the correction grants its own."""
    original = Crossing.objects.select_related("post", "document", "traveller").filter(id=crossing_id).first()
    if original is None:
        raise NotFound(_("No crossing %(id)s.") % {"id": crossing_id})
    if getattr(officer, "role", None) not in (Role.SUPERVISOR, Role.ADMINISTRATOR) and (
        getattr(officer, "pk", None) != original.officer_id
    ):
        permit_supervise(officer, original.post_id)
    permit_post(officer, original.post_id)
    if not reason.strip():
        raise ApplicationError(_("A correction needs a reason."), detail={"field": "reason"})
    if Crossing.objects.filter(corrects=original).exists():
        raise ApplicationError(
            _("This crossing has already been corrected; correct the correction."), status=409
        )
    if occurred_at is not None:
        _check_not_future(occurred_at)
    new_direction = direction or original.direction
    new_decision = decision or original.decision
    if new_direction not in Direction.values or new_decision not in Decision.values:
        raise ApplicationError(_("Direction or decision not recognised."))
    new_ground = _check_refusal_ground(
        decision=new_decision,
        refusal_ground=original.refusal_ground if refusal_ground is None else refusal_ground,
        country=original.post.country_id,
    )
    # A correction is screened like any crossing: turning a referral into an admission must not bypass it.
    hook_context = hooks.CrossingContext(
        document=documents.document_input_of(original.document),
        post_code=original.post_id,
        officer=officer,
        travel_document=original.document,
        traveller=original.traveller,
        direction=new_direction,
        decision=new_decision,
    )
    screening_outcome = hooks.before_record(hook_context)
    correction = Crossing.objects.create(
        traveller=original.traveller,
        document=original.document,
        direction=new_direction,
        post=original.post,
        occurred_at=occurred_at or original.occurred_at,
        officer=officer,
        transport=original.transport,
        transport_reference=original.transport_reference,
        decision=new_decision,
        screening_outcome=screening_outcome,
        note=_("Correction: %(reason)s") % {"reason": reason.strip()},
        refusal_ground=new_ground,
        exit_permit=original.exit_permit if new_direction == Direction.EXIT else "",
        corrects=original,
        device_id=settings.CORREDOR_DEVICE_ID,
    )
    old_stay = Stay.objects.select_related("category").filter(entry=original).first()
    if old_stay is not None:
        StayChange.objects.create(
            stay=old_stay,
            kind=StayChange.Kind.ENDED,
            category=old_stay.category,
            authorised_until=timezone.localdate(original.occurred_at) - timedelta(days=1),
            reason=_("Its entry was corrected: %(reason)s") % {"reason": reason.strip()},
            officer=officer,
            device_id=settings.CORREDOR_DEVICE_ID,
        )
    if new_direction == Direction.ENTRY and new_decision == Decision.ADMITTED:
        category, days, until = _stay_terms(
            traveller=original.traveller,
            nationality=original.document.nationality_id,
            stay_category=stay_category or (old_stay.category_id if old_stay else None),
            stay_days=stay_days if stay_days is not None else (old_stay.granted_days if old_stay else None),
            entry_date=timezone.localdate(correction.occurred_at),
            area_entered_on=old_stay.area_entered_on if old_stay else None,
        )
        Stay.objects.create(
            traveller=original.traveller,
            entry=correction,
            category=category,
            granted_days=days,
            authorised_until=until,
            area_entered_on=old_stay.area_entered_on if old_stay else None,
            device_id=settings.CORREDOR_DEVICE_ID,
        )
    hooks.after_record(correction, hook_context)
    return correction


@transaction.atomic
def stay_extend(
    *,
    officer: User,
    stay_id: uuid.UUID,
    authorised_until: date | None,
    reason: str,
    category: str | None = None,
) -> StayChange:
    """Extend a stay, or change the traveller's status (a new category), from now on.

    Only a supervisor of the post where the stay was granted (or an administrator) may: see
    `border.permissions.permit_stay_change`."""
    stay = Stay.objects.select_related("entry", "category").filter(id=stay_id).first()
    if stay is None:
        raise NotFound(_("No stay %(id)s.") % {"id": stay_id})
    # The scope: a supervisor extends the stays granted at their own post; an administrator any stay.
    border_permissions.permit_stay_change(officer, stay.entry.post_id)
    if not reason.strip():
        raise ApplicationError(_("An extension needs a reason."), detail={"field": "reason"})
    latest = stay.changes.order_by("-created_at").first()
    if latest is not None and latest.kind == StayChange.Kind.ENDED:
        raise ApplicationError(
            _("This stay ended when its entry was corrected; it cannot be extended."), status=409
        )
    current_until = selectors.stay_effective_until(stay=stay)
    new_category = _get_category(category) if category else stay.category
    kind = StayChange.Kind.STATUS if new_category.pk != stay.category_id else StayChange.Kind.EXTENSION
    if new_category.open_ended:
        authorised_until = None
    elif authorised_until is None:
        raise ApplicationError(
            _("Give the day the stay is authorised until."), detail={"field": "authorised_until"}
        )
    elif (
        kind == StayChange.Kind.EXTENSION and current_until is not None and authorised_until <= current_until
    ):
        raise ApplicationError(
            _("An extension must go beyond the current end of stay (%(until)s).") % {"until": current_until},
            detail={"field": "authorised_until"},
        )
    return StayChange.objects.create(
        stay=stay,
        kind=kind,
        category=new_category,
        authorised_until=authorised_until,
        reason=reason.strip(),
        officer=officer,
        device_id=settings.CORREDOR_DEVICE_ID,
    )


@transaction.atomic
def document_link(*, user: User, document_id: uuid.UUID, traveller_id: uuid.UUID) -> TravelDocument:
    """Link a document (and its crossings and stays) to another traveller: the same person, resolved.

    Only who the person is changes; each crossing's facts (document, time, post, decision) stay as they were.
    """
    permit_supervise(user)
    document = TravelDocument.objects.filter(id=document_id).first()
    target = Traveller.objects.filter(id=traveller_id).first()
    if document is None or target is None:
        raise NotFound(_("No such document or traveller."))
    previous = document.traveller_id
    if previous == target.pk:
        return document
    TravelDocument.objects.filter(id=document.pk).update(traveller=target)
    Crossing.objects.filter(document=document).update(traveller=target)
    Stay.objects.filter(entry__document=document).update(traveller=target)
    audit_write(
        action="update",
        object_type="border.traveldocument",
        object_id=document.pk,
        summary=f"linked from traveller {previous} to {target.pk}",
    )
    document.refresh_from_db()
    return document
