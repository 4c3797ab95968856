"""Importing watchlists: the issue's CSV, any CSV or XLSX with a column mapping, document alerts, incremental
changes and removals, located errors, and nothing half-imported."""

import datetime
import io
import json
import time
import zipfile
from unittest import mock

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.models import AuditEntry
from corredor.matching.records import Name, Traveller
from corredor.screening import importers, selectors, services
from corredor.screening.models import DocumentAlert, ImportJob, PersonAlert
from tests.screening import ScreeningTestCase


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_worker(job: ImportJob) -> ImportJob:
    """What `corredor work` does with a queued import (in the test's transaction), then the job as stored."""
    call_command("work", "--once", stdout=io.StringIO())
    return ImportJob.objects.get(pk=job.pk)


def alert_counts() -> tuple[int, int]:
    return PersonAlert.objects.count(), DocumentAlert.objects.count()


class CsvImportTests(ScreeningTestCase):
    def test_the_issue_format_is_read_with_partial_dates_country_names_and_aliases(self) -> None:
        wanted = PersonAlert.objects.get(external_id="W-WANTED")
        assert (wanted.surname, wanted.given_names, wanted.birth_date) == (
            "Pérez Castillo",
            "Juan Carlos",
            "1980-02-03",
        )
        assert wanted.aliases == ["Juancho Pérez"]
        assert wanted.note.startswith("Armed")
        refused = PersonAlert.objects.get(external_id="W-REFUSED")
        assert (refused.birth_date, refused.nationality, refused.sex) == ("1975", "COL", "M")
        child = PersonAlert.objects.get(external_id="W-CHILD")
        assert child.full_name == "María José Ruiz Mora" and child.nationality == "HND" and child.protective
        assert not wanted.protective
        assert PersonAlert.objects.get(external_id="W-NOTIFY").officer_action == "Notify the liaison office."

    def test_the_report_counts_what_was_done_and_the_import_is_audited(self) -> None:
        with acting_as(actor_for(self.wendy, "test")):
            report = self.import_csv("entry_id,surname,given_names,category\nX1,Mora,Luis,wanted\n")
        assert report.ok and (report.rows, report.created, report.updated) == (1, 1, 0)
        entry = AuditEntry.objects.filter(object_type="screening.watchlist", object_id="nat").first()
        assert entry is not None and entry.action == "bulk" and "1 new" in entry.summary
        assert entry.username == "wendy"

    def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written(self) -> None:
        before = alert_counts()
        report = self.import_csv(
            "entry_id,surname,given_names,birth_date,nationality,sex,category\n"
            "N1,Nuevo,Uno,1980,NIC,M,wanted\n"
            "N2,Malo,Dos,1982-13,NIC,M,wanted\n"
            "N3,Malo,Tres,,Atlantis,M,wanted\n"
            "N4,Malo,Cuatro,,NIC,Q,spy\n"
            "N1,Nuevo,Repetido,,NIC,M,wanted\n"
            "N5,Malo,Cinco,31/02/1990,NIC,M,wanted\n"
        )
        assert not report.ok
        located = {(e.line, e.column, e.code) for e in report.errors}
        assert located == {(5, "category", "bad_category"), (6, "entry_id", "duplicate_entry_id")}
        # Attributes fail open: flagged on their line (the value as the file wrote it), never an error.
        flagged = {(f.line, f.column, f.code, f.value) for f in report.flags}
        assert flagged == {
            (3, "birth_date", "bad_birth_date", "1982-13"),
            (4, "nationality", "bad_nationality", "Atlantis"),
            (5, "sex", "bad_sex", "Q"),
            (7, "birth_date", "bad_birth_date", "31/02/1990"),
        }
        assert alert_counts() == before
        assert not PersonAlert.objects.filter(external_id="N1").exists()
        entry = AuditEntry.objects.filter(object_type="screening.watchlist").first()
        assert entry is not None and "rejected" in entry.summary

    def test_a_file_that_is_not_a_watchlist_says_so(self) -> None:
        assert self.import_csv("").errors[0].code == "empty_file"
        report = self.import_csv("nombre,apellido\nJuan,Perez\n")
        assert {e.code for e in report.errors} >= {"unknown_column", "missing_column"}
        assert all(e.line == 1 for e in report.errors)
        report = services.watchlist_import(
            user=self.wendy, watchlist=self.watchlist, data=b"\x00\x01garbage", filename="x.xlsx"
        )
        assert report.errors[0].code == "bad_xlsx"

    def test_a_row_with_the_wrong_number_of_fields_is_located(self) -> None:
        report = self.import_csv("entry_id,surname,category\nA,Mora,wanted,extra\n")
        assert [(e.line, e.code) for e in report.errors] == [(2, "wrong_field_count")]

    def test_semicolons_and_windows_1252_from_a_spanish_excel_are_read(self) -> None:
        data = "entry_id;apellidos;nombres;categoría\nS1;Muñoz;José;buscado\n".encode("cp1252")
        report = services.watchlist_import(
            user=self.wendy,
            watchlist=self.watchlist,
            data=data,
            filename="lista.csv",
            mapping={"apellidos": "surname", "nombres": "given_names", "categoría": "category"},
        )
        assert report.ok, report.errors
        alert = PersonAlert.objects.get(external_id="S1")
        assert (alert.surname, alert.given_names, alert.category) == ("Muñoz", "José", "wanted")

    def test_progress_is_reported_up_to_the_total(self) -> None:
        calls: list[tuple[int, int]] = []
        self.import_csv(
            "entry_id,surname,category\n" + "".join(f"P{i},Mora,wanted\n" for i in range(1200)),
            progress=lambda done, total: calls.append((done, total)),
        )
        assert calls and calls[-1][0] == calls[-1][1] == 2400
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    def test_only_watchlist_managers_and_administrators_import(self) -> None:
        for user in (self.alice, self.sofia, self.ana):
            with pytest.raises(PermissionDenied):
                services.watchlist_import(
                    user=user, watchlist=self.watchlist, data=b"entry_id\n", filename="x.csv"
                )
        assert AuditEntry.objects.filter(action="denied", object_id="watchlists").count() == 3
        report = services.watchlist_import(
            user=self.admin,
            watchlist=self.watchlist,
            data=b"entry_id,surname,category\nA9,Mora,wanted\n",
            filename="x.csv",
        )
        assert report.ok


class XlsxAndMappingTests(ScreeningTestCase):
    def test_an_xlsx_with_its_own_column_titles_is_imported_through_a_mapping(self) -> None:
        data = xlsx(
            [
                [
                    "Código",
                    "Apellidos",
                    "Nombres",
                    "Fecha de nacimiento",
                    "País",
                    "Tipo de alerta",
                    "Ignorada",
                ],
                [
                    1001,
                    "Vargas Solís",
                    "Ana",
                    datetime.datetime(1979, 3, 5),
                    "Nicaragua",
                    "Entrada denegada",
                    "x",
                ],
                [1002, "Quirós", "Luis", "1990", "CRI", "notificación roja", ""],
            ]
        )
        mapping = {
            "Código": "entry_id",
            "Apellidos": "surname",
            "Nombres": "given_names",
            "Fecha de nacimiento": "birth_date",
            "País": "nationality",
            "Tipo de alerta": "category",
        }
        report = services.watchlist_import(
            user=self.wendy, watchlist=self.watchlist, data=data, filename="lista.xlsx", mapping=mapping
        )
        assert report.ok, report.errors
        assert report.warnings == ["column 'Ignorada' is not used"]
        first = PersonAlert.objects.get(external_id="1001")
        assert (first.birth_date, first.nationality, first.category) == ("1979-03-05", "NIC", "refused_entry")
        assert PersonAlert.objects.get(external_id="1002").category == "wanted"

    def test_xlsx_errors_name_the_row_the_column_and_the_cell(self) -> None:
        before = alert_counts()
        data = xlsx([["entry_id", "surname", "birth_date", "category"], ["X1", "Mora", "1980", "spy"]])
        report = services.watchlist_import(
            user=self.wendy, watchlist=self.watchlist, data=data, filename="a.xlsx"
        )
        assert [(e.line, e.column, e.cell) for e in report.errors] == [(2, "category", "D2")]
        assert alert_counts() == before

    def test_the_mapping_form_guesses_spanish_and_english_titles(self) -> None:
        guessed = importers.guess_mapping(
            [
                "ID",
                "Apellidos",
                "Nombres",
                "Fecha de Nacimiento",
                "Nacionalidad",
                "Sexo",
                "Categoría",
                "Otra",
            ],
            "persons",
        )
        assert guessed == {
            "ID": "entry_id",
            "Apellidos": "surname",
            "Nombres": "given_names",
            "Fecha de Nacimiento": "birth_date",
            "Nacionalidad": "nationality",
            "Sexo": "sex",
            "Categoría": "category",
            "Otra": "",
        }
        assert importers.detect_kind(["Número de documento", "Estado emisor", "Motivo", "id"]) == "documents"

    def test_a_mapping_to_a_column_we_do_not_have_is_an_error(self) -> None:
        report = services.watchlist_import(
            user=self.wendy,
            watchlist=self.watchlist,
            data=b"a,b\n1,2\n",
            filename="x.csv",
            mapping={"a": "entry_id", "b": "shoe_size"},
            kind="persons",
        )
        assert report.errors[0].code == "bad_mapping" and report.errors[0].column == "b"


class DocumentImportTests(ScreeningTestCase):
    def test_document_alerts_are_stored_normalised(self) -> None:
        report = self.import_csv(
            "entry_id,issuing_state,document_type,number,reason,date\n"
            "D2,Costa Rica,pasaporte,a-12 345 678,robado,14/05/2023\n"
        )
        assert report.ok and report.kind == "documents"
        alert = DocumentAlert.objects.get(external_id="D2")
        assert (alert.issuing_state, alert.document_type, alert.number, alert.reason) == (
            "CRI",
            "P",
            "A12345678",
            "stolen",
        )
        assert alert.reported_on == datetime.date(2023, 5, 14)

    def test_bad_document_rows_are_located(self) -> None:
        report = self.import_csv(
            "entry_id,issuing_state,number,reason\nD3,Narnia,123,stolen\nD4,NIC,,lost\nD5,NIC,9,misplaced\n"
        )
        assert {(e.line, e.column) for e in report.errors} == {
            (2, "issuing_state"),
            (3, "number"),
            (4, "reason"),
        }
        assert not DocumentAlert.objects.filter(external_id__in=["D3", "D4", "D5"]).exists()


class IncrementalAndFullTests(ScreeningTestCase):
    def test_an_incremental_file_changes_only_what_differs_and_bumps_versions(self) -> None:
        report = self.import_csv(
            "entry_id,surname,given_names,birth_date,nationality,sex,category,note\n"
            "W-WANTED,Pérez Castillo,Juan Carlos,1980-02-03,NIC,M,wanted,Now believed to be in Managua.\n"
            "W-REFUSED,González Ulate,Pedro,1975,COL,M,refused_entry,\n"
            "W-NEW,Rojas,Marta,,,F,notify_on_arrival,\n"
        )
        assert (report.created, report.updated, report.unchanged, report.removed) == (1, 1, 1, 0)
        wanted = PersonAlert.objects.get(external_id="W-WANTED")
        assert wanted.version == 2 and wanted.note == "Now believed to be in Managua."
        assert wanted.aliases == []  # the file is the alert now: no aliases column, no aliases
        assert PersonAlert.objects.get(external_id="W-REFUSED").version == 1
        assert PersonAlert.objects.filter(removed_at__isnull=True).count() == 5

    def test_a_removal_file_needs_only_ids_and_warns_of_unknown_ones(self) -> None:
        report = self.import_csv("entry_id,remove\nW-NOTIFY,yes\nW-GHOST,sí\n")
        assert report.ok and report.removed == 1
        assert report.warnings == ["1 removals of entries not on the list: W-GHOST"]
        removed = PersonAlert.objects.get(external_id="W-NOTIFY")
        assert removed.removed_at is not None and removed.version == 2

    def test_a_full_file_removes_what_it_does_not_list_and_lists_again_what_it_does(self) -> None:
        self.import_csv("entry_id,remove\nW-NOTIFY,yes\n")
        report = self.import_csv(
            "entry_id,surname,given_names,birth_date,nationality,sex,category,action\n"
            "W-NOTIFY,Chen,Wei,1990-10,CHN,M,notify_on_arrival,Notify the liaison office.\n",
            mode="full",
        )
        assert (report.restored, report.removed) == (1, 3)
        live = set(PersonAlert.objects.filter(removed_at__isnull=True).values_list("external_id", flat=True))
        assert live == {"W-NOTIFY"}
        assert DocumentAlert.objects.get(external_id="D-STOLEN").removed_at is None  # persons only

    def test_a_removal_row_still_needs_a_sensible_flag(self) -> None:
        report = self.import_csv("entry_id,remove\nW-NOTIFY,perhaps\n")
        assert [(e.line, e.column, e.code) for e in report.errors] == [(2, "remove", "bad_remove")]


class ImportJobTests(ScreeningTestCase):
    def test_a_job_keeps_the_file_until_it_runs_then_keeps_the_report(self) -> None:
        job = services.import_job_create(
            user=self.wendy,
            watchlist=self.watchlist,
            data="Código,Apellidos,Nombres,Categoría\nJ1,Mora,Luis,buscado\n".encode(),
            filename="lista.csv",
        )
        assert job.columns == ["Código", "Apellidos", "Nombres", "Categoría"]
        assert job.mapping == {
            "Código": "entry_id",
            "Apellidos": "surname",
            "Nombres": "given_names",
            "Categoría": "category",
        }
        job = services.import_job_start(
            user=self.wendy, job=job, mapping=job.mapping, mode="incremental", kind="persons"
        )
        assert job.status == "queued" and not PersonAlert.objects.filter(external_id="J1").exists()
        job = run_worker(job)
        assert job.status == "done" and job.report["created"] == 1 and bytes(job.data) == b""
        assert PersonAlert.objects.filter(external_id="J1").exists()

    def test_a_rejected_file_is_reported_on_the_job(self) -> None:
        job = services.import_job_create(
            user=self.wendy,
            watchlist=self.watchlist,
            data=b"entry_id,surname,category\nJ2,Mora,nope\n",
            filename="x.csv",
        )
        job = services.import_job_start(
            user=self.wendy, job=job, mapping=job.mapping, mode="incremental", kind="persons"
        )
        job = run_worker(job)
        assert job.status == "rejected"
        assert job.report["errors"][0]["line"] == 2 and job.report["errors"][0]["column"] == "category"

    def test_an_unexpected_error_is_recorded_on_the_job_and_nothing_is_imported(self) -> None:
        job = services.import_job_create(
            user=self.wendy,
            watchlist=self.watchlist,
            data=b"entry_id,surname,category\nJ3,Mora,wanted\n",
            filename="x.csv",
        )
        job = services.import_job_start(
            user=self.wendy, job=job, mapping=job.mapping, mode="full", kind="persons"
        )
        with mock.patch.object(services, "_activate", side_effect=RuntimeError("disk full")):
            job = run_worker(job)
        assert job.status == "failed" and "disk full" in job.error
        assert not PersonAlert.objects.filter(external_id="J3").exists()
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()  # staged rows discarded
        assert ImportJob.objects.get(pk=job.pk).finished_at is not None


def workbook_with_part(name: str, content: bytes) -> bytes:
    """A valid workbook with one more part in its zip (deflated), as a crafted file would carry."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(
            io.BytesIO(xlsx([["entry_id", "surname", "category"], ["Z1", "Mora", "wanted"]]))
        ) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr(name, content)
    return buffer.getvalue()


class HostileFileTests(ScreeningTestCase):
    def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(self) -> None:
        bomb = workbook_with_part("xl/media/padding.xml", b" " * (40 * 1024 * 1024))
        assert len(bomb) < 200_000
        started = time.perf_counter()
        with mock.patch("openpyxl.load_workbook") as opened:
            report = self.import_csv_bytes(bomb, filename="bomba.xlsx")
        assert time.perf_counter() - started < 5 and not opened.called
        assert [e.code for e in report.errors] == ["zip_bomb"]
        assert "inflates" in report.errors[0].message and "padding.xml" in report.errors[0].message
        assert not PersonAlert.objects.filter(external_id="Z1").exists()

    def test_a_workbook_inflating_beyond_the_total_cap_is_refused(self) -> None:
        data = xlsx([["entry_id", "surname", "category"], ["Z1", "Mora", "wanted"]])
        with mock.patch.object(importers, "MAX_XLSX_UNCOMPRESSED", 1000):
            report = self.import_csv_bytes(data, filename="big.xlsx")
        assert [e.code for e in report.errors] == ["zip_bomb"] and "split the list" in report.errors[
            0
        ].message

    def test_a_huge_cell_is_refused_and_the_report_echoes_only_its_start(self) -> None:
        huge = "A" * 2_000_000
        data = xlsx([["entry_id", "surname", "category", "note"], ["Z1", "Mora", "wanted", huge]])
        report = self.import_csv_bytes(data, filename="nota.xlsx")
        assert [(e.line, e.column, e.code, e.cell) for e in report.errors] == [(2, "note", "too_long", "D2")]
        assert len(report.errors[0].value) <= importers.REPORT_VALUE_CHARS
        assert len(json.dumps(report.as_dict())) < 5_000

    def test_every_echoed_value_and_message_is_cut_short(self) -> None:
        category = "x" * 5_000
        report = self.import_csv(f"entry_id,surname,category\nZ1,Mora,{category}\n")
        assert [e.code for e in report.errors] == ["bad_category"]
        assert len(report.errors[0].value) <= importers.REPORT_VALUE_CHARS
        assert len(report.errors[0].message) <= importers.REPORT_MESSAGE_CHARS
        assert len(json.dumps(report.as_dict())) < 5_000

    def test_a_header_that_is_not_a_header_is_refused(self) -> None:
        report = self.import_csv("entry_id," + "t" * 5000 + ",category\nZ1,Mora,wanted\n")
        assert [e.code for e in report.errors] == ["header_too_long"]
        assert len(json.dumps(report.as_dict())) < 2_000
        data = xlsx([["entry_id", "s" * 5000, "category"]])
        assert [e.code for e in self.import_csv_bytes(data, filename="h.xlsx").errors] == ["header_too_long"]

    def test_a_binary_file_posing_as_csv_is_refused_clearly(self) -> None:
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
        assert [(e.code, e.message) for e in self.import_csv_bytes(png, filename="lista.csv").errors] == [
            ("binary_file", "this is an image (PNG), not a CSV file")
        ]
        xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
        assert "old Excel workbook (.xls)" in self.import_csv_bytes(xls, filename="l.csv").errors[0].message
        noise = bytes((n * 7919) % 256 for n in range(5000))
        errors = self.import_csv_bytes(noise, filename="l.csv").errors
        assert [e.code for e in errors] == ["binary_file"] and "binary file" in errors[0].message
        with self.assertRaises(ApplicationError) as refused:
            services.import_job_create(user=self.wendy, watchlist=self.watchlist, data=png, filename="x.csv")
        assert "PNG" in refused.exception.message

    def import_csv_bytes(self, data: bytes, *, filename: str) -> services.ImportReport:
        return services.watchlist_import(
            user=self.wendy, watchlist=self.watchlist, data=data, filename=filename
        )


class FailOpenTests(ScreeningTestCase):
    def test_unusable_attributes_are_kept_as_written_flagged_and_the_name_still_screened(self) -> None:
        report = self.import_csv(
            "entry_id,surname,given_names,birth_date,nationality,sex,category\n"
            "U1,Mora,Luis,1974-01-32,Narnia,Q,wanted\n"
            "U2,Soto,Ana,1969-7-16,Ivory Coast,F,wanted\n"
            "U3,Vega,Rosa,,Corea del Sur,F,wanted\n"
            "U4,Rojas,Eva,,Democratic Republic of the Congo,F,wanted\n"
        )
        assert report.ok and report.created == 4
        assert {(f.line, f.column) for f in report.flags} == {
            (2, "birth_date"),
            (2, "nationality"),
            (2, "sex"),
        }
        assert "kept as written" in report.flags[0].message
        u1 = PersonAlert.objects.get(external_id="U1")
        assert (u1.birth_date, u1.nationality, u1.sex) == ("", "", "")
        assert u1.as_written == {"birth_date": "1974-01-32", "nationality": "Narnia", "sex": "Q"}
        assert PersonAlert.objects.get(external_id="U2").nationality == "CIV"
        assert PersonAlert.objects.get(external_id="U2").birth_date == "1969-07-16"
        assert PersonAlert.objects.get(external_id="U3").nationality == "KOR"
        assert PersonAlert.objects.get(external_id="U4").nationality == "COD"
        screened = selectors.screening_run(
            traveller=Traveller(Name(surname="MORA", given_names="LUIS"), None, "CRI", "M", "", "")
        )
        assert [m.alert.external_id for m in screened.persons] == ["U1"]
        assert report.as_dict()["flagged"] == 3

    def test_a_document_alert_reads_its_issuing_state_through_the_resolver(self) -> None:
        report = self.import_csv(
            "entry_id,issuing_state,number,reason\nR1,Costa de Marfil,X123,stolen\nR2,Narnia,X124,lost\n"
        )
        assert [(e.line, e.code) for e in report.errors] == [(3, "bad_issuing_state")]
        report = self.import_csv("entry_id,issuing_state,number,reason\nR1,Costa de Marfil,X123,stolen\n")
        assert report.ok and DocumentAlert.objects.get(external_id="R1").issuing_state == "CIV"


class RowRuleTests(ScreeningTestCase):
    def test_a_future_birth_date_and_a_validity_already_past_are_refused(self) -> None:
        today = datetime.date(2026, 6, 15)
        with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
            report = self.import_csv(
                "entry_id,surname,birth_date,category,valid_until\n"
                "F1,Mora,2027,wanted,\n"
                "F2,Mora,2026-06-16,wanted,\n"
                "F3,Mora,2026-06,wanted,\n"  # this month: possible
                f"F4,Mora,1980,wanted,{today - datetime.timedelta(days=1)}\n"
                f"F5,Mora,1980,wanted,{today}\n"  # ends today: still hits today
            )
        assert sorted((e.line, e.column, e.code) for e in report.errors) == [
            (2, "birth_date", "future_birth_date"),
            (3, "birth_date", "future_birth_date"),
            (5, "valid_until", "past_validity"),
        ]
        assert not PersonAlert.objects.filter(external_id__startswith="F").exists()

    def test_a_duplicate_entry_id_is_reported_even_when_its_first_row_is_wrong(self) -> None:
        report = self.import_csv(
            "entry_id,surname,birth_date,category\nD1,Mora,1980,nope\nD1,Mora,1980,wanted\nD1,Mora,1980,spy\n"
        )
        located = sorted((e.line, e.column, e.code) for e in report.errors)
        assert located == [
            (2, "category", "bad_category"),
            (3, "entry_id", "duplicate_entry_id"),
            (4, "category", "bad_category"),
            (4, "entry_id", "duplicate_entry_id"),
        ]
        assert "already on line 2" in next(e.message for e in report.errors if e.line == 3)

    def test_spanish_titles_as_registries_write_them_are_guessed(self) -> None:
        columns = ["Nº", "Apellidos", "Nombre(s)", "F. Nac.", "Tipo", "Observación"]
        assert importers.guess_mapping(columns, "persons") == {
            "Nº": "",
            "Apellidos": "surname",
            "Nombre(s)": "given_names",
            "F. Nac.": "birth_date",
            "Tipo": "category",
            "Observación": "note",
        }
        documents = ["Referencia", "País emisor", "Tipo", "Número", "Motivo", "Observación"]
        assert importers.guess_mapping(documents, "documents")["Tipo"] == "document_type"
        assert importers.detect_kind(documents) == "documents"


class RealListTests(ScreeningTestCase):
    def test_the_un_list_entries_import_whole_with_their_nationalities_as_written(self) -> None:
        """The shared real UN Security Council list entries (names, genders, birth dates, nationalities
        as the list writes them), given ids and a category: every entry is imported, none refused."""
        import csv
        from pathlib import Path

        from django.conf import settings

        path = Path(settings.CORREDOR_SHARED_DATA) / "screening" / "un_list_variants_dev.csv"
        if not path.is_file():
            pytest.skip(f"{path} is not here (a clone without ../shared/data)")
        with path.open(encoding="utf-8") as source:
            rows = list(csv.DictReader(source))
        listed = {
            (r["listed_full_name"], r["listed_gender"], r["listed_date_of_birth"], r["listed_nationality"])
            for r in rows
        }
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Referencia", "Nombre completo", "Sexo", "F. Nac.", "Nacionalidad", "Tipo"])
        for n, (name, sex, born, nationality) in enumerate(sorted(listed)):
            writer.writerow([f"UN-{n}", name, sex, born, nationality, "buscado"])
        mapping = importers.guess_mapping(next(csv.reader(io.StringIO(out.getvalue()))), "persons")
        assert set(mapping.values()) == {
            "entry_id",
            "full_name",
            "sex",
            "birth_date",
            "nationality",
            "category",
        }
        report = self.import_csv(out.getvalue(), mapping=mapping, filename="un.csv")
        assert report.ok, report.errors[:5]
        assert report.created == len(listed)
        stored = PersonAlert.objects.filter(external_id__startswith="UN-")
        assert stored.count() == len(listed)
        # The list writes nationalities as lower-case alpha-2 codes ("af", "kp"): every one is read.
        given = sum(1 for entry in listed if entry[3])
        assert stored.exclude(nationality="").count() == given and not report.flags
        assert stored.filter(nationality="PRK").exists() and stored.filter(nationality="AFG").exists()
