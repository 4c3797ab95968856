"""The JSON API, /api/v1/: token authentication, strict bodies, one error shape, the same permissions as the
desk, and nothing half-written after an error."""

import json
from datetime import date, timedelta
from typing import Any

import time_machine
from django.test import Client

from corredor.border.models import Crossing, Stay, StayChange
from corredor.core.management.commands.token import token_create
from tests.factories import DocumentInputFactory, break_check_digit, mrz_for, noon, record, row_counts
from tests.personas import PersonaTestCase

D = date(2024, 3, 1)


class ApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            user.username: token_create(user=user)
            for user in (cls.alice, cls.bob, cls.sofia, cls.ana, cls.aud, cls.admin)
        }

    def call(self, method: str, path: str, who: str | None, body: Any = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        client = Client()
        if method == "get":
            return client.get(f"/api/v1{path}", params, headers=headers)
        return client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
        )

    def entry_body(self, **overrides: Any) -> dict[str, Any]:
        doc = DocumentInputFactory()
        body = {
            "post": "SJO",
            "direction": "entry",
            "decision": "admitted",
            "mrz": mrz_for(doc),
            "occurred_at": noon(D).isoformat(),
            "stay_category": "tourist",
        }
        body.update(overrides)
        return body

    def assert_error(self, response: Any, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.content
        body = response.json()
        assert set(body) == {"message", "detail"}
        assert body["message"]
        return body


# The requests date their crossings on D: the clock reads a few days later, within the late-record window.
@time_machine.travel(noon(D + timedelta(days=2)) + timedelta(hours=1), tick=False)
class RecordCrossingApiTests(ApiTestCase):
    def test_entry_with_mrz(self) -> None:
        doc = DocumentInputFactory(nationality="USA", number="A12345678", surname="SMITH", given_names="JOHN")
        response = self.call("post", "/crossings", "alice", self.entry_body(mrz=mrz_for(doc)))
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["direction"] == "entry"
        assert body["decision"] == "admitted"
        assert body["post"] == "SJO"
        assert body["officer"] == "alice"
        assert body["transport"] == "air"
        assert body["document"]["number"] == "A12345678"
        assert body["document"]["surname"] == "SMITH"
        assert body["document"]["nationality"] == "USA"
        assert body["document"]["birth_date"] == doc.birth_date.isoformat()  # type: ignore[union-attr]
        assert body["stay"]["category"] == "tourist"
        assert body["stay"]["granted_days"] == 180
        assert body["stay"]["authorised_until"] == (D + timedelta(days=179)).isoformat()
        assert body["corrects"] is None and body["corrected_by"] is None
        assert isinstance(body["warnings"], list)
        crossing = Crossing.objects.get(pk=body["id"])
        assert str(crossing.traveller_id) == body["traveller_id"]

    def test_entry_with_typed_document_fields(self) -> None:
        body = self.entry_body(
            mrz=None,
            stay_days=15,
            document={
                "document_code": "I",
                "issuing_state": "NIC",
                "number": "001-010180-0001A",
                "surname": "Pérez",
                "given_names": "Juana",
                "nationality": "NIC",
                "birth_date": "1980-01-01",
                "sex": "F",
            },
        )
        del body["mrz"]
        response = self.call("post", "/crossings", "alice", body)
        assert response.status_code == 201, response.content
        out = response.json()
        assert out["document"]["document_code"] == "I"
        assert out["document"]["surname"] == "PÉREZ"
        assert out["document"]["number"] == "001-010180-0001A"
        assert out["stay"]["granted_days"] == 15
        assert out["stay"]["authorised_until"] == "2024-03-15"

    def test_same_id_twice_is_stored_once(self) -> None:
        body = self.entry_body(id="6f1b1d2e-8a4c-4c1e-9d51-2b9a4f0c7e11")
        first = self.call("post", "/crossings", "alice", body)
        again = self.call("post", "/crossings", "alice", body)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"] == body["id"]
        assert Crossing.objects.count() == 1

    def test_exit_grants_no_stay(self) -> None:
        entry = self.entry_body()
        self.call("post", "/crossings", "alice", entry)
        exit_ = self.entry_body(
            mrz=entry["mrz"],
            direction="exit",
            stay_category=None,
            occurred_at=noon(D + timedelta(days=2)).isoformat(),
        )
        response = self.call("post", "/crossings", "alice", exit_)
        assert response.status_code == 201, response.content
        assert response.json()["stay"] is None

    def test_invalid_mrz_is_400_with_each_problem(self) -> None:
        before = row_counts()
        body = self.entry_body(mrz=break_check_digit(mrz_for(DocumentInputFactory())))
        error = self.assert_error(self.call("post", "/crossings", "alice", body), 400)
        assert any(p["code"] == "check_digit" and p["field"] for p in error["detail"])
        assert row_counts() == before

    def test_bad_bodies_are_422_naming_the_field(self) -> None:
        doc_fields = {"issuing_state": "NIC", "number": "X1", "surname": "A", "nationality": "NIC"}
        cases: list[tuple[dict[str, Any], str]] = [
            ({k: v for k, v in self.entry_body().items() if k != "post"}, "post"),
            ({k: v for k, v in self.entry_body().items() if k != "direction"}, "direction"),
            (self.entry_body(colour="blue"), "colour"),
            (self.entry_body(direction="sideways"), "direction"),
            (self.entry_body(decision="maybe"), "decision"),
            (self.entry_body(stay_days=0), "stay_days"),
            (self.entry_body(transport="horse"), "transport"),
            (self.entry_body(document=doc_fields), ""),  # both mrz and document
            (self.entry_body(mrz=None, document={**doc_fields, "sex": "Q"}), "document.sex"),
            (self.entry_body(mrz=None, document={**doc_fields, "eyes": "brown"}), "document.eyes"),
            (self.entry_body(occurred_at="yesterday"), "occurred_at"),
        ]
        before = row_counts()
        for body, field in cases:
            error = self.assert_error(self.call("post", "/crossings", "alice", body), 422)
            assert isinstance(error["detail"], list) and error["detail"], body
            assert all({"field", "message"} <= set(d) for d in error["detail"])
            if field:
                assert field in [d["field"] for d in error["detail"]], (field, error["detail"])
        assert row_counts() == before

    def test_neither_mrz_nor_document_says_give_either(self) -> None:
        error = self.assert_error(self.call("post", "/crossings", "alice", self.entry_body(mrz=None)), 422)
        messages = " ".join(d["message"] for d in error["detail"])
        assert "give either mrz or document" in messages and "not both" not in messages
        error = self.assert_error(
            self.call("post", "/crossings", "alice", self.entry_body(document={"issuing_state": "NIC"})), 422
        )
        assert "not both" in " ".join(d["message"] for d in error["detail"]) or error["detail"]

    def test_not_json_is_refused(self) -> None:
        response = Client().post(
            "/api/v1/crossings",
            "{not json",
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.tokens['alice']}"},
        )
        assert response.status_code in (400, 422)
        assert "message" in response.json()
        assert Crossing.objects.count() == 0

    def test_service_refusals_keep_the_error_shape_and_write_nothing(self) -> None:
        before = row_counts(audit=False)
        error = self.assert_error(
            self.call("post", "/crossings", "alice", self.entry_body(stay_days=91)), 400
        )
        assert error["detail"] == {"field": "stay_days", "max": 90}
        error = self.assert_error(
            self.call("post", "/crossings", "alice", self.entry_body(stay_category="pilgrim")), 400
        )
        assert error["detail"] == {"field": "stay_category"}
        future = self.entry_body(occurred_at=(noon(date.today()) + timedelta(days=2)).isoformat())
        self.assert_error(self.call("post", "/crossings", "alice", future), 400)
        self.assert_error(self.call("post", "/crossings", "admin", self.entry_body(post="NOPE")), 404)
        assert row_counts(audit=False) == before

    def test_document_of_another_holder_is_409(self) -> None:
        doc = DocumentInputFactory(surname="UNO", birth_date=date(1980, 1, 1))
        self.call("post", "/crossings", "alice", self.entry_body(mrz=mrz_for(doc)))
        other = DocumentInputFactory(number=doc.number, surname="DOS", birth_date=date(1991, 1, 1))
        before = row_counts()
        self.assert_error(self.call("post", "/crossings", "alice", self.entry_body(mrz=mrz_for(other))), 409)
        assert row_counts() == before


class AuthApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.recorded = record(cls.alice, DocumentInputFactory(), on=D, stay_days=30)

    def test_no_token_or_a_wrong_one_is_401(self) -> None:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"X-API-Key": "nope"}):
            response = Client().get("/api/v1/crossings", headers=headers)
            self.assert_error(response, 401)
        # As a real client meets it: CSRF checks on, so a write without credentials is 401, not a CSRF 403.
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = Client(enforce_csrf_checks=True).post(
                "/api/v1/crossings",
                json.dumps(self.entry_body()),
                content_type="application/json",
                headers=headers,
            )
            self.assert_error(response, 401)
        assert Crossing.objects.count() == 1

    def test_a_signed_in_browser_session_still_needs_the_csrf_token_to_write(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.alice)
        assert browser.get("/api/v1/crossings").status_code == 200
        response = browser.post(
            "/api/v1/crossings", json.dumps(self.entry_body()), content_type="application/json"
        )
        assert response.status_code == 403
        assert Crossing.objects.count() == 1

    def test_token_in_x_api_key_header_works(self) -> None:
        response = Client().get("/api/v1/crossings", headers={"X-API-Key": self.tokens["alice"]})
        assert response.status_code == 200

    def test_revoked_token_is_401(self) -> None:
        self.alice.api_tokens.update(revoked=True)
        self.assert_error(self.call("get", "/crossings", "alice"), 401)

    def test_analyst_is_refused_every_endpoint(self) -> None:
        crossing = self.recorded.crossing
        stay = self.recorded.stay
        assert stay is not None
        calls = [
            ("post", "/crossings", self.entry_body()),
            ("get", "/crossings", None),
            ("get", f"/crossings/{crossing.pk}", None),
            ("post", f"/crossings/{crossing.pk}/corrections", {"reason": "curious"}),
            ("get", f"/travellers/{crossing.traveller_id}", None),
            ("get", "/overstays", None),
            ("post", f"/stays/{stay.pk}/extensions", {"authorised_until": "2024-12-31", "reason": "x"}),
        ]
        before = row_counts(audit=False)
        for method, path, body in calls:
            for who in ("ana", "aud"):
                response = self.call(method, path, who, body)
                self.assert_error(response, 403)
        assert row_counts(audit=False) == before

    def test_officer_at_another_post_is_refused(self) -> None:
        before = row_counts(audit=False)
        error = self.assert_error(self.call("post", "/crossings", "bob", self.entry_body(post="SJO")), 403)
        assert "PBL" in error["message"]
        assert row_counts(audit=False) == before
        self.assert_error(self.call("get", "/crossings", "bob", post="SJO"), 403)
        # Another post's crossing is not among bob's.
        assert self.call("get", f"/crossings/{self.recorded.crossing.pk}", "bob").status_code == 404
        self.assert_error(
            self.call("post", f"/crossings/{self.recorded.crossing.pk}/corrections", "bob", {"reason": "x"}),
            403,
        )


class ReadApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.doc = DocumentInputFactory(surname="HISTORIA")
        cls.first = record(cls.alice, cls.doc, on=date(2024, 1, 1), stay_days=30)
        record(cls.alice, cls.doc, on=date(2024, 1, 20), direction="exit")
        cls.second = record(cls.alice, cls.doc, on=date(2024, 2, 1), stay_days=10)  # until 10 Feb, no exit
        for day in range(1, 6):
            record(cls.alice, DocumentInputFactory(), on=date(2024, 3, day), decision="refused")
        cls.at_pbl = record(cls.bob, DocumentInputFactory(surname="NORTE"), on=date(2024, 3, 1), stay_days=5)

    def test_traveller_history(self) -> None:
        response = self.call("get", f"/travellers/{self.first.crossing.traveller_id}", "alice")
        assert response.status_code == 200
        body = response.json()
        assert body["surname"] == "HISTORIA"
        assert body["nationality"] == "NIC"
        assert [d["number"] for d in body["documents"]] == [self.doc.number]
        assert [(c["direction"], c["occurred_at"][:10]) for c in body["crossings"]] == [
            ("entry", "2024-02-01"),
            ("exit", "2024-01-20"),
            ("entry", "2024-01-01"),
        ]
        assert body["crossings"][0]["stay"]["authorised_until"] == "2024-02-10"
        assert body["crossings"][1]["stay"] is None
        assert body["status"]["in_country"] is True
        assert body["status"]["authorised_until"] == "2024-02-10"
        assert body["status"]["overstay_days"] > 0  # today is long after 10 February 2024

    def test_unknown_traveller_is_404_and_bad_id_is_422(self) -> None:
        self.assert_error(self.call("get", "/travellers/00000000-0000-0000-0000-000000000000", "alice"), 404)
        self.assert_error(self.call("get", "/travellers/not-a-uuid", "alice"), 422)

    def test_crossing_list_filters_and_pages(self) -> None:
        response = self.call("get", "/crossings", "alice", limit=2, offset=0)
        assert response.status_code == 200
        page = response.json()
        assert (page["count"], page["limit"], page["offset"]) == (8, 2, 0)
        assert [c["occurred_at"][:10] for c in page["items"]] == ["2024-03-05", "2024-03-04"]
        rest = self.call("get", "/crossings", "alice", limit=5, offset=6).json()
        assert [c["occurred_at"][:10] for c in rest["items"]] == ["2024-01-20", "2024-01-01"]
        refused = self.call("get", "/crossings", "alice", decision="refused").json()
        assert refused["count"] == 5
        exits = self.call("get", "/crossings", "alice", direction="exit").json()
        assert [c["document"]["surname"] for c in exits["items"]] == ["HISTORIA"]
        january = self.call("get", "/crossings", "alice", date_from="2024-01-01", date_to="2024-01-31").json()
        assert january["count"] == 2
        one_day = self.call("get", "/crossings", "alice", date_from="2024-03-03", date_to="2024-03-03").json()
        assert one_day["count"] == 1
        mine = self.call("get", "/crossings", "alice", traveller=str(self.first.crossing.traveller_id)).json()
        assert mine["count"] == 3

    def test_crossing_list_bad_parameters_are_422(self) -> None:
        self.assert_error(self.call("get", "/crossings", "alice", limit=0), 422)
        self.assert_error(self.call("get", "/crossings", "alice", limit=501), 422)
        self.assert_error(self.call("get", "/crossings", "alice", offset=-1), 422)
        self.assert_error(self.call("get", "/crossings", "alice", direction="up"), 422)
        self.assert_error(self.call("get", "/crossings", "alice", date_from="March"), 422)

    def test_officer_sees_only_own_post(self) -> None:
        alice = self.call("get", "/crossings", "alice", limit=100).json()
        assert {c["post"] for c in alice["items"]} == {"SJO"}
        bob = self.call("get", "/crossings", "bob").json()
        assert (bob["count"], bob["items"][0]["document"]["surname"]) == (1, "NORTE")
        admin = self.call("get", "/crossings", "admin", post="PBL").json()
        assert admin["count"] == 1
        assert self.call("get", "/crossings", "admin").json()["count"] == 9

    def test_one_crossing(self) -> None:
        response = self.call("get", f"/crossings/{self.second.crossing.pk}", "alice")
        assert response.status_code == 200
        assert response.json()["stay"]["granted_days"] == 10

    def test_overstays_for_supervisors(self) -> None:
        response = self.call("get", "/overstays", "sofia", as_of="2024-02-15")
        assert response.status_code == 200
        rows = response.json()
        assert [(r["surname"], r["authorised_until"], r["days_over"], r["entry_post"]) for r in rows] == [
            ("HISTORIA", "2024-02-10", 5, "SJO")
        ]
        assert set(rows[0]) >= {"traveller_id", "document", "entered_on", "category", "nationality"}
        # A supervisor sees her own post's overstays only, whatever post she asks for.
        assert (
            self.call("get", "/overstays", "sofia", as_of="2024-03-10", post="PBL").json()[0]["entry_post"]
            == "SJO"
        )
        admin = self.call("get", "/overstays", "admin", as_of="2024-03-10", post="PBL").json()
        assert [r["surname"] for r in admin] == ["NORTE"]
        self.assert_error(self.call("get", "/overstays", "alice"), 403)
        self.assert_error(self.call("get", "/overstays", "sofia", as_of="someday"), 422)


class WriteApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.recorded = record(cls.alice, DocumentInputFactory(), on=date(2024, 1, 1), stay_days=30)

    def test_correction(self) -> None:
        crossing = self.recorded.crossing
        body = {"reason": "typed the wrong day", "occurred_at": noon(date(2024, 1, 5)).isoformat()}
        response = self.call("post", f"/crossings/{crossing.pk}/corrections", "sofia", body)
        assert response.status_code == 201, response.content
        out = response.json()
        assert out["corrects"] == str(crossing.pk)
        assert out["occurred_at"][:10] == "2024-01-05"
        assert out["stay"]["authorised_until"] == "2024-02-03"
        assert "typed the wrong day" in out["note"]
        original = self.call("get", f"/crossings/{crossing.pk}", "sofia").json()
        assert original["corrected_by"] == out["id"]
        again = self.call("post", f"/crossings/{crossing.pk}/corrections", "sofia", {"reason": "again"})
        self.assert_error(again, 409)

    def test_correction_errors(self) -> None:
        crossing = self.recorded.crossing
        before = row_counts(audit=False)
        self.assert_error(self.call("post", f"/crossings/{crossing.pk}/corrections", "sofia", {}), 422)
        self.assert_error(
            self.call("post", f"/crossings/{crossing.pk}/corrections", "sofia", {"reason": " "}), 400
        )
        self.assert_error(
            self.call(
                "post", f"/crossings/{crossing.pk}/corrections", "sofia", {"reason": "x", "decision": "no"}
            ),
            422,
        )
        self.assert_error(
            self.call(
                "post",
                "/crossings/00000000-0000-0000-0000-000000000000/corrections",
                "sofia",
                {"reason": "x"},
            ),
            404,
        )
        assert row_counts(audit=False) == before

    def test_extension(self) -> None:
        stay = self.recorded.stay
        assert stay is not None
        body = {"authorised_until": "2024-03-15", "reason": "waiting for a flight"}
        response = self.call("post", f"/stays/{stay.pk}/extensions", "sofia", body)
        assert response.status_code == 201, response.content
        out = response.json()
        assert (out["stay_id"], out["kind"], out["category"], out["authorised_until"]) == (
            str(stay.pk),
            "extension",
            "tourist",
            "2024-03-15",
        )
        overstays = self.call("get", "/overstays", "sofia", as_of="2024-03-15").json()
        assert overstays == []

    def test_extension_errors(self) -> None:
        stay = self.recorded.stay
        assert stay is not None
        path = f"/stays/{stay.pk}/extensions"
        before = row_counts(audit=False)
        error = self.assert_error(
            self.call("post", path, "sofia", {"authorised_until": "2024-01-20", "reason": "x"}), 400
        )
        assert error["detail"] == {"field": "authorised_until"}
        self.assert_error(
            self.call("post", path, "alice", {"authorised_until": "2024-03-15", "reason": "x"}), 403
        )
        self.assert_error(self.call("post", path, "sofia", {"authorised_until": "2024-03-15"}), 422)
        self.assert_error(
            self.call("post", path, "sofia", {"authorised_until": "2024-03-15", "reason": "x", "y": 1}), 422
        )
        self.assert_error(
            self.call(
                "post",
                "/stays/00000000-0000-0000-0000-000000000000/extensions",
                "sofia",
                {"authorised_until": "2024-03-15", "reason": "x"},
            ),
            404,
        )
        assert row_counts(audit=False) == before
        assert StayChange.objects.count() == 0
        assert Stay.objects.count() == 1


class OpenApiTests(ApiTestCase):
    def test_openapi_document_names_the_endpoints(self) -> None:
        response = Client().get("/api/v1/openapi.json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        for path in (
            "/api/v1/crossings",
            "/api/v1/crossings/{crossing_id}",
            "/api/v1/crossings/{crossing_id}/corrections",
            "/api/v1/travellers/{traveller_id}",
            "/api/v1/overstays",
            "/api/v1/stays/{stay_id}/extensions",
        ):
            assert path in paths, path
        assert "post" in paths["/api/v1/crossings"] and "get" in paths["/api/v1/crossings"]
