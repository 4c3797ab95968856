"""Kobo / ODK registration exports: read as the tools write them, all or nothing, located errors."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command

from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.models import AuditEntry
from corredor.displacement import kobo, services
from corredor.displacement.models import Household, Individual
from tests.displacement.helpers import EmergencyTestCase

U1, U2, U3 = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
KOBO = (
    "start;end;group_hh/household_ref;group_hh/site_code;group_member/surname;group_member/given_names;"
    "group_member/sex;group_member/birth_date;group_member/vulnerabilities;group_hh/consent_referral;_uuid;_index\n"
    f";;HH-1;ALB-1;Joseph;Marie Rose;female;1984-03-02;pregnant female_head;yes;{U1};1\n"
    f";;HH-1;ALB-1;Joseph;Wilner;male;2015;;yes;{U2};2\n"
    f";;HH-2;ALB-2;Pierre;Frantz;male;1970-05;disability;no;{U3};3\n"
)
ODK = (
    "SubmissionDate,household-household_ref,household-site_code,member-surname,member-given_names,member-sex,"
    "member-age_group,member-vulnerabilities,household-consent_referral,meta-instanceID\n"
    f"2026-10-06,HH-9,ALB-2,Mora,Ana,f,adults,,no,uuid:{uuid.UUID(int=9)}\n"
)


def test_column_names_from_either_tool() -> None:
    assert kobo.column_name("group_member/surname") == "surname"
    assert kobo.column_name("member-given_names") == "given_names"
    assert kobo.column_name("meta-instanceID") == "submission_id"
    assert kobo.column_name("_uuid") == "submission_id"


def test_age_group_from_birth_date() -> None:
    today = datetime.date(2026, 10, 6)
    assert kobo.age_group_of("2009-10-07", today) == "children"
    assert kobo.age_group_of("2008-10-06", today) == "adults"
    assert kobo.age_group_of("1966", today) == "elderly"


class Import(EmergencyTestCase):
    def test_kobo_csv_imports_and_reimport_adds_nothing(self) -> None:
        result = services.registration_import(
            user=self.cora, event=self.event, data=KOBO.encode(), file_name="kobo.csv"
        )
        assert (result.households, result.individuals, result.skipped) == (2, 3, 0)
        marie = Individual.objects.get(given_names="Marie Rose")
        assert marie.vulnerabilities == ["pregnant", "female_head"] and marie.sex == "F"
        assert marie.household.consent_referral and marie.client_uuid == uuid.UUID(U1)
        assert Individual.objects.get(given_names="Wilner").age_group == "children"
        again = services.registration_import(
            user=self.cora, event=self.event, data=KOBO.encode(), file_name="kobo.csv"
        )
        assert (again.individuals, again.skipped) == (0, 3)
        assert Individual.objects.count() == 3
        assert AuditEntry.objects.filter(action="bulk", object_type="displacement.individual").count() == 2

    def test_odk_csv(self) -> None:
        result = services.registration_import(
            user=self.cora, event=self.event, data=ODK.encode(), file_name="odk.csv"
        )
        assert result.individuals == 1
        assert Individual.objects.get().client_uuid == uuid.UUID(int=9)

    def test_xlsx(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for line in KOBO.splitlines():
            sheet.append(line.split(";"))
        sheet["H2"] = datetime.datetime(1984, 3, 2)  # a date cell, as Excel keeps it
        out = io.BytesIO()
        book.save(out)
        result = services.registration_import(
            user=self.cora, event=self.event, data=out.getvalue(), file_name="kobo.xlsx"
        )
        assert result.individuals == 3
        assert Individual.objects.get(given_names="Marie Rose").birth_date == "1984-03-02"

    def test_errors_are_located_and_nothing_is_written(self) -> None:
        bad = (
            KOBO.replace(";Wilner;male;2015;", ";Wilner;robot;2015;")
            .replace("ALB-2;Pierre", "NOPE;Pierre")
            .replace("1984-03-02", "02/03/1984")
            .replace("pregnant female_head", "pregnant flying")
        )
        bad += f";;HH-3;ALB-1;Doe;;female;1990;;maybe;{U1};4\n"
        with pytest.raises(ApplicationError) as caught:
            services.registration_import(
                user=self.cora, event=self.event, data=bad.encode(), file_name="kobo.csv"
            )
        located = {(d["line"], d["field"]) for d in caught.value.detail}
        assert located == {
            (2, "birth_date"),
            (2, "vulnerabilities"),
            (3, "sex"),
            (4, "site_code"),
            (5, "given_names"),
            (5, "consent_referral"),
        }
        assert "nothing was imported" in caught.value.message
        assert not Household.objects.exists() and not Individual.objects.exists()

    def test_the_same_submission_twice_in_a_file(self) -> None:
        twice = KOBO + f";;HH-3;ALB-1;Doe;Jane;female;1990;;no;{U2};4\n"
        with pytest.raises(ApplicationError) as caught:
            services.registration_import(
                user=self.cora, event=self.event, data=twice.encode(), file_name="k.csv"
            )
        assert caught.value.detail[0]["line"] == 5 and "row 3" in caught.value.detail[0]["message"]

    def test_missing_columns_and_unreadable_files(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            services.registration_import(
                user=self.cora, event=self.event, data=b"surname,sex\nA,F\n", file_name="k.csv"
            )
        assert "household_ref" in caught.value.detail[0]["field"]
        with pytest.raises(ApplicationError):
            services.registration_import(
                user=self.cora, event=self.event, data=b"PK\x03\x04broken", file_name="k.xlsx"
            )
        with pytest.raises(ApplicationError):
            services.registration_import(
                user=self.cora, event=self.event, data=b"\xff\xfe\x00", file_name="k.csv"
            )

    def test_analyst_is_refused(self) -> None:
        with pytest.raises(PermissionDenied):
            services.registration_import(
                user=self.ana, event=self.event, data=KOBO.encode(), file_name="kobo.csv"
            )
        assert not Individual.objects.exists()

    def test_command(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "kobo.csv"
            path.write_text(KOBO, encoding="utf-8")
            out = io.StringIO()
            call_command(
                "displacement", "import-registrations", str(path), "--event", self.event.code, stdout=out
            )
        assert "2 households and 3 individuals registered" in out.getvalue()
