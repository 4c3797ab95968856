"""The pages: watchlist managers' lists, alerts and uploads (column mapping, progress, report); supervisors'
hits and adjudication; who sees which link."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

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
