"""Benchmark: a caseworker's case list and a case page (issue 14, Performance).

A new database gets 20 agencies with 10 caseworkers each, N cases
spread over them (default 100,000; `--small`: 5,000) and ten events per case (1,000,000; `--small`: 50,000),
bulk-loaded. Then, through Django's test client as a caseworker (login, middleware, permission check, audit
row, template, everything a browser request does):

- the case list (`/protection/cases/`, "my cases", open, names hidden; and the agency's list, names shown);
- a case page (`/protection/cases/<id>/`, one of the caseworker's cases at random, with its latest events).

p50/p95 over `--calls` requests each (target p95 < 100 ms). `python -m bench.protection [--small] [--json F]`
prints the figures (and writes them to F); `python -m bench --only protection` runs it as a subprocess, on
SQLite and, when DATABASE_URL names a PostgreSQL server, on PostgreSQL too.

The database: SQLite in the temporary directory; with DATABASE_URL=postgres://... a database of its own on
that server (created, then dropped), with connections kept between requests (DB_CONN_MAX_AGE=60, as a
central deployment's web processes run). `--cases N` loads another number of cases (ten events each).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.postgres import scratch_database

AGENCIES = 20
WORKERS_PER_AGENCY = 10
EVENTS_PER_CASE = 10


def _setup(workdir: Path, database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'protection.sqlite3'}"
    if database_url:
        # As a central deployment runs its web processes: connections kept between requests.
        os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ["CORREDOR_DATA_DIR"] = str(workdir)
    os.environ["CORREDOR_FAST_PASSWORDS"] = "1"
    os.environ["CORREDOR_REQUIRE_2FA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _load(cases: int, seed: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from corredor.core.models import Role, User
    from corredor.protection.models import Case, CaseEvent, Membership, ServiceProvider

    rng = random.Random(seed)
    started = time.perf_counter()
    providers = ServiceProvider.objects.bulk_create(
        ServiceProvider(code=f"agency-{n}", name=f"Agency {n}", kind="child_protection", country_id="CRI")
        for n in range(AGENCIES)
    )
    workers: list[tuple[User, ServiceProvider]] = []
    for provider in providers:
        for n in range(WORKERS_PER_AGENCY):
            user = User.objects.create_user(f"{provider.code}-cw{n}", password="x", role=Role.CASEWORKER)
            Membership.objects.create(user=user, provider=provider)
            workers.append((user, provider))
    now = timezone.now()
    nationalities = ["HND", "GTM", "SLV", "NIC", "VEN", "HTI", "CUB", "COL"]
    kinds = ["child_protection", "trafficking", "gbv", "protection"]
    batch = 5000
    made = 0
    events = 0
    with transaction.atomic():
        while made < cases:
            rows = []
            for _ in range(min(batch, cases - made)):
                user, provider = workers[rng.randrange(len(workers))]
                status = "closed" if rng.random() < 0.4 else "open"
                updated = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
                rows.append(
                    Case(
                        id=uuid.UUID(int=rng.getrandbits(128)),
                        reference=f"PR-B-{made:07d}",
                        surname=f"SURNAME{rng.randrange(10_000)}",
                        given_names="GIVEN",
                        nationality_id=rng.choice(nationalities),
                        kind=rng.choice(kinds),
                        status=status,
                        closed_at=updated if status == "closed" else None,
                        provider=provider,
                        assigned_to=user,
                        created_at=updated - timedelta(days=30),
                        updated_at=updated,
                    )
                )
                made += 1
            Case.objects.bulk_create(rows)
            evs = [
                CaseEvent(
                    case=case,
                    kind=rng.choice(["assessment", "plan", "service", "follow_up", "note"]),
                    at=case.updated_at - timedelta(hours=k),
                    by=case.assigned_to,
                    text="Seguimiento: visita al albergue, entrevista con la familia.",
                )
                for case in rows
                for k in range(EVENTS_PER_CASE)
            ]
            CaseEvent.objects.bulk_create(evs, batch_size=10000)
            events += len(evs)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cases": made,
        "events": events,
        "load_s": round(time.perf_counter() - started, 1),
        "workers": workers,
    }


def _timed(client: Any, urls: list[str]) -> dict[str, float]:
    took = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        took.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    took.sort()
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(took[int(len(took) * 0.95) - 1], 2),
        "calls": len(took),
    }


def run(*, small: bool = False, calls: int = 200, seed: int = 1, cases: int | None = None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="corredor-bench-protection-"))
    server = os.environ.get("DATABASE_URL", "")
    on_server = server.startswith("postgres")
    database_url, drop = scratch_database(server, "protection") if on_server else ("", None)
    try:
        _setup(workdir, database_url)
        from django.test import Client

        from corredor.protection.models import Case

        loaded = _load(cases or (5_000 if small else 100_000), seed)
        workers = loaded.pop("workers")
        user, _provider = workers[0]
        client = Client(HTTP_ACCEPT_LANGUAGE="es")
        client.force_login(user)
        mine = list(Case.objects.filter(assigned_to=user).values_list("pk", flat=True))
        rng = random.Random(seed)
        lists = _timed(client, ["/protection/cases/"] * calls)
        agency = _timed(client, ["/protection/cases/?scope=agency&names=1"] * calls)
        pages = _timed(client, [f"/protection/cases/{rng.choice(mine)}/" for _ in range(calls)])
        from django.db import connection

        return {
            "database": connection.vendor,
            "data": {**loaded, "caseworker_cases": len(mine)},
            "case_list": lists,
            "agency_list": agency,
            "case_page": pages,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if drop is not None:
            from django.db import connections

            connections.close_all()
            drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.protection", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", "--quick", action="store_true", help="5,000 cases and 50,000 events")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--cases", type=int, help="load this many cases instead (ten events each)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(small=args.small, calls=args.calls, cases=args.cases)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
