"""`python -m bench.sync [--quick] [--json FILE]`: sync between a real central and real posts on loopback.

- `sync_backlog_s`: a post's seven-day backlog of 50,000 crossings (each with its traveller, document and
  stay: 200,000 records) pushed to central by one `corredor sync run --once` (target < 60 s);
- `sync_watchlist_delta_s`: a post pulls a 100,000-entry watchlist delta, applies it, and screens a traveller
  with it (target < 30 s);
- `sync_ingest_crossings_per_s`: central's ingest throughput with 20 posts pushing at once (target >= 1,000
  crossings/s on PostgreSQL: central runs on DATABASE_URL's server when set, else on SQLite).

`--quick` (or env BENCH_SYNC_SCALE, a fraction) makes everything smaller: 2,000 crossings, a 5,000-entry
delta, 20 posts of 100 crossings each. `--part backlog|delta|ingest` (repeatable) runs only those parts (the
delta is pulled by the backlog's post, whose backlog is then left out of the timing). The ingest part also
reports where the machine's CPU went while the posts pushed: the posts' own processes, central's workers,
and the rest (the database server, mostly). Central listens on 127.0.0.1:8713, served by gunicorn with
BENCH_SYNC_WORKERS workers (default 4, as docs/deployment.md runs it).
"""

import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.postgres import scratch_database

REPO = Path(__file__).resolve().parent.parent
ACTOR = "bench.sync_actor"
PORT = 8713


class Site:
    def __init__(self, root: Path, mode: str, database_url: str = "") -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "CORREDOR_MODE": mode,
            "CORREDOR_DATA_DIR": str(root),
            "CORREDOR_ALLOW_DEVELOPMENT_KEYS": "1",
            "CORREDOR_FAST_PASSWORDS": "1",
            "CORREDOR_SYNC_PUBLISH_SECONDS": "0",
            "CORREDOR_SYNC_TIMEOUT": "600",
            "DEBUG": "0",
            "PYTHONPATH": str(REPO),
        }
        self.env.pop("CORREDOR_DEVICE_ID", None)
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], env=self.env, capture_output=True, text=True, cwd=REPO, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def corredor(self, *args: str) -> str:
        return self.run("-m", "corredor", *args)


def _wait_port(port: int) -> None:
    for _ in range(600):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(port)


def _postgres_database() -> tuple[str, Any]:
    """A database of its own on DATABASE_URL's PostgreSQL server (dropped afterwards), or ("", None)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return "", None
    return scratch_database(url, "sync")


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state first), or [] for a process gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (central's gunicorn workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if fields and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have used so far."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


PARTS = ("backlog", "delta", "ingest")


def run(*, scale: float, parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    backlog = max(100, int(50_000 * scale))
    delta = max(500, int(100_000 * scale))
    per_post = max(20, int(2_500 * scale))
    root = Path(tempfile.mkdtemp(prefix="corredor-syncbench-"))
    database_url, drop = _postgres_database()
    central = Site(root / "central", "central", database_url)
    central.corredor("migrate", "--no-input", "-v", "0")
    codes = json.loads(central.run("-m", ACTOR, "setup-central", "20"))
    log = open(root / "central.log", "ab")  # noqa: SIM115
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise RuntimeError(f"port {PORT} is taken: another central is running")
    # Central as docs/deployment.md runs it: gunicorn with its workers (each a process of its own).
    workers = os.environ.get("BENCH_SYNC_WORKERS", "4")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "corredor.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            workers,
            "--timeout",
            "600",
        ],
        env=central.env,
        stdout=log,
        stderr=log,
        cwd=REPO,
    )
    figures: dict[str, Any] = {
        "central_database": "postgresql" if database_url else "sqlite",
        "central_workers": int(workers),
    }
    try:
        _wait_port(PORT)

        def post_site(index: int, code: str) -> Site:
            site = Site(root / f"post-{index}", "post")
            site.corredor("migrate", "--no-input", "-v", "0")
            enrolment = central.corredor("device", "code", "--post", code).strip()
            site.corredor("sync", "enrol", "--central", f"http://127.0.0.1:{PORT}", "--code", enrolment)
            site.corredor("sync", "run", "--once")  # its officers and reference data
            return site

        first = post_site(0, codes[0])
        if "backlog" in parts:
            # 1. One post's seven-day backlog.
            first.run("-m", ACTOR, "backlog", str(backlog), codes[0])
            started = time.perf_counter()
            first.corredor("sync", "run", "--once")
            figures["backlog_crossings"] = backlog
            figures["backlog_s"] = time.perf_counter() - started

        if "delta" in parts:
            # 2. A watchlist delta pulled, applied and screened with.
            central.run("-m", ACTOR, "alerts", str(delta))
            result = json.loads(first.run("-m", ACTOR, "pull-and-screen"))
            figures["delta_entries"] = delta
            figures["delta_s"] = result["total_s"]
            figures["delta_found"] = result["found"]
            figures["delta_pull_s"] = result["pull_s"]
            figures["delta_screen_s"] = result["screen_s"]
            unchanged = json.loads(central.run("-m", ACTOR, "publish-unchanged"))
            figures["publish_unchanged_s"] = unchanged["s"]

        if "ingest" not in parts:
            return figures
        # 3. Twenty posts pushing at once.
        with ThreadPoolExecutor(max_workers=4) as pool:
            sites = list(pool.map(lambda pair: post_site(*pair), list(enumerate(codes))[1:20]))
        sites.append(first)
        for site, code in zip(sites, [*codes[1:20], codes[0]], strict=True):
            site.run("-m", ACTOR, "backlog", str(per_post), code)
        # Each post's process starts, says it is ready, and pushes when told: start-ups are not timed.
        go = root / "go"
        pushers = []
        for index, site in enumerate(sites):
            ready = root / f"ready-{index}"
            pushers.append(
                (
                    ready,
                    subprocess.Popen(
                        [sys.executable, "-m", ACTOR, "push-when-told", str(go), str(ready)],
                        env=site.env,
                        stdout=subprocess.PIPE,
                        cwd=REPO,
                    ),
                )
            )
        while not all(ready.exists() for ready, _ in pushers):
            time.sleep(0.05)
        # The posts' processes are counted from the go: what their start-up took is not the push's.
        posts_started = _cpu_of([pusher.pid for _, pusher in pushers])
        workers_before = _cpu_of(_children(server.pid))
        machine_before = _machine_busy()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        go.touch()
        for _, pusher in pushers:
            if pusher.wait() != 0:
                raise RuntimeError("a post's push failed")
        elapsed = time.perf_counter() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy = _machine_busy() - machine_before
        central_cpu = _cpu_of(_children(server.pid)) - workers_before
        posts_cpu = (
            (children_after.ru_utime + children_after.ru_stime)
            - (children_before.ru_utime + children_before.ru_stime)
            - posts_started
        )
        figures["ingest_posts"] = len(sites)
        figures["ingest_crossings"] = per_post * len(sites)
        figures["ingest_crossings_per_s"] = per_post * len(sites) / elapsed
        figures["ingest_s"] = elapsed
        figures["ingest_cpu_busy_share"] = busy / (elapsed * (os.cpu_count() or 1))
        figures["ingest_cpu_posts_s"] = posts_cpu
        figures["ingest_cpu_central_s"] = central_cpu
        figures["ingest_cpu_other_s"] = max(0.0, busy - posts_cpu - central_cpu)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if drop is not None:
            drop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run (env BENCH_SYNC_SCALE overrides)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--part", action="append", choices=PARTS, help="run only this part (repeatable)")
    args = parser.parse_args()
    scale = float(os.environ.get("BENCH_SYNC_SCALE") or (0.04 if args.quick else 1.0))
    figures = run(scale=scale, parts=tuple(args.part or PARTS))
    figures["scale"] = scale
    text = json.dumps(figures, indent=2)
    if args.json:
        Path(args.json).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
