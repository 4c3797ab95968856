"""The bulk duplicate search (`duplicates_match`) finds what the plain pair-by-pair search does: each person
scored by the screening matcher's `score_entry` against the earlier registrations of its blocks."""

from __future__ import annotations

import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from corredor.displacement.services import (
    DUPLICATE_THRESHOLD,
    MAX_BLOCK,
    QUICK_RATIO,
    Person,
    _blocks,
    duplicates_match,
)
from corredor.matching.records import Name, PartialDate, Traveller, WatchlistEntry
from corredor.matching.score import score_entry

SURNAMES = ["Joseph", "Jean", "Pierre", "Saint-Fleur", "Jiménez", "Jimenez", "Mora", "Vargas", "Desir"]
GIVEN = ["Marie", "Mari", "Rose", "Wilner", "Wilnor", "José", "Jose", "Ana", "Anna", "Nadège", "J"]


def _entry(entry_id: str, person: Person) -> WatchlistEntry:
    born = None
    if person[2]:
        try:
            born = PartialDate.parse(person[2])
        except ValueError:
            born = None
    return WatchlistEntry(
        entry_id,
        (Name(surname=person[0], given_names=person[1]),),
        birth_date=born,
        sex=person[3] if person[3] in ("M", "F", "X") else None,  # type: ignore[arg-type]
    )


def pairwise(stored: list[tuple[str, Person]], people: list[Person]) -> list[tuple[str, float] | None]:
    """The search one person at a time, as it was written first (the reference)."""
    blocks: dict[str, list[tuple[str, Person]]] = defaultdict(list)

    def add(entry_id: str, person: Person) -> None:
        for key in _blocks(person):
            if key:
                blocks[key].append((entry_id, person))
                if len(blocks[key]) > MAX_BLOCK:
                    del blocks[key][0]

    for entry_id, person in stored:
        add(entry_id, person)
    found: list[tuple[str, float] | None] = []
    for n, person in enumerate(people):
        text = f"{person[0]} {person[1]}".lower()
        candidates: dict[str, Person] = {}
        for key in _blocks(person):
            for entry_id, other in blocks.get(key, ()) if key else ():
                if fuzz.token_sort_ratio(text, f"{other[0]} {other[1]}".lower()) >= QUICK_RATIO:
                    candidates.setdefault(entry_id, other)
        best: tuple[str, float] | None = None
        query = _entry("", person)
        traveller = Traveller(name=query.names[0], birth_date=query.birth_date, sex=query.sex)
        for entry_id, other in candidates.items():
            hit = score_entry(traveller, _entry(entry_id, other))
            if hit is not None and hit.score >= DUPLICATE_THRESHOLD and (best is None or hit.score > best[1]):
                best = (entry_id, hit.score)
        found.append(best)
        add(f"#{n}", person)
    return found


def _people(rng: random.Random, count: int) -> list[Person]:
    people = []
    for _ in range(count):
        surname = rng.choice(SURNAMES) + (f" {rng.choice(SURNAMES)}" if rng.random() < 0.5 else "")
        born = rng.choice(["", "1980", "1980-05", "1980-05-02", "1981-05-02", "2001-11-30", "19x0"])
        people.append((surname, rng.choice(GIVEN), born, rng.choice("FMX")))
    return people


def _same(got: list[tuple[str, float] | None], want: list[tuple[str, float] | None]) -> None:
    assert [g and (g[0], round(g[1], 4)) for g in got] == [w and (w[0], round(w[1], 4)) for w in want]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.integers(0, 30), st.integers(1, 60))
def test_the_bulk_search_finds_what_the_pairwise_search_finds(seed: int, stored: int, people: int) -> None:
    rng = random.Random(seed)
    earlier = [(f"s{n}", person) for n, person in enumerate(_people(rng, stored))]
    new = _people(rng, people)
    _same(duplicates_match(earlier, new), pairwise(earlier, new))


def test_blocks_longer_than_the_window_compare_each_person_with_the_last_ones_only() -> None:
    # One block of 700 people (same sex, same birth date): the window of MAX_BLOCK and the chunks of 512.
    rng = random.Random(7)
    people = [(rng.choice(SURNAMES), rng.choice(GIVEN), "1990-01-01", "F") for _ in range(700)]
    earlier = [(f"s{n}", person) for n, person in enumerate(people[:150])]
    found = duplicates_match(earlier, people[150:])
    _same(found, pairwise(earlier, people[150:]))
    assert sum(1 for match in found if match) > 400


def test_a_typo_in_the_given_name_is_found_and_a_different_person_is_not() -> None:
    earlier = [("a", ("Joseph Pierre", "Wilner", "1984-03-02", "M"))]
    found = duplicates_match(
        earlier,
        [
            ("Joseph Pierre", "Wilnor", "1984-03-02", "M"),
            ("Joseph Pierre", "Wilner", "1984-03-02", "F"),
            ("Vargas", "Ana", "1984-03-02", "M"),
            ("Joseph Pierre", "Wilnor", "", "M"),
        ],
    )
    assert found[0] is not None and found[0][0] == "a"
    assert found[1] is None and found[2] is None
    assert found[3] is not None and found[3][0] in ("a", "#0")
