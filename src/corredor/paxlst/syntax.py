"""EDIFACT syntax for the reader: bytes to text, text to numbered segments, dates.

Why not pydifact's ``Parser`` here: it keeps no segment positions (so no error can say
"segment 214"), and it stops with an exception on exactly the sloppiness real senders
produce and the issue asks us to tolerate: a space in a tag (``UN T``), a doubled
terminator, a missing final terminator, whitespace before the UNA, a release character
before a line break. It also reports every segment it cannot validate through
``warnings.warn``. This tokeniser splits with ``str.split`` (the release character is
dealt with first, keeping every offset), numbers each segment, and reports what it
tolerated as :class:`~corredor.paxlst.model.ParseWarning` values. The writer does use
pydifact (its serializer and escaping).
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from corredor.paxlst.model import DEFAULT_SEPARATORS, ParseWarning, PaxlstError, Separators

__all__ = [
    "SYNTAX_ENCODINGS",
    "Decoded",
    "Segment",
    "Tokens",
    "WarningLog",
    "check_charset",
    "decode",
    "expected_length",
    "is_number",
    "number",
    "parse_date",
    "parse_datetime",
    "tokenise",
]

#: The Python codec for each UNB syntax identifier (0001) a PAXLST may declare.
SYNTAX_ENCODINGS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}

# Level A: upper-case letters, digits, space and . , - ( ) / = ' + : ? ! " % & * ; < >.
# Lower case is left out of the check on purpose: names in lower case get their own warning.
_LEVEL_A_OUTSIDE = re.compile(r"[^A-Za-z0-9 .,\-()/='+:?!\"%&*;<>\r\n]")
_LEVEL_B_OUTSIDE = re.compile(r"[^\x20-\x7e\r\n]")
_LATIN_OUTSIDE = re.compile(r"[^\x20-\x7e\xa0-\xff\r\n]")
_TAG = re.compile(r"[A-Z0-9]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_SYNTAX_IN_BYTES = re.compile(rb"UNB\s*[^A-Za-z0-9\s]\s*(UNO[A-Z])")

#: How many warnings of one kind are listed before they are summed up in one line.
WARNINGS_PER_KIND = 10


class WarningLog:
    """Collects warnings, at most :data:`WARNINGS_PER_KIND` of each kind, then one summary per kind.

    A list of 500 passengers all in lower case gives ten located warnings and one
    "... and 490 more" line, not 500 lines.
    """

    def __init__(self) -> None:
        self._warnings: list[ParseWarning] = []
        self._counts: Counter[str] = Counter()

    def add(self, code: str, segment: int | None, tag: str | None, message: str) -> None:
        """Record one warning of kind ``code``."""
        self._counts[code] += 1
        if self._counts[code] <= WARNINGS_PER_KIND:
            clean_tag = tag if tag is not None and _TAG.fullmatch(tag) else None
            self._warnings.append(ParseWarning(segment=segment, tag=clean_tag, message=message, code=code))

    def result(self) -> list[ParseWarning]:
        """The warnings in the order they were found, then a summary line per overflowing kind."""
        summaries = [
            ParseWarning(
                segment=None,
                tag=None,
                message=f"... and {count - WARNINGS_PER_KIND} more warnings like these ({code})",
                code=code,
            )
            for code, count in self._counts.items()
            if count > WARNINGS_PER_KIND
        ]
        located = sorted(self._warnings, key=lambda warning: (warning.segment is None, warning.segment or 0))
        return located + summaries


@dataclass(slots=True)
class Segment:
    """One segment as read: its number in the file, clean tag, data elements and offset.

    ``elements`` excludes the tag; each element is its list of components (a simple
    data element is a list of one).
    """

    number: int
    tag: str
    elements: list[list[str]]
    offset: int

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of data element ``element`` (0-based, after the tag), or ''."""
        if element < len(self.elements):
            components = self.elements[element]
            if component < len(components):
                return components[component]
        return ""

    def components(self, element: int) -> list[str]:
        """All components of data element ``element``, or an empty list."""
        return self.elements[element] if element < len(self.elements) else []


@dataclass(slots=True)
class Tokens:
    """The tokenised file: separators, segments in order, and the text they came from."""

    separators: Separators
    segments: list[Segment]
    text: str
    junk_offset: int | None = None
    _offsets: list[int] = field(default_factory=list)

    def segment_at(self, offset: int) -> Segment | None:
        """The segment that contains character ``offset`` of the text (or the last one before it)."""
        if not self.segments:
            return None
        if len(self._offsets) != len(self.segments):
            self._offsets = [segment.offset for segment in self.segments]
        index = bisect.bisect_right(self._offsets, offset) - 1
        return self.segments[max(index, 0)]


@dataclass(slots=True)
class Decoded:
    """Text decoded from the bytes of a file, with what was needed to decode it.

    ``fallback`` names the codec used when the declared one failed (None when it did
    not); ``bad_offset`` is the offset, in characters of ``text``, of the first byte the
    declared character set could not decode.
    """

    text: str
    syntax: str | None
    fallback: str | None = None
    bad_offset: int | None = None


def decode(data: bytes | str) -> Decoded:
    """Bytes to text by the UNB syntax identifier (UNOA ASCII, UNOC Latin-1, UNOW UTF-8 ...).

    Bytes that the declared character set cannot hold are common (UTF-8 names in a file
    declared UNOA); the file is then read as UTF-8, or as Latin-1 when it is not UTF-8
    either. Text passes through unchanged. Never raises.
    """
    if isinstance(data, str):
        match = re.search(r"UNB\s*[^A-Za-z0-9\s]\s*(UNO[A-Z])", data[:1024])
        return Decoded(data, match.group(1) if match else None)
    found = _SYNTAX_IN_BYTES.search(data[:1024])
    syntax = found.group(1).decode("ascii") if found else None
    encoding = SYNTAX_ENCODINGS.get(syntax or "", "utf-8")
    high = _HIGH_BYTE.search(data)
    if high is not None and encoding not in ("ascii", "utf-8"):
        # A file declared Latin-1 (UNOC ...) whose bytes are valid UTF-8 is UTF-8: real
        # Latin-1 text almost never forms valid multi-byte sequences.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(text, syntax, "UTF-8", len(data[: high.start()].decode("utf-8")))
    try:
        return Decoded(data.decode(encoding), syntax)
    except UnicodeDecodeError as error:
        bad_byte = error.start
    for fallback in ("utf-8", "latin-1"):
        if fallback == encoding:
            continue
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        offset = len(data[:bad_byte].decode(fallback, errors="ignore"))
        return Decoded(text, syntax, "UTF-8" if fallback == "utf-8" else "Latin-1", offset)
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _placeholders(text: str, count: int) -> list[str]:
    """``count`` private-use characters that do not occur in ``text``."""
    found: list[str] = []
    code = 0xF000
    while len(found) < count:
        char = chr(code)
        if char not in text:
            found.append(char)
        code += 1
    return found


def _separators_without_una(text: str, start: int) -> Separators:
    """Guess the service characters of an interchange that has no UNA."""
    data = text[start + 3] if len(text) > start + 3 else "+"
    if data == "+":
        return DEFAULT_SEPARATORS
    if data == "\x1d":
        # Syntax level B defaults (ISO 9735): IS1 components, IS3 data elements, IS4 terminator.
        return Separators(component="\x1f", data="\x1d", release=None, terminator="\x1c")
    component = ":"
    if text.startswith("UNB", start) and len(text) > start + 8 and not text[start + 8].isalnum():
        component = text[start + 8]
    try:
        return Separators(component=component, data=data).checked()
    except ValueError:
        return DEFAULT_SEPARATORS


def tokenise(text: str, log: WarningLog) -> Tokens:
    """Split ``text`` into numbered segments, honouring the UNA and the release character.

    Raises :class:`PaxlstError` when the text does not start like an EDIFACT interchange
    (UNA, UNB, UNG or UNH after optional whitespace) or when its UNA cannot be used.
    A later UNA (a second interchange appended to the file) switches separators there.
    """
    start = 0
    if text.startswith("\ufeff"):
        start = 1
    stripped = len(text) - len(text[start:].lstrip())
    if stripped > start:
        log.add("whitespace", 1, None, "whitespace before the first segment ignored")
        start = stripped
    head = text[start : start + 3]
    if head not in ("UNA", "UNB", "UNG", "UNH"):
        shown = text[start : start + 20]
        raise PaxlstError(
            f"this is not an EDIFACT interchange: it starts with {shown!r}" if shown else "the file is empty",
            segment=1,
            expected="UNA, UNB or UNH",
        )
    segments: list[Segment] = []
    number = 0
    if head == "UNA":
        separators, start = _read_una(text, start, 1)
        segments.append(Segment(1, "UNA", [], start - 9))
        number = 1
    else:
        separators = _separators_without_una(text, start)
    junk: list[int] = []
    while True:
        restart = _split(text, start, separators, segments, number, log, junk)
        if restart is None:
            break
        number = segments[-1].number if segments else 0
        separators, start = _read_una(text, restart, number + 1)
        segments.append(Segment(number + 1, "UNA", [], restart))
        number += 1
    return Tokens(separators=separators, segments=segments, text=text, junk_offset=junk[0] if junk else None)


def _read_una(text: str, offset: int, number: int) -> tuple[Separators, int]:
    six = text[offset + 3 : offset + 9]
    try:
        separators = Separators.from_una(six)
    except ValueError as error:
        raise PaxlstError(
            f"unusable service string advice {text[offset : offset + 9]!r}: {error}",
            segment=number,
            tag="UNA",
            expected="six service characters after UNA, such as :+.? '",
        ) from None
    return separators, offset + 9


def _split(
    text: str,
    start: int,
    separators: Separators,
    segments: list[Segment],
    number: int,
    log: WarningLog,
    junk: list[int],
) -> int | None:
    """Append the segments of ``text[start:]``; return the offset of a later UNA with other separators.

    Text after a UNZ that does not start another interchange becomes one segment with
    an empty tag, its offset goes into ``junk``, and splitting stops there: what follows
    an interchange is often a mail footer or padding, not EDIFACT.
    """
    release = separators.release
    terminator, data, component = separators.terminator, separators.data, separators.component
    body = text[start:]
    restore: dict[int, str | None] | None = None
    marker = ""
    if release and release in body:
        # Replace each "release + character" by two placeholders of the same length, so
        # offsets stay true and the split below cannot see the released separators.
        marker, p_component, p_data, p_terminator, p_release = _placeholders(text, 5)
        mapping = {component: p_component, data: p_data, terminator: p_terminator, release: p_release}

        def _hide(match: re.Match[str]) -> str:
            char = match.group(1)
            return marker + mapping.get(char, char)

        body = re.sub(re.escape(release) + "(.)", _hide, body, flags=re.DOTALL)
        restore = {
            ord(marker): None,
            ord(p_component): component,
            ord(p_data): data,
            ord(p_terminator): terminator,
            ord(p_release): release,
        }
        if body.endswith(release) and not body.endswith(marker + p_release):
            log.add("dangling-release", None, None, "the file ends with a release character; it was dropped")
            body = body[:-1]
    # Line breaks inside segments are dropped, unless the UNA made one a service character.
    breaks = [char for char in "\r\n" if char not in (terminator, data, component)]
    drop_breaks: dict[int, None] = {ord(char): None for char in breaks}
    pieces = body.split(terminator)
    offset = start
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        piece_offset = offset
        offset += len(piece) + 1
        content = piece.lstrip()
        leading = len(piece) - len(content)
        if content and segments and segments[-1].tag == "UNZ" and not content.startswith(("UNA", "UNB")):
            junk_offset = piece_offset + leading
            junk.append(junk_offset)
            segments.append(Segment(number + 1, "", [[text[junk_offset : junk_offset + 40]]], junk_offset))
            return None
        if index == last and not content:
            break
        notes: list[tuple[str, str]] = []
        if index == last:
            notes.append(("unterminated", "the last segment has no terminator; read as if it had"))
        if leading and piece[:leading] not in ("\n", "\r\n", "\r"):
            # A line break after each terminator is so common (and harmless) that it is
            # accepted silently; anything else between segments is worth a word.
            notes.append(("whitespace", f"{_describe_space(piece[:leading])} before the segment ignored"))
        if not content:
            log.add("empty-segment", number, None, "an empty segment (two terminators in a row) ignored")
            continue
        content_offset = piece_offset + leading
        if any(char in content for char in breaks):
            notes.append(("line-break", "line break inside the segment ignored"))
            content = content.translate(drop_breaks)
        if content.startswith("UNA") and segments:
            # With the current separators, a UNA's own terminator ended this piece.
            try:
                other: Separators | None = Separators.from_una(text[content_offset + 3 : content_offset + 9])
            except ValueError:
                other = None
            if other != separators:
                return content_offset
            number += 1
            segments.append(Segment(number, "UNA", [], content_offset))
            continue
        raw_elements = content.split(data)
        if restore is not None and marker in content:
            elements = [
                [value.translate(restore) for value in element.split(component)] for element in raw_elements
            ]
        else:
            elements = [element.split(component) for element in raw_elements]
        number += 1
        tag = _clean_tag(elements[0][0], number, log)
        for code, note in notes:
            log.add(code, number, tag if _TAG.fullmatch(tag) else None, note)
        segments.append(Segment(number, tag, elements[1:], content_offset))
    return None


def _describe_space(space: str) -> str:
    if "\n" in space or "\r" in space:
        return "blank lines" if space.count("\n") > 1 or space.count("\r") > 1 else "spaces and a line break"
    return "spaces" if space.strip(" ") == "" else "whitespace"


def _clean_tag(raw: str, number: int, log: WarningLog) -> str:
    if _TAG.fullmatch(raw):
        return raw
    clean = "".join(raw.split()).upper()
    if _TAG.fullmatch(clean):
        what = "a stray space in the tag" if clean != raw.upper() else "a tag in lower case"
        log.add("tag", number, clean, f"{what} ({raw!r}) read as {clean}")
        return clean
    return raw[:12]


def check_charset(tokens: Tokens, syntax: str | None, log: WarningLog) -> None:
    """Warn, per segment, about characters the declared syntax level does not allow.

    The service characters the UNA declares are always allowed. UTF-8 levels (UNOW,
    UNOY) and unknown levels are not checked.
    """
    pattern = {"UNOA": _LEVEL_A_OUTSIDE, "UNOB": _LEVEL_B_OUTSIDE, "UNOC": _LATIN_OUTSIDE}.get(syntax or "")
    if pattern is None:
        return
    separators = tokens.separators
    allowed = {separators.component, separators.data, separators.terminator, separators.release}
    reported: set[int] = set()
    end = tokens.junk_offset if tokens.junk_offset is not None else len(tokens.text)
    for match in pattern.finditer(tokens.text, 0, end):
        char = match.group(0)
        if char in allowed or char == "\ufeff":
            continue
        segment = tokens.segment_at(match.start())
        number = segment.number if segment else None
        if number in reported:
            continue
        reported.add(number or 0)
        log.add(
            "charset",
            number,
            segment.tag if segment else None,
            f"character {char!r} is outside the declared character set {syntax}; kept as sent",
        )


_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_number(text: str) -> bool:
    """True when ``text`` is ASCII digits only (``str.isdigit`` also takes ``²`` and other digits)."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def number(text: str) -> int | None:
    """``text`` (surrounding spaces allowed) as a whole number, or None when it is not ASCII digits."""
    text = text.strip()
    return int(text) if is_number(text) else None


_DATE_FORMATS = {"101": 6, "102": 8, "201": 10, "203": 12, "204": 14}


def _digits(value: str) -> str | None:
    digits = value.strip()
    if not is_number(digits) or len(digits) not in (6, 8, 10, 12, 14):
        return None
    return digits


def parse_date(value: str, format_code: str, *, kind: str, reference: datetime.date) -> datetime.date | None:
    """A DTM date (YYMMDD or CCYYMMDD, with or without time) as a date, or None when it is not one.

    Two-digit years are placed by ``kind``: ``birth`` dates are never after
    ``reference`` (the flight's date), ``expiry`` dates are 20YY unless that is more than
    60 years after ``reference``, anything else is 20YY.
    """
    digits = _digits(value)
    if digits is None:
        return None
    try:
        if len(digits) in (6, 10):
            year = 2000 + int(digits[:2])
            candidate = datetime.date(year, int(digits[2:4]), int(digits[4:6]))
            too_late = candidate > reference if kind == "birth" else candidate.year > reference.year + 60
            if kind in ("birth", "expiry") and too_late:
                candidate = candidate.replace(year=year - 100)
            return candidate
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse_datetime(value: str, format_code: str) -> tuple[datetime.datetime | None, bool]:
    """A DTM date-time (``YYMMDDHHMM`` 201, ``CCYYMMDDHHMM`` 203, ...) and whether it had a time of day.

    Returns (None, False) when the value is not a date. A value with a date only gives
    midnight and False, so the caller can warn.
    """
    digits = _digits(value)
    if digits is None:
        return None, False
    if len(digits) in (6, 10):
        digits = "20" + digits
    try:
        day = datetime.datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        if len(digits) == 8:
            return day, False
        return day.replace(hour=int(digits[8:10]), minute=int(digits[10:12])), True
    except ValueError:
        return None, False


def expected_length(format_code: str) -> int | None:
    """How many digits a DTM format code (2379) announces, or None for codes not used in PAXLST."""
    return _DATE_FORMATS.get(format_code)
