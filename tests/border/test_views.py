"""The desk and the supervisor's pages through the test client: scan, decide, record; who may see what;
the language switch."""

import csv
import io
import re
from datetime import date

from django.test import Client

from corredor.border.models import Crossing, Stay
from corredor.core.models import AuditEntry
from tests.factories import (
    DocumentInputFactory,
    SupervisorFactory,
    break_check_digit,
    mrz_for,
    record,
    row_counts,
)
from tests.personas import PersonaTestCase

DAY = date(2024, 3, 1)


class ViewTestCase(PersonaTestCase):
    def client_for(self, user: object) -> Client:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        return client


class DeskTests(ViewTestCase):
    def test_desk_has_the_mrz_box_with_autofocus(self) -> None:
        response = self.client_for(self.alice).get("/desk/")
        assert response.status_code == 200
        html = response.content.decode()
        assert re.search(r"<textarea id=\"mrz\" name=\"mrz\"[^>]*\bautofocus\b", html)
        assert 'hx-post="/desk/scan/"' in html
        assert "SJO" in html

    def test_desk_needs_login(self) -> None:
        response = Client().get("/desk/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_scan_shows_the_document_and_the_decision(self) -> None:
        doc = DocumentInputFactory(surname="QUESADA", given_names="MARTA", number="C0123456")
        response = self.client_for(self.alice).post("/desk/scan/", {"mrz": mrz_for(doc)})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-valid="true"' in html
        assert "QUESADA" in html and "C0123456" in html
        for action in ("entry", "exit", "refuse", "refer"):
            assert f'name="action" value="{action}"' in html
        assert re.search(r'value="entry"[^>]*data-default', html)  # first time: admit is the default
        assert 'value="90"' in html  # the days the rule allows, prefilled

    def test_a_national_is_prefilled_as_a_national_and_a_foreigner_as_a_tourist(self) -> None:
        client = self.client_for(self.alice)
        national = DocumentInputFactory(issuing_state="CRI", nationality="CRI", number="C7654321")
        html = client.post("/desk/scan/", {"mrz": mrz_for(national)}).content.decode()
        assert '<option value="national" selected>' in html
        foreign = DocumentInputFactory(nationality="COL", number="C7654322")
        html = client.post("/desk/scan/", {"mrz": mrz_for(foreign)}).content.decode()
        assert '<option value="tourist" selected>' in html

    def test_scan_with_a_bad_check_digit_shows_the_error(self) -> None:
        mrz = break_check_digit(mrz_for(DocumentInputFactory()))
        response = self.client_for(self.alice).post("/desk/scan/", {"mrz": mrz})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-valid="false"' in html
        assert 'data-code="check_digit"' in html
        assert 'id="manual-form"' in html  # the officer can type the document in instead
        assert Crossing.objects.count() == 0

    def test_empty_scan_says_what_to_do(self) -> None:
        response = self.client_for(self.alice).post("/desk/scan/", {"mrz": "  "})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()

    def test_record_then_the_next_scan_shows_the_history(self) -> None:
        client = self.client_for(self.alice)
        doc = DocumentInputFactory(surname="VUELVE")
        mrz = mrz_for(doc)
        response = client.post(
            "/desk/record/", {"mrz": mrz, "action": "entry", "stay_category": "tourist", "stay_days": "30"}
        )
        assert response.status_code == 200, response.content
        crossing = Crossing.objects.get()
        assert f'data-recorded="{crossing.pk}"' in response.content.decode()
        assert (crossing.post_id, crossing.officer, crossing.direction, crossing.decision) == (
            "SJO",
            self.alice,
            "entry",
            "admitted",
        )
        assert Stay.objects.get(entry=crossing).granted_days == 30

        html = client.post("/desk/scan/", {"mrz": mrz}).content.decode()
        assert f'href="/travellers/{crossing.traveller_id}/"' in html
        assert re.search(r"<td>SJO</td>", html)
        assert re.search(r'value="exit"[^>]*data-default', html)  # in the country: exit is the default

    def test_refusal_records_no_stay(self) -> None:
        response = self.client_for(self.alice).post(
            "/desk/record/",
            {
                "mrz": mrz_for(DocumentInputFactory()),
                "action": "refuse",
                "stay_category": "tourist",
                "refusal_ground": "E",
            },
        )
        assert response.status_code == 200
        crossing = Crossing.objects.get()
        assert (crossing.direction, crossing.decision) == ("entry", "refused")
        assert Stay.objects.count() == 0

    def test_record_refused_by_the_rules_shows_why_and_writes_nothing(self) -> None:
        client = self.client_for(self.alice)
        before = row_counts()
        response = client.post(
            "/desk/record/",
            {
                "mrz": mrz_for(DocumentInputFactory()),
                "action": "entry",
                "stay_category": "tourist",
                "stay_days": "91",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'role="alert"' in html and "90" in html
        assert row_counts() == before

    def test_record_with_a_broken_mrz_writes_nothing(self) -> None:
        client = self.client_for(self.alice)
        before = row_counts()
        mrz = break_check_digit(mrz_for(DocumentInputFactory()))
        response = client.post("/desk/record/", {"mrz": mrz, "action": "entry", "stay_category": "tourist"})
        assert response.status_code == 400
        assert row_counts() == before

    def test_manual_document_path(self) -> None:
        client = self.client_for(self.alice)
        fields = {
            "document_code": "I",
            "issuing_state": "PAN",
            "number": "8-123-456",
            "surname": "Batista",
            "given_names": "Rubén",
            "nationality": "PAN",
            "birth_date": "1979-05-04",
            "sex": "M",
            "expiry_date": "",
        }
        shown = client.post("/desk/manual/", fields)
        assert shown.status_code == 200
        html = shown.content.decode()
        assert "8-123-456" in html and 'name="action" value="entry"' in html
        assert 'name="surname" value="Batista"' in html  # carried to the decision form

        recorded = client.post(
            "/desk/record/",
            {**fields, "mrz": "", "action": "entry", "stay_category": "business", "stay_days": ""},
        )
        assert recorded.status_code == 200, recorded.content
        crossing = Crossing.objects.get()
        assert (crossing.document.number, crossing.document.surname, crossing.document.mrz) == (
            "8-123-456",
            "BATISTA",
            "",
        )
        assert Stay.objects.get(entry=crossing).granted_days == 30  # business: 30 days

    def test_manual_form_errors_are_shown_by_field(self) -> None:
        response = self.client_for(self.alice).post(
            "/desk/manual/",
            {"document_code": "P", "issuing_state": "PAN", "number": "", "nationality": "PAN", "sex": "M"},
        )
        assert response.status_code == 422
        assert 'class="field has-error"' in response.content.decode()

    def test_an_officer_records_at_their_own_post_whatever_the_form_says(self) -> None:
        response = self.client_for(self.bob).post(
            "/desk/record/",
            {
                "mrz": mrz_for(DocumentInputFactory()),
                "action": "entry",
                "stay_category": "tourist",
                "post": "SJO",
            },
        )
        assert response.status_code == 200
        assert Crossing.objects.get().post_id == "PBL"

    def test_allowance_fragment_for_a_category(self) -> None:
        response = self.client_for(self.alice).get(
            "/desk/allowance/", {"stay_category": "tourist", "nationality_code": "USA"}
        )
        assert response.status_code == 200
        assert 'max="180"' in response.content.decode()


class PermissionPageTests(ViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pedro = SupervisorFactory(username="pedro", border_post_id="PBL")
        cls.at_sjo = record(cls.alice, DocumentInputFactory(surname="SANJOSE"), on=DAY, stay_days=10)
        cls.at_pbl = record(cls.bob, DocumentInputFactory(surname="PENAS"), on=DAY, stay_days=10)

    def test_analyst_is_refused_personal_data_pages(self) -> None:
        client = self.client_for(self.ana)
        traveller = self.at_sjo.crossing.traveller_id
        for path in (
            "/desk/",
            "/travellers/?q=SANJOSE",
            f"/travellers/{traveller}/",
            "/overstays/",
            "/post/day/",
        ):
            response = client.get(path)
            assert response.status_code == 403, path
            html = response.content.decode()
            assert 'data-status="403"' in html, path
            assert self.at_sjo.crossing.document.number not in html, path
        response = client.post("/desk/scan/", {"mrz": mrz_for(DocumentInputFactory())})
        assert response.status_code == 403

    def test_analyst_is_refused_the_empty_traveller_search(self) -> None:
        assert self.client_for(self.ana).get("/travellers/").status_code == 403

    def test_officers_home_is_the_desk_and_analysts_home_the_statistics(self) -> None:
        assert self.client_for(self.alice).get("/")["Location"] == "/desk/"
        assert self.client_for(self.ana).get("/")["Location"] == "/statistics/"

    def test_bob_cannot_see_sjos_day_list(self) -> None:
        response = self.client_for(self.bob).get("/post/day/", {"post": "SJO", "day": DAY.isoformat()})
        assert response.status_code == 403
        assert "SANJOSE" not in response.content.decode()
        # Nor can PBL's supervisor: asking for SJO shows PBL's own day.
        html = (
            self.client_for(self.pedro)
            .get("/post/day/", {"post": "SJO", "day": DAY.isoformat()})
            .content.decode()
        )
        assert "PENAS" in html and "SANJOSE" not in html

    def test_the_desk_works_for_the_officers_own_post(self) -> None:
        response = self.client_for(self.bob).post(
            "/desk/scan/", {"mrz": mrz_for(DocumentInputFactory()), "post": "SJO"}
        )
        # The desk works for bob's own post whatever the form says.
        assert response.status_code == 200
        assert 'name="post" value="PBL"' in response.content.decode()

    def test_supervisor_sees_the_posts_day(self) -> None:
        response = self.client_for(self.sofia).get("/post/day/", {"day": DAY.isoformat()})
        assert response.status_code == 200
        html = response.content.decode()
        assert "SANJOSE" in html and "PENAS" not in html
        assert re.search(r"<strong>1</strong>", html)  # one entry that day

    def test_officer_cannot_see_the_posts_day_or_overstays(self) -> None:
        client = self.client_for(self.alice)
        assert client.get("/post/day/").status_code == 403
        assert client.get("/overstays/").status_code == 403

    def test_supervisor_sees_overstays_and_downloads_csv(self) -> None:
        client = self.client_for(self.sofia)
        html = client.get("/overstays/", {"as_of": "2024-03-20"}).content.decode()
        assert "SANJOSE" in html and "PENAS" not in html
        response = client.get("/overstays/", {"as_of": "2024-03-20", "format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="overstays-2024-03-20.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:3] == ["traveller_id", "surname", "given_names"]
        assert rows[0][-1] == "days_over"
        assert len(rows) == 2
        row = dict(zip(rows[0], rows[1], strict=True))
        assert (row["surname"], row["authorised_until"], row["days_over"], row["entry_post"]) == (
            "SANJOSE",
            "2024-03-10",
            "10",
            "SJO",
        )

    def test_traveller_page_shows_the_record_and_audits_the_read(self) -> None:
        traveller = self.at_sjo.crossing.traveller_id
        response = self.client_for(self.alice).get(f"/travellers/{traveller}/")
        assert response.status_code == 200
        assert "SANJOSE" in response.content.decode()
        entry = AuditEntry.objects.filter(action="read", object_id=str(traveller)).get()
        assert (entry.username, entry.role) == ("alice", "officer")

    def test_traveller_search(self) -> None:
        html = self.client_for(self.alice).get("/travellers/", {"q": "sanjose"}).content.decode()
        assert f'href="/travellers/{self.at_sjo.crossing.traveller_id}/"' in html

    def test_supervisor_corrects_from_the_traveller_page(self) -> None:
        crossing = self.at_sjo.crossing
        response = self.client_for(self.sofia).post(
            f"/crossings/{crossing.pk}/correct/",
            {"reason": "was refused", "decision": "refused", "refusal_ground": "C"},
        )
        assert response.status_code == 200
        assert Crossing.objects.get(corrects=crossing).decision == "refused"

    def test_auditor_sees_the_audit_log_and_officer_does_not(self) -> None:
        response = self.client_for(self.aud).get("/audit/")
        assert response.status_code == 200
        assert "crossing" in response.content.decode()  # the crossings' create entries
        response = self.client_for(self.alice).get("/audit/")
        assert response.status_code == 403
        assert AuditEntry.objects.filter(action="denied", username="alice", object_id="audit_log").exists()

    def test_audit_log_filters_by_person(self) -> None:
        self.client_for(self.bob).get("/desk/")
        html = self.client_for(self.aud).get("/audit/", {"who": "bob"}).content.decode()
        assert "<td>bob</td>" in html and "<td>alice</td>" not in html


class LanguageTests(ViewTestCase):
    def test_spanish_by_default_then_english_after_the_switch(self) -> None:
        client = self.client_for(self.alice)
        html = client.get("/desk/").content.decode()
        assert '<html lang="es">' in html
        assert "Cerrar sesión" in html
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/desk/"})
        assert response.status_code == 302
        html = client.get("/desk/").content.decode()
        assert '<html lang="en">' in html
        assert "Log out" in html and "Cerrar sesión" not in html
        assert "Read document" in html

    def test_error_messages_follow_the_language(self) -> None:
        client = self.client_for(self.ana)
        spanish = client.get("/overstays/").content.decode()
        client.post("/i18n/setlang/", {"language": "en"})
        english = client.get("/overstays/").content.decode()
        assert "Only supervisors and administrators can see this." in english
        assert "Only supervisors and administrators can see this." not in spanish
