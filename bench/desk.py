"""The desk on a loaded database: the demo year as a bench database, then `crossing_record` timed call by
call for a mix of new and returning travellers, as officers at their posts. Needs Django set up."""

import math
import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass
class LoadFigures:
    travellers: int
    documents: int
    crossings: int
    stays: int
    seconds: float
    seed: int


def load_bench_year(*, crossings: int, seed: int, progress: Any) -> LoadFigures:
    """Migrate the (empty) database and load a demo year of at least `crossings` crossings."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from corredor.border.demo import demo_context, demo_load, demo_users_ensure, generate
    from corredor.core import reference
    from corredor.core.models import BorderPost, StayRule

    call_command("migrate", verbosity=0, interactive=False)
    reference.load_posts_and_rules(
        country=settings.CORREDOR_COUNTRY, post_model=BorderPost, rule_model=StayRule
    )
    demo_users_ensure()
    year_end = timezone.localdate()
    # Size the load from the generator itself: its first travellers are those the load will make.
    context = demo_context(year_end=year_end, now=timezone.now())
    sample = 20_000
    per_traveller = (
        sum(len(p.crossings) for p in generate(travellers=sample, seed=seed, context=context)) / sample
    )
    travellers = math.ceil(crossings / per_traveller * 1.03)  # the sample's ratio is good to about 1 %
    load = demo_load(travellers=travellers, seed=seed, year_end=year_end, progress=progress, batch=5000)
    return LoadFigures(load.travellers, load.documents, load.crossings, load.stays, load.seconds, seed)


@dataclass
class DeskFigures:
    calls: int
    new_travellers: int
    returning: int
    refused_by_rules: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


def _new_mrz(rng: random.Random, index: int) -> str:
    from corredor.icao import build_mrz

    state = rng.choice(("USA", "NIC", "VEN", "D", "MEX", "CAN", "HTI", "COL"))
    return build_mrz(
        {
            "issuing_state": state,
            "nationality": state,
            "surname": rng.choice(("Bench", "Prueba", "Essai")) + " " + rng.choice(("Uno", "Dos", "Tres")),
            "given_names": rng.choice(("Ana", "Luis", "Wilner", "Emily")),
            # The demo never writes the letters I and O in document numbers: no clash with stored ones.
            "document_number": f"OI{index:07d}",
            "birth_date": date(1950, 1, 1) + timedelta(days=rng.randint(0, 25000)),
            "expiry_date": date.today() + timedelta(days=rng.randint(100, 3000)),
            "sex": rng.choice("MF"),
        }
    )


def time_crossing_record(*, calls: int, seed: int, warm_up: int = 20) -> DeskFigures:
    """Time `crossing_record` through the real service: 40 % new travellers, 60 % returning ones (an exit
    for those in the country, an entry for the others), each by an officer of the post it happens at."""
    from django.conf import settings

    from corredor.border.models import TravelDocument, Traveller
    from corredor.border.selectors import traveller_status
    from corredor.border.services import crossing_record, document_input_from_mrz
    from corredor.core.audit import acting_as, actor_for
    from corredor.core.errors import ApplicationError
    from corredor.core.models import User

    rng = random.Random(seed)
    officers = {
        user.border_post_id: user
        for user in User.objects.filter(role="officer", username__startswith="oficial.").select_related(
            "border_post"
        )
    }
    posts = sorted(officers)
    total = calls + warm_up
    returning_docs = list(
        TravelDocument.objects.order_by("?").values_list("mrz", "traveller_id")[: int(total * 0.6) + 1]
    )
    plan: list[tuple[str, str, str, bool]] = []  # (mrz, direction, category, new traveller)
    new_index = 0
    for _ in range(total):
        if rng.random() < 0.4 or not returning_docs:
            new_index += 1
            plan.append((_new_mrz(rng, new_index), "entry", "tourist", True))
        else:
            mrz, traveller_id = returning_docs.pop()
            traveller = Traveller.objects.get(id=traveller_id)
            inside = traveller_status(traveller=traveller).in_country
            national = traveller.nationality_id == settings.CORREDOR_COUNTRY
            plan.append((mrz, "exit" if inside else "entry", "national" if national else "tourist", False))
    timings: list[float] = []
    refused = 0
    for index, (mrz, direction, category, _) in enumerate(plan):
        document, _ = document_input_from_mrz(mrz)
        post = rng.choice(posts)
        officer = officers[post]
        with acting_as(actor_for(officer, "bench")):
            started = time.perf_counter()
            try:
                crossing_record(
                    officer=officer,
                    post_code=post,
                    direction=direction,
                    decision="admitted",
                    document=document,
                    stay_category=category if direction == "entry" else None,
                )
            except ApplicationError:
                refused += 1  # e.g. no days left under the stay rule: the desk answers that, as fast
            elapsed = time.perf_counter() - started
        if index >= warm_up:
            timings.append(elapsed * 1000)
    timings.sort()

    def percentile(p: float) -> float:
        return timings[min(len(timings) - 1, math.ceil(p * len(timings)) - 1)]

    new_count = sum(1 for *_, new in plan[warm_up:] if new)
    return DeskFigures(
        calls=len(timings),
        new_travellers=new_count,
        returning=len(timings) - new_count,
        refused_by_rules=refused,
        p50_ms=percentile(0.50),
        p90_ms=percentile(0.90),
        p99_ms=percentile(0.99),
        max_ms=timings[-1],
        mean_ms=statistics.fmean(timings),
    )
