"""The nickname and equivalents table."""

from __future__ import annotations

import pytest

from corredor.matching.nicknames import NAME_TABLE, equivalence, equivalent_names


@pytest.mark.parametrize(
    ("nickname", "name"),
    [
        ("PEPE", "JOSE"),
        ("PACO", "FRANCISCO"),
        ("PANCHO", "FRANCISCO"),
        ("CHUCHO", "JESUS"),
        ("LUPE", "GUADALUPE"),
        ("JB", "JEANBAPTISTE"),
        ("MUHAMMAD", "MOHAMMED"),
        ("MOHAMED", "MOHAMMED"),
        ("MOHD", "MUHAMMAD"),
        ("FRANSWA", "FRANCOIS"),
        ("ST", "SAINT"),
        ("CHANG", "ZHANG"),
    ],
)
def test_same_name(nickname: str, name: str) -> None:
    same, _ = equivalent_names(nickname)
    assert name in same


@pytest.mark.parametrize(
    ("name", "other"), [("JOSEPH", "YUSUF"), ("IVAN", "JOHN"), ("JUAN", "JEAN"), ("PEDRO", "PYOTR")]
)
def test_equivalents_across_languages(name: str, other: str) -> None:
    same, linked = equivalent_names(name)
    assert other in linked or other in same


def test_rows_are_symmetric() -> None:
    for name in ("PEPE", "YUSUF", "LUPE", "MOHD"):
        same, linked = equivalent_names(name)
        for other in same:
            assert name in equivalent_names(other)[0]
        for other in linked:
            back_same, back_linked = equivalent_names(other)
            assert name in back_linked or name in back_same


def test_unknown_name_has_no_equivalents() -> None:
    assert equivalence("XOLALPA").rows == frozenset()
    assert equivalent_names("XOLALPA") == (frozenset(), frozenset())


def test_table_is_uppercase_ascii() -> None:
    for line in NAME_TABLE.splitlines():
        data = line.split("#", 1)[0].replace(":", " ").replace("~", " ")
        for word in data.split():
            assert word.isupper(), word
