"""Run inside a central's or a post's environment (a process of its own) by the two-server tests:

python tests/sync/actor.py setup-central            reference data, an officer and a supervisor at PBL
python tests/sync/actor.py record N [--seed S]      N admitted entries at the post, each a new traveller
python tests/sync/actor.py records                  JSON: every outbound model's {pk: digest}
python tests/sync/actor.py alert SURNAME            a person alert on central's national list
python tests/sync/actor.py receipts                 central: how many receipts, and how many distinct
python tests/sync/actor.py record-at NUMBER           central: an entry at SJO (another post) of passport
                                                    NIC NUMBER
python tests/sync/actor.py desk NUMBER                post: what the desk's history panel says for passport
                                                    NIC NUMBER (JSON: origin, panel, seconds)
python tests/sync/actor.py refer NUMBER             post: an entry of passport NIC NUMBER and, at the desk,
                                                    a referral to the child protection agency (consent
                                                    given); prints the referral's id
python tests/sync/actor.py referrals                JSON: every referral's id, with its case's reference,
                                                    how many events the case has, and the consent
python tests/sync/actor.py cli ARGS...              `corredor ARGS...` (with the skewed clock, if any)

SYNC_SKEW_HOURS shifts this process's clock (a post whose clock is wrong).
"""

import json
import os
import random
import sys
from datetime import date, timedelta
from typing import Any

if os.environ.get("SYNC_SKEW_HOURS"):
    import datetime as _dt

    import time_machine

    _travel = time_machine.travel(
        _dt.datetime.now(_dt.UTC) + timedelta(hours=float(os.environ["SYNC_SKEW_HOURS"])), tick=True
    )
    _travel.start()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.settings")
import django

django.setup()


def setup_central() -> None:
    from corredor.core.models import BorderPost, StayRule, User
    from corredor.core.reference import load_posts_and_rules

    load_posts_and_rules(country="CRI", post_model=BorderPost, rule_model=StayRule)
    for name, role in (("olga", "officer"), ("sam", "supervisor")):
        user, _ = User.objects.get_or_create(username=name, defaults={"role": role, "border_post_id": "PBL"})
        user.set_password("corredor-demo-1")
        user.save()
    User.objects.get_or_create(username="carl", defaults={"role": "officer", "border_post_id": "SJO"})
    User.objects.get_or_create(username="wanda", defaults={"role": "administrator"})
    from corredor.protection import demo

    demo.directory_ensure()  # the desk's refer-to list, published to the posts


def _passport(number: str, surname: str = "QUESADA") -> "Any":
    from corredor.border.documents import DocumentInput

    return DocumentInput(
        document_code="P",
        issuing_state="NIC",
        number=number,
        surname=surname,
        given_names="ELENA",
        nationality="NIC",
        birth_date=date(1981, 5, 17),
        sex="F",
        expiry_date=date(2031, 1, 1),
    )


def _entry(number: str, *, officer: str, post: str, transport: str, surname: str = "QUESADA") -> "Any":
    """An admitted entry of passport NIC `number`, recorded by `officer` at `post`."""
    from corredor.border.services import crossing_record
    from corredor.core.models import User

    return crossing_record(
        officer=User.objects.get(username=officer),
        post_code=post,
        direction="entry",
        decision="admitted",
        document=_passport(number, surname),
        transport=transport,
        stay_category="tourist",
    )


def record_at(number: str) -> None:
    _entry(number, officer="carl", post="SJO", transport="air")


def desk(number: str) -> None:
    import time

    from django.utils import translation

    from corredor.border.selectors import desk_assess
    from corredor.core.models import User

    translation.activate("en")
    started = time.monotonic()
    assessment = desk_assess(user=User.objects.get(username="olga"), document=_passport(number), post="PBL")
    seconds = time.monotonic() - started
    panel = next(n for n in assessment.notices if n.source == "national_history")
    print(json.dumps({"origin": panel.data["origin"], "panel": panel.panel, "seconds": seconds}))


def refer(number: str) -> None:
    from django.conf import settings

    from corredor.protection import services
    from corredor.protection.consent import ConsentTerms
    from corredor.protection.models import ServiceProvider

    # Another person than the national-history test's traveller (who must not be in the country already).
    recorded = _entry(number, officer="olga", post="PBL", transport="land", surname="MEJIA")
    officer = recorded.crossing.officer
    assert recorded.crossing.device_id == settings.CORREDOR_DEVICE_ID
    services.screening_record(
        officer=officer, crossing=recorded.crossing, indicators=["gbv"], asked_because=["officer_referral"]
    )
    transition = services.referral_from_desk(
        officer=officer,
        crossing=recorded.crossing,
        provider=ServiceProvider.objects.get(code="pani"),
        service="",
        consent=ConsentTerms(given=True, data=("identity",), purpose="protection", override_reason=""),
        indicators=["gbv"],
        child=False,
    )
    print(transition.pk)


def referrals() -> None:
    from corredor.protection.models import Transition

    out = {
        str(t.pk): [t.case.reference, t.case.events.count(), t.consent_given, t.consent_data]
        for t in Transition.objects.select_related("case")
    }
    print(json.dumps(out))


def record(count: int, seed: int) -> None:
    from corredor.border.documents import DocumentInput
    from corredor.border.services import crossing_record
    from corredor.core.models import User

    officer = User.objects.get(username="olga")
    rng = random.Random(seed)
    for _ in range(count):
        number = f"S{rng.randrange(10**9):09d}"
        doc = DocumentInput(
            document_code="P",
            issuing_state="NIC",
            number=number,
            surname=rng.choice(["LOPEZ", "PEREZ", "MORA", "SOLIS", "ROJAS"])
            + " "
            + "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVZ") for _ in range(8)),
            given_names=rng.choice(["ANA", "LUIS", "MARIA", "JOSE"]),
            nationality="NIC",
            birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(15000)),
            sex=rng.choice("MF"),
            expiry_date=date(2031, 1, 1),
        )
        crossing_record(
            officer=officer,
            post_code="PBL",
            direction="entry",
            decision="admitted",
            document=doc,
            transport="land",
            stay_category="tourist",
        )


def records() -> None:
    from django.conf import settings

    from corredor.core.models import AuditEntry
    from corredor.sync import registry, serialize
    from corredor.sync.models import PostAuditEntry

    out = {}
    if settings.CORREDOR_MODE == "post":
        hashes = AuditEntry.objects.values_list("entry_hash", flat=True)
    else:
        hashes = PostAuditEntry.objects.values_list("entry_hash", flat=True)
    out["core.auditentry"] = {h: "" for h in hashes}
    for entry in registry.outbound_models():
        if entry.ingest is not None:
            continue
        rows = entry.model._default_manager.exclude(**{entry.device_field: "central"})
        out[entry.label] = {pk: serialize.digest(p) for pk, p in serialize.payloads(rows)}
    print(json.dumps(out))


def alert(surname: str) -> None:
    from corredor.core.models import User
    from corredor.screening import services
    from corredor.screening.models import Watchlist

    admin = User.objects.get(username="wanda")
    watchlist = Watchlist.objects.filter(code="national").first() or services.watchlist_create(
        user=admin, code="national", name="National", owner="Migration", source="national"
    )
    services.alert_save(
        user=admin,
        watchlist=watchlist,
        kind="persons",
        values={"entry_id": surname, "surname": surname, "category": "wanted"},
        why="test",
    )


def screen(surname: str) -> None:
    from corredor.matching.records import Name, Traveller
    from corredor.screening import index_cache
    from corredor.screening.models import PersonAlert

    result = index_cache.screen(Traveller(name=Name(surname=surname)))
    names = PersonAlert.objects.filter(pk__in=[hit.entry_id for hit in result.persons])
    print(json.dumps(sorted(names.values_list("surname", flat=True))))


def receipts() -> None:
    from corredor.sync.models import Device, Receipt

    devices = {d.id: d.clock_skew_seconds for d in Device.objects.all()}
    print(json.dumps({"receipts": Receipt.objects.count(), "skew": devices}))


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "cli":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["corredor", *sys.argv[2:]])
    if verb == "screen":
        screen(sys.argv[2])
    if verb == "receipts":
        receipts()
    if verb == "setup-central":
        setup_central()
    elif verb == "record":
        seed = (
            int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else random.randrange(10**9)
        )
        record(int(sys.argv[2]), seed)
    elif verb == "records":
        records()
    elif verb == "alert":
        alert(sys.argv[2])
    elif verb == "record-at":
        record_at(sys.argv[2])
    elif verb == "desk":
        desk(sys.argv[2])
    elif verb == "refer":
        refer(sys.argv[2])
    elif verb == "referrals":
        referrals()
