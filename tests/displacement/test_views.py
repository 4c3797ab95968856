"""The pages, the exports and the offline form's endpoint, by persona."""

import csv
import io
import json
import uuid
from typing import Any

from corredor.core.models import AuditEntry
from corredor.displacement import services
from corredor.displacement.models import AreaAssessment, Household, SiteAssessment
from tests.displacement.helpers import EmergencyTestCase, counts, new_id


class Pages(EmergencyTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for pcode, n in (("CR501", 40), ("CR701", 3)):
            services.area_assessment_submit(
                user=cls.enzo,
                round=cls.round1,
                area_pcode=pcode,
                reason="natural_disaster",
                shelter_type="site",
                counts=counts(females_adults=n, males_adults=n + 1),
                client_uuid=new_id(),
            )
        services.site_assessment_submit(
            user=cls.enzo,
            round=cls.round1,
            site=cls.site_a,
            counts=counts(females_adults=90, males_adults=80),
            needs={"wash": 3},
            client_uuid=new_id(),
        )
        cls.household = services.household_register(
            user=cls.enzo,
            site=cls.site_a,
            reference="HH-1",
            members=[services.MemberIn(surname="Mora", given_names="Ana", sex="F", birth_date="1990")],
            client_uuid=new_id(),
        )

    def test_coordinator_dashboard(self) -> None:
        self.client.force_login(self.cora)
        page = self.client.get("/emergencies/hurricane-test/")
        assert page.status_code == 200
        text = page.content.decode()
        assert 'data-round="1"' in text and 'data-pcode="CR501"' in text and 'data-site="ALB-1"' in text
        assert self.client.get("/emergencies/").status_code == 200
        assert self.client.get("/emergencies/hurricane-test/rounds/1/").status_code == 200
        assert self.client.get("/emergencies/hurricane-test/map/").status_code == 200
        data = self.client.get("/emergencies/hurricane-test/map.geojson?round=1").json()
        kinds = sorted(f["properties"]["kind"] for f in data["features"])
        assert kinds == ["site", "site"]

    def test_registrations_dashboard_on_duckdb(self) -> None:
        self.client.force_login(self.ana)
        page = self.client.get("/emergencies/hurricane-test/registrations/")
        assert page.status_code == 200
        text = page.content.decode()
        assert text.count("<strong>1</strong>") == 2 and "Mora" not in text
        from corredor.displacement.dashboard import dashboard_data, extract_fresh

        assert extract_fresh()
        services.household_register(
            user=self.cora,
            site=self.site_b,
            reference="HH-2",
            members=[
                services.MemberIn(surname="Rojas", given_names="Luis", sex="M", birth_date="2015"),
                services.MemberIn(
                    surname="Rojas",
                    given_names="Eva",
                    sex="F",
                    birth_date="1980",
                    vulnerabilities=("disability",),
                ),
            ],
            client_uuid=new_id(),
        )
        assert not extract_fresh()
        board = dashboard_data(user=self.ana, event=self.event)
        assert (board.individuals, board.households, board.duplicates) == (3, 2, 0)
        assert board.by_sex_age[("M", "children")] == 1 and board.by_sex_age[("F", "adults")] == 2
        assert board.by_site == [("ALB-1", 1, 1), ("ALB-2", 2, 1)]
        assert board.by_vulnerability == [("disability", 1)]
        self.client.force_login(self.eva)
        assert self.client.get("/emergencies/hurricane-test/registrations/").status_code == 403

    def test_enumerator_sees_what_they_collected_and_the_form(self) -> None:
        self.client.force_login(self.eva)
        page = self.client.get("/emergencies/hurricane-test/")
        assert page.status_code == 200 and "Albergue Liberia" not in page.content.decode()
        assert self.client.get("/emergencies/hurricane-test/collect/").status_code == 200
        assert self.client.get("/emergencies/hurricane-test/export/areas.csv").status_code == 403

    def test_hxl_export_withholds_small_cells(self) -> None:
        self.client.force_login(self.ana)
        response = self.client.get("/emergencies/hurricane-test/export/areas.csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[1][0] == "#adm+code" and "#affected+idps+f" in rows[1]
        by_pcode = {row[0]: row for row in rows[2:]}
        # Limón counts 3 women and 4 men: withheld (its total of 7 is published), and Liberia's cells with
        # them, else the totals would tell them.
        assert by_pcode["CR701"][6:9] == ["", "", "7"] and by_pcode["CR701"][-1] == "females males"
        assert by_pcode["CR501"][6:9] == ["", "", "81"]
        assert rows[-1][6:9] == ["43", "45", "88"]
        xlsx = self.client.get("/emergencies/hurricane-test/export/sites.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        registrations = self.client.get(
            "/emergencies/hurricane-test/export/registrations.csv"
        ).content.decode()
        assert "Mora" not in registrations and "#reached+f" in registrations
        assert AuditEntry.objects.filter(action="export", object_type="displacement.export").count() == 3

    def test_registration_pages_are_audited_and_refused_to_analysts(self) -> None:
        self.client.force_login(self.ana)
        assert self.client.get("/emergencies/hurricane-test/households/").status_code == 403
        assert (
            self.client.get(f"/emergencies/hurricane-test/households/{self.household.pk}/").status_code == 403
        )
        assert AuditEntry.objects.filter(action="denied", object_id="displacement:registration").count() == 2
        self.client.force_login(self.eva)
        assert (
            self.client.get(f"/emergencies/hurricane-test/households/{self.household.pk}/").status_code == 403
        )
        self.client.force_login(self.sam)
        page = self.client.get(f"/emergencies/hurricane-test/households/{self.household.pk}/")
        assert page.status_code == 200 and "Mora, Ana" in page.content.decode()
        assert AuditEntry.objects.filter(
            action="read", object_type="displacement.household", username="sam"
        ).exists()

    def test_officer_is_refused_everything(self) -> None:
        self.client.force_login(self.alice)
        for url in ("/emergencies/", "/emergencies/hurricane-test/", "/emergencies/hurricane-test/collect/"):
            assert self.client.get(url).status_code == 403, url


class OfflineEndpoint(EmergencyTestCase):
    def _post(self, body: dict[str, object]) -> object:
        return self.client.post(
            "/api/v1/displacement/submissions", json.dumps(body), content_type="application/json"
        )

    def test_submissions_are_stored_once(self) -> None:
        self.client.force_login(self.enzo)
        body = {
            "kind": "site_assessment",
            "client_uuid": str(uuid.uuid4()),
            "event": "hurricane-test",
            "round": 1,
            "site_code": "ALB-2",
            "counts": {"females_adults": 10, "males_adults": 8},
            "needs": {"food": 2},
        }
        assert self._post(body).status_code == 200
        assert self._post(body).status_code == 200
        assert SiteAssessment.objects.get().need_food == 2
        area = {**body, "kind": "area_assessment", "client_uuid": str(uuid.uuid4()), "area_pcode": "CR701"}
        del area["site_code"], area["needs"]
        assert self._post(area).status_code == 200
        assert AreaAssessment.objects.get().individuals == 18

    def test_bad_submission_is_refused_with_its_field(self) -> None:
        self.client.force_login(self.enzo)
        response = self._post(
            {
                "kind": "site_assessment",
                "client_uuid": str(uuid.uuid4()),
                "event": "hurricane-test",
                "round": 1,
                "site_code": "ALB-2",
                "counts": {"males_adults": -1},
            }
        )
        assert response.status_code == 422
        response = self._post(
            {
                "kind": "area_assessment",
                "client_uuid": str(uuid.uuid4()),
                "event": "hurricane-test",
                "round": 1,
                "area_pcode": "XX",
            }
        )
        assert response.status_code == 400 and response.json()["detail"][0]["field"] == "area"
        assert not AreaAssessment.objects.exists()

    def test_analyst_cannot_submit(self) -> None:
        self.client.force_login(self.ana)
        response = self._post(
            {
                "kind": "area_assessment",
                "client_uuid": str(uuid.uuid4()),
                "event": "hurricane-test",
                "round": 1,
                "area_pcode": "CR701",
            }
        )
        assert response.status_code == 403
        assert AuditEntry.objects.filter(action="denied", object_id="displacement:collect").exists()

    def test_events_api(self) -> None:
        self.client.force_login(self.ana)
        answer = self.client.get("/api/v1/displacement/events").json()
        assert answer[0]["code"] == "hurricane-test" and answer[0]["rounds"][0]["number"] == 1


class SetUp(EmergencyTestCase):
    def test_coordinator_runs_the_event_from_the_pages(self) -> None:
        self.client.force_login(self.cora)
        response = self.client.post(
            "/emergencies/",
            {"code": "flood-2026", "name": "Inundación", "kind": "flood", "country_code": "cri",
             "started_on": "2026-11-02", "affected_pcodes": "CR7, CR701"},
        )  # fmt: skip
        assert response.status_code == 302 and response["Location"] == "/emergencies/flood-2026/"
        bad = self.client.post(
            "/emergencies/",
            {"code": "flood-2", "name": "X", "kind": "flood", "country_code": "CRI",
             "started_on": "2026-11-02", "affected_pcodes": "ZZ9"},
        )  # fmt: skip
        assert bad.status_code == 200 and "ZZ9" in bad.content.decode()
        from corredor.displacement.models import Event

        assert not Event.objects.filter(code="flood-2").exists()
        url = "/emergencies/hurricane-test/manage/"
        assert self.client.post(url, {"action": "round", "reporting_date": "2026-10-12"}).status_code == 302
        assert self.event.rounds.filter(number=2, closed=False).exists()
        assert self.client.post(url, {"action": "close", "number": "1"}).status_code == 302
        self.round1.refresh_from_db()
        assert self.round1.closed
        site = {"action": "site", "code": "ALB-3", "name": "Escuela", "kind": "collective_centre",
                "area_pcode": "CR502", "capacity": "100", "services": ["water"]}  # fmt: skip
        answer = self.client.post(url, site)
        assert (
            answer.status_code == 200 and "CR502" in answer.content.decode()
        )  # an unknown p-code, on the form
        site["area_pcode"] = "CR501"
        assert self.client.post(url, site).status_code == 302
        assert self.event.sites.get(code="ALB-3").services == ["water"]
        point = {"action": "point", "code": "FMP-1", "name": "Paso Canoas", "kind": "border_crossing",
                 "area_pcode": "CR701", "border_post_code": "PCN"}  # fmt: skip
        assert self.client.post(url, point).status_code == 302
        assert self.event.flow_points.get(code="FMP-1").border_post_id == "PCN"
        assert self.client.get(url).status_code == 200

    def test_others_cannot_set_up(self) -> None:
        for persona in (self.enzo, self.ana, self.sam):
            self.client.force_login(persona)
            assert self.client.get("/emergencies/hurricane-test/manage/").status_code == 403
            response = self.client.post(
                "/emergencies/hurricane-test/manage/", {"action": "round", "reporting_date": "2026-10-12"}
            )
            assert response.status_code == 403
        assert self.event.rounds.count() == 1


class RegisterForm(EmergencyTestCase):
    def _form(self, **extra: str) -> dict[str, object]:
        data: dict[str, object] = {
            "client_uuid": str(uuid.uuid4()),
            "site": "ALB-1",
            "reference": "HH-77",
            "consent_referral": "yes",
            "surname_0": "Joseph",
            "given_names_0": "Marie Rose",
            "sex_0": "F",
            "birth_date_0": "1984-03-02",
            "vulnerabilities_0": ["pregnant", "female_head"],
            "surname_1": "Joseph",
            "given_names_1": "Wilner",
            "sex_1": "M",
            "birth_date_1": "2015",
        }
        data.update(extra)
        return data

    def test_enumerator_registers_a_household_once(self) -> None:
        self.client.force_login(self.enzo)
        assert self.client.get("/emergencies/hurricane-test/register/").status_code == 200
        form = self._form()
        response = self.client.post("/emergencies/hurricane-test/register/", form)
        household = Household.objects.get()
        assert response.status_code == 302 and str(household.pk) in response["Location"]
        assert household.consent_referral and household.members.count() == 2
        assert household.members.get(given_names="Marie Rose").vulnerabilities == ["pregnant", "female_head"]
        # The same form sent again (the answer was lost): registered once.
        assert self.client.post("/emergencies/hurricane-test/register/", form).status_code == 302
        assert Household.objects.count() == 1

    def test_errors_are_shown_and_nothing_is_registered(self) -> None:
        self.client.force_login(self.enzo)
        response = self.client.post(
            "/emergencies/hurricane-test/register/", self._form(sex_1="Q", birth_date_0="84")
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "members[0].birth_date" in text and "members[1].sex" in text
        assert "Persona 1, fecha de nacimiento" in text and "Persona 2, sexo" in text
        assert 'value="Marie Rose"' in text and 'value="84"' in text  # what was typed is kept
        assert not Household.objects.exists()

    def test_site_manager_registers_at_own_sites_only_and_analyst_not_at_all(self) -> None:
        self.client.force_login(self.sam)
        page = self.client.get("/emergencies/hurricane-test/register/").content.decode()
        assert 'value="ALB-1"' in page and 'value="ALB-2"' not in page
        response = self.client.post("/emergencies/hurricane-test/register/", self._form(site="ALB-2"))
        assert response.status_code == 200 and not Household.objects.exists()
        self.client.force_login(self.ana)
        assert self.client.get("/emergencies/hurricane-test/register/").status_code == 403


class ReferralToProtection(EmergencyTestCase):
    """A registered person referred to a protection agency from the household's page, with consent only."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from corredor.core.models import Country
        from corredor.protection.models import ServiceProvider

        cls.pani = ServiceProvider.objects.create(
            code="pani-test", name="PANI", kind="child_protection", country=Country.objects.get(code="CRI")
        )
        cls.consented = services.household_register(
            user=cls.enzo,
            site=cls.site_a,
            reference="HH-1",
            members=[
                services.MemberIn(
                    "Joseph", "Nadège", "F", "2014-02-03", vulnerabilities=("unaccompanied_child",)
                )
            ],
            consent_referral=True,
            client_uuid=uuid.uuid4(),
        )
        cls.refused = services.household_register(
            user=cls.enzo,
            site=cls.site_a,
            reference="HH-2",
            members=[services.MemberIn("Pierre", "Jean", "M", "1980")],
            consent_referral=False,
            client_uuid=uuid.uuid4(),
        )

    def _refer(self, household: Any) -> Any:
        person = household.members.get()
        return self.client.post(
            f"/emergencies/hurricane-test/households/{household.pk}/",
            {"individual": str(person.pk), "provider": str(self.pani.pk), "service": "child_protection"},
        )

    def test_a_consenting_household_member_becomes_a_protection_case_once(self) -> None:
        from corredor.protection.models import Case, Transition

        self.client.force_login(self.enzo)
        page = self.client.get(
            f"/emergencies/hurricane-test/households/{self.consented.pk}/"
        ).content.decode()
        assert "Remitir a protección" in page and "PANI" in page
        assert self._refer(self.consented).status_code == 302
        case = Case.objects.get()
        assert (case.surname, case.kind, case.risk, case.status) == (
            "Joseph",
            "child_protection",
            "high",
            "referred",
        )
        assert str(case.birth_date) == "2014-02-03" and case.indicators == ["unaccompanied_child"]
        transition = Transition.objects.get()
        assert transition.to_provider == self.pani and transition.consent_given
        assert self.consented.members.get().referred_case_id == case.pk
        page = self.client.get(
            f"/emergencies/hurricane-test/households/{self.consented.pk}/"
        ).content.decode()
        assert case.reference in page
        # Sent again: refused, still one case.
        response = self._refer(self.consented)
        assert response.status_code == 200 and "ya fue remitida" in response.content.decode()
        assert Case.objects.count() == 1

    def test_no_consent_no_referral(self) -> None:
        from corredor.protection.models import Case

        self.client.force_login(self.cora)
        page = self.client.get(f"/emergencies/hurricane-test/households/{self.refused.pk}/").content.decode()
        assert "Remitir a protección" not in page and "Sin consentimiento" in page
        response = self._refer(self.refused)
        assert response.status_code == 200 and "no consintió" in response.content.decode()
        assert not Case.objects.exists()

    def test_others_are_refused(self) -> None:
        from corredor.protection.models import Case

        for user in (self.eva, self.ana):  # another enumerator's household; an analyst
            self.client.force_login(user)
            assert self._refer(self.consented).status_code == 403
        assert not Case.objects.exists()
