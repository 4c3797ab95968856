"""Document alerts: exact lookup, OCR confusions, one typing error, issuing state, changes."""

from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.matching.documents import DocumentIndex, document_key, normalise_document_number
from corredor.matching.records import DocumentAlert

ALERTS = [
    DocumentAlert(1, "MEX", "G12345678"),
    DocumentAlert(2, "MEX", "AB-123 456"),
    DocumentAlert(3, "HTI", "ZZ9988776"),
    DocumentAlert(4, "D", "C01X00T47"),
    DocumentAlert(5, "", "LONGNUMBER1234567890"),
]


@pytest.fixture(scope="module")
def index() -> DocumentIndex:
    return DocumentIndex.from_alerts(ALERTS)


def found(index: DocumentIndex, number: str, state: str = "") -> list[tuple[int, str]]:
    return [(hit.ref, hit.kind) for hit in index.lookup(number, state)]


def test_normalisation() -> None:
    assert normalise_document_number(" ab-123 456< ") == "AB123456"


def test_exact(index: DocumentIndex) -> None:
    assert found(index, "G12345678", "MEX") == [(1, "exact")]
    assert found(index, "ab 123456") == [(2, "exact")]
    assert found(index, "C01X00T47", "DEU") == [(4, "exact")]  # D is Germany's ICAO code


def test_ocr_confusions(index: DocumentIndex) -> None:
    assert found(index, "612345678", "MEX") == [(1, "ocr")]  # G read as 6
    assert found(index, "CO1XOOT47", "DEU") == [(4, "ocr")]  # zeros read as O
    assert found(index, "ZZ99BB776", "HTI") == [(3, "ocr")]  # 8 read as B


@pytest.mark.parametrize("typed", ["G12345679", "G1234567", "G123456789", "G21345678", "G12354678"])
def test_one_typing_error(index: DocumentIndex, typed: str) -> None:
    assert found(index, typed, "MEX") == [(1, "typo")]


def test_typing_errors_only_with_a_state(index: DocumentIndex) -> None:
    assert found(index, "G12345679") == []


def test_issuing_state_must_agree(index: DocumentIndex) -> None:
    assert found(index, "G12345678", "GTM") == []
    # An alert stored without a state matches whatever state the traveller's document has.
    assert found(index, "LONGNUMBER1234567890", "FRA") == [(5, "exact")]
    assert found(index, "LONGNUMBER1234567891", "FRA") == [(5, "typo")]


def test_reasons(index: DocumentIndex) -> None:
    hit = index.lookup("612345678", "MEX")[0]
    assert str(hit.reasons[0]) == "document number G12345678 ≈ 612345678 (letters and digits OCR confuses)"
    assert hit.number == "G12345678" and hit.issuing_state == "MEX"


def test_add_and_remove_after_the_build() -> None:
    index = DocumentIndex.from_alerts(ALERTS)
    index.add([DocumentAlert(9, "GTM", "X7777777")])
    assert found(index, "X7777777", "GTM") == [(9, "exact")]
    assert found(index, "X7777778", "GTM") == [(9, "typo")]
    index.remove([9, 1])
    assert found(index, "X7777777", "GTM") == []
    assert found(index, "G12345678", "MEX") == []
    assert len(index) == len(ALERTS) - 1


def test_an_alert_added_again_under_its_ref_replaces_the_old_number() -> None:
    index = DocumentIndex.from_alerts(ALERTS)
    index.add([DocumentAlert(1, "MEX", "G99999999")])  # alert 1 of the build, corrected
    assert found(index, "G12345678", "MEX") == []
    assert found(index, "G99999999", "MEX") == [(1, "exact")]
    index.add([DocumentAlert(1, "MEX", "G88888888")])  # and corrected again
    assert found(index, "G99999999", "MEX") == []
    assert found(index, "G88888888", "MEX") == [(1, "exact")]
    assert len(index) == len(ALERTS)
    index.remove([1])
    assert found(index, "G88888888", "MEX") == [] and found(index, "G12345678", "MEX") == []
    assert len(index) == len(ALERTS) - 1


def test_bulk_byte_arrays_give_the_same_keys() -> None:
    numbers = ["ab-12 3", "X1234567", "A<<12", "123456789012345"]
    from_text = DocumentIndex.build(["MEX"] * 4, numbers, [1, 2, 3, 4])
    from_bytes = DocumentIndex.build(
        np.array(["MEX"] * 4), np.array([n.encode() for n in numbers], dtype="S16"), np.arange(1, 5)
    )
    assert sorted(from_text.keys.tolist()) == sorted(from_bytes.keys.tolist())


def test_empty_number_matches_nothing(index: DocumentIndex) -> None:
    assert index.lookup("---") == []


@given(
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=12),
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=12),
)
def test_short_keys_are_exact(a: str, b: str) -> None:
    assert (document_key(a) == document_key(b)) == (a == b)


@given(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=20))
def test_a_listed_number_always_finds_itself(number: str) -> None:
    index = DocumentIndex.build(["MEX"], [number], [1])
    assert found(index, number, "MEX") == [(1, "exact")]


numbers = st.text(alphabet="ABC0123", min_size=3, max_size=5)
changes = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(min_value=1, max_value=6), numbers),
        st.tuples(st.just("remove"), st.integers(min_value=1, max_value=6), st.just("")),
    ),
    max_size=12,
)


@given(st.lists(numbers, min_size=1, max_size=4), changes)
def test_changes_after_the_build_behave_like_a_fresh_build(
    built: list[str], steps: list[tuple[str, int, str]]
) -> None:
    # The index after any adds and removes answers exact lookups as one built from the alerts left.
    index = DocumentIndex.build(["MEX"] * len(built), built, list(range(1, len(built) + 1)))
    current = dict(enumerate(built, start=1))
    for action, ref, number in steps:
        if action == "add":
            index.add([DocumentAlert(ref, "MEX", number)])
            current[ref] = number
        else:
            index.remove([ref])
            current.pop(ref, None)
    assert len(index) == len(current)
    for number in {*built, *(n for _, _, n in steps if n)}:
        exact = sorted(hit.ref for hit in index.lookup(number, "MEX") if hit.kind == "exact")
        assert exact == sorted(ref for ref, listed in current.items() if listed == number)
