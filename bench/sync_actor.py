"""Run inside a central's or a post's environment by `bench/sync.py` (a process of its own):

python -m bench.sync_actor setup-central N_POSTS   reference data and one officer per post
python -m bench.sync_actor backlog N POST          N crossings (with traveller, document, stay) at the post,
                                                   over the last seven days, as the desk leaves them queued
python -m bench.sync_actor alerts N                central: N person alerts on a new list (one delta)
python -m bench.sync_actor push-when-told GO READY post: start, touch READY, push once GO exists
python -m bench.sync_actor pull-and-screen         post: pull, apply, screen one traveller; prints seconds
python -m bench.sync_actor publish-unchanged       central: time a feed publication with nothing changed
"""

import json
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
import django

django.setup()

SURNAMES = ["LOPEZ", "PEREZ", "MORA", "SOLIS", "ROJAS", "VARGAS", "JIMENEZ", "CASTRO", "HERRERA", "CHAVES"]
GIVEN = ["ANA", "LUIS", "MARIA", "JOSE", "CARLOS", "ROSA", "JUAN", "SOFIA"]


def posts(count: int) -> list[str]:
    from corredor.core.models import BorderPost

    return list(BorderPost.objects.order_by("code").values_list("code", flat=True)[:count])


def setup_central(count: int) -> None:
    from corredor.core.models import BorderPost, StayRule, User
    from corredor.core.reference import load_posts_and_rules

    load_posts_and_rules(country="CRI", post_model=BorderPost, rule_model=StayRule)
    codes = posts(count)
    for index in range(count - len(codes)):  # more posts than Costa Rica ships: bench posts
        BorderPost.objects.get_or_create(
            code=f"B{index:02d}",
            defaults={"kind": "land", "country_id": "CRI", "name_es": "b", "name_en": "b"},
        )
    for code in posts(count):
        User.objects.get_or_create(
            username=f"officer-{code.lower()}", defaults={"role": "officer", "border_post_id": code}
        )
    User.objects.get_or_create(username="bench-admin", defaults={"role": "administrator"})
    print(json.dumps(posts(count)))


def backlog(count: int, post_code: str) -> None:
    from django.conf import settings
    from django.utils import timezone

    from corredor.border.models import Crossing, Stay, TravelDocument, Traveller
    from corredor.core.models import User

    officer = User.objects.get(username=f"officer-{post_code.lower()}")
    rng = random.Random(hash(post_code) & 0xFFFF)
    device = settings.CORREDOR_DEVICE_ID
    now = timezone.now()
    for start in range(0, count, 2000):
        travellers, documents, crossings, stays = [], [], [], []
        for _ in range(min(2000, count - start)):
            at = now - timedelta(seconds=rng.randrange(7 * 86400))
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
            birth = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
            t = Traveller(
                id=uuid.uuid4(),
                device_id=device,
                created_at=at,
                surname=surname,
                given_names=given,
                birth_date=birth,
                sex="F",
                nationality_id="NIC",
            )
            d = TravelDocument(
                id=uuid.uuid4(),
                device_id=device,
                created_at=at,
                traveller=t,
                document_code="P",
                issuing_state_id="NIC",
                number=uuid.uuid4().hex[:9].upper(),
                surname=surname,
                given_names=given,
                nationality_id="NIC",
                birth_date=birth,
                sex="F",
                expiry_date=date(2031, 1, 1),
            )
            c = Crossing(
                id=uuid.uuid4(),
                device_id=device,
                created_at=at,
                traveller=t,
                document=d,
                direction="entry",
                post_id=post_code,
                occurred_at=at,
                officer=officer,
                transport="land",
                decision="admitted",
            )
            s = Stay(
                id=uuid.uuid4(),
                device_id=device,
                created_at=at,
                traveller=t,
                entry=c,
                category_id="tourist",
                granted_days=90,
                authorised_until=(at + timedelta(days=90)).date(),
            )
            travellers.append(t)
            documents.append(d)
            crossings.append(c)
            stays.append(s)
        Traveller.objects.bulk_create(travellers)
        TravelDocument.objects.bulk_create(documents)
        Crossing.objects.bulk_create(crossings)
        Stay.objects.bulk_create(stays)


def alerts(count: int) -> None:
    from django.db.models import F

    from corredor.screening.models import PersonAlert, ScreeningState, Watchlist

    watchlist = Watchlist.objects.create(code=f"bench-{uuid.uuid4().hex[:6]}", name="Bench", owner="bench")
    rng = random.Random(7)
    rows = [
        PersonAlert(
            watchlist=watchlist,
            external_id=str(i),
            surname=f"{rng.choice(SURNAMES)}{i}",
            given_names=rng.choice(GIVEN),
            category="wanted",
            birth_date=str(1950 + i % 50),
        )
        for i in range(count)
    ]
    rows.append(
        PersonAlert(
            watchlist=watchlist,
            external_id="target",
            surname="QUISPEHUAMAN",
            given_names="ROSA",
            birth_date="1984-03-12",
            nationality="PER",
            category="wanted",
        )
    )
    PersonAlert.objects.bulk_create(rows, batch_size=5000)
    ScreeningState.objects.update_or_create(pk=1, defaults={})
    ScreeningState.objects.filter(pk=1).update(sequence=F("sequence") + 1)


def push_when_told(go: str, ready: str) -> None:
    """Start Django, say so, wait for the go, push: the bench times the pushes, not the start-ups."""
    from pathlib import Path

    from corredor.sync import post

    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.02)
    started = time.perf_counter()
    # The push alone: what central ingests. (`sync run` pulls the feed afterwards; that is the delta's part.)
    state = post.state()
    assert state is not None
    pushed = post.push(state, post.http_transport)
    print(json.dumps({"pushed": pushed, "s": time.perf_counter() - started}))


def publish_unchanged() -> None:
    """Central: a feed publication when nothing changed (what each pull costs central when it is due: every
    published row compared with what was last published). Prints seconds."""
    from corredor.sync import services

    services.feed_publish()  # whatever is still unpublished
    started = time.perf_counter()
    entries = services.feed_publish()
    print(json.dumps({"entries": entries, "s": time.perf_counter() - started}))


def pull_and_screen() -> None:
    from corredor.matching.records import Name, Traveller
    from corredor.screening import index_cache
    from corredor.sync import post

    started = time.perf_counter()
    report = post.sync_once()
    pulled = time.perf_counter()
    from corredor.matching.records import PartialDate

    # As the desk screens a document: its name, birth date and nationality (a name alone is a common-name
    # match that the matcher does not count as a hit).
    result = index_cache.screen(
        Traveller(
            name=Name(surname="QUISPEHUAMAN", given_names="ROSA"),
            birth_date=PartialDate.parse("1984-03-12"),
            nationality="PER",
        )
    )
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "pulled": report.pulled,
                "pull_s": pulled - started,
                "screen_s": done - pulled,
                "total_s": done - started,
                "found": bool(result.persons),
            }
        )
    )


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "setup-central":
        setup_central(int(sys.argv[2]))
    elif verb == "backlog":
        backlog(int(sys.argv[2]), sys.argv[3])
    elif verb == "alerts":
        alerts(int(sys.argv[2]))
    elif verb == "push-when-told":
        push_when_told(sys.argv[2], sys.argv[3])
    elif verb == "pull-and-screen":
        pull_and_screen()
    elif verb == "publish-unchanged":
        publish_unchanged()
