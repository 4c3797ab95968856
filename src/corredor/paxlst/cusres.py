"""The CUSRES response of an interactive API: board, do not board, or contact the authority, per passenger.

In interactive API (iAPI) the state answers each passenger of a PAXLST with a CUSRES
message: one ERP group per passenger, which names the passenger by the references the
airline sent (RFF ABO/AEA unique passenger reference, RFF AVF booking reference) and
gives the decision as an ERC application error code. The codes follow the WCO/IATA/ICAO
iAPI response guide as carriers implement it (0Z board, 1Z do not board, 2Z contact the
authority); a state that publishes other codes passes its own ``codes`` mapping.

:func:`write_cusres` writes such a response; :func:`read_cusres` reads one (for
airline simulators and tests).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydifact.segments import Segment

from corredor.paxlst.model import (
    DEFAULT_SEPARATORS,
    Flight,
    Leg,
    ParseWarning,
    PaxlstError,
    Person,
    Separators,
)
from corredor.paxlst.syntax import WarningLog, decode, parse_datetime, tokenise
from corredor.paxlst.writer import choose_syntax, flight_segments, segment, serialise

__all__ = [
    "DECISION_CODES",
    "BoardingDecision",
    "BoardingResponse",
    "CusresMessage",
    "read_cusres",
    "write_cusres",
]


class BoardingDecision(StrEnum):
    """What the state tells the airline about one passenger."""

    BOARD = "board"
    DO_NOT_BOARD = "do-not-board"
    CONTACT_AUTHORITY = "contact-authority"


#: ERC codes for each decision (the iAPI response codes carriers implement).
DECISION_CODES: Mapping[BoardingDecision, str] = {
    BoardingDecision.BOARD: "0Z",
    BoardingDecision.DO_NOT_BOARD: "1Z",
    BoardingDecision.CONTACT_AUTHORITY: "2Z",
}


@dataclass(slots=True, kw_only=True)
class BoardingResponse:
    """The answer for one passenger: the references that name them, the decision, optional free text.

    ``code`` is the ERC code as written or read; ``decision`` is None when a response read
    carries a code the mapping does not know. ``segment`` is the ERP segment number in a
    response read from a file.
    """

    decision: BoardingDecision | None
    passenger_reference: str | None = None
    booking_references: list[str] = field(default_factory=list)
    text: str | None = None
    code: str = ""
    segment: int | None = None

    @classmethod
    def for_person(
        cls, person: Person, decision: BoardingDecision, text: str | None = None
    ) -> BoardingResponse:
        """The response naming ``person`` by the references their list entry carries."""
        return cls(
            decision=decision,
            passenger_reference=person.passenger_reference,
            booking_references=list(person.booking_references),
            text=text,
        )


@dataclass(slots=True, kw_only=True)
class CusresMessage:
    """One CUSRES message read: its reference, the PAXLST it answers (RFF TN), flight, responses."""

    reference: str
    request_reference: str | None
    flight: Flight | None
    responses: list[BoardingResponse]
    segment: int | None = None


def write_cusres(
    responses: Sequence[BoardingResponse],
    *,
    flight: Flight,
    request_reference: str,
    sender: str,
    recipient: str,
    prepared_at: datetime.datetime,
    interchange_reference: str = "1",
    message_reference: str = "1",
    version: str = "D05B",
    separators: Separators = DEFAULT_SEPARATORS,
    codes: Mapping[BoardingDecision, str] = DECISION_CODES,
    line_breaks: bool = False,
) -> str:
    """One interchange with one CUSRES message answering the PAXLST ``request_reference``.

    Each response must name its passenger by a passenger reference or a booking
    reference (else ValueError): that is all the airline has to match on.
    """
    if separators.release is None:
        raise ValueError("the writer needs a release character")
    directory = version.upper().replace(":", "")
    body: list[Segment] = [
        segment("UNH", message_reference, ["CUSRES", directory[:1], directory[1:], "UN", "IATA"]),
        segment("BGM", "962"),
        segment("RFF", ["TN", request_reference]),
        *flight_segments(flight),
    ]
    for position, response in enumerate(responses, start=1):
        if not response.passenger_reference and not response.booking_references:
            raise ValueError(f"response {position} names no passenger reference or booking reference")
        if response.decision is None:
            raise ValueError(f"response {position} has no decision")
        body.append(segment("ERP", "2"))
        if response.passenger_reference:
            body.append(segment("RFF", ["ABO", response.passenger_reference]))
        body.extend(segment("RFF", ["AVF", booking]) for booking in response.booking_references)
        body.append(segment("ERC", codes[response.decision]))
        if response.text:
            body.append(segment("FTX", "AAP", None, None, response.text))
    body.append(segment("UNT", str(len(body) + 1), message_reference))
    values = [value for item in body for value in _values(item)]
    return serialise(
        body,
        message_type="CUSRES",
        message_count=1,
        sender=sender,
        recipient=recipient,
        prepared_at=prepared_at,
        interchange_reference=interchange_reference,
        syntax=choose_syntax(values),
        version=version,
        separators=separators,
        line_breaks=line_breaks,
    )


def _values(item: Segment) -> list[str]:
    found: list[str] = []
    for element in item.elements:
        found.extend(element if isinstance(element, list) else [element])
    return found


def read_cusres(
    data: bytes | str, *, codes: Mapping[BoardingDecision, str] = DECISION_CODES
) -> tuple[list[CusresMessage], list[ParseWarning]]:
    """Read the CUSRES messages of an interchange: per passenger, references and decision.

    Raises :class:`PaxlstError` when ``data`` is not EDIFACT or holds no CUSRES (naming
    the message type it does hold).
    """
    log = WarningLog()
    tokens = tokenise(decode(data).text, log)
    by_code = {code: decision for decision, code in codes.items()}
    messages: list[CusresMessage] = []
    other: tuple[str, int] | None = None
    current: CusresMessage | None = None
    response: BoardingResponse | None = None
    leg: Leg | None = None
    for item in tokens.segments:
        tag = item.tag
        if tag == "UNH":
            kind = item.get(1, 0).strip().upper()
            if kind != "CUSRES":
                shown = kind if re.fullmatch(r"[A-Z0-9]{1,6}", kind) else repr(kind[:12])
                other = other or (shown, item.number)
                current = None
                continue
            current = CusresMessage(reference=item.get(0), request_reference=None, flight=None, responses=[])
            current.segment = item.number
            messages.append(current)
            response = None
            leg = None
        elif current is None:
            continue
        elif tag == "RFF":
            qualifier, value = item.get(0, 0).strip().upper(), item.get(0, 1).strip()
            if response is None:
                if qualifier == "TN":
                    current.request_reference = value
            elif qualifier in ("ABO", "AEA"):
                response.passenger_reference = value
            elif qualifier == "AVF":
                response.booking_references.append(value)
        elif tag == "TDT":
            journey = "".join(item.get(1).split()).upper()
            carrier = item.get(4).strip().upper()
            number = journey[len(carrier) :] if carrier and journey.startswith(carrier) else journey
            current.flight = Flight(carrier=carrier, number=number.lstrip("0") or number)
        elif tag == "LOC" and current.flight is not None and response is None:
            qualifier, place = item.get(0).strip(), item.get(1).strip().upper()
            if qualifier == "125":
                leg = Leg(departure_airport=place)
                current.flight.legs.append(leg)
            elif qualifier == "87":
                if leg is None or leg.arrival_airport is not None:
                    leg = Leg()
                    current.flight.legs.append(leg)
                leg.arrival_airport = place
        elif tag == "DTM" and leg is not None and response is None:
            moment, _ = parse_datetime(item.get(0, 1), item.get(0, 2))
            if item.get(0, 0) == "189":
                leg.departure_time = moment
            elif item.get(0, 0) == "232":
                leg.arrival_time = moment
        elif tag == "ERP":
            response = BoardingResponse(decision=None, segment=item.number)
            current.responses.append(response)
        elif tag == "ERC" and response is not None:
            response.code = item.get(0).strip().upper()
            response.decision = by_code.get(response.code)
            if response.decision is None:
                log.add("decision", item.number, "ERC", f"unknown response code {response.code!r}")
        elif tag == "FTX" and response is not None:
            response.text = " ".join(part for part in item.components(3) if part) or None
        elif tag == "UNT":
            current = None
            response = None
    if not messages:
        if other is not None:
            raise PaxlstError(
                f"this is a {other[0]} message, not CUSRES",
                segment=other[1],
                tag="UNH",
                expected="a CUSRES message",
                message_type=other[0],
            )
        raise PaxlstError("the interchange holds no message (no UNH segment)", expected="UNH")
    return messages, log.result()
