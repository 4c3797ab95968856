"""`python -m bench [--quick] [--fresh] [--crossings N] [--calls N]`: run the benchmarks, print a table,
write the figures as JSON: MRZ parses per second, the pure cores' benchmarks of this package (PAXLST),
the demo year's load into SQLite and the desk's `crossing_record` latency on it.

The desk benchmark runs on its own SQLite database in the system's temporary directory, loaded with the
demo generator (1,000,000 crossings; `--quick` 50,000; env BENCH_CROSSINGS overrides). The loaded
database is kept there, keyed by its size and the code that made it (migrations and generator), and
reused by later runs unless `--fresh` is given; its load time is then the one measured when it was made.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "corredor"


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


def _pure_benchmarks(*, quick: bool) -> list[tuple[str, dict[str, Any]]]:
    """Benchmarks of the pure cores that other modules of this package provide as `run(quick)`, each
    answering a dict with at least `name` and `median_ms`. A module whose core is not there is skipped."""
    import importlib

    results = []
    for module_name in ("bench.paxlst",):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            print(f"Skipping {module_name}: {exc}", file=sys.stderr)
            continue
        result = module.run(quick=quick)
        results.append((str(result["name"]), result))
    return results


def _checkpoint_and_close() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 crossings and a short MRZ run")
    parser.add_argument("--fresh", action="store_true", help="load a new bench database even if one is kept")
    parser.add_argument("--crossings", type=int, help="crossings in the bench database (env BENCH_CROSSINGS)")
    parser.add_argument("--calls", type=int, default=500, help="timed crossing_record calls (default 500)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    crossings = args.crossings or int(
        os.environ.get("BENCH_CROSSINGS") or (50_000 if args.quick else 1_000_000)
    )
    workdir = Path(tempfile.gettempdir()) / "corredor-bench"
    workdir.mkdir(exist_ok=True)
    key = _code_key(crossings, args.seed)
    kept = workdir / f"bench-{crossings}-{key}.sqlite3"
    kept_figures = kept.with_suffix(".json")
    database = workdir / "bench-run.sqlite3"
    for stale in workdir.glob("bench-run.sqlite3*"):
        stale.unlink()
    reuse = kept.exists() and kept_figures.exists() and not args.fresh
    if reuse:
        shutil.copyfile(kept, database)
    _setup_django(database, workdir)

    from bench.desk import LoadFigures, load_bench_year, time_crossing_record
    from bench.mrz import parses_per_second, sample_mrzs
    from corredor.border.demo import ProgressBar

    figures: dict[str, dict[str, Any]] = {}

    def figure(name: str, value: float, unit: str, note: str = "") -> None:
        figures[name] = {"value": round(value, 3) if isinstance(value, float) else value, "unit": unit}
        if note:
            figures[name]["note"] = note

    zones = sample_mrzs(3000, seed=args.seed)
    rate, parsed = parses_per_second(zones, seconds=1.0 if args.quick else 3.0)
    figure("mrz_parses_per_second", rate, "parses/s", f"{parsed:,} parses of 3,000 TD1/TD2/TD3 zones")

    for name, result in _pure_benchmarks(quick=args.quick):
        figure(
            f"{name}_median_ms",
            result["median_ms"],
            "ms",
            f"{result.get('description', name)}; {result.get('runs')} runs, min {result.get('min_ms')} ms, "
            f"max {result.get('max_ms')} ms",
        )

    if reuse:
        load = LoadFigures(**json.loads(kept_figures.read_text()))
        print(f"Reusing the bench database {kept} ({load.crossings:,} crossings).", file=sys.stderr)
    else:
        for old in workdir.glob(f"bench-{crossings}-*"):
            old.unlink()
        print(f"Loading {crossings:,} crossings into {database} ...", file=sys.stderr)
        load = load_bench_year(crossings=crossings, seed=args.seed, progress=ProgressBar("load"))
        _checkpoint_and_close()
        shutil.copyfile(database, kept)
        kept_figures.write_text(json.dumps(load.__dict__))
    cached = " (kept from an earlier run)" if reuse else ""
    figure(
        "load_crossings", load.crossings, "crossings", f"{load.travellers:,} travellers, {load.stays:,} stays"
    )
    figure("load_seconds", load.seconds, "s", f"demo generator into SQLite{cached}")
    figure("load_crossings_per_second", load.crossings / load.seconds, "crossings/s", cached.strip())

    desk = time_crossing_record(calls=args.calls, seed=args.seed)
    note = (
        f"{desk.calls} calls on SQLite with {load.crossings:,} crossings: {desk.new_travellers} new "
        f"travellers, {desk.returning} returning; {desk.refused_by_rules} answered with an error "
        "(no days left under the stay rule)"
    )
    figure("crossing_record_p50_ms", desk.p50_ms, "ms", note)
    figure("crossing_record_p90_ms", desk.p90_ms, "ms")
    figure("crossing_record_p99_ms", desk.p99_ms, "ms", "target < 20 ms")
    figure("crossing_record_max_ms", desk.max_ms, "ms")
    figure("crossing_record_mean_ms", desk.mean_ms, "ms")
    _checkpoint_and_close()
    for used in workdir.glob("bench-run.sqlite3*"):
        used.unlink()

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": _machine(),
        "figures": figures,
    }
    out = REPO / "bench" / ("results-quick.json" if args.quick else "results.json")
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    width = max(len(name) for name in figures)
    print(f"\n{'figure':<{width}}  {'value':>14}  unit")
    for name, entry in figures.items():
        value = entry["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) and value < 1000 else f"{value:,.0f}"
        print(f"{name:<{width}}  {shown:>14}  {entry['unit']}")
    print(f"\nMachine: {results['machine']['cpu']} ({results['machine']['cpus']} CPUs), written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
