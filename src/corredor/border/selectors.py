"""Reads of the border: a traveller's history, who is in the country, overstays, the stay a rule allows.

Every read of a named traveller's record checks the reader's role and writes the audit log.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.border import documents, hooks, stay_rules
from corredor.border import permissions as border_permissions
from corredor.border.documents import DocumentInput
from corredor.border.models import (
    BorderPolicy,
    Crossing,
    Decision,
    Direction,
    RefusalGround,
    Stay,
    StayChange,
    TravelDocument,
    Traveller,
)
from corredor.border.mrz_display import problems_for_display
from corredor.core.audit import audit_write
from corredor.core.errors import NotFound
from corredor.core.models import BorderPost, StayCategory, StayRule
from corredor.core.permissions import permit_personal_data, permit_post, permit_supervise


class EffectiveUntil(TypedDict):
    """What `stays_with_effective_until` adds to each stay."""

    has_change: bool
    effective_until: date | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    StayWithEnd = WithAnnotations[Stay, EffectiveUntil]


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def effective_crossings() -> QuerySet[Crossing]:
    """Crossings that count: those not replaced by a correction."""
    return Crossing.objects.filter(corrected_by__isnull=True)


def _latest_change(field: str) -> Subquery:
    return Subquery(StayChange.objects.filter(stay=OuterRef("pk")).order_by("-created_at").values(field)[:1])


def stays_with_effective_until() -> "QuerySet[StayWithEnd]":
    """Stays annotated with the day they are authorised until once extensions are applied."""
    # The latest change decides even when it has no end (a change to an open-ended status): Coalesce would
    # fall back to the original end and list a new resident as an overstay.
    return Stay.objects.annotate(
        has_change=Exists(StayChange.objects.filter(stay=OuterRef("pk"))),
        effective_until=Case(
            When(has_change=True, then=_latest_change("authorised_until")),
            default=F("authorised_until"),
            output_field=DateField(),
        ),
    )


def stay_effective_until(*, stay: Stay) -> date | None:
    change = stay.changes.order_by("-created_at").first()
    return change.authorised_until if change is not None else stay.authorised_until


# --- stay rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StayAllowance:
    """The days a rule allows for a new stay and why: the rule, what limited it, the earlier stays counted."""

    days: int
    authorised_until: date | None
    rule_name: str
    explanation: str
    limited_by: str = "per_entry"
    terms: str = ""
    # The earlier stays the rule counted (days present in the country or common area), oldest first: when
    # no days are left, the officer sees which stays used them up.
    earlier: tuple[stay_rules.Period, ...] = ()

    @property
    def exhausted(self) -> bool:
        return self.days < 1


def stay_rule_for(*, nationality: str, category: StayCategory) -> StayRule | None:
    """The most specific active rule: nationality beats area of nationality beats any; category beats any."""
    candidates = (
        StayRule.objects.filter(active=True)
        .filter(Q(category=category) | Q(category__isnull=True))
        .filter(
            Q(nationality_id=nationality)
            | Q(nationality_area__members=nationality)
            | (Q(nationality__isnull=True) & Q(nationality_area__isnull=True))
        )
        .distinct()
    )

    def specificity(rule: StayRule) -> tuple[int, int, int]:
        nat = 2 if rule.nationality_id else 1 if rule.nationality_area_id else 0
        return (nat, 1 if rule.category_id else 0, -rule.pk)

    rules = sorted(candidates, key=specificity, reverse=True)
    return rules[0] if rules else None


def common_area_for(*, nationality: str) -> str | None:
    """The common area whose days add up for this nationality under an active rule, if any (CA-4...)."""
    rule = (
        StayRule.objects.filter(active=True, common_area__isnull=False)
        .filter(Q(nationality_id=nationality) | Q(nationality_area__members=nationality))
        .first()
    )
    return rule.common_area_id if rule is not None else None


def stay_periods(
    *, traveller: Traveller, before: date, post_countries: list[str] | None = None
) -> list[stay_rules.Period]:
    """The traveller's earlier stays as periods of days present (entry day to exit day, or to `before`)."""
    crossings = effective_crossings().filter(
        traveller=traveller,
        decision=Decision.ADMITTED,
        occurred_at__lt=_end_of_day(before - timedelta(days=1)),
    )
    if post_countries is not None:
        crossings = crossings.filter(post__country_id__in=post_countries)
    periods: list[stay_rules.Period] = []
    started: date | None = None
    for direction, at in crossings.order_by("occurred_at").values_list("direction", "occurred_at"):
        day = timezone.localdate(at)
        if direction == Direction.ENTRY:
            started = started or day
        elif started is not None:
            periods.append(stay_rules.Period(started, day))
            started = None
    if started is not None:
        periods.append(stay_rules.Period(started, before - timedelta(days=1)))
    return periods


def stay_allowance(
    *,
    traveller: Traveller | None,
    nationality: str,
    category: StayCategory,
    entry_date: date,
    area_entered_on: date | None = None,
) -> StayAllowance:
    """How many days the rules allow for a stay of `category` starting on `entry_date`, and why."""
    rule = stay_rule_for(nationality=nationality, category=category)
    if rule is None:
        days = category.default_days
        return StayAllowance(
            days=days,
            authorised_until=stay_rules.last_day(entry_date, days),
            rule_name=str(category),
            explanation=_("default for the category"),
        )
    members: list[str] | None = None
    if rule.common_area is not None:
        members = list(rule.common_area.members.values_list("code", flat=True))
    else:
        members = [settings.CORREDOR_COUNTRY]
    earlier = (
        stay_periods(traveller=traveller, before=entry_date, post_countries=members)
        if traveller is not None
        else []
    )
    if rule.window_days and rule.window_length:
        reach = entry_date - timedelta(days=rule.window_length - 1)
        counted = tuple(p for p in earlier if p.end >= reach)
    else:
        counted = ()
    allowance = stay_rules.allowed_days(
        stay_rules.Rule(rule.days_per_entry, rule.window_days, rule.window_length),
        entry_date=entry_date,
        earlier=earlier,
        area_entered_on=area_entered_on if rule.common_area_id else None,
    )
    explanation = {
        "per_entry": _("%(n)s days per entry") % {"n": rule.days_per_entry},
        "common_area": _("days since entering the common area count"),
        "window": _("at most %(n)s days in any %(m)s") % {"n": rule.window_days, "m": rule.window_length},
        "exhausted": _("no days left"),
    }[allowance.limited_by]
    return StayAllowance(
        days=allowance.days,
        authorised_until=allowance.authorised_until,
        rule_name=rule.name,
        explanation=explanation,
        limited_by=allowance.limited_by,
        terms=_rule_terms(rule),
        earlier=counted,
    )


def _rule_terms(rule: StayRule) -> str:
    terms = [_("%(n)s days per entry") % {"n": rule.days_per_entry}]
    if rule.window_days and rule.window_length:
        terms.append(_("at most %(n)s days in any %(m)s") % {"n": rule.window_days, "m": rule.window_length})
    if rule.common_area_id:
        terms.append(_("days in the common area %(area)s add up") % {"area": rule.common_area_id})
    return "; ".join(str(t) for t in terms)


def post_exists(*, code: str) -> bool:
    return BorderPost.objects.filter(code=code).exists()


# --- border policy ------------------------------------------------------------------------------------------


def refusal_grounds(*, country: str) -> list[RefusalGround]:
    """The legal grounds for refusing entry in `country`: its own list, or the common one (A to J)."""
    own = list(RefusalGround.objects.filter(country_id=country, active=True))
    return own or list(RefusalGround.objects.filter(country__isnull=True, active=True))


def border_policy(*, country: str) -> BorderPolicy:
    """The country's border policy (an unsaved default one when the country has none)."""
    return BorderPolicy.objects.filter(country_id=country).first() or BorderPolicy(country_id=country)


# --- travellers ---------------------------------------------------------------------------------------------


@dataclass
class TravellerStatus:
    in_country: bool
    last_crossing: Crossing | None
    current_stay: Stay | None
    authorised_until: date | None
    overstay_days: int


@dataclass
class TravellerHistory:
    traveller: Traveller
    documents: list[TravelDocument]
    crossings: list[Crossing]
    stays: list["StayWithEnd"]
    status: TravellerStatus
    # Crossings at posts the reader does not work for: counted, not shown.
    hidden_crossings: int = 0


def traveller_status(*, traveller: Traveller, as_of: date | None = None) -> TravellerStatus:
    """Whether the traveller is in the country on `as_of`, under which stay, and any overstay."""
    as_of = as_of or timezone.localdate()
    last = (
        effective_crossings()
        .filter(traveller=traveller, decision=Decision.ADMITTED, occurred_at__lt=_end_of_day(as_of))
        .order_by("-occurred_at")
        .select_related("post")
        .first()
    )
    if last is None or last.direction != Direction.ENTRY:
        return TravellerStatus(False, last, None, None, 0)
    stay = stays_with_effective_until().select_related("category").filter(entry=last).first()
    until = getattr(stay, "effective_until", None)
    overstay = 0
    if stay is not None:
        overstay = stay_rules.overstay_days(until, as_of)  # open-ended stays have no end: never 0 < days
    return TravellerStatus(True, last, stay, until, overstay)


def traveller_get(*, user: Any, traveller_id: uuid.UUID | str, purpose: str = "view") -> TravellerHistory:
    """A traveller's whole record: documents, every crossing (corrections shown), stays and status."""
    permit_personal_data(user)
    traveller = Traveller.objects.select_related("nationality").filter(id=traveller_id).first()
    if traveller is None:
        raise NotFound(_("No traveller with this id."))
    audit_write(action="read", object_type="border.traveller", object_id=traveller.pk, summary=purpose)
    # The same rule as the crossings list: an officer sees their own post's crossings (and the stays granted
    # there); the status below is derived from all of them.
    allowed = border_permissions.crossing_posts(user)
    crossings_qs = Crossing.objects.filter(traveller=traveller)
    stays_qs = stays_with_effective_until().filter(traveller=traveller)
    hidden = 0
    if allowed is not None:
        hidden = crossings_qs.exclude(post_id__in=allowed).count()
        crossings_qs = crossings_qs.filter(post_id__in=allowed)
        stays_qs = stays_qs.filter(entry__post_id__in=allowed)
    crossings = list(
        crossings_qs.select_related("post", "document", "officer", "stay__category", "corrected_by").order_by(
            "-occurred_at", "-created_at"
        )
    )
    stays = list(stays_qs.select_related("category", "entry__post").order_by("-entry__occurred_at"))
    return TravellerHistory(
        traveller=traveller,
        documents=list(traveller.documents.select_related("issuing_state").order_by("-created_at")),
        crossings=crossings,
        stays=stays,
        status=traveller_status(traveller=traveller),
        hidden_crossings=hidden,
    )


def document_find(*, issuing_state: str, number: str) -> TravelDocument | None:
    """The stored document with this issuing state and number (no audit: callers audit what they show)."""
    number = documents.normalise_number(number)
    return (
        TravelDocument.objects.select_related("traveller")
        .filter(issuing_state_id=issuing_state, number=number)
        .first()
    )


# Letters that names carry with or without their accents: a search for NUNEZ finds NÚÑEZ and the other way.
_ACCENTED = {
    "A": "AÁÀÂÄÃÅ",
    "C": "CÇ",
    "E": "EÉÈÊË",
    "I": "IÍÌÎÏ",
    "N": "NÑ",
    "O": "OÓÒÔÖÕØ",
    "U": "UÚÙÛÜ",
    "Y": "YÝŸ",
}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).upper()


def _accent_pattern(word: str) -> str:
    """A regular expression matching `word` with or without accents on its letters (case is folded by the
    caller: names are stored upper case)."""
    return "".join(f"[{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in _fold(word))


def traveller_search(*, user: Any, query: str, limit: int = 50) -> list[Traveller]:
    """Find travellers by document number or names, with or without accents (NUNEZ finds NÚÑEZ PEÑA). A
    document number may be typed with spaces or fillers. The search itself is audited."""
    permit_personal_data(user)
    words = query.upper().split()
    if not words:
        return []
    audit_write(
        action="read", object_type="border.traveller", object_id="search", summary=f"search: {query[:80]}"
    )
    numbers = {documents.normalise_number(w) for w in words} | {documents.normalise_number(query)}
    by_document = Traveller.objects.filter(documents__number__in=numbers - {""})
    by_name = Traveller.objects.all()
    for word in words:
        pattern = _accent_pattern(word)
        by_name = by_name.filter(Q(surname__regex=pattern) | Q(given_names__regex=pattern))
    ids = list(by_document.values_list("id", flat=True)[:limit]) + list(
        by_name.values_list("id", flat=True)[:limit]
    )
    return list(
        Traveller.objects.filter(id__in=ids[:limit])
        .select_related("nationality")
        .order_by("surname", "given_names")
    )


def crossing_warnings(
    *,
    traveller: Traveller,
    document: TravelDocument,
    direction: str,
    on: date,
    include_expiry: bool = True,
    status: "TravellerStatus | None" = None,
) -> list[str]:
    """What the officer should know before recording: expired document, not in the country, overstay."""
    warnings: list[str] = []
    if include_expiry and document.expiry_date and document.expiry_date < on:
        warnings.append(_("The document expired on %(date)s.") % {"date": document.expiry_date})
    # The desk already has the status from the history it shows: no need to ask the database twice.
    status = status or traveller_status(traveller=traveller, as_of=on)
    if direction == Direction.ENTRY and status.in_country:
        warnings.append(_("The record shows the traveller already in the country (no exit recorded)."))
    if direction == Direction.EXIT and not status.in_country:
        warnings.append(_("The record shows no admitted entry before this exit."))
    if status.overstay_days:
        warnings.append(
            _("Overstay: %(days)s days past the authorised stay (until %(until)s).")
            % {"days": status.overstay_days, "until": status.authorised_until}
        )
    return warnings


# --- lists --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossingFilters:
    """What a list of crossings is narrowed to. Codes are checked by the caller's form or schema."""

    post: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    direction: str | None = None
    decision: str | None = None
    traveller_id: uuid.UUID | None = None
    officer: str | None = None  # username
    flight: str | None = None  # transport reference: flight, vehicle or vessel
    hits: bool = False  # only crossings whose screening found a hit

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in self.__dict__.items() if value not in (None, False, "")]
        return " ".join(parts)


@dataclass(frozen=True)
class CrossingPage:
    count: int
    limit: int
    offset: int
    items: list[Crossing]

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.count


def _crossings(user: Any, filters: CrossingFilters) -> tuple[QuerySet[Crossing], list[str] | None]:
    allowed = border_permissions.crossing_posts(user)
    qs = Crossing.objects.select_related(
        "traveller", "document", "post", "officer", "stay__category", "corrected_by"
    )
    post = filters.post
    if allowed is not None:
        if post and post not in allowed:
            permit_post(user, post)
        qs = qs.filter(post_id__in=allowed)
    if post:
        qs = qs.filter(post_id=post)
    # Dates at the ends of the calendar (0001-01-01, 9999-12-31) bound nothing and would overflow.
    if filters.date_from and filters.date_from.year > 1:
        qs = qs.filter(occurred_at__gte=_end_of_day(filters.date_from - timedelta(days=1)))
    if filters.date_to and filters.date_to.year < 9999:
        qs = qs.filter(occurred_at__lt=_end_of_day(filters.date_to))
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.decision:
        qs = qs.filter(decision=filters.decision)
    if filters.traveller_id:
        qs = qs.filter(traveller_id=filters.traveller_id)
    if filters.officer:
        qs = qs.filter(officer__username=filters.officer)
    if filters.flight:
        qs = qs.filter(transport_reference=filters.flight.replace(" ", "").upper())
    if filters.hits:
        qs = qs.filter(screening_outcome="hit")
    return qs.order_by("-occurred_at", "-created_at"), allowed


def crossings_page(*, user: Any, filters: CrossingFilters, limit: int = 50, offset: int = 0) -> CrossingPage:
    """One page of crossings, newest first; officers and supervisors see their own post's only.

    Every page read is audited with its filters and its place (offset, limit, rows returned): paging
    through every crossing shows in the audit log as the pages it took."""
    qs, allowed = _crossings(user, filters)
    items = list(qs[offset : offset + limit])
    count = qs.count() if items or offset else 0
    visible = ",".join(allowed) if allowed is not None else "all"
    audit_write(
        action="read",
        object_type="border.crossing",
        object_id="list",
        summary=(
            f"list {filters.describe() or 'all'} visible={visible} "
            f"offset={offset} limit={limit} rows={len(items)} of {count}"
        )[:500],
    )
    return CrossingPage(count=count, limit=limit, offset=offset, items=items)


def crossing_totals(*, user: Any, filters: CrossingFilters) -> dict[str, int]:
    """How many crossings the filters select, by movement (entries, exits admitted) and by decision
    (refused, referred), corrections counted once (the corrected crossing no longer counts)."""
    qs, _allowed = _crossings(user, filters)
    totals: dict[str, int] = {}
    rows = (
        qs.filter(corrected_by__isnull=True)
        .order_by()
        .values_list("direction", "decision")
        .annotate(n=Count("pk"))
    )
    for direction, decision, n in rows:
        key = direction if decision == Decision.ADMITTED else decision
        totals[key] = totals.get(key, 0) + n
    return totals


def crossing_get(*, user: Any, crossing_id: uuid.UUID) -> Crossing:
    """One crossing, read by id: checked against the reader's posts and audited as a read of that crossing."""
    crossing = (
        Crossing.objects.select_related(
            "traveller", "document", "post", "officer", "stay__category", "corrected_by"
        )
        .filter(pk=crossing_id)
        .first()
    )
    allowed = border_permissions.crossing_posts(user)
    if crossing is not None and allowed is not None and crossing.post_id not in allowed:
        # Another post's crossing reads as no crossing at all (its existence is not confirmed), and the
        # attempt is on the record.
        audit_write(
            action="denied", object_type="border.crossing", object_id=crossing.pk, summary="another post's"
        )
        crossing = None
    if crossing is None:
        raise NotFound(_("No crossing with this id."))
    audit_write(action="read", object_type="border.crossing", object_id=crossing.pk, summary="crossing")
    return crossing


def _present_stays(as_of: date) -> "QuerySet[StayWithEnd]":
    # The traveller's last admitted crossing up to the end of `as_of` is this stay's entry: nothing later
    # (an exit, or a newer entry with its own stay) has happened.
    end = _end_of_day(as_of)
    later = effective_crossings().filter(
        traveller=OuterRef("traveller"),
        decision=Decision.ADMITTED,
        occurred_at__gt=OuterRef("entry__occurred_at"),
        occurred_at__lt=end,
    )
    return (
        stays_with_effective_until()
        .filter(entry__occurred_at__lt=end, entry__corrected_by__isnull=True)
        .exclude(Exists(later))
    )


def in_country(*, user: Any, as_of: date | None = None) -> "QuerySet[StayWithEnd]":
    """Stays of everyone in the country on `as_of` (admitted entry, no exit since)."""
    permit_supervise(user)
    return _present_stays(as_of or timezone.localdate()).select_related(
        "traveller", "category", "entry__post"
    )


@dataclass(frozen=True)
class OverstayRow:
    traveller_id: uuid.UUID
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    document: str
    entry_post: str
    entered_on: date
    category: str
    authorised_until: date
    days_over: int


def overstays(*, user: Any, as_of: date | None = None, post: str | None = None) -> list[OverstayRow]:
    """The overstay list as a supervisor sees it: their own post's entries (administrators: any post)."""
    permit_supervise(user)
    if user.role != "administrator":
        post = user.border_post_id
    return overstay_rows(as_of=as_of or timezone.localdate(), post=post)


def overstay_rows(*, as_of: date, post: str | None = None) -> list[OverstayRow]:
    """Everyone whose last crossing is an admitted entry and whose stay ended before `as_of`.

    Derived from the records, never typed in. `post` limits the list to entries made at that post. Callers
    check permission; this writes the audit log.
    """
    qs = (
        _present_stays(as_of)
        .filter(effective_until__lt=as_of)  # open-ended stays (and status changes to them) have no end
        .select_related("traveller", "category", "entry__post", "entry__document")
    )
    if post:
        qs = qs.filter(entry__post_id=post)
    audit_write(
        action="read", object_type="border.stay", object_id="overstays", summary=f"overstays as of {as_of}"
    )
    return [
        OverstayRow(
            traveller_id=stay.traveller_id,
            surname=stay.traveller.surname,
            given_names=stay.traveller.given_names,
            nationality=stay.traveller.nationality_id,
            birth_date=stay.traveller.birth_date,
            document=f"{stay.entry.document.issuing_state_id} {stay.entry.document.number}",
            entry_post=stay.entry.post_id,
            entered_on=timezone.localdate(stay.entry.occurred_at),
            category=stay.category_id,
            # Not None: open-ended stays have no end, and the filter above keeps only stays that ended.
            authorised_until=cast(date, stay.effective_until),
            days_over=stay_rules.overstay_days(stay.effective_until, as_of),
        )
        for stay in qs.order_by("effective_until", "id")
    ]


# --- the desk -----------------------------------------------------------------------------------------------


@dataclass
class DeskAssessment:
    """What the desk knows once a document is read, and what it proposes: the traveller's history, the
    decision to reach for, the stay category and days, warnings, and the other apps' notices."""

    document: DocumentInput
    existing: TravelDocument | None
    history: "TravellerHistory | None"
    default_action: str
    category: StayCategory | None
    allowance: StayAllowance | None
    common_area: str | None
    warnings: list[str]
    notices: list[hooks.DeskNotice]
    problems: list[Any]
    prefill: dict[str, str]
    refusal_grounds: list[RefusalGround]
    age: int | None
    minor: bool
    exit_permit_required: bool
    expired: bool
    expired_document_refused: bool


def desk_assess(*, user: Any, document: DocumentInput, post: str, mrz_result: Any = None) -> DeskAssessment:
    """The desk's policy for a document just read at `post`: the default decision, the stay proposed (the
    deploying country's nationals as nationals, everyone else as a tourist until decided) and what the
    officer must see first. Reading the traveller's history is audited (`traveller_get`)."""
    problems = problems_for_display(mrz_result) if mrz_result is not None else []
    today = timezone.localdate()
    existing = document_find(issuing_state=document.issuing_state, number=document.number)
    history = None
    if existing is not None:
        history = traveller_get(user=user, traveller_id=existing.traveller_id, purpose=f"desk {post}")
    in_country = bool(history and history.status.in_country)
    default_action = "exit" if in_country else "entry"
    categories = list(StayCategory.objects.filter(active=True))
    usual = "national" if document.nationality == settings.CORREDOR_COUNTRY else "tourist"
    category = next((c for c in categories if c.code == usual), None) or next(
        (c for c in categories if c.code == "tourist"), categories[0] if categories else None
    )
    allowance = None
    if category is not None and not category.open_ended:
        allowance = stay_allowance(
            traveller=history.traveller if history else None,
            nationality=document.nationality,
            category=category,
            entry_date=today,
        )
    warnings: list[str] = []
    expiry_flagged = any(p.code == "expired" for p in problems)
    if existing is not None:
        warnings = crossing_warnings(
            traveller=existing.traveller,
            document=existing,
            direction=default_action,
            on=today,
            include_expiry=not expiry_flagged,
            status=history.status if history is not None else None,
        )
    elif document.expiry_date and document.expiry_date < today and not expiry_flagged:
        warnings.append(_("The document expired on %(date)s.") % {"date": document.expiry_date})
    notices = hooks.desk_notices(
        hooks.CrossingContext(
            document=document,
            post_code=post,
            officer=user,
            travel_document=existing,
            traveller=existing.traveller if existing is not None else None,
        )
    )
    if any(n.blocking or n.level == "protect" for n in notices):
        # An alert that forbids admitting the traveller, or one that protects them (a missing child, a
        # possible trafficking victim): the decision to reach for is a referral.
        default_action = "refer"
    prefill: dict[str, str] = {}
    for notice in notices:
        for name, value in notice.prefill.items():
            prefill.setdefault(name, value)
    country = BorderPost.objects.filter(code=post).values_list("country_id", flat=True).first()
    country = country or settings.CORREDOR_COUNTRY
    policy = border_policy(country=country)
    age = documents.age_on(document.birth_date, today)
    minor = age is not None and age < policy.age_of_majority
    expired = bool(document.expiry_date and document.expiry_date < today)
    if minor:
        warnings.insert(0, _("A minor: %(age)s years old.") % {"age": age})
    expired_document_refused = expired and policy.expired_document == BorderPolicy.ExpiredDocument.REFUSE
    if default_action == "entry" and (expired_document_refused or (allowance and allowance.exhausted)):
        # Admission cannot be recorded as things stand: the key to reach for is a referral.
        default_action = "refer"
    return DeskAssessment(
        document=document,
        existing=existing,
        history=history,
        default_action=default_action,
        category=category,
        allowance=allowance,
        common_area=common_area_for(nationality=document.nationality),
        warnings=warnings,
        notices=notices,
        problems=problems,
        prefill=prefill,
        refusal_grounds=refusal_grounds(country=country),
        age=age,
        minor=minor,
        exit_permit_required=minor and policy.minor_exit_permit and document.nationality == country,
        expired=expired,
        expired_document_refused=expired_document_refused,
    )
