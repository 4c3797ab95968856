"""The demo's emergencies: DTM's Haiti figures and the synthetic hurricane, re-runnable."""

import random
from datetime import datetime

from django.utils import timezone

from corredor.displacement import demo, selectors
from corredor.displacement.models import AdminArea, Event, FlowMonitoringPoint
from tests.displacement.test_dtm import REAL, needs_real
from tests.personas import PersonaTestCase


class Demo(PersonaTestCase):
    def test_hurricane_without_dtm(self) -> None:
        event = demo.hurricane_seed(random.Random(1), timezone.localdate())
        assert event.rounds.count() == 2 and event.sites.count() == 3
        point = FlowMonitoringPoint.objects.get(event=event)
        assert point.border_post_id == "PBL" and point.border_post.kind == "land"
        figures = selectors.rounds_figures(user=None, event=event)
        assert figures[1].change is not None and figures[0].individuals > 0
        assert AdminArea.objects.get(pcode="CRI").shape["type"] == "MultiPolygon"
        # Again: the earlier hurricane is replaced, not doubled.
        demo.hurricane_seed(random.Random(1), timezone.localdate())
        assert Event.objects.filter(code=demo.EVENT_CODE).count() == 1

    @needs_real
    def test_seed_imports_dtm_and_the_hurricane(self) -> None:
        summary = demo.seed(
            random.Random(1), datetime(2026, 12, 5, 12, tzinfo=timezone.get_current_timezone())
        )
        assert "57 of 57 rounds" in summary and REAL.is_file()
        assert Event.objects.filter(source="dtm").count() == 5
        assert AdminArea.objects.get(pcode="HTI").shape is not None
