"""The demo's passenger lists: today's and tomorrow's flights into SJO and LIR, pre-screened, some travellers
already through the desk, a corrected and a sloppy list, and the scripted passenger expected at the desk."""

import random

from django.utils import timezone

from corredor.border.demo import demo_users_ensure
from corredor.manifests import selectors
from corredor.manifests.demo import SCRIPTED_PASSENGER, seed
from corredor.manifests.models import Flight, ManifestList, ManifestMessage
from tests.personas import PersonaTestCase


class DemoTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo_users_ensure()
        cls.now = timezone.now()
        cls.printed = seed(rng=random.Random(3), now=cls.now, scale=0.1)

    def test_flights_today_and_tomorrow_at_both_airports(self) -> None:
        flights = Flight.objects.all()
        assert flights.count() == 16
        assert set(flights.values_list("post_id", flat=True)) == {"SJO", "LIR"}
        days = {timezone.localdate(f.expected_at) for f in flights}
        assert timezone.localdate(self.now) + timezone.timedelta(days=1) in days
        assert ManifestList.objects.filter(list_type="crew").count() == 16
        assert ManifestList.objects.filter(version=2).count() == 2
        assert any(
            "CNT 42 declares" in w["message"] for m in ManifestMessage.objects.all() for w in m.warnings
        )

    def test_landed_flights_show_both_no_shows_and_travellers_not_on_the_list(self) -> None:
        landed = [f for f in Flight.objects.filter(expected_at__lt=self.now - timezone.timedelta(hours=2))]
        assert landed
        for flight in landed:
            rec = selectors.flight_detail(user=self.admin, flight_id=flight.pk).reconciliation
            # Until three hours after landing, who has not presented is still awaited, not a no-show.
            waiting = rec.not_presented if rec.processed else rec.awaited
            assert rec.presented and waiting and rec.not_on_list, flight

    def test_the_scripted_passenger_is_expected_at_the_desk(self) -> None:
        assert SCRIPTED_PASSENGER.mrz().split("\n")[0] in self.printed
        self.client.force_login(self.alice)
        html = self.client.post("/desk/scan/", {"mrz": SCRIPTED_PASSENGER.mrz()}).content.decode()
        assert "Expected on flight CM412" in html

    def test_seeding_twice_loads_nothing_more(self) -> None:
        lists = ManifestList.objects.count()
        assert "already loaded" in seed(rng=random.Random(3), now=self.now)
        assert ManifestList.objects.count() == lists


class DemoWithWatchlistTests(PersonaTestCase):
    """With the screening demo's watchlist loaded first (as `corredor demo` does), the wanted traveller booked
    on IB6313 is a hit to prepare for before the flight lands."""

    def test_the_wanted_passenger_is_a_pre_arrival_hit(self) -> None:
        from corredor.border.demo import demo_load
        from corredor.border.models import Traveller
        from corredor.screening import demo as screening_demo

        now = timezone.now()
        demo_load(travellers=40, seed=2, year_end=timezone.localdate(now))
        demo_users_ensure()
        screening_demo.seed(rng=random.Random(2), travellers=list(Traveller.objects.all()))
        printed = seed(rng=random.Random(3), now=now, scale=0.1)
        assert "Pre-arrival hit: RONDON CARRASQUERO, YORMAN JOSE on IB6313" in printed
        flight = Flight.objects.get(carrier="IB", number="6313")
        assert flight.expected_at > now
        assert selectors._open_hits_by_flight([flight.pk])[flight.pk] >= 1
