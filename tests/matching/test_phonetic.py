"""Phonetic keys: the spellings Spanish, French, Creole and transliteration confuse share a key."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.matching.phonetic import deletions, phonetic_keys, skeleton


def share_a_key(a: str, b: str) -> bool:
    return not set(phonetic_keys(a)).isdisjoint(phonetic_keys(b))


@pytest.mark.parametrize(
    "spellings",
    [
        ("GONZALEZ", "GONSALES", "GONZALES"),  # z/s
        ("VASQUEZ", "VAZQUEZ", "BASQUEZ"),  # v/b, s/z, qu
        ("JIMENEZ", "GIMENEZ", "XIMENEZ"),  # j/g/x (Mexican x)
        ("MEXIA", "MEJIA"),
        ("XOCHITL", "SOCHITL"),
        ("YESENIA", "LLESENIA"),  # ll/y
        ("HERNANDEZ", "ERNANDEZ"),  # silent h
        ("CECILIA", "SESILIA"),  # c/s before e, i
        ("ENRIQUE", "ENRIKE"),  # qu/k
        ("THOMAS", "TOMAS"),
        ("PHILIPPE", "FILIPE"),
        ("DUBOIS", "DUBWA"),  # French oi, silent final consonant; Creole w
        ("HUSSEIN", "HUSAYN", "HUSSAIN"),  # Arabic romanisations
        ("KHALID", "JALID"),  # kh as a jota
        ("VOLKOVA", "WOLKOWA"),  # German w for Cyrillic v
        ("GUERLINE", "GELIN"),  # Creole spelling
        ("CHARLES", "CHAL"),
        ("MORNER", "MOERNER"),  # ICAO OE for Ö
    ],
)
def test_spellings_of_one_name_share_a_key(spellings: tuple[str, ...]) -> None:
    first = spellings[0]
    for other in spellings[1:]:
        assert share_a_key(first, other), (first, other, phonetic_keys(first), phonetic_keys(other))


@pytest.mark.parametrize(
    ("a", "b"), [("GARCIA", "GARZON"), ("MARIA", "MARIO"), ("JUAN", "JUANA"), ("PEREZ", "LOPEZ")]
)
def test_different_names_do_not_share_a_key(a: str, b: str) -> None:
    assert not share_a_key(a, b)


def test_skeleton_keeps_consonants() -> None:
    assert skeleton("HUSSEIN") == skeleton("HUSAYN") == "SN"


def test_deletions() -> None:
    assert deletions("ABC") == {"BC", "AC", "AB"}


@given(st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=20))
def test_keys_are_one_or_two_nonempty_and_stable(token: str) -> None:
    keys = phonetic_keys(token)
    assert 1 <= len(keys) <= 2
    assert all(keys)
    assert phonetic_keys(token) == keys
