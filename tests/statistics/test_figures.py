"""The figure layer (issue 12 item 5): the dashboard's cards and the bulletin's charts are the same
figures, built by one function each; the engine's cache is reset through one helper."""

from datetime import timedelta

from django.utils import translation

from corredor.statistics import engine as engine_module
from corredor.statistics import figures
from corredor.statistics.bulletin import bulletin_context
from corredor.statistics.engine import Engine, Query
from tests.statistics import StatisticsTestCase
from tests.statistics.test_publishing import client_for


class FigureLayer(StatisticsTestCase):
    TRAVELLERS = 150

    def test_dashboard_and_bulletin_draw_the_same_figures(self) -> None:
        response = client_for(self.ana).get("/statistics/")
        cards = {card.id: card for card in response.context["cards"]}
        assert all(isinstance(card, figures.Figure) for card in cards.values())
        month = f"{self.year_end.replace(day=1) - timedelta(days=1):%Y-%m}"
        with translation.override("en"):
            bulletin = bulletin_context(month=month, user=self.ana)
        shared = {
            "trend": "trend",
            "net": "net",
            "nationalities": "nationalities",
            "pyramid": "sex-age",
            "posts": "posts",
            "regions": "regions",
            "stock": "in-country",
            "rate": "overstay-rate",
        }
        for key, card_id in shared.items():
            assert bulletin["titles"][key] == cards[card_id].title, key
        # Each card carries its chart, its table and its downloads.
        for card in cards.values():
            assert (
                card.svg.startswith("<svg")
                and card.tables
                and card.download
                and "format=csv" in card.download["csv"]
            )

    def test_engine_cache_behind_one_helper(self) -> None:
        engine = Engine()
        start, end = engine.default_range()
        engine.run(Query.make(measures=["entries"], by=["sex"], date_from=start, date_to=end))
        assert engine_module._CACHE
        engine_module.cache_clear()
        assert not engine_module._CACHE
