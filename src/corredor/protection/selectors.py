"""Every read of protection, permission-checked and audited: the agency's lists ("shared with me", "my cases",
"from my team"), a case, a referral (as the receiver, the sender or the referring officer sees it), the
referrals an officer made, the returns due to depart at a post, the directory."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import Role
from corredor.protection import permissions
from corredor.protection.models import (
    Avrr,
    AvrrStatus,
    Case,
    CaseEvent,
    CaseStatus,
    FamilyTracing,
    ServiceProvider,
    Task,
    Transition,
    TransitionStatus,
)

PAGE = 50
CASE_SCOPES = ("mine", "team", "agency")


def age_group(birth: date | None, on: date | None = None) -> str:
    """The age group shown instead of a birth date in lists (and counted in statistics)."""
    if birth is None:
        return "?"
    today = on or timezone.localdate()
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < 5:
        return "0-4"
    if age < 12:
        return "5-11"
    if age < 18:
        return "12-17"
    if age < 60:
        return "18-59"
    return "60+"


@dataclass
class CaseRow:
    case: Case
    name: str
    age_group: str


@dataclass
class CasePage:
    rows: list[CaseRow]
    page: int
    has_next: bool
    scope: str
    names: bool


def _visible_cases(user: Any) -> QuerySet[Case]:
    agency = permissions.permit_cases(user)
    return Case.objects.filter(Q(assigned_to=user) | Q(provider=agency))


def cases_list(
    *, user: Any, scope: str = "mine", status: str = "open", names: bool = False, page: int = 1
) -> CasePage:
    """One page of a caseworker's cases: "mine" (assigned to me), "team" (my agency's, assigned to others),
    "agency" (all my agency's). Names are hidden unless asked for; the read is audited either way."""
    agency = permissions.permit_cases(user)
    if scope not in CASE_SCOPES:
        raise ApplicationError(
            _("Unknown list %(scope)s.") % {"scope": scope[:20]}, detail={"field": "scope"}
        )
    if status not in (*CaseStatus.values, "all"):
        raise ApplicationError(_("Unknown case status."), detail={"field": "status"})
    if page < 1:
        raise ApplicationError(_("Pages start at 1."), detail={"field": "page"})
    if scope == "mine":
        cases = Case.objects.filter(assigned_to=user)
    elif scope == "team":
        cases = Case.objects.filter(provider=agency).exclude(assigned_to=user)
    else:
        cases = Case.objects.filter(provider=agency)
    if status != "all":
        cases = cases.filter(status=status)
    offset = (page - 1) * PAGE
    found = list(cases.select_related("nationality").order_by("-updated_at")[offset : offset + PAGE + 1])
    today = timezone.localdate()
    rows = [CaseRow(c, c.full_name if names else "•••", age_group(c.birth_date, today)) for c in found[:PAGE]]
    audit_write(
        action="read",
        object_type="protection.case",
        object_id=f"list:{scope}",
        summary=f"case list {scope} {status} page {page}: {len(rows)} cases"
        + (", names shown" if names else ", names hidden"),
    )
    return CasePage(rows=rows, page=page, has_next=len(found) > PAGE, scope=scope, names=names)


@dataclass
class CaseView:
    case: Case
    events: list[CaseEvent]
    tasks: list[Task]
    transitions: list[Transition]
    tracings: list[FamilyTracing]
    avrr: Avrr | None
    manager: bool
    colleagues: list[Any] = field(default_factory=list)


def case_get(*, user: Any, case_id: uuid.UUID, events: int = 100) -> CaseView:
    """A case with its latest events, tasks, transitions, family tracing and return; audited."""
    case = Case.objects.select_related("nationality", "provider", "assigned_to").filter(pk=case_id).first()
    if case is None:
        permissions.permit_cases(user)
        raise NotFound(_("There is no such case."))
    permissions.permit_case(user, case)
    audit_write(
        action="read", object_type="protection.case", object_id=case.pk, summary=f"case {case.reference}"
    )
    manager = user.role == Role.CASE_MANAGER
    colleagues: list[Any] = []
    if manager and case.provider_id:
        from corredor.core.models import User

        colleagues = list(
            User.objects.filter(
                protection_membership__provider_id=case.provider_id,
                role__in=permissions.CASE_ROLES,
                is_active=True,
            ).order_by("username")
        )
    return CaseView(
        case=case,
        events=list(case.events.select_related("by").order_by("-at")[:events]),
        tasks=list(case.tasks.order_by("done_at", "due_on")),
        transitions=list(
            case.transitions.select_related("to_provider", "to_user", "created_by").order_by("-created_at")
        ),
        tracings=list(case.tracings.order_by("-created_at")),
        avrr=Avrr.objects.select_related("destination", "partner", "departure_post")
        .filter(case=case)
        .first(),
        manager=manager,
        colleagues=colleagues,
    )


def transitions_inbox(*, user: Any, status: str = "in_progress") -> list[Transition]:
    """ "Shared with me": referrals and transfers to my agency (or to me)."""
    agency = permissions.permit_inbox(user)
    rows = Transition.objects.filter(Q(to_provider=agency) | Q(to_user=user)).exclude(kind="assignment")
    if status != "all":
        rows = rows.filter(status=status)
    found = list(
        rows.select_related("case", "case__nationality", "from_post", "from_provider").order_by(
            "-created_at"
        )[:200]
    )
    audit_write(
        action="read",
        object_type="protection.transition",
        object_id="inbox",
        summary=f"shared with me: {len(found)}",
    )
    return found


def transitions_sent(*, user: Any) -> list[Transition]:
    """ "From my team": referrals and transfers my agency sent."""
    agency = permissions.permit_inbox(user)
    found = list(
        Transition.objects.filter(from_provider=agency)
        .exclude(kind="assignment")
        .select_related("case", "to_provider")
        .order_by("-created_at")[:200]
    )
    audit_write(
        action="read",
        object_type="protection.transition",
        object_id="sent",
        summary=f"from my team: {len(found)}",
    )
    return found


@dataclass
class TransitionView:
    transition: Transition
    side: str  # receiver, sender, officer
    shares: tuple[str, ...]
    screening: list[str]


def transition_get(*, user: Any, transition_id: uuid.UUID) -> TransitionView:
    """A referral as its viewer may see it: the receiver only the data the consent covers; the officer who
    referred only its status."""
    transition = (
        Transition.objects.select_related(
            "case", "case__nationality", "to_provider", "from_post", "created_by"
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        raise NotFound(_("There is no such referral."))
    side = permissions.permit_transition(user, transition)
    shares = transition.shares if side == "receiver" else ()
    audit_write(
        action="read",
        object_type="protection.transition",
        object_id=transition.pk,
        summary=f"referral as {side}: {', '.join(shares) or 'status'}",
    )
    return TransitionView(
        transition=transition,
        side=side,
        shares=shares,
        screening=list(transition.case.indicators) if "screening" in shares else [],
    )


def referrals_made(*, user: Any) -> list[Transition]:
    """The referrals an officer made at the desk (a supervisor: the post's), with their status; no case."""
    permissions.permit_referrals_made(user)
    rows = Transition.objects.filter(kind="referral", from_post__isnull=False)
    rows = (
        rows.filter(from_post_id=user.border_post_id)
        if user.role == Role.SUPERVISOR
        else rows.filter(created_by=user)
    )
    found = list(rows.select_related("to_provider", "case").order_by("-created_at")[:200])
    audit_write(
        action="read",
        object_type="protection.transition",
        object_id="made",
        summary=f"referrals made: {len(found)}",
    )
    return found


def departures_expected(*, user: Any) -> list[Avrr]:
    """Assisted returns due to leave from the officer's post: what the officer needs to record the exit."""
    permissions.permit_departures(user)
    found = list(
        Avrr.objects.filter(
            departure_post_id=user.border_post_id, status__in=[AvrrStatus.TRAVEL, AvrrStatus.DEPARTED]
        )
        .select_related("case", "destination")
        .order_by("travel_date")[:200]
    )
    audit_write(
        action="read",
        object_type="protection.avrr",
        object_id="departures",
        summary=f"departures: {len(found)}",
    )
    return found


def avrr_get(*, user: Any, avrr_id: uuid.UUID) -> tuple[Avrr, str]:
    """A return as the partner sees it (the reintegration only) or as the case's holders see it."""
    avrr = Avrr.objects.select_related("case", "destination", "partner").filter(pk=avrr_id).first()
    if avrr is None:
        raise NotFound(_("Not found."))
    side = permissions.permit_partner(user, avrr)
    audit_write(action="read", object_type="protection.avrr", object_id=avrr.pk, summary=f"return as {side}")
    return avrr, side


def reintegrations(*, user: Any) -> list[Avrr]:
    """The returns a reintegration partner follows."""
    agency = permissions.permit_inbox(user)
    found = list(
        Avrr.objects.filter(partner=agency)
        .select_related("case", "destination")
        .order_by("-applied_at")[:200]
    )
    audit_write(
        action="read",
        object_type="protection.avrr",
        object_id="partner",
        summary=f"reintegrations: {len(found)}",
    )
    return found


def providers_for_referral(*, border: bool = False) -> QuerySet[ServiceProvider]:
    """The refer-to list: active providers (from the desk, only those that receive border referrals)."""
    providers = ServiceProvider.objects.filter(active=True).prefetch_related("services")
    return providers.filter(border_referrals=True) if border else providers


def tasks_due(*, user: Any) -> list[Task]:
    permissions.permit_cases(user)
    return list(
        Task.objects.filter(assigned_to=user, done_at__isnull=True, case__status=CaseStatus.OPEN)
        .select_related("case")
        .order_by("due_on")[:50]
    )


def open_transitions_count(*, user: Any) -> int:
    agency = permissions.agency_of(user)
    if agency is None:
        return 0
    return Transition.objects.filter(to_provider=agency, status=TransitionStatus.IN_PROGRESS).count()


# What of protection goes into the statistics extract (the statistics app, above protection, reads these and
# protects its tables by disclosure control): never a name, a birth date, a reference or an id, nor a time
# finer than the local day. Missing values are None.
ANONYMISED_REFERRAL_COLUMNS = (
    "day",
    "case_kind",
    "service",
    "provider_kind",
    "status",
    "consent",  # given, or override (without consent, in a child's best interests)
    "origin",  # border (a desk referral) or case (from a caseworker)
    "post",  # the border post whose desk referred
    "sex",
    "age",  # whole years on the day
    "nationality",  # ICAO/ISO alpha-3
)
ANONYMISED_CASE_COLUMNS = (
    "day",
    "case_kind",
    "status",
    "risk",
    "provider_kind",
    "origin",  # border (referred at a desk) or walk_in
    "post",
    "sex",
    "age",
    "nationality",
    "closed_day",
)


class _Anonymiser:
    """Nationality codes as alpha-3 and times as the local day, each looked up once."""

    def __init__(self) -> None:
        import zoneinfo

        from django.conf import settings

        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.countries: dict[str, str] = {}

    def country(self, code: str | None) -> str | None:
        from corredor.icao import country_to_alpha3

        if not code:
            return None
        found = self.countries.get(code)
        if found is None:
            found = self.countries[code] = country_to_alpha3(code) or code
        return found

    def day(self, moment: Any) -> date | None:
        return moment.astimezone(self.zone).date() if moment is not None else None

    @staticmethod
    def age(birth: date | None, on: date | None) -> int | None:
        if birth is None or on is None:
            return None
        years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        return max(0, min(years, 130))


def anonymised_referrals() -> Iterator[tuple[Any, ...]]:
    """One tuple per referral (ANONYMISED_REFERRAL_COLUMNS), for the statistics extract."""
    codes = _Anonymiser()
    rows = (
        Transition.objects.filter(kind="referral")
        .order_by()
        .values_list(
            "created_at",
            "case__kind",
            "service",
            "to_provider__kind",
            "status",
            "consent_given",
            "from_post_id",
            "case__sex",
            "case__birth_date",
            "case__nationality_id",
        )
    )
    for created, kind, service, provider_kind, status, given, post, sex, birth, nationality in rows.iterator(
        chunk_size=10_000
    ):
        day = codes.day(created)
        yield (
            day,
            kind,
            service or None,
            provider_kind,
            status,
            "given" if given else "override",
            "border" if post else "case",
            post,
            sex or "X",
            codes.age(birth, day),
            codes.country(nationality),
        )


def anonymised_cases() -> Iterator[tuple[Any, ...]]:
    """One tuple per case (ANONYMISED_CASE_COLUMNS), for the statistics extract; `post` is the border post
    whose desk referred it."""
    from django.db.models import OuterRef, Subquery

    codes = _Anonymiser()
    desk = Transition.objects.filter(case=OuterRef("pk"), from_post__isnull=False).order_by("created_at")
    rows = (
        Case.objects.order_by()
        .annotate(desk_post=Subquery(desk.values("from_post")[:1]))
        .values_list(
            "created_at",
            "kind",
            "status",
            "risk",
            "provider__kind",
            "traveller_id",
            "desk_post",
            "sex",
            "birth_date",
            "nationality_id",
            "closed_at",
        )
    )
    for (
        created,
        kind,
        status,
        risk,
        provider_kind,
        traveller,
        post,
        sex,
        birth,
        nationality,
        closed,
    ) in rows.iterator(chunk_size=10_000):
        day = codes.day(created)
        yield (
            day,
            kind,
            status,
            risk,
            provider_kind,
            "border" if (post or traveller) else "walk_in",
            post,
            sex or "X",
            codes.age(birth, day),
            codes.country(nationality),
            codes.day(closed),
        )


EXPORT_COLUMNS = (
    "reference",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "nationality",
    "kind",
    "status",
    "risk",
    "caseworker",
    "opened",
    "closed",
)


@dataclass
class CaseExport:
    rows: list[tuple[Any, ...]]
    left_out: int


def cases_export(*, user: Any) -> CaseExport:
    """The agency's cases for a spreadsheet (case managers), only those whose consent covers it: a case
    that came through a referral or transfer goes out only when the person consented to sharing their
    identity with this agency (an override is not consent); a case the agency registered itself goes out.
    The export is audited, with how many cases were left out."""
    agency = permissions.permit_cases(user)
    if user.role != Role.CASE_MANAGER:
        raise permissions.refuse(
            user, _("Only case managers export the agency's cases."), "protection_export"
        )
    cases = Case.objects.filter(provider=agency).select_related("assigned_to").order_by("created_at")
    # (JSON containment is not a lookup SQLite has: the consent's data is checked here.)
    received: set[Any] = set()
    consented: set[Any] = set()
    for case_id, given, shared, withdrawn in (
        Transition.objects.filter(to_provider=agency, status__in=["accepted", "done"])
        .exclude(kind="assignment")
        .values_list("case_id", "consent_given", "consent_data", "consent_withdrawn_at")
    ):
        received.add(case_id)
        if given and withdrawn is None and "identity" in (shared or []):
            consented.add(case_id)
    rows = []
    left_out = 0
    for case in cases.iterator(chunk_size=2000):
        if case.pk in received and case.pk not in consented:
            left_out += 1
            continue
        rows.append(
            (
                case.reference,
                case.surname,
                case.given_names,
                case.birth_date.isoformat() if case.birth_date else "",
                case.sex,
                case.nationality_id,
                case.kind,
                case.status,
                case.risk,
                case.assigned_to.get_username() if case.assigned_to else "",
                f"{case.created_at:%Y-%m-%d}",
                f"{case.closed_at:%Y-%m-%d}" if case.closed_at else "",
            )
        )
    audit_write(
        action="export",
        object_type="protection.case",
        object_id=f"agency:{agency.code}",
        summary=f"case export: {len(rows)} cases, {left_out} left out (consent does not cover it)",
    )
    return CaseExport(rows=rows, left_out=left_out)
