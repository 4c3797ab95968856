"""Administrators manage posts, stay categories, rules and users in Django's admin; others cannot."""

from tests.factories import DocumentInputFactory, record
from tests.personas import PersonaTestCase

PAGES = [
    "/admin/core/borderpost/",
    "/admin/core/borderpost/SJO/change/",
    "/admin/core/staycategory/",
    "/admin/core/staycategory/tourist/change/",
    "/admin/core/stayrule/",
    "/admin/core/commonarea/CA4/change/",
    "/admin/core/user/",
    "/admin/core/user/add/",
    "/admin/core/auditentry/",
]


class AdminTests(PersonaTestCase):
    def test_administrator_opens_every_reference_page(self) -> None:
        self.admin.is_staff = True
        self.admin.is_superuser = True
        self.admin.save()
        self.client.force_login(self.admin)
        for page in PAGES:
            assert self.client.get(page).status_code == 200, page

    def test_crossings_are_read_only_and_reading_them_is_audited(self) -> None:
        from corredor.core.models import AuditEntry

        crossing = record(self.alice, DocumentInputFactory()).crossing
        self.admin.is_staff = True
        self.admin.is_superuser = True
        self.admin.save()
        self.client.force_login(self.admin)
        response = self.client.get(f"/admin/border/crossing/{crossing.pk}/change/")
        assert response.status_code == 200
        assert b'name="_save"' not in response.content
        assert AuditEntry.objects.filter(object_id=str(crossing.pk), action="read").exists()

    def test_an_officer_is_sent_to_log_in(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/admin/core/borderpost/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
