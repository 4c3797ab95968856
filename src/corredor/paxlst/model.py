"""Plain data for passenger and crew lists: what the reader returns and the writer takes.

Everything here is a dataclass of strings, dates and lists, so the ``manifests`` app can
store it field by field and tests can build it by hand. Codes are kept as the messages
carry them (airports IATA, countries ICAO/ISO alpha-3, document types as in DOC),
except where the reader normalises them (upper case, alpha-2 countries to alpha-3) and
then says so in a warning.

Times are the local times of the airports concerned, as the WCO/IATA/ICAO API
Guidelines define DTM 189/232; they are naive ``datetime`` values on purpose.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

__all__ = [
    "CREW_QUALIFIERS",
    "DEFAULT_SEPARATORS",
    "PASSENGER_QUALIFIERS",
    "Address",
    "Document",
    "Flight",
    "Leg",
    "ListType",
    "Message",
    "ParseResult",
    "ParseWarning",
    "PaxlstError",
    "Person",
    "Role",
    "Separators",
    "Sex",
    "message_as_json",
    "message_from_json",
]

Role = Literal["passenger", "crew"]
ListType = Literal["passenger", "crew"]
Sex = Literal["M", "F", "X"]

#: NAD party function qualifiers (3035) of people on a list, by role. FL passenger,
#: DDU passenger in transit; FM crew member, DDT crew member in transit.
PASSENGER_QUALIFIERS = frozenset({"FL", "DDU"})
CREW_QUALIFIERS = frozenset({"FM", "DDT"})
_IN_TRANSIT_QUALIFIERS = frozenset({"DDU", "DDT"})
_TAG = re.compile(r"[A-Z0-9]{3}")


class PaxlstError(ValueError):
    """A message that cannot be read as PAXLST, located as precisely as the input allows.

    ``segment`` is the 1-based number of the segment in the file (the UNA, when there is
    one, is segment 1), ``tag`` its tag, ``expected`` what the reader needed there. The
    string form is one line meant for people: ``segment 3 (BGM): expected ...``.
    ``message_type`` is set when the file holds another EDIFACT message (CUSRES, ...).
    """

    def __init__(
        self,
        message: str,
        *,
        segment: int | None = None,
        tag: str | None = None,
        expected: str | None = None,
        message_type: str | None = None,
    ) -> None:
        self.message = message
        self.segment = segment
        self.tag = tag
        self.expected = expected
        self.message_type = message_type
        super().__init__(self._text())

    def _text(self) -> str:
        where = ""
        if self.segment is not None:
            where = f"segment {self.segment}"
            if self.tag:
                tag = self.tag if _TAG.fullmatch(self.tag) else repr(self.tag[:12])
                where += f" ({tag})"
            where += ": "
        # One line, whatever the file held: the command prints this on standard error.
        return " ".join((where + self.message).splitlines())

    def as_json(self) -> dict[str, Any]:
        """The error as a JSON-ready dict: segment, tag, expected, message."""
        return {"segment": self.segment, "tag": self.tag, "expected": self.expected, "message": self.message}


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the reader tolerated: where it was, and what it did about it.

    ``code`` is a stable machine-readable kind (``count-mismatch``, ``lower-case-name``,
    ``charset`` ...; the reader module lists them) so callers can react to some kinds.
    """

    segment: int | None
    tag: str | None
    message: str
    code: str = "other"

    def as_json(self) -> dict[str, Any]:
        """The warning as the command prints it: segment, tag, message."""
        return {"segment": self.segment, "tag": self.tag, "message": self.message}


@dataclass(frozen=True, slots=True)
class Separators:
    """The service characters of an interchange, as a UNA segment declares them.

    ``release`` is None when the interchange has no release character (a space in the
    UNA release position). ``repetition`` is the fifth UNA character (reserved in syntax
    version 3, repetition separator in version 4); PAXLST never repeats data elements.
    """

    component: str = ":"
    data: str = "+"
    decimal: str = "."
    release: str | None = "?"
    repetition: str = " "
    terminator: str = "'"

    @classmethod
    def from_una(cls, six: str) -> Separators:
        """Separators from the six characters that follow ``UNA``; raises ValueError when unusable."""
        if len(six) != 6:
            raise ValueError(f"a UNA segment gives six service characters, not {len(six)}")
        return cls(
            component=six[0],
            data=six[1],
            decimal=six[2],
            release=None if six[3] == " " else six[3],
            repetition=six[4],
            terminator=six[5],
        ).checked()

    def checked(self) -> Separators:
        """Return self when the separators can delimit data; raise ValueError when they cannot."""
        syntax = [self.component, self.data, self.terminator] + ([self.release] if self.release else [])
        if any(len(char) != 1 for char in syntax):
            raise ValueError("each service character is exactly one character")
        if len(set(syntax)) != len(syntax):
            raise ValueError(f"component, data, release and terminator characters must differ: {syntax!r}")
        if any(char.isalnum() or char == " " for char in syntax):
            raise ValueError("letters, digits and spaces cannot be service characters")
        return self

    def una(self) -> str:
        """The UNA service string advice segment for these separators (including its terminator)."""
        return (
            "UNA"
            + self.component
            + self.data
            + self.decimal
            + (self.release or " ")
            + (self.repetition + self.terminator)
        )


#: The separators an interchange without UNA uses (syntax levels A and B as sent in practice).
DEFAULT_SEPARATORS = Separators()


@dataclass(slots=True, kw_only=True)
class Leg:
    """One flight leg: from a LOC 125 (with DTM 189) to the LOC 87 (with DTM 232) after it."""

    departure_airport: str | None = None
    departure_time: datetime.datetime | None = None
    arrival_airport: str | None = None
    arrival_time: datetime.datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """The leg as JSON: airports and times (``YYYY-MM-DDTHH:MM``)."""
        return {
            "departure_airport": self.departure_airport,
            "departure_time": _iso_time(self.departure_time),
            "arrival_airport": self.arrival_airport,
            "arrival_time": _iso_time(self.arrival_time),
        }


@dataclass(slots=True, kw_only=True)
class Flight:
    """The flight of a list (TDT and the LOC/DTM after it).

    ``number`` is the flight number without the carrier and without leading zeros
    (``AM0650`` is carrier ``AM``, number ``650``), so lists from senders that pad and
    senders that do not name the same flight. ``legs`` holds every LOC 125 .. LOC 87
    pair in message order; the first one is the reported leg (the API Guidelines' last
    departure before, and first arrival in, the receiving state), and the
    ``departure_*`` / ``arrival_*`` properties read it. ``routing`` lists the LOC 92
    places in order.
    """

    carrier: str
    number: str
    legs: list[Leg] = field(default_factory=list)
    routing: list[str] = field(default_factory=list)
    aircraft_registration: str | None = None

    @property
    def designator(self) -> str:
        """Carrier and number together, ``AM650``."""
        return f"{self.carrier}{self.number}"

    @property
    def departure_airport(self) -> str | None:
        """Departure airport of the reported (first) leg."""
        return self.legs[0].departure_airport if self.legs else None

    @property
    def departure_time(self) -> datetime.datetime | None:
        """Local departure time of the reported (first) leg."""
        return self.legs[0].departure_time if self.legs else None

    @property
    def arrival_airport(self) -> str | None:
        """Arrival airport of the reported (first) leg."""
        return self.legs[0].arrival_airport if self.legs else None

    @property
    def arrival_time(self) -> datetime.datetime | None:
        """Local arrival time of the reported (first) leg."""
        return self.legs[0].arrival_time if self.legs else None

    def as_json(self) -> dict[str, Any]:
        """The flight as the command prints it."""
        return {
            "carrier": self.carrier,
            "number": self.number,
            "departure_airport": self.departure_airport,
            "departure_time": _iso_time(self.departure_time),
            "arrival_airport": self.arrival_airport,
            "arrival_time": _iso_time(self.arrival_time),
            "legs": [leg.as_json() for leg in self.legs],
            "routing": list(self.routing),
            "aircraft_registration": self.aircraft_registration,
        }


@dataclass(slots=True, kw_only=True)
class Document:
    """A travel document of a person (DOC, with DTM 36/182 and LOC 91 after it).

    ``type`` is the DOC document name code: P passport, V visa, I or A or C identity
    cards, IP passport card, AC crew member certificate, F other approved document,
    M military; kept as sent.
    """

    type: str
    number: str
    issuing_state: str | None = None
    expiry_date: datetime.date | None = None
    issue_date: datetime.date | None = None

    def as_json(self) -> dict[str, Any]:
        """The document as the command prints it."""
        return {
            "type": self.type,
            "number": self.number,
            "issuing_state": self.issuing_state,
            "expiry_date": _iso_date(self.expiry_date),
            "issue_date": _iso_date(self.issue_date),
        }


@dataclass(slots=True, kw_only=True)
class Address:
    """The address in a person's NAD (street, city, region, postal code, country)."""

    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""

    def is_empty(self) -> bool:
        """True when no part of the address is given."""
        return not (self.street or self.city or self.region or self.postal_code or self.country)

    def as_json(self) -> dict[str, str]:
        """The address as a JSON object of its five parts."""
        return {
            "street": self.street,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
        }


@dataclass(slots=True, kw_only=True)
class Person:
    """A passenger or crew member (NAD FL/FM/DDU/DDT and the segments up to the next NAD).

    ``qualifier`` is the NAD qualifier as received (the writer writes it back);
    ``in_transit`` is true for DDU and DDT. ``booking_references`` are the RFF AVF
    reservation references (PNR locators); ``passenger_reference`` the RFF ABO/AEA
    unique passenger reference that an interactive API response (CUSRES) quotes back.
    ``segment`` is the number of the person's NAD segment in the file read, for
    messages about the entry; None for people built in code.
    """

    role: Role
    surname: str
    given_names: str = ""
    sex: Sex | None = None
    birth_date: datetime.date | None = None
    nationality: str | None = None
    residence_country: str | None = None
    birth_place: str | None = None
    birth_country: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None
    booking_references: list[str] = field(default_factory=list)
    passenger_reference: str | None = None
    seat: str | None = None
    crew_function: str | None = None
    address: Address | None = None
    documents: list[Document] = field(default_factory=list)
    qualifier: str = ""
    segment: int | None = None

    def __post_init__(self) -> None:
        if not self.qualifier:
            self.qualifier = "FL" if self.role == "passenger" else "FM"

    @property
    def in_transit(self) -> bool:
        """True for passengers (DDU) and crew (DDT) in transit."""
        return self.qualifier in _IN_TRANSIT_QUALIFIERS

    def as_json(self) -> dict[str, Any]:
        """The person as the command prints it."""
        return {
            "role": self.role,
            "surname": self.surname,
            "given_names": self.given_names,
            "sex": self.sex,
            "birth_date": _iso_date(self.birth_date),
            "nationality": self.nationality,
            "residence_country": self.residence_country,
            "embarkation": self.embarkation,
            "debarkation": self.debarkation,
            "booking_references": list(self.booking_references),
            "documents": [document.as_json() for document in self.documents],
            "in_transit": self.in_transit,
            "qualifier": self.qualifier,
            "birth_place": self.birth_place,
            "birth_country": self.birth_country,
            "passenger_reference": self.passenger_reference,
            "seat": self.seat,
            "crew_function": self.crew_function,
            "address": self.address.as_json() if self.address else None,
            "segment": self.segment,
        }


@dataclass(slots=True, kw_only=True)
class Message:
    """One passenger or crew list for one flight: a PAXLST message, its parts joined.

    ``reference`` is the UNH message reference (of the first part), ``version`` the
    directory as ``D05B``, ``document_id`` the BGM document identifier some states use
    (``CP`` change of passenger data, ``CL...`` close-out; kept as sent).
    ``declared_passengers``/``declared_crew`` are the CNT 42/41 totals when sent.
    ``sequence``/``final`` are the UNH status of transfer of a single part (None/True
    for a whole message); ``parts`` says how many parts were joined.
    ``sender``/``recipient``/``prepared_at`` come from UNB; ``segment`` is the number of
    the (first) UNH in the file, ``count_segment`` that of the CNT (of the last part).
    """

    list_type: ListType
    flight: Flight
    persons: list[Person] = field(default_factory=list)
    reporting_party: str | None = None
    reporting_party_contacts: list[str] = field(default_factory=list)
    reference: str = ""
    common_access_reference: str | None = None
    version: str = "D05B"
    document_id: str | None = None
    declared_passengers: int | None = None
    declared_crew: int | None = None
    sequence: int | None = None
    final: bool = True
    parts: int = 1
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime.datetime | None = None
    segment: int | None = None
    count_segment: int | None = None

    @property
    def passengers(self) -> list[Person]:
        """The persons whose role is passenger."""
        return [person for person in self.persons if person.role == "passenger"]

    @property
    def crew(self) -> list[Person]:
        """The persons whose role is crew."""
        return [person for person in self.persons if person.role == "crew"]

    def as_json(self) -> dict[str, Any]:
        """The message as the command prints it (see :func:`message_as_json`)."""
        return message_as_json(self)


def message_as_json(message: Message) -> dict[str, Any]:
    """The JSON object the ``paxlst parse`` command prints for one message.

    The keys the issue fixes come first (message_type, list_type, flight, persons); the
    rest (reference, version, parts, ...) are extras that let ``paxlst build`` write the
    same message back.
    """
    return {
        "message_type": "PAXLST",
        "list_type": message.list_type,
        "flight": message.flight.as_json(),
        "persons": [person.as_json() for person in message.persons],
        "reference": message.reference,
        "common_access_reference": message.common_access_reference,
        "version": message.version,
        "document_id": message.document_id,
        "parts": message.parts,
        "reporting_party": message.reporting_party,
        "reporting_party_contacts": list(message.reporting_party_contacts),
        "declared_passengers": message.declared_passengers,
        "declared_crew": message.declared_crew,
        "sender": message.sender,
        "recipient": message.recipient,
        "prepared_at": _iso_time(message.prepared_at),
    }


@dataclass(slots=True, kw_only=True)
class ParseResult:
    """What :func:`corredor.paxlst.read_paxlst` returns: the lists and the warnings.

    ``syntax`` is the UNB syntax identifier (``UNOA``, ``UNOC`` ...; None without UNB),
    ``skipped_message_types`` the types of other messages in the file that were skipped.
    """

    messages: list[Message]
    warnings: list[ParseWarning]
    separators: Separators = DEFAULT_SEPARATORS
    syntax: str | None = None
    skipped_message_types: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The object ``corredor paxlst parse`` prints."""
        return {
            "messages": [message_as_json(message) for message in self.messages],
            "warnings": [warning.as_json() for warning in self.warnings],
        }


def _iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _iso_time(value: datetime.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M") if value else None


# --- JSON in (for ``paxlst build`` and simulators) ---------------------------------------------------


class _Fields:
    """Typed access to one JSON object, naming the path in every error."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ValueError(f"{where} must be a JSON object")
        self.data = cast(Mapping[str, Any], data)
        self.where = where

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise ValueError(f"{self.where}.{key} is required")
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError(f"{self.where}.{key} must be text")
        return str(value)

    def date(self, key: str) -> datetime.date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{self.where}.{key} must be a date YYYY-MM-DD, not {value!r}") from None

    def time(self, key: str) -> datetime.datetime | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return datetime.datetime.fromisoformat(value).replace(tzinfo=None, second=0, microsecond=0)
        except ValueError:
            raise ValueError(f"{self.where}.{key} must be a time YYYY-MM-DDTHH:MM, not {value!r}") from None

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{self.where}.{key} must be a whole number")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"{self.where}.{key} must be a JSON array")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(key)
        if value is None:
            return default
        if value not in choices:
            raise ValueError(f"{self.where}.{key} must be one of {', '.join(choices)}, not {value!r}")
        return value


def _leg_from_json(data: Any, where: str) -> Leg:
    fields = _Fields(data, where)
    return Leg(
        departure_airport=fields.text("departure_airport"),
        departure_time=fields.time("departure_time"),
        arrival_airport=fields.text("arrival_airport"),
        arrival_time=fields.time("arrival_time"),
    )


def _flight_from_json(data: Any, where: str) -> Flight:
    fields = _Fields(data, where)
    legs = [_leg_from_json(item, f"{where}.legs[{index}]") for index, item in enumerate(fields.items("legs"))]
    if not legs:
        leg = _leg_from_json(data, where)
        if leg.departure_airport or leg.arrival_airport:
            legs = [leg]
    routing = [str(item) for item in fields.items("routing")]
    return Flight(
        carrier=fields.text("carrier", required=True) or "",
        number=fields.text("number", required=True) or "",
        legs=legs,
        routing=routing,
        aircraft_registration=fields.text("aircraft_registration"),
    )


def _document_from_json(data: Any, where: str) -> Document:
    fields = _Fields(data, where)
    return Document(
        type=fields.text("type") or "P",
        number=fields.text("number", required=True) or "",
        issuing_state=fields.text("issuing_state"),
        expiry_date=fields.date("expiry_date"),
        issue_date=fields.date("issue_date"),
    )


def _person_from_json(data: Any, where: str, list_type: ListType) -> Person:
    fields = _Fields(data, where)
    role = cast(Role, fields.choice("role", ("passenger", "crew"), list_type))
    address_data = fields.data.get("address")
    address = None
    if address_data is not None:
        address_fields = _Fields(address_data, f"{where}.address")
        address = Address(
            street=address_fields.text("street") or "",
            city=address_fields.text("city") or "",
            region=address_fields.text("region") or "",
            postal_code=address_fields.text("postal_code") or "",
            country=address_fields.text("country") or "",
        )
    qualifier = fields.text("qualifier") or ""
    if qualifier and qualifier not in (PASSENGER_QUALIFIERS if role == "passenger" else CREW_QUALIFIERS):
        raise ValueError(f"{where}.qualifier {qualifier!r} does not fit role {role}")
    return Person(
        role=role,
        surname=fields.text("surname", required=True) or "",
        given_names=fields.text("given_names") or "",
        sex=cast(Sex | None, fields.choice("sex", ("M", "F", "X"))),
        birth_date=fields.date("birth_date"),
        nationality=fields.text("nationality"),
        residence_country=fields.text("residence_country"),
        birth_place=fields.text("birth_place"),
        birth_country=fields.text("birth_country"),
        embarkation=fields.text("embarkation"),
        debarkation=fields.text("debarkation"),
        booking_references=[str(item) for item in fields.items("booking_references")],
        passenger_reference=fields.text("passenger_reference"),
        seat=fields.text("seat"),
        crew_function=fields.text("crew_function"),
        address=address,
        documents=[
            _document_from_json(item, f"{where}.documents[{index}]")
            for index, item in enumerate(fields.items("documents"))
        ],
        qualifier=qualifier,
    )


def message_from_json(data: Any, *, where: str = "message") -> Message:
    """Build a :class:`Message` from the JSON that ``paxlst parse`` prints for one message.

    Only ``list_type``, ``flight.carrier``, ``flight.number`` and each person's
    ``surname`` (and each document's ``number``) are required. Raises ValueError naming
    the offending field (``message.persons[3].birth_date must be a date ...``).
    """
    fields = _Fields(data, where)
    message_type = fields.text("message_type")
    if message_type not in (None, "PAXLST"):
        raise ValueError(f"{where}.message_type must be PAXLST, not {message_type!r}")
    list_type = cast(ListType, fields.choice("list_type", ("passenger", "crew"), "passenger"))
    persons = [
        _person_from_json(item, f"{where}.persons[{index}]", list_type)
        for index, item in enumerate(fields.items("persons"))
    ]
    return Message(
        list_type=list_type,
        flight=_flight_from_json(fields.data.get("flight"), f"{where}.flight"),
        persons=persons,
        reporting_party=fields.text("reporting_party"),
        reporting_party_contacts=[str(item) for item in fields.items("reporting_party_contacts")],
        reference=fields.text("reference") or "",
        common_access_reference=fields.text("common_access_reference"),
        version=fields.text("version") or "D05B",
        document_id=fields.text("document_id"),
        declared_passengers=fields.integer("declared_passengers"),
        declared_crew=fields.integer("declared_crew"),
        sender=fields.text("sender"),
        recipient=fields.text("recipient"),
        prepared_at=fields.time("prepared_at"),
    )
