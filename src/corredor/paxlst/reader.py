"""Read PAXLST passenger and crew lists (UN/EDIFACT, directories D02B, D03B, D05B, D12B and later).

:func:`read_paxlst` takes the bytes (or text) of a file as received and returns every
list in it as :class:`~corredor.paxlst.model.Message` values, multi-part messages joined,
together with :class:`~corredor.paxlst.model.ParseWarning` values for what it tolerated.
It raises :class:`~corredor.paxlst.model.PaxlstError` only when the file cannot be read
as PAXLST at all: not EDIFACT, an unusable UNA, another message type (the error names
it), or a list that names no flight.

Warning codes (``ParseWarning.code``):

``whitespace``, ``line-break``, ``empty-segment``, ``unterminated``, ``tag``,
``dangling-release``
    layout the tokeniser tolerated (spaces or blank lines between segments, a line break
    inside a segment, ``''``, no final terminator, ``UN T`` or ``unh``, a lone ``?`` at
    the end);
``decoding``, ``charset``
    bytes the declared character set cannot decode, characters outside its repertoire;
``envelope``, ``junk``, ``outside-message``, ``not-paxlst``
    missing or inconsistent UNB/UNG/UNE/UNZ, text after UNZ, segments between
    messages, other message types skipped;
``trailer``
    a message without its UNT or an interchange without its UNZ: the file may have been cut short;
``segment-count``, ``count-mismatch``
    UNT segment count, UNE/UNZ message or group counts, CNT 41/42 totals that do not match what was
    read;
``parts``
    multi-part messages with a part missing, repeated, out of order or for another flight;
``lower-case-name``, ``country-code``, ``date``, ``sex``, ``name``, ``flight``,
``list-type``, ``qualifier``, ``unknown-segment``, ``misplaced``, ``empty-list``
    content that was normalised, guessed or ignored.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from corredor.icao.countries import country_to_alpha3, is_known_country
from corredor.paxlst.model import (
    CREW_QUALIFIERS,
    PASSENGER_QUALIFIERS,
    Address,
    Document,
    Flight,
    Leg,
    ListType,
    Message,
    ParseResult,
    ParseWarning,
    PaxlstError,
    Person,
    Role,
    Sex,
)
from corredor.paxlst.syntax import (
    Segment,
    Tokens,
    WarningLog,
    check_charset,
    decode,
    expected_length,
    is_number,
    number,
    parse_date,
    parse_datetime,
    tokenise,
)

__all__ = ["join_parts", "read_paxlst"]

_LIST_TYPES: dict[str, ListType] = {"745": "passenger", "250": "crew"}
_SEX_CODES: dict[str, Sex] = {"M": "M", "F": "F", "X": "X", "U": "X", "MALE": "M", "FEMALE": "F"}
# Segments a PAXLST may carry that the lists do not need; read past them in silence.
_IGNORED_TAGS = frozenset({"GEI", "FTX", "QTY", "MEA", "GID", "CTA", "SEQ", "FII", "TSR"})
_ENVELOPE_TAGS = frozenset({"UNA", "UNB", "UNG", "UNE", "UNZ", "UNH", "UNT"})
_TAG = re.compile(r"[A-Z0-9]{3}")
_NUMBER_ONLY = re.compile(r"[0-9]{1,5}[A-Z]?")
_FLIGHT = re.compile(r"([A-Z]{3}|[A-Z0-9]{2})\s*0*([0-9]{1,4}[A-Z]?)")
_ALPHA2_TO_ALPHA3: dict[str, str] = {}


#: The warnings that say a list may not be whole (cut in transit, or segments lost): ``complete=True``
#: refuses them.
INCOMPLETE_CODES = frozenset({"trailer", "segment-count"})


def read_paxlst(
    data: bytes | str, *, today: datetime.date | None = None, join: bool = True, complete: bool = False
) -> ParseResult:
    """Read every PAXLST list in ``data`` (the raw bytes of a file, or its text).

    Multi-part messages (UNH status of transfer ``01:C`` ... ``nn:F``) are joined into
    one :class:`Message` per flight unless ``join`` is false (then each part is its own
    message and :func:`join_parts` can join parts that arrived in separate files).
    ``today`` only places two-digit years when a list carries no date of its own.

    Raises :class:`PaxlstError` (located: segment number, tag, what was expected) when
    the file cannot be read as PAXLST; anything less is a warning in the result. With
    ``complete``, a file that may not hold the whole list is refused too: a message without
    its UNT, an interchange without its UNZ, or a UNT, UNE or UNZ count that disagrees with
    what was read (a list cut in transit must never pass for the whole list).
    """
    log = WarningLog()
    decoded = decode(data)
    tokens = tokenise(decoded.text, log)
    if decoded.fallback is not None and decoded.bad_offset is not None:
        where = tokens.segment_at(decoded.bad_offset)
        log.add(
            "decoding",
            where.number if where else None,
            where.tag if where else None,
            f"bytes outside the declared character set ({decoded.syntax or 'none declared'}); "
            f"the file was read as {decoded.fallback}",
        )
    check_charset(tokens, decoded.syntax, log)
    reader = _Reader(tokens, log, today or datetime.date.today())
    parts = reader.read()
    messages = _join(parts, log) if join else parts
    for message in messages:
        if join or _is_whole(message):
            # A part's CNT counts the whole list; join_parts checks it once the parts are together.
            _check_counts(message, log)
    warnings = log.result()
    if complete:
        _refuse_incomplete(warnings)
    return ParseResult(
        messages=messages,
        warnings=warnings,
        separators=tokens.separators,
        syntax=decoded.syntax,
        skipped_message_types=reader.skipped_types,
    )


def _refuse_incomplete(warnings: list[ParseWarning]) -> None:
    first = next((warning for warning in warnings if warning.code in INCOMPLETE_CODES), None)
    if first is None:
        return
    expected = {
        "UNT": "a UNT that counts the message's segments",
        "UNE": "a UNE that counts the group's messages",
        "UNZ": "a UNZ that counts the interchange's messages",
    }
    raise PaxlstError(
        f"{first.message}; the file may have been cut short or altered in transit: send the whole "
        "interchange again",
        segment=first.segment,
        tag=first.tag,
        expected=expected.get(first.tag or "", "the message's UNT and the interchange's UNZ trailers"),
    )


def join_parts(messages: Sequence[Message]) -> tuple[list[Message], list[ParseWarning]]:
    """Join the parts of multi-part lists (read with ``join=False``, possibly from several files).

    Parts belong together when they share the UNH common access reference, or, without
    one, the list type, flight and departure date; they are put in sequence order. Whole
    messages pass through unchanged. Returns the joined messages and warnings about
    missing, repeated or inconsistent parts and about CNT totals; their segment numbers
    are those of the file each part came from.
    """
    log = WarningLog()
    given = {id(message) for message in messages}
    joined = _join(list(messages), log)
    for message in joined:
        if id(message) not in given:
            _check_counts(message, log)
    return joined, log.result()


# --- envelope --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Envelope:
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime.datetime | None = None
    reference: str = ""
    messages: int = 0
    groups: int = 0
    group_reference: str = ""
    group_messages: int = 0
    in_group: bool = False


@dataclass(slots=True)
class _Counts:
    passengers: list[int] = field(default_factory=list)
    crew: list[int] = field(default_factory=list)
    segment: int | None = None


class _Reader:
    """Walks the segments: envelopes, then each message body."""

    def __init__(self, tokens: Tokens, log: WarningLog, today: datetime.date) -> None:
        self.tokens = tokens
        self.segments = tokens.segments
        self.log = log
        self.today = today
        self.skipped_types: list[str] = []
        self.first_skipped: Segment | None = None

    def read(self) -> list[Message]:
        segments = self.segments
        messages: list[Message] = []
        envelope: _Envelope | None = None
        saw_unb = False
        after_unz: Segment | None = None
        junk = 0
        index = 0
        while index < len(segments):
            segment = segments[index]
            tag = segment.tag
            if after_unz is not None and tag not in ("UNA", "UNB"):
                junk += 1
                index += 1
                continue
            if after_unz is not None and junk:
                self._junk(after_unz, junk)
                junk = 0
            if tag == "UNA":
                pass
            elif tag == "UNB":
                if envelope is not None and after_unz is None and saw_unb:
                    self.log.add("envelope", segment.number, tag, "a new UNB before the UNZ of the last one")
                envelope = self._unb(segment)
                saw_unb = True
                after_unz = None
            elif tag == "UNG":
                envelope = envelope or self._no_unb(segment)
                envelope.in_group = True
                envelope.groups += 1
                envelope.group_reference = segment.get(4)
                envelope.group_messages = 0
            elif tag == "UNE":
                if envelope is None or not envelope.in_group:
                    self.log.add("envelope", segment.number, tag, "UNE without a UNG ignored")
                else:
                    self._check_trailer(segment, envelope.group_messages, envelope.group_reference, "UNG")
                    envelope.in_group = False
            elif tag == "UNZ":
                if envelope is None:
                    self.log.add("envelope", segment.number, tag, "UNZ without a UNB")
                else:
                    if envelope.in_group:
                        self.log.add("envelope", segment.number, tag, "the UNG group has no UNE")
                    counted = envelope.groups or envelope.messages
                    self._check_trailer(segment, counted, envelope.reference if saw_unb else None, "UNB")
                after_unz = segment
                envelope = None
            elif tag == "UNH":
                envelope = envelope or self._no_unb(segment)
                end = self._message_end(index)
                envelope.messages += 1
                envelope.group_messages += 1
                message = self._message(segments[index:end], envelope)
                if message is not None:
                    messages.append(message)
                index = end
                continue
            else:
                self.log.add(
                    "outside-message",
                    segment.number,
                    tag,
                    f"{_shown(tag)} outside a message (before UNH or after UNT) ignored",
                )
            index += 1
        if junk and after_unz is not None:
            self._junk(after_unz, junk)
        if envelope is not None and saw_unb:
            last = segments[-1]
            self.log.add("trailer", last.number, last.tag, "the interchange has no UNZ trailer")
        if not messages:
            self._nothing_read()
        return messages

    def _junk(self, unz: Segment, count: int) -> None:
        junk = self.tokens.junk_offset
        if junk is not None and junk > unz.offset:
            size = len(self.tokens.text) - junk
            what = f"{size} character{'s' if size != 1 else ''}"
        else:
            what = f"{count} segment{'s' if count != 1 else ''}"
        self.log.add("junk", unz.number + 1, None, f"text after UNZ ignored ({what})")

    def _nothing_read(self) -> None:
        if self.first_skipped is not None:
            kind = _shown_type(self.skipped_types[0])
            raise PaxlstError(
                f"this is a {kind} message, not PAXLST",
                segment=self.first_skipped.number,
                tag="UNH",
                expected="a PAXLST message",
                message_type=kind,
            )
        last = self.segments[-1] if self.segments else None
        raise PaxlstError(
            "the interchange holds no message (no UNH segment)",
            segment=last.number if last else 1,
            tag=last.tag if last else None,
            expected="UNH",
        )

    def _no_unb(self, segment: Segment) -> _Envelope:
        self.log.add("envelope", segment.number, segment.tag, "no UNB interchange header; read without one")
        return _Envelope()

    def _unb(self, segment: Segment) -> _Envelope:
        prepared, _ = parse_datetime(segment.get(3, 0) + segment.get(3, 1), "")
        return _Envelope(
            sender=segment.get(1) or None,
            recipient=segment.get(2) or None,
            prepared_at=prepared,
            reference=segment.get(4),
        )

    def _check_trailer(self, segment: Segment, counted: int, reference: str | None, opener: str) -> None:
        declared = number(segment.get(0))
        if declared is not None and declared != counted:
            self.log.add(
                "segment-count",
                segment.number,
                segment.tag,
                f"{segment.tag} counts {declared}, but {counted} were read",
            )
        if reference is not None and segment.get(1) != reference:
            self.log.add(
                "envelope",
                segment.number,
                segment.tag,
                f"{segment.tag} reference {segment.get(1)!r} differs from the {opener} one, {reference!r}",
            )

    def _message_end(self, start: int) -> int:
        """Index after the UNT that closes the message at ``start`` (or before the next envelope segment)."""
        segments = self.segments
        for index in range(start + 1, len(segments)):
            tag = segments[index].tag
            if tag == "UNT":
                return index + 1
            if tag in _ENVELOPE_TAGS:
                self.log.add(
                    "trailer",
                    segments[index].number,
                    tag,
                    f"the message that starts at segment {segments[start].number} has no UNT",
                )
                return index
        last = segments[-1]
        self.log.add(
            "trailer",
            last.number,
            last.tag,
            f"the message that starts at segment {segments[start].number} has no UNT: the file ends "
            f"at segment {last.number}",
        )
        return len(segments)

    # --- one message -------------------------------------------------------------------------------

    def _message(self, segments: list[Segment], envelope: _Envelope) -> Message | None:
        unh = segments[0]
        kind = unh.get(1, 0).strip().upper()
        if kind and kind != "PAXLST":
            if self.first_skipped is None:
                self.first_skipped = unh
            if kind not in self.skipped_types:
                self.skipped_types.append(kind)
            self.log.add("not-paxlst", unh.number, "UNH", f"a {_shown_type(kind)} message skipped")
            return None
        if not kind:
            self.log.add("envelope", unh.number, "UNH", "UNH names no message type; read as PAXLST")
        trailer = segments[-1] if segments[-1].tag == "UNT" else None
        if trailer is not None:
            declared = number(trailer.get(0))
            if declared is None:
                self.log.add(
                    "segment-count",
                    trailer.number,
                    "UNT",
                    f"UNT segment count {trailer.get(0)!r} is not a number",
                )
            elif declared != len(segments):
                self.log.add(
                    "segment-count",
                    trailer.number,
                    "UNT",
                    f"UNT counts {declared} segments, but the message has {len(segments)}",
                )
            if trailer.get(1) != unh.get(0):
                self.log.add(
                    "envelope",
                    trailer.number,
                    "UNT",
                    f"UNT reference {trailer.get(1)!r} differs from the UNH reference {unh.get(0)!r}",
                )
        body = segments[1:-1] if trailer is not None else segments[1:]
        sequence_text = unh.get(3, 0).strip()
        indicator = unh.get(3, 1).strip().upper()
        sequence = number(sequence_text)
        version = (unh.get(1, 1) + unh.get(1, 2)).strip().upper() or "D02B"
        builder = _MessageBuilder(self, unh, body, envelope)
        message = builder.build()
        message.reference = unh.get(0)
        message.common_access_reference = unh.get(2) or None
        message.version = version
        message.sequence = sequence
        message.final = indicator != "C"
        message.sender = envelope.sender
        message.recipient = envelope.recipient
        message.prepared_at = envelope.prepared_at
        message.segment = unh.number
        return message


class _MessageBuilder:
    """Reads one PAXLST body: BGM, NAD MS, TDT with its LOC/DTM, the persons, CNT."""

    def __init__(self, reader: _Reader, unh: Segment, body: list[Segment], envelope: _Envelope) -> None:
        self.log = reader.log
        self.today = reader.today
        self.unh = unh
        self.body = body
        self.envelope = envelope
        self.list_type: ListType | None = None
        self.bgm_seen = False
        self.document_id: str | None = None
        self.reporting_party: str | None = None
        self.contacts: list[str] = []
        self.flight: Flight | None = None
        self.flight_segment: Segment | None = None
        self.routing_time_pending = False
        self.persons: list[Person] = []
        self.person: Person | None = None
        self.document: Document | None = None
        self.in_party = False
        self.counts = _Counts()
        # Dates waiting for the flight date, which places two-digit birth years.
        self.pending_dates: list[tuple[Segment, Person, Document | None, str]] = []
        self.lower_case = 0

    def build(self) -> Message:
        handlers = {
            "BGM": self._bgm,
            "NAD": self._nad,
            "COM": self._com,
            "TDT": self._tdt,
            "LOC": self._loc,
            "DTM": self._dtm,
            "ATT": self._att,
            "NAT": self._nat,
            "RFF": self._rff,
            "DOC": self._doc,
            "EMP": self._emp,
            "CNT": self._cnt,
        }
        for segment in self.body:
            handler = handlers.get(segment.tag)
            if handler is not None:
                handler(segment)
            elif segment.tag in _IGNORED_TAGS:
                continue
            elif segment.tag in _ENVELOPE_TAGS:
                self.log.add(
                    "misplaced", segment.number, segment.tag, f"{segment.tag} inside a message ignored"
                )
            else:
                self.log.add(
                    "unknown-segment",
                    segment.number,
                    segment.tag,
                    f"{_shown(segment.tag)} is not a PAXLST segment; ignored",
                )
        if self.flight is None:
            end = self.body[-1] if self.body else self.unh
            raise PaxlstError(
                "the list names no flight: no TDT segment in the message that starts at "
                f"segment {self.unh.number}",
                segment=end.number,
                tag=end.tag,
                expected="a TDT segment (flight and carrier) after BGM",
            )
        reference = self._reference_date()
        for segment, person, document, kind in self.pending_dates:
            self._place_date(segment, person, document, kind, reference)
        list_type = self.list_type
        if list_type is None:
            crew = sum(1 for person in self.persons if person.role == "crew")
            list_type = "crew" if self.persons and crew == len(self.persons) else "passenger"
            if not self.bgm_seen:
                self.log.add(
                    "list-type",
                    self.unh.number,
                    "UNH",
                    f"no BGM segment (745 passengers, 250 crew); read as a {list_type} list",
                )
        message = Message(
            list_type=list_type,
            flight=self.flight,
            persons=self.persons,
            reporting_party=self.reporting_party,
            reporting_party_contacts=self.contacts,
            document_id=self.document_id,
        )
        message.declared_passengers = self.counts.passengers[-1] if self.counts.passengers else None
        message.declared_crew = self.counts.crew[-1] if self.counts.crew else None
        message.count_segment = self.counts.segment
        return message

    def _reference_date(self) -> datetime.date:
        assert self.flight is not None
        for leg in self.flight.legs:
            for moment in (leg.departure_time, leg.arrival_time):
                if moment is not None:
                    return moment.date()
        if self.envelope.prepared_at is not None:
            return self.envelope.prepared_at.date()
        return self.today

    # --- header ------------------------------------------------------------------------------------

    def _bgm(self, segment: Segment) -> None:
        code = segment.get(0).strip()
        self.bgm_seen = True
        self.document_id = segment.get(1).strip() or None
        list_type = _LIST_TYPES.get(code)
        if list_type is None:
            self.log.add(
                "list-type",
                segment.number,
                "BGM",
                f"BGM document code {code!r} is neither 745 (passenger list) nor 250 (crew list); "
                "the list type is taken from the persons",
            )
        self.list_type = list_type

    def _com(self, segment: Segment) -> None:
        if not self.in_party:
            return
        for components in segment.elements:
            number = components[0].strip() if components else ""
            if number:
                kind = components[1].strip() if len(components) > 1 else ""
                self.contacts.append(f"{number} ({kind})" if kind else number)

    def _tdt(self, segment: Segment) -> None:
        self.in_party = False
        if self.flight is not None:
            self.log.add("flight", segment.number, "TDT", "a second TDT in one message ignored")
            return
        journey = "".join(segment.get(1).split()).upper()
        carrier = "".join(segment.get(4, 0).split()).upper()
        number = journey
        if carrier and journey.startswith(carrier):
            number = journey[len(carrier) :]
        elif _NUMBER_ONLY.fullmatch(journey):
            if not carrier:
                self.log.add("flight", segment.number, "TDT", f"flight {journey!r} comes without a carrier")
        else:
            match = _FLIGHT.fullmatch(journey)
            if match:
                if carrier and carrier != match.group(1):
                    self.log.add(
                        "flight",
                        segment.number,
                        "TDT",
                        f"flight {journey} does not start with the carrier {carrier}; carrier {carrier} kept",
                    )
                carrier = carrier or match.group(1)
                number = match.group(2)
            elif not carrier:
                self.log.add(
                    "flight",
                    segment.number,
                    "TDT",
                    f"cannot tell the carrier from flight {journey!r} and TDT names none",
                )
        number = number.lstrip("0") or number
        if not journey:
            self.log.add("flight", segment.number, "TDT", "TDT gives no flight number")
        self.flight = Flight(
            carrier=carrier,
            number=number,
            aircraft_registration=segment.get(7).strip().upper() or None,
        )
        self.flight_segment = segment

    # --- persons -----------------------------------------------------------------------------------

    def _nad(self, segment: Segment) -> None:
        qualifier = segment.get(0).strip().upper()
        self.document = None
        if qualifier == "MS":
            self.in_party = True
            self.person = None
            name = " ".join(part for part in segment.components(3) if part.strip()) or segment.get(2)
            self.reporting_party = " ".join(name.split()) or None
            return
        self.in_party = False
        role: Role
        if qualifier in PASSENGER_QUALIFIERS:
            role = "passenger"
        elif qualifier in CREW_QUALIFIERS:
            role = "crew"
        else:
            role = self.list_type or "passenger"
            self.log.add(
                "qualifier",
                segment.number,
                "NAD",
                f"NAD qualifier {qualifier!r} is not FL, FM, DDU or DDT; read as a {role}",
            )
            qualifier = "FL" if role == "passenger" else "FM"
        names = [" ".join(part.split()) for part in segment.components(3)]
        surname = names[0] if names else ""
        given = " ".join(part for part in names[1:] if part)
        if not surname and segment.get(2).strip():
            surname = " ".join(segment.get(2).split())
            self.log.add("name", segment.number, "NAD", "name read from the unstructured name and address")
        if "/" in surname and not given:
            surname, _, given = (part.strip() for part in surname.partition("/"))
            self.log.add(
                "name", segment.number, "NAD", "name written SURNAME/GIVEN NAMES; split at the slash"
            )
        if not surname:
            self.log.add("name", segment.number, "NAD", "a person without a surname")
        if any(char.islower() for char in surname + given):
            self.log.add("lower-case-name", segment.number, "NAD", "name in lower case; upper-cased")
        address = Address(
            street=" ".join(" ".join(segment.components(4)).split()).upper(),
            city=" ".join(segment.get(5).split()).upper(),
            region=" ".join(segment.get(6).split()).upper(),
            postal_code=segment.get(7).strip().upper(),
            country=self._country(segment, segment.get(8)) or "",
        )
        self.person = Person(
            role=role,
            surname=surname.upper(),
            given_names=given.upper(),
            qualifier=qualifier,
            segment=segment.number,
            address=None if address.is_empty() else address,
        )
        self.persons.append(self.person)

    def _current_person(self, segment: Segment) -> Person | None:
        if self.person is None:
            self.log.add(
                "misplaced",
                segment.number,
                segment.tag,
                f"{segment.tag} before any person (NAD FL/FM) ignored",
            )
        return self.person

    def _att(self, segment: Segment) -> None:
        person = self._current_person(segment)
        if person is None or segment.get(0).strip() != "2":
            return
        value = segment.get(2).strip().upper() or segment.get(1).strip().upper()
        sex = _SEX_CODES.get(value)
        if sex is None:
            self.log.add("sex", segment.number, "ATT", f"sex {value!r} is not M, F or U; left empty")
        person.sex = sex

    def _nat(self, segment: Segment) -> None:
        person = self._current_person(segment)
        if person is not None:
            person.nationality = self._country(segment, segment.get(1))

    def _rff(self, segment: Segment) -> None:
        person = self.person
        if person is None:
            return  # message-level references (RFF+TN ...) carry nothing the lists need
        qualifier = segment.get(0, 0).strip().upper()
        value = segment.get(0, 1).strip().upper()
        if not value:
            return
        if qualifier == "AVF":
            person.booking_references.append(value)
        elif qualifier in ("ABO", "AEA"):
            person.passenger_reference = value
        elif qualifier == "SEA":
            person.seat = value

    def _doc(self, segment: Segment) -> None:
        person = self._current_person(segment)
        if person is None:
            return
        number = "".join(segment.get(1).split()).upper()
        kind = segment.get(0).strip().upper()
        if not number:
            self.log.add("misplaced", segment.number, "DOC", "DOC without a document number")
        self.document = Document(type=kind, number=number)
        person.documents.append(self.document)

    def _emp(self, segment: Segment) -> None:
        person = self._current_person(segment)
        if person is not None:
            person.crew_function = segment.get(1).strip().upper() or None

    def _cnt(self, segment: Segment) -> None:
        qualifier = segment.get(0, 0).strip()
        value = segment.get(0, 1).strip()
        count = number(value)
        if count is None:
            self.log.add("count-mismatch", segment.number, "CNT", f"CNT count {value!r} is not a number")
            return
        if qualifier == "42":
            self.counts.passengers.append(count)
        elif qualifier == "41":
            self.counts.crew.append(count)
        else:
            return
        self.counts.segment = segment.number

    # --- places and dates --------------------------------------------------------------------------

    def _loc(self, segment: Segment) -> None:
        qualifier = segment.get(0).strip()
        place = "".join(segment.get(1).split()).upper()
        if self.person is None:
            self._flight_place(segment, qualifier, place)
            return
        person = self.person
        if qualifier == "91":
            if self.document is None:
                self.log.add(
                    "misplaced", segment.number, "LOC", "LOC 91 (issuing state) before any DOC ignored"
                )
            else:
                self.document.issuing_state = self._country(segment, place)
        elif qualifier == "178":
            person.embarkation = place or None
        elif qualifier == "179":
            person.debarkation = place or None
        elif qualifier == "174":
            person.residence_country = self._country(segment, place)
        elif qualifier == "180":
            person.birth_country = self._country(segment, place) if place else None
            name = segment.get(1, 3) or segment.get(2, 3) or segment.get(2, 0)
            person.birth_place = " ".join(name.split()).upper() or None

    def _flight_place(self, segment: Segment, qualifier: str, place: str) -> None:
        flight = self.flight
        if flight is None:
            self.log.add("misplaced", segment.number, "LOC", "LOC before the TDT (flight) ignored")
            return
        self.routing_time_pending = False
        if qualifier == "125":
            flight.legs.append(Leg(departure_airport=place or None))
        elif qualifier == "87":
            if not flight.legs or flight.legs[-1].arrival_airport is not None:
                flight.legs.append(Leg())
            flight.legs[-1].arrival_airport = place or None
        elif qualifier == "92":
            flight.routing.append(place)
            self.routing_time_pending = True

    def _dtm(self, segment: Segment) -> None:
        qualifier = segment.get(0, 0).strip()
        value = segment.get(0, 1)
        format_code = segment.get(0, 2).strip()
        length = expected_length(format_code)
        digits = value.strip()
        if length is not None and len(digits) != length and is_number(digits):
            self.log.add(
                "date",
                segment.number,
                "DTM",
                f"DTM {qualifier} value {digits!r} does not have the {length} digits format {format_code} "
                "announces; read by its length",
            )
        if self.person is None:
            self._flight_time(segment, qualifier, value, format_code)
            return
        if qualifier == "329":
            self.pending_dates.append((segment, self.person, None, "birth"))
        elif qualifier in ("36", "182"):
            if self.document is None:
                self.log.add("misplaced", segment.number, "DTM", f"DTM {qualifier} before any DOC ignored")
            else:
                self.pending_dates.append((segment, self.person, self.document, qualifier))

    def _flight_time(self, segment: Segment, qualifier: str, value: str, format_code: str) -> None:
        flight = self.flight
        if flight is None or qualifier not in ("189", "232"):
            return
        if self.routing_time_pending or not flight.legs:
            return  # times at routing points (LOC 92) are not kept
        moment, has_time = parse_datetime(value, format_code)
        if moment is None:
            self.log.add(
                "date", segment.number, "DTM", f"DTM {qualifier} value {value!r} is not a date; ignored"
            )
            return
        if not has_time:
            self.log.add("date", segment.number, "DTM", f"DTM {qualifier} gives a date without a time of day")
        if qualifier == "189":
            flight.legs[-1].departure_time = moment
        else:
            flight.legs[-1].arrival_time = moment

    def _place_date(
        self, segment: Segment, person: Person, document: Document | None, kind: str, reference: datetime.date
    ) -> None:
        value = segment.get(0, 1)
        what = {"birth": "birth date", "36": "expiry date", "182": "issue date"}[kind]
        # Issue dates, like birth dates, are never after the flight.
        date = parse_date(
            value, segment.get(0, 2), kind="expiry" if kind == "36" else "birth", reference=reference
        )
        if date is None:
            self.log.add("date", segment.number, "DTM", f"{what} {value!r} is not a date; left empty")
            return
        if document is None:
            person.birth_date = date
        elif kind == "36":
            document.expiry_date = date
        else:
            document.issue_date = date

    def _country(self, segment: Segment, code: str) -> str | None:
        clean = "".join(code.split()).upper()
        if not clean:
            return None
        if len(clean) == 2:
            alpha3 = _alpha2_to_alpha3(clean)
            if alpha3 is not None:
                self.log.add(
                    "country-code",
                    segment.number,
                    segment.tag,
                    f"two-letter country code {clean} read as {alpha3}",
                )
                return alpha3
        if not is_known_country(clean):
            self.log.add(
                "country-code", segment.number, segment.tag, f"unknown country code {clean!r} kept as sent"
            )
            return clean
        return country_to_alpha3(clean) or clean


def _alpha2_to_alpha3(code: str) -> str | None:
    if not _ALPHA2_TO_ALPHA3:
        import pycountry

        _ALPHA2_TO_ALPHA3.update({country.alpha_2: country.alpha_3 for country in pycountry.countries})
    return _ALPHA2_TO_ALPHA3.get(code)


def _shown_type(kind: str) -> str:
    return kind if re.fullmatch(r"[A-Z0-9]{1,6}", kind) else repr(kind[:12])


def _shown(tag: str) -> str:
    return tag if _TAG.fullmatch(tag) else f"segment {tag[:20]!r}"


# --- parts and counts ------------------------------------------------------------------------------


def _part_key(message: Message) -> tuple[str, ...]:
    if message.common_access_reference:
        return ("ref", message.common_access_reference)
    departure = message.flight.departure_time
    return (
        "flight",
        message.list_type,
        message.flight.designator,
        departure.date().isoformat() if departure else "",
        message.sender or "",
    )


def _is_whole(message: Message) -> bool:
    """True for a message that is not a part of a multi-part list (or is all its parts, joined)."""
    return (message.final and message.sequence in (None, 1)) or message.parts > 1


def _join(messages: list[Message], log: WarningLog) -> list[Message]:
    order: list[Message | tuple[str, ...]] = []
    groups: dict[tuple[str, ...], list[Message]] = {}
    for message in messages:
        if _is_whole(message):
            order.append(message)
            continue
        key = _part_key(message)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(message)
    joined: list[Message] = []
    for item in order:
        if isinstance(item, Message):
            joined.append(item)
        else:
            joined.append(_join_group(groups[item], log))
    return joined


def _join_group(parts: list[Message], log: WarningLog) -> Message:
    parts = sorted(parts, key=lambda part: part.sequence or 0)
    first = parts[0]
    seen: set[int] = set()
    for position, part in enumerate(parts, start=1):
        sequence = part.sequence or 0
        if sequence in seen:
            log.add("parts", part.segment, "UNH", f"part {sequence} of message {first.reference} repeated")
        elif sequence != position and sequence not in seen:
            log.add("parts", part.segment, "UNH", f"part {position} of message {first.reference} is missing")
        seen.add(sequence)
        if part.final and part is not parts[-1]:
            log.add(
                "parts", part.segment, "UNH", f"part {sequence} says it is the last, but more parts follow"
            )
        if part is not first and part.flight.designator != first.flight.designator:
            log.add(
                "parts",
                part.segment,
                "UNH",
                f"part {sequence} is for flight {part.flight.designator}, part 1 for "
                f"{first.flight.designator}; joined under {first.flight.designator}",
            )
    if not parts[-1].final:
        log.add(
            "parts",
            parts[-1].segment,
            "UNH",
            f"the last part of message {first.reference} (F) is missing; the list may be incomplete",
        )
    persons = [person for part in parts for person in part.persons]
    return replace(
        first,
        persons=persons,
        declared_passengers=_declared(
            [part.declared_passengers for part in parts],
            len([person for person in persons if person.role == "passenger"]),
        ),
        declared_crew=_declared(
            [part.declared_crew for part in parts],
            len([person for person in persons if person.role == "crew"]),
        ),
        sequence=None,
        final=parts[-1].final,
        count_segment=next((part.count_segment for part in reversed(parts) if part.count_segment), None),
        parts=len(parts),
        flight=replace(first.flight, legs=list(first.flight.legs), routing=list(first.flight.routing)),
    )


def _declared(values: list[int | None], actual: int) -> int | None:
    """The total a multi-part list declares: the last part's CNT, or the parts' CNTs added up."""
    given = [value for value in values if value is not None]
    if not given:
        return None
    if len(given) > 1 and given[-1] != actual and sum(given) == actual:
        return actual
    return given[-1]


def _check_counts(message: Message, log: WarningLog) -> None:
    passengers = len(message.passengers)
    crew = len(message.crew)
    where = message.count_segment
    if message.declared_passengers is not None and message.declared_passengers != passengers:
        log.add(
            "count-mismatch",
            where,
            "CNT",
            f"CNT 42 declares {message.declared_passengers} passengers on flight "
            f"{message.flight.designator}, but {passengers} were read",
        )
    if message.declared_crew is not None and message.declared_crew != crew:
        log.add(
            "count-mismatch",
            where,
            "CNT",
            f"CNT 41 declares {message.declared_crew} crew members on flight {message.flight.designator}, "
            f"but {crew} were read",
        )
    if not message.persons:
        log.add(
            "empty-list",
            message.segment,
            "UNH",
            f"the list for flight {message.flight.designator} names nobody",
        )
