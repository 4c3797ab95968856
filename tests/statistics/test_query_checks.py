"""Statistics that hold up (issue 10 item 5, issue 11): a bad filter or date is a 400 that says what is
wrong, on the pages and in the API, never a 500 and never the unfiltered totals under the filter asked
for; the nationality picker shows names."""

import pytest

from corredor.core.errors import ApplicationError
from corredor.statistics.forms import StatisticsQueryForm
from tests.statistics import StatisticsTestCase
from tests.statistics.test_publishing import client_for

BAD = [
    ({"nationality": "ZZZ"}, "nationality", "ZZZ"),
    ({"sex": "Q"}, "sex", "Q"),
    ({"from": "2026-02-30"}, "from", "valid date"),
    ({"to": "9999-12-31"}, "to", "outside"),
    ({"age_band": "old"}, "age_band", "old"),
    ({"region": "atlantis"}, "region", "atlantis"),
    ({"post": "NOPE"}, "post", "NOPE"),
    ({"period": "week"}, "period", "week"),
]


class BadQueries(StatisticsTestCase):
    TRAVELLERS = 120

    def test_pages_answer_400_saying_what_is_wrong(self) -> None:
        client = client_for(self.ana)
        for url in (
            "/statistics/",
            "/statistics/explore/?measure=entries",
            "/statistics/download/?measure=entries&by=sex",
        ):
            for params, field, words in BAD:
                response = client.get(url, params)
                assert response.status_code == 400, (url, params, response.status_code)
                text = response.content.decode()
                assert field in text and words in text, (url, params)

    def test_bulletin_month_out_of_the_calendar_is_400(self) -> None:
        client = client_for(self.ana)
        for month, words in (("9999-12", "outside"), ("2026-13", "YYYY-MM"), ("2026-1", "YYYY-MM")):
            response = client.get("/statistics/bulletin/", {"month": month})
            assert response.status_code == 400, (month, response.status_code)
            assert words in response.content.decode()

    def test_api_answers_400_with_detail(self) -> None:
        client = client_for(self.ana)
        for params, field in (
            ({"date_from": "2026-02-30"}, "date_from"),
            ({"date_to": "9999-12-31"}, "date_to"),
            ({"filter": "sex=Q"}, "sex"),
            ({"filter": "nationality=ZZZ"}, "nationality"),
            ({"filter": "colour=blue"}, "colour"),
            ({"min_cell": "many"}, "min_cell"),
        ):
            for path in ("/api/v1/statistics/table", "/api/v1/statistics/export"):
                response = client.get(path, {"measure": "entries", **params})
                assert response.status_code == 400, (path, params, response.status_code)
                body = response.json()
                assert [d["field"] for d in body["detail"]] == [field], body

    def test_a_good_filter_filters(self) -> None:
        client = client_for(self.ana)
        everyone = client.get("/api/v1/statistics/table", {"measure": "entries", "by": "sex"}).json()
        women = client.get(
            "/api/v1/statistics/table", {"measure": "entries", "by": "sex", "filter": "sex=F"}
        ).json()
        assert {c["categories"]["sex"] for c in women["cells"]} <= {"F", "_T"}
        assert everyone["cells"] != women["cells"]

    def test_nationality_picker_shows_names(self) -> None:
        html = client_for(self.ana).get("/statistics/").content.decode()
        assert '<select id="f-nat" name="nationality">' in html
        assert ">Nicaragua</option>" in html or ">Nicaragua (NIC)</option>" in html

    def test_unknown_countries_on_the_context_page_and_external_api(self) -> None:
        client = client_for(self.ana)
        response = client.get("/statistics/context/", {"country": "ZZZ"})
        assert response.status_code == 400 and "ZZZ" in response.content.decode()
        response = client.get("/api/v1/statistics/external", {"dataset": "undesa-stock", "origin": "Narnia"})
        assert response.status_code == 400 and response.json()["detail"][0]["field"] == "origin"
        assert client.get("/statistics/context/", {"country": "mex"}).status_code == 200

    def test_command_line_export_checks_the_same(self) -> None:
        import io

        from django.core.management import call_command

        for args in (["--filter", "sex=Q"], ["--to", "9999-12-31"], ["--filter", "nationality=ZZZ"]):
            with pytest.raises(ApplicationError) as raised:
                call_command(
                    "stats", "export", "--measure", "entries", "--by", "sex", *args, stdout=io.StringIO()
                )
            assert raised.value.status == 400, args

    def test_officer_with_a_bad_filter_is_refused_not_told_about_the_filter(self) -> None:
        assert client_for(self.alice).get("/statistics/", {"sex": "Q"}).status_code == 403


def test_the_form_names_every_bad_parameter() -> None:
    form = StatisticsQueryForm({"from": "2026-02-30", "month": "9999-12"}, filters={"sex": ["Q"]})
    with pytest.raises(ApplicationError) as raised:
        form.parsed()
    assert raised.value.status == 400
    assert {d["field"] for d in raised.value.detail} == {"from", "month", "sex"}
