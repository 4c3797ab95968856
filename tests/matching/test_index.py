"""The screening index: candidates found by blocking, updates, documents, persistence."""

from __future__ import annotations

import pickle
import random
import string

import pytest
from bench.screening_eval.synthetic import bulk_entries, random_person
from bench.screening_eval.variants import person_latin
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.matching import (
    DEFAULT_THRESHOLD,
    DocumentAlert,
    DocumentIndex,
    Name,
    PartialDate,
    ScreeningIndex,
    Traveller,
    WatchlistEntry,
)
from corredor.matching.index import GOOD_TURING_UP_TO, good_turing


def person(
    entry_id: str, surname: str, given: str, birth: str = "", nationality: str | None = None
) -> WatchlistEntry:
    return WatchlistEntry(
        entry_id,
        (Name(surname=surname, given_names=given),),
        PartialDate.parse(birth) if birth else None,
        nationality,
        None,
    )


LISTED = [
    person("W1", "García López", "José Luis", "1985-03-12", "MEX"),
    person("W2", "Pierre-Louis", "Jean-Baptiste", "1990"),
    person("W3", "de la Cruz Hernández", "María Guadalupe", "1993-04-02", "MEX"),
    WatchlistEntry(
        "W4", (Name(full_name="Mohammed Al-Hassan"), Name(full_name="Abu Hassan")), PartialDate(1971, 8, 30)
    ),
    person("W5", "Tzompantzi", "Xóchitl", "1979-05-01"),
    person("W6", "Hernández Gutiérrez", "María Guadalupe", "1983-11-15"),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    # A list of realistic size around the named persons, so that weights and namesakes are real.
    return ScreeningIndex.build(LISTED + bulk_entries(3000, seed=5), [DocumentAlert(7, "MEX", "G12345678")])


def ids(index: ScreeningIndex, traveller: Traveller, threshold: float = DEFAULT_THRESHOLD) -> list[object]:
    return [hit.entry_id for hit in index.screen(traveller, threshold=threshold).persons]


@pytest.mark.parametrize(
    ("name", "birth", "expected"),
    [
        (Name(surname="GARSIA", given_names="PEPE LUIS"), "1985-12-03", "W1"),
        (Name(full_name="LOPEZ GARCIA JOSE LUIS"), "1985-03-12", "W1"),
        (Name(surname="GARCIA", given_names="JOSE LUIS"), "1985-03-12", "W1"),
        (Name(surname="PIERRE LOUIS", given_names="JEANBAPTISTE"), "1990-06-01", "W2"),
        (Name(surname="PIERRELOUIS", given_names="JEAN BAPTISTE"), "1990-06-01", "W2"),
        (Name(surname="DELACRUZ HERNANDEZ", given_names="MARIA GUADALUPE"), "1993-04-02", "W3"),
        (Name(surname="CRUZ HERNANDES", given_names="LUPE"), "1993-04-02", "W3"),
        (Name(full_name="MUHAMMAD HASSAN"), "1971-08-30", "W4"),
        (Name(full_name="ABU HASAN"), "1971-08-30", "W4"),
        (Name(surname="TSOMPANTZI", given_names="SOCHITL"), "1979-05-01", "W5"),
        (Name(full_name="HERNANDEZ<GUTIERREZ<<MARIA<GUADAL"), "1983-11-15", "W6"),
        (Name(surname="HRENANDEZ GUTIERREZ", given_names="MARIA GUADALUPE"), "1983-11-15", "W6"),
    ],
)
def test_variants_find_the_listed_person(
    index: ScreeningIndex, name: Name, birth: str, expected: str
) -> None:
    traveller = Traveller(name, PartialDate.parse(birth) if birth else None)
    assert expected in ids(index, traveller)


def test_hits_are_best_first_with_reasons(index: ScreeningIndex) -> None:
    result = index.screen(
        Traveller(Name(surname="GARCIA LOPEZ", given_names="JOSE LUIS"), PartialDate(1985, 3, 12))
    )
    assert result.persons[0].entry_id == "W1"
    assert result.persons[0].score == 1.0
    assert any("birth date 1985-03-12 matches" in str(r) for r in result.persons[0].reasons)
    scores = [hit.score for hit in result.persons]
    assert scores == sorted(scores, reverse=True)


def test_alias_is_reported(index: ScreeningIndex) -> None:
    hits = index.screen(Traveller(Name(full_name="ABU HASSAN"), PartialDate(1971, 8, 30))).persons
    assert hits[0].entry_id == "W4" and hits[0].name_index == 1


def test_unrelated_traveller_has_no_hit(index: ScreeningIndex) -> None:
    assert (
        ids(index, Traveller(Name(surname="QWERTY ASDF", given_names="ZXCV"), PartialDate(1970, 1, 2))) == []
    )


def test_threshold_and_limit(index: ScreeningIndex) -> None:
    traveller = Traveller(Name(surname="GARCIA", given_names="JOSE"))
    assert len(index.screen(traveller, threshold=0.0, limit=3).persons) == 3
    assert all(hit.score >= 0.99 for hit in index.screen(traveller, threshold=0.99).persons)


def test_documents_exact_and_near(index: ScreeningIndex) -> None:
    result = index.screen(
        Traveller(Name(full_name="Nobody Known"), document_number="G1234S678", issuing_state="MEX")
    )
    assert [(hit.ref, hit.kind) for hit in result.documents] == [(7, "ocr")]
    assert index.screen(Traveller(document_number="G12345678")).documents[0].kind == "exact"
    assert index.screen(Traveller(document_number="G12345678", issuing_state="HTI")).documents == ()


def test_upsert_and_remove() -> None:
    index = ScreeningIndex.build(LISTED)
    traveller = Traveller(Name(surname="PEREZ", given_names="JUAN CARLOS"))
    assert ids(index, traveller) == []
    index.upsert([person("N1", "Pérez", "Juan Carlos")])
    assert ids(index, traveller) == ["N1"]
    assert "N1" in index and len(index) == len(LISTED) + 1
    # Replacing an entry changes what it matches.
    index.upsert([person("W1", "Pérez", "Juan Carlos")])
    assert set(ids(index, traveller)) == {"N1", "W1"}
    assert ids(index, Traveller(Name(surname="GARCIA LOPEZ", given_names="JOSE LUIS"))) == []
    index.remove(["N1", "W1", "unknown"])
    assert ids(index, traveller) == []
    assert index.pending_changes == 0
    assert len(index) == len(LISTED) - 1


def namesakes(count: int) -> list[WatchlistEntry]:
    """``count`` different persons called José García López, listed without a birth date."""
    return [person(f"G{n}", "García López", "José", nationality="MEX") for n in range(count)]


def test_a_common_name_without_a_birth_date_does_not_alert_but_a_rare_one_does() -> None:
    rare = person("R1", "Tzompantzi Xolalpa", "Xóchitl", nationality="MEX")
    index = ScreeningIndex.build([*namesakes(40), rare, *bulk_entries(3000, seed=5)])
    born = PartialDate(1980, 5, 17)
    jose = Traveller(Name(surname="GARCIA LOPEZ", given_names="JOSE"), born, "MEX", "M")
    xochitl = Traveller(Name(surname="TZOMPANTZI XOLALPA", given_names="XOCHITL"), born, "MEX", "F")
    assert ids(index, jose) == []
    assert ids(index, xochitl) == ["R1"]
    # The reasons say why the namesakes were held back.
    (held_back, *_) = index.screen(jose, threshold=0.0).persons
    assert any(reason.code == "common_name" for reason in held_back.reasons)


def test_an_entry_added_after_the_build_weighs_as_in_a_rebuilt_index() -> None:
    listed = [*namesakes(12), *bulk_entries(2000, seed=5)]
    later = person("LATE", "García López", "José", nationality="MEX")
    traveller = Traveller(Name(surname="GARCIA LOPEZ", given_names="JOSE"), PartialDate(1980, 5, 17), "MEX")
    rebuilt = ScreeningIndex.build([*listed, later])
    updated = ScreeningIndex.build(listed)
    updated.upsert([later])

    def score(index: ScreeningIndex) -> float:
        return next(
            h.score for h in index.screen(traveller, threshold=0.0, limit=100).persons if h.entry_id == "LATE"
        )

    # Not weighed as if it were the only José García López of the list.
    assert score(updated) == pytest.approx(score(rebuilt), abs=0.01)
    assert score(updated) < DEFAULT_THRESHOLD


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="W1"):
        ScreeningIndex.build([LISTED[0], LISTED[0]])


def test_index_survives_pickle(index: ScreeningIndex) -> None:
    copy = pickle.loads(pickle.dumps(index))
    traveller = Traveller(Name(surname="GARSIA", given_names="PEPE LUIS"), PartialDate(1985, 3, 12))
    assert ids(copy, traveller) == ids(index, traveller)


def test_names_of_initials_only_are_still_found() -> None:
    index = ScreeningIndex.build([WatchlistEntry("I1", (Name(full_name="J K"),))])
    assert ids(index, Traveller(Name(full_name="J K"))) == ["I1"]


def test_document_index_accepts_alerts_and_columns() -> None:
    from_alerts = DocumentIndex.from_alerts([DocumentAlert(1, "MEX", "A-123")])
    assert from_alerts.lookup("a123")[0].ref == 1


listed_people = st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=8, unique=True)


@settings(max_examples=25, deadline=None)
@given(listed_people)
def test_every_entry_finds_itself(seeds: list[int]) -> None:
    entries = []
    seen: set[tuple[str, str]] = set()
    for number, seed in enumerate(seeds):
        synthetic = random_person(random.Random(seed))
        surnames, given = person_latin(synthetic)
        key = (" ".join(surnames), " ".join(given))
        if key in seen:
            continue
        seen.add(key)
        entries.append(
            WatchlistEntry(
                f"S{number}",
                (Name(surname=key[0], given_names=key[1]),),
                synthetic.birth_date,
                synthetic.nationality,
            )
        )
    index = ScreeningIndex.build(entries)
    for entry in entries:
        traveller = Traveller(entry.names[0], entry.birth_date, entry.nationality)
        hits = index.screen(traveller).persons
        assert hits and hits[0].entry_id == entry.entry_id and hits[0].score == 1.0


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(string.ascii_letters + " -ÑÁ"), min_size=1, max_size=30))
def test_any_listed_name_finds_itself(text: str) -> None:
    entry = WatchlistEntry("X", (Name(full_name=text),))
    try:
        index = ScreeningIndex.build([entry])
    except ValueError:
        return
    if index.screen(Traveller(Name(full_name=text)), threshold=0.0).persons:
        # A single short part in a list is weak evidence (see score.combine), but still a hit.
        assert index.screen(Traveller(Name(full_name=text))).persons[0].score >= DEFAULT_THRESHOLD
    else:
        assert not text.strip(" -")  # only a name with no letters finds nothing


counts_of_names = st.lists(st.integers(min_value=1, max_value=12), min_size=0, max_size=300)


@given(counts_of_names)
def test_good_turing_counts_are_frequencies_never_above_the_raw_count(counts: list[int]) -> None:
    import numpy as np

    table = good_turing(np.array(counts, dtype=np.int64))
    assert len(table) == GOOD_TURING_UP_TO + 1
    for k in range(1, GOOD_TURING_UP_TO + 1):
        assert k / 16 <= table[k] <= k
        assert table[k] >= table[k - 1]


def test_good_turing_tells_a_list_of_new_names_from_one_that_repeats_them() -> None:
    import numpy as np

    new_names = good_turing(np.array([1] * 500 + [2] * 20 + [3] * 5, dtype=np.int64))
    repeated = good_turing(np.array([1] * 20 + [2] * 60 + [3] * 80 + [4] * 90, dtype=np.int64))
    assert new_names[1] < 0.1  # a name seen once there is much rarer than one in the list
    assert repeated[1] == 1.0
