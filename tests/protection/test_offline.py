"""Referrals made at an offline post travel through the outbox like crossings: the outbox catches them in
the referral's transaction, central stores each once by UUID through sync's own push, keeps its later state
when a batch comes again, refuses another post's records, and publishes the providers' directory."""

import uuid
from typing import Any

from django.test import Client, override_settings

from corredor.border.models import Crossing
from corredor.core.models import AuditEntry, Tombstone
from corredor.protection import services
from corredor.protection.models import (
    Case,
    CaseEvent,
    ServiceProvider,
    Transition,
    TransitionStatus,
    VulnerabilityScreening,
)
from corredor.sync import outbox
from corredor.sync import services as sync_services
from corredor.sync.models import Conflict, Device, FeedEntry, OutboxEntry
from tests.factories import record
from tests.protection import CONSENT_ANSWERS, ProtectionTestCase, child_document
from tests.sync.helpers import as_pushed, forget, signed

LABELS = {
    "protection.vulnerabilityscreening",
    "protection.case",
    "protection.caseevent",
    "protection.transition",
}


class OutboxTests(ProtectionTestCase):
    def test_a_desk_referral_queues_its_case_consent_and_screening(self) -> None:
        outbox.outbox_triggers_create()
        transition = self.refer_child()
        queued = set(
            OutboxEntry.objects.filter(model_label__startswith="protection.").values_list(
                "model_label", flat=True
            )
        )
        self.assertEqual(queued, LABELS)
        keys = OutboxEntry.objects.filter(model_label="protection.transition").values_list(
            "object_pk", flat=True
        )
        self.assertIn(transition.pk.hex, [k.replace("-", "") for k in keys])


class CentralIngestTests(ProtectionTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        code, _ = sync_services.enrolment_code_create(post_code="SJO")
        cls.device = sync_services.device_enrol(code=code)
        code, _ = sync_services.enrolment_code_create(post_code="PBL")
        cls.other = sync_services.device_enrol(code=code)

    def _referred_at_post(self) -> list[Any]:
        """alice refers the child at SJO on the post's device; the rows are taken as the post pushes them
        and removed from central, as if central had never seen them."""
        values = {**CONSENT_ANSWERS, "hook_protection_provider": str(self.pani.pk)}
        made = record(
            self.alice,
            child_document(),
            decision="referred",
            stay_category=None,
            hook_answers=values,
            device_id=self.device.id,
        )
        crossing = made.crossing
        transition = Transition.objects.get(crossing_id=crossing.pk)
        case = transition.case
        rows = [
            crossing.traveller,
            crossing.document,
            crossing,
            VulnerabilityScreening.objects.get(crossing=crossing),
            case,
            *CaseEvent.objects.filter(case=case),
            transition,
        ]
        self.records = as_pushed(*rows)
        forget(*reversed(rows))
        return rows

    def _push(self, records: list[dict[str, Any]], device: Device | None = None) -> Any:
        body = {"batch_id": str(uuid.uuid4()), "pending": len(records), "records": records}
        return signed(Client(), device or self.device, "POST", "/api/v1/sync/push", body)

    def test_a_referral_made_at_the_post_arrives_once_with_its_consent(self) -> None:
        rows = self._referred_at_post()
        transition = rows[-1]
        self.assertFalse(Transition.objects.filter(pk=transition.pk).exists())
        first = self._push(self.records)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first.json()["stored"], len(rows))
        arrived = Transition.objects.select_related("case").get(pk=transition.pk)
        self.assertEqual(arrived.to_provider, self.pani)
        self.assertTrue(arrived.consent_given)
        self.assertEqual(arrived.consent_data, ["identity", "screening"])
        self.assertEqual(arrived.consent_purpose, "Protección de la niñez")
        self.assertEqual(arrived.case.surname, "MEJIA CASTRO")
        self.assertEqual(arrived.case.device_id, self.device.id)
        self.assertEqual(arrived.from_post_id, "SJO")
        self.assertEqual(Crossing.objects.get(pk=arrived.crossing_id).decision, "referred")
        again = self._push(self.records)
        self.assertEqual(again.json()["stored"], 0)
        self.assertEqual(again.json()["duplicates"], len(rows))
        self.assertEqual(Case.objects.filter(pk=arrived.case_id).count(), 1)
        self.assertEqual(Transition.objects.filter(pk=transition.pk).count(), 1)
        # The receiving agency sees it in its referrals and takes it on at central.
        services.transition_accept(user=self.carla, transition_id=transition.pk)

    def test_a_batch_sent_again_after_the_agency_accepted_keeps_centrals_state(self) -> None:
        rows = self._referred_at_post()
        transition = rows[-1]
        self._push(self.records)
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        again = self._push(self.records)  # the post never heard the first acknowledgement
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual(again.json()["stored"], 0)
        self.assertEqual(again.json()["conflicts"], 0)
        self.assertFalse(Conflict.objects.exists())
        held = Transition.objects.select_related("case").get(pk=transition.pk)
        self.assertEqual(held.status, TransitionStatus.ACCEPTED)
        self.assertEqual(held.case.status, "open")
        self.assertEqual(held.case.assigned_to, self.carla)

    def test_another_posts_referral_is_refused_whole_and_audited(self) -> None:
        self._referred_at_post()
        response = self._push(self.records, device=self.other)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Case.objects.exists())
        self.assertTrue(
            AuditEntry.objects.filter(action="denied", object_id=f"sync:{self.other.id}").exists()
        )

    def test_a_case_event_for_another_posts_case_is_refused(self) -> None:
        self._referred_at_post()
        self._push(self.records)
        event = next(r for r in self.records if r["model"] == "protection.caseevent")
        forged = dict(event, pk=str(uuid.uuid4()), payload={**event["payload"], "id": None})
        forged["payload"]["id"] = forged["pk"]
        response = self._push([forged], device=self.other)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CaseEvent.objects.filter(pk=forged["pk"]).exists())

    def test_a_purged_case_does_not_come_back(self) -> None:
        rows = self._referred_at_post()
        case = rows[4]
        Tombstone.objects.create(model_label="protection.case", object_id=case.pk)
        records = [r for r in self.records if r["model"] != "protection.caseevent"]
        records = [r for r in records if r["model"] != "protection.transition"]
        response = self._push(records)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(Case.objects.filter(pk=case.pk).exists())


@override_settings(CORREDOR_SYNC_PUBLISH_SECONDS=0)
class DirectoryFeedTests(ProtectionTestCase):
    def test_the_providers_directory_is_published_to_the_posts(self) -> None:
        sync_services.feed_publish()
        published = set(
            FeedEntry.objects.filter(model_label="protection.serviceprovider").values_list(
                "object_pk", flat=True
            )
        )
        self.assertEqual(published, {str(pk) for pk in ServiceProvider.objects.values_list("pk", flat=True)})
        self.assertTrue(FeedEntry.objects.filter(model_label="protection.service").exists())

    def test_a_post_applies_the_directory_so_the_desk_can_refer_offline(self) -> None:
        from corredor.protection.selectors import providers_for_referral
        from corredor.sync import post

        provider = ServiceProvider.objects.create(
            code="refugio-norte",
            name="Refugio Norte",
            kind="shelter",
            country_id="CRI",
            border_referrals=True,
        )
        sync_services.feed_publish()
        entries = [
            {"model": e.model_label, "pk": e.object_pk, "payload": e.payload}
            for e in FeedEntry.objects.filter(
                model_label="protection.serviceprovider", object_pk=str(provider.pk)
            )
        ]
        ServiceProvider.objects.filter(pk=provider.pk).delete()  # as a post that never had it
        post.feed_apply(entries)
        assert provider in providers_for_referral(border=True)
