"""Benchmark of the statistics app: `python -m bench.statistics [--quick] [--crossings N]`.

`run(quick)` answers a dict (`name`, `median_ms` and every figure under `figures`) for `python -m bench`:

- a synthetic extract of 10,000,000 crossings (`--quick`: 1,000,000) written straight to Parquet with
  numpy and pyarrow (loading that many through SQLite would take most of an hour; the extract is what
  the engine reads, in the same schema `corredor stats refresh` writes), and its derived spells;
- on it: the monthly table by nationality x post x sex for a year (target < 1 s), with its margins and
  with disclosure control; the dashboard's main page rendered by Django's test client (target < 2 s);
  the monthly bulletin, HTML and PDF (target < 30 s);
- side by side, the same monthly table through the Django ORM on the SQLite database of the run (the
  desk benchmark's when `python -m bench` calls this, otherwise a demo year loaded here), and through
  DuckDB on that same database's extract: the like-for-like comparison. The ORM time per crossing is
  also scaled to 10,000,000 crossings, as an estimate (it is labelled so).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics as stats
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

# Synthetic flows, loosely the demo's: (nationality, weight, usual posts).
NATIONALITIES = [
    ("NIC", 20, "PBL LCH SJO"),
    ("USA", 17, "SJO LIR"),
    ("CRI", 12, "SJO PCN LIR"),
    ("PAN", 5, "PCN SIX SJO"),
    ("CAN", 3, "SJO LIR"),
    ("VEN", 4, "PCN PBL LCH"),
    ("COL", 3, "SJO PCN"),
    ("MEX", 2.5, "SJO"),
    ("DEU", 1.8, "SJO LIR"),
    ("ESP", 1.8, "SJO"),
    ("FRA", 1.4, "SJO LIR"),
    ("GBR", 1.3, "SJO LIR"),
    ("NLD", 1, "SJO"),
    ("ITA", 0.8, "SJO"),
    ("HTI", 1.2, "PCN PBL"),
    ("CUB", 1, "PCN SJO"),
    ("ECU", 1, "PCN"),
    ("BRA", 1, "SJO"),
    ("GTM", 0.6, "SJO PBL"),
    ("HND", 0.6, "PBL"),
    ("SLV", 0.6, "SJO PBL"),
    ("CHN", 0.8, "PCN SJO"),
    ("IND", 0.6, "PCN"),
    ("BGD", 0.3, "PCN"),
    ("NPL", 0.3, "PCN"),
    ("CMR", 0.3, "PCN"),
    ("SEN", 0.3, "PCN"),
    ("ERI", 0.2, "PCN"),
    ("JAM", 0.3, "SJO"),
    ("TTO", 0.2, "SJO"),
    ("PER", 0.3, "PCN SJO"),
    ("DOM", 0.3, "PCN SJO"),
    ("ARG", 0.3, "SJO"),
    ("CHL", 0.2, "SJO"),
    ("BEL", 0.2, "SJO"),
    ("CHE", 0.2, "SJO"),
    ("AUS", 0.2, "SJO"),
    ("JPN", 0.1, "SJO"),
    ("KOR", 0.1, "SJO"),
    ("ISR", 0.1, "SJO"),
    ("PLM", 0, ""),
]
POSTS = {
    "SJO": "airport",
    "LIR": "airport",
    "SYQ": "airport",
    "PBL": "land",
    "LCH": "land",
    "PCN": "land",
    "SIX": "land",
    "SAB": "land",
    "PLM": "seaport",
    "PUN": "seaport",
    "CAL": "seaport",
    "GLF": "seaport",
}
MONTH_WEIGHT = np.array([1.3, 1.3, 1.4, 1.1, 0.8, 0.8, 1.1, 0.9, 0.6, 0.6, 0.8, 1.3])


def _dictionary(indices: np.ndarray, values: list[str]) -> Any:
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(values, pa.string()))


def _ids(numbers: np.ndarray, salt: int) -> Any:
    """16-byte ids (as the extract stores UUIDs) from integers: the number and a salt, big-endian."""
    import pyarrow as pa

    raw = np.zeros((len(numbers), 2), dtype=">u8")
    raw[:, 0] = salt
    raw[:, 1] = numbers.astype(np.uint64)
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(16), len(numbers), [None, pa.py_buffer(raw.tobytes())]
    )


def synthetic_extract(root: Path, *, crossings: int, last_day: date, seed: int = 1) -> dict[str, Any]:
    """Write an extract of about `crossings` crossings over the year ending `last_day` (vectorised)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from corredor.statistics.extract import CROSSING_SCHEMA, SCHEMA_VERSION, Manifest, build_spells

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    codes = [n for n, w, _p in NATIONALITIES if w]
    weights = np.array([w for _n, w, _p in NATIONALITIES if w], dtype=float)
    post_codes = list(POSTS)
    kinds = ["airport", "land", "seaport"]
    post_kind = np.array([kinds.index(POSTS[p]) for p in post_codes])
    usual = [[post_codes.index(p) for p in posts.split()] for _n, w, posts in NATIONALITIES if w]
    categories = ["tourist", "business", "worker", "student", "transit", "resident", "asylum", "national"]
    # About 2.87 crossings a traveller: 1 to 3 trips, most with an exit.
    travellers = int(crossings / 2.87)
    nationality = rng.choice(len(codes), size=travellers, p=weights / weights.sum())
    sex = (rng.random(travellers) < 0.52).astype(np.int8)  # 0 F, 1 M
    age = np.clip(rng.normal(36, 16, travellers), 0, 95).astype(np.int16)
    trips = rng.choice([1, 2, 3], size=travellers, p=[0.62, 0.26, 0.12])
    t_index = np.repeat(np.arange(travellers), trips)
    order = np.arange(len(t_index)) - np.repeat(
        np.cumsum(trips) - trips, trips
    )  # trip number within traveller
    window = 365 // trips[t_index]
    month_pick = rng.choice(12, size=len(t_index), p=MONTH_WEIGHT / MONTH_WEIGHT.sum())
    start = order * window + (rng.random(len(t_index)) * window * 0.6).astype(int)
    start = np.minimum(start + (month_pick % 2), 364)
    length = np.clip(rng.lognormal(2.2, 0.8, len(t_index)).astype(int), 1, 200)
    first_day = last_day - timedelta(days=364)
    nat_of_trip = nationality[t_index]
    post_choice = np.array(
        [
            usual[n][i % len(usual[n])]
            for n, i in zip(nat_of_trip, rng.integers(0, 3, len(t_index)), strict=True)
        ]
    )
    refused = rng.random(len(t_index)) < 0.012
    referred = (~refused) & (rng.random(len(t_index)) < 0.002)
    national = np.array([c == "CRI" for c in codes])[nat_of_trip]
    category = np.where(national, 7, rng.choice(5, size=len(t_index), p=[0.8, 0.08, 0.06, 0.03, 0.03]))
    granted = np.where(category == 0, 90, np.where(category == 4, 3, 30))
    # An exit for most admitted trips; the rest are still here (some past their stay: overstays).
    end = start + np.minimum(length, granted + np.where(rng.random(len(t_index)) < 0.06, 40, 0))
    has_exit = (~refused) & (~referred) & (end <= 364) & (rng.random(len(t_index)) < 0.93)
    n_entries = len(t_index)
    n_exits = int(has_exit.sum())
    n = n_entries + n_exits
    day = np.concatenate([start, end[has_exit]])
    trav = np.concatenate([t_index, t_index[has_exit]])
    post = np.concatenate([post_choice, post_choice[has_exit]])
    direction = np.concatenate([np.zeros(n_entries, np.int8), np.ones(n_exits, np.int8)])
    decision = np.concatenate([np.where(refused, 1, np.where(referred, 2, 0)), np.zeros(n_exits, np.int8)])
    cat = np.concatenate([np.where(decision[:n_entries] == 0, category, -1), np.full(n_exits, -1)])
    until = np.concatenate(
        [np.where(decision[:n_entries] == 0, start + granted - 1, -1), np.full(n_exits, -1)]
    )
    seconds = rng.integers(12 * 3600, 28 * 3600, n)  # 06:00 to 22:00 local, in UTC (UTC-6)
    base = np.datetime64(first_day.isoformat(), "D")
    day_values = base + day.astype("timedelta64[D]")
    occurred = day_values.astype("datetime64[us]") + seconds.astype("timedelta64[s]")
    no_stay = cat < 0
    table = pa.table(
        {
            "id": _ids(np.arange(n), 1),
            "traveller_id": _ids(trav, 2),
            "corrects_id": pa.nulls(n, pa.binary(16)),
            "occurred_at": pa.array(occurred, pa.timestamp("us", tz="UTC")),
            "day": pa.array(day_values, pa.date32()),
            "direction": _dictionary(direction, ["entry", "exit"]),
            "decision": _dictionary(decision, ["admitted", "refused", "referred"]),
            "post": _dictionary(post, post_codes),
            "post_kind": _dictionary(post_kind[post], kinds),
            "nationality": _dictionary(nationality[trav], codes),
            "sex": _dictionary(sex[trav], ["F", "M"]),
            "age": pa.array(age[trav], pa.int16()),
            "stay_category": pa.DictionaryArray.from_arrays(
                pa.array(np.where(no_stay, 0, cat).astype(np.int32), mask=no_stay), pa.array(categories)
            ),
            "authorised_until": pa.array(
                base + np.where(no_stay, 0, until).astype("timedelta64[D]"), pa.date32(), mask=no_stay
            ),
            "created_at": pa.array(occurred, pa.timestamp("us", tz="UTC")),
            # Refusals carry one of the common grounds (A to J), the rest none.
            "refusal_ground": pa.array(
                np.where(decision == 1, np.array(list("ABCDEFGHIJ"))[rng.integers(0, 10, n)], None),
                pa.string(),
            ),
        }
    )
    table = table.cast(
        pa.schema(
            [
                pa.field(
                    f.name,
                    pa.dictionary(pa.int32(), pa.string())
                    if pa.types.is_dictionary(table.schema.field(f.name).type)
                    else f.type,
                )
                for f in CROSSING_SCHEMA
            ]
        )
    )
    # Corrections: one crossing in a thousand replaced by a copy that points at it.
    corrected = rng.choice(n, size=n // 1000, replace=False)
    fixes = table.take(pa.array(corrected)).set_column(0, "id", _ids(np.arange(len(corrected)), 3))
    fixes = fixes.set_column(2, "corrects_id", table.column("id").take(pa.array(corrected)))
    root.mkdir(parents=True, exist_ok=True)
    (root / "crossings").mkdir(exist_ok=True)
    manifest = Manifest(schema_version=SCHEMA_VERSION)
    names = []
    for part in (table, fixes):
        name = manifest.next_name("crossings/part")
        pq.write_table(part, root / name, compression="zstd", row_group_size=1_000_000)
        names.append(name)
    manifest.parts = {"crossings": names, "stay_changes": []}
    manifest.rows = {"crossings": n + len(corrected), "stay_changes": 0}
    written = time.perf_counter() - started
    build_spells(root, manifest)
    manifest.refreshed_at = datetime.now(UTC).isoformat()
    manifest.save(root)
    return {
        "crossings": n + len(corrected),
        "travellers": travellers,
        "write_seconds": written,
        "spells_seconds": time.perf_counter() - started - written,
        "bytes": sum(p.stat().st_size for p in root.rglob("*.parquet")),
    }


def _median_ms(fn: Any, runs: int) -> tuple[float, list[float]]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return stats.median(timings), timings


def _year_query(engine: Any, *, margins: bool = True) -> Any:
    from corredor.statistics.engine import Query

    last = engine.last_day
    first = (last.replace(day=1) - timedelta(days=335)).replace(day=1)
    return Query.make(
        measures=["entries"],
        by=["month", "nationality", "post", "sex"],
        date_from=first,
        date_to=last,
        margins=margins,
    )


def _orm_table(first: date, last: date) -> int:
    """The monthly table by nationality x post x sex through the ORM, its margins summed in Python."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from corredor.border.selectors import effective_crossings

    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    rows = (
        effective_crossings()
        .filter(direction="entry", decision="admitted", occurred_at__gte=start, occurred_at__lt=end)
        .annotate(month=TruncMonth("occurred_at", tzinfo=zone))
        .values("month", "document__nationality", "post", "document__sex")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = (row["month"], row["document__nationality"], row["post"], row["document__sex"])
        for mask in range(8):  # every margin: each of the three dimensions kept or totalled
            margin = tuple(v if not (mask >> i) & 1 else "_T" for i, v in enumerate(key[1:]))
            cells[(key[0], *margin)] = cells.get((key[0], *margin), 0) + row["n"]
    return len(cells)


def _ensure_django(quick: bool) -> Path | None:
    """Use the Django the caller set up (python -m bench), or a temporary database with a demo year."""
    import django
    from django.apps import apps

    if apps.ready:
        return None
    workdir = Path(tempfile.mkdtemp(prefix="corredor-bench-stats-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["CORREDOR_DATA_DIR"] = str(workdir)
    os.environ["CORREDOR_FAST_PASSWORDS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from corredor.border.demo import demo_load

    demo_load(travellers=4_000 if quick else 40_000, seed=1, year_end=timezone.localdate(), batch=5000)
    return workdir


def run(quick: bool = False, crossings: int | None = None) -> dict[str, Any]:
    """Every statistics figure; see the module's docstring."""
    workdir = _ensure_django(quick)
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from corredor.border.models import Crossing
    from corredor.core.models import User
    from corredor.statistics import engine as engine_module
    from corredor.statistics.bulletin import bulletin_write
    from corredor.statistics.engine import Engine, Query
    from corredor.statistics.extract import extract_refresh

    crossings = crossings or int(
        os.environ.get("BENCH_STATS_CROSSINGS") or (1_000_000 if quick else 10_000_000)
    )
    runs = 3 if quick else 5
    scratch = Path(tempfile.mkdtemp(prefix="corredor-stats-bench-"))
    figures: dict[str, dict[str, Any]] = {}

    def figure(name: str, value: float, unit: str, note: str = "", *, under: float | None = None) -> None:
        figures[name] = {"value": round(value, 3) if isinstance(value, float) else value, "unit": unit}
        if note:
            figures[name]["note"] = note
        if under is not None:  # the target, in the shape `python -m bench` writes every target
            figures[name]["target"] = f"< {under:g} {unit}"
            figures[name]["met"] = bool(value < under)

    try:
        # 1. The like-for-like comparison on the run's own database: ORM, and DuckDB on its extract.
        db_crossings = Crossing.objects.count()
        small = scratch / "db-extract"
        with override_settings(CORREDOR_STATS_DIR=str(small)):
            started = time.perf_counter()
            refresh = extract_refresh(full=True)
            figure(
                "stats_extract_s",
                time.perf_counter() - started,
                "s",
                f"corredor stats refresh --full of {refresh.total['crossings']:,} crossings from SQLite "
                "(streamed, pyarrow)",
            )
            started = time.perf_counter()
            extract_refresh()
            figure(
                "stats_refresh_incremental_s",
                time.perf_counter() - started,
                "s",
                "nothing new to extract",
            )
            engine = Engine()
            query = _year_query(engine)
            orm_ms, _t = _median_ms(lambda: _orm_table(query.date_from, query.date_to), max(1, runs - 2))
            duck_small_ms, _t = _median_ms(lambda: (engine_module.cache_clear(), engine.run(query)), runs)
        per_crossing = orm_ms / max(db_crossings, 1)
        figure(
            "stats_orm_monthly_table_ms",
            orm_ms,
            "ms",
            "monthly entries by nationality x post x sex for a year, with margins, Django ORM on SQLite with "
            f"{db_crossings:,} crossings",
        )
        figure(
            "stats_duckdb_same_db_monthly_table_ms",
            duck_small_ms,
            "ms",
            f"the same table, DuckDB on that database's extract ({db_crossings:,} crossings)",
        )
        figure(
            "stats_orm_vs_duckdb",
            orm_ms / max(duck_small_ms, 1e-9),
            "x",
            f"the ORM's time over DuckDB's for the same table on the same {db_crossings:,} crossings",
        )
        figure(
            "stats_orm_monthly_table_10m_estimate_ms",
            per_crossing * 10_000_000,
            "ms",
            "ESTIMATE: the ORM time above scaled linearly to 10,000,000 crossings (not measured)",
        )

        # 2. The synthetic 10,000,000-crossing extract.
        big = scratch / "extract"
        made = synthetic_extract(big, crossings=crossings, last_day=timezone.localdate() - timedelta(days=1))
        figure(
            "stats_extract_crossings",
            made["crossings"],
            "crossings",
            f"{made['travellers']:,} travellers, {made['bytes'] / 1e6:,.0f} MB of Parquet",
        )
        figure("stats_synthetic_write_s", made["write_seconds"], "s", "numpy + pyarrow straight to Parquet")
        figure(
            "stats_spells_s",
            made["spells_seconds"],
            "s",
            "derived tables (effective crossings, spells of stay) rebuilt by DuckDB, part of every refresh",
        )
        with override_settings(CORREDOR_STATS_DIR=str(big)):
            engine = Engine()
            query = _year_query(engine)
            plain = _year_query(engine, margins=False)

            def cold(q: Any) -> Any:
                engine_module.cache_clear()
                return engine.run(q)

            table_ms, timings = _median_ms(lambda: cold(plain), runs)
            figure(
                "stats_monthly_table_ms",
                table_ms,
                "ms",
                f"monthly entries by nationality x post x sex for a year, DuckDB, {made['crossings']:,} "
                f"crossings; target < 1000 ms; runs {[round(t) for t in timings]}",
                under=1000,
            )
            margins_ms, _t = _median_ms(lambda: cold(query), runs)
            figure(
                "stats_monthly_table_margins_ms",
                margins_ms,
                "ms",
                "the same with every margin (CUBE) and the year's total",
            )
            # Disclosure control where it has work to do: the same year by age too (small cells appear).
            finer = Query.make(
                measures=["entries"],
                by=["month", "nationality", "post", "sex", "age_band"],
                date_from=query.date_from,
                date_to=query.date_to,
            )
            result = cold(finer)["entries"]
            started = time.perf_counter()
            result.protect(5)
            figure(
                "stats_disclosure_ms",
                (time.perf_counter() - started) * 1000,
                "ms",
                "primary + secondary suppression of the year by month x nationality x post x sex x age band "
                f"({result.values.size:,} cells, "
                f"{(result.status == 1).sum():,} primary, {(result.status == 2).sum():,} secondary)",
            )

            analyst = User.objects.filter(role="analyst", is_active=True).first()
            if analyst is None:
                analyst = User.objects.create_user("bench-analyst", password=None, role="analyst")
            client = Client()
            client.force_login(analyst)

            def page() -> None:
                engine_module.cache_clear()
                response = client.get("/statistics/")
                if response.status_code != 200:
                    raise RuntimeError(f"the dashboard answered {response.status_code}")

            dash_ms, timings = _median_ms(page, runs)
            figure(
                "stats_dashboard_ms",
                dash_ms,
                "ms",
                "GET /statistics/ (analyst, twelve months, every chart and table), cold engine cache; "
                f"target < 2000 ms; runs {[round(t) for t in timings]}",
                under=2000,
            )
            warm_ms, _t = _median_ms(lambda: client.get("/statistics/"), runs)
            figure(
                "stats_dashboard_warm_ms",
                warm_ms,
                "ms",
                "the same page again (queries answered from the engine's cache)",
            )

            last = engine.last_day
            month = f"{last.replace(day=1) - timedelta(days=1):%Y-%m}"
            engine_module.cache_clear()
            files = bulletin_write(month=month, lang="es", out_dir=scratch / "bulletin", pdf=True)
            figure(
                "stats_bulletin_s",
                files.seconds,
                "s",
                f"corredor bulletin --month {month} --lang es (HTML and PDF; PDF {files.pdf_seconds:.1f} s); "
                "target < 30 s",
                under=30,
            )
        del call_command
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return {
        "name": "statistics_table",
        "description": (
            f"monthly entries by nationality x post x sex for a year on {crossings:,} crossings (DuckDB)"
        ),
        "median_ms": figures["stats_monthly_table_ms"]["value"],
        "runs": runs,
        "min_ms": None,
        "max_ms": None,
        "figures": figures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.statistics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000,000 crossings and a smaller database")
    parser.add_argument("--crossings", type=int, help="crossings in the synthetic extract")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(quick=args.quick, crossings=args.crossings)
    figures = result["figures"]
    width = max(len(name) for name in figures)
    print(f"\n{'figure':<{width}}  {'value':>14}  unit")
    for name, entry in figures.items():
        value = entry["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) and value < 1000 else f"{value:,.0f}"
        print(f"{name:<{width}}  {shown:>14}  {entry['unit']}  {entry.get('note', '')}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
