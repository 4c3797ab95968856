"""Central's side: enrolment, signed requests, revocation, idempotent ingest, ownership, tombstones, feed."""

import datetime
import uuid

from django.test import Client, override_settings
from django.utils import timezone

from corredor.border.models import Crossing, Stay, TravelDocument, Traveller
from corredor.core.models import AuditEntry, StayCategory, Tombstone
from corredor.sync import services
from corredor.sync.models import Alias, Conflict, Device, FeedEntry, Receipt
from tests.factories import DocumentInputFactory, record
from tests.personas import PersonaTestCase
from tests.sync.helpers import as_pushed, forget, signed


class EnrolmentTests(PersonaTestCase):
    def test_a_code_enrols_one_device_once(self) -> None:
        code, _row = services.enrolment_code_create(post_code="PBL")
        device = services.device_enrol(code=code.lower())
        self.assertEqual(device.post_id, "PBL")
        self.assertEqual(len(device.key), 64)
        with self.assertRaises(services.Unauthorized):
            services.device_enrol(code=code)

    def test_a_code_expires_after_24_hours(self) -> None:
        code, _ = services.enrolment_code_create(post_code="PBL")
        later = timezone.now() + datetime.timedelta(hours=24, minutes=1)
        with self.assertRaises(services.Unauthorized):
            services.device_enrol(code=code, now=later)

    def test_enrol_over_the_api(self) -> None:
        code, _ = services.enrolment_code_create(post_code="PBL")
        response = Client().post("/api/v1/sync/enrol", {"code": code}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["post_code"], "PBL")
        wrong = Client().post("/api/v1/sync/enrol", {"code": "NOPE"}, content_type="application/json")
        self.assertEqual(wrong.status_code, 401)

    def test_no_code_for_an_unknown_post(self) -> None:
        with self.assertRaises(services.NotFound):
            services.enrolment_code_create(post_code="XXX")


class PushTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        code, _ = services.enrolment_code_create(post_code="PBL")
        cls.device = services.device_enrol(code=code)
        code, _ = services.enrolment_code_create(post_code="SJO")
        cls.other = services.device_enrol(code=code)

    def _made_at_post(self, device: Device | None = None) -> list[object]:
        """A crossing with its traveller, document and stay, as the post made them; gone from central."""
        device = device or self.device
        officer = self.bob if device.post_id == "PBL" else self.alice
        made = record(officer, DocumentInputFactory(), device_id=device.id)
        crossing = made.crossing
        rows = [crossing.traveller, crossing.document, crossing, Stay.objects.get(entry=crossing)]
        self.records = as_pushed(*rows)
        forget(rows[3], rows[2], rows[1], rows[0])
        return rows

    def _push(self, records: list[dict[str, object]], device: Device | None = None) -> object:
        body = {"batch_id": str(uuid.uuid4()), "pending": len(records), "records": records}
        return signed(Client(), device or self.device, "POST", "/api/v1/sync/push", body)

    def test_a_batch_is_stored_once_however_often_it_comes(self) -> None:
        crossing = self._made_at_post()[2]
        first = self._push(self.records)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first.json()["stored"], 4)
        again = self._push(self.records)
        self.assertEqual(again.json()["stored"], 0)
        self.assertEqual(again.json()["duplicates"], 4)
        self.assertEqual(Crossing.objects.filter(pk=crossing.pk).count(), 1)
        receipt = Receipt.objects.get(object_pk=str(crossing.pk))
        self.assertEqual(receipt.device_id, self.device.id)
        self.assertIsNotNone(receipt.made_at)
        self.assertEqual(Device.objects.get(pk=self.device.pk).received, 4)

    def test_another_posts_records_refuse_the_whole_batch_audited(self) -> None:
        self._made_at_post(device=self.other)  # made at SJO
        response = self._push(self.records)  # pushed by PBL's device
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Crossing.objects.filter(device_id=self.other.id).exists())
        refusal = AuditEntry.objects.filter(action="denied", object_id=f"sync:{self.device.id}")
        self.assertTrue(refusal.exists())

    def test_bad_signature_unknown_and_revoked_devices_get_401(self) -> None:
        self._made_at_post()
        body = {"batch_id": "b", "records": self.records}
        bad = signed(Client(), self.device, "POST", "/api/v1/sync/push", body, key="0" * 64)
        self.assertEqual(bad.status_code, 401)
        services.device_revoke(device_id=self.device.id)
        revoked = self._push(self.records)
        self.assertEqual(revoked.status_code, 401)
        self.assertFalse(Traveller.objects.filter(device_id=self.device.id).exists())
        self.assertTrue(AuditEntry.objects.filter(action="denied", summary__contains="revoked").exists())

    def test_a_fact_sent_again_with_other_content_is_flagged_not_overwritten(self) -> None:
        self._made_at_post()
        self._push(self.records)
        changed = [dict(r, payload=dict(r["payload"])) for r in self.records]
        crossing = next(r for r in changed if r["model"] == "border.crossing")
        crossing["payload"]["note"] = "changed later"
        response = self._push(changed)
        self.assertEqual(response.json()["conflicts"], 1)
        self.assertEqual(Crossing.objects.get(pk=crossing["pk"]).note, "")
        self.assertTrue(Conflict.objects.filter(object_pk=crossing["pk"], reason="different").exists())

    def test_a_passport_central_already_holds_becomes_an_alias(self) -> None:
        _traveller, document, crossing, _stay = self._made_at_post()
        # Central recorded the same passport meanwhile, under its own id.
        held = TravelDocument.objects.create(
            traveller=Traveller.objects.create(surname="X", nationality_id="NIC"),
            document_code="P",
            issuing_state_id=document.issuing_state_id,
            number=document.number,
            surname="X",
            nationality_id="NIC",
        )
        response = self._push(self.records)
        self.assertEqual(response.json()["conflicts"], 1)
        self.assertEqual(Alias.objects.get(post_pk=str(document.pk)).central_pk, str(held.pk))
        self.assertEqual(Crossing.objects.get(pk=crossing.pk).document_id, held.pk)

    def test_a_purged_record_does_not_come_back(self) -> None:
        _traveller, _document, crossing, stay = self._made_at_post()
        Tombstone.objects.create(model_label="border.crossing", object_id=crossing.pk)
        Tombstone.objects.create(model_label="border.stay", object_id=stay.pk)
        response = self._push(self.records)
        self.assertEqual(response.json()["purged"], 2)
        self.assertFalse(Crossing.objects.filter(pk=crossing.pk).exists())

    def test_bad_records_are_refused_with_where(self) -> None:
        response = self._push([{"model": "core.country", "pk": "CRI", "payload": {}}])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"]["record"], 1)


@override_settings(CORREDOR_SYNC_PUBLISH_SECONDS=0)
class FeedTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        code, _ = services.enrolment_code_create(post_code="PBL")
        cls.device = services.device_enrol(code=code)

    def _page(self, after: int = 0) -> dict[str, object]:
        response = signed(Client(), self.device, "GET", f"/api/v1/sync/feed?after={after}&limit=100000")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()  # type: ignore[no-any-return]

    def test_only_changes_are_published_in_order_parents_first(self) -> None:
        page = self._page()
        models = [e["model"] for e in page["entries"]]
        self.assertLess(models.index("core.country"), models.index("core.borderpost"))
        self.assertLess(models.index("core.borderpost"), models.index("core.user"))
        last = page["last_sequence"]
        self.assertEqual(services.feed_publish(), 0)  # nothing changed
        StayCategory.objects.filter(pk="tourist").update(default_days=45)
        page = self._page(after=last)
        self.assertEqual([(e["model"], e["pk"]) for e in page["entries"]], [("core.staycategory", "tourist")])
        self.assertEqual(page["entries"][0]["payload"]["default_days"], 45)

    def test_a_post_sees_its_own_users_only_without_last_login(self) -> None:
        users = {
            e["payload"]["username"]: e["payload"]
            for e in self._page()["entries"]
            if e["model"] == "core.user"
        }
        self.assertIn("bob", users)  # PBL
        self.assertNotIn("alice", users)  # SJO
        self.assertNotIn("admin", users)  # no post
        self.assertNotIn("last_login", users["bob"])

    def test_removals_and_tombstones_travel(self) -> None:
        last = self._page()["last_sequence"]
        StayCategory.objects.create(code="gone", name_es="x", name_en="x")
        last = self._page(after=last)["last_sequence"]
        StayCategory.objects.filter(code="gone").delete()
        Tombstone.objects.create(model_label="border.crossing", object_id=uuid.uuid4())
        entries = self._page(after=last)["entries"]
        self.assertIn(
            ("core.staycategory", "gone", None), [(e["model"], e["pk"], e["payload"]) for e in entries]
        )
        self.assertIn("core.tombstone", [e["model"] for e in entries])

    def test_feed_needs_a_device(self) -> None:
        self.assertEqual(Client().get("/api/v1/sync/feed").status_code, 401)
        self.assertTrue(FeedEntry.objects.count() >= 0)
