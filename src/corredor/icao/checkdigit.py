"""ICAO Doc 9303 check digits (Part 3, section 4.9) and the OCR confusions that break them."""

from __future__ import annotations

from collections.abc import Iterator

#: The characters an MRZ may hold: digits, capital Latin letters and the filler.
MRZ_CHARACTERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<")

_VALUES: dict[str, int] = {"<": 0}
_VALUES.update({str(digit): digit for digit in range(10)})
_VALUES.update({chr(ord("A") + offset): 10 + offset for offset in range(26)})

_DIGIT_STRINGS = "0123456789"

#: Letters an OCR engine (or a tired officer) reads where the document prints a digit.
LETTER_TO_DIGIT: dict[str, str] = {"O": "0", "I": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
#: The same confusions the other way round, for fields that may hold letters and digits.
DIGIT_TO_LETTER: dict[str, str] = {digit: letter for letter, digit in LETTER_TO_DIGIT.items()}
_SWAPS: dict[str, str] = {**LETTER_TO_DIGIT, **DIGIT_TO_LETTER}


def check_digit(s: str) -> str:
    """Return the ICAO 9303 check digit of ``s`` as a one-character string.

    Characters are valued 0-9 for digits, 10-35 for A-Z and 0 for the filler ``<``,
    weighted 7, 3, 1 repeatedly from the left; the digit is the sum modulo 10.
    Raises ``ValueError`` for any other character (lower case included).
    """
    digit = check_digit_or_none(s)
    if digit is None:
        index, char = next((i, c) for i, c in enumerate(s) if c not in _VALUES)
        raise ValueError(f"{char!r} at position {index + 1} cannot appear in an MRZ")
    return digit


def check_digit_or_none(s: str) -> str | None:
    """Return the check digit of ``s``, or None when ``s`` holds a character outside the MRZ set."""
    # Summing each third of the string in C (map over slices) is several times faster than
    # a Python loop, and parse_mrz computes five or six of these per zone.
    value = _VALUES.__getitem__
    try:
        total = 7 * sum(map(value, s[0::3])) + 3 * sum(map(value, s[1::3])) + sum(map(value, s[2::3]))
    except KeyError:
        return None
    return _DIGIT_STRINGS[total % 10]


def ocr_swaps(s: str) -> Iterator[tuple[int, str]]:
    """Yield ``(index, variant)`` for every variant of ``s`` with one OCR-confusable character swapped."""
    for index, char in enumerate(s):
        swapped = _SWAPS.get(char)
        if swapped is not None:
            yield index, s[:index] + swapped + s[index + 1 :]
