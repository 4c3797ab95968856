"""A real central and a real post on loopback: interrupted at every point, they end with exactly the same
records, none twice. Run by `make test-sync` (CORREDOR_SYNC_SERVERS=1; SYNC_SOAK_CYCLES for the soak)."""

import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.servers import Pair

pytestmark = pytest.mark.skipif(
    os.environ.get("CORREDOR_SYNC_SERVERS") != "1", reason="two-server sync tests: make test-sync"
)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    servers = Pair(Path(tmp_path_factory.mktemp("sync")))
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def _wait(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_crossing_made_at_the_post_appears_at_central(pair: Pair) -> None:
    pair.sync_once()  # the post's officers come from central first
    pair.run("post", "record", "5")
    # Traveller, document, crossing and stay each, and the post's audit line of each.
    assert pair.status()["pending"] == 40
    pair.sync_once()
    assert pair.assert_same() == 20  # and 20 audit lines


def test_kill_the_post_mid_push(pair: Pair) -> None:
    pair.run("post", "record", "150")
    before = pair.proxy.pushes
    worker = pair.sync_background(CORREDOR_SYNC_BATCH="20")
    _wait(lambda: pair.proxy.pushes >= before + 3)
    worker.kill()  # SIGKILL, mid-push
    worker.wait()
    assert pair.status()["pending"] > 0  # it was cut off before the end
    pair.sync_once()
    pair.assert_same()


def test_kill_central_mid_ingest(pair: Pair) -> None:
    pair.run("post", "record", "20")
    pair.central_kill()
    pair.central_start(CORREDOR_SYNC_FAULT_DELAY="30")
    before = pair.proxy.pushes
    worker = pair.sync_background()
    _wait(lambda: pair.proxy.pushes > before)
    time.sleep(1.0)  # central is inside the ingest's transaction, holding it open
    pair.central_kill()
    worker.kill()
    worker.wait()
    pending = pair.status()["pending"]
    assert pending == 160  # nothing was acknowledged, nothing lost
    pair.central_start()
    pair.sync_once()
    pair.assert_same()


def test_connection_cut_after_central_stored_the_batch(pair: Pair) -> None:
    pair.run("post", "record", "10")
    pair.proxy.mode = "drop"
    try:
        out = pair.sync_once(check=False)
        assert "pushed" not in out
        assert pair.status()["pending"] == 80  # the post never heard the acknowledgement
        assert "dropped" in (pair.status()["last_error"] or "") or pair.status()["last_error"]
    finally:
        pair.proxy.mode = "pass"
    pair.sync_once()  # sent again: central holds it once
    pair.assert_same()


def test_a_batch_delivered_twice_is_stored_once(pair: Pair) -> None:
    pair.run("post", "record", "10")
    pair.proxy.mode = "twice"
    try:
        pair.sync_once()
    finally:
        pair.proxy.mode = "pass"
    pair.assert_same()


def test_a_post_whose_clock_is_hours_behind(pair: Pair) -> None:
    skew = {"SYNC_SKEW_HOURS": "-6"}
    pair.run("post", "record", "5", env=skew)
    pair.run("post", "cli", "sync", "run", "--once", env=skew)
    pair.assert_same()
    skews = list(pair.receipts()["skew"].values())
    assert skews and abs(skews[0] + 6 * 3600) < 600  # central saw the post six hours behind


def test_revoked_device_keeps_its_queue(pair: Pair) -> None:
    pair.run("post", "record", "2")
    device = pair.status()["device_id"]
    pair.run("central", "cli", "device", "revoke", device)
    pair.sync_once(check=False)
    status = pair.status()
    assert status["pending"] == 16 and "401" in status["last_error"]
    # Enrolled again with a new code, the same queue goes through.
    code = pair.run("central", "cli", "device", "code", "--post", "PBL").strip()
    pair.run("post", "cli", "sync", "enrol", "--central", pair.status()["central"], "--code", code)
    pair.sync_once()
    pair.assert_same()


def test_a_referral_made_at_the_post_reaches_central_once(pair: Pair) -> None:
    pair.sync_once()  # the directory of providers comes from central
    referral = pair.run("post", "refer", "R7001").strip()
    at_post = json.loads(pair.run("post", "referrals"))[referral]
    pair.proxy.mode = "drop"  # central stores the batch; the post never hears it
    try:
        pair.sync_once(check=False)
    finally:
        pair.proxy.mode = "pass"
    pair.proxy.mode = "twice"  # then the same batch arrives twice
    try:
        pair.sync_once()
    finally:
        pair.proxy.mode = "pass"
    assert pair.status()["pending"] == 0
    at_central = json.loads(pair.run("central", "referrals"))
    # The case, its one registration event and the referral with its consent, each once.
    assert at_central[referral] == at_post == [at_post[0], 1, True, ["identity"]]
    assert sum(1 for row in at_central.values() if row[0] == at_post[0]) == 1
    pair.assert_same()  # and the crossing, traveller, screening ... with it


def test_watchlist_change_reaches_the_posts_screening(pair: Pair) -> None:
    pair.run("central", "alert", "ZAMBRANO")
    pair.sync_once()
    assert pair.run("post", "screen", "ZAMBRANO").strip() == '["ZAMBRANO"]'
    pair.run("central", "alert", "QUIJANO")
    pair.sync_once()  # the post's index takes the new alert in without a restart
    assert pair.run("post", "screen", "QUIJANO").strip() == '["QUIJANO"]'
    assert pair.status()["watchlists_as_of"]


def test_the_desk_asks_central_for_the_national_history_and_falls_back_to_the_local_one(pair: Pair) -> None:
    pair.sync_once()  # the post's officers
    pair.run("central", "record-at", "H13000013")  # an entry at SJO, another post: not in the post's database
    held = {label: len(rows) for label, rows in pair.records("post").items() if label != "core.auditentry"}
    online = json.loads(pair.run("post", "desk", "H13000013"))
    assert online["origin"] == "central"
    assert "(entered at SJO)" in online["panel"] and "And 1 crossing at another post." in online["panel"]
    # Shown, not stored: the post holds what it held.
    assert held == {k: len(r) for k, r in pair.records("post").items() if k != "core.auditentry"}
    last_sync = pair.status()["last_success_at"]
    timeout = 1.5  # CORREDOR_SYNC_HISTORY_TIMEOUT's default
    # A link so slow it is as good as down: the desk waits no longer than the timeout.
    pair.proxy.mode = "hang"
    try:
        slow = json.loads(pair.run("post", "desk", "H13000013"))
    finally:
        pair.proxy.mode = "pass"
    assert slow["origin"] == "local" and slow["seconds"] < timeout + 1.0
    # Central killed: at once the local history, labelled with the post's last sync.
    pair.central_kill()
    try:
        offline = json.loads(pair.run("post", "desk", "H13000013"))
    finally:
        pair.central_start()
    assert offline["origin"] == "local" and offline["seconds"] < timeout
    assert "Local history — as of last sync " + last_sync[:4] in offline["panel"]


def test_soak(pair: Pair) -> None:
    """N cycles of records and a random fault, then one clean sync: the two sides agree after every cycle."""
    rng = random.Random(int(os.environ.get("SYNC_SOAK_SEED", "13")))
    for _cycle in range(int(os.environ.get("SYNC_SOAK_CYCLES", "3"))):
        pair.run("post", "record", str(rng.randrange(5, 30)))
        fault = rng.choice(["drop", "twice", "kill_post", "none"])
        if fault in ("drop", "twice"):
            pair.proxy.mode = fault
            pair.sync_once(check=False)
            pair.proxy.mode = "pass"
        elif fault == "kill_post":
            worker = pair.sync_background(CORREDOR_SYNC_BATCH="10")
            time.sleep(rng.uniform(0.5, 2.5))
            worker.kill()
            worker.wait()
        pair.sync_once()
        pair.assert_same()
