"""The receiving endpoint fuzzed with damaged real-shaped lists: whatever a carrier sends, the answer is a
receipt or a located refusal with the error shape, never a 500, and a refused list stores nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from corredor.core.management.commands.token import token_create
from corredor.manifests import services
from corredor.manifests.models import ManifestList, ManifestMessage
from tests.manifests import edifact, flight_list
from tests.personas import load_reference

WHOLE = edifact(flight_list(passengers=6, seed=3))
_SPECIAL = st.sampled_from([b"'", b"+", b":", b"?", b"\n", b"UNT+", b"UNZ+", b"UNH+", b"\xc3", b"\x00", b"9"])


class ReceivingFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("CRI")
        copa = services.carrier_account_create(username="copa", carrier="CM").user
        cls.token = token_create(user=copa)

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def test_a_damaged_list_is_received_or_refused_never_a_500(self, data: st.DataObject) -> None:
        damaged = bytearray(WHOLE)
        for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
            position = data.draw(st.integers(min_value=0, max_value=len(damaged)))
            action = data.draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
            if action == "delete":
                del damaged[position : position + data.draw(st.integers(min_value=1, max_value=30))]
            elif action == "insert":
                damaged[position:position] = data.draw(_SPECIAL | st.binary(min_size=1, max_size=4))
            elif action == "replace" and position < len(damaged):
                damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
            elif action == "cut":
                damaged = damaged[:position]
        before = (ManifestMessage.objects.count(), ManifestList.objects.count())
        response = Client().post(
            "/api/v1/manifests/messages",
            bytes(damaged),
            content_type="application/edifact",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        # 415: a body cut to nothing arrives without a content type.
        assert response.status_code in (200, 201, 400, 403, 415), response.content[:500]
        body: dict[str, Any] = response.json()
        if response.status_code >= 400:
            assert set(body) == {"message", "detail"} and body["message"]
            assert (ManifestMessage.objects.count(), ManifestList.objects.count()) == before
        else:
            assert body["status"] in ("stored", "duplicate") and body["lists"]
