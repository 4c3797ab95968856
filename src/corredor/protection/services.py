"""Every write of protection: referrals (from the desk or from a case), their answers, transfers and
assignments (the transitions table); case events, tasks, closure; family tracing; assisted voluntary return.

Permission first, then one transaction; errors are `ApplicationError`s that name the field.
"""

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.border import services as border_services
from corredor.border.documents import DocumentInput
from corredor.border.models import Crossing, Direction, TravelDocument
from corredor.core.errors import ApplicationError, Conflict, NotFound
from corredor.core.models import BorderPost, Country
from corredor.core.permissions import has_role, refuse
from corredor.protection import permissions
from corredor.protection.consent import ConsentTerms
from corredor.protection.models import (
    Avrr,
    AvrrStatus,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    EventKind,
    FamilyTracing,
    Indicator,
    MonitoringVisit,
    RiskLevel,
    ServiceKind,
    ServiceProvider,
    Task,
    TracingStatus,
    Transition,
    TransitionKind,
    TransitionStatus,
    VulnerabilityScreening,
)

# Case events a caseworker writes by hand (the others come from transitions, closure and returns).
HAND_EVENTS = (EventKind.ASSESSMENT, EventKind.PLAN, EventKind.SERVICE, EventKind.FOLLOW_UP, EventKind.NOTE)


def case_reference(now: Any = None) -> str:
    """A reference made where the case is written (a post offline too): year and a random part."""
    return f"PR-{(now or timezone.now()):%Y}-{uuid.uuid4().hex[:8].upper()}"


def case_kind_for(indicators: list[str], *, child: bool) -> str:
    if Indicator.TRAFFICKING in indicators:
        return CaseKind.TRAFFICKING
    if child or Indicator.UNACCOMPANIED_CHILD in indicators:
        return CaseKind.CHILD_PROTECTION
    if Indicator.GBV in indicators:
        return CaseKind.GBV
    return CaseKind.PROTECTION


def _event(case: Case, kind: str, by: Any, text: str, service: str = "") -> CaseEvent:
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    return CaseEvent.objects.create(case=case, kind=kind, by=by, text=text, service=service, at=now)


def provider_get(provider_id: Any, *, border: bool = False) -> ServiceProvider:
    """An active provider of the directory (from the desk: one that receives border referrals)."""
    try:
        provider = ServiceProvider.objects.get(pk=provider_id, active=True)
    except (ServiceProvider.DoesNotExist, ValueError, TypeError, ValidationError):
        raise ApplicationError(
            _("Choose a service provider from the directory."), detail={"field": "provider"}
        ) from None
    if border and not provider.border_referrals:
        raise ApplicationError(
            _("%(name)s does not receive referrals from the border.") % {"name": provider.name},
            detail={"field": "provider"},
        )
    return provider


def _service(value: str) -> str:
    if value and value not in ServiceKind.values:
        raise ApplicationError(_("Unknown service %(s)s.") % {"s": value}, detail={"field": "service"})
    return value


def _locked(model: Any, pk: Any) -> Any:
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFound(_("Not found."))
    return row


# --- the desk ----------------------------------------------------------------------------------------------


@transaction.atomic
def screening_record(
    *, officer: Any, crossing: Crossing, indicators: list[str], asked_because: list[str]
) -> VulnerabilityScreening:
    """Store the desk's vulnerability screening with the crossing (called by the desk hook)."""
    return VulnerabilityScreening.objects.create(
        traveller_id=crossing.traveller_id,
        crossing=crossing,
        post_id=crossing.post_id,
        officer=officer,
        indicators=[i for i in Indicator.values if i in indicators],
        asked_because=asked_because,
        device_id=crossing.device_id,
    )


@transaction.atomic
def referral_from_desk(
    *,
    officer: Any,
    crossing: Crossing,
    provider: ServiceProvider,
    service: str,
    consent: ConsentTerms,
    indicators: list[str],
    child: bool,
    note: str = "",
) -> Transition:
    """An officer's referral at the desk: a case (awaiting acceptance) for the crossing's traveller and a
    referral to the provider, under the consent given (or its override)."""
    if not has_role(officer, *permissions.REFERRING_ROLES):
        raise refuse(officer, _("Only border officers refer from the desk."), "referrals")
    traveller = crossing.traveller
    case = Case.objects.create(
        reference=case_reference(),
        traveller_id=traveller.pk,
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        sex=traveller.sex,
        nationality_id=traveller.nationality_id,
        kind=case_kind_for(indicators, child=child),
        risk=RiskLevel.HIGH
        if (Indicator.UNACCOMPANIED_CHILD in indicators or Indicator.TRAFFICKING in indicators)
        else RiskLevel.MEDIUM,
        indicators=indicators,
        device_id=crossing.device_id,
    )
    _event(
        case,
        EventKind.REGISTRATION,
        officer,
        _("Referred at the desk of post %(post)s.") % {"post": crossing.post_id},
    )
    return Transition.objects.create(
        kind=TransitionKind.REFERRAL,
        case=case,
        created_by=officer,
        from_post_id=crossing.post_id,
        crossing_id=crossing.pk,
        to_provider=provider,
        service=_service(service),
        note=note[:2000],
        consent_given=consent.given,
        consent_data=list(consent.shares),
        consent_purpose=consent.purpose,
        consent_language=consent.language,
        consent_override_reason=consent.override_reason,
        device_id=crossing.device_id,
    )


# --- transitions -------------------------------------------------------------------------------------------


def _open_transition(transition: Transition) -> None:
    if transition.status != TransitionStatus.IN_PROGRESS:
        raise Conflict(
            _("This %(kind)s is already %(status)s.")
            % {
                "kind": transition.get_kind_display().lower(),
                "status": transition.get_status_display().lower(),
            }
        )


@transaction.atomic
def transition_accept(*, user: Any, transition_id: uuid.UUID, note: str = "") -> Transition:
    """The receiving side accepts. A referral from the border, or a transfer, hands the case to the
    receiving agency (and to the caseworker who accepted it); a service referral from a case does not."""
    transition = _locked(Transition, transition_id)
    permissions.permit_answer(user, transition)
    _open_transition(transition)
    now = timezone.now()
    transition.status = TransitionStatus.ACCEPTED
    transition.responded_at = now
    transition.responded_by = user
    transition.response_note = note.strip()[:2000]
    transition.save()
    case = _locked(Case, transition.case_id)
    takes_case = transition.kind == TransitionKind.TRANSFER or case.provider_id is None
    if takes_case:
        case.provider = transition.to_provider
        case.assigned_to = user if user.role in permissions.CASE_ROLES else None
        if case.status == CaseStatus.REFERRED:
            case.status = CaseStatus.OPEN
        case.updated_at = now
        case.save()
    _event(
        case,
        EventKind.TRANSITION,
        user,
        _("%(kind)s accepted by %(who)s.")
        % {"kind": transition.get_kind_display(), "who": transition.to_provider},
    )
    return transition


@transaction.atomic
def transition_reject(*, user: Any, transition_id: uuid.UUID, reason: str) -> Transition:
    transition = _locked(Transition, transition_id)
    permissions.permit_answer(user, transition)
    _open_transition(transition)
    if len(reason.strip()) < 3:
        raise ApplicationError(_("Say why the referral is declined."), detail={"field": "reason"})
    transition.status = TransitionStatus.REJECTED
    transition.responded_at = timezone.now()
    transition.responded_by = user
    transition.response_note = reason.strip()[:2000]
    transition.save()
    _event(
        transition.case,
        EventKind.TRANSITION,
        user,
        _("%(kind)s declined by %(who)s: %(reason)s")
        % {
            "kind": transition.get_kind_display(),
            "who": transition.to_provider,
            "reason": transition.response_note,
        },
    )
    return transition


@transaction.atomic
def transition_revoke(*, user: Any, transition_id: uuid.UUID, reason: str) -> Transition:
    """A case manager takes back a referral or transfer that is still in progress."""
    transition = _locked(Transition, transition_id)
    permissions.permit_revoke(user, transition)
    _open_transition(transition)
    if len(reason.strip()) < 3:
        raise ApplicationError(_("Say why the referral is revoked."), detail={"field": "reason"})
    transition.status = TransitionStatus.REVOKED
    transition.responded_at = timezone.now()
    transition.responded_by = user
    transition.response_note = reason.strip()[:2000]
    transition.save()
    _event(
        transition.case,
        EventKind.TRANSITION,
        user,
        _("Revoked: %(reason)s") % {"reason": transition.response_note},
    )
    return transition


@transaction.atomic
def consent_withdraw(*, user: Any, transition_id: uuid.UUID, note: str = "") -> Transition:
    """The person withdraws the consent a referral or transfer was made under: the receiver sees nothing of
    it from now on; one still in progress is revoked. Recorded by whoever hears it (the receiving agency,
    the sender, the officer who referred). An override is not consent and cannot be withdrawn."""
    transition = _locked(Transition, transition_id)
    permissions.permit_transition(user, transition)
    if not transition.consent_given:
        raise Conflict(_("This referral was made without consent (an override): there is none to withdraw."))
    if transition.consent_withdrawn_at is not None:
        raise Conflict(_("Consent was already withdrawn."))
    now = timezone.now()
    transition.consent_withdrawn_at = now
    if transition.status == TransitionStatus.IN_PROGRESS:
        transition.status = TransitionStatus.REVOKED
        transition.responded_at = now
        transition.responded_by = user
        transition.response_note = _("Consent withdrawn.")
    transition.save()
    _event(
        transition.case,
        EventKind.TRANSITION,
        user,
        (
            _("Consent withdrawn for the %(kind)s to %(who)s.")
            % {"kind": transition.get_kind_display().lower(), "who": transition.to_provider}
        )
        + (f" {note.strip()[:2000]}" if note.strip() else ""),
    )
    return transition


@transaction.atomic
def transition_done(*, user: Any, transition_id: uuid.UUID, note: str = "") -> Transition:
    """The receiving provider has given the service it was asked for."""
    transition = _locked(Transition, transition_id)
    permissions.permit_answer(user, transition)
    if transition.status != TransitionStatus.ACCEPTED:
        raise Conflict(_("Only an accepted referral can be marked done."))
    transition.status = TransitionStatus.DONE
    transition.response_note = (transition.response_note + "\n" + note.strip()).strip()[:2000]
    transition.save()
    _event(transition.case, EventKind.SERVICE, user, note.strip() or _("Service given."), transition.service)
    return transition


@transaction.atomic
def case_refer(
    *,
    user: Any,
    case_id: uuid.UUID,
    provider_id: Any,
    service: str,
    consent: ConsentTerms,
    note: str = "",
    transfer: bool = False,
) -> Transition:
    """Refer the case to another provider for a service, or (a case manager) transfer it to another agency."""
    case = _locked(Case, case_id)
    if transfer:
        permissions.permit_manage(user, case)
    else:
        permissions.permit_case(user, case)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("The case is closed."))
    provider = provider_get(provider_id)
    agency = permissions.agency_of(user)
    if provider.pk == case.provider_id:
        raise ApplicationError(
            _("The case is already with %(name)s.") % {"name": provider.name}, detail={"field": "provider"}
        )
    if case.transitions.filter(to_provider=provider, status=TransitionStatus.IN_PROGRESS).exists():
        raise Conflict(_("A referral to %(name)s is already in progress.") % {"name": provider.name})
    transition = Transition.objects.create(
        kind=TransitionKind.TRANSFER if transfer else TransitionKind.REFERRAL,
        case=case,
        created_by=user,
        from_provider=agency,
        to_provider=provider,
        service=_service(service),
        note=note[:2000],
        consent_given=consent.given,
        consent_data=list(consent.shares),
        consent_purpose=consent.purpose,
        consent_language=consent.language,
        consent_override_reason=consent.override_reason,
    )
    _event(
        case,
        EventKind.TRANSITION,
        user,
        _("%(kind)s to %(who)s.") % {"kind": transition.get_kind_display(), "who": provider.name},
    )
    return transition


@transaction.atomic
def case_assign(*, user: Any, case_id: uuid.UUID, caseworker_id: Any) -> Case:
    """A case manager assigns the case to a caseworker of the agency (at once: an accepted transition)."""
    from corredor.core.models import User

    case = _locked(Case, case_id)
    permissions.permit_manage(user, case)
    worker = (
        User.objects.filter(
            pk=caseworker_id,
            is_active=True,
            role__in=permissions.CASE_ROLES,
            protection_membership__provider_id=case.provider_id,
        ).first()
        if str(caseworker_id).isdigit()
        else None
    )
    if worker is None:
        raise ApplicationError(
            _("Choose a caseworker of the agency that holds the case."), detail={"field": "caseworker"}
        )
    Transition.objects.create(
        kind=TransitionKind.ASSIGNMENT,
        case=case,
        created_by=user,
        from_provider_id=case.provider_id,
        to_provider_id=case.provider_id,
        to_user=worker,
        status=TransitionStatus.ACCEPTED,
        consent_given=True,
        consent_data=["identity", "case_notes"],
        consent_purpose="assignment within the agency",
        responded_at=timezone.now(),
        responded_by=user,
    )
    case.assigned_to = worker
    case.updated_at = timezone.now()
    case.save()
    _event(case, EventKind.TRANSITION, user, _("Assigned to %(who)s.") % {"who": worker.get_username()})
    return case


# --- the case ----------------------------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *,
    user: Any,
    surname: str,
    given_names: str,
    birth_date: date | None,
    sex: str,
    nationality: str,
    kind: str,
    note: str = "",
) -> Case:
    """A case the agency opens itself (a walk-in, a call): held by the agency, assigned to the caseworker."""
    agency = permissions.permit_cases(user)
    surname = surname.strip()
    if not surname:
        raise ApplicationError(_("Give the person's surname."), detail={"field": "surname"})
    if birth_date is not None and birth_date > timezone.localdate():
        raise ApplicationError(_("The birth date is in the future."), detail={"field": "birth_date"})
    if sex not in ("M", "F", "X"):
        raise ApplicationError(_("Sex is M, F or X."), detail={"field": "sex"})
    country = Country.objects.filter(code=(nationality or "").strip().upper()).first()
    if country is None:
        raise ApplicationError(_("Unknown nationality."), detail={"field": "nationality"})
    if kind not in CaseKind.values:
        raise ApplicationError(_("Unknown kind of case."), detail={"field": "kind"})
    case = Case.objects.create(
        reference=case_reference(),
        surname=surname[:120],
        given_names=given_names.strip()[:120],
        birth_date=birth_date,
        sex=sex,
        nationality=country,
        kind=kind,
        status=CaseStatus.OPEN,
        provider=agency,
        assigned_to=user,
    )
    _event(case, EventKind.REGISTRATION, user, note.strip()[:10000] or _("Registered by the agency."))
    return case


@transaction.atomic
def case_event_add(*, user: Any, case_id: uuid.UUID, kind: str, text: str, service: str = "") -> CaseEvent:
    """An assessment, the case plan, a service given, a follow-up or a note."""
    case = _locked(Case, case_id)
    permissions.permit_case(user, case)
    if kind not in HAND_EVENTS:
        raise ApplicationError(_("Unknown kind of case event."), detail={"field": "kind"})
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("The case is not open: accept the referral first, or reopen it."))
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write what was done or found."), detail={"field": "text"})
    if kind == EventKind.SERVICE and not service:
        raise ApplicationError(_("Say which service was provided."), detail={"field": "service"})
    return _event(case, kind, user, text[:10000], _service(service))


@transaction.atomic
def case_close(*, user: Any, case_id: uuid.UUID, reason: str) -> Case:
    case = _locked(Case, case_id)
    permissions.permit_case(user, case)
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("Only an open case can be closed."))
    if len(reason.strip()) < 3:
        raise ApplicationError(_("Give the reason for closing the case."), detail={"field": "reason"})
    if case.tasks.filter(done_at__isnull=True).exists():
        raise Conflict(_("Tasks are still open in this case: finish them first."), detail={"field": "reason"})
    now = timezone.now()
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    case.closure_reason = reason.strip()[:2000]
    case.updated_at = now
    case.save()
    _event(case, EventKind.CLOSURE, user, case.closure_reason)
    return case


@transaction.atomic
def case_reopen(*, user: Any, case_id: uuid.UUID, reason: str) -> Case:
    case = _locked(Case, case_id)
    permissions.permit_manage(user, case)
    if case.status != CaseStatus.CLOSED:
        raise Conflict(_("The case is not closed."))
    case.status = CaseStatus.OPEN
    case.closed_at = None
    case.updated_at = timezone.now()
    case.save()
    _event(case, EventKind.REOPENED, user, reason.strip()[:2000])
    return case


@transaction.atomic
def task_add(*, user: Any, case_id: uuid.UUID, title: str, due_on: date | None) -> Task:
    case = _locked(Case, case_id)
    permissions.permit_case(user, case)
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("The case is not open."))
    if not title.strip():
        raise ApplicationError(_("Say what is to be done."), detail={"field": "title"})
    if due_on is None:
        raise ApplicationError(_("Give the date it is due (YYYY-MM-DD)."), detail={"field": "due_on"})
    return Task.objects.create(
        case=case, title=title.strip()[:200], due_on=due_on, assigned_to=case.assigned_to or user
    )


@transaction.atomic
def task_done(*, user: Any, task_id: uuid.UUID) -> Task:
    task = _locked(Task, task_id)
    permissions.permit_case(user, task.case)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save()
        _event(task.case, EventKind.FOLLOW_UP, user, _("Task done: %(title)s") % {"title": task.title})
    return task


@transaction.atomic
def tracing_add(
    *, user: Any, case_id: uuid.UUID, sought_name: str, relationship: str, last_known_place: str = ""
) -> FamilyTracing:
    case = _locked(Case, case_id)
    permissions.permit_case(user, case)
    if not sought_name.strip():
        raise ApplicationError(_("Name the person sought."), detail={"field": "sought_name"})
    if not relationship.strip():
        raise ApplicationError(_("Say how they are related to the child."), detail={"field": "relationship"})
    tracing = FamilyTracing.objects.create(
        case=case,
        sought_name=sought_name.strip()[:200],
        relationship=relationship.strip()[:60],
        last_known_place=last_known_place.strip()[:200],
    )
    _event(
        case,
        EventKind.FAMILY_TRACING,
        user,
        _("Family tracing requested: %(rel)s.") % {"rel": tracing.relationship},
    )
    return tracing


@transaction.atomic
def tracing_set_status(*, user: Any, tracing_id: uuid.UUID, status: str) -> FamilyTracing:
    tracing = _locked(FamilyTracing, tracing_id)
    permissions.permit_case(user, tracing.case)
    if status not in TracingStatus.values:
        raise ApplicationError(_("Unknown tracing status."), detail={"field": "status"})
    tracing.status = status
    tracing.save()
    _event(tracing.case, EventKind.FAMILY_TRACING, user, tracing.get_status_display())
    return tracing


# --- assisted voluntary return and reintegration ------------------------------------------------------------


def _avrr(avrr_id: uuid.UUID) -> Avrr:
    return _locked(Avrr, avrr_id)  # type: ignore[no-any-return]


def _avrr_step(avrr: Avrr, *allowed: str) -> None:
    if avrr.status not in allowed:
        raise Conflict(
            _("The return is %(status)s: this step is not possible now.")
            % {"status": avrr.get_status_display().lower()}
        )


@transaction.atomic
def avrr_apply(*, user: Any, case_id: uuid.UUID, destination: str) -> Avrr:
    case = _locked(Case, case_id)
    permissions.permit_case(user, case)
    if case.status != CaseStatus.OPEN:
        raise Conflict(_("The case is not open."))
    if Avrr.objects.filter(case=case).exists():
        raise Conflict(_("This case already has a return application."))
    if case.traveller_id is None:
        raise ApplicationError(
            _("An assisted return needs the traveller's record from the border (a travel document)."),
            detail={"field": "case"},
        )
    country = Country.objects.filter(code=(destination or "").strip().upper()).first()
    if country is None:
        raise ApplicationError(_("Unknown country of return."), detail={"field": "destination"})
    avrr = Avrr.objects.create(case=case, destination=country)
    _event(
        case,
        EventKind.AVRR,
        user,
        _("Application for assisted voluntary return to %(c)s.") % {"c": country.name},
    )
    return avrr


@transaction.atomic
def avrr_assess(*, user: Any, avrr_id: uuid.UUID, eligible: bool, note: str) -> Avrr:
    avrr = _avrr(avrr_id)
    permissions.permit_case(user, avrr.case)
    _avrr_step(avrr, AvrrStatus.APPLIED, AvrrStatus.INELIGIBLE)
    if len(note.strip()) < 3:
        raise ApplicationError(_("Write the eligibility assessment."), detail={"field": "note"})
    avrr.status = AvrrStatus.ELIGIBLE if eligible else AvrrStatus.INELIGIBLE
    avrr.eligibility_note = note.strip()[:4000]
    avrr.save()
    _event(avrr.case, EventKind.AVRR, user, f"{avrr.get_status_display()}: {avrr.eligibility_note}")
    return avrr


@transaction.atomic
def avrr_arrange(
    *,
    user: Any,
    avrr_id: uuid.UUID,
    travel_date: date | None,
    post_code: str,
    transport_reference: str,
    travel_documents: str,
    escort: str = "",
    partner_id: Any = None,
) -> Avrr:
    """Travel arrangements: the date, the post of departure, the flight, the documents; an escort for a
    child (required); the reintegration partner in the country of origin."""
    avrr = _avrr(avrr_id)
    permissions.permit_case(user, avrr.case)
    _avrr_step(avrr, AvrrStatus.ELIGIBLE, AvrrStatus.TRAVEL)
    if travel_date is None:
        raise ApplicationError(_("Give the travel date (YYYY-MM-DD)."), detail={"field": "travel_date"})
    post = BorderPost.objects.filter(code=(post_code or "").strip().upper(), active=True).first()
    if post is None:
        raise ApplicationError(_("Choose the border post of departure."), detail={"field": "post"})
    if not travel_documents.strip():
        raise ApplicationError(_("List the travel documents."), detail={"field": "travel_documents"})
    case = avrr.case
    child = bool(case.birth_date and _age(case.birth_date, travel_date) < 18)
    if child and not escort.strip():
        raise ApplicationError(
            _("A child returns with an escort: name the escort."), detail={"field": "escort"}
        )
    avrr.partner = provider_get(partner_id) if partner_id else None
    avrr.travel_date = travel_date
    avrr.departure_post = post
    avrr.transport_reference = transport_reference.strip().upper()[:40]
    avrr.travel_documents = travel_documents.strip()[:300]
    avrr.escort = escort.strip()[:200]
    avrr.status = AvrrStatus.TRAVEL
    avrr.save()
    _event(
        case,
        EventKind.AVRR,
        user,
        _("Travel arranged: %(date)s from %(post)s %(flight)s.")
        % {"date": travel_date, "post": post.code, "flight": avrr.transport_reference},
    )
    return avrr


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _document_of(avrr: Avrr) -> DocumentInput:
    if avrr.case.traveller_id is None:
        raise ApplicationError(_("The traveller has no travel document on record."))
    document = (
        TravelDocument.objects.filter(traveller_id=avrr.case.traveller_id)
        .order_by("-expiry_date", "-created_at")
        .first()
    )
    if document is None:
        raise ApplicationError(_("The traveller has no travel document on record."))
    return DocumentInput(
        document_code=document.document_code,
        issuing_state=document.issuing_state_id,
        number=document.number,
        surname=document.surname,
        given_names=document.given_names,
        nationality=document.nationality_id,
        birth_date=document.birth_date,
        sex=document.sex,
        expiry_date=document.expiry_date,
        mrz=document.mrz,
    )


def avrr_depart(*, officer: Any, avrr_id: uuid.UUID, crossing_id: uuid.UUID | None = None) -> Crossing:
    """The departure, recorded by an officer of the departure post as an exit crossing through the border's
    own service (its checks, hooks and audit); the desk hook links the crossing to the return."""
    avrr = Avrr.objects.select_related("case").filter(pk=avrr_id).first()
    if avrr is None:
        raise NotFound(_("Not found."))
    permissions.permit_departures(officer, avrr.departure_post_id)
    if avrr.status == AvrrStatus.DEPARTED and avrr.departure_crossing_id is not None:
        return Crossing.objects.get(pk=avrr.departure_crossing_id)
    _avrr_step(avrr, AvrrStatus.TRAVEL)
    assert avrr.departure_post_id is not None
    recorded = border_services.crossing_record(
        officer=officer,
        post_code=avrr.departure_post_id,
        direction=Direction.EXIT,
        decision="admitted",
        document=_document_of(avrr),
        transport_reference=avrr.transport_reference,
        note=_("Assisted voluntary return %(ref)s") % {"ref": avrr.case.reference},
        crossing_id=crossing_id,
    )
    return recorded.crossing


@transaction.atomic
def avrr_departure_link(*, crossing: Crossing) -> Avrr | None:
    """An admitted exit of a traveller whose return is arranged from this post: the departure (the desk hook
    calls this for every exit, so a departure recorded at the desk counts as well)."""
    if crossing.direction != Direction.EXIT or crossing.decision != "admitted":
        return None
    avrr = (
        Avrr.objects.select_for_update()
        .filter(
            case__traveller_id=crossing.traveller_id,
            status=AvrrStatus.TRAVEL,
            departure_post_id=crossing.post_id,
        )
        .first()
    )
    if avrr is None:
        return None
    avrr.status = AvrrStatus.DEPARTED
    avrr.departure_crossing_id = crossing.pk
    avrr.save()
    _event(
        avrr.case,
        EventKind.AVRR,
        crossing.officer,
        _("Departed from %(post)s (exit recorded at the border).") % {"post": crossing.post_id},
    )
    return avrr


@transaction.atomic
def avrr_reintegration_plan(*, user: Any, avrr_id: uuid.UUID, plan: str) -> Avrr:
    avrr = _avrr(avrr_id)
    permissions.permit_partner(user, avrr)
    _avrr_step(avrr, AvrrStatus.DEPARTED, AvrrStatus.REINTEGRATION)
    if len(plan.strip()) < 3:
        raise ApplicationError(_("Write the reintegration plan."), detail={"field": "plan"})
    avrr.reintegration_plan = plan.strip()[:10000]
    avrr.status = AvrrStatus.REINTEGRATION
    avrr.save()
    _event(avrr.case, EventKind.AVRR, user, _("Reintegration plan recorded."))
    return avrr


@transaction.atomic
def monitoring_visit_add(
    *, user: Any, avrr_id: uuid.UUID, visited_on: date | None, text: str
) -> MonitoringVisit:
    avrr = _avrr(avrr_id)
    permissions.permit_partner(user, avrr)
    _avrr_step(avrr, AvrrStatus.REINTEGRATION)
    if visited_on is None or visited_on > timezone.localdate():
        raise ApplicationError(
            _("Give the day of the visit (not in the future)."), detail={"field": "visited_on"}
        )
    if len(text.strip()) < 3:
        raise ApplicationError(_("Write what the visit found."), detail={"field": "text"})
    visit = MonitoringVisit.objects.create(
        avrr=avrr, visited_on=visited_on, by=user, text=text.strip()[:4000]
    )
    _event(avrr.case, EventKind.MONITORING, user, visit.text)
    return visit


@transaction.atomic
def avrr_complete(*, user: Any, avrr_id: uuid.UUID) -> Avrr:
    avrr = _avrr(avrr_id)
    permissions.permit_case(user, avrr.case)
    _avrr_step(avrr, AvrrStatus.REINTEGRATION)
    avrr.status = AvrrStatus.COMPLETED
    avrr.save()
    _event(avrr.case, EventKind.AVRR, user, _("Reintegration completed."))
    return avrr


# --- the directory ----------------------------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *,
    user: Any,
    code: str,
    name: str,
    kind: str,
    country: str,
    services: list[str],
    border_referrals: bool = False,
    city: str = "",
    phone: str = "",
    email: str = "",
) -> ServiceProvider:
    """Add a provider and its services to the directory (administrators, case managers; the demo as None)."""
    if user is not None:
        permissions.permit_directory(user)
    if ServiceProvider.objects.filter(code=code).exists():
        raise Conflict(_("A provider with code %(code)s exists.") % {"code": code}, detail={"field": "code"})
    from corredor.protection.models import ProviderKind, Service

    if kind not in ProviderKind.values:
        raise ApplicationError(_("Unknown kind of provider."), detail={"field": "kind"})
    if not Country.objects.filter(code=country).exists():
        raise ApplicationError(_("Unknown country."), detail={"field": "country"})
    provider = ServiceProvider.objects.create(
        code=code,
        name=name,
        kind=kind,
        country_id=country,
        city=city,
        phone=phone,
        email=email,
        border_referrals=border_referrals,
    )
    for service in services:
        Service.objects.create(provider=provider, kind=_service(service))
    return provider


@transaction.atomic
def membership_set(*, user: Any, member: Any, provider: ServiceProvider) -> None:
    """Make `member` (a caseworker, case manager or provider user) work for `provider`."""
    from corredor.protection.models import Membership

    if user is not None:
        permissions.permit_directory(user)
    if member.role not in permissions.AGENCY_ROLES:
        raise ApplicationError(_("Only caseworkers, case managers and provider users join an agency."))
    Membership.objects.update_or_create(user=member, defaults={"provider": provider})
