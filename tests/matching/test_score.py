"""Scoring one traveller against one entry, and the reasons given."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.matching.normalise import normalise_name
from corredor.matching.records import Name, PartialDate, Traveller, WatchlistEntry
from corredor.matching.score import (
    DEFAULT_THRESHOLD,
    compare_birth_dates,
    compare_names,
    compare_nationality,
    compare_sex,
    prepare_name,
    score_entry,
)


def entry(
    full: str = "",
    surname: str = "",
    given: str = "",
    birth: str = "",
    nat: str | None = None,
    sex: str | None = None,
) -> WatchlistEntry:
    return WatchlistEntry(
        "E1",
        (Name(full, surname, given),),
        PartialDate.parse(birth) if birth else None,
        nat,
        sex,  # type: ignore[arg-type]
    )


def traveller(
    full: str = "",
    surname: str = "",
    given: str = "",
    birth: str = "",
    nat: str | None = None,
    sex: str | None = None,
) -> Traveller:
    return Traveller(Name(full, surname, given), PartialDate.parse(birth) if birth else None, nat, sex)  # type: ignore[arg-type]


def score(t: Traveller, e: WatchlistEntry) -> tuple[float, list[str]]:
    hit = score_entry(t, e)
    assert hit is not None
    return hit.score, [str(r) for r in hit.reasons]


def test_phonetic_surname_and_nickname_with_swapped_birth_date_is_a_hit() -> None:
    value, reasons = score(
        traveller(surname="GARSIA", given="PEPE LUIS", birth="1985-12-03", nat="MEX", sex="M"),
        entry(surname="García López", given="José Luis", birth="1985-03-12", nat="MEX", sex="M"),
    )
    assert value >= DEFAULT_THRESHOLD
    assert "surname GARCIA ≈ GARSIA (sounds the same)" in reasons
    assert "given name JOSE ≈ PEPE (nickname or other spelling)" in reasons
    assert "surname LOPEZ is not in the traveller's name" in reasons
    assert "birth date 1985-03-12 matches 1985-12-03 with day and month swapped" in reasons
    assert "nationality MEX matches" in reasons


def test_order_of_surnames_and_given_names_does_not_matter() -> None:
    listed = entry(surname="García López", given="José Luis", birth="1985-03-12")
    for written in ("LOPEZ GARCIA JOSE LUIS", "JOSE LUIS GARCIA LOPEZ", "LUIS JOSE LOPEZ GARCIA"):
        assert score(traveller(written, birth="1985-03-12"), listed)[0] == 1.0
    value, reasons = score(traveller(surname="JOSE LUIS", given="GARCIA LOPEZ", birth="1985-03-12"), listed)
    assert value == 1.0
    assert "surnames and given names in another order" in reasons


@pytest.mark.parametrize(
    ("listed", "written", "how"),
    [
        (
            {"surname": "de la Cruz", "given": "Juan"},
            {"surname": "DELACRUZ", "given": "JUAN"},
            "particles written joined",
        ),
        ({"surname": "de la Cruz", "given": "Juan"}, {"surname": "CRUZ", "given": "JUAN"}, None),
        ({"full": "Jean-Baptiste Pierre"}, {"full": "PIERRE<<JEANBAPTISTE"}, "written as one word"),
        (
            {"surname": "Hernández Gutiérrez", "given": "María Guadalupe"},
            {"full": "HERNANDEZ<GUTIERREZ<<MARIA<GUADAL"},
            "cut short in the MRZ",
        ),
        ({"surname": "Müller", "given": "Hans"}, {"surname": "MUELLER", "given": "HANS"}, None),
        (
            {"surname": "Hussein", "given": "Ali"},
            {"surname": "HUSAYN", "given": "ALY"},
            "nickname or other spelling",
        ),
        (
            {"surname": "García López", "given": "José"},
            {"surname": "GARCIA LOPEZ", "given": "JSOE"},
            "one letter",
        ),
        (
            {"surname": "García López", "given": "José"},
            {"surname": "GARCIA LOPEZ", "given": "JOSEPH"},
            "language",
        ),
        (
            {"surname": "Ximénez", "given": "Xóchitl"},
            {"surname": "JIMENEZ", "given": "XOCHITL"},
            "sounds the same",
        ),
        ({"surname": "Иванов", "given": "Юрий"}, {"surname": "IVANOV", "given": "YURIY"}, None),
    ],
)
def test_variants_score_high_and_say_how(
    listed: dict[str, str], written: dict[str, str], how: str | None
) -> None:
    value, reasons = score(traveller(**written), entry(**listed))
    assert value >= DEFAULT_THRESHOLD, reasons
    if how:
        assert any(how in reason for reason in reasons), reasons


def test_a_different_surname_or_given_name_is_not_a_hit() -> None:
    listed = entry(surname="García López", given="José", birth="1985-03-12")
    assert (
        score(traveller(surname="GARCIA LOPEZ", given="MARIA", birth="1985-03-12"), listed)[0]
        < DEFAULT_THRESHOLD
    )
    assert (
        score(traveller(surname="PEREZ RUIZ", given="JOSE", birth="1985-03-12"), listed)[0]
        < DEFAULT_THRESHOLD
    )
    assert score(traveller(surname="GARCIA"), listed)[0] < DEFAULT_THRESHOLD


def test_a_namesake_born_years_apart_is_not_a_hit() -> None:
    value, reasons = score(
        traveller(surname="GARCIA LOPEZ", given="JOSE", birth="1960-01-20"),
        entry(surname="García López", given="José", birth="1985-03-12"),
    )
    assert value < DEFAULT_THRESHOLD
    assert "birth date 1985-03-12 differs from 1960-01-20" in reasons


@pytest.mark.parametrize(
    ("query", "listed", "sign", "code"),
    [
        ("1985-03-12", "1985-03-12", 1, "birth_date_match"),
        ("1985-12-03", "1985-03-12", 1, "birth_date_swapped"),
        ("1986-03-12", "1985-03-12", 1, "birth_date_year_off"),
        ("1985-07-02", "1985", 1, "birth_year_match"),
        ("1985-03-30", "1985-03", 1, "birth_month_match"),
        ("1986-07-02", "1985", -1, "birth_year_near"),
        ("1985-07-02", "1985-03-12", -1, "birth_year_only"),
        ("1990-03-12", "1985-03-12", -1, "birth_date_differs"),
        ("1985-07-02", "1985-01-01", 1, "birth_year_match"),  # 1 January: day and month unknown
        ("1978-03-08", "1978-08", 1, "birth_date_swapped"),  # the full date has day and month swapped
        ("1986-07-02", "1985-03-12", -1, "birth_date_near"),
    ],
)
def test_birth_dates(query: str, listed: str, sign: int, code: str) -> None:
    evidence = compare_birth_dates(PartialDate.parse(query), PartialDate.parse(listed))
    assert evidence.reason is not None and evidence.reason.code == code
    assert evidence.value * sign > 0


def test_full_dates_that_differ_in_year_and_day_contradict_as_much_as_two_years_apart() -> None:
    near = compare_birth_dates(PartialDate(1986, 7, 2), PartialDate(1985, 3, 12))
    far = compare_birth_dates(PartialDate(1978, 3, 12), PartialDate(1985, 3, 12))
    assert near.value == far.value < 0 and near.bits == far.bits == 0


def test_a_year_one_digit_off_on_the_same_day_is_a_typing_error_not_a_contradiction() -> None:
    typo = compare_birth_dates(PartialDate(1960, 4, 11), PartialDate(1963, 4, 11))
    assert typo.reason is not None and typo.reason.code == "birth_date_year_typo"
    assert -0.25 < typo.value < 0 and typo.bits > 0
    swapped = compare_birth_dates(PartialDate(1965, 5, 12), PartialDate(1969, 12, 5))
    assert swapped.reason is not None and swapped.reason.code == "birth_date_year_typo"
    other_day = compare_birth_dates(PartialDate(1963, 6, 17), PartialDate(1956, 7, 7))
    assert other_day.value == -0.25


@pytest.mark.parametrize(("gap", "weighs"), [(1, -0.02), (2, -0.06), (5, -0.10), (8, -0.15), (14, -0.25)])
def test_a_year_alone_several_years_off_weighs_less_than_two_full_dates(gap: int, weighs: float) -> None:
    # Real lists give a year, often approximate ("about 1957"): 1969 for a traveller born 1971.
    listed = PartialDate(1957)
    assert compare_birth_dates(PartialDate(1957 + gap, 6, 2), listed).value == weighs
    assert compare_birth_dates(PartialDate(1957 + gap), listed).value == weighs
    assert compare_birth_dates(PartialDate(1957 + gap, 6, 2), PartialDate(1957, 1, 1)).value == weighs
    full = compare_birth_dates(PartialDate(1957 + gap, 6, 2), PartialDate(1957, 3, 9)).value
    assert full <= weighs


def test_a_year_and_month_one_year_off_is_evidence_not_a_contradiction() -> None:
    month_agrees = compare_birth_dates(PartialDate(1979, 9, 13), PartialDate(1978, 9))
    assert month_agrees.reason is not None and month_agrees.reason.code == "birth_date_year_off"
    assert month_agrees.value == 0 and month_agrees.bits > 0
    month_differs = compare_birth_dates(PartialDate(1979, 4, 13), PartialDate(1978, 9))
    assert month_differs.value < 0 and month_differs.bits == 0


def test_unknown_birth_date_sex_or_nationality_changes_nothing() -> None:
    assert compare_birth_dates(None, PartialDate(1985)).value == 0
    assert compare_sex(None, "F").value == 0 and compare_sex("X", "F").value == 0
    assert compare_nationality("MEX", None).value == 0


def test_sex_and_nationality() -> None:
    assert compare_sex("M", "F").value < 0
    assert compare_nationality("MEX", "GTM").value < 0 < compare_nationality("MEX", "MEX").value


def test_no_name_gives_no_hit() -> None:
    assert score_entry(traveller(full="---"), entry(full="Juan Pérez")) is None


name_words = st.lists(
    st.text(alphabet=st.sampled_from(string.ascii_uppercase + "ÁÉÑ"), min_size=2, max_size=9),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150)
@given(name_words, name_words)
def test_name_score_is_in_range_and_roughly_symmetric(a: list[str], b: list[str]) -> None:
    left = normalise_name(" ".join(a))
    right = normalise_name(" ".join(b))
    if not left or not right:
        return
    one = compare_names(prepare_name(left[0]), prepare_name(right[0])).score
    other = compare_names(prepare_name(right[0]), prepare_name(left[0])).score
    assert 0.0 <= one <= 1.0
    assert abs(one - other) <= 0.1


@settings(max_examples=150)
@given(name_words)
def test_a_name_matches_itself_fully(words: list[str]) -> None:
    parsed = normalise_name(" ".join(words))
    if parsed:
        prepared = prepare_name(parsed[0])
        assert compare_names(prepared, prepared).score == 1.0


# -- real-name variation (issue 10 item 3) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("travelling", "listed"),
    [
        ("SergeiLavrov", "Sergei Lavrov"),
        ("FridrichBuchenberg", "Fridrich Buchenberg"),
        ("Mr. Hans Friedrich Baumgartner", "Hans Friedrich Baumgartner"),
        ("Isa Bin Tarif Al Bin Ali", "Shaikh Isa Bin Tarif Al Bin Ali"),
        ("Haji Abdul Wahed Shafiq", "Abdul Wahed Shafiq"),
        ("Dr Ayman Muhammad Rabi al-Zawahiri", "Ayman Muhammad Rabi al-Zawahiri"),
        ("RUBEN PESTANO LAVILLA, JR", "Ruben Pestano Lavilla"),
        ("Vladimir nitup", "Vladimir Putin"),
        ("Olaf Schloz", "Olaf Scholz"),
        ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson"),
    ],
)
def test_real_name_variation_does_not_break_a_match(travelling: str, listed: str) -> None:
    assert score(traveller(full=travelling), entry(full=listed))[0] >= DEFAULT_THRESHOLD


def test_company_suffixes_do_not_break_a_match() -> None:
    assert score(traveller(full="Siemens Aktiengesellschaft"), entry(full="Siemens AG"))[0] == 1.0
    assert score(traveller(full="Acme Trading Co. Ltd"), entry(full="ACME TRADING LLC"))[0] == 1.0


def test_a_replaced_part_counts_against_more_than_an_omitted_one() -> None:
    # A brother or namesake (another family name), not a spelling of the same person.
    replaced = score(
        traveller(full="JAMAL MUSTAFA ABDALLAH SULTAN AL-DULAIMI"),
        entry(full="JAMAL MUSTAFA ABDALLAH SULTAN AL-TIKRITI"),
    )[0]
    omitted = score(
        traveller(full="JAMAL MUSTAFA ABDALLAH SULTAN"),
        entry(full="JAMAL MUSTAFA ABDALLAH SULTAN AL-TIKRITI"),
    )[0]
    assert replaced < DEFAULT_THRESHOLD <= omitted
