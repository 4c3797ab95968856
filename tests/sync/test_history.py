"""Part 3: the desk at a post asks central for a traveller's national history (signed, as the officer, with
a short timeout), and shows the post's own history, labelled with its last sync, when central does not
answer. Central's answer checks the officer's post and role and is audited; nothing is stored at the post."""

import socket
import time
from datetime import timedelta
from typing import Any
from unittest import mock

from django.test import Client, override_settings
from django.utils import timezone, translation

from corredor.border.models import Crossing, Traveller
from corredor.core.models import AuditEntry
from corredor.sync import post, services
from corredor.sync.models import PostState
from tests.factories import AnalystFactory, DocumentInputFactory, mrz_for, record
from tests.personas import PersonaTestCase
from tests.sync.helpers import signed
from tests.sync.test_post import client_transport

PATH = "/api/v1/sync/history"


class CentralAnswerTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        code, _ = services.enrolment_code_create(post_code="PBL")
        cls.device = services.device_enrol(code=code)
        cls.doc = DocumentInputFactory()
        # The traveller entered at SJO (alice) and left, then entered again at PBL (bob).
        record(cls.alice, cls.doc, occurred_at=timezone.now() - timedelta(days=40))
        record(cls.alice, cls.doc, direction="exit", occurred_at=timezone.now() - timedelta(days=30))
        cls.entry = record(cls.bob, cls.doc).crossing

    def _ask(self, user: str, **fields: Any) -> Any:
        body = {"user": user, "issuing_state": self.doc.issuing_state, "number": self.doc.number, **fields}
        return signed(Client(), self.device, "POST", PATH, body)

    def test_an_officer_of_the_post_gets_the_status_from_every_post_and_the_read_is_audited(self) -> None:
        response = self._ask("bob")
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertTrue(data["found"])
        self.assertTrue(data["in_country"])
        self.assertEqual(data["last_crossing"]["post"], "PBL")
        # An officer sees their own post's crossings, the other posts' counted (the traveller page's rule).
        self.assertEqual([c["post"] for c in data["crossings"]], ["PBL"])
        self.assertEqual(data["hidden_crossings"], 2)
        read = AuditEntry.objects.filter(action="read", object_type="border.traveller").first()
        assert read is not None
        self.assertEqual(read.username, "bob")
        self.assertEqual(read.object_id, str(self.entry.traveller_id))
        self.assertIn(self.device.id, read.origin)

    def test_by_traveller_id(self) -> None:
        data = self._ask("bob", issuing_state="", number="", traveller_id=str(self.entry.traveller_id)).json()
        self.assertTrue(data["found"])
        self.assertEqual(data["traveller_id"], str(self.entry.traveller_id))

    def test_an_unknown_document_is_not_found_and_the_lookup_audited(self) -> None:
        response = self._ask("bob", number="ZZ0000000")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["found"], False)
        self.assertTrue(
            AuditEntry.objects.filter(username="bob", summary="national history: not found").exists()
        )

    def test_an_officer_of_another_post_is_refused_and_audited(self) -> None:
        response = self._ask("alice")
        self.assertEqual(response.status_code, 403)
        self.assertTrue(
            AuditEntry.objects.filter(action="denied", object_id=f"sync:{self.device.id}").exists()
        )
        self.assertFalse(AuditEntry.objects.filter(action="read", object_type="border.traveller").exists())

    def test_a_role_without_personal_data_is_refused_even_at_the_post(self) -> None:
        AnalystFactory(username="ana-pbl", border_post_id="PBL")
        response = self._ask("ana-pbl")
        self.assertEqual(response.status_code, 403)
        self.assertTrue(
            AuditEntry.objects.filter(action="denied", username="ana-pbl", object_id="personal_data").exists()
        )

    def test_an_unknown_user_a_revoked_device_and_no_document_are_refused(self) -> None:
        self.assertEqual(self._ask("nobody").status_code, 403)
        self.assertEqual(self._ask("bob", issuing_state="", number="").status_code, 400)
        services.device_revoke(device_id=self.device.id)
        self.assertEqual(self._ask("bob").status_code, 401)

    @override_settings(CORREDOR_MODE="post")
    def test_a_post_does_not_answer(self) -> None:
        self.assertEqual(self._ask("bob").status_code, 404)


@override_settings(CORREDOR_MODE="post", CORREDOR_SYNC_PUBLISH_SECONDS=0)
class DeskTests(PersonaTestCase):
    """The desk at a post (one database plays both sides: central's answer comes from the test client)."""

    def setUp(self) -> None:
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.client.force_login(self.bob)
        self.client.cookies["django_language"] = "en"
        # The traveller entered at SJO (another post) and is in the country.
        self.doc = DocumentInputFactory()
        record(self.alice, self.doc)

    def _central(self, *args: Any) -> tuple[int, bytes]:
        # (Central's request runs on this thread here: keep the desk's language once it has answered.)
        with override_settings(CORREDOR_MODE="central"), translation.override(translation.get_language()):
            return client_transport(*args)

    def _enrol(self) -> PostState:
        with override_settings(CORREDOR_MODE="central"):
            code, _ = services.enrolment_code_create(post_code="PBL")
        return post.post_enrol(central_url="http://127.0.0.1:8710", code=code, transport=self._central)

    def _scan(self) -> str:
        return self.client.post("/desk/scan/", {"mrz": mrz_for(self.doc)}).content.decode()

    def test_online_the_desk_shows_the_national_history_and_stores_nothing(self) -> None:
        self._enrol()
        crossings, travellers = Crossing.objects.count(), Traveller.objects.count()
        with mock.patch.object(post, "timed_transport", return_value=self._central):
            html = self._scan()
        self.assertIn('data-origin="central"', html)
        self.assertIn("National history (all posts, from central)", html)
        self.assertIn("(entered at SJO)", html)
        self.assertIn("And 1 crossing at another post.", html)
        self.assertEqual((Crossing.objects.count(), Traveller.objects.count()), (crossings, travellers))

    def test_offline_the_desk_says_the_history_is_local_since_the_last_sync(self) -> None:
        self._enrol()
        PostState.objects.filter(pk=1).update(last_success_at=timezone.now() - timedelta(hours=3))

        def down(*args: Any) -> tuple[int, bytes]:
            raise post.SyncFailed("Central cannot be reached: refused")

        with mock.patch.object(post, "timed_transport", return_value=down):
            html = self._scan()
        self.assertIn('data-origin="local"', html)
        since = timezone.localtime(post.last_synced_at()).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
        self.assertIn(f"Local history — as of last sync {since}", html)

    def test_not_enrolled_the_history_is_local(self) -> None:
        html = self._scan()
        self.assertIn("Local history — never synced with central", html)

    def test_a_refusal_at_central_falls_back_to_the_local_history(self) -> None:
        self._enrol()
        with override_settings(CORREDOR_MODE="central"):
            services.device_revoke(device_id=PostState.objects.get().device_id)
        with mock.patch.object(post, "timed_transport", return_value=self._central):
            html = self._scan()
        self.assertIn('data-origin="local"', html)

    @override_settings(CORREDOR_MODE="central")
    def test_central_s_own_desk_is_unchanged(self) -> None:
        self.assertNotIn("national-history", self._scan())


class TimeoutTests(PersonaTestCase):
    @override_settings(CORREDOR_MODE="post", CORREDOR_SYNC_HISTORY_TIMEOUT=0.3)
    def test_a_central_that_does_not_answer_is_given_up_on_within_the_timeout(self) -> None:
        PostState.objects.create(pk=1, central_url="", device_id="pbl-1", post_code="PBL", key="k")
        with socket.socket() as silent:  # accepts connections (the backlog) and never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            PostState.objects.filter(pk=1).update(central_url=f"http://127.0.0.1:{silent.getsockname()[1]}")
            started = time.monotonic()
            with self.assertRaises(post.SyncFailed):
                post.national_history(user=self.bob, issuing_state="NIC", number="K1")
            self.assertLess(time.monotonic() - started, 1.5)
