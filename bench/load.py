"""The load run (issue 11): officers recording crossings through the real HTTP server while a big watchlist
imports and a big passenger list arrives.

On loopback only, against a SQLite database made for the run in a temporary folder:

1. a subprocess (`python -m bench.load --prepare DIR`) migrates the database, loads Costa Rica's posts and
   stay rules and makes the officers, a carrier account and a watchlist, with API tokens;
2. `corredor runserver 127.0.0.1:PORT --noreload` (threaded) serves it, as `make run` does;
3. OFFICERS threads, each an officer at post SJO, record crossings (`POST /api/v1/crossings`, a new
   traveller's MRZ, an admitted entry) one after another with a short pause, each with its own crossing id: a
   503 "busy, try again" is sent again with the same id after the Retry-After it gives (as the desk does),
   and so is a request that got no answer (runserver's listen queue is short: under 50 officers it resets
   some connections), at most RETRIES times each;
4. meanwhile `corredor watchlist import` loads WATCHLIST_ROWS person alerts (a synthetic CSV) in a
   subprocess, and a carrier sends a PASSENGERS-passenger PAXLST list (`POST /api/v1/manifests/messages`);
5. the officers stop when the import and the list are done and MIN_SECONDS have passed, or at MAX_SECONDS,
   or after MAX_PER_OFFICER crossings each, whichever comes first.

A crossing fails when it is not recorded in the end: any answer but 201 (after the retries), or no answer.
The figures: crossings recorded and failed, 503s retried, the officer-seen latency of each crossing (retries
included) p50/p90/p99/max overall and while the import ran, the import's and the list's durations and
outcomes. Full scale is the issue's (50 officers, 500,000 rows, 500 passengers); env BENCH_LOAD_SCALE (e.g.
0.1) shrinks the officers, the rows and the time for small CI machines, and `--quick` is 0.1.

`python -m bench.load [--quick] [--json FILE]` runs it alone and prints the figures; `python -m bench`
runs it as the `load` benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OFFICERS = 50
WATCHLIST_ROWS = 500_000
PASSENGERS = 500
PAUSE_SECONDS = (0.2, 0.6)  # between one officer's crossings: reading the next passport
RETRIES = 5
MIN_SECONDS = 20.0
MAX_SECONDS = 900.0
MAX_PER_OFFICER = 2_000
CARRIER = "CM"


def _scale(quick: bool) -> float:
    value = float(os.environ.get("BENCH_LOAD_SCALE") or (0.1 if quick else 1.0))
    return min(max(value, 0.01), 1.0)


def _environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'load.sqlite3'}",
            "CORREDOR_DATA_DIR": str(workdir),
            "CORREDOR_FAST_PASSWORDS": "1",
            "DJANGO_SETTINGS_MODULE": "corredor.settings",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _corredor() -> list[str]:
    return [sys.executable, "-m", "corredor.cli"]


# --- the preparing subprocess (Django is set up there, never in the driver) -------------------------------


def prepare(workdir: Path, officers: int) -> None:
    """Migrate, load reference data, make the officers, carrier and watchlist; tokens to tokens.json."""
    import django

    django.setup()
    from django.core.management import call_command

    from corredor.core.audit import Actor, acting_as
    from corredor.core.management.commands.token import token_create
    from corredor.core.models import BorderPost, Role, StayRule, User
    from corredor.core.reference import load_posts_and_rules
    from corredor.manifests import services as manifests
    from corredor.screening import services as screening

    call_command("migrate", verbosity=0, interactive=False)
    with acting_as(Actor(username="bench", role="", origin="bench.load")):
        load_posts_and_rules(country="CRI", post_model=BorderPost, rule_model=StayRule)
        tokens = []
        for index in range(officers):
            user = User.objects.create(
                username=f"officer{index:02d}", role=Role.OFFICER, border_post_id="SJO"
            )
            tokens.append(token_create(user=user))
        carrier = manifests.carrier_account_create(username="carrier", carrier=CARRIER).user
        screening.watchlist_create(
            user=None, code="bench-load", name="Load run", owner="bench", source="national"
        )
        (workdir / "tokens.json").write_text(
            json.dumps({"officers": tokens, "carrier": token_create(user=carrier)})
        )


# --- the driver -------------------------------------------------------------------------------------------


def _watchlist_csv(path: Path, rows: int, rng: random.Random) -> None:
    from corredor.paxlst.generate import FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, NATIONALITIES, SURNAMES

    nationalities = list(NATIONALITIES)
    with path.open("w", encoding="utf-8") as out:
        out.write("entry_id,surname,given_names,birth_date,nationality,sex,category\n")
        for index in range(rows):
            sex = rng.choice("MF")
            given = rng.choice(FEMALE_GIVEN_NAMES if sex == "F" else MALE_GIVEN_NAMES)
            surname = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}".replace(",", " ")
            born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(25_000))
            out.write(f"L{index},{surname},{given},{born},{rng.choice(nationalities)},{sex},wanted\n")


def _passenger_list(passengers: int, rng: random.Random) -> bytes:
    from corredor.paxlst import make_flight, write_paxlst

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=6)  # Costa Rica's local time
    departure = now.replace(tzinfo=None, second=0, microsecond=0) + datetime.timedelta(hours=1)
    message = make_flight(
        rng, CARRIER, "412", "MIA", "SJO", departure, passengers, duration=datetime.timedelta(hours=2)
    )
    return write_paxlst(message, line_breaks=True).encode("latin-1")


def _letters(number: int) -> str:
    """A number written in the letters A to Z (a name part of its own for each traveller)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
        if not number:
            return letters


def _mrz(officer: int, index: int, rng: random.Random) -> str:
    from corredor.icao import build_mrz

    state = rng.choice(("USA", "NIC", "VEN", "MEX", "CAN", "HTI", "COL", "PAN"))
    return build_mrz(
        {
            "issuing_state": state,
            "nationality": state,
            # The desk recognises a returning person by name, birth date, nationality and sex as well as by
            # document: a surname of its own per crossing keeps every traveller new (with a few names drawn
            # at random, tens of the 20,000 travellers were the same person to the desk, already in the
            # country, and their entry was rightly refused).
            "surname": rng.choice(("CARGA", "PRUEBA", "ESSAI")) + " " + _letters(officer * 100_000 + index),
            "given_names": rng.choice(("ANA", "LUIS", "WILNER", "EMILY")),
            # The letters I and O never appear in the demo's numbers: these are new travellers.
            "document_number": f"IO{officer:02d}{index:05d}",
            "birth_date": datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 25_000)),
            "expiry_date": datetime.date.today() + datetime.timedelta(days=rng.randint(100, 3000)),
            "sex": rng.choice("MF"),
        }
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(
    port: int, method: str, path: str, body: bytes, token: str, content_type: str, timeout: float = 120.0
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass
class Crossing:
    started: float
    seconds: float
    status: int
    retries: int
    resets: int = 0
    during_import: bool = False


@dataclass
class Run:
    crossings: list[Crossing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def _officer(run: Run, port: int, token: str, officer: int, limit: int, seed: int) -> None:
    rng = random.Random(seed)
    for index in range(limit):
        if run.stop.is_set():
            return
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "post": "SJO",
                "direction": "entry",
                "decision": "admitted",
                "mrz": _mrz(officer, index, rng),
                "stay_category": "tourist",
                "transport": "air",
            }
        ).encode()
        started = time.perf_counter()
        status, retries, resets = 0, 0, 0
        while True:
            try:
                status, headers, answer = _request(
                    port, "POST", "/api/v1/crossings", body, token, "application/json"
                )
            except (OSError, http.client.HTTPException) as error:
                status, headers, answer = 0, {}, str(error).encode()
            if status == 503 and retries < RETRIES:
                retries += 1
                time.sleep(float(headers.get("Retry-After") or 1))
                continue
            if status == 0 and resets < RETRIES:
                # No answer (the development server's listen queue overflowed and reset the connection):
                # sent again with the same id, which the server stores at most once.
                resets += 1
                time.sleep(1)
                continue
            break
        seconds = time.perf_counter() - started
        with run.lock:
            run.crossings.append(Crossing(started, seconds, status, retries, resets))
            if status != 201 and len(run.errors) < 20:
                run.errors.append(f"officer {officer}: {status} {answer[:200]!r}")
        time.sleep(rng.uniform(*PAUSE_SECONDS))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def _wait_for_server(port: int, token: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            status, _headers, _body = _request(
                port, "GET", "/api/v1/crossings?limit=1", b"", token, "text/plain", 5
            )
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not answer within a minute")


def run(quick: bool = False, *, workdir: Path | None = None) -> dict[str, Any]:
    """The load run; returns its figures (see the module's docstring)."""
    scale = _scale(quick)
    officers = max(2, round(OFFICERS * scale))
    rows = max(1_000, round(WATCHLIST_ROWS * scale))
    passengers = max(20, round(PASSENGERS * scale))
    rng = random.Random(11)
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="corredor-load-")) if workdir is None else workdir
    env = _environment(folder)
    server: subprocess.Popen[bytes] | None = None
    importer: subprocess.Popen[bytes] | None = None
    try:
        print(f"Load run: preparing a database in {folder} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "bench.load", "--prepare", str(folder), "--officers", str(officers)],
            cwd=REPO, env=env, check=True,
        )  # fmt: skip
        tokens = json.loads((folder / "tokens.json").read_text())
        csv = folder / "watchlist.csv"
        _watchlist_csv(csv, rows, rng)
        paxlst = _passenger_list(passengers, rng)
        port = _free_port()
        server_log = (folder / "server.log").open("wb")
        server = subprocess.Popen(
            [*_corredor(), "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO, env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_for_server(port, tokens["officers"][0], server)

        state = Run()
        limit = MAX_PER_OFFICER
        threads = [
            threading.Thread(
                target=_officer, args=(state, port, token, number, limit, 1000 + number), daemon=True
            )
            for number, token in enumerate(tokens["officers"])
        ]
        print(
            f"Load run: {officers} officers, a {rows:,}-row watchlist import, a {passengers}-passenger list",
            file=sys.stderr,
        )
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(3)  # the desks are busy first
        import_log = (folder / "import.log").open("wb")
        import_started = time.perf_counter()
        importer = subprocess.Popen(
            [*_corredor(), "watchlist", "import", str(csv), "--watchlist", "bench-load", "--mode", "full"],
            cwd=REPO, env=env, stdout=import_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        time.sleep(2)
        list_started = time.perf_counter()
        list_status, _headers, list_body = _request(
            port, "POST", "/api/v1/manifests/messages", paxlst, tokens["carrier"], "application/edifact", 600
        )
        list_seconds = time.perf_counter() - list_started
        deadline = began + MAX_SECONDS * max(scale, 0.25)
        import_code: int | None = None
        while time.perf_counter() < deadline:
            import_code = importer.poll()
            if import_code is not None and time.perf_counter() - began >= MIN_SECONDS * max(scale, 0.5):
                break
            time.sleep(0.2)
        import_seconds = (time.perf_counter() - import_started) if import_code is not None else None
        import_ended = import_started + import_seconds if import_seconds is not None else time.perf_counter()
        state.stop.set()
        for thread in threads:
            thread.join(timeout=180)
        wall = time.perf_counter() - began
        if import_code is None:
            importer.terminate()
            importer.wait(timeout=30)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if importer is not None and importer.poll() is None:
            importer.kill()
    crossings = state.crossings
    for crossing in crossings:
        crossing.during_import = import_started <= crossing.started <= import_ended
    recorded = [c for c in crossings if c.status == 201]
    failed = [c for c in crossings if c.status != 201]
    during = [c.seconds * 1000 for c in crossings if c.during_import]
    latencies = [c.seconds * 1000 for c in crossings]
    import_tail = (folder / "import.log").read_text(errors="replace").strip().splitlines()[-1:]
    try:
        receipt = json.loads(list_body)
    except ValueError:
        receipt = {}
    figures: dict[str, Any] = {
        "scale": scale,
        "officers": officers,
        "watchlist_rows": rows,
        "passengers": passengers,
        "wall_seconds": round(wall, 1),
        "crossings": len(crossings),
        "recorded": len(recorded),
        "failed": len(failed),
        "retried_503": sum(c.retries for c in crossings),
        "retried_no_answer": sum(c.resets for c in crossings),
        "crossings_per_second": round(len(recorded) / wall, 2) if wall else 0.0,
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p90_ms": round(_percentile(latencies, 0.90), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "during_import_crossings": len(during),
        "during_import_p99_ms": round(_percentile(during, 0.99), 1),
        "during_import_max_ms": round(max(during, default=0.0), 1),
        "import_seconds": round(import_seconds, 1) if import_seconds is not None else None,
        "import_exit": import_code,
        "import_last_line": import_tail[0][-200:] if import_tail else "",
        "list_status": list_status,
        "list_seconds": round(list_seconds, 2),
        "list_receipt": receipt.get("status") if isinstance(receipt, dict) else None,
        # When the slowest crossings began (seconds after the import started), how long they took, retries.
        "slowest": [
            {
                "at_s": round(c.started - import_started, 1),
                "seconds": round(c.seconds, 1),
                "retried_503": c.retries,
                "status": c.status,
            }
            for c in sorted(crossings, key=lambda c: -c.seconds)[:8]
        ],
        "list_at_s": round(list_started - import_started, 1),
        "errors": state.errors[:10],
        "server_log_tail": (folder / "server.log").read_text(errors="replace")[-1500:] if failed else "",
    }
    if own:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the scale (env BENCH_LOAD_SCALE)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--officers", type=int, default=OFFICERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(Path(args.prepare), args.officers)
        return 0
    figures = run(quick=args.quick)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0 if figures["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
