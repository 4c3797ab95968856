"""read_paxlst on well-formed lists of the directories in use: what each field reads as."""

from __future__ import annotations

import datetime

import pytest

from corredor.paxlst import PaxlstError, Separators, join_parts, read_paxlst
from tests.paxlst.samples import codes, minimal, sample


def test_d02b_passenger_list_reads_every_field_without_warnings() -> None:
    result = read_paxlst(sample("d02b_passengers.edi"))

    assert result.warnings == []
    assert result.syntax == "UNOA"
    [message] = result.messages
    assert message.list_type == "passenger"
    assert message.version == "D02B"
    assert message.reference == "PAX001"
    assert message.sender == "AMAPIS"
    assert message.prepared_at == datetime.datetime(2025, 3, 14, 9, 30)
    assert message.reporting_party == "OPERACIONES AEROMEXICO"
    assert message.reporting_party_contacts == ["52 55 5133 4000 (TE)", "52 55 5133 4001 (FX)"]
    flight = message.flight
    assert (flight.carrier, flight.number, flight.designator) == ("AM", "650", "AM650")
    assert flight.departure_airport == "MAD"
    assert flight.departure_time == datetime.datetime(2025, 3, 14, 12, 5)
    assert flight.arrival_airport == "MEX"
    assert flight.arrival_time == datetime.datetime(2025, 3, 14, 18, 30)
    assert message.declared_passengers == 3
    obrien = message.persons[0]
    assert obrien.role == "passenger"
    assert (obrien.surname, obrien.given_names) == ("O'BRIEN", "SEAN PATRICK")
    assert obrien.sex == "M"
    assert obrien.birth_date == datetime.date(1972, 9, 7)
    assert obrien.nationality == "IRL"
    assert (obrien.embarkation, obrien.debarkation) == ("MAD", "MEX")
    assert obrien.booking_references == ["QX7P2K"]
    [passport] = obrien.documents
    assert (passport.type, passport.number, passport.issuing_state) == ("P", "PD1234567", "IRL")
    assert passport.expiry_date == datetime.date(2030, 1, 1)
    assert obrien.segment == 13


def test_two_digit_birth_years_are_never_after_the_flight() -> None:
    persons = read_paxlst(sample("d02b_passengers.edi")).messages[0].persons

    # 050228 on a 2025 flight is 2005, 190615 is a child born in 2019, 720907 is 1972.
    assert [person.birth_date for person in persons] == [
        datetime.date(1972, 9, 7),
        datetime.date(2005, 2, 28),
        datetime.date(2019, 6, 15),
    ]


def test_d05b_crew_list() -> None:
    result = read_paxlst(sample("d05b_crew.edi"))

    assert result.warnings == []
    [message] = result.messages
    assert message.list_type == "crew"
    assert message.declared_crew == 3
    assert message.flight.aircraft_registration == "HP1825CMP"
    assert [person.role for person in message.persons] == ["crew"] * 3
    assert [person.crew_function for person in message.persons] == ["CR1", "CR1", "CR2"]
    captain = message.persons[0]
    assert captain.residence_country == "PAN"
    assert [(document.type, document.number) for document in captain.documents] == [
        ("P", "PA0123456"),
        ("AC", "CM77821"),
    ]
    assert captain.documents[1].expiry_date == datetime.date(2026, 12, 31)
    assert message.persons[1].surname == "SMITH-JONES"


def test_d12b_list_with_two_legs_routing_transit_and_long_dates() -> None:
    result = read_paxlst(sample("d12b_passengers.edi"))

    assert result.warnings == []
    [message] = result.messages
    assert message.version == "D12B"
    assert message.document_id == "CP"
    assert message.prepared_at == datetime.datetime(2025, 7, 10, 22, 10)
    flight = message.flight
    assert [(leg.departure_airport, leg.arrival_airport) for leg in flight.legs] == [
        ("ORD", "IAH"),
        ("IAH", "SJO"),
    ]
    assert flight.legs[1].arrival_time == datetime.datetime(2025, 7, 11, 13, 10)
    # The reported leg is the first one.
    assert (flight.departure_airport, flight.arrival_airport) == ("ORD", "IAH")
    assert flight.routing == ["MGA"]
    nguyen, chavez = message.persons
    assert nguyen.address is not None
    assert (nguyen.address.city, nguyen.address.postal_code, nguyen.address.country) == (
        "CHICAGO",
        "60610",
        "USA",
    )
    assert (nguyen.birth_country, nguyen.birth_place) == ("VNM", "HANOI")
    assert nguyen.passenger_reference == "0016A2B3C4D5E6F7"
    assert nguyen.seat == "23C"
    assert nguyen.documents[0].issue_date == datetime.date(2023, 2, 2)
    assert chavez.in_transit
    assert chavez.role == "passenger"
    assert chavez.birth_date == datetime.date(1921, 11, 30)
    assert [(document.type, document.issuing_state) for document in chavez.documents] == [
        ("P", "NIC"),
        ("V", "CRI"),
    ]


def test_multi_part_message_is_joined_into_one_flight() -> None:
    result = read_paxlst(sample("multipart_d05b.edi"))

    assert result.warnings == []
    [message] = result.messages
    assert message.parts == 3
    assert message.common_access_reference == "AV585/250905/1450"
    assert [person.surname for person in message.persons] == [
        "PINEDA",
        "ROJAS",
        "ESCOBAR",
        "ESCOBAR",
        "GUEVARA",
    ]
    assert message.declared_passengers == 5
    assert message.flight.designator == "AV585"


def test_parts_read_separately_can_be_joined_later() -> None:
    separately = read_paxlst(sample("multipart_d05b.edi"), join=False)
    parts = separately.messages

    assert separately.warnings == []
    assert [(part.sequence, part.final) for part in parts] == [(1, False), (2, False), (3, True)]
    # As if each part had come in its own file, in the wrong order.
    joined, warnings = join_parts([parts[2], parts[0], parts[1]])
    assert warnings == []
    [message] = joined
    assert len(message.persons) == 5
    assert message.persons[0].surname == "PINEDA"


def _without_part(text: str, reference: str) -> str:
    start = text.index(f"UNH+{reference}")
    end = text.index("UNT+", start)
    end = text.index("\n", end) + 1
    return text[:start] + text[end:]


def test_a_missing_part_is_a_warning_not_an_error() -> None:
    text = _without_part(sample("multipart_d05b.edi").decode(), "AV585B")

    result = read_paxlst(text)

    [message] = result.messages
    assert len(message.persons) == 3
    assert "parts" in codes(result.warnings)
    assert any("part 2" in warning.message and "missing" in warning.message for warning in result.warnings)
    assert any(warning.code == "count-mismatch" and warning.tag == "CNT" for warning in result.warnings)


def test_a_missing_last_part_says_the_list_may_be_incomplete() -> None:
    text = _without_part(sample("multipart_d05b.edi").decode(), "AV585C")

    result = read_paxlst(text)

    assert any("may be incomplete" in warning.message for warning in result.warnings)
    assert len(result.messages[0].persons) == 4


def test_non_default_separators_and_release_character() -> None:
    result = read_paxlst(sample("una_custom_release.edi"))

    assert result.separators == Separators(component="*", data="#", decimal=",", release="!", terminator="@")
    assert result.warnings == []
    [message] = result.messages
    first, second = message.persons
    # Released service characters are data; the default ones (' and +) mean nothing here.
    assert (first.surname, first.given_names) == ("JEAN-BAPTISTE", "MARIE#CLAIRE")
    assert (second.surname, second.given_names) == ("O'NEILL+KELLY", "JAMES R!")
    assert first.booking_references == ["K2*P9Q"]
    assert message.reporting_party == "SUNRISE AIR@OPS"


def test_latin1_bytes_of_a_unoc_interchange() -> None:
    result = read_paxlst(sample("unoc_latin1.edi"))

    assert result.warnings == []
    person = result.messages[0].persons[0]
    assert (person.surname, person.given_names) == ("PEÑA NÚÑEZ", "JOSÉ MARÍA")


def test_text_is_read_like_bytes() -> None:
    as_bytes = read_paxlst(sample("d02b_passengers.edi"))
    as_text = read_paxlst(sample("d02b_passengers.edi").decode("ascii"))

    assert as_text.as_json() == as_bytes.as_json()


@pytest.mark.parametrize(
    ("tdt", "carrier", "number"),
    [
        ("TDT+20+AM0650+++AM'\n", "AM", "650"),
        ("TDT+20+UA 123'\n", "UA", "123"),
        ("TDT+20+123+++UA'\n", "UA", "123"),
        ("TDT+20+AAL100'\n", "AAL", "100"),
        ("TDT+20+4O2971'\n", "4O", "2971"),
        ("TDT+20+CM0391A+++CM'\n", "CM", "391A"),
    ],
)
def test_flight_designators_as_senders_write_them(tdt: str, carrier: str, number: str) -> None:
    flight = read_paxlst(minimal(tdt=tdt)).messages[0].flight

    assert (flight.carrier, flight.number) == (carrier, number)


def test_a_message_without_a_flight_is_rejected_with_its_location() -> None:
    with pytest.raises(PaxlstError) as caught:
        read_paxlst(minimal("NAD+FL+++DOE:JANE'\n", tdt=""))

    error = caught.value
    assert "names no flight" in str(error)
    assert error.expected is not None and "TDT" in error.expected
    assert error.segment is not None and error.tag is not None
    assert str(error).startswith(f"segment {error.segment} ({error.tag}): ")


def test_message_level_counts_and_roles_in_a_mixed_file() -> None:
    passengers = sample("d02b_passengers.edi").decode()
    crew = sample("d05b_crew.edi").decode()

    result = read_paxlst(passengers + crew)

    assert [message.list_type for message in result.messages] == ["passenger", "crew"]
    assert result.warnings == []


def test_json_has_the_keys_the_command_promises() -> None:
    data = read_paxlst(sample("d02b_passengers.edi")).as_json()

    assert set(data) == {"messages", "warnings"}
    message = data["messages"][0]
    assert {"message_type", "list_type", "flight", "persons"} <= set(message)
    assert message["message_type"] == "PAXLST"
    assert {
        "carrier",
        "number",
        "departure_airport",
        "departure_time",
        "arrival_airport",
        "arrival_time",
        "legs",
    } <= set(message["flight"])
    assert message["flight"]["departure_time"] == "2025-03-14T12:05"
    person = message["persons"][0]
    assert {
        "role",
        "surname",
        "given_names",
        "sex",
        "birth_date",
        "nationality",
        "residence_country",
        "embarkation",
        "debarkation",
        "booking_references",
        "documents",
    } <= set(person)
    assert person["birth_date"] == "1972-09-07"
    assert person["documents"][0] == {
        "type": "P",
        "number": "PD1234567",
        "issuing_state": "IRL",
        "expiry_date": "2030-01-01",
        "issue_date": None,
    }


def test_joining_parts_from_separate_files_checks_the_totals() -> None:
    parts = read_paxlst(sample("multipart_d05b.edi"), join=False).messages

    joined, warnings = join_parts([parts[0], parts[2]])

    assert len(joined[0].persons) == 3
    assert [warning.code for warning in warnings] == ["parts", "count-mismatch"]
