"""Kobo / ODK uploads on the web: queued, imported by `corredor work`, the report on the job's page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from corredor.displacement.models import ImportJob, Individual
from tests.displacement.helpers import EmergencyTestCase
from tests.displacement.test_kobo import KOBO


class Uploads(EmergencyTestCase):
    def _upload(self, content: str, name: str = "kobo.csv") -> ImportJob:
        self.client.force_login(self.cora)
        response = self.client.post(
            "/emergencies/hurricane-test/imports/", {"file": SimpleUploadedFile(name, content.encode())}
        )
        assert response.status_code == 302
        return ImportJob.objects.get()

    def test_upload_is_imported_by_the_worker(self) -> None:
        job = self._upload(KOBO)
        assert job.status == "queued" and not Individual.objects.exists()
        call_command("work", "--once")
        job.refresh_from_db()
        assert job.status == "done" and job.data == b"" and job.summary.startswith("3 ")
        assert Individual.objects.count() == 3
        page = self.client.get(f"/emergencies/hurricane-test/imports/{job.pk}/")
        assert 'data-status="done"' in page.content.decode()

    def test_bad_file_is_rejected_with_its_errors_and_nothing_written(self) -> None:
        job = self._upload(KOBO.replace(";Wilner;male;", ";Wilner;robot;"))
        call_command("work", "--once")
        job.refresh_from_db()
        assert job.status == "rejected"
        assert [(e["line"], e["field"]) for e in job.errors] == [(3, "sex")]
        assert not Individual.objects.exists()
        page = self.client.get(f"/emergencies/hurricane-test/imports/{job.pk}/", HTTP_HX_REQUEST="true")
        assert 'id="import-errors"' in page.content.decode() and "hx-trigger" not in page.content.decode()

    def test_only_coordinators_upload(self) -> None:
        for persona in (self.enzo, self.ana, self.sam):
            self.client.force_login(persona)
            response = self.client.post(
                "/emergencies/hurricane-test/imports/", {"file": SimpleUploadedFile("k.csv", KOBO.encode())}
            )
            assert response.status_code == 403
        assert not ImportJob.objects.exists()

    def test_wrong_kind_of_file(self) -> None:
        self.client.force_login(self.cora)
        response = self.client.post(
            "/emergencies/hurricane-test/imports/", {"file": SimpleUploadedFile("k.pdf", b"%PDF")}
        )
        assert response.status_code == 400 and not ImportJob.objects.exists()


class Xlsform(EmergencyTestCase):
    def test_xlsform_questions_are_what_the_importer_reads(self) -> None:
        import io

        from openpyxl import load_workbook

        from corredor.displacement import kobo

        self.client.force_login(self.cora)
        response = self.client.get("/emergencies/hurricane-test/xlsform.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        names = [row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
        assert set(kobo.REQUIRED) <= set(names)
        assert {kobo.column_name(name) for name in names} - {"start", "end"} <= set(kobo.COLUMNS)
        sites = {row[1] for row in book["choices"].iter_rows(min_row=2, values_only=True) if row[0] == "site"}
        assert sites == {"ALB-1", "ALB-2"}
        self.client.force_login(self.ana)
        assert self.client.get("/emergencies/hurricane-test/xlsform.xlsx").status_code == 403
