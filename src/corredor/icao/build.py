"""Write machine-readable zones from plain fields: the inverse of ``parse_mrz``.

Used to print test documents and to re-create the zone of a document recorded by
hand; ``parse_mrz(build_mrz(fields))`` gives the same fields back.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corredor.icao.checkdigit import check_digit

__all__ = ["FORMATS", "build_mrz", "transliterate_name"]


@dataclass(frozen=True, slots=True)
class _Shape:
    name_width: int
    optional_width: int
    default_code: str
    visa: bool
    long_number: bool


_SHAPES: dict[str, _Shape] = {
    "TD1": _Shape(name_width=30, optional_width=15, default_code="I", visa=False, long_number=True),
    "TD2": _Shape(name_width=31, optional_width=7, default_code="I", visa=False, long_number=True),
    "TD3": _Shape(name_width=39, optional_width=14, default_code="P", visa=False, long_number=False),
    "MRVA": _Shape(name_width=39, optional_width=16, default_code="V", visa=True, long_number=False),
    "MRVB": _Shape(name_width=31, optional_width=8, default_code="V", visa=True, long_number=False),
}
#: The formats ``build_mrz`` writes.
FORMATS = tuple(_SHAPES)

_KNOWN_KEYS = frozenset(
    {
        "document_code",
        "issuing_state",
        "surname",
        "given_names",
        "document_number",
        "nationality",
        "birth_date",
        "expiry_date",
        "sex",
        "optional_data",
        "optional_data_2",
        # Present in parse_mrz's JSON, so that a parsed zone can be written again.
        "format",
        "valid",
        "errors",
        "warnings",
    }
)

_UPPER_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALPHANUMERIC = _UPPER_LETTERS | frozenset("0123456789")

# Letters that Unicode decomposition leaves alone, spelt as ICAO Doc 9303 Part 3
# (section 6) recommends. Accented letters lose their accents (José -> JOSE,
# Muñoz -> MUNOZ, Müller -> MULLER), which is what the region's issuers print.
_SPELT_OUT = {
    "ß": "SS",
    "ẞ": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Ø": "OE",
    "ø": "OE",
    "Œ": "OE",
    "œ": "OE",
    "Þ": "TH",
    "þ": "TH",
    "Ð": "D",
    "ð": "D",
    "Đ": "D",
    "đ": "D",
    "Ł": "L",
    "ł": "L",
    "Ħ": "H",
    "ħ": "H",
    "ı": "I",
}
# Hyphens and spaces separate name parts; apostrophes and full stops are dropped
# (O'NEILL -> ONEILL, per Doc 9303 Part 3).
_SEPARATORS = frozenset(" -‐‑‒–—,<\t") | frozenset("\u00a0")
_DROPPED = frozenset("'’‘`´ʼ.")


def transliterate_name(text: str, *, what: str = "name") -> str:
    """Return ``text`` as MRZ name parts (A-Z) joined by ``<``; raise ValueError for untransliterable text."""
    parts: list[str] = []
    current: list[str] = []
    for original in text:
        spelt = _SPELT_OUT.get(original)
        if spelt is None:
            spelt = "".join(
                c for c in unicodedata.normalize("NFKD", original) if not unicodedata.combining(c)
            )
        for char in spelt:
            upper = char.upper() if char.isascii() else char
            if upper in _UPPER_LETTERS:
                current.append(upper)
            elif char in _SEPARATORS or char.isspace():
                if current:
                    parts.append("".join(current))
                    current = []
            elif char in _DROPPED:
                continue
            else:
                raise ValueError(
                    f"{what} {text!r} holds {original!r}, which has no transliteration to the letters A-Z."
                )
    if current:
        parts.append("".join(current))
    return "<".join(parts)


def _name_field(primary: str, secondary: str, width: int) -> str:
    field = f"{primary}<<{secondary}" if secondary else primary
    if len(field) > width:
        # Doc 9303 Part 3 (4.6): cut the secondary identifier first; when the primary
        # alone is too long, cut it to leave room for the separator and one letter.
        if not secondary:
            field = primary[:width]
        elif len(primary) + 3 <= width:
            field = f"{primary}<<{secondary[: width - len(primary) - 2]}"
        else:
            field = f"{primary[: width - 3]}<<{secondary[0]}"
    return field.ljust(width, "<")


def _text(fields: Mapping[str, Any], key: str, problems: list[str]) -> str:
    value = fields.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{key} must be text, not {type(value).__name__}.")
        return ""
    return value.strip()


def _name(fields: Mapping[str, Any], key: str, problems: list[str]) -> str:
    try:
        return transliterate_name(_text(fields, key, problems), what=key)
    except ValueError as error:
        problems.append(str(error))
        return ""


def _date_field(fields: Mapping[str, Any], key: str, problems: list[str]) -> str:
    value = fields.get(key)
    if value is None or value == "":
        return "<<<<<<"
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            problems.append(f"{key} {value!r} is not a date in the form YYYY-MM-DD.")
            return "<<<<<<"
    if not isinstance(value, datetime.date):
        problems.append(f"{key} must be a date or text in the form YYYY-MM-DD, not {type(value).__name__}.")
        return "<<<<<<"
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _country_field(fields: Mapping[str, Any], key: str, problems: list[str]) -> str:
    code = _text(fields, key, problems).upper().rstrip("<")
    if not code:
        problems.append(f"{key} is required: a three-letter country code such as MEX, or D for Germany.")
    elif len(code) > 3 or not _UPPER_LETTERS.issuperset(code):
        problems.append(f"{key} {code!r} must be one to three letters A-Z (such as MEX, or D for Germany).")
    return code.ljust(3, "<")


def _optional_field(fields: Mapping[str, Any], key: str, width: int, problems: list[str], reason: str) -> str:
    value = _text(fields, key, problems).upper()
    if not (_ALPHANUMERIC | {"<"}).issuperset(value):
        problems.append(f"{key} {value!r} may hold only the letters A-Z, digits and <.")
        return ""
    value = value.rstrip("<")
    if len(value) > width:
        problems.append(f"{key} {value!r} has {len(value)} characters; {reason} holds at most {width}.")
        return ""
    return value


def build_mrz(fields: Mapping[str, Any], *, format: str = "TD3") -> str:
    """Write the MRZ for ``fields`` in ``format`` (TD1, TD2, TD3, MRVA or MRVB), lines joined by newlines.

    Fields: document_code (default P, I or V by format), issuing_state, nationality
    (required: ISO alpha-3 or ICAO codes, D for Germany), surname, given_names
    (transliterated to A-Z, truncated to fit), document_number (required; longer than
    nine characters only in TD1 and TD2), birth_date and expiry_date (dates,
    "YYYY-MM-DD" or None for unknown), sex (M, F, X or None), optional_data and, for
    TD1, optional_data_2. Raises ValueError naming every field that cannot be written.
    """
    layout_name = format.strip().upper().replace("-", "").replace(" ", "")
    shape = _SHAPES.get(layout_name)
    if shape is None:
        raise ValueError(f"Unknown MRZ format {format!r}; use one of {', '.join(FORMATS)}.")
    problems: list[str] = []
    unknown = sorted(str(key) for key in fields if key not in _KNOWN_KEYS)
    if unknown:
        problems.append(f"Unknown field(s): {', '.join(unknown)}.")

    code = _text(fields, "document_code", problems).upper().rstrip("<") or shape.default_code
    if len(code) > 2 or code[0] not in _UPPER_LETTERS or not (_UPPER_LETTERS | {"<"}).issuperset(code):
        problems.append(f"document_code {code!r} must be one or two letters, such as P, PO, I, ID or V.")
    elif shape.visa and code[0] != "V":
        problems.append(f"document_code {code!r} must start with V for a visa ({layout_name}).")
    elif not shape.visa and code[0] == "V" and layout_name != "TD1":
        problems.append(
            f"document_code {code!r} starts with V, which marks a visa; use format "
            f"{'MRVA' if layout_name == 'TD3' else 'MRVB'} for it."
        )
    code = code.ljust(2, "<")

    issuing_state = _country_field(fields, "issuing_state", problems)
    nationality = _country_field(fields, "nationality", problems)
    primary = _name(fields, "surname", problems)
    secondary = _name(fields, "given_names", problems)
    names = _name_field(primary, secondary, shape.name_width)

    number = _text(fields, "document_number", problems).upper()
    max_number = 9 + (shape.optional_width - 2 if shape.long_number else 0)
    if not number:
        problems.append("document_number is required.")
    elif not _ALPHANUMERIC.issuperset(number):
        problems.append(f"document_number {number!r} may hold only the letters A-Z and digits.")
    elif len(number) > max_number:
        problems.append(
            f"document_number {number!r} has {len(number)} characters; "
            f"{layout_name} holds at most {max_number}."
        )

    birth = _date_field(fields, "birth_date", problems)
    expiry = _date_field(fields, "expiry_date", problems)
    sex = _text(fields, "sex", problems).upper() or "<"
    if sex == "X":
        sex = "<"  # the zone prints an unspecified sex as a filler; X is for the visual zone
    if sex not in ("M", "F", "<"):
        problems.append(f"sex {sex!r} must be M, F, X or empty.")

    overflow_room = 0
    if 9 < len(number) <= max_number and shape.long_number:
        # The overflow, its check digit and a filler take the start of the optional data.
        overflow_room = len(number) - 9 + 2
    optional = _optional_field(
        fields,
        "optional_data",
        shape.optional_width - overflow_room,
        problems,
        f"{layout_name} with this document number" if overflow_room else layout_name,
    )
    optional_2 = ""
    if layout_name == "TD1":
        optional_2 = _optional_field(fields, "optional_data_2", 11, problems, "line 2 of a TD1")
    elif _text(fields, "optional_data_2", problems):
        problems.append(f"optional_data_2 exists only in TD1; {layout_name} has one optional field.")

    if problems:
        raise ValueError(" ".join(problems))

    number_check = check_digit(number)
    if overflow_room:
        number_part = number[:9] + "<"
        optional_part = (number[9:] + number_check + "<" + optional).ljust(shape.optional_width, "<")
    else:
        number_part = number.ljust(9, "<") + number_check
        optional_part = optional.ljust(shape.optional_width, "<")
    birth_part = birth + check_digit(birth)
    expiry_part = expiry + check_digit(expiry)

    if layout_name == "TD1":
        upper = code + issuing_state + number_part + optional_part
        middle = birth_part + sex + expiry_part + nationality + optional_2.ljust(11, "<")
        composite = check_digit(upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
        return "\n".join((upper, middle + composite, names))

    first = code + issuing_state + names
    second = number_part + nationality + birth_part + sex + expiry_part + optional_part
    if layout_name == "TD3":
        # An unused personal number carries a filler for its check digit.
        second += check_digit(optional_part) if optional else "<"
    if not shape.visa:
        second += check_digit(second[0:10] + second[13:20] + second[21:])
    return "\n".join((first, second))
