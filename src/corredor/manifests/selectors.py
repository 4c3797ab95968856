"""Reads of passenger lists: a post's flights with their counts, one flight with its lists, changes between
versions, hits to prepare for and the reconciliation with arrivals; the boarding decisions an interactive
API answers with; the API coverage per carrier for the statistics.

Reads of people on lists check the reader's post and write the audit log.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import BorderPost, Role
from corredor.core.permissions import has_role
from corredor.manifests import keys, screening_adapter
from corredor.manifests.models import (
    Direction,
    Flight,
    ListType,
    ManifestDocument,
    ManifestList,
    ManifestPerson,
    ScreeningStatus,
)
from corredor.manifests.permissions import permit_coverage, permit_flights
from corredor.manifests.services import FLIGHT_WINDOW
from corredor.paxlst import BoardingDecision, BoardingResponse, Leg, write_cusres
from corredor.paxlst import Flight as PaxlstFlight

# A flight is "processed" this long after its scheduled time: whoever has not presented by then did not.
PROCESSING_TIME = timedelta(hours=3)
# People on a flight's page (and in the API's answer, unless asked otherwise) per page: a wide-body's list is
# 400-500 people.
PEOPLE_PER_PAGE = 100
# The reconciliation card names this many of those awaited or not presented; the people list pages them all.
RECONCILIATION_ROWS = 20
MAX_PEOPLE_PER_PAGE = 500
# Dates asked for in query strings: flights are looked for in these years, and over at most this many days.
FIRST_YEAR, LAST_YEAR = 1950, 2200
MAX_PERIOD_DAYS = 366


def check_period(*, date_from: date, date_to: date, max_days: int = MAX_PERIOD_DAYS) -> None:
    """Refuse (400, naming the field) a period that cannot be meant: outside FIRST_YEAR..LAST_YEAR, ending
    before it starts, or longer than `max_days`."""
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ApplicationError(
                _("%(field)s must be a date between %(first)s and %(last)s.")
                % {"field": name, "first": FIRST_YEAR, "last": LAST_YEAR},
                detail={"field": name},
            )
    if date_to < date_from:
        raise ApplicationError(_("date_to is before date_from."), detail={"field": "date_to"})
    if (date_to - date_from).days + 1 > max_days:
        raise ApplicationError(
            _("Ask for at most %(days)s days at a time.") % {"days": max_days}, detail={"field": "date_to"}
        )


def post_check(code: str) -> str:
    """The code of an existing border post, or a 400 that names the unknown code."""
    code = code.strip().upper()
    if not BorderPost.objects.filter(code=code).exists():
        raise ApplicationError(
            _("There is no border post %(code)s.") % {"code": code[:20]}, detail={"field": "post"}
        )
    return code


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the active time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- flights at a post --------------------------------------------------------------------------------------


@dataclass
class FlightSummary:
    """A flight with the counts a supervisor plans with (current lists only)."""

    flight: Flight
    passengers: int
    crew: int
    presented: int
    hits_open: int
    not_screened: int
    versions: int  # of the passenger list: 2 and more when the airline sent it again with changes
    processed: bool


def _current(prefix: str = "lists__") -> Q:
    return Q(**{f"{prefix}is_current": True})


def flights_for_post(*, user: Any, post_code: str, start: datetime, end: datetime) -> list[FlightSummary]:
    """The post's flights expected between `start` and `end`, earliest first, with their counts."""
    permit_flights(user, post_code)
    post_check(post_code)
    current = _current()
    flights = list(
        Flight.objects.filter(post_id=post_code, expected_at__gte=start, expected_at__lt=end)
        .annotate(
            passengers=Count("lists__persons", filter=current & Q(lists__list_type=ListType.PASSENGER)),
            crew=Count("lists__persons", filter=current & Q(lists__list_type=ListType.CREW)),
            presented=Count("lists__persons", filter=current & Q(lists__persons__crossing__isnull=False)),
            not_screened=Count(
                "lists__persons",
                filter=current & Q(lists__persons__screening_status=ScreeningStatus.NOT_SCREENED),
            ),
            passenger_version=Max("lists__version", filter=Q(lists__list_type=ListType.PASSENGER)),
        )
        .order_by("expected_at", "carrier", "number")
    )
    open_hits = _open_hits_by_flight([flight.pk for flight in flights])
    now = timezone.now()
    return [
        FlightSummary(
            flight=flight,
            passengers=flight.passengers,
            crew=flight.crew,
            presented=flight.presented,
            hits_open=open_hits.get(flight.pk, 0),
            not_screened=flight.not_screened,
            versions=flight.passenger_version or 0,
            processed=flight.expected_at + PROCESSING_TIME <= now,
        )
        for flight in flights
    ]


def _open_hits_by_flight(flight_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    persons = list(
        ManifestPerson.objects.filter(
            manifest_list__flight_id__in=flight_ids,
            manifest_list__is_current=True,
            screening_status=ScreeningStatus.HIT,
        ).select_related("manifest_list")
    )
    statuses = screening_adapter.hit_states(hit for person in persons for hit in person.hits)
    counts: Counter[uuid.UUID] = Counter()
    for person in persons:
        counts[person.manifest_list.flight_id] += sum(
            1 for hit in person.hits if statuses.get(hit["id"]) != screening_adapter.FALSE_MATCH
        )
    return dict(counts)


# --- one flight ---------------------------------------------------------------------------------------------


@dataclass
class HitRow:
    """A pre-arrival hit on a person, with its status now and where it is adjudicated."""

    person: ManifestPerson
    hit_id: str
    status: str
    summary: str
    url: str | None


@dataclass
class Changes:
    """Who a version of a list added, removed or changed, compared with the version it replaced."""

    added: list[ManifestPerson] = field(default_factory=list)
    removed: list[ManifestPerson] = field(default_factory=list)
    changed: list[tuple[ManifestPerson, ManifestPerson]] = field(default_factory=list)


class Stage:
    """Where a flight is: not landed yet, landed and being processed at the desk, or processed."""

    EXPECTED = "expected"
    LANDED = "landed"
    PROCESSED = "processed"


def flight_stage(flight: Flight, *, someone_presented: bool = False, now: datetime | None = None) -> str:
    """The flight's stage now. A flight whose travellers have begun to present has landed, early or not."""
    now = now or timezone.now()
    if now < flight.expected_at and not someone_presented:
        return Stage.EXPECTED
    return Stage.PROCESSED if flight.expected_at + PROCESSING_TIME <= now else Stage.LANDED


@dataclass
class Reconciliation:
    """Who on the flight's lists presented, who did not, and who presented naming the flight without being on
    its lists. Nobody "did not present" before the flight is processed: until it lands, its people are
    expected; from landing (its scheduled time, or its first traveller presenting) to PROCESSING_TIME after
    its scheduled time, those who have not presented yet are `awaited`."""

    stage: str
    presented: list[ManifestPerson]
    not_presented: list[ManifestPerson]
    awaited: list[ManifestPerson]
    not_on_list: list[Any]

    @property
    def processed(self) -> bool:
        return self.stage == Stage.PROCESSED

    @property
    def landed(self) -> bool:
        return self.stage != Stage.EXPECTED


PEOPLE_SHOWN = ("all", "presented", "not_presented")


@dataclass
class FlightDetail:
    """A flight's page. `persons` are everyone on the current lists; `people` the page of them shown (all,
    or those presented, or those not presented, as `people_shown` says)."""

    flight: Flight
    lists: list[ManifestList]
    current: dict[str, ManifestList]
    persons: list[ManifestPerson]
    people: Page[ManifestPerson]
    people_shown: str
    waiting_shown: list[ManifestPerson]  # the first of those awaited or not presented, for the card
    waiting_more: int
    nationalities: list[tuple[str, int, int]]
    hits: list[HitRow]
    changes: dict[str, Changes]
    reconciliation: Reconciliation
    warnings: list[dict[str, Any]]
    hits_hidden: bool = False  # an officer's view: what the lists hold is for supervisors to see


def _persons(queryset: QuerySet[ManifestPerson]) -> list[ManifestPerson]:
    return list(
        queryset.select_related("crossing", "manifest_list")
        .prefetch_related(Prefetch("documents", queryset=ManifestDocument.objects.order_by("pk")))
        .order_by("-role", "position")  # passengers, then crew
    )


def list_changes(*, manifest_list: ManifestList) -> Changes:
    """Who this version added, removed or changed, compared with the one it replaced (empty for a first)."""
    if manifest_list.replaces_id is None:
        return Changes()
    new = {p.key: p for p in _persons(ManifestPerson.objects.filter(manifest_list=manifest_list))}
    old = {
        p.key: p for p in _persons(ManifestPerson.objects.filter(manifest_list_id=manifest_list.replaces_id))
    }
    return Changes(
        added=[person for key, person in new.items() if key not in old],
        removed=[person for key, person in old.items() if key not in new],
        changed=[
            (old[key], person)
            for key, person in new.items()
            if key in old and old[key].fingerprint != person.fingerprint
        ],
    )


def flight_get(*, user: Any, flight_id: uuid.UUID | str) -> Flight:
    flight = Flight.objects.select_related("post").filter(pk=flight_id).first()
    if flight is None:
        raise NotFound(_("No flight with this id."))
    permit_flights(user, flight.post_id)
    return flight


def _page_number(page: int | str | None, pages: int) -> int:
    if page is None or page == "":
        return 1
    try:
        number = int(page)
    except ValueError:
        number = 0
    if not 1 <= number <= max(pages, 1):
        raise ApplicationError(
            _("There is no page %(page)s: the pages run from 1 to %(pages)s.")
            % {"page": str(page)[:20], "pages": max(pages, 1)},
            detail={"field": "page"},
        )
    return number


def flight_detail(
    *,
    user: Any,
    flight_id: uuid.UUID | str,
    purpose: str = "view",
    page: int | str | None = 1,
    per_page: int = PEOPLE_PER_PAGE,
    people: str = "all",
) -> FlightDetail:
    """A flight with its lists and versions, the people on the current lists (a page of them: `page`,
    `per_page`, and `people` all, presented or not_presented), counts by nationality, the hits to prepare
    for, what the latest versions changed, and the reconciliation with arrivals. Bad paging is a 400."""
    if people not in PEOPLE_SHOWN:
        raise ApplicationError(
            _("people must be one of: %(choices)s.") % {"choices": ", ".join(PEOPLE_SHOWN)},
            detail={"field": "people"},
        )
    if not 1 <= per_page <= MAX_PEOPLE_PER_PAGE:
        raise ApplicationError(
            _("page_size must be between 1 and %(most)s.") % {"most": MAX_PEOPLE_PER_PAGE},
            detail={"field": "page_size"},
        )
    flight = flight_get(user=user, flight_id=flight_id)
    audit_write(
        action="read",
        object_type="manifests.flight",
        object_id=flight.pk,
        summary=f"{flight.designator} {purpose}",
    )
    lists = list(flight.lists.select_related("message").order_by("list_type", "-version"))
    current = {item.list_type: item for item in lists if item.is_current}
    persons = _persons(
        ManifestPerson.objects.filter(manifest_list__flight=flight, manifest_list__is_current=True)
    )
    by_nationality: dict[str, list[int]] = {}
    for person in persons:
        counts = by_nationality.setdefault(person.nationality or "—", [0, 0])
        counts[0 if person.role == ListType.PASSENGER else 1] += 1
    nationalities = sorted(
        ((code, counts[0], counts[1]) for code, counts in by_nationality.items()),
        key=lambda row: (-row[1] - row[2], row[0]),
    )
    # Officers never see what a watchlist holds, only their own hits at the desk: the flight's hits (which
    # alert, whom it names) are for the supervisors who adjudicate them.
    hits_hidden = not has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR)
    shown = [] if hits_hidden else persons
    now = screening_adapter.hits_now([hit["id"] for person in shown for hit in person.hits])
    hits = [
        HitRow(
            person=person,
            hit_id=hit["id"],
            status=now[hit["id"]].status if hit["id"] in now else hit.get("status") or screening_adapter.OPEN,
            # As the hit reads now, in the reader's language; as stored when the list was screened otherwise.
            summary=now[hit["id"]].description if hit["id"] in now else hit.get("summary", ""),
            url=screening_adapter.hit_url(hit["id"]),
        )
        for person in shown
        for hit in person.hits
    ]
    warnings: list[dict[str, Any]] = []
    for item in current.values():
        warnings.extend(item.message.warnings)
    shown = {
        "all": persons,
        "presented": [person for person in persons if person.crossing_id is not None],
        "not_presented": [person for person in persons if person.crossing_id is None],
    }[people]
    paginator = Paginator(shown, per_page)
    reconciliation = _reconcile(flight, persons)
    waiting = reconciliation.not_presented or reconciliation.awaited
    return FlightDetail(
        flight=flight,
        lists=lists,
        current=current,
        persons=persons,
        people=paginator.page(_page_number(page, paginator.num_pages)),
        people_shown=people,
        nationalities=nationalities,
        hits=hits,
        changes={list_type: list_changes(manifest_list=item) for list_type, item in current.items()},
        reconciliation=reconciliation,
        waiting_shown=waiting[:RECONCILIATION_ROWS],
        waiting_more=max(len(waiting) - RECONCILIATION_ROWS, 0),
        warnings=warnings,
        hits_hidden=hits_hidden,
    )


def _reconcile(flight: Flight, persons: list[ManifestPerson]) -> Reconciliation:
    from corredor.border.models import Crossing

    before, after = FLIGHT_WINDOW
    candidates = (
        Crossing.objects.filter(
            post_id=flight.post_id,
            direction="entry" if flight.direction == Direction.ARRIVAL else "exit",
            occurred_at__range=(flight.expected_at - before, flight.expected_at + after),
            corrected_by__isnull=True,
        )
        .exclude(transport_reference="")
        .exclude(
            Exists(
                ManifestPerson.objects.filter(Q(crossing=OuterRef("pk")) | Q(crossing=OuterRef("corrects")))
            )
        )
        .select_related("traveller", "document")
        .order_by("occurred_at")
    )
    designator = (flight.carrier, flight.number)
    not_on_list = [c for c in candidates if keys.flight_designator(c.transport_reference) == designator]
    presented = [p for p in persons if p.crossing_id is not None]
    stage = flight_stage(flight, someone_presented=bool(presented))
    waiting = [p for p in persons if p.crossing_id is None]
    return Reconciliation(
        stage=stage,
        presented=presented,
        not_presented=waiting if stage == Stage.PROCESSED else [],
        awaited=waiting if stage == Stage.LANDED else [],
        not_on_list=not_on_list,
    )


def manifest_list_get(*, user: Any, list_id: uuid.UUID | str) -> ManifestList:
    manifest_list = ManifestList.objects.select_related("flight", "message").filter(pk=list_id).first()
    if manifest_list is None:
        raise NotFound(_("No passenger list with this id."))
    permit_flights(user, manifest_list.flight.post_id)
    return manifest_list


# --- interactive API ----------------------------------------------------------------------------------------


def boarding_decisions(*, manifest_list: ManifestList) -> list[tuple[ManifestPerson, BoardingDecision]]:
    """What to tell the airline about each person on the list: do not board when a hit was confirmed, contact
    the authority while a hit is open, board otherwise (also when screening could not run: the traveller is
    screened again at the desk)."""
    persons = list(ManifestPerson.objects.filter(manifest_list=manifest_list).order_by("position"))
    statuses = screening_adapter.hit_states(hit for person in persons for hit in person.hits)
    decisions = []
    for person in persons:
        states = {statuses.get(hit["id"], hit.get("status")) for hit in person.hits}
        if screening_adapter.TRUE_MATCH in states:
            decision = BoardingDecision.DO_NOT_BOARD
        elif states - {screening_adapter.FALSE_MATCH}:
            decision = BoardingDecision.CONTACT_AUTHORITY
        else:
            decision = BoardingDecision.BOARD
        decisions.append((person, decision))
    return decisions


def manifest_cusres(*, manifest_list: ManifestList) -> str:
    """The CUSRES answering the list: one response per person the airline can name (passenger or booking
    reference)."""
    flight = manifest_list.flight
    departure = (
        datetime.combine(flight.departure_date, flight.departure_time) if flight.departure_time else None
    )
    arrival = (
        datetime.combine(flight.arrival_date, flight.arrival_time)
        if flight.arrival_date and flight.arrival_time
        else None
    )
    responses = [
        BoardingResponse(
            decision=decision,
            passenger_reference=person.passenger_reference or None,
            booking_references=list(person.booking_references),
        )
        for person, decision in boarding_decisions(manifest_list=manifest_list)
        if person.passenger_reference or person.booking_references
    ]
    return write_cusres(
        responses,
        flight=PaxlstFlight(
            carrier=flight.carrier,
            number=flight.number,
            legs=[
                Leg(
                    departure_airport=flight.departure_airport,
                    departure_time=departure,
                    arrival_airport=flight.arrival_airport,
                    arrival_time=arrival,
                )
            ],
        ),
        request_reference=manifest_list.message_reference or str(manifest_list.pk)[:14],
        sender=f"{settings.CORREDOR_COUNTRY}API",
        recipient=flight.carrier,
        prepared_at=timezone.localtime().replace(tzinfo=None, second=0, microsecond=0),
        message_reference=str(manifest_list.version),
        version=manifest_list.directory or "D05B",
    )


# --- API coverage -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """Arrivals by air of one carrier at the post(s), and how many were on an API list."""

    carrier: str
    arrivals: int
    on_list: int

    @property
    def share(self) -> float | None:
        return self.on_list / self.arrivals if self.arrivals else None


@dataclass
class Coverage:
    post: str | None
    date_from: date
    date_to: date
    rows: list[CoverageRow]
    total: CoverageRow


def api_coverage(*, user: Any, post: str | None, date_from: date, date_to: date) -> Coverage:
    """The share of arrivals by air (entries at a post, any decision, corrections counted once) that were
    on an API list, per carrier: the flight's carrier when the crossing is linked to a list, else the
    carrier of the flight the officer recorded, else "" (not known)."""
    from corredor.border.models import Crossing

    check_period(date_from=date_from, date_to=date_to)
    post = permit_coverage(user, post)
    if post:
        post = post_check(post)
    linked = ManifestPerson.objects.filter(Q(crossing=OuterRef("pk")) | Q(crossing=OuterRef("corrects")))
    crossings = Crossing.objects.filter(
        direction="entry",
        transport="air",
        corrected_by__isnull=True,
        occurred_at__gte=start_of_day(date_from),
        occurred_at__lt=start_of_day(date_to + timedelta(days=1)),
    )
    if post:
        crossings = crossings.filter(post_id=post)
    rows = crossings.annotate(
        list_carrier=Subquery(linked.values("manifest_list__flight__carrier")[:1])
    ).values_list("transport_reference", "list_carrier")
    arrivals: Counter[str] = Counter()
    on_list: Counter[str] = Counter()
    for reference, list_carrier in rows.iterator(chunk_size=5000):
        if list_carrier:
            carrier = list_carrier
            on_list[carrier] += 1
        else:
            designator = keys.flight_designator(reference)
            carrier = designator[0] if designator else ""
        arrivals[carrier] += 1
    result = [CoverageRow(carrier, arrivals[carrier], on_list[carrier]) for carrier in arrivals]
    result.sort(key=lambda row: (-row.arrivals, row.carrier))
    total = CoverageRow("", sum(arrivals.values()), sum(on_list.values()))
    audit_write(
        action="read",
        object_type="manifests.coverage",
        object_id=post or "all",
        summary=f"API coverage {date_from}..{date_to}",
    )
    return Coverage(post=post, date_from=date_from, date_to=date_to, rows=result, total=total)
