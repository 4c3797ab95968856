"""make_flight and make_crew_list: realistic, repeatable, and the pools are the caller's."""

from __future__ import annotations

import datetime
import random
from collections import Counter

from corredor.paxlst import make_crew_list, make_flight

DEPARTURE = datetime.datetime(2025, 3, 14, 12, 5)


def test_same_seed_same_list() -> None:
    first = make_flight(random.Random(9), "AM", "650", "MAD", "MEX", DEPARTURE, 120)
    second = make_flight(random.Random(9), "AM", "650", "MAD", "MEX", DEPARTURE, 120)

    assert first == second
    assert len(first.persons) == 120


def test_a_realistic_list() -> None:
    message = make_flight(random.Random(2), "CM", "0391", "PTY", "GUA", DEPARTURE, 300)

    assert message.flight.designator == "CM391"
    assert message.flight.arrival_time == DEPARTURE + datetime.timedelta(hours=3)
    references = [person.passenger_reference for person in message.persons]
    assert len(set(references)) == 300
    bookings = Counter(person.booking_references[0] for person in message.persons)
    assert max(bookings.values()) > 1  # families and groups share a booking
    assert any(
        person.birth_date and (DEPARTURE.date() - person.birth_date).days < 12 * 365
        for person in message.persons
    )
    for person in message.persons:
        [passport] = person.documents
        assert passport.issuing_state == person.nationality
        assert passport.expiry_date is not None and passport.expiry_date > DEPARTURE.date()
        assert (person.embarkation, person.debarkation) == ("PTY", "GUA")


def test_the_demo_passes_its_own_pools() -> None:
    message = make_flight(
        random.Random(4),
        "5J",
        "816",
        "LAX",
        "GDL",
        DEPARTURE,
        50,
        surnames=["ALPHA", "BETA"],
        female_given_names=["GAMMA"],
        male_given_names=["DELTA"],
        nationalities={"HTI": 1, "DOM": 1},
    )

    assert {person.surname for person in message.persons} <= {"ALPHA", "BETA"}
    assert {name for person in message.persons for name in person.given_names.split()} <= {"GAMMA", "DELTA"}
    assert {person.nationality for person in message.persons} <= {"HTI", "DOM"}


def test_crew_list_for_a_flight() -> None:
    passengers = make_flight(random.Random(4), "AM", "650", "MAD", "MEX", DEPARTURE, 10)

    crew = make_crew_list(random.Random(5), passengers.flight, 9)

    assert crew.list_type == "crew"
    assert crew.flight.designator == "AM650"
    assert [person.crew_function for person in crew.persons].count("CR1") == 2
    assert all(person.role == "crew" for person in crew.persons)
