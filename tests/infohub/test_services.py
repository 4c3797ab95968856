"""Editors' writes: every change to a service is reviewed by a second editor before it is published;
every write is audited; others are refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.models import AuditEntry
from corredor.infohub import selectors, services
from corredor.infohub.models import Service
from tests.infohub import HubTestCase

SHELTER = {
    "kind": "shelter",
    "name": "Albergue de prueba",
    "description": {"es": "Camas y comida.", "fr": "Lits et repas."},
    "city": "La Cruz",
    "near_post": "PBL",
    "languages": ["es", "fr"],
    "latitude": 11.07,
    "longitude": -85.63,
}


class ServiceReviewTests(HubTestCase):
    def test_draft_review_publish_by_a_second_editor(self) -> None:
        service = services.service_save(user=self.elena, **SHELTER)
        assert service.status == "draft" and not selectors.published_services()
        services.service_submit(user=self.elena, service=service)
        with pytest.raises(PermissionDenied, match="second editor"):
            services.service_review(user=self.elena, service=service, approve=True)
        services.service_review(user=self.rafael, service=service, approve=True)
        [shown] = selectors.published_services(kind="shelter", near_post="PBL")
        assert shown["name"] == "Albergue de prueba"
        summaries = list(
            AuditEntry.objects.filter(object_type="infohub.service", object_id=str(service.pk))
            .order_by("sequence")
            .values_list("username", "summary")
        )
        assert summaries == [
            ("elena", "draft saved: Albergue de prueba"),
            ("elena", "sent to review"),
            ("rafael", "approved and published"),
        ]

    def test_a_change_stays_unpublished_until_reviewed(self) -> None:
        service = services.service_save(user=self.elena, **SHELTER)
        services.service_submit(user=self.elena, service=service)
        services.service_review(user=self.rafael, service=service, approve=True)
        services.service_save(user=self.rafael, service=service, name="Nombre cambiado")
        service.refresh_from_db()
        assert service.status == "draft"
        assert selectors.published_services()[0]["name"] == "Albergue de prueba"
        services.service_submit(user=self.rafael, service=service)
        services.service_review(user=self.elena, service=service, approve=False)
        service.refresh_from_db()
        assert service.status == "draft" and service.published["name"] == "Albergue de prueba"

    def test_others_are_refused(self) -> None:
        with pytest.raises(PermissionDenied):
            services.service_save(user=self.ana, **SHELTER)
        assert not Service.objects.exists()

    def test_bad_input_writes_nothing(self) -> None:
        with pytest.raises(ApplicationError, match="kind"):
            services.service_save(user=self.elena, **{**SHELTER, "kind": "casino"})
        with pytest.raises(ApplicationError, match="latitude"):
            services.service_save(user=self.elena, **{**SHELTER, "latitude": 95.0})
        assert not Service.objects.exists()


class AlertTests(HubTestCase):
    def test_an_alert_shows_until_it_expires(self) -> None:
        now = timezone.now()
        alert = services.alert_save(
            user=self.elena,
            kind="closure",
            area="Peñas Blancas",
            title={"es": "Cierre", "ht": "Fèmen"},
            body={"es": "Cerrado hoy."},
            expires_at=now + timedelta(hours=3),
        )
        assert list(selectors.current_alerts()) == [alert]
        assert not selectors.current_alerts(now=now + timedelta(hours=4)).exists()
        assert AuditEntry.objects.filter(object_type="infohub.alert", action="create").exists()

    def test_an_alert_must_expire_after_it_starts(self) -> None:
        with pytest.raises(ApplicationError, match="expire"):
            services.alert_save(
                user=self.elena,
                kind="scam",
                area="x",
                title={"es": "t"},
                body={},
                expires_at=timezone.now() - timedelta(days=1),
            )
