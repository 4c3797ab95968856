"""Realistic made-up passenger and crew lists, for the demo, simulators and benchmarks.

Deterministic for a given ``random.Random``: the same seed gives the same list. Name
and nationality pools are parameters, so the demo can pass its own; the defaults are
names common in Mexico, Central America, the Caribbean and North America, a few with
apostrophes and hyphens so that the release character gets exercised.
"""

from __future__ import annotations

import datetime
import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import replace

from corredor.paxlst.model import Document, Flight, Leg, Message, Person, Sex

__all__ = [
    "FEMALE_GIVEN_NAMES",
    "MALE_GIVEN_NAMES",
    "NATIONALITIES",
    "SURNAMES",
    "make_crew_list",
    "make_flight",
]

SURNAMES: tuple[str, ...] = (
    "GARCIA", "HERNANDEZ", "LOPEZ", "MARTINEZ", "GONZALEZ", "RODRIGUEZ", "PEREZ", "SANCHEZ",
    "RAMIREZ", "CRUZ", "FLORES", "GOMEZ", "MORALES", "REYES", "JIMENEZ", "TORRES", "DIAZ",
    "VASQUEZ", "CASTILLO", "ROMERO", "MENDOZA", "ORTIZ", "AGUILAR", "CHAVEZ", "HERRERA",
    "MEJIA", "PINEDA", "ALVARADO", "ESCOBAR", "GUEVARA", "SMITH", "JOHNSON", "WILLIAMS",
    "BROWN", "MILLER", "DAVIS", "WILSON", "O'NEILL", "O'BRIEN", "JEAN-BAPTISTE", "PIERRE",
    "JOSEPH", "ETIENNE", "DUBOIS", "SAINT-LOUIS", "DE LA CRUZ", "DEL VALLE",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "MARIA", "GUADALUPE", "ANA", "SOFIA", "VALENTINA", "CAMILA", "LUCIA", "DANIELA", "GABRIELA",
    "FERNANDA", "ISABELLA", "ROSA", "CARMEN", "ELENA", "PATRICIA", "JENNIFER", "EMILY", "SARAH",
    "MARIE", "NADEGE", "MIRLANDE", "YESENIA", "KARLA",
)  # fmt: skip

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "JOSE", "JUAN", "LUIS", "CARLOS", "JORGE", "MIGUEL", "ANGEL", "FRANCISCO", "ALEJANDRO",
    "DIEGO", "MATEO", "SANTIAGO", "DAVID", "MICHAEL", "JAMES", "ROBERT", "JEAN", "PIERRE",
    "WOODLEY", "KENSON", "OSCAR", "ERICK",
)  # fmt: skip

#: Nationality (ICAO/ISO alpha-3) and relative weight.
NATIONALITIES: Mapping[str, float] = {
    "MEX": 35, "USA": 15, "GTM": 8, "HND": 6, "SLV": 5, "COL": 5, "NIC": 3, "CRI": 3, "CUB": 3,
    "DOM": 3, "HTI": 3, "VEN": 3, "ESP": 3, "CAN": 3, "PAN": 2,
}  # fmt: skip

_PNR_ALPHABET = "".join(sorted(set(string.ascii_uppercase + string.digits) - set("01OI")))
_SEAT_LETTERS = "ABCDEF"


def _weighted(rng: random.Random, pool: Mapping[str, float] | Sequence[str]) -> str:
    if isinstance(pool, Mapping):
        keys = list(pool)
        return rng.choices(keys, weights=[pool[key] for key in keys])[0]
    return rng.choice(list(pool))


def _birth_date(
    rng: random.Random, on: datetime.date, *, minimum_age: int = 0, maximum_age: int = 85
) -> datetime.date:
    age_days = rng.randrange(minimum_age * 365 + 1, maximum_age * 365 + 1)
    return on - datetime.timedelta(days=age_days)


def _passport(
    rng: random.Random, nationality: str, on: datetime.date, birth: datetime.date, kind: str = "P"
) -> Document:
    number = rng.choice(string.ascii_uppercase) + "".join(rng.choice(string.digits) for _ in range(8))
    adult = (on - birth).days >= 18 * 365
    validity = 10 if adult else 6
    issue = on - datetime.timedelta(days=rng.randrange(30, validity * 365 - 30))
    expiry = (
        issue.replace(year=issue.year + validity)
        if (issue.month, issue.day) != (2, 29)
        else (issue + datetime.timedelta(days=validity * 365))
    )
    return Document(type=kind, number=number, issuing_state=nationality, expiry_date=expiry, issue_date=issue)


def _given_names(rng: random.Random, sex: Sex, female: Sequence[str], male: Sequence[str]) -> str:
    pool = female if sex == "F" else male if sex == "M" else [*female, *male]
    first = rng.choice(list(pool))
    if rng.random() < 0.4:
        second = rng.choice(list(pool))
        if second != first:
            return f"{first} {second}"
    return first


def make_flight(
    rng: random.Random,
    carrier: str,
    number: str,
    origin: str,
    destination: str,
    departure: datetime.datetime,
    n_passengers: int,
    *,
    duration: datetime.timedelta = datetime.timedelta(hours=3),
    surnames: Sequence[str] = SURNAMES,
    female_given_names: Sequence[str] = FEMALE_GIVEN_NAMES,
    male_given_names: Sequence[str] = MALE_GIVEN_NAMES,
    nationalities: Mapping[str, float] | Sequence[str] = NATIONALITIES,
    reporting_party: str | None = None,
    version: str = "D05B",
) -> Message:
    """A passenger list for flight ``carrier``+``number`` from ``origin`` to ``destination``.

    People travel in bookings of one to four (a shared PNR locator, often a shared
    surname), have a sex, birth date (some children), nationality (drawn from
    ``nationalities``: codes, or codes with weights), residence, a passport of their
    nationality, a seat and a unique passenger reference. Times are local: ``departure``
    at ``origin``, ``departure + duration`` at ``destination``.
    """
    day = departure.date()
    flight = Flight(
        carrier=carrier,
        number=number.lstrip("0") or number,
        legs=[
            Leg(
                departure_airport=origin,
                departure_time=departure,
                arrival_airport=destination,
                arrival_time=departure + duration,
            )
        ],
    )
    persons: list[Person] = []
    seats = rng.sample(range(40 * len(_SEAT_LETTERS)), k=min(n_passengers, 40 * len(_SEAT_LETTERS)))
    while len(persons) < n_passengers:
        size = min(rng.choice((1, 1, 1, 2, 2, 3, 4)), n_passengers - len(persons))
        booking = "".join(rng.choice(_PNR_ALPHABET) for _ in range(6))
        family_surname = rng.choice(list(surnames))
        family_nationality = _weighted(rng, nationalities)
        for member in range(size):
            index = len(persons)
            sex: Sex = "F" if rng.random() < 0.5 else "M"
            if rng.random() < 0.005:
                sex = "X"
            surname = family_surname if member == 0 or rng.random() < 0.7 else rng.choice(list(surnames))
            nationality = family_nationality if rng.random() < 0.9 else _weighted(rng, nationalities)
            birth = _birth_date(rng, day, maximum_age=85 if member < 2 else 17)
            seat = seats[index] if index < len(seats) else None
            persons.append(
                Person(
                    role="passenger",
                    surname=surname,
                    given_names=_given_names(rng, sex, female_given_names, male_given_names),
                    sex=sex,
                    birth_date=birth,
                    nationality=nationality,
                    residence_country=nationality if rng.random() < 0.85 else _weighted(rng, nationalities),
                    embarkation=origin,
                    debarkation=destination,
                    booking_references=[booking],
                    passenger_reference=f"{day:%y%m%d}{carrier}{index + 1:05d}",
                    seat=None
                    if seat is None
                    else f"{seat // len(_SEAT_LETTERS) + 1}{_SEAT_LETTERS[seat % 6]}",
                    documents=[_passport(rng, nationality, day, birth)],
                )
            )
    return Message(
        list_type="passenger",
        flight=flight,
        persons=persons,
        reporting_party=reporting_party or f"{carrier} API DESK",
        reference=f"{carrier}{flight.number}{departure:%m%d}P"[:14],
        version=version,
    )


def make_crew_list(
    rng: random.Random,
    flight: Flight,
    n_crew: int,
    *,
    surnames: Sequence[str] = SURNAMES,
    female_given_names: Sequence[str] = FEMALE_GIVEN_NAMES,
    male_given_names: Sequence[str] = MALE_GIVEN_NAMES,
    nationalities: Mapping[str, float] | Sequence[str] = ("MEX",),
    version: str = "D05B",
) -> Message:
    """The crew list for ``flight``: two flight-deck crew (EMP CR1), the rest cabin crew (CR2)."""
    departure = flight.departure_time or datetime.datetime(2000, 1, 1)
    day = departure.date()
    persons: list[Person] = []
    for index in range(n_crew):
        sex: Sex = "F" if rng.random() < 0.5 else "M"
        nationality = _weighted(rng, nationalities)
        birth = _birth_date(rng, day, minimum_age=21, maximum_age=64)
        persons.append(
            Person(
                role="crew",
                surname=rng.choice(list(surnames)),
                given_names=_given_names(rng, sex, female_given_names, male_given_names),
                sex=sex,
                birth_date=birth,
                nationality=nationality,
                residence_country=nationality,
                embarkation=flight.departure_airport,
                debarkation=flight.arrival_airport,
                crew_function="CR1" if index < 2 else "CR2",
                documents=[_passport(rng, nationality, day, birth)],
            )
        )
    return Message(
        list_type="crew",
        flight=Flight(
            carrier=flight.carrier,
            number=flight.number,
            legs=[replace(leg) for leg in flight.legs],
            routing=list(flight.routing),
            aircraft_registration=flight.aircraft_registration,
        ),
        persons=persons,
        reporting_party=f"{flight.carrier} CREW SCHEDULING",
        reference=f"{flight.carrier}{flight.number}{departure:%m%d}C"[:14],
        version=version,
    )
