"""The possible-match tier and name commonness from the crossing population (issue 10 item 3)."""

from __future__ import annotations

import pytest

from corredor.matching import Name, PartialDate, ScreeningIndex, Traveller, WatchlistEntry
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.score import DEFAULT_THRESHOLD


def _common_list(count: int = 400) -> list[WatchlistEntry]:
    # A list that repeats a name: many Hans Friedrich, none with a birth date.
    entries = [WatchlistEntry(f"H{i}", (Name(f"Hans Friedrich {surname}"),)) for i, surname in enumerate(
        ["Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"] * (count // 8)
    )]  # fmt: skip
    entries.append(WatchlistEntry("T1", (Name("Hans Friedrich"),)))
    return entries


def test_an_identical_name_is_at_least_a_possible_match_whatever_the_list_omits() -> None:
    index = ScreeningIndex.build(_common_list())
    result = index.screen(Traveller(Name("HANS FRIEDRICH")))
    shown = {hit.entry_id: hit for hit in (*result.persons, *result.possible)}
    assert "T1" in shown
    if "T1" not in {hit.entry_id for hit in result.persons}:
        hit = shown["T1"]
        assert hit.tier == "possible" and hit.score < DEFAULT_THRESHOLD
        assert hit.reasons  # explained like a hit


def test_what_the_list_omits_makes_a_possible_match_what_it_contradicts_does_not() -> None:
    listed = [
        WatchlistEntry("N1", (Name("Najmuddin Faraj Ahmad"),), PartialDate(1956, 7, 7), sex="M"),
        WatchlistEntry("N2", (Name("Najmuddin Faraj Ahmad"),)),  # the same name, nothing else given
    ]
    index = ScreeningIndex.build(
        listed, population=NameFrequencies(1000, {"NAJMUDDIN": 400, "FARAJ": 400, "AHMAD": 400})
    )
    result = index.screen(Traveller(Name("FARAJ AHMAD, NAJMUDDIN"), PartialDate(1963, 6, 17), sex="M"))
    assert result.persons == ()
    # N1's full birth date contradicts (another day, month and year): an answer, not an omission.
    assert [(hit.entry_id, hit.tier) for hit in result.possible] == [("N2", "possible")]
    assert any(reason.code == "common_name" for reason in result.possible[0].reasons)
    woman = index.screen(Traveller(Name("FARAJ AHMAD, NAJMUDDIN"), sex="F"))
    assert [hit.entry_id for hit in woman.possible] == ["N2"]  # N1 is listed as a man


def test_a_different_name_is_not_even_possible() -> None:
    entry = WatchlistEntry("N1", (Name("Najmuddin Faraj Ahmad"),))
    result = ScreeningIndex.build([entry]).screen(Traveller(Name("Juan Perez Garcia")))
    assert result.persons == () and result.possible == ()


def test_commonness_comes_from_the_crossing_population_when_given() -> None:
    entries = _common_list()
    traveller = Traveller(Name("HANS FRIEDRICH"))
    list_only = ScreeningIndex.build(entries).screen(traveller)
    # At a border where Hans and Friedrich are rare, the same name is strong evidence.
    rare_here = NameFrequencies(1_000_000, {"HANS": 20, "FRIEDRICH": 15, "MARIA": 90_000, "GARCIA": 60_000})
    crossing = ScreeningIndex.build(entries, population=rare_here).screen(traveller)
    assert "T1" not in {hit.entry_id for hit in list_only.persons}
    assert "T1" in {hit.entry_id for hit in crossing.persons}
    # And a name common among those who cross is not a hit on its own in a short list.
    short = [WatchlistEntry("M1", (Name("Maria Garcia"),))]
    maria = Traveller(Name("MARIA GARCIA"))
    assert ScreeningIndex.build(short).screen(maria).persons  # the list alone cannot know
    common_here = ScreeningIndex.build(short, population=rare_here).screen(maria)
    assert common_here.persons == () and [h.entry_id for h in common_here.possible] == ["M1"]


def test_frequencies_from_names_and_tsv_round_trip() -> None:
    names = [Name(surname="García López", given_names="María")] * 4 + [Name("Xóchitl Tzompantzi")]
    table = NameFrequencies.from_names(names, min_count=2)
    assert table.people == 5 and table.counts == {"GARCIA": 4, "LOPEZ": 4, "MARIA": 4}
    assert NameFrequencies.from_tsv(table.to_tsv()) == table
    assert table.bits("XOCHITL") is None and table.bits("MARIA") == pytest.approx(0.3219, abs=1e-3)
    with pytest.raises(ValueError, match="line 2"):
        NameFrequencies.from_tsv("people\t5\nMARIA\tfour\n")


def test_the_shipped_table_is_the_crossing_population() -> None:
    shipped = NameFrequencies.shipped()
    assert shipped.people == 200_000
    bits = {part: shipped.bits(part) for part in ("MARIA", "HERNANDEZ", "JOSE", "MOHAMMED")}
    assert all(value is not None and value < 8 for value in bits.values())
    assert shipped.bits("FRIEDRICH") is None or shipped.bits("FRIEDRICH") > 12  # type: ignore[operator]
