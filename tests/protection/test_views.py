"""The pages and the API: what each persona sees, names hidden by default, every read audited, and a
refused persona for every page and every API operation (each refusal audited)."""

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from corredor.core.errors import Conflict
from corredor.core.models import AuditEntry
from corredor.protection import services
from corredor.protection.models import Case, Transition
from tests.factories import record
from tests.protection import ProtectionTestCase, adult_document, consent


class PageTestCase(ProtectionTestCase):
    def client_for(self, user: object) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)  # type: ignore[arg-type]
        return client

    def accepted_child(self) -> tuple[Transition, Case]:
        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        return transition, Case.objects.get(pk=transition.case_id)

    def returning_adult(self) -> Any:
        recorded = record(self.alice, adult_document())
        transition = services.referral_from_desk(
            officer=self.alice,
            crossing=recorded.crossing,
            provider=self.oim_provider,
            service="avrr",
            consent=consent(),
            indicators=[],
            child=False,
        )
        services.transition_accept(user=self.otto, transition_id=transition.pk)
        avrr = services.avrr_apply(user=self.otto, case_id=transition.case_id, destination="HND")
        services.avrr_assess(user=self.otto, avrr_id=avrr.pk, eligible=True, note="Voluntario")
        return services.avrr_arrange(
            user=self.otto,
            avrr_id=avrr.pk,
            travel_date=timezone.localdate(),
            post_code="SJO",
            transport_reference="CM394",
            travel_documents="HND F1002003",
            partner_id=self.providers["camr-hnd"].pk,
        )


class PageTests(PageTestCase):
    def test_lists_hide_names_by_default_and_every_read_is_audited(self) -> None:
        _transition, case = self.accepted_child()
        client = self.client_for(self.carla)
        html = client.get("/protection/cases/").content.decode()
        assert case.reference in html and "MEJIA" not in html and "•••" in html
        html = client.get("/protection/cases/", {"names": "1"}).content.decode()
        assert "MEJIA CASTRO, DILCIA MARISOL" in html
        assert AuditEntry.objects.filter(
            object_type="protection.case", summary__contains="names shown"
        ).exists()
        html = client.get(f"/protection/cases/{case.pk}/").content.decode()
        assert "MEJIA CASTRO" in html and "Unaccompanied or separated child" in html
        assert AuditEntry.objects.filter(
            object_type="protection.case", object_id=str(case.pk), action="read"
        ).exists()
        team = self.client_for(self.manuel).get("/protection/cases/", {"scope": "team"}).content.decode()
        assert case.reference in team

    def test_the_receiver_accepts_in_the_page_and_sees_only_what_consent_shares(self) -> None:
        transition = self.refer_child(hook_protection_data_identity="")
        client = self.client_for(self.carla)
        shared = client.get("/protection/shared/").content.decode()
        assert transition.case.reference in shared
        page = client.get(f"/protection/referrals/{transition.pk}/").content.decode()
        assert "identity is not shared" in page and "MEJIA" not in page
        response = client.post(f"/protection/referrals/{transition.pk}/accept/", HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == f"/protection/cases/{transition.case_id}/"
        response = client.post(
            f"/protection/cases/{transition.case_id}/events/", {"kind": "plan", "text": "Plan"}
        )
        assert response.status_code == 302
        response = client.post(f"/protection/cases/{transition.case_id}/close/", {"reason": "Reunificada"})
        assert Case.objects.get(pk=transition.case_id).status == "closed"

    def test_the_officer_sees_the_referral_status_never_the_case(self) -> None:
        transition = self.refer_child()
        client = self.client_for(self.alice)
        html = client.get("/protection/referrals/").content.decode()
        assert "Patronato Nacional" in html and 'data-status="in_progress"' in html
        page = client.get(f"/protection/referrals/{transition.pk}/").content.decode()
        assert 'data-status="in_progress"' in page and "Accept" not in page
        assert client.get(f"/protection/cases/{transition.case_id}/").status_code == 403

    def test_a_bad_answer_names_the_field(self) -> None:
        _transition, case = self.accepted_child()
        response = self.client_for(self.carla).post(
            f"/protection/cases/{case.pk}/tasks/", {"title": "Llamar", "due_on": "2026-02-30"}
        )
        assert response.status_code == 400 and "due_on" in response.content.decode()
        assert not case.tasks.exists()

    def test_the_officer_records_a_departure(self) -> None:
        avrr = self.returning_adult()
        client = self.client_for(self.alice)
        assert "PAZ LOBO" in client.get("/protection/departures/").content.decode()
        response = client.post(f"/protection/departures/{avrr.pk}/")
        assert response.status_code == 302
        avrr.refresh_from_db()
        assert avrr.status == "departed"
        history = client.get(f"/travellers/{avrr.case.traveller_id}/").content.decode()
        assert "Exit" in history

    def test_the_consent_form_in_four_languages(self) -> None:
        client = self.client_for(self.alice)
        for lang, words in (
            ("es", "Consentimiento"),
            ("en", "Informed consent"),
            ("fr", "consentement"),
            ("ht", ""),
        ):
            html = client.get("/protection/consent-form/", {"lang": lang}).content.decode()
            assert f'lang="{lang}"' in html and words in html
        assert client.get("/protection/consent-form/", {"lang": "de"}).status_code == 400


class RefusalTests(PageTestCase):
    def test_every_page_refuses_who_must_be_refused_and_audits_it(self) -> None:
        transition, case = self.accepted_child()
        task = services.task_add(
            user=self.carla, case_id=case.pk, title="Llamar", due_on=timezone.localdate()
        )
        tracing = services.tracing_add(
            user=self.carla, case_id=case.pk, sought_name="Rosa", relationship="madre"
        )
        pending = self.refer_child(hook_protection_purpose="otra")
        avrr = self.returning_adult()
        outsiders = [self.rita, self.otto, self.pia, self.nadia, self.alice, self.ana, self.admin]
        c = f"/protection/cases/{case.pk}/"
        pages: list[tuple[str, str, dict[str, str], list[Any]]] = [
            ("get", "/protection/", {}, [self.ana, self.aud, self.admin]),
            ("get", "/protection/cases/", {}, [self.alice, self.ana, self.admin, self.pia, self.nadia]),
            ("get", c, {}, outsiders),
            ("post", c + "events/", {"kind": "note", "text": "x"}, outsiders),
            ("post", c + "close/", {"reason": "xxx"}, outsiders),
            ("post", c + "reopen/", {"reason": "xxx"}, [self.carla, *outsiders]),
            ("post", c + "assign/", {"caseworker": str(self.carla.pk)}, [self.carla, *outsiders]),
            (
                "post",
                c + "refer/",
                {
                    "provider": str(self.oim_provider.pk),
                    "consent": "given",
                    "data_identity": "1",
                    "purpose": "ret",
                },
                outsiders,
            ),
            ("post", c + "tasks/", {"title": "x", "due_on": "2026-12-24"}, outsiders),
            ("post", c + "tracing/", {"sought_name": "x", "relationship": "y"}, outsiders),
            ("post", c + "avrr/", {"destination": "HND"}, outsiders),
            ("post", f"/protection/tasks/{task.pk}/done/", {}, outsiders),
            ("post", f"/protection/tracing/{tracing.pk}/", {"status": "found"}, outsiders),
            ("get", "/protection/returns/", {}, [self.alice, self.ana, self.nadia, self.admin]),
            ("get", f"/protection/returns/{avrr.pk}/", {}, [self.carla, self.rita, self.alice, self.ana]),
            ("post", f"/protection/returns/{avrr.pk}/arrange/", {}, [self.carla, self.pia, self.alice]),
            ("get", "/protection/shared/", {}, [self.alice, self.ana, self.admin, self.nadia]),
            ("get", "/protection/sent/", {}, [self.alice, self.ana, self.admin]),
            ("get", "/protection/referrals/", {}, [self.carla, self.ana, self.admin, self.pia]),
            (
                "get",
                f"/protection/referrals/{pending.pk}/",
                {},
                [self.rita, self.otto, self.pia, self.bob, self.ana],
            ),
            (
                "post",
                f"/protection/referrals/{pending.pk}/accept/",
                {},
                [self.rita, self.alice, self.bob, self.ana],
            ),
            (
                "post",
                f"/protection/referrals/{pending.pk}/revoke/",
                {"note": "xxx"},
                [self.carla, self.alice],
            ),
            ("get", "/protection/departures/", {}, [self.carla, self.ana, self.admin]),
            ("post", f"/protection/departures/{avrr.pk}/", {}, [self.bob, self.otto, self.ana]),
            ("get", "/protection/consent-form/", {"lang": "es"}, [self.ana, self.aud]),
        ]
        for method, url, data, refused in pages:
            for user in refused:
                before = AuditEntry.objects.filter(action="denied").count()
                response = getattr(self.client_for(user), method)(url, data)
                assert response.status_code == 403, (method, url, user.username, response.status_code)
                assert b"MEJIA" not in response.content and b"PAZ LOBO" not in response.content
                assert AuditEntry.objects.filter(action="denied").count() == before + 1, (url, user.username)
        assert transition.pk  # the setup stands


class ApiTests(PageTestCase):
    def api(self, user: object, method: str, path: str, body: Any = None) -> Any:
        client = self.client_for(user)
        if method == "get":
            return client.get(f"/api/v1/protection{path}", body or {})
        return client.post(
            f"/api/v1/protection{path}", json.dumps(body or {}), content_type="application/json"
        )

    def test_the_caseworker_works_through_the_api(self) -> None:
        transition = self.refer_child()
        shared = self.api(self.carla, "get", "/referrals/shared").json()
        assert [t["id"] for t in shared] == [str(transition.pk)]
        answer = self.api(self.carla, "post", f"/referrals/{transition.pk}/answer", {"answer": "accept"})
        assert answer.status_code == 200 and answer.json()["status"] == "accepted"
        cases = self.api(self.carla, "get", "/cases").json()
        assert cases["cases"][0]["name"] == "•••" and cases["cases"][0]["age_group"] == "12-17"
        event = self.api(
            self.carla, "post", f"/cases/{transition.case_id}/events", {"kind": "plan", "text": "P"}
        )
        assert event.status_code == 201
        typo = self.api(
            self.carla, "post", f"/cases/{transition.case_id}/events", {"kind": "plan", "txt": "P"}
        )
        assert typo.status_code == 422
        closed = self.api(
            self.carla, "post", f"/cases/{transition.case_id}/closure", {"reason": "Reunificada"}
        )
        assert closed.json()["status"] == "closed"
        made = self.api(self.alice, "get", "/referrals/made").json()
        assert made[0]["status"] == "accepted"

    def test_every_operation_refuses_who_must_be_refused(self) -> None:
        transition, case = self.accepted_child()
        pending = self.refer_child(hook_protection_purpose="otra")
        avrr = self.returning_adult()
        operations: list[tuple[str, str, Any, list[Any]]] = [
            ("get", "/cases", None, [self.alice, self.ana, self.pia, self.nadia, self.admin]),
            ("get", f"/cases/{case.pk}", None, [self.rita, self.otto, self.pia, self.alice, self.ana]),
            ("post", f"/cases/{case.pk}/events", {"kind": "note", "text": "x"}, [self.rita, self.alice]),
            ("post", f"/cases/{case.pk}/closure", {"reason": "xxx"}, [self.otto, self.ana]),
            ("get", "/referrals/shared", None, [self.alice, self.ana, self.nadia]),
            ("get", "/referrals/made", None, [self.carla, self.ana]),
            ("get", f"/referrals/{pending.pk}", None, [self.rita, self.bob, self.ana]),
            (
                "post",
                f"/referrals/{pending.pk}/answer",
                {"answer": "accept"},
                [self.rita, self.alice, self.ana],
            ),
            ("post", f"/returns/{avrr.pk}/departure", {}, [self.bob, self.otto, self.ana]),
        ]
        for method, path, body, refused in operations:
            for user in refused:
                before = AuditEntry.objects.filter(action="denied").count()
                response = self.api(user, method, path, body)
                assert response.status_code == 403, (path, user.username, response.status_code)
                assert AuditEntry.objects.filter(action="denied").count() == before + 1, (path, user.username)
        assert transition.pk


class RegistrationTests(PageTestCase):
    def test_a_caseworker_registers_a_walk_in(self) -> None:
        response = self.client_for(self.carla).post(
            "/protection/cases/new/",
            {"surname": "Joseph", "given_names": "Marie", "sex": "F", "nationality": "HTI", "kind": "gbv"},
        )
        case = Case.objects.get(surname="Joseph")
        assert response["Location"] == f"/protection/cases/{case.pk}/"
        assert case.provider == self.pani and case.assigned_to == self.carla and case.status == "open"
        bad = self.client_for(self.carla).post(
            "/protection/cases/new/", {"surname": "X", "nationality": "ZZZ"}
        )
        assert bad.status_code == 400 and Case.objects.count() == 1
        for user in (self.alice, self.pia, self.nadia, self.ana):
            assert self.client_for(user).post("/protection/cases/new/", {"surname": "Y"}).status_code == 403
        api = self.client_for(self.carla).post(
            "/api/v1/protection/cases",
            json.dumps({"surname": "Pierre", "nationality": "HTI", "kind": "protection", "sex": "M"}),
            content_type="application/json",
        )
        assert api.status_code == 201 and api.json()["agency"] == self.pani.name
        refused = self.client_for(self.alice).post(
            "/api/v1/protection/cases",
            json.dumps({"surname": "Pierre", "nationality": "HTI", "kind": "protection"}),
            content_type="application/json",
        )
        assert refused.status_code == 403

    def test_statistics_rows_carry_no_name(self) -> None:
        from corredor.protection.selectors import (
            ANONYMISED_CASE_COLUMNS,
            ANONYMISED_REFERRAL_COLUMNS,
            anonymised_cases,
            anonymised_referrals,
        )

        self.refer_child()
        (case,) = list(anonymised_cases())
        assert len(case) == len(ANONYMISED_CASE_COLUMNS)
        row = dict(zip(ANONYMISED_CASE_COLUMNS, case, strict=True))
        assert (row["case_kind"], row["status"], row["sex"], row["nationality"], row["origin"]) == (
            "child_protection",
            "referred",
            "F",
            "HND",
            "border",
        )
        assert 12 <= row["age"] < 18 and row["post"] == "SJO"
        (referral,) = list(anonymised_referrals())
        assert len(referral) == len(ANONYMISED_REFERRAL_COLUMNS)
        assert dict(zip(ANONYMISED_REFERRAL_COLUMNS, referral, strict=True))["consent"] == "given"
        for values in (case, referral):
            assert not any("MEJIA" in str(value) or "2014" in str(value) for value in values)

    def test_the_desk_announces_a_return_due_to_leave(self) -> None:
        from tests.factories import mrz_for

        self.returning_adult()
        html = (
            self.client_for(self.alice)
            .post("/desk/scan/", {"mrz": mrz_for(adult_document())})
            .content.decode()
        )
        assert "Assisted voluntary return to Honduras" in html and "Record the exit" in html


class ExportTests(PageTestCase):
    def test_the_export_holds_only_cases_whose_consent_covers_it(self) -> None:
        consented = self.refer_child()
        overridden = self.refer_child(
            hook_protection_consent="override",
            hook_protection_override_reason="Niña sola, interés superior de la niña",
        )
        for transition in (consented, overridden):
            services.transition_accept(user=self.carla, transition_id=transition.pk)
        services.case_register(
            user=self.carla,
            surname="Joseph",
            given_names="Marie",
            birth_date=None,
            sex="F",
            nationality="HTI",
            kind="gbv",
        )
        response = self.client_for(self.manuel).get("/protection/cases/export/")
        text = response.content.decode()
        assert response["X-Left-Out"] == "1" and text.count("\n") == 3  # header + two cases
        assert consented.case.reference in text and overridden.case.reference not in text and "Joseph" in text
        assert AuditEntry.objects.filter(action="export", object_type="protection.case").exists()
        for user in (self.carla, self.alice, self.pia, self.ana):
            before = AuditEntry.objects.filter(action="denied").count()
            assert self.client_for(user).get("/protection/cases/export/").status_code == 403
            assert AuditEntry.objects.filter(action="denied").count() == before + 1


class ConsentWithdrawalTests(PageTestCase):
    def test_a_withdrawal_hides_what_consent_covered_and_revokes_what_is_in_progress(self) -> None:
        pending = self.refer_child()
        response = self.client_for(self.alice).post(
            f"/protection/referrals/{pending.pk}/withdraw/", {"note": "La niña lo dijo en la sala de espera"}
        )
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == "revoked" and pending.consent_withdrawn_at is not None
        page = self.client_for(self.carla).get(f"/protection/referrals/{pending.pk}/").content.decode()
        assert "identity is not shared" in page and "MEJIA" not in page and 'id="consent-withdrawn"' in page

        accepted, case = self.accepted_child()
        answer = self.client_for(self.carla).post(
            f"/api/v1/protection/referrals/{accepted.pk}/answer",
            json.dumps({"answer": "withdraw", "note": "por teléfono"}),
            content_type="application/json",
        )
        assert answer.status_code == 200 and answer.json()["status"] == "accepted"
        export = self.client_for(self.manuel).get("/protection/cases/export/")
        assert case.reference not in export.content.decode() and export["X-Left-Out"] == "1"
        again = self.client_for(self.carla).post(f"/protection/referrals/{accepted.pk}/withdraw/")
        assert again.status_code == 409
        for user in (self.rita, self.bob, self.ana):
            assert (
                self.client_for(user).post(f"/protection/referrals/{accepted.pk}/withdraw/").status_code
                == 403
            )

    def test_an_override_has_no_consent_to_withdraw(self) -> None:
        overridden = self.refer_child(
            hook_protection_consent="override",
            hook_protection_override_reason="Niña sola, interés superior de la niña",
        )
        with pytest.raises(Conflict):
            services.consent_withdraw(user=self.alice, transition_id=overridden.pk)
