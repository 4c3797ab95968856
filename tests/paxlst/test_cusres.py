"""CUSRES: the per-passenger answer of an interactive API, written and read back."""

from __future__ import annotations

import datetime
import random

import pytest

from corredor.paxlst import (
    BoardingDecision,
    BoardingResponse,
    PaxlstError,
    make_flight,
    read_cusres,
    read_paxlst,
    write_cusres,
)
from tests.paxlst.samples import sample

WHEN = datetime.datetime(2025, 3, 14, 11, 0)


def _list() -> list[BoardingResponse]:
    message = make_flight(
        random.Random(1), "AM", "650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), 3
    )
    first, second, third = message.persons
    return [
        BoardingResponse.for_person(first, BoardingDecision.BOARD),
        BoardingResponse.for_person(second, BoardingDecision.DO_NOT_BOARD, "CALL INM +52 55 1234: DESK 'A'?"),
        BoardingResponse.for_person(third, BoardingDecision.CONTACT_AUTHORITY),
    ]


def test_each_decision_has_its_code_and_reads_back() -> None:
    message = make_flight(
        random.Random(1), "AM", "650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), 3
    )
    responses = _list()

    text = write_cusres(
        responses,
        flight=message.flight,
        request_reference="AM6500314P",
        sender="MXINM",
        recipient="AMAPIS",
        prepared_at=WHEN,
        line_breaks=True,
    )

    assert "UNH+1+CUSRES:D:05B:UN:IATA'" in text
    assert [line for line in text.splitlines() if line.startswith("ERC")] == ["ERC+0Z'", "ERC+1Z'", "ERC+2Z'"]
    [read], warnings = read_cusres(text)
    assert warnings == []
    assert read.request_reference == "AM6500314P"
    assert read.flight is not None and read.flight.designator == "AM650"
    assert read.flight.departure_time == datetime.datetime(2025, 3, 14, 12, 5)
    assert [response.decision for response in read.responses] == [
        BoardingDecision.BOARD,
        BoardingDecision.DO_NOT_BOARD,
        BoardingDecision.CONTACT_AUTHORITY,
    ]
    assert [response.passenger_reference for response in read.responses] == [
        person.passenger_reference for person in message.persons
    ]
    assert read.responses[1].text == "CALL INM +52 55 1234: DESK 'A'?"
    assert read.responses[0].booking_references == message.persons[0].booking_references


def test_a_state_can_use_its_own_codes() -> None:
    codes = {
        BoardingDecision.BOARD: "OK",
        BoardingDecision.DO_NOT_BOARD: "NB",
        BoardingDecision.CONTACT_AUTHORITY: "CT",
    }
    message = make_flight(
        random.Random(1), "AM", "650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), 3
    )

    text = write_cusres(
        _list(),
        flight=message.flight,
        request_reference="R",
        sender="S",
        recipient="R",
        prepared_at=WHEN,
        codes=codes,
    )

    assert "ERC+NB'" in text
    [read], _ = read_cusres(text, codes=codes)
    assert read.responses[1].decision is BoardingDecision.DO_NOT_BOARD


def test_an_unknown_code_read_is_kept_with_a_warning() -> None:
    text = sample("cusres_response.edi").decode().replace("ERC+0Z'", "ERC+9Z'")

    [read], warnings = read_cusres(text)

    assert read.responses[0].code == "9Z"
    assert read.responses[0].decision is None
    assert [warning.tag for warning in warnings] == ["ERC"]


def test_the_sample_response_names_the_passenger() -> None:
    [read], warnings = read_cusres(sample("cusres_response.edi"))

    assert warnings == []
    [response] = read.responses
    assert (response.passenger_reference, response.booking_references) == ("250314AM00001", ["QX7P2K"])
    assert response.decision is BoardingDecision.BOARD
    assert response.segment == 12


def test_a_response_must_name_its_passenger() -> None:
    flight = read_paxlst(sample("d02b_passengers.edi")).messages[0].flight
    with pytest.raises(ValueError, match="names no passenger reference"):
        write_cusres(
            [BoardingResponse(decision=BoardingDecision.BOARD)],
            flight=flight,
            request_reference="R",
            sender="S",
            recipient="R",
            prepared_at=WHEN,
        )


def test_a_paxlst_is_not_a_cusres() -> None:
    with pytest.raises(PaxlstError, match="this is a PAXLST message, not CUSRES"):
        read_cusres(sample("d02b_passengers.edi"))
