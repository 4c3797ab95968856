"""Demo passenger lists: today's and tomorrow's flights into SJO and LIR, with realistic PAXLST lists received
through the real receiving service (parsed, stored, screened), some travellers of the flights that have
landed already through the desk (`crossing_record`, so that reconciliation shows who did not present and who
presented without being on the list), one list sent twice (a later version with changes), one sloppy list
(with warnings), and one scripted passenger, expected on a flight that landed 40 minutes ago, whose MRZ the
README prints: scan it at the SJO desk to see "expected on flight CM412".

`seed(rng=..., now=...)` is called by `corredor demo` after the demo year is loaded; it needs the border posts
and their officers, and loads nothing when demo lists are already there.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from corredor.border.demo import name_pool, passport_mrz
from corredor.icao import build_mrz
from corredor.icao.build import transliterate_name
from corredor.paxlst import Document, Message, Person, make_crew_list, make_flight, write_paxlst


@dataclass(frozen=True)
class Route:
    """A scheduled service into a post: who flies it, from where, how long, who is on board."""

    carrier: str
    number: str
    origin: str
    post: str
    duration_minutes: int
    nationalities: dict[str, float]
    seats: int
    crew_nationality: str


_ROUTES: tuple[Route, ...] = (
    Route("UA", "1574", "IAH", "SJO", 245, {"USA": 80, "CRI": 10, "MEX": 5, "CAN": 5}, 160, "USA"),
    Route("AA", "1191", "MIA", "SJO", 165, {"USA": 70, "CRI": 15, "VEN": 5, "COL": 5, "CUB": 5}, 170, "USA"),
    Route("CM", "412", "PTY", "SJO", 80, {"PAN": 25, "COL": 20, "CRI": 15, "VEN": 15, "USA": 15, "ECU": 10},
          150, "PAN"),
    Route("AV", "632", "SAL", "SJO", 95, {"SLV": 40, "GTM": 25, "HND": 15, "CRI": 10, "NIC": 10}, 120, "SLV"),
    Route("AM", "650", "MEX", "SJO", 150, {"MEX": 70, "CRI": 15, "USA": 10, "CUB": 5}, 140, "MEX"),
    Route("IB", "6313", "MAD", "SJO", 630, {"ESP": 60, "CRI": 15, "D": 10, "FRA": 10, "GBR": 5}, 280, "ESP"),
    Route("DL", "557", "ATL", "SJO", 250, {"USA": 85, "CRI": 10, "CAN": 5}, 170, "USA"),
    Route("AC", "1860", "YYZ", "LIR", 330, {"CAN": 80, "USA": 15, "CRI": 5}, 150, "CAN"),
    Route("WN", "1717", "HOU", "LIR", 235, {"USA": 90, "CAN": 5, "MEX": 5}, 140, "USA"),
    Route("UA", "1622", "IAH", "LIR", 235, {"USA": 85, "CAN": 10, "CRI": 5}, 150, "USA"),
)  # fmt: skip

# Today's flights, hours from now (negative: landed already), and tomorrow's at local times.
_TODAY: tuple[tuple[int, float], ...] = (
    (0, -7.0), (4, -4.5), (3, -2.5), (2, -40 / 60), (1, 1.5), (6, 4.0), (5, 7.0),
    (7, -5.0), (8, -1.5), (9, 3.0),
)  # fmt: skip
_TOMORROW: tuple[tuple[int, str], ...] = (
    (2, "07:15"),
    (0, "11:40"),
    (4, "15:05"),
    (1, "19:30"),
    (7, "10:20"),
    (8, "14:50"),
)
_SCRIPTED_ROUTE = 2  # CM412 from Panama City, landed 40 minutes ago
_WATCHLISTED_ROUTE = 5  # IB6313 from Madrid, lands in 7 hours: a listed passenger to prepare for


@dataclass(frozen=True)
class ScriptedPassenger:
    """A passenger on the flight that landed 40 minutes ago, not yet at the desk: scan her MRZ."""

    surname: str = "WHITAKER"
    given_names: str = "EMILY ROSE"
    nationality: str = "USA"
    sex: str = "F"
    birth_date: date = date(1990, 2, 3)
    number: str = "571828182"
    expiry_date: date = date(2033, 8, 14)

    def mrz(self) -> str:
        return passport_mrz(self)

    def person(self, template: Person) -> Person:
        return _booked(
            template,
            surname=self.surname,
            given_names=self.given_names,
            sex=self.sex,
            birth_date=self.birth_date,
            nationality=self.nationality,
            residence=self.nationality,
            passport=(self.number, self.expiry_date),
            booking="WHT7QK",
            reference=f"{template.passenger_reference or 'CM'}S",
            seat="14C",
        )


def _booked(
    template: Person,
    *,
    surname: str,
    given_names: str,
    sex: str,
    birth_date: date,
    nationality: str,
    residence: str,
    passport: tuple[str, date],
    booking: str,
    reference: str,
    seat: str,
) -> Person:
    """A passenger of the demo's own, on the same leg as `template`, with a passport of their nationality."""
    number, expiry = passport
    return Person(
        role="passenger",
        surname=surname,
        given_names=given_names,
        sex=sex,  # type: ignore[arg-type]
        birth_date=birth_date,
        nationality=nationality,
        residence_country=residence,
        embarkation=template.embarkation,
        debarkation=template.debarkation,
        booking_references=[booking],
        passenger_reference=reference,
        seat=seat,
        documents=[Document(type="P", number=number, issuing_state=nationality, expiry_date=expiry)],
    )


SCRIPTED_PASSENGER = ScriptedPassenger()


def _watchlisted(template: Person) -> Person | None:
    """The screening demo's wanted traveller (the desk's scripted hit), booked on a flight not yet landed:
    the pre-arrival screening meets him, so the supervisors have a hit to prepare for. None without the
    screening app."""
    from django.apps import apps

    if not apps.is_installed("corredor.screening"):
        return None
    from corredor.screening.demo import SCRIPTED_HIT as hit

    return _booked(
        template,
        surname=_mrz_name(hit["surname"]),
        given_names=_mrz_name(hit["given_names"]),
        sex=hit["sex"],
        birth_date=hit["birth_date"],
        nationality=hit["nationality"],
        residence="ESP",
        passport=(hit["number"], hit["expiry_date"]),
        booking="RQ4M2X",
        reference=f"{template.passenger_reference or 'IB'}W",
        seat="31A",
    )


def _mrz_name(text: str) -> str:
    return transliterate_name(text).replace("<", " ")


def _rename(rng: random.Random, message: Message) -> None:
    """Names of each passenger's own tradition (make_flight's pool is one for everyone): a booking shares a
    surname, as families do."""
    surnames: dict[str, str] = {}
    for person in message.persons:
        pool = name_pool(person.nationality or "USA")
        booking = person.booking_references[0] if person.booking_references else str(id(person))
        if booking not in surnames or rng.random() < 0.2:
            parts = 2 if rng.random() < pool.two_surnames else 1
            surnames.setdefault(booking, " ".join(rng.sample(pool.surnames, parts)))
        names = pool.female if person.sex == "F" else pool.male
        given = rng.choice(names)
        if rng.random() < pool.two_given:
            given = f"{given} {rng.choice(names)}"
        person.surname = _mrz_name(
            surnames[booking].translate(_UMLAUTS) if pool.spell_umlauts else surnames[booking]
        )
        person.given_names = _mrz_name(given.translate(_UMLAUTS) if pool.spell_umlauts else given)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def _lists(rng: random.Random, route: Route, arrival: datetime, scale: float) -> tuple[Message, Message]:
    duration = timedelta(minutes=route.duration_minutes)
    passengers = max(3, round(rng.randint(int(route.seats * 0.45), int(route.seats * 0.9)) * scale))
    message = make_flight(
        rng,
        route.carrier,
        route.number,
        route.origin,
        route.post,
        arrival - duration,
        passengers,
        duration=duration,
        nationalities=route.nationalities,
    )
    _rename(rng, message)
    crew = make_crew_list(rng, message.flight, rng.randint(5, 9), nationalities=(route.crew_nationality,))
    _rename(rng, crew)
    return message, crew


def _sloppy(text: str, declared: int) -> str:
    """The list as a careless sender writes it: lower-case names, a wrong passenger count, junk after UNZ."""
    first = text.index("NAD+FL+++")
    end = text.index("'", first)
    text = text[:first] + text[first:end].lower().replace("nad+fl+++", "NAD+FL+++") + text[end:]
    text = text.replace(f"CNT+42:{declared}'", f"CNT+42:{declared + 2}'")
    return text + "\n-- end of transmission --\n"


_MRZ_FIELDS = (
    "document_code",
    "issuing_state",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)


def _document_input(person: Person) -> Any:
    from corredor.border.services import DocumentInput

    document = person.documents[0]
    doc = DocumentInput(
        document_code="P",
        issuing_state=document.issuing_state or "",
        number=document.number,
        surname=person.surname,
        given_names=person.given_names,
        nationality=person.nationality or "",
        birth_date=person.birth_date,
        sex=person.sex or "X",
        expiry_date=document.expiry_date,
    )
    # The desk reads the passport's MRZ, so the demo's arrivals carry one like every other demo document.
    mrz_fields = {name: getattr(doc, name) for name in _MRZ_FIELDS}
    mrz = build_mrz({**mrz_fields, "document_number": doc.number}, format="TD3")
    return replace(doc, mrz=mrz)


def _stranger(rng: random.Random, route: Route, on: date) -> Person:
    """A traveller who presents naming the flight without being on its list (a late rebooking)."""
    message = make_flight(
        rng, route.carrier, route.number, route.origin, route.post, datetime(on.year, on.month, on.day, 8), 1
    )
    _rename(rng, message)
    return message.persons[0]


def seed(*, rng: random.Random, now: datetime, scale: float = 1.0, record_arrivals: bool = True) -> str:
    """Receive the demo's flights' lists, record some arrivals of the flights that have landed; returns what
    to print (flights, and the scripted passenger's MRZ). `scale` shrinks the lists (tests)."""
    from django.db import transaction

    from corredor.border.services import crossing_record
    from corredor.core.audit import Actor, acting_as
    from corredor.core.errors import ApplicationError
    from corredor.core.models import BorderPost, User
    from corredor.manifests import services
    from corredor.manifests.models import ManifestMessage, Source

    if ManifestMessage.objects.filter(source=Source.DEMO).exists():
        return "Demo passenger lists are already loaded."
    posts = {post.code: post for post in BorderPost.objects.filter(code__in=("SJO", "LIR"), active=True)}
    if set(posts) != {"SJO", "LIR"}:
        return "No demo passenger lists: the posts SJO and LIR are not there."
    officers = {
        code: User.objects.filter(role="officer", border_post_id=code, is_active=True)
        .order_by("username")
        .first()
        for code in posts
    }
    for route in _ROUTES:
        services.carrier_account_create(username=f"api.{route.carrier.lower()}", carrier=route.carrier)

    def local(moment: datetime, post: str) -> datetime:
        return moment.astimezone(ZoneInfo(posts[post].timezone)).replace(tzinfo=None, second=0, microsecond=0)

    flights: list[tuple[Route, datetime, Message, Message]] = []
    watchlisted = ""
    for index, hours in _TODAY:
        route = _ROUTES[index]
        arrival = local(now + timedelta(hours=hours), route.post)
        arrival -= timedelta(minutes=arrival.minute % 5)  # timetables are in fives
        passengers, crew = _lists(rng, route, arrival, scale)
        if index == _SCRIPTED_ROUTE:
            passengers.persons.append(SCRIPTED_PASSENGER.person(passengers.persons[0]))
        listed = _watchlisted(passengers.persons[0]) if index == _WATCHLISTED_ROUTE else None
        if listed:
            passengers.persons.append(listed)
            watchlisted = f"{listed.surname}, {listed.given_names} on {passengers.flight.designator}"
        flights.append((route, arrival, passengers, crew))
    for index, clock in _TOMORROW:
        route = _ROUTES[index]
        tomorrow = local(now, route.post).date() + timedelta(days=1)
        arrival = datetime.combine(tomorrow, datetime.strptime(clock, "%H:%M").time())
        passengers, crew = _lists(rng, route, arrival, scale)
        flights.append((route, arrival, passengers, crew))

    lines: list[str] = []
    received = 0
    arrivals = 0
    with acting_as(Actor(username="cli", role="", origin="corredor demo")), transaction.atomic():
        for position, (route, arrival, passengers, crew) in enumerate(flights):
            zone = ZoneInfo(posts[route.post].timezone)
            departure = (arrival - timedelta(minutes=route.duration_minutes)).replace(tzinfo=zone)
            sent_at = min(now, departure + timedelta(minutes=15))
            text = write_paxlst([passengers, crew], line_breaks=True, prepared_at=local(sent_at, route.post))
            if position == 7:  # LIR's first flight comes from a careless sender
                text = _sloppy(text, len(passengers.persons))
            services.manifest_receive(
                data=text.encode("latin-1"),
                source=Source.DEMO,
                filename=f"{passengers.flight.designator}.edi",
                received_at=sent_at,
            )
            received += 2
            if position in (
                4,
                10,
            ):  # the airline sends a corrected list: two late bookings, one no-show removed
                passengers.persons.pop(rng.randrange(len(passengers.persons)))
                passengers.persons.extend(_stranger(rng, route, arrival.date()) for _ in range(2))
                services.manifest_receive(
                    data=write_paxlst(passengers, line_breaks=True, interchange_reference="2").encode(
                        "latin-1"
                    ),
                    source=Source.DEMO,
                    filename=f"{passengers.flight.designator}-2.edi",
                    received_at=min(now, sent_at + timedelta(minutes=25)),
                )
                received += 1
            lines.append(
                f"  {arrival:%Y-%m-%d %H:%M} {route.post} {passengers.flight.designator:<7} "
                f"from {route.origin}: "
                f"{len(passengers.persons)} passengers, {len(crew.persons)} crew"
            )
            landed_at = arrival.replace(tzinfo=zone)
            if not record_arrivals or landed_at + timedelta(minutes=20) > now:
                continue
            officer = officers[route.post]
            if officer is None:
                continue  # no officer at the post to record anyone
            # Most passengers of a flight that landed hours ago have presented; of a recent one, fewer.
            share = 0.9 if landed_at + timedelta(minutes=90) < now else 0.55
            people = [p for p in passengers.persons if p.surname != SCRIPTED_PASSENGER.surname]
            # Someone always misses the desk (a connection, a crew member who stays airside).
            presenting = rng.sample(people, k=min(len(people) - 1, round(share * len(people))))
            presenting += [p for p in crew.persons if rng.random() < share]
            strangers = [_stranger(rng, route, arrival.date()) for _ in range(rng.randint(1, 3))]
            presenting += strangers
            for person in presenting:
                at = landed_at + timedelta(minutes=rng.randint(15, 80))
                at = min(at, now - timedelta(minutes=1))
                category = (
                    "crew"
                    if person.role == "crew"
                    else "national"
                    if person.nationality == "CRI"
                    else "tourist"
                )
                try:
                    crossing_record(
                        officer=officer,
                        post_code=route.post,
                        direction="entry",
                        decision="admitted",
                        document=_document_input(person),
                        occurred_at=at,
                        stay_category=category,
                        transport="air",
                        # Officers do not always type the flight; for travellers not on the list they ask.
                        transport_reference=(
                            passengers.flight.designator if person in strangers or rng.random() < 0.8 else ""
                        ),
                        device_id=f"{route.post}-01",
                    )
                    arrivals += 1
                except ApplicationError:
                    continue  # a made-up passport number already on record for someone else: skip them
    scripted = SCRIPTED_PASSENGER
    return "\n".join(
        [
            f"Passenger lists: {received} lists for {len(flights)} flights into SJO and LIR, "
            f"{arrivals} arrivals of landed flights recorded at the desk:",
            *lines,
            "",
            "Expected on flight CM412 (landed 40 minutes ago at SJO): "
            f"{scripted.surname}, {scripted.given_names}."
            " Scan at the SJO desk within 12 hours to see 'Expected on flight CM412':",
            *(f"    {line}" for line in scripted.mrz().split("\n")),
            *(
                [
                    "",
                    f"Pre-arrival hit: {watchlisted} (lands at SJO in 7 hours): the SJO supervisor sees"
                    " it under Flights and Hits, to prepare for.",
                ]
                if watchlisted
                else []
            ),
        ]
    )
