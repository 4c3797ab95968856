"""Benchmark: receiving passenger lists end to end (issue 4, part 5).

- `manifest_receive` of a 500-passenger PAXLST list: parse, pre-screen every passenger, store the message, the
  flight, the list, the people and their documents (target: under 1 second); with the parse and the
  pre-screening also timed on their own.
- The receiving endpoint, `POST /api/v1/manifests/messages`, through Django's test client with a carrier's
  token: distinct 180-passenger lists one after another, for a bounded number of lists and seconds.

When the screening app is installed, a synthetic watchlist of 2,000 person alerts (and one document alert
that one passenger per list hits) is loaded first, so the pre-screening does real work.

`run(quick)` works on the database Django is set up with (the bench database, when `python -m bench` calls
it), or sets Django up on a new SQLite database in the temporary directory when it is not set up yet.
`python -m bench.manifests [--quick]` prints the figures as JSON.
"""

from __future__ import annotations

import atexit
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PASSENGERS = 500
ENDPOINT_PASSENGERS = 180
STOLEN_NUMBER = "Z99999999"


def _ensure_django() -> str:
    """Set Django up on a fresh SQLite database unless a caller did already; say which database is used."""
    from django.conf import settings

    if settings.configured:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)  # nothing to do on a migrated database
        return "the configured database"
    workdir = Path(tempfile.mkdtemp(prefix="corredor-bench-manifests-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["CORREDOR_DATA_DIR"] = str(workdir)
    os.environ["CORREDOR_FAST_PASSWORDS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return f"a new SQLite database in {workdir}"


def _reference_data() -> None:
    from django.conf import settings

    from corredor.core import reference
    from corredor.core.models import BorderPost, StayRule

    if not BorderPost.objects.filter(code="SJO").exists():
        reference.load_posts_and_rules(
            country=settings.CORREDOR_COUNTRY, post_model=BorderPost, rule_model=StayRule
        )


def _watchlist(rng: random.Random) -> str:
    """A synthetic watchlist when the screening app is installed; says what screening does in the bench."""
    from corredor.manifests.screening_adapter import screening_installed

    if not screening_installed():
        return "not installed: everyone marked not screened"
    from corredor.paxlst.generate import FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, NATIONALITIES, SURNAMES
    from corredor.screening import services as screening
    from corredor.screening.models import Watchlist

    alerts = 2000
    if not Watchlist.objects.filter(code="bench-manifests").exists():
        watchlist = screening.watchlist_create(
            user=None, code="bench-manifests", name="Bench", owner="bench", source="national"
        )
        rows = ["entry_id,surname,given_names,birth_date,nationality,sex,category"]
        nationalities = list(NATIONALITIES)
        for index in range(alerts):
            sex = rng.choice("MF")
            given = rng.choice(FEMALE_GIVEN_NAMES if sex == "F" else MALE_GIVEN_NAMES)
            born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
            rows.append(
                f"B{index},{rng.choice(SURNAMES).replace(',', ' ')},{given},{born},"
                f"{rng.choice(nationalities)},"
                f"{sex},wanted"
            )
        report = screening.watchlist_import(
            user=None, watchlist=watchlist, data="\n".join(rows).encode(), filename="bench.csv"
        )
        if not report.ok:
            raise RuntimeError(f"the bench watchlist did not load: {report.errors[:3]}")
        screening.watchlist_import(
            user=None,
            watchlist=watchlist,
            data=f"entry_id,issuing_state,document_type,number,reason\nS1,USA,P,{STOLEN_NUMBER},stolen\n".encode(),
            filename="stolen.csv",
        )
    return f"installed, {alerts:,} person alerts and 1 document alert"


def _list(rng: random.Random, number: int, passengers: int, *, carrier: str = "BQ") -> bytes:
    """A distinct list (its own flight number) with one passenger holding a reported passport."""
    from corredor.paxlst import Document, make_flight, write_paxlst

    departure = datetime.datetime(2030, 3, 14, 6, 0) + datetime.timedelta(minutes=number)
    message = make_flight(
        rng,
        carrier,
        str(number),
        "MIA",
        "SJO",
        departure,
        passengers,
        duration=datetime.timedelta(hours=2, minutes=45),
    )
    message.persons[-1].documents = [Document(type="P", number=STOLEN_NUMBER, issuing_state="USA")]
    return write_paxlst(message, line_breaks=True).encode("latin-1")


def _milliseconds(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 3),
        "min_ms": round(min(values), 3),
        "max_ms": round(max(values), 3),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Time receiving a 500-passenger list end to end, its parse and pre-screening alone, and the endpoint."""
    database = _ensure_django()
    from django.test import Client

    from corredor.core.audit import Actor, acting_as
    from corredor.core.management.commands.token import token_create
    from corredor.manifests import screening_adapter, services
    from corredor.manifests.models import ManifestPerson, Source
    from corredor.paxlst import read_paxlst

    rng = random.Random(500)
    _reference_data()
    screening = _watchlist(rng)
    runs = 5 if quick else 21
    base = rng.randrange(1000, 8000)
    lists = [_list(rng, base + index, PASSENGERS) for index in range(runs + 1)]

    parse = []
    for data in lists:
        started = time.perf_counter()
        read_paxlst(data)
        parse.append((time.perf_counter() - started) * 1000)

    receive = []
    hits = 0
    with acting_as(Actor(username="bench", role="", origin="bench")):
        for index, data in enumerate(lists):
            started = time.perf_counter()
            receipt = services.manifest_receive(
                data=data, source=Source.FOLDER, filename=f"bench-{index}.edi"
            )
            elapsed = (time.perf_counter() - started) * 1000
            if index:  # the first one warms caches (the screening index is built on first use)
                receive.append(elapsed)
            manifest_list = receipt.lists[0].manifest_list
            if receipt.status != "stored" or manifest_list.person_count != PASSENGERS:
                raise RuntimeError(f"the bench list was not stored whole: {receipt.status}")
            hits = ManifestPerson.objects.filter(manifest_list=manifest_list, screening_status="hit").count()

        # The pre-screening alone: the people of the last list again, through the adapter.
        people = list(
            ManifestPerson.objects.filter(manifest_list=manifest_list).prefetch_related("documents")
        )
        subjects = [
            screening_adapter.Subject(
                ref=f"bench-{person.pk}",
                surname=person.surname,
                given_names=person.given_names,
                birth_date=person.birth_date,
                nationality=person.nationality,
                sex=person.sex,
                document_number=person.documents.all()[0].number,
                issuing_state=person.documents.all()[0].issuing_state,
            )
            for person in people
        ]
        screen = []
        for _ in range(3 if quick else 5):
            started = time.perf_counter()
            screening_adapter.screen(subjects, post_code="SJO")
            screen.append((time.perf_counter() - started) * 1000)

    # The endpoint: a carrier's token, distinct lists, bounded by count and time.
    account = services.carrier_account_create(username="bench.carrier", carrier="BQ")
    token = token_create(user=account.user, name="bench")
    client = Client()
    wanted, limit_seconds = (20, 15.0) if quick else (100, 60.0)
    bodies = [_list(rng, base + 1000 + index, ENDPOINT_PASSENGERS) for index in range(wanted)]
    sent = 0
    started = time.perf_counter()
    for body in bodies:
        response = client.post(
            "/api/v1/manifests/messages",
            body,
            content_type="application/edifact",
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code != 201:
            raise RuntimeError(f"the endpoint answered {response.status_code}: {response.content[:200]!r}")
        sent += 1
        if time.perf_counter() - started > limit_seconds:
            break
    seconds = time.perf_counter() - started

    received = _milliseconds(receive)
    return {
        "name": "manifest_receive_500",
        "description": (
            f"receive a {PASSENGERS}-passenger PAXLST list end to end: parse, pre-screen, store "
            "(target < 1000 ms); "
            f"screening {screening}"
        ),
        "runs": len(receive),
        **received,
        "parse_median_ms": round(statistics.median(parse), 3),
        "prescreen_median_ms": round(statistics.median(screen), 3),
        "hits_per_list": hits,
        "endpoint_lists": sent,
        "endpoint_seconds": round(seconds, 3),
        "endpoint_lists_per_second": round(sent / seconds, 2),
        "endpoint_passengers_per_second": round(sent * ENDPOINT_PASSENGERS / seconds, 1),
        "endpoint_note": f"{ENDPOINT_PASSENGERS}-passenger lists, Django test client, one after another",
        "database": database,
    }


if __name__ == "__main__":
    import json

    figures = run(quick="--quick" in sys.argv[1:])
    print(json.dumps(figures, indent=2))
