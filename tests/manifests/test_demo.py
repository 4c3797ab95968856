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
            assert rec.presented and rec.not_presented and rec.not_on_list, flight

    def test_the_scripted_passenger_is_expected_at_the_desk(self) -> None:
        assert SCRIPTED_PASSENGER.mrz().split("\n")[0] in self.printed
        self.client.force_login(self.alice)
        html = self.client.post("/desk/scan/", {"mrz": SCRIPTED_PASSENGER.mrz()}).content.decode()
        assert "Expected on flight CM412" in html

    def test_seeding_twice_loads_nothing_more(self) -> None:
        lists = ManifestList.objects.count()
        assert "already loaded" in seed(rng=random.Random(3), now=self.now)
        assert ManifestList.objects.count() == lists
