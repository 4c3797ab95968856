"""The load run (bench/load.py) at its smallest scale: it prepares its database, serves it over HTTP, records
crossings while a watchlist imports and a list arrives, and reports its figures. Marked `bench`: `make bench`
runs it at full scale; `pytest -m bench tests/manifests/test_load_bench.py` runs this."""

import pytest
from bench.load import run


@pytest.mark.bench
def test_the_smallest_load_run_records_every_crossing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_LOAD_SCALE", "0.01")
    figures = run()
    assert figures["officers"] == 2 and figures["watchlist_rows"] == 5_000
    assert figures["recorded"] > 0 and figures["failed"] == 0, figures["errors"]
    assert figures["list_status"] == 201 and figures["import_exit"] == 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
