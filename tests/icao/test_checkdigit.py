"""check_digit: the ICAO 7-3-1 check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.icao import check_digit
from tests.icao.test_specimens import reference_digit

MRZ_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
mrz_text = st.text(alphabet=MRZ_ALPHABET, max_size=50)


@pytest.mark.parametrize(
    ("text", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("<<<<<<", "0"),
        ("", "0"),
        # A=10: 10*7 = 70 -> 0; B=11: 77 -> 7; Z=35: 245 -> 5.
        ("A", "0"),
        ("B", "7"),
        ("Z", "5"),
    ],
)
def test_known_values(text: str, digit: str) -> None:
    assert check_digit(text) == digit


@pytest.mark.parametrize("text", ["l898902c3", "L898 902", "É", "-"])
def test_rejects_characters_outside_the_mrz_set(text: str) -> None:
    with pytest.raises(ValueError, match="cannot appear in an MRZ"):
        check_digit(text)


@given(mrz_text)
def test_matches_an_independent_implementation(text: str) -> None:
    assert check_digit(text) == reference_digit(text)


@given(mrz_text)
def test_is_one_digit_and_trailing_fillers_change_nothing(text: str) -> None:
    digit = check_digit(text)
    assert len(digit) == 1
    assert digit.isdigit()
    assert check_digit(text + "<<<") == digit


@given(mrz_text.filter(bool), st.data())
def test_detects_every_single_digit_substitution(text: str, data: st.DataObject) -> None:
    # Weights 7, 3 and 1 are all prime to 10, so changing one digit for another always
    # changes the check digit; that is the point of the scheme.
    index = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    digits = "0123456789"
    if text[index] not in digits:
        text = text[:index] + "0" + text[index + 1 :]
    replacement = data.draw(st.sampled_from([d for d in digits if d != text[index]]))
    changed = text[:index] + replacement + text[index + 1 :]
    assert check_digit(changed) != check_digit(text)
