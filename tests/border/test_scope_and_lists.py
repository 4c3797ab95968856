"""Issue 11 (stay extensions scoped to the post, one visibility rule for crossings, audited reads by id and
by page, 400 on bad query strings) and issue 9 item 3 (the post's day filters and pages; the search)."""

import datetime
import json
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from corredor.border import selectors, services
from corredor.core.errors import PermissionDenied
from corredor.core.management.commands.token import token_create
from corredor.core.models import AuditEntry
from tests.factories import DocumentInputFactory, SupervisorFactory, record
from tests.personas import PersonaTestCase, at_the_boundary

NOW = datetime.datetime(2026, 3, 10, 18, 0, tzinfo=datetime.UTC)
TODAY = date(2026, 3, 10)


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api(user: Any, method: str, path: str, body: Any = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {token_create(user=user)}"}
    if method == "get":
        return Client().get(f"/api/v1{path}", params, headers=headers)
    return Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)


class StayExtensionScopeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pablo = SupervisorFactory(username="pablo", border_post_id="PBL")
        cls.at_pbl = record(cls.bob, DocumentInputFactory(), on=date(2024, 1, 1))

    def test_a_supervisor_extends_only_the_stays_granted_at_their_post(self) -> None:
        stay = self.at_pbl.stay
        assert stay is not None
        denied = AuditEntry.objects.filter(action="denied").count()
        with pytest.raises(PermissionDenied) as caught, at_the_boundary():
            services.stay_extend(
                officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 6, 1), reason="asked"
            )
        assert "PBL" in caught.value.message
        assert AuditEntry.objects.filter(action="denied").count() == denied + 1
        response = api(
            self.sofia,
            "post",
            f"/stays/{stay.pk}/extensions",
            {"authorised_until": "2024-06-01", "reason": "x"},
        )
        assert response.status_code == 403
        assert services.stay_extend(
            officer=self.pablo, stay_id=stay.pk, authorised_until=date(2024, 6, 1), reason="asked"
        ).authorised_until == date(2024, 6, 1)
        assert services.stay_extend(
            officer=self.admin, stay_id=stay.pk, authorised_until=date(2024, 7, 1), reason="again"
        ).authorised_until == date(2024, 7, 1)


class OneRuleForCrossingsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        doc = DocumentInputFactory(surname="VIAJERO")
        cls.entry = record(cls.alice, doc, on=date(2024, 1, 1)).crossing
        cls.exit = record(cls.bob, doc, on=date(2024, 1, 20), direction="exit").crossing

    def test_the_traveller_page_shows_only_the_officer_s_post_like_the_list(self) -> None:
        page = client_for(self.bob).get(f"/travellers/{self.entry.traveller_id}/").content.decode()
        assert str(self.exit.document.number) in page
        assert "2024-01-20" in page and "2024-01-01 " not in page.split('id="hidden-crossings"')[1]
        assert 'id="hidden-crossings"' in page and "1 crossing at another post is not shown" in page
        history = selectors.traveller_get(user=self.bob, traveller_id=self.entry.traveller_id)
        assert [c.pk for c in history.crossings] == [self.exit.pk]
        assert history.stays == []
        assert history.status.last_crossing is not None  # derived from every crossing
        body = api(self.bob, "get", f"/travellers/{self.entry.traveller_id}").json()
        assert [c["id"] for c in body["crossings"]] == [str(self.exit.pk)]
        assert (
            len(selectors.traveller_get(user=self.admin, traveller_id=self.entry.traveller_id).crossings) == 2
        )

    def test_a_crossing_read_by_id_is_audited_as_that_crossing(self) -> None:
        response = api(self.alice, "get", f"/crossings/{self.entry.pk}")
        assert response.status_code == 200
        last = AuditEntry.objects.filter(object_type="border.crossing").order_by("-id").first()
        assert last is not None and (last.action, last.object_id) == ("read", str(self.entry.pk))
        assert api(self.bob, "get", f"/crossings/{self.entry.pk}").status_code == 404
        last = AuditEntry.objects.filter(object_type="border.crossing").order_by("-id").first()
        assert last is not None and (last.action, last.object_id) == ("denied", str(self.entry.pk))

    def test_paging_through_crossings_shows_in_the_audit(self) -> None:
        for offset in (0, 1):
            assert api(self.admin, "get", "/crossings", limit=1, offset=offset).status_code == 200
        summaries = list(
            AuditEntry.objects.filter(object_type="border.crossing", object_id="list")
            .order_by("-id")
            .values_list("summary", flat=True)[:2]
        )
        assert "offset=1 limit=1 rows=1 of 2" in summaries[0]
        assert "offset=0 limit=1 rows=1 of 2" in summaries[1]


class BadQueryStringTests(PersonaTestCase):
    def test_impossible_dates_and_unknown_codes_are_400(self) -> None:
        sofia = client_for(self.sofia)
        for path in (
            "/post/day/?day=2024-02-30",
            "/post/day/?day=yesterday",
            "/post/day/?direction=sideways",
            "/post/day/?page=0",
            "/overstays/?as_of=2024-13-01",
            "/overstays/?post=ZZZ",
            "/desk/allowance/?stay_category=tourist&traveller_id=not-a-uuid",
            "/desk/allowance/?stay_category=tourist&area_entered_on=2024-02-31",
            "/desk/allowance/?stay_category=pilgrim",
        ):
            response = sofia.get(path)
            assert response.status_code == 400, (path, response.status_code)
            assert "Traceback" not in response.content.decode()
        for path, params in (
            ("/crossings", {"date_from": "2024-02-30"}),
            ("/crossings", {"post": "ZZZ"}),
            ("/overstays", {"post": "ZZZ"}),
            ("/overstays", {"as_of": "2024-02-30"}),
        ):
            response = api(self.admin, "get", path, **params)
            assert response.status_code in (400, 422), (path, params, response.status_code)
            assert set(response.json()) == {"message", "detail"}


@time_machine.travel(NOW, tick=False)
class PostDayTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.carla = SupervisorFactory(username="carla", border_post_id="SJO", role="officer")
        with time_machine.travel(NOW, tick=False):
            for i in range(3):
                record(
                    cls.alice,
                    DocumentInputFactory(),
                    occurred_at=NOW - timedelta(hours=1 + i),
                    transport_reference="CM412",
                )
            record(
                cls.carla,
                DocumentInputFactory(),
                occurred_at=NOW - timedelta(hours=5),
                transport_reference="AV600",
            )
            record(
                cls.carla,
                DocumentInputFactory(),
                occurred_at=NOW - timedelta(hours=6),
                decision="refused",
                stay_category=None,
            )

    def test_filters_narrow_the_list_and_keep_the_totals_honest(self) -> None:
        sofia = client_for(self.sofia)

        def rows(**params: str) -> int:
            html = sofia.get("/post/day/", params).content.decode()
            return html.split("<tbody>")[1].split("</tbody>")[0].count("<tr")

        assert rows() == 5
        assert rows(officer="carla") == 2
        assert rows(flight="cm 412") == 3
        assert rows(decision="refused") == 1
        for empty in ({"direction": "exit"}, {"hits": "on"}):  # nothing left, nothing screened as a hit
            assert "No crossings on this day." in sofia.get("/post/day/", empty).content.decode()
        html = sofia.get("/post/day/", {"officer": "carla"}).content.decode()
        assert "Refused: <strong>1</strong>" in html and "Entries: <strong>1</strong>" in html

    def test_the_day_pages(self) -> None:
        import corredor.border.views as views

        original = views.POST_DAY_PAGE
        views.POST_DAY_PAGE = 2
        try:
            sofia = client_for(self.sofia)
            first = sofia.get("/post/day/", {"officer": "alice"}).content.decode()
            assert "Page 1 of 2 (3 crossings)" in first and 'rel="next"' in first
            assert "officer=alice" in first.split('rel="next" href="')[1].split('"')[0]
            second = sofia.get("/post/day/", {"officer": "alice", "page": "2"}).content.decode()
            assert second.split("<tbody>")[1].count("<tr") == 1 and 'rel="prev"' in second
        finally:
            views.POST_DAY_PAGE = original


class TravellerSearchTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        typed = DocumentInputFactory(surname="Núñez Peña", given_names="José Ángel", number="C 0123 456")
        cls.nunez = record(cls.alice, typed, on=date(2024, 1, 1)).crossing.traveller
        cls.plain = record(
            cls.alice, DocumentInputFactory(surname="NUNEZ", given_names="ANA"), on=date(2024, 1, 2)
        )

    def found(self, query: str) -> set[str]:
        return {t.surname for t in selectors.traveller_search(user=self.alice, query=query)}

    def test_names_are_found_with_or_without_accents(self) -> None:
        assert self.nunez.surname == "NÚÑEZ PEÑA"
        assert self.found("NUNEZ") == {"NÚÑEZ PEÑA", "NUNEZ"}
        assert self.found("nunez pena") == {"NÚÑEZ PEÑA"}
        assert self.found("Núñez") == {"NÚÑEZ PEÑA", "NUNEZ"}
        assert self.found("jose angel") == {"NÚÑEZ PEÑA"}
        assert self.found("NUNEZ.*") == set()  # the query is text, not a pattern

    def test_by_document_number_as_typed(self) -> None:
        assert self.found("C0123456") == {"NÚÑEZ PEÑA"}
        assert self.found("c 0123 456") == {"NÚÑEZ PEÑA"}
        html = client_for(self.alice).get("/travellers/", {"q": "NUNEZ"}).content.decode()
        assert "NÚÑEZ PEÑA" in html
