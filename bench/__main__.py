"""`python -m bench [--quick] [--only NAME[,NAME]] [--fresh] [--crossings N] [--calls N]`: run the
benchmarks, print one table of every figure (with the issue's target where it gives one) and write them as
JSON to bench/results.json (`--quick`: bench/results-quick.json).

The benchmarks, in the order they run (`--only` picks some of them):

- `mrz`: MRZ parses per second (pure core);
- `paxlst`: the parse of a 500-passenger PAXLST list (pure core);
- `screening`: the screening index against 1,000,000 persons and 10,000,000 documents (`--quick`: 50,000
  and 500,000): build time, memory, latency p50/p99 (targets < 3 ms, < 10 ms), plain rapidfuzz beside it,
  recall (>= 0.98) and false alerts (<= 1 in 100) on the labelled set. It runs as a subprocess
  (`python -m bench.screening --json FILE`), so its memory is given back before the database benchmarks;
- `desk`: the demo year's load into SQLite and the desk's `crossing_record` latency on it;
- `manifests`: a 500-passenger list received end to end (parse, pre-screen, store; target < 1 s) and the
  receiving endpoint's throughput;
- `statistics`: the monthly table by nationality x post x sex for a year on 10,000,000 crossings (`--quick`:
  1,000,000; target < 1 s), the dashboard (< 2 s), the bulletin (< 30 s), and the same table through the
  Django ORM beside DuckDB;
- `infohub`: the public hub's home page weight (compressed; target < 100 KB) and its first contentful paint
  on Chromium's emulated "Slow 3G", first visit and from the saved copy (target < 2 s). See bench/infohub.py;
- `displacement`: a KoboToolbox registration export of 100,000 rows imported, all or nothing, with the
  duplicate search (target < 20 s; `--quick` or env BENCH_KOBO_ROWS: fewer), in a subprocess on its own
  database (bench/displacement.py);
- `protection`: a caseworker's case list and a case page with 100,000 cases and 1,000,000 case events
  (`--quick`: 5,000 and 50,000), p95 target < 100 ms; a subprocess on its own SQLite database, and on
  DATABASE_URL's PostgreSQL server too when it names one (bench/protection.py);
- `load`: 50 officers recording crossings through the real HTTP server (runserver, loopback, its own SQLite
  database) while a 500,000-row watchlist imports and a 500-passenger list arrives: failed crossings
  (target 0) and the desk's p99 (`--quick` or env BENCH_LOAD_SCALE: a smaller run). See bench/load.py.
- `sync`: a real central and real posts on loopback (bench/sync.py, a subprocess): a post's seven-day backlog
  of 50,000 crossings pushed (target < 60 s), a 100,000-entry watchlist delta pulled and screened with
  (< 30 s), central's ingest with 20 posts pushing at once (>= 1,000 crossings/s; central on DATABASE_URL's
  PostgreSQL when set). `--quick` or env BENCH_SYNC_SCALE: smaller.

`desk`, `manifests` and `statistics` run on one SQLite bench database in the system's temporary directory,
loaded with the demo generator (1,000,000 crossings; `--quick` 50,000; env BENCH_CROSSINGS overrides). The
loaded database is kept there, keyed by its size and the code that made it (migrations and generator), and
reused by later runs unless `--fresh` is given; its load time is then the one measured when it was made.
Each run works on a copy of it, in this order: the desk's timing first, then `manifests` and `statistics`,
which write to the copy; the kept database is never changed after it is saved.

A benchmark that fails is reported and the others still run; the exit status is then 1. With `--only`, the
figures of the benchmarks that ran replace theirs in the results file and the others' are kept.
"""

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "corredor"
BENCHES = (
    "mrz",
    "paxlst",
    "screening",
    "desk",
    "manifests",
    "statistics",
    "infohub",
    "displacement",
    "protection",
    "sync",
    "load",
)
ON_DATABASE = {"desk", "manifests", "statistics"}

Figures = dict[str, dict[str, Any]]


def _code_key(crossings: int, seed: int) -> str:
    digest = hashlib.sha256(f"{crossings}:{seed}".encode())
    for path in sorted(
        [*SRC.glob("*/migrations/*.py"), SRC / "border" / "demo.py", REPO / "bench" / "desk.py"]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _machine() -> dict[str, Any]:
    import django

    return {
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _setup_django(database: Path, data_dir: Path) -> None:
    # Before Django reads its settings: the bench database, not the developer's.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["CORREDOR_DATA_DIR"] = str(data_dir)
    os.environ["CORREDOR_FAST_PASSWORDS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
    import django

    django.setup()


def _checkpoint_and_close() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


class Table:
    """The figures of one run, in the shape results.json keeps: name -> value, unit, note, target, met."""

    def __init__(self) -> None:
        self.figures: Figures = {}
        self.bench = ""

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        note: str = "",
        *,
        under: float | None = None,
        at_least: float | None = None,
        at_most: float | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "value": round(value, 4) if isinstance(value, float) else value,
            "unit": unit,
            "bench": self.bench,
        }
        for sign, bound, met in (
            ("<", under, under is not None and value < under),
            (">=", at_least, at_least is not None and value >= at_least),
            ("<=", at_most, at_most is not None and value <= at_most),
        ):
            if bound is not None:
                entry["target"] = (
                    f"{sign} {bound:g} {unit}" if unit not in ("fraction", "") else f"{sign} {bound:g}"
                )
                entry["met"] = bool(met)
                if "target" not in note:
                    note = f"{note}; target {entry['target']}" if note else f"target {entry['target']}"
        if note:
            entry["note"] = note
        self.figures[name] = entry

    def take(self, figures: Figures) -> None:
        """Figures a benchmark module made in this shape already (bench.statistics)."""
        for name, entry in figures.items():
            self.figures[name] = {**entry, "bench": self.bench}


def _bench_mrz(table: Table, *, quick: bool, seed: int) -> None:
    from bench.mrz import parses_per_second, sample_mrzs

    zones = sample_mrzs(3000, seed=seed)
    rate, parsed = parses_per_second(zones, seconds=1.0 if quick else 3.0)
    table.add("mrz_parses_per_second", rate, "parses/s", f"{parsed:,} parses of 3,000 TD1/TD2/TD3 zones")


def _bench_paxlst(table: Table, *, quick: bool) -> None:
    from bench.paxlst import run

    result = run(quick=quick)
    table.add(
        f"{result['name']}_median_ms",
        result["median_ms"],
        "ms",
        f"{result.get('description', result['name'])}; {result.get('runs')} runs, min {result.get('min_ms')} "
        f"ms, max {result.get('max_ms')} ms",
    )


def _bench_displacement(table: Table, *, quick: bool, workdir: Path) -> None:
    """The Kobo registration import (100,000 rows, target < 20 s; --quick 5,000) and the registration
    dashboard on 1,000,000 individuals (target < 1 s; --quick 50,000), in a subprocess on its own database
    (bench/displacement.py)."""
    out = workdir / "displacement.json"
    out.unlink(missing_ok=True)
    rows = os.environ.get("BENCH_KOBO_ROWS") or ("5000" if quick else "100000")
    individuals = os.environ.get("BENCH_INDIVIDUALS") or ("50000" if quick else "1000000")
    command = [sys.executable, "-m", "bench.displacement", "--rows", rows, "--individuals", individuals]
    command += ["--json", str(out)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    table.take(json.loads(out.read_text()))
    out.unlink()


def _bench_screening(table: Table, *, quick: bool, workdir: Path) -> None:
    out = workdir / "screening.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.screening", "--json", str(out), *(["--quick"] if quick else [])]
    print("Screening (a subprocess, its memory given back when it ends) ...", file=sys.stderr)
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    # ru_maxrss of the children: only this subprocess has been waited for so far (Linux: kB).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    result = json.loads(out.read_text())
    out.unlink()
    data, build, screen = result["data"], result["build"], result["screening"]
    brute, documents, quality, big = (
        result["bruteforce"],
        result["documents"],
        result["quality"],
        result["big_list"],
    )
    scale = f"{data['persons']:,} persons ({data['person_names']:,} names) + {data['documents']:,} documents"
    table.add("screening_persons", data["persons"], "persons", scale)
    table.add("screening_documents", data["documents"], "documents")
    table.add(
        "screening_build_s",
        build["total_s"],
        "s",
        f"index build: persons {build['persons_s']} s, documents {build['documents_s']} s "
        f"(making the synthetic list, not counted: {data['make_persons_s']} s + "
        f"{data['make_documents_s']} s)",
    )
    table.add(
        "screening_memory_mb",
        build["rss_growth_mb"],
        "MB",
        f"process memory grown by the build; index arrays {build['index_arrays_mb']} MB, "
        f"process {build['rss_total_mb']} MB in all after the build",
    )
    table.add("screening_index_arrays_mb", build["index_arrays_mb"], "MB", "numpy arrays of the index")
    table.add(
        "screening_process_peak_mb", peak_mb, "MB", "peak memory of the subprocess, synthetic data included"
    )
    note = (
        f"{screen['travellers']:,} travellers (one in five listed) screened against {scale}: name, "
        "birth date, nationality, sex, document; single-threaded"
    )
    table.add("screening_p50_ms", screen["p50_ms"], "ms", note, under=3)
    table.add("screening_p99_ms", screen["p99_ms"], "ms", under=10)
    table.add("screening_mean_ms", screen["mean_ms"], "ms")
    table.add("screening_max_ms", screen["max_ms"], "ms")
    if "cpu_p99_ms" in screen:
        note = (
            "CPU time of the screening thread per traveller (the wall-clock figures above also count waiting "
            f"for a core: load average {screen['load_average']} on {os.cpu_count()} cores during the run)"
        )
        table.add("screening_cpu_p50_ms", screen["cpu_p50_ms"], "ms", note)
        table.add("screening_cpu_p99_ms", screen["cpu_p99_ms"], "ms")
    note = (
        f"plain rapidfuzz process.extract (token-sort ratio) over the same {brute['names']:,} names, "
        f"{brute['travellers']} travellers"
    )
    table.add("bruteforce_p50_ms", brute["p50_ms"], "ms", note)
    table.add("bruteforce_p99_ms", brute["p99_ms"], "ms")
    table.add(
        "screening_document_lookup_p50_ms",
        documents["lookup_p50_ms"],
        "ms",
        f"document lookup alone (exact + OCR + one typing error), {documents['lookups']} numbers",
    )
    table.add("screening_document_lookup_p99_ms", documents["lookup_p99_ms"], "ms")
    table.add(
        "screening_clean_document_near_rate",
        documents["clean_numbers_with_near_match"],
        "fraction",
        "clean travellers' document numbers with a near match (one typing error) in the list",
    )
    table.add(
        "recall",
        quality["recall"],
        "fraction",
        f"labelled evaluation set: {quality['true_variants']:,} true variants, "
        f"threshold {quality['threshold']}",
        at_least=0.98,
    )
    table.add(
        "false_alert_rate",
        quality["false_alert_rate"],
        "fraction",
        f"{quality['clean_travellers']:,} travellers of the evaluation set who are not listed",
        at_most=0.01,
    )
    table.add("hard_negatives_alert_rate", quality["hard_negatives_alerted"], "fraction")
    table.add("rapidfuzz_recall", quality["rapidfuzz_recall"], "fraction", "plain rapidfuzz on the same set")
    table.add("rapidfuzz_false_alert_rate", quality["rapidfuzz_false_alert_rate"], "fraction")
    table.add(
        "big_list_clean_alert_rate",
        big["false_alert_rate"],
        "fraction",
        f"{big['clean_travellers']:,} clean travellers against the {data['persons']:,}-person list",
        at_most=0.01,
    )
    table.add("big_list_clean_possible_rate", big["possible_rate"], "fraction", "shown as possible matches")
    # The shared real data (../shared/data/screening), beside the synthetic figures above.
    real = result["real"]
    table.add(
        "real_un_recall",
        real["un_recall"],
        "fraction",
        f"{real['un_persons']} altered UN-list names, the list screened as written (hits)",
        at_least=0.98,
    )
    table.add("real_un_shown", real["un_shown"], "fraction", "hits or possible matches")
    table.add(
        "real_clean_false_alert_rate",
        real["clean_false_alert_rate"],
        "fraction",
        f"{real['clean_travellers']:,} clean travellers against the UN persons",
        at_most=0.01,
    )
    table.add("real_clean_possible_rate", real["clean_possible_rate"], "fraction")
    table.add(
        "real_pair_f1",
        real["pair_f1"],
        "fraction",
        f"{real['person_pairs']} labelled person-name pairs; precision {real['pair_precision']}, "
        f"recall {real['pair_recall']}",
        at_least=0.80,
    )


def _bench_protection(table: Table, *, quick: bool, workdir: Path) -> None:
    # On SQLite, and on PostgreSQL too when DATABASE_URL names a server (a database of its own there).
    server = os.environ.get("DATABASE_URL", "")
    for database in ("sqlite", *(["postgresql"] if server.startswith("postgres") else [])):
        out = workdir / "protection.json"
        out.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "bench.protection",
            "--json",
            str(out),
            *(["--small"] if quick else []),
        ]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" or database == "postgresql"}
        print(f"Protection on {database} (a subprocess on its own database) ...", file=sys.stderr)
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command[1:])} exited with {done.returncode}:\n{done.stderr[-3000:]}"
            )
        result = json.loads(out.read_text())
        out.unlink()
        data = result["data"]
        prefix = "protection" if database == "sqlite" else "protection_postgres"
        scale = (
            f"{data['cases']:,} cases, {data['events']:,} events on {database} (loaded in {data['load_s']} s)"
        )
        table.add(f"{prefix}_cases", data["cases"], "cases", scale)
        for name, what in (
            ("case_list", "my open cases, names hidden"),
            ("agency_list", "the agency's open cases, names shown"),
            ("case_page", "a case page with its latest events"),
        ):
            figures = result[name]
            table.add(f"{prefix}_{name}_p50_ms", figures["p50_ms"], "ms", f"{what} ({database})")
            table.add(f"{prefix}_{name}_p95_ms", figures["p95_ms"], "ms", f"{what} ({database})", under=100)


def _bench_manifests(table: Table, *, quick: bool) -> None:
    from bench.manifests import run

    result = run(quick=quick)
    table.add(
        "manifest_500_end_to_end_ms",
        result["median_ms"],
        "ms",
        f"{result['description']}; median of {result['runs']} runs, min {result['min_ms']} ms, "
        f"max {result['max_ms']} ms",
        under=1000,
    )
    table.add("manifest_500_parse_ms", result["parse_median_ms"], "ms", "of which the parse (median)")
    table.add("manifest_500_prescreen_ms", result["prescreen_median_ms"], "ms", "the pre-screening alone")
    table.add("manifest_hits_per_list", result["hits_per_list"], "hits", "passengers with a hit, per list")
    note = f"{result['endpoint_note']}: {result['endpoint_lists']} lists in {result['endpoint_seconds']} s"
    table.add("manifest_endpoint_lists_per_s", result["endpoint_lists_per_second"], "lists/s", note)
    table.add("manifest_endpoint_passengers_per_s", result["endpoint_passengers_per_second"], "passengers/s")


def _bench_load(table: Table, *, quick: bool) -> None:
    from bench.load import run

    result = run(quick=quick)
    print(
        f"Load run: slowest crossings (seconds after the import began): {json.dumps(result['slowest'])}; "
        f"the list was sent at {result['list_at_s']} s",
        file=sys.stderr,
    )
    scale = (
        f"{result['officers']} officers, {result['watchlist_rows']:,}-row watchlist import, "
        f"{result['passengers']}-passenger list, {result['wall_seconds']} s, HTTP (runserver) on SQLite"
    )
    table.add("loadrun_crossings", result["recorded"], "crossings", scale)
    table.add("loadrun_failed_crossings", result["failed"], "crossings", "not recorded in the end", at_most=0)
    table.add(
        "loadrun_retried_503", result["retried_503"], "retries", "busy answers sent again with the same id"
    )
    table.add(
        "loadrun_retried_no_answer",
        result["retried_no_answer"],
        "retries",
        "requests the development server reset unanswered, sent again with the same id",
    )
    table.add(
        "loadrun_desk_p50_ms", result["p50_ms"], "ms", "a crossing as the officer waits for it, retries in"
    )
    table.add("loadrun_desk_p99_ms", result["p99_ms"], "ms")
    table.add("loadrun_desk_max_ms", result["max_ms"], "ms")
    table.add(
        "loadrun_desk_p99_during_import_ms",
        result["during_import_p99_ms"],
        "ms",
        f"{result['during_import_crossings']} crossings while the import ran",
    )
    table.add(
        "loadrun_watchlist_import_s",
        result["import_seconds"] if result["import_seconds"] is not None else -1,
        "s",
        f"exit {result['import_exit']}: {result['import_last_line']}"
        if result["import_seconds"] is not None
        else "did not finish within the run's time",
    )
    table.add("loadrun_list_receipt_s", result["list_seconds"], "s", f"HTTP {result['list_status']}")
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} crossings failed: {result['errors'][:3]}")


def _bench_infohub(table: Table, *, quick: bool) -> None:
    from bench.infohub import run

    result = run(quick=quick)
    table.add(
        "infohub_home_compressed_kb",
        result["home_compressed_bytes"] / 1000,
        "KB",
        f"the home page and the {result['resources'] - 1} files it loads, gzip; "
        f"{result['home_bytes'] / 1000:.1f} KB uncompressed",
        under=100,
    )
    table.add(
        "infohub_fcp_slow3g_first_visit_ms",
        result["fcp_slow3g_first_visit_ms"],
        "ms",
        f"median of {result['runs']}; DevTools' Slow 3G puts 2,000 ms of latency on the one request the page "
        "needs to paint, so a first visit cannot paint sooner",
        under=2000,
    )
    table.add(
        "infohub_fcp_saved_copy_ms",
        result["fcp_saved_copy_ms"],
        "ms",
        "a later visit without signal: the service worker's saved copy",
        under=2000,
    )


def _bench_sync(table: Table, *, quick: bool, workdir: Path) -> None:
    out = workdir / "sync.json"
    command = [sys.executable, "-m", "bench.sync", "--json", str(out)] + (["--quick"] if quick else [])
    print("Sync (two real servers on loopback) ...", file=sys.stderr)
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.sync failed:\n{done.stderr[-3000:]}")
    result = json.loads(out.read_text())
    scale = f"scale {result['scale']:g} of the issue's sizes; central on {result['central_database']}"
    full = result["scale"] >= 1
    table.add(
        "sync_backlog_s",
        result["backlog_s"],
        "s",
        f"{result['backlog_crossings']:,} crossings (4 records each) pushed by one post; {scale}",
        under=60 if full else None,
    )
    table.add(
        "sync_watchlist_delta_s",
        result["delta_s"],
        "s",
        f"{result['delta_entries']:,}-entry delta pulled, applied and screened with "
        f"(found: {result['delta_found']})",
        under=30 if full else None,
    )
    table.add(
        "sync_feed_publish_unchanged_s",
        result["publish_unchanged_s"],
        "s",
        f"central's feed publication with nothing changed, beside the {result['delta_entries']:,}-entry list "
        "(at most once per CORREDOR_SYNC_PUBLISH_SECONDS, when a post has pulled everything)",
    )
    table.add(
        "sync_ingest_crossings_per_s",
        result["ingest_crossings_per_s"],
        "crossings/s",
        f"{result['ingest_posts']} posts pushing {result['ingest_crossings']:,} crossings at once",
        at_least=1000 if full else None,
    )
    # Where the machine's CPU went meanwhile (the posts run on the same cores as central and its database).
    crossings = result["ingest_crossings"]
    for part, label in (
        ("posts", "the posts' processes (reading, serialising, signing, sending)"),
        ("central", "central's workers (parsing, checking, storing)"),
        ("other", "the rest: the database server, mostly"),
    ):
        table.add(
            f"sync_ingest_cpu_{part}_ms_per_crossing",
            1000 * result[f"ingest_cpu_{part}_s"] / crossings,
            "ms",
            f"CPU per crossing during the ingest: {label}; machine busy "
            f"{100 * result['ingest_cpu_busy_share']:.0f}%",
        )


def _bench_statistics(table: Table, *, quick: bool, crossings: int | None) -> None:
    from bench.statistics import run

    table.take(run(quick=quick, crossings=crossings)["figures"])


def _shown(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4f}"


def _print_table(figures: Figures) -> None:
    width = max(len(name) for name in figures)
    print(f"\n{'figure':<{width}}  {'value':>14}  {'unit':<13}  target")
    bench = None
    for name, entry in figures.items():
        if bench is not None and entry.get("bench") != bench:
            print()
        bench = entry.get("bench")
        target = ""
        if "target" in entry:
            target = f"{entry['target']:<10}  {'met' if entry['met'] else 'MISSED'}"
        print(f"{name:<{width}}  {_shown(entry['value']):>14}  {entry['unit']:<13}  {target}".rstrip())


def _merged(out: Path, figures: Figures, ran: list[str], *, full_run: bool) -> Figures:
    """With --only, the earlier figures of the benchmarks that did not run and this run's, in bench order."""
    earlier: Figures = {}
    if not full_run and out.exists():
        try:
            earlier = json.loads(out.read_text()).get("figures", {})
        except (OSError, ValueError):
            earlier = {}
    merged: Figures = {}
    for bench in BENCHES:
        names = [name for name, entry in figures.items() if entry["bench"] == bench]
        if bench not in ran:  # its earlier figures, in their order, updated by this run's (the load)
            old = [name for name, entry in earlier.items() if entry.get("bench") == bench]
            names = old + [name for name in names if name not in old]
        for name in names:
            merged[name] = figures.get(name) or earlier[name]
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller data and shorter runs everywhere")
    parser.add_argument("--only", help=f"run only these, comma-separated: {','.join(BENCHES)}")
    parser.add_argument("--fresh", action="store_true", help="load a new bench database even if one is kept")
    parser.add_argument("--crossings", type=int, help="crossings in the bench database (env BENCH_CROSSINGS)")
    parser.add_argument(
        "--stats-crossings", type=int, help="crossings in the statistics extract (env BENCH_STATS_CROSSINGS)"
    )
    parser.add_argument("--calls", type=int, default=500, help="timed crossing_record calls (default 500)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    selected = list(BENCHES)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = wanted - set(BENCHES)
        if unknown or not wanted:
            parser.error(
                f"--only takes some of {', '.join(BENCHES)}; not {', '.join(sorted(unknown)) or 'empty'}"
            )
        selected = [name for name in BENCHES if name in wanted]

    workdir = Path(tempfile.gettempdir()) / "corredor-bench"
    workdir.mkdir(exist_ok=True)
    table = Table()
    failed: dict[str, str] = {}

    def attempt(bench: str, step: Callable[[], None]) -> None:
        if bench not in selected:
            return
        table.bench = bench
        try:
            step()
        except Exception as exc:  # one broken benchmark must not cost the others' figures
            traceback.print_exc()
            failed[bench] = f"{type(exc).__name__}: {exc}"
            print(f"\nThe {bench} benchmark failed; going on with the others.\n", file=sys.stderr)

    attempt("mrz", lambda: _bench_mrz(table, quick=args.quick, seed=args.seed))
    attempt("paxlst", lambda: _bench_paxlst(table, quick=args.quick))
    attempt("screening", lambda: _bench_screening(table, quick=args.quick, workdir=workdir))

    database = workdir / "bench-run.sqlite3"
    if ON_DATABASE & set(selected):
        crossings = args.crossings or int(
            os.environ.get("BENCH_CROSSINGS") or (50_000 if args.quick else 1_000_000)
        )
        try:
            _prepare_database(table, workdir, database, crossings=crossings, seed=args.seed, fresh=args.fresh)
        except Exception as exc:
            traceback.print_exc()
            for bench in ON_DATABASE & set(selected):
                failed[bench] = f"no bench database: {type(exc).__name__}: {exc}"
        else:
            # The desk first, on the copy as it was kept; manifests and statistics then write to that copy.
            attempt("desk", lambda: _bench_desk(table, calls=args.calls, seed=args.seed))
            attempt("manifests", lambda: _bench_manifests(table, quick=args.quick))
            attempt(
                "statistics",
                lambda: _bench_statistics(table, quick=args.quick, crossings=args.stats_crossings),
            )
            _checkpoint_and_close()
        for used in workdir.glob("bench-run.sqlite3*"):
            used.unlink()
    attempt("infohub", lambda: _bench_infohub(table, quick=args.quick))
    attempt("displacement", lambda: _bench_displacement(table, quick=args.quick, workdir=workdir))
    attempt("protection", lambda: _bench_protection(table, quick=args.quick, workdir=workdir))
    # Last, on its own database and server: it uses every core for a few minutes.
    attempt("load", lambda: _bench_load(table, quick=args.quick))
    attempt("sync", lambda: _bench_sync(table, quick=args.quick, workdir=workdir))

    out = REPO / "bench" / ("results-quick.json" if args.quick else "results.json")
    figures = _merged(out, table.figures, selected, full_run=not args.only)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "benches": selected,
        "machine": _machine(),
        "figures": figures,
    }
    if failed:
        results["failed"] = failed
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")

    if figures:
        _print_table(figures)
    missed = [name for name, entry in table.figures.items() if entry.get("met") is False]
    machine = results["machine"]
    print(f"\nMachine: {machine['cpu']} ({machine['cpus']} CPUs), written to {out}")
    shown = {entry["bench"] for entry in figures.values()}
    earlier = [bench for bench in BENCHES if bench in shown and bench not in selected]
    if earlier:
        print(f"Kept from an earlier run (not run now): {', '.join(earlier)}")
    if args.quick:
        print("Quick run: smaller data than the targets are set for; the target column is only indicative.")
    if missed:
        print(f"Targets missed: {', '.join(missed)}")
    for bench, message in failed.items():
        print(f"FAILED {bench}: {message}")
    return 1 if failed else 0


def _prepare_database(
    table: Table, workdir: Path, database: Path, *, crossings: int, seed: int, fresh: bool
) -> None:
    """Copy the kept bench database to `database` (or load a new one and keep it); its load figures."""
    key = _code_key(crossings, seed)
    kept = workdir / f"bench-{crossings}-{key}.sqlite3"
    kept_figures = kept.with_suffix(".json")
    for stale in workdir.glob("bench-run.sqlite3*"):
        stale.unlink()
    reuse = kept.exists() and kept_figures.exists() and not fresh
    if reuse:
        shutil.copyfile(kept, database)
    _setup_django(database, workdir)

    from bench.desk import LoadFigures, load_bench_year
    from corredor.border.demo import ProgressBar

    if reuse:
        load = LoadFigures(**json.loads(kept_figures.read_text()))
        print(f"Reusing the bench database {kept} ({load.crossings:,} crossings).", file=sys.stderr)
    else:
        for old in workdir.glob(f"bench-{crossings}-*"):
            old.unlink()
        print(f"Loading {crossings:,} crossings into {database} ...", file=sys.stderr)
        load = load_bench_year(crossings=crossings, seed=seed, progress=ProgressBar("load"))
        _checkpoint_and_close()
        shutil.copyfile(database, kept)  # kept before any benchmark writes to the database
        kept_figures.write_text(json.dumps(load.__dict__))
    cached = " (kept from an earlier run)" if reuse else ""
    table.bench = "desk"
    table.add(
        "load_crossings", load.crossings, "crossings", f"{load.travellers:,} travellers, {load.stays:,} stays"
    )
    table.add("load_seconds", load.seconds, "s", f"demo generator into SQLite{cached}")
    table.add("load_crossings_per_second", load.crossings / load.seconds, "crossings/s", cached.strip())


def _bench_desk(table: Table, *, calls: int, seed: int) -> None:
    from bench.desk import time_crossing_record

    load_crossings = table.figures["load_crossings"]["value"]
    desk = time_crossing_record(calls=calls, seed=seed)
    note = (
        f"{desk.calls} calls on SQLite with {load_crossings:,} crossings: {desk.new_travellers} new "
        f"travellers, {desk.returning} returning; {desk.refused_by_rules} answered with an error "
        "(no days left under the stay rule)"
    )
    table.add("crossing_record_p50_ms", desk.p50_ms, "ms", note)
    table.add("crossing_record_p90_ms", desk.p90_ms, "ms")
    table.add("crossing_record_p99_ms", desk.p99_ms, "ms", under=20)
    table.add("crossing_record_max_ms", desk.max_ms, "ms")
    table.add("crossing_record_mean_ms", desk.mean_ms, "ms")


if __name__ == "__main__":
    sys.exit(main())
