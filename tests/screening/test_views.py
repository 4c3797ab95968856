"""The pages: watchlist managers' lists, alerts and uploads (column mapping, progress, report); supervisors'
hits and adjudication; who sees which link."""

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from corredor.core.models import AuditEntry
from corredor.screening.models import Hit, ImportJob, PersonAlert
from tests.factories import record
from tests.screening import ScreeningTestCase, child_document, wanted_document


class ViewTestCase(ScreeningTestCase):
    def client_for(self, user: object) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)  # type: ignore[arg-type]
        return client


class WatchlistPageTests(ViewTestCase):
    def test_the_manager_sees_the_lists_and_their_alerts(self) -> None:
        client = self.client_for(self.wendy)
        html = client.get("/screening/watchlists/").content.decode()
        assert 'href="/screening/watchlists/nat/"' in html and "National list" in html
        html = client.get("/screening/watchlists/nat/").content.decode()
        assert "Pérez Castillo, Juan Carlos" in html and "Missing child" in html
        html = client.get("/screening/watchlists/nat/", {"q": "juancho"}).content.decode()
        assert "Pérez Castillo" in html and "Chen" not in html
        html = client.get("/screening/watchlists/nat/", {"kind": "documents"}).content.decode()
        assert "C00123456" in html
        assert AuditEntry.objects.filter(
            object_type="screening.personalert", summary="search: juancho"
        ).exists()

    def test_officers_supervisors_and_analysts_never_see_a_list(self) -> None:
        for user in (self.alice, self.sofia, self.ana):
            client = self.client_for(user)
            assert client.get("/screening/watchlists/").status_code == 403
            response = client.get("/screening/watchlists/nat/")
            assert response.status_code == 403 and b"Juan Carlos" not in response.content

    def test_a_manager_creates_a_list(self) -> None:
        response = self.client_for(self.wendy).post(
            "/screening/watchlists/",
            {"code": "ptn-pan", "name": "Panamá", "owner": "SNM", "source": "partner"},
        )
        assert response.status_code == 302 and response["Location"] == "/screening/watchlists/ptn-pan/"

    def test_an_upload_goes_through_the_mapping_to_the_report(self) -> None:
        client = self.client_for(self.wendy)
        upload = SimpleUploadedFile(
            "lista.csv", "Código;Apellidos;Nombres;Tipo de alerta\nV1;Mora;Luis;buscado\n".encode()
        )
        response = client.post("/screening/watchlists/nat/import/", {"file": upload})
        assert response.status_code == 302
        job = ImportJob.objects.get(filename="lista.csv")
        html = client.get(response["Location"]).content.decode()
        assert "Which column is which" in html
        assert re.search(r'<option value="category" selected>', html)  # "Tipo de alerta" guessed
        response = client.post(
            response["Location"],
            {
                "kind": "persons",
                "mode": "incremental",
                "column_0": "entry_id",
                "column_1": "surname",
                "column_2": "given_names",
                "column_3": "category",
            },
        )
        assert response.status_code == 302
        # The web process only queues: the page says so until `corredor work` runs it.
        html = client.get(f"/screening/imports/{job.pk}/status/").content.decode()
        assert 'data-status="queued"' in html and "Waiting for the worker" in html
        assert 'data-waiting="long"' not in html
        ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=5))
        html = client.get(f"/screening/imports/{job.pk}/status/").content.decode()
        assert 'data-waiting="long"' in html and "does not seem to be running" in html
        assert not PersonAlert.objects.filter(external_id="V1").exists()
        call_command("work", "--once", stdout=io.StringIO())
        html = client.get(f"/screening/imports/{job.pk}/status/").content.decode()
        assert 'data-status="done"' in html and "1 new" in html and "hx-trigger" not in html
        assert PersonAlert.objects.filter(external_id="V1").exists()

    def test_a_bad_upload_shows_the_located_errors(self) -> None:
        client = self.client_for(self.wendy)
        upload = SimpleUploadedFile(
            "bad.csv", b"entry_id,surname,birth_date,category\nV2,Mora,19xx,wanted\nV2,Mora,1980,wanted\n"
        )
        location = client.post("/screening/watchlists/nat/import/", {"file": upload})["Location"]
        client.post(
            location,
            {
                "kind": "persons",
                "mode": "incremental",
                "column_0": "entry_id",
                "column_1": "surname",
                "column_2": "birth_date",
                "column_3": "category",
            },
        )
        call_command("work", "--once", stdout=io.StringIO())
        html = client.get(location).content.decode()
        assert 'data-status="rejected"' in html and "Nothing was imported" in html
        assert re.search(r"<td class=\"num\">3</td><td>entry_id</td>", html)
        # The unreadable birth date is not an error: flagged on its line, kept as written.
        assert re.search(r"<td class=\"num\">2</td><td>birth_date</td>.*19xx", html, re.S)
        spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
        spanish.force_login(self.wendy)
        html = spanish.get(location).content.decode()
        assert "No se importó nada" in html and "Este id. de alerta ya está en una línea anterior" in html

    def test_a_running_import_polls_its_progress(self) -> None:
        job = ImportJob.objects.create(
            watchlist=self.watchlist,
            user=self.wendy,
            filename="x.csv",
            file_format="csv",
            status="running",
            done=30,
            total=100,
        )
        html = self.client_for(self.wendy).get(f"/screening/imports/{job.pk}/status/").content.decode()
        assert 'hx-trigger="every 1s"' in html and 'value="30"' in html

    def test_an_unreadable_upload_is_refused_on_the_form(self) -> None:
        upload = SimpleUploadedFile("empty.csv", b"")
        response = self.client_for(self.wendy).post("/screening/watchlists/nat/import/", {"file": upload})
        assert response.status_code == 200 and not ImportJob.objects.filter(filename="empty.csv").exists()


class HitPageTests(ViewTestCase):
    def setUp(self) -> None:
        self.hit = Hit.objects.get(
            crossing=record(self.alice, wanted_document(), decision="referred").crossing
        )
        self.protective = Hit.objects.get(crossing=record(self.alice, child_document()).crossing)

    def test_a_supervisor_sees_the_open_hits_and_adjudicates_one(self) -> None:
        client = self.client_for(self.sofia)
        html = client.get("/screening/hits/").content.decode()
        assert f'href="/screening/hits/{self.hit.pk}/"' in html and "PEREZ CASTILLO" in html
        html = client.get(f"/screening/hits/{self.hit.pk}/").content.decode()
        assert (
            "Why it matched" in html
            and "birth date 1980-02-03 matches" in html
            and "Record the verdict" in html
        )
        response = client.post(
            f"/screening/hits/{self.hit.pk}/", {"verdict": "false_match", "reason": "Other man; checked."}
        )
        assert response.status_code == 302
        html = client.get(f"/screening/hits/{self.hit.pk}/").content.decode()
        assert 'data-verdict="false_match"' in html and "Other man; checked." in html
        html = client.get("/screening/hits/", {"status": "adjudicated"}).content.decode()
        assert "Other man; checked." in html

    def test_the_protective_hit_reads_as_protection(self) -> None:
        html = self.client_for(self.sofia).get(f"/screening/hits/{self.protective.pk}/").content.decode()
        assert 'class="notice protect"' in html and "do not alert the companion" in html

    def test_a_verdict_without_reason_is_not_recorded(self) -> None:
        response = self.client_for(self.sofia).post(
            f"/screening/hits/{self.hit.pk}/", {"verdict": "false_match"}
        )
        assert response.status_code == 200 and b"This field is required" in response.content
        self.hit.refresh_from_db()
        assert self.hit.status == "open"

    def test_officers_do_not_see_the_hit_pages(self) -> None:
        client = self.client_for(self.alice)
        assert client.get("/screening/hits/").status_code == 403
        assert client.get(f"/screening/hits/{self.hit.pk}/").status_code == 403
        assert (
            client.post(
                f"/screening/hits/{self.hit.pk}/", {"verdict": "false_match", "reason": "x"}
            ).status_code
            == 403
        )


class NavigationTests(ViewTestCase):
    def test_each_role_sees_its_links(self) -> None:
        def links(user: object) -> tuple[bool, bool]:
            html = (
                self.client_for(user)
                .get("/travellers/" if user in (self.alice, self.sofia) else "/audit/")
                .content
            )
            return b'href="/screening/watchlists/"' in html, b'href="/screening/hits/"' in html

        assert links(self.alice) == (False, False)
        assert links(self.sofia) == (False, True)
        assert links(self.admin) == (True, True)
        html = self.client_for(self.wendy).get("/screening/watchlists/").content
        assert b'href="/screening/watchlists/"' in html and b'href="/screening/hits/"' not in html


class PassengerListHitTests(ViewTestCase):
    def test_a_passenger_list_hit_shows_its_flight_and_arrival_time(self) -> None:
        import datetime

        from django.utils import timezone

        from corredor.manifests import services as manifests
        from corredor.manifests.models import Source
        from tests.manifests import edifact, flight_list, passenger

        arrival = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=3)
        message = flight_list(
            number="731",
            arrival=arrival,
            passengers=2,
            extra=[passenger("LOPEZ", "ANA", number="C00123456", nationality="NIC")],
        )
        manifests.manifest_receive(data=edifact(message), source=Source.FOLDER)
        hit = Hit.objects.get(source="manifest")
        client = self.client_for(self.sofia)
        html = client.get("/screening/hits/").content.decode()
        expected = timezone.localtime(hit_flight_expected(hit)).strftime("%Y-%m-%d %H:%M")
        assert 'data-flight="CM731"' in html and f"arrives {expected}" in html
        html = client.get(f"/screening/hits/{hit.pk}/").content.decode()
        assert 'data-flight="CM731"' in html and f"arrives {expected}" in html
        (item,) = client.get("/api/v1/screening/hits").json()["items"]
        assert item["flight"] == "CM731" and item["flight_expected_at"] is not None


def hit_flight_expected(hit: Hit) -> object:
    from corredor.manifests.models import ManifestPerson

    person = ManifestPerson.objects.select_related("manifest_list__flight").filter(
        screening_ref=hit.source_ref
    )
    return person.first().manifest_list.flight.expected_at  # type: ignore[union-attr]


class AlertByHandTests(ViewTestCase):
    def test_a_manager_adds_edits_and_ends_an_alert_by_hand_each_audited_with_its_reason(self) -> None:
        from corredor.screening.hooks import traveller_of
        from corredor.screening.selectors import screening_run
        from tests.screening import clean_document

        client = self.client_for(self.wendy)
        assert "Add a person alert" in client.get("/screening/watchlists/nat/").content.decode()
        form = {
            "entry_id": "H-1",
            "surname": "Solano Araya",
            "given_names": "Elena",
            "birth_date": "1988-04-04",
            "nationality": "Costa Rica",
            "sex": "F",
            "category": "wanted",
            "why": "Warrant 123/2026 from the prosecutor, received by fax.",
        }
        response = client.post("/screening/watchlists/nat/alerts/new/persons/", form)
        assert response.status_code == 302, response.content.decode()
        alert = PersonAlert.objects.get(external_id="H-1")
        assert (alert.nationality, alert.version) == ("CRI", 1)
        traveller = traveller_of(clean_document())
        assert [m.alert.external_id for m in screening_run(traveller=traveller).persons] == ["H-1"]
        entry = AuditEntry.objects.filter(object_type="screening.personalert", action="create").first()
        assert entry is not None and entry.username == "wendy" and "Warrant 123/2026" in entry.summary
        # Edit: the page shows the alert; a change bumps the version and is audited with what changed.
        url = f"/screening/watchlists/nat/alerts/persons/{alert.pk}/"
        assert 'value="Solano Araya"' in client.get(url).content.decode()
        response = client.post(url, {**form, "category": "notify_on_arrival", "why": "Warrant served."})
        assert response.status_code == 302
        alert.refresh_from_db()
        assert (alert.category, alert.version) == ("notify_on_arrival", 2)
        entry = AuditEntry.objects.filter(object_type="screening.personalert", action="update").first()
        assert (
            entry is not None and "category changed" in entry.summary and "Warrant served." in entry.summary
        )
        # End: needs a reason; then it screens nobody, its row kept.
        response = client.post(f"{url}end/", {"why": ""})
        assert response.status_code == 400 and PersonAlert.objects.get(pk=alert.pk).removed_at is None
        response = client.post(f"{url}end/", {"why": "Cancelled by the court."})
        assert response.status_code == 302
        alert.refresh_from_db()
        assert alert.removed_at is not None and alert.version == 3
        assert screening_run(traveller=traveller).persons == []
        assert AuditEntry.objects.filter(summary="ended by hand: Cancelled by the court.").exists()

    def test_a_hand_made_alert_follows_the_import_rules_and_a_reason_is_required(self) -> None:
        client = self.client_for(self.wendy)
        base = {"entry_id": "H-2", "surname": "Mora", "category": "wanted", "why": "x"}
        html = client.post(
            "/screening/watchlists/nat/alerts/new/persons/", {**base, "birth_date": "2100"}
        ).content.decode()
        assert "in the future" in html
        html = client.post(
            "/screening/watchlists/nat/alerts/new/persons/", {**base, "entry_id": "W-WANTED"}
        ).content.decode()
        assert "already has an alert W-WANTED" in html or "already on the list" in html
        response = client.post("/screening/watchlists/nat/alerts/new/persons/", {**base, "why": ""})
        assert response.status_code == 200 and not PersonAlert.objects.filter(external_id="H-2").exists()
        # An unknown country is kept as written, not an error.
        response = client.post(
            "/screening/watchlists/nat/alerts/new/persons/", {**base, "nationality": "Narnia"}
        )
        assert response.status_code == 302
        assert PersonAlert.objects.get(external_id="H-2").as_written == {"nationality": "Narnia"}

    def test_a_document_alert_by_hand(self) -> None:
        client = self.client_for(self.wendy)
        response = client.post(
            "/screening/watchlists/nat/alerts/new/documents/",
            {
                "entry_id": "HD-1",
                "issuing_state": "Honduras",
                "number": "h 123-456",
                "reason": "lost",
                "why": "Police report 77.",
            },
        )
        assert response.status_code == 302
        from corredor.screening.models import DocumentAlert

        assert DocumentAlert.objects.filter(
            external_id="HD-1", issuing_state="HND", number="H123456"
        ).exists()

    def test_officers_and_supervisors_cannot_touch_alerts_and_are_audited(self) -> None:
        alert = PersonAlert.objects.get(external_id="W-WANTED")
        for user in (self.alice, self.sofia):
            client = self.client_for(user)
            assert client.get(f"/screening/watchlists/nat/alerts/persons/{alert.pk}/").status_code == 403
            response = client.post(
                f"/screening/watchlists/nat/alerts/persons/{alert.pk}/end/", {"why": "I want to pass"}
            )
            assert response.status_code == 403
        assert PersonAlert.objects.get(pk=alert.pk).removed_at is None
        assert AuditEntry.objects.filter(action="denied", object_id="watchlists").count() >= 4


class DeactivationTests(ViewTestCase):
    def test_deactivating_a_list_asks_for_a_reason_and_a_confirmation(self) -> None:
        from corredor.screening.models import Watchlist

        client = self.client_for(self.wendy)
        html = client.get("/screening/watchlists/nat/active/").content.decode()
        assert "no traveller is screened against them at any post" in html and "4 person alerts" in html
        response = client.post("/screening/watchlists/nat/active/", {"active": "0"})
        assert response.status_code == 200 and Watchlist.objects.get(code="nat").active
        response = client.post("/screening/watchlists/nat/active/", {"active": "0", "reason": "Replaced."})
        assert response.status_code == 200 and Watchlist.objects.get(code="nat").active  # not confirmed
        response = client.post(
            "/screening/watchlists/nat/active/",
            {"active": "0", "reason": "Replaced by nat-2026.", "confirm": "on"},
        )
        assert response.status_code == 302 and not Watchlist.objects.get(code="nat").active
        entry = AuditEntry.objects.filter(object_type="screening.watchlist", action="update").first()
        assert entry is not None and entry.summary == "deactivated: Replaced by nat-2026."
        response = client.post("/screening/watchlists/nat/active/", {"active": "1"})
        assert response.status_code == 302 and Watchlist.objects.get(code="nat").active

    def test_the_service_refuses_a_deactivation_without_reason_or_confirmation(self) -> None:
        from corredor.core.errors import ApplicationError
        from corredor.screening import services

        with self.assertRaises(ApplicationError):
            services.watchlist_set_active(user=self.wendy, watchlist=self.watchlist, active=False)
        with self.assertRaises(ApplicationError):
            services.watchlist_set_active(user=self.wendy, watchlist=self.watchlist, active=False, reason="x")
        self.watchlist.refresh_from_db()
        assert self.watchlist.active
