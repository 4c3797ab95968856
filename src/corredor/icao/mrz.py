"""Read and validate machine-readable zones: ICAO Doc 9303 Parts 4 (TD3), 5 (TD1), 6 (TD2) and 7 (visas).

``parse_mrz`` never raises: whatever it is given, it answers with an ``MrzResult``
whose ``errors`` say what is wrong and where (line and column, counted from 1), so
that a border officer can compare them with the document in hand. Nothing is ever
corrected silently; a probable correction is offered as a ``suggestion``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corredor.icao.checkdigit import LETTER_TO_DIGIT, MRZ_CHARACTERS, check_digit_or_none, ocr_swaps
from corredor.icao.countries import is_known_country

__all__ = ["MrzResult", "Problem", "parse_mrz", "parse_mrz_blocks"]

Span = tuple[int, int, int]
"""A field's place: line index, start index, end index (0-based, end excluded)."""
Position = tuple[int, int]
"""One character's place: line index, column index (0-based)."""

_DIGIT_TO_LETTER_TABLE = str.maketrans({digit: letter for letter, digit in LETTER_TO_DIGIT.items()})
_LETTER_TO_DIGIT_TABLE = str.maketrans(LETTER_TO_DIGIT)
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_DATE_CHARACTERS_OR_CONFUSIONS = _DIGITS | frozenset(LETTER_TO_DIGIT)
_EMPTY_DATE = "<<<<<<"
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with (error) or worth noticing about (warning) an MRZ.

    ``code`` is stable snake_case for programs; ``message`` is an English sentence for
    people; ``field`` names the ``MrzResult`` attribute concerned, or None for the
    zone as a whole; ``suggestion`` is a probable corrected value of that field.
    """

    code: str
    message: str
    field: str | None
    suggestion: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict with the keys code, message and field."""
        return {"code": self.code, "message": self.message, "field": self.field}


@dataclass(frozen=True, slots=True)
class MrzResult:
    """What an MRZ says, and whether it can be trusted (``valid``).

    Codes and numbers are given as printed, fillers removed (Germany stays ``D``);
    names have their parts joined by single spaces. ``optional_data_2`` is the second
    optional field of a TD1 card (line 2), empty for the other formats.
    """

    format: str | None
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: datetime.date | None
    expiry_date: datetime.date | None
    sex: str
    optional_data: str
    valid: bool
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    names_truncated: bool
    lines: tuple[str, ...]
    optional_data_2: str = ""

    def as_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict with a fixed set of keys in a fixed order."""
        return {
            "format": self.format,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "sex": self.sex,
            "optional_data": self.optional_data,
            "valid": self.valid,
            "errors": [problem.as_json() for problem in self.errors],
            "warnings": [problem.as_json() for problem in self.warnings],
        }

    def problems_by_field(self) -> dict[str | None, list[Problem]]:
        """Group errors and then warnings by the field they concern (None: the zone as a whole)."""
        grouped: dict[str | None, list[Problem]] = {}
        for problem in self.errors + self.warnings:
            grouped.setdefault(problem.field, []).append(problem)
        return grouped


@dataclass(frozen=True, slots=True)
class _Layout:
    format: str
    line_count: int
    width: int
    document_code: Span
    issuing_state: Span
    names: Span
    document_number: Span
    document_number_check: Position
    nationality: Span
    birth_date: Span
    birth_date_check: Position
    sex: Position
    expiry_date: Span
    expiry_date_check: Position
    optional_data: Span
    optional_data_check: Position | None = None
    optional_data_2: Span | None = None
    composite: Position | None = None
    composite_covers: tuple[Span, ...] = ()
    # Only TD1 and TD2 carry document numbers longer than nine characters (Part 5 and
    # Part 6, note j): the overflow continues in the optional data.
    long_document_number: bool = False
    field_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False)


def _with_spans(layout: _Layout) -> _Layout:
    spans: list[tuple[str, Span]] = [
        ("document_code", layout.document_code),
        ("issuing_state", layout.issuing_state),
        ("names", layout.names),
        ("document_number", layout.document_number),
        ("document_number", (*layout.document_number_check, layout.document_number_check[1] + 1)),
        ("nationality", layout.nationality),
        ("birth_date", layout.birth_date),
        ("birth_date", (*layout.birth_date_check, layout.birth_date_check[1] + 1)),
        ("sex", (*layout.sex, layout.sex[1] + 1)),
        ("expiry_date", layout.expiry_date),
        ("expiry_date", (*layout.expiry_date_check, layout.expiry_date_check[1] + 1)),
        ("optional_data", layout.optional_data),
    ]
    if layout.optional_data_check is not None:
        spans.append(("optional_data", (*layout.optional_data_check, layout.optional_data_check[1] + 1)))
    if layout.optional_data_2 is not None:
        spans.append(("optional_data", layout.optional_data_2))
    if layout.composite is not None:
        spans.append(("composite", (*layout.composite, layout.composite[1] + 1)))
    return dataclasses.replace(layout, field_spans=tuple(spans))


_TD1 = _with_spans(
    _Layout(
        format="TD1",
        line_count=3,
        width=30,
        document_code=(0, 0, 2),
        issuing_state=(0, 2, 5),
        document_number=(0, 5, 14),
        document_number_check=(0, 14),
        optional_data=(0, 15, 30),
        birth_date=(1, 0, 6),
        birth_date_check=(1, 6),
        sex=(1, 7),
        expiry_date=(1, 8, 14),
        expiry_date_check=(1, 14),
        nationality=(1, 15, 18),
        optional_data_2=(1, 18, 29),
        composite=(1, 29),
        composite_covers=((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
        names=(2, 0, 30),
        long_document_number=True,
    )
)


def _two_line_layout(
    format: str, width: int, optional_end: int, composite: bool, long_number: bool
) -> _Layout:
    # TD2, TD3 and both visas share the second line's layout up to the optional data.
    return _with_spans(
        _Layout(
            format=format,
            line_count=2,
            width=width,
            document_code=(0, 0, 2),
            issuing_state=(0, 2, 5),
            names=(0, 5, width),
            document_number=(1, 0, 9),
            document_number_check=(1, 9),
            nationality=(1, 10, 13),
            birth_date=(1, 13, 19),
            birth_date_check=(1, 19),
            sex=(1, 20),
            expiry_date=(1, 21, 27),
            expiry_date_check=(1, 27),
            optional_data=(1, 28, optional_end),
            optional_data_check=(1, 42) if format == "TD3" else None,
            composite=(1, width - 1) if composite else None,
            composite_covers=((1, 0, 10), (1, 13, 20), (1, 21, width - 1)) if composite else (),
            long_document_number=long_number,
        )
    )


_TD2 = _two_line_layout("TD2", 36, 35, composite=True, long_number=True)
_MRVB = _two_line_layout("MRVB", 36, 36, composite=False, long_number=False)
_TD3 = _two_line_layout("TD3", 44, 42, composite=True, long_number=False)
_MRVA = _two_line_layout("MRVA", 44, 44, composite=False, long_number=False)

# A zone pasted as one run of characters is cut into lines by its length.
_WIDTH_BY_RUN_LENGTH = {90: 30, 72: 36, 88: 44}

_FIELD_LABELS = {
    "document_code": "document code",
    "issuing_state": "issuing state",
    "surname": "name",
    "given_names": "name",
    "document_number": "document number",
    "nationality": "nationality",
    "birth_date": "date of birth",
    "sex": "sex",
    "expiry_date": "date of expiry",
    "optional_data": "optional data",
    "composite": "composite check digit",
}


def _detect(lines: tuple[str, ...] | list[str]) -> _Layout | None:
    if len(lines) == 2:
        first, second = lines
        if len(first) == len(second) == 44:
            return _MRVA if first[:1] == "V" else _TD3
        if len(first) == len(second) == 36:
            return _MRVB if first[:1] == "V" else _TD2
    elif len(lines) == 3 and len(lines[0]) == len(lines[1]) == len(lines[2]) == 30:
        return _TD1
    return None


def _normalise(text: str) -> tuple[str, ...]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            # Only ASCII is upper-cased: str.upper() can change a line's length ("ß" -> "SS"),
            # which would make every column reported after it wrong.
            lines.append(line.upper() if line.isascii() else line.translate(_ASCII_UPPER))
    if len(lines) == 1:
        only = lines[0]
        width = _WIDTH_BY_RUN_LENGTH.get(len(only))
        if width is not None:
            return tuple(only[start : start + width] for start in range(0, len(only), width))
        # Lines copied out of a PDF or an e-mail often arrive joined by a space.
        pieces = only.split()
        if len(pieces) > 1 and _detect(pieces) is not None:
            return tuple(pieces)
    return tuple(lines)


def _describe_lengths(lines: tuple[str, ...]) -> str:
    if not lines:
        return "got no text"
    if len(lines) == 1:
        return f"got 1 line of {len(lines[0])} characters"
    if len(lines) > 5:
        return f"got {len(lines)} lines"
    lengths = [str(len(line)) for line in lines]
    return f"got {len(lines)} lines of {', '.join(lengths[:-1])} and {lengths[-1]} characters"


def _layout_error(lines: tuple[str, ...]) -> MrzResult:
    message = (
        "Expected 2 lines of 44 characters (passport TD3, or visa MRV-A), 2 of 36 (TD2, or visa MRV-B) "
        f"or 3 of 30 (TD1); {_describe_lengths(lines)}."
    )
    return MrzResult(
        format=None,
        document_code="",
        issuing_state="",
        surname="",
        given_names="",
        document_number="",
        nationality="",
        birth_date=None,
        expiry_date=None,
        sex="X",
        optional_data="",
        valid=False,
        errors=(Problem("layout", message, None),),
        warnings=(),
        names_truncated=False,
        lines=lines,
    )


def _where(position: Position) -> str:
    return f"line {position[0] + 1}, column {position[1] + 1}"


def _where_span(span: Span) -> str:
    return f"line {span[0] + 1}, columns {span[1] + 1}-{span[2]}"


def _show_character(char: str) -> str:
    if char == " ":
        return "a space"
    if char == "\t":
        return "a tab"
    if not char.isprintable():
        return f"the invisible character U+{ord(char):04X}"
    return f"'{char}'"


def _without_fillers(value: str) -> str:
    return value.replace("<", "")


def _split_names(name_field: str) -> tuple[str, str]:
    body = name_field.rstrip("<")
    separator = body.find("<<")
    if separator < 0:
        primary, secondary = body, ""
    else:
        primary, secondary = body[:separator], body[separator + 2 :]
    surname = " ".join(part for part in primary.split("<") if part)
    given_names = " ".join(part for part in secondary.split("<") if part)
    return surname, given_names


class _Reader:
    """Reads one zone whose layout is known, collecting problems in reading order."""

    def __init__(self, lines: tuple[str, ...], layout: _Layout, today: datetime.date) -> None:
        self.lines = lines
        self.layout = layout
        self.today = today
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.has_bad_characters = False
        # Characters that a suggestion would change, so that the composite check digit
        # is not reported a second time for a misreading already pointed out.
        self.corrections: dict[Position, str] = {}

    def text(self, span: Span) -> str:
        return self.lines[span[0]][span[1] : span[2]]

    def char(self, position: Position) -> str:
        return self.lines[position[0]][position[1]]

    def error(self, code: str, message: str, field: str | None, suggestion: str | None = None) -> None:
        self.errors.append(Problem(code, message, field, suggestion))

    def warn(self, code: str, message: str, field: str | None, suggestion: str | None = None) -> None:
        self.warnings.append(Problem(code, message, field, suggestion))

    def read(self) -> MrzResult:
        layout = self.layout
        for line_index, line in enumerate(self.lines):
            if not MRZ_CHARACTERS.issuperset(line):
                self._report_bad_characters(line_index, line)

        document_code = _without_fillers(self.text(layout.document_code))
        issuing_state = self._country("issuing_state", "Issuing state", layout.issuing_state)
        name_field = self.text(layout.names)
        surname, given_names = _split_names(name_field)
        document_number, optional_data = self._document_number()
        nationality = self._country("nationality", "Nationality", layout.nationality)
        birth_date = self._date("birth_date", layout.birth_date, layout.birth_date_check)
        sex = self._sex()
        expiry_date = self._date("expiry_date", layout.expiry_date, layout.expiry_date_check)
        if layout.optional_data_check is not None:
            self._personal_number(layout.optional_data, layout.optional_data_check)
        optional_data_2 = ""
        if layout.optional_data_2 is not None:
            optional_data_2 = self.text(layout.optional_data_2).rstrip("<")
        if layout.composite is not None:
            self._composite(layout.composite, layout.composite_covers)

        names_truncated = name_field[-1] in _LETTERS
        if names_truncated:
            self.warn(
                "name_truncated",
                f"The name field ({_where_span(layout.names)}) is filled to its last character, "
                "so the name printed there may have been truncated; compare it with the visual zone.",
                "given_names" if given_names else "surname",
            )
        self._date_warnings(birth_date, expiry_date)

        return MrzResult(
            format=layout.format,
            document_code=document_code,
            issuing_state=issuing_state,
            surname=surname,
            given_names=given_names,
            document_number=document_number,
            nationality=nationality,
            birth_date=birth_date,
            expiry_date=expiry_date,
            sex=sex,
            optional_data=optional_data,
            valid=not self.errors,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
            names_truncated=names_truncated,
            lines=self.lines,
            optional_data_2=optional_data_2,
        )

    # -- characters -------------------------------------------------------------------------

    def _field_at(self, line_index: int, column: int) -> str | None:
        for name, (span_line, start, end) in self.layout.field_spans:
            if span_line == line_index and start <= column < end:
                if name != "names":
                    return name
                names = self.text(self.layout.names)
                separator = names.find("<<")
                offset = column - start
                return "surname" if separator < 0 or offset < separator else "given_names"
        return None

    def _report_bad_characters(self, line_index: int, line: str) -> None:
        self.has_bad_characters = True
        for column, char in enumerate(line):
            if char in MRZ_CHARACTERS:
                continue
            field_name = self._field_at(line_index, column)
            in_field = f" ({_FIELD_LABELS[field_name]})" if field_name else ""
            self.error(
                "invalid_character",
                f"Line {line_index + 1}, column {column + 1}{in_field} holds {_show_character(char)}, "
                "which cannot appear in an MRZ: only A-Z, 0-9 and < can.",
                field_name,
            )

    # -- check digits -----------------------------------------------------------------------

    def _check(
        self,
        field_name: str,
        label: str,
        covered: list[str],
        covered_shown: str,
        position: Position,
        *,
        filler_allowed: bool = False,
        excused: str | None = None,
        on_mismatch: Callable[[str], tuple[str, str | None]] | None = None,
    ) -> None:
        """Compare the check digit at ``position`` with those computed over each of ``covered``.

        Several strings are given where issuers disagree on what a check digit covers;
        any of them holding is enough. ``excused`` is a digit that would be right once the
        misreadings already reported are corrected.
        """
        printed = self.char(position)
        expected = [check_digit_or_none(value) for value in covered]
        if expected[0] is None or printed not in MRZ_CHARACTERS:
            return  # an invalid character was reported already; there is nothing to compute
        if printed in expected or printed == excused:
            return
        where = _where(position)
        if printed == "<":
            if not filler_allowed:
                self.error(
                    "check_digit",
                    f"Check digit for the {label} ({where}) is a filler (<); {covered_shown} gives "
                    f"{expected[0]}.",
                    field_name,
                )
            return
        if printed in LETTER_TO_DIGIT:
            digit = LETTER_TO_DIGIT[printed]
            self.corrections[position] = digit
            holds = digit in expected or digit == excused
            outcome = (
                "read that way, it holds"
                if holds
                else f"even so it does not hold: {covered_shown} gives {expected[0]}"
            )
            self.error(
                "ocr_confusion",
                f"Check digit for the {label} ({where}) reads '{printed}', a letter where a digit belongs, "
                f"probably a misread {digit}; {outcome}.",
                field_name,
                digit if holds else None,
            )
            return
        if printed not in _DIGITS:
            self.error(
                "check_digit",
                f"Check digit for the {label} ({where}) is '{printed}', which is not a digit; "
                f"{covered_shown} gives {expected[0]}.",
                field_name,
            )
            return
        hint, suggestion = on_mismatch(printed) if on_mismatch else ("", None)
        self.error(
            "check_digit",
            f"Check digit for the {label} ({where}) is {printed}; {covered_shown} gives {expected[0]}.{hint}",
            field_name,
            suggestion,
        )

    # -- fields -----------------------------------------------------------------------------

    def _country(self, field_name: str, label: str, span: Span) -> str:
        code = _without_fillers(self.text(span))
        if is_known_country(code) or not MRZ_CHARACTERS.issuperset(code):
            return code
        where = _where_span(span)
        if not code:
            self.warn("unknown_country", f"{label} ({where}) is empty: it holds only fillers.", field_name)
            return code
        message = f"{label} {code} ({where}) is not a known ISO 3166-1 or ICAO code."
        suggestion = None
        letters = code.translate(_DIGIT_TO_LETTER_TABLE)
        if letters != code and is_known_country(letters):
            message += f" It may be {letters}, with a digit misread for a letter."
            suggestion = letters
        self.warn("unknown_country", message, field_name, suggestion)
        return code

    def _document_number(self) -> tuple[str, str]:
        """Return the document number and the optional data, taking a long number's overflow apart."""
        layout = self.layout
        printed = self.text(layout.document_number)
        check_position = layout.document_number_check
        optional = self.text(layout.optional_data)
        if layout.long_document_number and self.char(check_position) == "<" and optional[:1] not in ("", "<"):
            run_length = optional.find("<")
            if run_length < 0:
                run_length = len(optional)
            overflow = optional[: run_length - 1]
            number = _without_fillers(printed + overflow)
            # Doc 9303 computes this digit over the whole number; some issuers also
            # count the filler standing in the check digit's usual place.
            covered = [printed + overflow, printed + "<" + overflow]
            line_index, start, _ = layout.optional_data
            digit_position = (line_index, start + run_length - 1)
            self._check(
                "document_number",
                "document number",
                covered,
                f"the number {number}",
                digit_position,
                on_mismatch=lambda digit: self._document_number_swaps(covered[0], digit, None),
            )
            return number, optional[run_length + 1 :].rstrip("<")
        number = _without_fillers(printed)
        self._check(
            "document_number",
            "document number",
            [printed],
            f"the number {number}",
            check_position,
            on_mismatch=lambda digit: self._document_number_swaps(printed, digit, layout.document_number),
        )
        return number, optional.rstrip("<")

    def _document_number_swaps(self, printed: str, digit: str, span: Span | None) -> tuple[str, str | None]:
        """Look for one OCR misreading in the document number that would make its check digit hold."""
        fixes = [
            (index, variant) for index, variant in ocr_swaps(printed) if check_digit_or_none(variant) == digit
        ]
        if not fixes:
            return "", None
        if len(fixes) > 1:
            options = ", ".join(_without_fillers(variant) for _, variant in fixes)
            return f" One misread character could explain it; the number may be any of {options}.", None
        index, variant = fixes[0]
        corrected = _without_fillers(variant)
        where = f" at column {span[1] + index + 1}" if span is not None else ""
        if span is not None:
            self.corrections[(span[0], span[1] + index)] = variant[index]
        return (
            f" Reading '{printed[index]}'{where} as '{variant[index]}' makes it hold: "
            f"the number is probably {corrected}.",
            corrected,
        )

    def _date(self, field_name: str, span: Span, check_position: Position) -> datetime.date | None:
        raw = self.text(span)
        label = _FIELD_LABELS[field_name]
        where = _where_span(span)
        shown = f"the date {raw}"
        if raw == _EMPTY_DATE:
            # An unknown date (usually of birth) is all fillers; its check digit is then 0
            # by the arithmetic, and some issuers print a filler there as well.
            self._check(field_name, label, [raw], shown, check_position, filler_allowed=True)
            return None
        if not MRZ_CHARACTERS.issuperset(raw):
            return None
        if raw.isdigit():
            self._check(field_name, label, [raw], shown, check_position)
            return self._calendar_date(field_name, label, raw, where)
        if _DATE_CHARACTERS_OR_CONFUSIONS.issuperset(raw):
            self._misread_date(field_name, label, raw, span, check_position)
            return None
        self._check(field_name, label, [raw], shown, check_position)
        if raw[:2].isdigit() and (raw[2:] == "<<<<" or (raw[2:4].isdigit() and raw[4:] == "<<")):
            # Doc 9303 lets an issuer fill the unknown parts of a date of birth with fillers,
            # common on documents of refugees and others without a birth certificate.
            known = "year" if raw[2:] == "<<<<" else "year and month"
            self.warn(
                "partial_date",
                f"The {label} ({where}) is {raw}: only the {known} is known, so no full date is given.",
                field_name,
            )
            return None
        self.error(
            "invalid_date",
            f"The {label} ({where}) is {raw}, which is not a date in the form YYMMDD.",
            field_name,
        )
        return None

    def _misread_date(
        self, field_name: str, label: str, raw: str, span: Span, check_position: Position
    ) -> None:
        corrected = raw.translate(_LETTER_TO_DIGIT_TABLE)
        misread = [(index, char) for index, char in enumerate(raw) if char in LETTER_TO_DIGIT]
        for index, char in misread:
            self.corrections[(span[0], span[1] + index)] = LETTER_TO_DIGIT[char]
        described = ", ".join(
            f"'{char}' at column {span[1] + index + 1} (probably {LETTER_TO_DIGIT[char]})"
            for index, char in misread
        )
        printed_digit = self.char(check_position)
        if printed_digit in LETTER_TO_DIGIT:
            printed_digit = LETTER_TO_DIGIT[printed_digit]
            self.corrections[check_position] = printed_digit
        expected = check_digit_or_none(corrected)
        if printed_digit == expected:
            outcome = f"Read as {corrected}, its check digit holds."
        else:
            outcome = f"Even read as {corrected}, its check digit ({_where(check_position)}) does not hold."
        self.error(
            "ocr_confusion",
            f"The {label} ({_where_span(span)}) reads {raw}: letters where digits belong, {described}. "
            f"{outcome}",
            field_name,
            corrected,
        )

    def _calendar_date(self, field_name: str, label: str, raw: str, where: str) -> datetime.date | None:
        today = self.today
        two_digit_year, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:6])
        if field_name == "birth_date":
            # Nobody is born in the future: the latest century that keeps the date in the past.
            year = today.year // 100 * 100 + two_digit_year
            if (year, month, day) > (today.year, today.month, today.day):
                year -= 100
        else:
            # Expiry dates lie within fifty years either side of today.
            earliest = today.year - 50
            year = earliest + (two_digit_year - earliest) % 100
        try:
            return datetime.date(year, month, day)
        except ValueError:
            self.error(
                "invalid_date",
                f"The {label} ({where}) is {raw}, which is not a calendar date "
                f"(year {two_digit_year:02d}, month {month:02d}, day {day:02d}).",
                field_name,
            )
            return None

    def _sex(self) -> str:
        position = self.layout.sex
        printed = self.char(position)
        if printed in ("M", "F"):
            return printed
        if printed in ("X", "<") or printed not in MRZ_CHARACTERS:
            return "X"
        self.error(
            "invalid_sex",
            f"Sex ({_where(position)}) is '{printed}'; it must be M, F, X or < (unspecified).",
            "sex",
        )
        return "X"

    def _personal_number(self, span: Span, check_position: Position) -> None:
        printed = self.text(span)
        shown = printed.rstrip("<")
        self._check(
            "optional_data",
            "personal number",
            [printed],
            f"the personal number {shown}" if shown else "an empty personal number",
            check_position,
            # An unused personal number may carry a filler instead of its check digit (Part 4).
            filler_allowed=not shown,
        )

    def _composite(self, position: Position, covers: tuple[Span, ...]) -> None:
        covered = "".join(self.text(span) for span in covers)
        excused = None
        if self.corrections:
            corrected_lines = [list(line) for line in self.lines]
            for (line_index, column), char in self.corrections.items():
                corrected_lines[line_index][column] = char
            excused = check_digit_or_none(
                "".join("".join(corrected_lines[line][start:end]) for line, start, end in covers)
            )
        self._check(
            "composite",
            "upper and lower lines (composite)" if self.layout.format == "TD1" else "whole line (composite)",
            [covered],
            "the data it covers",
            position,
            excused=excused,
        )

    def _date_warnings(self, birth_date: datetime.date | None, expiry_date: datetime.date | None) -> None:
        if expiry_date is not None and expiry_date < self.today:
            self.warn(
                "expired",
                f"The document expired on {expiry_date.isoformat()}.",
                "expiry_date",
            )
        # Two-digit years keep every holder under a hundred, so the implausible case left to
        # catch is a holder born after the document expired: a misprinted or misread year.
        if birth_date is not None and expiry_date is not None and birth_date >= expiry_date:
            self.warn(
                "implausible_age",
                f"The date of birth {birth_date.isoformat()} is not before the date of expiry "
                f"{expiry_date.isoformat()}.",
                "birth_date",
            )


def parse_mrz(text: str, *, today: datetime.date | None = None) -> MrzResult:
    """Parse and validate one machine-readable zone; never raises.

    ``text`` may be in lower case, have spaces around lines, CRLF line ends, or be
    one run of 90, 72 or 88 characters. ``today`` (default: the system date) decides
    the century of two-digit years and whether the document has expired.
    """
    if not isinstance(text, str):
        text = str(text)
    lines = _normalise(text)
    layout = _detect(lines)
    if layout is None:
        return _layout_error(lines)
    if today is None:
        today = datetime.date.today()
    elif isinstance(today, datetime.datetime):
        today = today.date()  # a datetime does not compare with the dates read from the zone
    return _Reader(lines, layout, today).read()


def parse_mrz_blocks(text: str, *, today: datetime.date | None = None) -> list[MrzResult]:
    """Parse every zone in ``text``, zones being separated by blank lines; empty blocks are skipped."""
    results: list[MrzResult] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            block.append(line)
        elif block:
            results.append(parse_mrz("\n".join(block), today=today))
            block = []
    return results
