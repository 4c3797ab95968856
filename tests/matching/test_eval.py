"""The labelled evaluation set: present, well-formed, reproducible, and screened as documented."""

from __future__ import annotations

import collections
import csv

import pytest
from bench.screening_eval.evaluate import _report, load
from bench.screening_eval.generate import COLUMNS, DEFAULT_PATH, KIND_TARGETS, generate

from corredor.matching.index import ScreeningIndex


def test_committed_set_is_small_and_well_formed() -> None:
    assert DEFAULT_PATH.stat().st_size < 2_000_000
    with DEFAULT_PATH.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert len(rows) >= 5000
    kinds = collections.Counter(row["kind"] for row in rows)
    for kind in KIND_TARGETS:
        assert kinds[kind] >= 50, kind
    assert kinds["clean"] >= 1000
    assert {row["label"] for row in rows} == {"0", "1"}
    assert len({row["pair_id"] for row in rows}) == len(rows)


def test_every_listed_entry_parses() -> None:
    entries, cases = load()
    assert len(entries) > 2000
    assert all(case.label == 0 or case.entry_id for case in cases)


def test_generator_is_deterministic() -> None:
    first = [pair.row() for pair in generate(seed=7, clean=30)[:300]]
    second = [pair.row() for pair in generate(seed=7, clean=30)[:300]]
    assert first == second


@pytest.mark.parametrize(
    "kind", ["plain", "typo", "nickname", "surnames_swapped", "mrz_truncated", "particles"]
)
def test_easy_kinds_are_found(kind: str) -> None:
    """A regression guard on a slice of the set (the full figures are in the bench)."""
    entries, cases = load()
    index = ScreeningIndex.build(entries)
    chosen = [case for case in cases if case.kind == kind][:60]
    report = _report(chosen, lambda t: [hit.entry_id for hit in index.screen_persons(t)], 0.8)
    assert report.recall >= 0.95
