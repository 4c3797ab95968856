"""write_paxlst: what it writes reads back as the same lists."""

from __future__ import annotations

import datetime
import random
import re
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.paxlst import (
    Document,
    Flight,
    Leg,
    Message,
    Person,
    Separators,
    choose_syntax,
    interchange_encoding,
    make_crew_list,
    make_flight,
    message_as_json,
    read_paxlst,
    write_paxlst,
)

# Keys that the reader fills from the envelope or the file, not from the message written.
_FROM_THE_FILE = {"sender", "recipient", "prepared_at", "common_access_reference", "declared_passengers"}
_FROM_THE_FILE |= {"declared_crew", "reference", "parts"}


def _comparable(message: Message) -> dict[str, Any]:
    data = message_as_json(message)
    for key in _FROM_THE_FILE:
        data.pop(key)
    for person in data["persons"]:
        person.pop("segment")
    return data


def _flight(seed: int = 7, passengers: int = 40) -> Message:
    return make_flight(
        random.Random(seed), "AM", "0650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), passengers
    )


@pytest.mark.parametrize("version", ["D02B", "D03B", "D05B", "D12B", "D19B"])
def test_generated_list_round_trips_in_every_directory(version: str) -> None:
    message = _flight()
    message.version = version

    result = read_paxlst(write_paxlst(message).encode("ascii"))

    assert result.warnings == []
    [read] = result.messages
    assert read.version == version
    assert _comparable(read) == _comparable(message)


def test_crew_list_and_passenger_list_in_one_interchange() -> None:
    passengers = _flight()
    crew = make_crew_list(random.Random(3), passengers.flight, 8)

    result = read_paxlst(write_paxlst([passengers, crew], line_breaks=True))

    assert result.warnings == []
    assert [_comparable(message) for message in result.messages] == [
        _comparable(passengers),
        _comparable(crew),
    ]
    assert result.messages[1].declared_crew == 8


def test_long_lists_are_split_into_parts_that_join_back() -> None:
    message = _flight(passengers=250)

    text = write_paxlst(message, max_persons_per_part=100, line_breaks=True)

    statuses = re.findall(r"^UNH\+[^+]+\+[^+]+\+[^+]+\+(\d\d:[CF])'$", text, flags=re.MULTILINE)
    assert statuses == ["01:C", "02:C", "03:F"]
    assert text.count("TDT+") == 3
    assert re.findall(r"^CNT\+.*$", text, flags=re.MULTILINE) == ["CNT+42:250'"]
    result = read_paxlst(text)
    assert result.warnings == []
    [read] = result.messages
    assert read.parts == 3
    assert _comparable(read) == _comparable(message)


def test_non_default_separators_with_release() -> None:
    message = _flight()
    message.persons[0].surname = "O'BRIEN|SMITH^JONES~\\"
    separators = Separators(component="|", data="^", decimal=".", release="\\", terminator="~")

    text = write_paxlst(message, separators=separators)

    assert text.startswith("UNA|^.\\ ~UNB^UNOB|4^")
    assert "O'BRIEN\\|SMITH\\^JONES\\~\\\\" in text
    result = read_paxlst(text)
    assert result.separators == separators
    assert result.messages[0].persons[0].surname == "O'BRIEN|SMITH^JONES~\\"


def test_service_characters_in_data_are_released() -> None:
    message = _flight(passengers=1)
    message.persons[0].surname = "O'BRIEN+SONS:?"

    text = write_paxlst(message)

    assert "NAD+FL+++O?'BRIEN?+SONS?:??:" in text
    assert read_paxlst(text).messages[0].persons[0].surname == "O'BRIEN+SONS:?"


def test_very_old_birth_dates_are_written_with_the_century() -> None:
    message = _flight(passengers=1)
    message.persons[0].birth_date = datetime.date(1919, 5, 1)

    text = write_paxlst(message)

    assert "DTM+329:19190501:102'" in text
    assert read_paxlst(text).messages[0].persons[0].birth_date == datetime.date(1919, 5, 1)


def test_long_given_names_are_split_over_name_components() -> None:
    message = _flight(passengers=1)
    message.persons[0].given_names = "MARIA DE LOS ANGELES GUADALUPE DEL SOCORRO ESPERANZA"

    text = write_paxlst(message)

    nad = re.search(r"NAD\+FL\+\+\+([^']*)'", text)
    assert nad is not None
    assert all(len(component) <= 35 for component in nad.group(1).split(":"))
    assert read_paxlst(text).messages[0].persons[0].given_names == message.persons[0].given_names


@pytest.mark.parametrize(
    ("texts", "syntax"),
    [(["GARCIA", "O'NEILL"], "UNOA"), (["Garcia"], "UNOB"), (["MUÑOZ"], "UNOC"), (["NGUYỄN"], "UNOW")],
)
def test_the_smallest_syntax_level_that_holds_the_data(texts: list[str], syntax: str) -> None:
    assert choose_syntax(texts) == syntax


def test_a_utf8_list_is_declared_unow_and_reads_back() -> None:
    message = _flight(passengers=1)
    message.persons[0].surname = "NGUYỄN"

    text = write_paxlst(message)

    assert "UNB+UNOW:4+" in text
    data = text.encode(interchange_encoding("UNOW"))
    result = read_paxlst(data)
    assert result.warnings == []
    assert result.messages[0].persons[0].surname == "NGUYỄN"


def test_writer_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="release"):
        write_paxlst(_flight(), separators=Separators(release=None))
    with pytest.raises(ValueError, match="no message"):
        write_paxlst([])
    with pytest.raises(ValueError, match="at least 1"):
        write_paxlst(_flight(), max_persons_per_part=0)


# --- arbitrary people -------------------------------------------------------------------------------

# Letters, and the characters that need the release character with the default separators.
_NAME_CHARACTERS = string.ascii_uppercase + "'+:?-. "
_names = (
    st.text(_NAME_CHARACTERS, min_size=1, max_size=40).map(lambda text: " ".join(text.split())).filter(bool)
)
_countries = st.sampled_from(
    ["MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "USA", "CAN", "HTI", "XXA", "GBD"]
)
_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 3, 14))
_documents = st.builds(
    Document,
    type=st.sampled_from(["P", "I", "V", "AC"]),
    number=st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=15),
    issuing_state=_countries,
    expiry_date=st.none()
    | st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2084, 12, 31)),
)
_persons = st.builds(
    Person,
    role=st.sampled_from(["passenger", "crew"]),
    surname=_names,
    given_names=_names | st.just(""),
    sex=st.none() | st.sampled_from(["M", "F", "X"]),
    birth_date=st.none() | _dates,
    nationality=st.none() | _countries,
    embarkation=st.none() | st.sampled_from(["MAD", "MEX", "GUA"]),
    booking_references=st.lists(
        st.text(string.ascii_uppercase + string.digits, min_size=6, max_size=6), max_size=2
    ),
    documents=st.lists(_documents, max_size=2),
)
_separators = st.sampled_from(
    [
        Separators(),
        Separators(component="|", data="^", release="\\", terminator="~"),
        Separators(component="*", data="#", decimal=",", release="!", terminator="@"),
        Separators(component=":", data="+", release="?", terminator="\x1c"),
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    persons=st.lists(_persons, min_size=1, max_size=6),
    separators=_separators,
    version=st.sampled_from(["D02B", "D05B", "D12B"]),
    part_size=st.none() | st.integers(min_value=1, max_value=3),
    line_breaks=st.booleans(),
)
def test_any_people_round_trip(
    persons: list[Person], separators: Separators, version: str, part_size: int | None, line_breaks: bool
) -> None:
    message = Message(
        list_type="passenger",
        flight=Flight(
            carrier="AM",
            number="650",
            legs=[
                Leg(
                    departure_airport="MAD",
                    departure_time=datetime.datetime(2025, 3, 14, 12, 5),
                    arrival_airport="MEX",
                    arrival_time=datetime.datetime(2025, 3, 14, 18, 30),
                )
            ],
        ),
        persons=persons,
        version=version,
    )

    text = write_paxlst(
        message, separators=separators, max_persons_per_part=part_size, line_breaks=line_breaks
    )
    result = read_paxlst(text)

    assert result.warnings == []
    [read] = result.messages
    assert _comparable(read) == _comparable(message)
