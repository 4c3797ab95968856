"""A post's side: the outbox written by triggers in the record's transaction, the feed applied (and the
screening index refreshed from it), enrol/run/status through a transport, the sync pages."""

import io
import json
from typing import Any

from django.core.management import call_command
from django.test import Client, override_settings

from corredor.border.models import Crossing
from corredor.core.errors import ApplicationError
from corredor.core.models import AuditEntry, StayCategory, Tombstone
from corredor.matching.records import Name
from corredor.matching.records import Traveller as Screened
from corredor.screening import index_cache
from corredor.screening.models import Hit, PersonAlert, Watchlist
from corredor.sync import outbox, post, services
from corredor.sync.models import OutboxEntry, PostAuditEntry, PostState
from tests.factories import DocumentInputFactory, record
from tests.personas import PersonaTestCase


def client_transport(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    """The post's requests answered by this process's central (the test client)."""
    path = url.split("127.0.0.1:8710", 1)[1]
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
    client = Client()
    if method == "GET":
        response = client.get(path, **extra)
    else:
        response = client.post(path, data=body, content_type="application/json", **extra)
    return response.status_code, response.content


class OutboxTests(PersonaTestCase):
    def setUp(self) -> None:
        outbox.outbox_triggers_create()

    def test_every_record_write_adds_its_outbox_row_in_the_same_transaction(self) -> None:
        made = record(self.bob, DocumentInputFactory())
        rows = set(OutboxEntry.objects.values_list("model_label", flat=True))
        expected = {"border.traveller", "border.traveldocument", "border.crossing", "border.stay"}
        self.assertEqual(rows, expected | {"core.auditentry"})  # the post's audit lines travel too
        self.assertEqual(
            OutboxEntry.objects.filter(object_pk__in=[made.crossing.pk.hex, str(made.crossing.pk)]).count(), 1
        )

    def test_bulk_inserts_and_updates_are_caught_too(self) -> None:
        made = record(self.bob, DocumentInputFactory())
        OutboxEntry.objects.all().delete()
        watchlist = Watchlist.objects.create(code="n", name="n", owner="o")
        alert = PersonAlert.objects.create(
            watchlist=watchlist, external_id="1", surname="X", category="wanted"
        )
        Hit.objects.bulk_create(
            [
                Hit(
                    kind="person",
                    person_alert=alert,
                    alert_version=1,
                    subject_fingerprint="f",
                    source="desk",
                    score=0.9,
                    post_id="PBL",
                    crossing=made.crossing,
                )
            ]
        )
        Hit.objects.filter(post_id="PBL").update(status="false_match")
        labels = OutboxEntry.objects.exclude(model_label="core.auditentry").values_list(
            "model_label", flat=True
        )
        self.assertEqual(list(labels), ["screening.hit"] * 2)

    def test_nothing_written_nothing_queued(self) -> None:
        with self.assertRaises(ApplicationError):
            record(self.bob, DocumentInputFactory(), decision="refused", refusal_ground="")
        self.assertEqual(OutboxEntry.objects.count(), 0)


class FeedApplyTests(PersonaTestCase):
    def test_changes_and_removals_are_applied_used_rows_kept(self) -> None:
        StayCategory.objects.create(code="unused", name_es="u", name_en="u")
        tourist = StayCategory.objects.get(pk="tourist")
        record(self.bob, DocumentInputFactory())  # the tourist category is now in use
        payload = {f.attname: getattr(tourist, f.attname) for f in StayCategory._meta.concrete_fields}
        payload["default_days"] = 30
        post.feed_apply(
            [
                {"model": "core.staycategory", "pk": "tourist", "payload": payload},
                {"model": "core.staycategory", "pk": "unused", "payload": None},
                {"model": "core.staycategory", "pk": "tourist", "payload": None},
            ][:2]
        )
        self.assertEqual(StayCategory.objects.get(pk="tourist").default_days, 30)
        self.assertFalse(StayCategory.objects.filter(pk="unused").exists())
        post.feed_apply([{"model": "core.staycategory", "pk": "tourist", "payload": None}])
        self.assertTrue(StayCategory.objects.filter(pk="tourist").exists())  # crossings point at it

    def test_a_purge_at_central_removes_the_posts_copy_for_good(self) -> None:
        outbox.outbox_triggers_create()
        made = record(self.bob, DocumentInputFactory())
        traveller = made.crossing.traveller_id
        post.feed_apply(
            [
                {
                    "model": "core.tombstone",
                    "pk": "7",
                    "payload": {
                        "id": 7,
                        "model_label": "border.traveller",
                        "object_id": str(traveller),
                        "purged_at": "2026-12-01T00:00:00+00:00",
                    },
                }
            ]
        )
        self.assertFalse(Crossing.objects.filter(traveller_id=traveller).exists())
        self.assertTrue(
            Tombstone.objects.filter(model_label="border.crossing", object_id=made.crossing.pk).exists()
        )
        # What was queued of it is not sent any more.
        waiting = OutboxEntry.objects.filter(acked_at=None, model_label="border.traveller")
        self.assertFalse(waiting.filter(object_pk__in=[str(traveller), traveller.hex]).exists())

    def test_an_alert_received_screens_at_once_without_a_restart(self) -> None:
        index_cache.reset()
        traveller = Screened(name=Name(surname="QUISPEHUAMAN", given_names="ROSA"))
        self.assertEqual(index_cache.screen(traveller).persons, ())
        watchlist = {
            "id": 900,
            "code": "nat",
            "name": "N",
            "owner": "O",
            "source": "national",
            "active": True,
            "created_at": "2026-01-01T00:00:00+00:00",
        }
        alert = {
            "id": 901,
            "watchlist_id": 900,
            "external_id": "Q1",
            "version": 1,
            "surname": "QUISPEHUAMAN",
            "given_names": "ROSA",
            "full_name": "",
            "aliases": [],
            "birth_date": "",
            "nationality": "",
            "sex": "",
            "category": "wanted",
            "action": "",
            "note": "",
            "as_written": {},
            "created_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00",
        }
        post.feed_apply(
            [
                {"model": "screening.watchlist", "pk": "900", "payload": watchlist},
                {"model": "screening.personalert", "pk": "901", "payload": alert},
            ]
        )
        self.assertEqual([hit.entry_id for hit in index_cache.screen(traveller).persons], [901])


@override_settings(CORREDOR_MODE="post", CORREDOR_SYNC_PUBLISH_SECONDS=0)
class ClientTests(PersonaTestCase):
    """The post's commands against a central answered in-process (one database plays both: records the
    post pushes are already there, so central acknowledges them as held)."""

    def _enrol(self) -> PostState:
        with override_settings(CORREDOR_MODE="central"):
            code, _ = services.enrolment_code_create(post_code="PBL")
        return post.post_enrol(central_url="http://127.0.0.1:8710", code=code, transport=self._central)

    def _central(self, *args: Any) -> tuple[int, bytes]:
        with override_settings(CORREDOR_MODE="central"):
            return client_transport(*args)

    def test_enrol_run_status(self) -> None:
        state = self._enrol()
        self.assertEqual(state.post_code, "PBL")
        made = record(self.bob, DocumentInputFactory(), device_id=state.device_id)
        self.assertGreaterEqual(post.status()["pending"], 4)
        report = post.sync_once(transport=self._central)
        self.assertGreaterEqual(report.pushed, 4)
        self.assertGreater(report.pulled, 0)
        status = post.status()
        self.assertIsNotNone(status["watchlists_as_of"])
        # (One database plays both sides here: central's own audit lines of the push are queued as the
        # post's; the two-server tests check that nothing at all is left.)
        waiting = OutboxEntry.objects.filter(acked_at=None).exclude(model_label="core.auditentry")
        self.assertEqual(waiting.count(), 0)
        # The post's audit lines (the crossing's) are kept at central beside its own chain.
        self.assertTrue(
            PostAuditEntry.objects.filter(post_id="PBL", object_id=str(made.crossing.pk)).exists()
        )

    def test_a_failure_is_kept_and_nothing_is_lost(self) -> None:
        self._enrol()
        record(self.bob, DocumentInputFactory())

        def down(*args: Any) -> tuple[int, bytes]:
            raise post.SyncFailed("Central cannot be reached: refused")

        with self.assertRaises(post.SyncFailed):
            post.sync_once(transport=down)
        status = post.status()
        self.assertGreaterEqual(status["pending"], 4)
        self.assertIn("cannot be reached", status["last_error"])

    def test_status_command_json(self) -> None:
        out = io.StringIO()
        call_command("sync", "status", "--format", "json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data["enrolled"], False)
        self.assertEqual(data["pending"], 0)

    def test_only_a_post_enrols(self) -> None:
        with override_settings(CORREDOR_MODE="central"), self.assertRaises(post.ApplicationError):
            post.post_enrol(central_url="http://127.0.0.1:8710", code="x", transport=client_transport)


class CommandTests(PersonaTestCase):
    def test_device_code_list_and_revoke(self) -> None:
        out = io.StringIO()
        call_command("device", "code", "--post", "PBL", stdout=out, stderr=io.StringIO())
        device = services.device_enrol(code=out.getvalue().strip())
        listing = io.StringIO()
        call_command("device", "list", stdout=listing)
        self.assertIn(device.id, listing.getvalue())
        call_command("device", "revoke", device.id, stdout=io.StringIO())
        device.refresh_from_db()
        self.assertIsNotNone(device.revoked_at)


class PageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for post_code in ("PBL", "SJO"):
            code, _ = services.enrolment_code_create(post_code=post_code)
            services.device_enrol(code=code)

    def _get(self, user: Any) -> Any:
        client = Client()
        client.force_login(user)
        return client.get("/sync/")

    def test_administrators_see_every_post_silent_ones_flagged(self) -> None:
        response = self._get(self.admin)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-silent="2"')
        self.assertContains(response, "PBL")
        self.assertContains(response, "SJO")

    def test_a_supervisor_sees_their_own_post(self) -> None:
        response = self._get(self.sofia)  # SJO
        self.assertContains(response, "sjo-")
        self.assertNotContains(response, "pbl-")

    def test_officers_and_analysts_are_refused_and_audited(self) -> None:
        for user in (self.alice, self.ana):
            self.assertEqual(self._get(user).status_code, 403)
        self.assertEqual(AuditEntry.objects.filter(action="denied", object_id="supervision").count(), 2)

    @override_settings(CORREDOR_MODE="post")
    def test_a_posts_own_page_for_its_officers(self) -> None:
        PostState.objects.create(central_url="https://c", device_id="pbl-1", post_code="PBL", key="k")
        response = self._get(self.bob)
        self.assertContains(response, "pbl-1")
        self.assertContains(response, "data-watchlists-as-of")
        self.assertEqual(self._get(self.ana).status_code, 403)


@override_settings(CORREDOR_MODE="post")
class PushBatchTests(PersonaTestCase):
    def test_a_batch_too_big_for_central_is_sent_again_in_halves_and_all_is_acknowledged(self) -> None:
        outbox.outbox_triggers_create()
        state = PostState.objects.create(central_url="https://c", device_id="pbl-1", post_code="PBL", key="k")
        for _ in range(3):
            record(self.bob, DocumentInputFactory())
        sizes: list[int] = []

        def small_central(
            method: str, url: str, body: bytes | None, headers: dict[str, str]
        ) -> tuple[int, bytes]:
            count = len(json.loads(body or b"{}")["records"])
            sizes.append(count)
            if count > 3:
                return 413, b'{"message": "too big"}'
            return 200, b'{"batch_id": "x"}'

        queued = post.outbox_pending().count()
        self.assertEqual(post.push(state, small_central, batch_size=8), queued)
        self.assertEqual(post.outbox_pending().count(), 0)
        self.assertEqual(sizes[0], 8)
        self.assertTrue(all(n <= 3 for n in sizes[sizes.index(8) + 2 :]))
