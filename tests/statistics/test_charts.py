"""The charts and what they are drawn from, without the database: the map's place names readable over its
circles and in the reader's language, its description translated with plural forms and the reader's
digits, the periods a chart over time draws, the top categories that leak no withheld cell."""

import re
from datetime import date
from typing import Any

from django.utils import translation

from corredor.statistics import charts, geo
from corredor.statistics.engine import period_coverage
from corredor.statistics.selectors import CORRIDOR_BOX, chart_periods, top_categories

POINTS = [(-90.0, 15.0, 1234, "a"), (-99.0, 33.4, 40, "b"), (-104.0, 25.5, 3, "c")]


def map_svg(lang: str, **options: Any) -> str:
    with translation.override(lang):
        return charts.map_chart(
            [], POINTS, box=CORRIDOR_BOX, title="t", labels=geo.corridor_labels(lang), **options
        )


def desc(svg: str) -> str:
    found = re.search(r"<desc>(.*?)</desc>", svg)
    assert found
    return found.group(1)


def test_map_place_names_are_drawn_over_the_circles_with_a_halo() -> None:
    svg = map_svg("en")
    last_circle = svg.rindex("<circle")
    names = [m.start() for m in re.finditer(r"<text [^>]*>United States</text>", svg)]
    # A white halo first, then the name in ink: both after every circle, so none covers the name.
    assert len(names) == 2 and min(names) > last_circle
    halo = re.search(r"<text [^>]*>United States</text>", svg)
    assert halo and 'stroke="#ffffff"' in halo.group(0) and 'aria-hidden="true"' in halo.group(0)


def test_map_place_names_follow_the_language() -> None:
    with translation.override("es"):
        spanish = {name for _lon, _lat, name in geo.corridor_labels("es")}
    with translation.override("en"):
        english = {name for _lon, _lat, name in geo.corridor_labels("en")}
    assert spanish == {"México", "Estados Unidos", "Colombia", "El Caribe"}
    assert english == {"Mexico", "United States", "Colombia", "The Caribbean"}


def test_map_description_is_translated_with_plurals_and_local_digits() -> None:
    assert desc(map_svg("en", incidents=5)) == "5 incidents, 1,277 people dead or missing"
    assert desc(map_svg("es", incidents=5)) == "5 incidentes, 1\xa0277 personas muertas o desaparecidas"
    with translation.override("es"):
        one = charts.map_chart([], [(-90.0, 15.0, 1, "")], box=CORRIDOR_BOX, title="t")
    assert desc(one) == "1 incidente, 1 persona muerta o desaparecida"


def test_pyramid_names_women_and_men_in_the_reader_language() -> None:
    with translation.override("es"):
        svg = charts.pyramid(["0-11"], [10], [12], title="t")
    assert ">Mujeres<" in svg and ">Hombres<" in svg and ">Women<" not in svg


def test_a_withheld_value_is_a_gap_not_a_zero() -> None:
    svg = charts.line_chart(["a", "b", "c"], [("s", [5, None, 7])], title="t")
    assert svg.count("<circle") == 2
    assert "b —" in desc(svg)


MONTHS = [date(2025, m, 1) for m in (10, 11, 12)] + [date(2026, m, 1) for m in range(1, 12)]


def test_period_coverage_by_the_records() -> None:
    first, last = date(2025, 11, 26), date(2026, 11, 25)
    assert period_coverage(date(2025, 10, 1), "month", first, last) == "none"
    assert period_coverage(date(2025, 11, 1), "month", first, last) == "begins"
    assert period_coverage(date(2025, 12, 1), "month", first, last) == "whole"
    assert period_coverage(date(2026, 11, 1), "month", first, last) == "ends"
    assert period_coverage(date(2026, 12, 1), "month", first, last) == "none"
    assert period_coverage(date(2026, 1, 1), "year", first, last) == "ends"
    assert period_coverage(date(2026, 3, 4), "day", first, last) == "whole"


def test_the_month_the_records_begin_in_is_left_out_and_the_one_they_end_in_marked() -> None:
    with translation.override("en"):
        drawn = chart_periods(
            periods=MONTHS[1:],  # the engine leaves out October: the records do not reach it
            unit="month",
            first_day=date(2025, 11, 26),
            last_day=date(2026, 11, 25),
            label=lambda m: f"{m:%b %y}",
        )
    assert drawn.labels[0] == "Dec 25" and drawn.labels[-1] == "Nov 26*"
    assert len(drawn.labels) == 12 and drawn.indexes == list(range(1, 13))
    assert drawn.pick(list(range(13))) == list(range(1, 13))
    assert drawn.partial == {date(2025, 11, 1), date(2026, 11, 1)}
    assert "the records begin on Nov. 26, 2025" in drawn.note and "not drawn" in drawn.note
    assert "* Nov 26 is incomplete (the records end on Nov. 25, 2026)" in drawn.note


def test_a_period_holding_all_the_records_is_drawn_marked_not_left_out() -> None:
    first, last = date(2026, 2, 1), date(2026, 3, 9)
    assert period_coverage(date(2026, 1, 1), "year", first, last) == "both"
    with translation.override("en"):
        drawn = chart_periods(
            periods=[date(2026, 1, 1)], unit="year", first_day=first, last_day=last, label=str
        )
    assert drawn.indexes == [0] and drawn.labels == ["2026-01-01*"]
    assert "the records run from" in drawn.note


def test_whole_periods_need_no_note() -> None:
    drawn = chart_periods(
        periods=MONTHS[2:6],
        unit="month",
        first_day=date(2025, 11, 26),
        last_day=date(2026, 11, 25),
        label=str,
    )
    assert drawn.indexes == [0, 1, 2, 3] and drawn.note == "" and not drawn.partial


class Series:
    """A one-dimensional protected result as `top_categories` reads it."""

    def __init__(self, pairs: list[tuple[str, int | None]]) -> None:
        self.pairs = pairs

    def series(self) -> list[tuple[str, int | None]]:
        return self.pairs


def test_top_categories_list_only_entries_largest_first_and_never_a_withheld_one() -> None:
    result = Series([("CAN", 12), ("DEU", 0), ("HTI", None), ("NIC", 40), ("USA", 12), ("ZAF", 0)])
    assert top_categories(result, 10) == [("NIC", 40), ("CAN", 12), ("USA", 12)]  # type: ignore[arg-type]
    assert top_categories(result, 1) == [("NIC", 40)]  # type: ignore[arg-type]
