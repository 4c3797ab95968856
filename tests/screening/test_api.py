"""/api/v1/screening/: check a traveller (officers), hits and adjudication (supervisors), watchlists and
imports (watchlist managers); one error shape."""

import json
from typing import Any

from django.test import Client

from corredor.core.management.commands.token import token_create
from corredor.screening.models import Hit, PersonAlert
from tests.factories import record
from tests.screening import ScreeningTestCase, wanted_document


class ScreeningApiTestCase(ScreeningTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            user.username: token_create(user=user)
            for user in (cls.alice, cls.bob, cls.sofia, cls.ana, cls.admin, cls.wendy)
        }

    def call(self, method: str, path: str, who: str, body: Any = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}", "Accept-Language": "en"}
        client = Client()
        if method == "get":
            return client.get(f"/api/v1/screening{path}", params, headers=headers)
        return client.post(
            f"/api/v1/screening{path}", json.dumps(body), content_type="application/json", headers=headers
        )

    def assert_error(self, response: Any, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.content
        body = response.json()
        assert set(body) == {"message", "detail"} and body["message"]
        return body


class CheckApiTests(ScreeningApiTestCase):
    def test_an_officer_checks_a_traveller_and_sees_why_and_what_to_do(self) -> None:
        response = self.call(
            "post",
            "/check",
            "alice",
            {
                "surname": "Perez Castillo",
                "given_names": "Juan Carlos",
                "birth_date": "1980-02",
                "nationality": "NIC",
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["outcome"] == "hit" and body["cleared"] == []
        (hit,) = body["hits"]
        assert (hit["kind"], hit["entry_id"], hit["category"], hit["blocking"]) == (
            "person",
            "W-WANTED",
            "wanted",
            True,
        )
        assert hit["action"].startswith("Do not admit") and hit["reasons"]
        assert not Hit.objects.exists()  # a check stores nothing

    def test_a_document_is_checked_by_number(self) -> None:
        body = self.call(
            "post", "/check", "alice", {"document_number": "C00123456", "issuing_state": "NIC"}
        ).json()
        assert [(h["kind"], h["match"], h["reason"]) for h in body["hits"]] == [
            ("document", "exact", "stolen")
        ]

    def test_analysts_and_watchlist_managers_do_not_screen_people(self) -> None:
        for who in ("ana", "wendy"):
            self.assert_error(self.call("post", "/check", who, {"surname": "X"}), 403)

    def test_unusable_attributes_are_ignored_with_warnings_and_the_name_still_screened(self) -> None:
        response = self.call(
            "post",
            "/check",
            "alice",
            {
                "surname": "Perez Castillo",
                "given_names": "Juan Carlos",
                "birth_date": "1980-01-32",
                "nationality": "Narnia",
                "sex": "Q",
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["outcome"] == "hit" and [h["entry_id"] for h in body["hits"]] == ["W-WANTED"]
        assert len(body["warnings"]) == 3 and any("Narnia" in w for w in body["warnings"])
        # A country written as a name goes through the resolver; a lenient date is read.
        body = self.call(
            "post",
            "/check",
            "alice",
            {
                "surname": "Perez Castillo",
                "given_names": "Juan Carlos",
                "birth_date": "1980-2-3",
                "nationality": "Nicaragua",
            },
        ).json()
        assert body["warnings"] == [] and body["hits"][0]["entry_id"] == "W-WANTED"

    def test_a_bad_body_is_refused_with_the_field(self) -> None:
        self.assert_error(self.call("post", "/check", "alice", {"surname": "X", "shoe": 42}), 422)
        self.assert_error(self.call("post", "/check", "alice", {}), 400)


class HitApiTests(ScreeningApiTestCase):
    def setUp(self) -> None:
        crossing = record(self.alice, wanted_document(), decision="referred").crossing
        self.hit = Hit.objects.get(crossing=crossing)

    def test_a_supervisor_lists_the_open_hits_of_the_post(self) -> None:
        body = self.call("get", "/hits", "sofia").json()
        assert body["count"] == 1
        (item,) = body["items"]
        assert (
            item["id"] == str(self.hit.pk) and item["entry_id"] == "W-WANTED" and item["officer"] == "alice"
        )
        assert item["subject"]["surname"] == "PEREZ CASTILLO"
        self.assert_error(self.call("get", "/hits", "sofia", post="PBL"), 403)
        assert self.call("get", "/hits", "admin", post="PBL").json()["count"] == 0

    def test_officers_do_not_list_hits(self) -> None:
        self.assert_error(self.call("get", "/hits", "alice"), 403)
        self.assert_error(self.call("get", f"/hits/{self.hit.pk}", "alice"), 403)

    def test_a_supervisor_adjudicates_through_the_api(self) -> None:
        response = self.call(
            "post",
            f"/hits/{self.hit.pk}/adjudication",
            "sofia",
            {"verdict": "false_match", "reason": "Other man."},
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "false_match" and response.json()["adjudicated_by"] == "sofia"
        self.assert_error(
            self.call(
                "post", f"/hits/{self.hit.pk}/adjudication", "sofia", {"verdict": "true_match", "reason": "x"}
            ),
            409,
        )
        assert self.call("get", "/hits", "sofia", status="adjudicated").json()["count"] == 1

    def test_adjudication_is_refused_to_officers_and_checked_strictly(self) -> None:
        self.assert_error(
            self.call(
                "post",
                f"/hits/{self.hit.pk}/adjudication",
                "alice",
                {"verdict": "false_match", "reason": "x"},
            ),
            403,
        )
        self.assert_error(
            self.call(
                "post", f"/hits/{self.hit.pk}/adjudication", "sofia", {"verdict": "maybe", "reason": "x"}
            ),
            422,
        )


class WatchlistApiTests(ScreeningApiTestCase):
    def upload(self, who: str, code: str, data: bytes, name: str = "list.csv", **form: str) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return Client().post(
            f"/api/v1/screening/watchlists/{code}/imports",
            {"file": SimpleUploadedFile(name, data), **form},
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
        )

    def test_a_watchlist_manager_lists_and_creates_lists(self) -> None:
        (listed,) = self.call("get", "/watchlists", "wendy").json()
        assert (listed["code"], listed["persons"], listed["documents"]) == ("nat", 4, 1)
        response = self.call(
            "post", "/watchlists", "wendy", {"code": "ptn-gtm", "name": "Guatemala", "source": "partner"}
        )
        assert response.status_code == 201 and response.json()["source"] == "partner"
        self.assert_error(self.call("post", "/watchlists", "wendy", {"code": "nat", "name": "Again"}), 409)
        self.assert_error(self.call("get", "/watchlists", "alice"), 403)

    def test_a_file_is_imported_with_a_mapping(self) -> None:
        response = self.upload(
            "wendy",
            "nat",
            b"ID,Apellidos,Nombres,Tipo\nA1,Mora,Luis,buscado\n",
            mapping=json.dumps(
                {"ID": "entry_id", "Apellidos": "surname", "Nombres": "given_names", "Tipo": "category"}
            ),
            mode="incremental",
        )
        assert response.status_code == 201, response.content
        assert response.json()["created"] == 1
        assert PersonAlert.objects.get(external_id="A1").category == "wanted"

    def test_a_bad_file_is_refused_with_every_located_error_and_nothing_written(self) -> None:
        response = self.upload(
            "wendy", "nat", b"entry_id,surname,category\nB1,Mora,wanted\nB2,,wanted\nB3,Soto,nope\n"
        )
        body = self.assert_error(response, 422)
        assert [(e["line"], e["column"]) for e in body["detail"]["errors"]] == [
            (3, "full_name"),
            (4, "category"),
        ]
        assert not PersonAlert.objects.filter(external_id="B1").exists()
        self.assert_error(self.upload("wendy", "nat", b"x", mapping="{not json"), 400)

    def test_officers_and_supervisors_cannot_import(self) -> None:
        for who in ("alice", "sofia"):
            self.assert_error(self.upload(who, "nat", b"entry_id,surname,category\nC1,Mora,wanted\n"), 403)
        self.assert_error(self.upload("wendy", "nope", b"entry_id\n"), 404)
