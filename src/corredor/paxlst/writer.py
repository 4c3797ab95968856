"""Write PAXLST interchanges from :class:`~corredor.paxlst.model.Message` values.

For tests, demo flights and airline simulators: what :func:`write_paxlst` writes,
:func:`~corredor.paxlst.reader.read_paxlst` reads back to equal messages. Segments are
pydifact ``Segment`` objects and pydifact's ``Serializer`` writes them, so the release
character goes in front of every service character in the data (``O?'BRIEN``) and the
UNA matches the separators chosen.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from pydifact.control.characters import Characters
from pydifact.segments import Segment
from pydifact.serializer import Serializer

from corredor.paxlst.model import (
    CREW_QUALIFIERS,
    DEFAULT_SEPARATORS,
    PASSENGER_QUALIFIERS,
    Flight,
    Message,
    Person,
    Separators,
)
from corredor.paxlst.syntax import SYNTAX_ENCODINGS, is_number, parse_date

__all__ = ["choose_syntax", "interchange_encoding", "write_paxlst"]

Element = str | list[str]

_LIST_CODES = {"passenger": "745", "crew": "250"}
_LEVEL_A = re.compile(r"[A-Z0-9 .,\-()/='+:?!\"%&*;<>]*")
_LEVEL_B = re.compile(r"[\x20-\x7e]*")
_CONTACT = re.compile(r"(.*?)\s*\((\w+)\)")
_NAME_COMPONENT = 35  # an..35 in C080


def choose_syntax(texts: Sequence[str]) -> str:
    """The smallest UNB syntax level that holds every text: UNOA, UNOB, UNOC or UNOW (UTF-8)."""
    joined = "".join(texts)
    if _LEVEL_A.fullmatch(joined):
        return "UNOA"
    if _LEVEL_B.fullmatch(joined):
        return "UNOB"
    try:
        joined.encode("latin-1")
    except UnicodeEncodeError:
        return "UNOW"
    return "UNOC"


def interchange_encoding(syntax: str) -> str:
    """The Python codec to encode an interchange of UNB syntax level ``syntax`` (``UNOC`` -> latin-1)."""
    return SYNTAX_ENCODINGS.get(syntax, "utf-8")


def write_paxlst(
    messages: Message | Sequence[Message],
    *,
    sender: str | None = None,
    recipient: str | None = None,
    prepared_at: datetime.datetime | None = None,
    interchange_reference: str = "1",
    syntax: str | None = None,
    version: str | None = None,
    separators: Separators = DEFAULT_SEPARATORS,
    max_persons_per_part: int | None = None,
    line_breaks: bool = False,
) -> str:
    """One interchange (UNA, UNB, UNG, the messages, UNE, UNZ) holding ``messages``; returns its text.

    ``sender``/``recipient`` default to the first message's (else its carrier, and
    ``API``); ``prepared_at`` to its ``prepared_at`` or flight departure. ``syntax``
    (``UNOA`` ...) defaults to the smallest level that holds the data: encode the
    text with :func:`interchange_encoding`. ``version`` (``D02B``, ``D05B``, ``D12B``
    ...) overrides each message's own. ``max_persons_per_part`` splits longer lists into
    parts ``01:C`` ... ``nn:F`` that repeat the header and flight; CNT (the whole list's
    totals) is in the last part. ``line_breaks`` puts a line break after each segment.
    Raises ValueError for separators without a release character or a list with no persons
    per part to give.
    """
    batch = [messages] if isinstance(messages, Message) else list(messages)
    if not batch:
        raise ValueError("no message to write")
    if separators.release is None:
        raise ValueError("the writer needs a release character")
    separators.checked()
    if max_persons_per_part is not None and max_persons_per_part < 1:
        raise ValueError("max_persons_per_part must be at least 1")
    first = batch[0]
    when = prepared_at or first.prepared_at or first.flight.departure_time or datetime.datetime(2000, 1, 1)
    group_version = version or first.version
    body: list[Segment] = []
    count = 0
    for index, message in enumerate(batch, start=1):
        parts = _split_persons(message.persons, max_persons_per_part)
        base = message.reference or str(index)
        access = message.common_access_reference or _access_reference(message.flight)
        for number, persons in enumerate(parts, start=1):
            reference = base if len(parts) == 1 else f"{base}-{number}"
            last = number == len(parts)
            segments = _message_segments(
                message,
                persons,
                reference=reference,
                access=access,
                version=version or message.version,
                status=(number, last),
                counts=last,
            )
            body.extend(segments)
            count += 1
    texts = [value for segment in body for value in _values(segment)]
    return serialise(
        body,
        message_type="PAXLST",
        message_count=count,
        sender=sender or first.sender or first.flight.carrier or "CARRIER",
        recipient=recipient or first.recipient or "API",
        prepared_at=when,
        interchange_reference=interchange_reference,
        syntax=syntax or choose_syntax(texts),
        version=group_version,
        separators=separators,
        line_breaks=line_breaks,
    )


# --- shared with the CUSRES writer -----------------------------------------------------------------


def segment(tag: str, *elements: Element | None) -> Segment:
    """A pydifact segment from elements (None and trailing empty elements left out)."""
    values: list[Element] = []
    for element in elements:
        if element is None:
            values.append("")
        elif isinstance(element, list):
            trimmed = [_clean(part) for part in element]
            while trimmed and not trimmed[-1]:
                trimmed.pop()
            values.append(trimmed if len(trimmed) > 1 else (trimmed[0] if trimmed else ""))
        else:
            values.append(_clean(element))
    while values and values[-1] == "":
        values.pop()
    return Segment(tag, *values) if values else Segment(tag, "")


def _clean(value: str) -> str:
    # Line breaks inside data would read back as layout; nothing in a list needs one.
    return " ".join(value.split()) if ("\n" in value or "\r" in value or "\t" in value) else value


def _values(item: Segment) -> list[str]:
    found: list[str] = []
    for element in item.elements:
        if isinstance(element, list):
            found.extend(element)
        else:
            found.append(element)
    return found


def _date_parts(version: str) -> tuple[str, str]:
    directory = version.upper().replace(":", "")
    return directory[:1] or "D", directory[1:] or "05B"


def serialise(
    body: list[Segment],
    *,
    message_type: str,
    message_count: int,
    sender: str,
    recipient: str,
    prepared_at: datetime.datetime,
    interchange_reference: str,
    syntax: str,
    version: str,
    separators: Separators,
    line_breaks: bool,
) -> str:
    """Wrap message segments in UNB/UNG ... UNE/UNZ and write them, UNA first, with pydifact."""
    date = prepared_at.strftime("%y%m%d")
    time = prepared_at.strftime("%H%M")
    agency_version = list(_date_parts(version))
    segments = [
        segment("UNB", [syntax, "4"], sender, recipient, [date, time], interchange_reference),
        segment(
            "UNG", message_type, sender, recipient, [date, time], interchange_reference, "UN", agency_version
        ),
        *body,
        segment("UNE", str(message_count), interchange_reference),
        segment("UNZ", "1", interchange_reference),
    ]
    characters = Characters.from_str(separators.una())
    text = Serializer(characters).serialize(segments, with_una_header=True, break_lines=line_breaks)
    return text


def flight_segments(flight: Flight) -> list[Segment]:
    """TDT and the LOC/DTM of every leg, then LOC 92 for each routing place."""
    segments = [
        segment(
            "TDT",
            "20",
            flight.designator,
            None,
            None,
            flight.carrier,
            None,
            None,
            flight.aircraft_registration,
        )
    ]
    for leg in flight.legs:
        if leg.departure_airport:
            segments.append(segment("LOC", "125", leg.departure_airport))
            if leg.departure_time:
                segments.append(segment("DTM", ["189", leg.departure_time.strftime("%y%m%d%H%M"), "201"]))
        if leg.arrival_airport:
            segments.append(segment("LOC", "87", leg.arrival_airport))
            if leg.arrival_time:
                segments.append(segment("DTM", ["232", leg.arrival_time.strftime("%y%m%d%H%M"), "201"]))
    segments.extend(segment("LOC", "92", place) for place in flight.routing)
    return segments


# --- PAXLST ----------------------------------------------------------------------------------------


def _split_persons(persons: list[Person], size: int | None) -> list[list[Person]]:
    if size is None or len(persons) <= size:
        return [persons]
    return [persons[start : start + size] for start in range(0, len(persons), size)]


def _access_reference(flight: Flight) -> str:
    departure = flight.departure_time
    when = departure.strftime("%y%m%d/%H%M") if departure else ""
    return f"{flight.designator}/{when}" if when else flight.designator


def _message_segments(
    message: Message,
    persons: list[Person],
    *,
    reference: str,
    access: str,
    version: str,
    status: tuple[int, bool],
    counts: bool,
) -> list[Segment]:
    directory, release = _date_parts(version)
    number, last = status
    segments = [
        segment(
            "UNH",
            reference,
            ["PAXLST", directory, release, "UN", "IATA"],
            access,
            [f"{number:02d}", "F" if last else "C"],
        ),
        segment("BGM", _LIST_CODES[message.list_type], message.document_id),
    ]
    if message.reporting_party:
        segments.append(segment("NAD", "MS", None, None, message.reporting_party))
        contacts = [_contact(contact) for contact in message.reporting_party_contacts]
        if contacts:
            segments.append(segment("COM", *contacts))
    segments.extend(flight_segments(message.flight))
    reference_date = _reference_date(message)
    long_dates = _directory_year(version) >= 2012
    for person in persons:
        segments.extend(_person_segments(person, reference_date, long_dates))
    if counts:
        if message.list_type == "passenger" or message.passengers:
            segments.append(segment("CNT", ["42", str(len(message.passengers))]))
        if message.list_type == "crew" or message.crew:
            segments.append(segment("CNT", ["41", str(len(message.crew))]))
    segments.append(segment("UNT", str(len(segments) + 1), reference))
    return segments


def _directory_year(version: str) -> int:
    digits = version.upper().replace(":", "")[1:3]
    if not is_number(digits):
        return 2005
    return (1900 if int(digits) >= 90 else 2000) + int(digits)


def _contact(text: str) -> list[str]:
    match = _CONTACT.fullmatch(text)
    return [match.group(1), match.group(2)] if match else [text, "TE"]


def _reference_date(message: Message) -> datetime.date:
    for leg in message.flight.legs:
        for moment in (leg.departure_time, leg.arrival_time):
            if moment is not None:
                return moment.date()
    if message.prepared_at is not None:
        return message.prepared_at.date()
    return datetime.date(2000, 1, 1)


def _date(
    qualifier: str, value: datetime.date, *, kind: str, reference: datetime.date, long_dates: bool
) -> Segment:
    short = value.strftime("%y%m%d")
    # Six digits where the reader's century rule places them right, eight (format 102) otherwise.
    if not long_dates and parse_date(short, "", kind=kind, reference=reference) == value:
        return segment("DTM", [qualifier, short])
    return segment("DTM", [qualifier, value.strftime("%Y%m%d"), "102"])


def _name_components(surname: str, given_names: str) -> list[str]:
    components = [surname]
    rest = given_names
    while len(rest) > _NAME_COMPONENT and len(components) < 3:
        cut = rest.rfind(" ", 0, _NAME_COMPONENT + 1)
        if cut <= 0:
            break
        components.append(rest[:cut])
        rest = rest[cut + 1 :]
    components.append(rest)
    return components


def _person_segments(person: Person, reference: datetime.date, long_dates: bool) -> list[Segment]:
    address = person.address
    allowed = PASSENGER_QUALIFIERS if person.role == "passenger" else CREW_QUALIFIERS
    qualifier = (
        person.qualifier if person.qualifier in allowed else ("FL" if person.role == "passenger" else "FM")
    )
    segments = [
        segment(
            "NAD",
            qualifier,
            None,
            None,
            _name_components(person.surname, person.given_names),
            address.street if address else None,
            address.city if address else None,
            address.region if address else None,
            address.postal_code if address else None,
            address.country if address else None,
        )
    ]
    if person.sex:
        segments.append(segment("ATT", "2", None, person.sex))
    if person.birth_date:
        segments.append(
            _date("329", person.birth_date, kind="birth", reference=reference, long_dates=long_dates)
        )
    if person.embarkation:
        segments.append(segment("LOC", "178", person.embarkation))
    if person.debarkation:
        segments.append(segment("LOC", "179", person.debarkation))
    if person.residence_country:
        segments.append(segment("LOC", "174", person.residence_country))
    if person.birth_country or person.birth_place:
        segments.append(segment("LOC", "180", [person.birth_country or "", "", "", person.birth_place or ""]))
    if person.crew_function:
        segments.append(segment("EMP", "1", [person.crew_function, "110", "111"]))
    if person.nationality:
        segments.append(segment("NAT", "2", person.nationality))
    segments.extend(segment("RFF", ["AVF", booking]) for booking in person.booking_references)
    if person.passenger_reference:
        segments.append(segment("RFF", ["ABO", person.passenger_reference]))
    if person.seat:
        segments.append(segment("RFF", ["SEA", person.seat]))
    for document in person.documents:
        segments.append(segment("DOC", [document.type, "110", "111"], document.number))
        if document.expiry_date:
            segments.append(
                _date("36", document.expiry_date, kind="expiry", reference=reference, long_dates=long_dates)
            )
        if document.issue_date:
            segments.append(
                _date("182", document.issue_date, kind="birth", reference=reference, long_dates=long_dates)
            )
        if document.issuing_state:
            segments.append(segment("LOC", "91", document.issuing_state))
    return segments
