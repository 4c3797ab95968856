"""Every write of passenger lists: receive a message (API, folder, demo), link a crossing to the list entry of
the traveller who presented, and carrier accounts.

Receiving a message: read it (a message that cannot be read, or may have been cut short, is refused with
the place of the error and nothing is stored), find each list's flight and border post, refuse a carrier
account sending another carrier's flight, then in one short transaction store the message as received, the
flight, the list as the next version of that flight's list (the same list again is a duplicate and changes
nothing), its people and their documents; then screen the people who are new or changed, a batch at a time.

Why screening comes after the store, in batches, and not inside the store's transaction: on SQLite a
transaction holds the database's one write lock from its start, and screening 500 passengers against a big
watchlist takes seconds; every crossing recorded at the desk meanwhile waited for the whole list. Now the
index lookups run with no transaction open, and each batch's hits and statuses are written in a
transaction of a few milliseconds. Someone on a list waits to be screened for those seconds
("not screened", with a note saying so), and a process that dies in between leaves them so, for
`corredor manifests rescreen`.
"""

import hashlib
import json
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError
from corredor.core.models import BorderPost, Role, User
from corredor.manifests import keys, screening_adapter
from corredor.manifests.models import (
    CarrierAccount,
    Direction,
    Flight,
    ManifestDocument,
    ManifestList,
    ManifestMessage,
    ManifestPerson,
    ScreeningStatus,
    Source,
)
from corredor.manifests.permissions import permit_carrier, permit_send
from corredor.paxlst import Message, ParseResult, PaxlstError, Person, read_paxlst

# When a traveller at the desk is looked for on the lists: arrivals from 3 hours before the flight's
# scheduled arrival (early landings) to 12 hours after it (delays, queues); departures from 24 hours before
# the scheduled departure to 1 hour after it.
ARRIVAL_WINDOW = (timedelta(hours=3), timedelta(hours=12))
DEPARTURE_WINDOW = (timedelta(hours=24), timedelta(hours=1))
# Crossings that name the flight (transport reference) count for it from 6 hours before its scheduled time
# to 12 hours after: "presented and not on the list".
FLIGHT_WINDOW = (timedelta(hours=6), timedelta(hours=12))
# People screened per batch after a list is stored: a desk's crossing waits at most for one batch's writes.
SCREENING_BATCH = 50


@dataclass
class ReceivedList:
    """One list of a received message: stored (a first version), replaced (a later version) or duplicate."""

    manifest_list: ManifestList
    status: str


@dataclass
class Receipt:
    """What receiving a message did. `message` is the stored message, or the earlier one this duplicates."""

    status: str
    message: ManifestMessage | None
    lists: list[ReceivedList] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Plan:
    """A list read from the message, with its flight named and placed at a post (nothing stored yet)."""

    message: Message
    carrier: str
    number: str
    departure_airport: str
    departure_date: date
    departure_time: time | None
    arrival_airport: str
    arrival_date: date | None
    arrival_time: time | None
    direction: str
    post: BorderPost
    expected_at: datetime


# --- carrier accounts ---------------------------------------------------------------------------------------


@transaction.atomic
def carrier_account_create(*, username: str, carrier: str, name: str = "") -> CarrierAccount:
    """A carrier account: the user (made when missing, with no password: it sends with an API token only)
    may send lists of `carrier`'s flights.
    """
    carrier = carrier.strip().upper()
    if not (2 <= len(carrier) <= 3 and carrier.isalnum()):
        raise ApplicationError(
            _("A carrier is its IATA (2) or ICAO (3) designator, not %(code)r.") % {"code": carrier},
            detail={"field": "carrier"},
        )
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=Role.CARRIER, first_name=name[:150])
        user.set_unusable_password()
        user.save()
    account, _created = CarrierAccount.objects.get_or_create(
        user=user, carrier=carrier, defaults={"name": name}
    )
    if not account.active:
        account.active = True
        account.save(update_fields=["active"])
    return account


# --- receiving ----------------------------------------------------------------------------------------------


def _read(data: bytes, *, today: date) -> ParseResult:
    try:
        # `complete`: a list cut in transit (no UNT or UNZ, counts that disagree) must not replace the whole
        # list it would otherwise pass for.
        return read_paxlst(data, today=today, complete=True)
    except PaxlstError as error:
        raise ApplicationError(
            _("The message cannot be read as PAXLST: %(error)s") % {"error": str(error)},
            detail=error.as_json(),
        ) from None


def _aware(moment: datetime, zone: str) -> datetime:
    return timezone.make_aware(moment, zoneinfo.ZoneInfo(zone))


def _plan(message: Message, posts: dict[str, BorderPost]) -> _Plan:
    flight = message.flight
    where = {"segment": message.segment, "tag": "TDT"}
    if not flight.carrier or not flight.number:
        raise ApplicationError(_("The list does not say which carrier's flight it is (TDT)."), detail=where)
    legs = flight.legs
    chosen = next((leg for leg in legs if leg.arrival_airport in posts), None)
    direction = Direction.ARRIVAL
    if chosen is None:
        chosen = next((leg for leg in legs if leg.departure_airport in posts), None)
        direction = Direction.DEPARTURE
    if chosen is None:
        raise ApplicationError(
            _("Flight %(flight)s (%(route)s) neither arrives at nor leaves from a border post here.")
            % {
                "flight": flight.designator,
                "route": " ".join(f"{leg.departure_airport}-{leg.arrival_airport}" for leg in legs) or "?",
            },
            detail={**where, "tag": "LOC"},
        )
    departure, arrival = chosen.departure_time, chosen.arrival_time
    if departure is None and arrival is None:
        raise ApplicationError(
            _("The list gives no date for flight %(flight)s (DTM 189 or 232).")
            % {"flight": flight.designator},
            detail={**where, "tag": "DTM"},
        )
    post_code = chosen.arrival_airport if direction == Direction.ARRIVAL else chosen.departure_airport
    post = posts[post_code or ""]  # the chosen leg's airport is one of the posts
    at_post = arrival if direction == Direction.ARRIVAL else departure
    # Times are local at each airport; only the post's own time zone is known here.
    if at_post is None:
        at_post = datetime.combine((departure or arrival).date(), time(12))  # type: ignore[union-attr]
    return _Plan(
        message=message,
        carrier=flight.carrier,
        number=flight.number,
        departure_airport=chosen.departure_airport or "",
        departure_date=(departure or arrival).date(),  # type: ignore[union-attr]
        departure_time=departure.time() if departure else None,
        arrival_airport=chosen.arrival_airport or "",
        arrival_date=arrival.date() if arrival else None,
        arrival_time=arrival.time() if arrival else None,
        direction=direction,
        post=post,
        expected_at=_aware(at_post, post.timezone),
    )


def _content_hash(message: Message) -> str:
    """The list's content, without its envelope (references, sender, time of sending): the same list sent
    again in a new interchange hashes the same."""
    persons = [person.as_json() for person in message.persons]
    for person in persons:
        person.pop("segment", None)
    payload = {"list_type": message.list_type, "flight": message.flight.as_json(), "persons": persons}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def manifest_receive(
    *,
    data: bytes,
    source: str,
    sender: Any = None,
    filename: str = "",
    received_at: datetime | None = None,
) -> Receipt:
    """Receive one PAXLST interchange: store it and its lists, screen everyone on them.

    `source` "api" needs `sender`, a user with a carrier account for every flight in the message. The same
    bytes again, or the same lists again, are a duplicate (status "duplicate", nothing changes). A message
    that cannot be read, or names a flight that neither arrives at nor leaves from a post here, is refused
    (ApplicationError, 400, located) and nothing is stored.
    """
    if source not in Source.values:
        raise ApplicationError(f"unknown source {source!r}")
    allowed = permit_send(sender) if source == Source.API else None
    received_at = received_at or timezone.now()
    digest = hashlib.sha256(data).hexdigest()
    result = _read(data, today=timezone.localdate(received_at))
    posts = {post.code: post for post in BorderPost.objects.filter(active=True)}
    plans = [_plan(message, posts) for message in result.messages]
    if allowed is not None:
        for plan in plans:
            permit_carrier(sender, allowed, carrier=plan.carrier, flight=f"{plan.carrier}{plan.number}")
    # Only now, once the sender may send every flight in it: a duplicate's receipt (and its CUSRES) names
    # the earlier message, which another carrier's account must not be handed back for resending its bytes.
    earlier = ManifestMessage.objects.filter(sha256=digest).first()
    if earlier is not None:
        return _duplicate(earlier)
    warnings = [warning.as_json() for warning in result.warnings]
    account = None
    if allowed is not None:
        account = CarrierAccount.objects.filter(user=sender, carrier=plans[0].carrier, active=True).first()
    for attempt in (1, 2):
        # The rows are made before the transaction opens (and afresh for a second attempt): the write lock is
        # held for the writes only.
        rows = [_rows(plan) for plan in plans]
        try:
            receipt = _store(
                plans,
                rows,
                data=data,
                digest=digest,
                source=source,
                account=account,
                filename=filename,
                received_at=received_at,
                syntax=result.syntax or "",
                warnings=warnings,
            )
        except IntegrityError:
            # The same flight (or the same bytes) stored by a concurrent receipt: once more, it is found.
            if attempt == 2:
                raise ApplicationError(
                    _("The list was received twice at the same time; send it again."), status=409
                ) from None
            earlier = ManifestMessage.objects.filter(sha256=digest).first()
            if earlier is not None:
                return _duplicate(earlier)
            continue
        for item in receipt.lists:
            if item.status != "duplicate":
                _screen_list(item.manifest_list)
        return receipt
    raise AssertionError("unreachable")


def _duplicate(earlier: ManifestMessage) -> Receipt:
    return Receipt(
        status="duplicate",
        message=earlier,
        lists=[ReceivedList(item, "duplicate") for item in earlier.lists.select_related("flight")],
        warnings=earlier.warnings,
    )


@transaction.atomic
def _store(
    plans: list[_Plan],
    rows: list[list[ManifestPerson]],
    *,
    data: bytes,
    digest: str,
    source: str,
    account: CarrierAccount | None,
    filename: str,
    received_at: datetime,
    syntax: str,
    warnings: list[dict[str, Any]],
) -> Receipt:
    stored: ManifestMessage | None = None
    lists: list[ReceivedList] = []
    for plan, plan_rows in zip(plans, rows, strict=True):
        flight = _flight_find(plan)
        content = _content_hash(plan.message)
        same = None
        if flight is not None:
            same = (
                ManifestList.objects.filter(
                    flight=flight, list_type=plan.message.list_type, content_sha256=content
                )
                .order_by("-version")
                .first()
            )
        if same is not None:
            lists.append(ReceivedList(same, "duplicate"))
            continue
        if stored is None:
            stored = ManifestMessage.objects.create(
                received_at=received_at,
                source=source,
                carrier_account=account,
                filename=filename[:255],
                raw=data,
                sha256=digest,
                syntax=syntax,
                warnings=warnings,
            )
        flight = _flight_store(plan, flight)
        manifest_list = _list_store(
            flight=flight, plan=plan, rows=plan_rows, message=stored, content=content, received_at=received_at
        )
        lists.append(ReceivedList(manifest_list, "replaced" if manifest_list.replaces_id else "stored"))
    if stored is None:
        return Receipt(
            status="duplicate", message=lists[0].manifest_list.message, lists=lists, warnings=warnings
        )
    return Receipt(status="stored", message=stored, lists=lists, warnings=warnings)


def _flight_find(plan: _Plan) -> Flight | None:
    return (
        Flight.objects.select_for_update()
        .filter(
            carrier=plan.carrier,
            number=plan.number,
            departure_date=plan.departure_date,
            departure_airport=plan.departure_airport,
        )
        .first()
    )


def _flight_store(plan: _Plan, flight: Flight | None) -> Flight:
    schedule = {
        "departure_time": plan.departure_time,
        "arrival_airport": plan.arrival_airport,
        "arrival_date": plan.arrival_date,
        "arrival_time": plan.arrival_time,
        "direction": plan.direction,
        "post": plan.post,
        "expected_at": plan.expected_at,
    }
    if flight is None:
        return Flight.objects.create(
            carrier=plan.carrier,
            number=plan.number,
            departure_airport=plan.departure_airport,
            departure_date=plan.departure_date,
            **schedule,
        )
    # A later list may carry a new schedule (a delay): the latest list's times are the flight's.
    changed = [name for name, value in schedule.items() if getattr(flight, name) != value]
    if changed:
        for name in changed:
            setattr(flight, name, schedule[name])
        flight.save(update_fields=changed)
    return flight


def _documents(person: Person) -> list[tuple[str, str, str, date | None]]:
    return [
        (
            document.type.strip().upper()[:3] or "P",
            keys.document_number(document.number)[:35],
            keys.icao_code(document.issuing_state)[:3],
            document.expiry_date,
        )
        for document in person.documents
        if keys.document_number(document.number)
    ]


def _rows(plan: _Plan) -> list[ManifestPerson]:
    """The list's people as rows, not yet saved nor attached to a list (keys made unique)."""
    rows = [_person_row(person, index) for index, person in enumerate(plan.message.persons, 1)]
    _unique_keys(rows)
    for row in rows:
        row.screening_status = ScreeningStatus.NOT_SCREENED
        row.screening_note = _("Waiting to be screened.")
    return rows


def _person_row(person: Person, position: int) -> ManifestPerson:
    documents = _documents(person)
    nationality = keys.icao_code(person.nationality)[:3]
    row = ManifestPerson(
        position=position,
        role=person.role,
        in_transit=person.in_transit,
        surname=person.surname[:120],
        given_names=person.given_names[:120],
        name_key=keys.name_key(person.surname)[:120],
        sex=person.sex or "",
        birth_date=person.birth_date,
        nationality=nationality,
        residence_country=keys.icao_code(person.residence_country)[:3],
        embarkation=(person.embarkation or "")[:5],
        debarkation=(person.debarkation or "")[:5],
        booking_references=list(person.booking_references),
        passenger_reference=(person.passenger_reference or "")[:35],
        seat=(person.seat or "")[:5],
        crew_function=(person.crew_function or "")[:5],
        key=keys.person_key(
            role=person.role,
            documents=[(state, number) for _type, number, state, _expiry in documents],
            surname=person.surname,
            given_names=person.given_names,
            birth_date=person.birth_date,
        )[:200],
        fingerprint=keys.fingerprint(
            {
                "surname": person.surname,
                "given_names": person.given_names,
                "birth_date": person.birth_date,
                "nationality": nationality,
                "sex": person.sex,
                "documents": [(state, number) for _type, number, state, _expiry in documents],
            }
        ),
    )
    row._documents = [  # type: ignore[attr-defined]
        ManifestDocument(
            person=row, document_type=kind, number=number, issuing_state=state, expiry_date=expiry
        )
        for kind, number, state, expiry in documents
    ]
    return row


def _list_store(
    *,
    flight: Flight,
    plan: _Plan,
    rows: list[ManifestPerson],
    message: ManifestMessage,
    content: str,
    received_at: datetime,
) -> ManifestList:
    list_type = plan.message.list_type
    current = ManifestList.objects.filter(flight=flight, list_type=list_type, is_current=True).first()
    last_version = (
        ManifestList.objects.filter(flight=flight, list_type=list_type).aggregate(Max("version"))[
            "version__max"
        ]
        or 0
    )
    manifest_list = ManifestList(
        flight=flight,
        message=message,
        list_type=list_type,
        version=last_version + 1,
        is_current=True,
        replaces=current,
        received_at=received_at,
        message_reference=plan.message.reference[:35],
        directory=(plan.message.version or "")[:10],
        document_id=(plan.message.document_id or "")[:35],
        reporting_party=(plan.message.reporting_party or "")[:100],
        content_sha256=content,
        declared_count=(
            plan.message.declared_passengers if list_type == "passenger" else plan.message.declared_crew
        ),
    )
    for row in rows:
        row.manifest_list = manifest_list
    manifest_list.person_count = len(rows)
    if current is not None:
        previous = {
            row.key: row
            for row in ManifestPerson.objects.filter(manifest_list=current).only(
                "key",
                "fingerprint",
                "screening_ref",
                "screening_status",
                "screening_note",
                "hits",
                "crossing_id",
            )
        }
        new_keys = {row.key for row in rows}
        manifest_list.added_count = len(new_keys - previous.keys())
        manifest_list.removed_count = len(previous.keys() - new_keys)
        manifest_list.changed_count = 0
        for row in rows:
            before = previous.get(row.key)
            if before is None:
                continue
            row.crossing_id = before.crossing_id
            if before.fingerprint == row.fingerprint:
                # Nothing screening looks at changed: the earlier screening (and its hits) stands.
                row.screening_ref = before.screening_ref
                row.screening_status = before.screening_status
                row.screening_note = before.screening_note
                row.hits = before.hits
                row._carried = True  # type: ignore[attr-defined]
            else:
                manifest_list.changed_count += 1
        ManifestList.objects.filter(pk=current.pk).update(is_current=False)
    _link_earlier_crossings(flight, rows)
    manifest_list.save()
    ManifestPerson.objects.bulk_create(rows, batch_size=500)
    ManifestDocument.objects.bulk_create(
        [document for row in rows for document in row._documents],  # type: ignore[attr-defined]
        batch_size=500,
    )
    return manifest_list


def _unique_keys(rows: list[ManifestPerson]) -> None:
    # An airline that lists the same passport twice still has two entries to compare.
    seen: dict[str, int] = {}
    for row in rows:
        count = seen.get(row.key, 0)
        seen[row.key] = count + 1
        if count:
            row.key = f"{row.key}#{count + 1}"[:200]


def _subject(row: ManifestPerson) -> screening_adapter.Subject:
    documents = row._documents  # type: ignore[attr-defined]
    first = documents[0] if documents else None
    return screening_adapter.Subject(
        ref=str(row.screening_ref),
        surname=row.surname,
        given_names=row.given_names,
        birth_date=row.birth_date,
        nationality=row.nationality,
        sex=row.sex,
        document_number=first.number if first else "",
        issuing_state=first.issuing_state if first else "",
    )


def _screen(rows: Sequence[ManifestPerson], *, post_code: str) -> None:
    outcomes = screening_adapter.screen([_subject(row) for row in rows], post_code=post_code)
    for row in rows:
        outcome = outcomes.get(str(row.screening_ref))
        if outcome is None:
            continue
        row.screening_status = outcome.status
        row.screening_note = outcome.note[:200]
        row.hits = outcome.hits


def _screen_list(manifest_list: ManifestList) -> int:
    """Screen the people of a stored list who are not screened yet, SCREENING_BATCH at a time; returns how
    many were screened. No transaction is held across the batches (see the module's docstring)."""
    pending = list(
        ManifestPerson.objects.filter(
            manifest_list=manifest_list, screening_status=ScreeningStatus.NOT_SCREENED
        )
        .order_by("position")
        .prefetch_related(Prefetch("documents", queryset=ManifestDocument.objects.order_by("pk")))
    )
    post_code = Flight.objects.filter(pk=manifest_list.flight_id).values_list("post_id", flat=True).get()
    screened = 0
    for start in range(0, len(pending), SCREENING_BATCH):
        batch = pending[start : start + SCREENING_BATCH]
        for row in batch:
            row._documents = list(row.documents.all())  # type: ignore[attr-defined]
        _screen(batch, post_code=post_code)
        _save_screening(batch)
        screened += sum(1 for row in batch if row.screening_status != ScreeningStatus.NOT_SCREENED)
    return screened


def _save_screening(rows: list[ManifestPerson]) -> None:
    # One UPDATE per distinct outcome (nearly everyone is "clear"): Django's bulk_update builds a CASE per
    # row and field, which costs more than screening the batch, inside the write lock.
    same: dict[tuple[str, str], list[Any]] = {}
    with transaction.atomic():
        for row in rows:
            if row.hits:
                ManifestPerson.objects.filter(pk=row.pk).update(
                    screening_status=row.screening_status, screening_note=row.screening_note, hits=row.hits
                )
            else:
                same.setdefault((row.screening_status, row.screening_note), []).append(row.pk)
        for (status, note), pks in same.items():
            ManifestPerson.objects.filter(pk__in=pks).update(
                screening_status=status, screening_note=note, hits=[]
            )


def manifest_rescreen(*, flights: Iterable[Flight]) -> int:
    """Screen again the people of the flights' current lists who were not screened (the screening app was
    not installed, or failed, or the process stopped before their turn). Returns how many were screened."""
    screened = 0
    for flight in flights:
        done = sum(
            _screen_list(manifest_list)
            for manifest_list in ManifestList.objects.filter(flight=flight, is_current=True)
        )
        screened += done
        if done:
            audit_write(
                action="update",
                object_type="manifests.flight",
                object_id=flight.pk,
                summary=f"{done} people on {flight.designator} screened again",
            )
    return screened


# --- the desk -----------------------------------------------------------------------------------------------


def _window_filter(at: datetime, direction: str | None) -> Q:
    """Flights whose scheduled time is close enough to `at` for a traveller of theirs to be at the desk."""
    arrival_before, arrival_after = ARRIVAL_WINDOW
    departure_before, departure_after = DEPARTURE_WINDOW
    arriving = Q(
        flight__direction=Direction.ARRIVAL,
        flight__expected_at__range=(at - arrival_after, at + arrival_before),
    )
    leaving = Q(
        flight__direction=Direction.DEPARTURE,
        flight__expected_at__range=(at - departure_after, at + departure_before),
    )
    if direction == Direction.ARRIVAL:
        return arriving
    if direction == Direction.DEPARTURE:
        return leaving
    return arriving | leaving


def expected_entries(
    *,
    post_code: str,
    issuing_state: str,
    number: str,
    surname: str,
    given_names: str,
    birth_date: date | None,
    at: datetime,
    direction: str | None = None,
) -> list[ManifestPerson]:
    """The entries of current lists of flights at the post, around `at`, that name this traveller: by
    document (number and issuing state), or else by surname, given names and birth date. Closest flight
    first. No permission check: the desk has checked the officer's post."""
    # First the lists of the flights around now, a small query that most crossings (land posts, quiet
    # hours) end with; then the people on those lists only.
    lists = list(
        ManifestList.objects.filter(is_current=True, flight__post_id=post_code)
        .filter(_window_filter(at, direction))
        .values_list("pk", flat=True)
    )
    if not lists:
        return []
    base = ManifestPerson.objects.filter(manifest_list_id__in=lists).select_related("manifest_list__flight")
    number = keys.document_number(number)
    state = keys.icao_code(issuing_state)
    found = (
        list(
            base.filter(documents__number=number)
            .filter(Q(documents__issuing_state=state) | Q(documents__issuing_state=""))
            .distinct()
        )
        if number
        else []
    )
    if not found and birth_date is not None and surname:
        found = [
            person
            for person in base.filter(name_key=keys.name_key(surname), birth_date=birth_date)
            if keys.given_names_agree(person.given_names, given_names)
        ]
    found.sort(key=lambda person: abs((person.manifest_list.flight.expected_at - at).total_seconds()))
    return found


def crossing_link(*, crossing: Any) -> ManifestPerson | None:
    """Link a crossing just recorded to the list entry of the traveller, when they were on a list of a flight
    arriving at (or leaving from) the post around that time. Returns the entry linked, or None."""
    direction = Direction.ARRIVAL if crossing.direction == "entry" else Direction.DEPARTURE
    document = crossing.document
    candidates = [
        person
        for person in expected_entries(
            post_code=crossing.post_id,
            issuing_state=document.issuing_state_id,
            number=document.number,
            surname=document.surname,
            given_names=document.given_names,
            birth_date=document.birth_date,
            at=crossing.occurred_at,
            direction=direction,
        )
        if person.crossing_id is None
    ]
    for person in candidates:
        if ManifestPerson.objects.filter(pk=person.pk, crossing__isnull=True).update(crossing=crossing):
            audit_write(
                action="update",
                object_type="manifests.manifestperson",
                object_id=person.pk,
                summary=f"presented: crossing {crossing.pk} on {person.manifest_list.flight.designator}",
            )
            person.crossing = crossing
            return person
    return None


def _link_earlier_crossings(flight: Flight, rows: list[ManifestPerson]) -> None:
    """A list that arrives after some of its travellers presented (a late batch file): link them now."""
    from corredor.border.models import Crossing

    waiting = [row for row in rows if row.crossing_id is None]
    if not waiting or flight.expected_at - ARRIVAL_WINDOW[0] > timezone.now():
        return
    before, after = ARRIVAL_WINDOW if flight.direction == Direction.ARRIVAL else DEPARTURE_WINDOW
    crossings = list(
        Crossing.objects.filter(
            post_id=flight.post_id,
            direction="entry" if flight.direction == Direction.ARRIVAL else "exit",
            occurred_at__range=(flight.expected_at - before, flight.expected_at + after),
        )
        .exclude(manifest_entries__manifest_list__is_current=True)
        .select_related("document")
    )
    if not crossings:
        return
    by_document = {(c.document.issuing_state_id, c.document.number): c for c in crossings}
    by_name = {(keys.name_key(c.document.surname), c.document.birth_date): c for c in crossings}
    used: set[Any] = set()
    for row in waiting:
        match = None
        for document in row._documents:  # type: ignore[attr-defined]
            match = by_document.get((document.issuing_state, document.number))
            if match is None and not document.issuing_state:
                match = next((c for (_s, n), c in by_document.items() if n == document.number), None)
            if match is not None:
                break
        if match is None and row.birth_date is not None:
            candidate = by_name.get((row.name_key, row.birth_date))
            if candidate is not None and keys.given_names_agree(
                candidate.document.given_names, row.given_names
            ):
                match = candidate
        if match is not None and match.pk not in used:
            used.add(match.pk)
            row.crossing_id = match.pk
