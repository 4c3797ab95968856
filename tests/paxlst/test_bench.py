"""The PAXLST benchmark runs and measures a real parse (its timings are not asserted)."""

from __future__ import annotations

from bench.paxlst import PASSENGERS, run


def test_quick_benchmark_reports_a_median_for_the_whole_list() -> None:
    figures = run(quick=True)

    assert figures["persons"] == PASSENGERS
    assert figures["runs"] == 5
    assert figures["median_ms"] > 0
    assert figures["min_ms"] <= figures["median_ms"] <= figures["max_ms"]
