"""Disclosure control that protects without destroying, and holds against differencing (issue 10 item 5,
issue 11): sex X published where safe, else merged with "not stated"; secondary suppression takes the
smallest complementary cells, not whole categories; fine tables only for whole months that have ended (the
one-day-apart differencing attack, tried); huge tables refused with their cell count; a bulletin for a
month that has not ended is partial and compares nothing (clock pinned)."""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import time_machine
from django.conf import settings
from django.utils import translation

from corredor.statistics import exports
from corredor.statistics.bulletin import bulletin_context, bulletin_html
from corredor.statistics.disclosure import PUBLISHED, SECONDARY, add_margins, protect
from corredor.statistics.engine import DIMENSIONS, MEASURES, TOTAL, UNKNOWN, Engine, Result, period_start
from corredor.statistics.selectors import whole_months
from tests.statistics import StatisticsTestCase
from tests.statistics.test_publishing import client_for

K = 5
NATIONALITIES = ["CRI", "NIC", "PAN", "HND", "GTM", "SLV"]


def _nationality_by_sex(interior: np.ndarray, sexes: list[str]) -> Result:
    table = add_margins(interior, [0, 1])
    return Result(
        measure=MEASURES["entries"],
        dims=[DIMENSIONS["nationality"], DIMENSIONS["sex"]],
        categories=[[*NATIONALITIES[: interior.shape[0]], TOTAL], [*sexes, TOTAL]],
        margin_axes=[0, 1],
        values=table.copy(),
        support=table.copy(),
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
    )


def _women_withheld(result: Result) -> int:
    women = result.categories[1].index("F")
    return int((result.status[:-1, women] != PUBLISHED).sum())


def test_a_few_sex_x_travellers_do_not_hide_the_womens_figures() -> None:
    # Six nationalities, many women and men, one or two with sex X each, a few with sex not stated.
    interior = np.array(
        [[40, 52, 1, 4], [31, 29, 2, 5], [25, 33, 1, 6], [18, 22, 2, 4], [60, 48, 1, 5], [15, 17, 2, 6]]
    )
    sexes = ["F", "M", "X", UNKNOWN]
    # Before: X protected cell by cell, and every row needs a second withheld cell to protect it.
    plain = _nationality_by_sex(interior, sexes)
    plain.status = protect(plain.support, margin_axes=[0, 1], k=K).status
    assert (plain.status[:-1, 2] != PUBLISHED).all()
    # Now: X merged with "not stated" for publication; nothing else withheld, totals as they were.
    result = _nationality_by_sex(interior, sexes).protect(K)
    assert result.merged == {"sex": "X"}
    assert result.categories[1] == ["F", "M", UNKNOWN, TOTAL]
    assert _women_withheld(result) == 0 and int((result.status != PUBLISHED).sum()) == 0
    assert result.value_at("NIC", UNKNOWN) == 7 and result.value_at("NIC", TOTAL) == 67
    assert result.value_at(TOTAL, TOTAL) == int(interior.sum())
    with translation.override("en"):  # the English label; es/fr/ht have their own
        assert exports.label("sex", UNKNOWN) == "Other or not stated"
    with translation.override("en"):
        assert any("Sex X" in line for line in exports.method_lines(result))


def test_sex_x_is_published_where_it_is_safe() -> None:
    interior = np.array([[40, 52, 6], [31, 29, 0], [25, 33, 9]])
    result = _nationality_by_sex(interior, ["F", "M", "X"]).protect(K)
    assert result.merged == {} and result.value_at("CRI", "X") == 6
    assert int((result.status != PUBLISHED).sum()) == 0


def test_secondary_suppression_takes_the_smallest_complementary_cells() -> None:
    # One small cell: the cube's other corners are the smallest cells of its row, its column and their
    # crossing, not a whole category (a whole column or row).
    interior = np.array([[2, 30, 9, 40], [50, 60, 70, 80], [6, 90, 7, 95], [100, 120, 110, 130]])
    table = add_margins(interior, [0, 1])
    status = protect(table, margin_axes=[0, 1], k=K).status
    secondary = sorted(tuple(int(i) for i in c) for c in np.argwhere(status == SECONDARY))
    assert secondary == [(0, 2), (2, 0), (2, 2)]  # 9 in its row, 6 in its column, 7 where they cross
    assert int((status[:, 1] != PUBLISHED).sum()) == 0 and int((status[1, :] != PUBLISHED).sum()) == 0


def test_sdmx_does_not_tell_primary_from_secondary() -> None:
    interior = np.array([[2, 30, 9, 40], [50, 60, 70, 80], [6, 90, 7, 95]])
    result = _nationality_by_sex(interior, ["F", "M", "X", UNKNOWN])
    result.merged = {"sex": "X"}  # as merged; what matters here is the flags
    result.protect(K)
    rows = list(csv.reader(io.StringIO(exports.render(result, "sdmx-csv").content.decode())))
    flags = {row[-1] for row in rows[1:]}
    assert "C" in flags and "D" not in flags


class Publication(StatisticsTestCase):
    TRAVELLERS = 400

    def test_one_day_apart_differencing_attack(self) -> None:
        engine = Engine()
        months = whole_months(engine, *engine.default_range())
        assert months is not None
        # The attack, tried on the engine without the rule: two tables by nationality over ranges one day
        # apart, both published, whose difference is a small count of one nationality on one day.
        found = None
        end = months[1]
        while found is None and end > months[0]:
            start = period_start(end, "month")
            whole = engine.table("entries", by=["nationality"], date_from=start, date_to=end).protect(K)
            shorter = engine.table(
                "entries", by=["nationality"], date_from=start, date_to=end - timedelta(days=1)
            ).protect(K)
            for code, value in whole.series():
                before = shorter.value_at(code)
                if value is not None and before is not None and 0 < value - before < K:
                    found = (start, end, code, value - before)
                    break
            end = start - timedelta(days=1)
        assert found is not None, "the demo year should make the attack possible without the rule"
        start, end, code, _revealed = found
        client = client_for(self.ana)
        params = {"measure": "entries", "by": "nationality"}
        whole_month = client.get(
            "/api/v1/statistics/table", {**params, "date_from": start.isoformat(), "date_to": end.isoformat()}
        )
        assert whole_month.status_code == 200
        for date_from, date_to in ((start, end - timedelta(days=1)), (start + timedelta(days=1), end)):
            for path in ("/api/v1/statistics/table", "/api/v1/statistics/export"):
                response = client.get(
                    path, {**params, "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
                )
                assert response.status_code == 400, (path, date_from, date_to)
                assert "whole months" in response.json()["message"]
            page = client.get(
                "/statistics/explore/",
                {
                    "measure": "entries",
                    "by": "nationality",
                    "from": date_from.isoformat(),
                    "to": date_to.isoformat(),
                },
            )
            assert page.status_code == 400 and "whole months" in page.content.decode()
        # A filter makes a table by day a fine one too: refused over a range that is not whole months.
        response = client.get(
            "/api/v1/statistics/table",
            {
                "measure": "entries",
                "by": "day",
                "filter": f"nationality={code}",
                "date_from": start.isoformat(),
                "date_to": (end - timedelta(days=1)).isoformat(),
            },
        )
        assert response.status_code == 400
        # Tables by time alone keep any range: each period is a cell of its own.
        response = client.get(
            "/api/v1/statistics/table",
            {
                "measure": "entries",
                "by": "day",
                "date_from": start.isoformat(),
                "date_to": (end - timedelta(days=1)).isoformat(),
            },
        )
        assert response.status_code == 200

    def test_the_month_in_progress_is_left_out_of_fine_tables(self) -> None:
        engine = Engine()
        client = client_for(self.ana)
        table = client.get("/api/v1/statistics/table", {"measure": "entries", "by": "nationality"}).json()
        ended = whole_months(engine, *engine.default_range())
        assert ended is not None and (table["date_from"], table["date_to"]) == (
            ended[0].isoformat(),
            ended[1].isoformat(),
        )
        board = client.get("/statistics/").context["board"]
        assert (board.fine_from, board.fine_to) == ended
        assert board.date_to == engine.last_day  # the series still run to the last day recorded

    def test_a_range_without_a_whole_month_shows_no_breakdowns(self) -> None:
        engine = Engine()
        # The first half of a month that has ended: no whole month in the range.
        start = period_start(period_start(engine.last_day, "month") - timedelta(days=1), "month")
        response = client_for(self.ana).get(
            "/statistics/",
            {"from": start.isoformat(), "to": start.replace(day=15).isoformat(), "period": "day"},
        )
        assert response.status_code == 200
        ids = {card.id for card in response.context["cards"]}
        assert "trend" in ids and "nationalities" not in ids and "sex-age" not in ids
        assert 'id="fine-missing"' in response.content.decode()

    def test_huge_tables_are_refused_with_their_cell_count(self) -> None:
        client = client_for(self.ana)
        by = "nationality,post,day,sex,age_band"
        response = client.get("/api/v1/statistics/table", {"measure": "entries", "by": by})
        assert response.status_code == 400
        body = response.json()
        assert "cells" in body["message"] and body["detail"]["cells"] > body["detail"]["limit"]
        assert set(body["detail"]["shape"]) == {"nationality", "post", "day", "sex", "age_band"}
        page = client.get("/statistics/explore/", {"measure": "entries", "by": by.split(",")})
        assert page.status_code == 400 and "cells" in page.content.decode()
        assert len(page.content) < 200_000

    def test_a_bulletin_for_a_month_not_ended_is_partial_and_compares_nothing(self) -> None:
        zone = ZoneInfo(settings.TIME_ZONE)
        # A day in the month before the records' last month: that month has ended in the records, so the
        # same test can pin the clock inside it and after it, whatever day the suite runs.
        month_end = period_start(self.year_end, "month") - timedelta(days=1)
        today = month_end - timedelta(days=9)
        month = f"{today:%Y-%m}"
        with time_machine.travel(datetime.combine(today, time(12), tzinfo=zone), tick=False):
            context = bulletin_context(month=month, user=self.ana)
            html = bulletin_html(month=month, user=self.ana)
        assert context["partial"] and not context["has_prev"] and not context["has_year"]
        assert context["last"] == today - timedelta(days=1)
        assert all(row["before"] == "—" and row["year"] == "—" for row in context["rows"])
        assert "Partial month" in html or "Mes parcial" in html
        # The same month once it has ended: whole, and compared with the month before.
        after = month_end + timedelta(days=2)
        with time_machine.travel(datetime.combine(after, time(12), tzinfo=zone), tick=False):
            ended = bulletin_context(month=month, user=self.ana)
        assert not ended["partial"] and ended["has_prev"]
