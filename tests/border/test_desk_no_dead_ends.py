"""The desk never traps the officer (issue 9, item 1): days apply to admission only, an exhausted allowance is
explained, an adjudicated hit no longer reads as awaiting a supervisor, and a passenger list's flight fills
the flight field."""

import datetime
from datetime import date

import time_machine
from django.test import Client
from django.utils import timezone

from corredor.border.models import Crossing
from corredor.manifests import services as manifest_services
from corredor.screening import services as screening_services
from corredor.screening.models import Hit
from tests.factories import DocumentInputFactory, mrz_for, record
from tests.manifests import edifact, flight_list, passenger
from tests.personas import PersonaTestCase
from tests.screening import ScreeningTestCase, wanted_document

# The day the two earlier 90-day stays have used up the 180 days in any 365 (see test_selectors).
EXHAUSTED_ON = datetime.datetime(2024, 9, 1, 15, 0, tzinfo=datetime.UTC)


class NoDaysLeftTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.doc = DocumentInputFactory(surname="AGOTADA", given_names="LUISA")
        with time_machine.travel(EXHAUSTED_ON, tick=False):
            record(cls.alice, cls.doc, on=date(2024, 1, 1))
            record(cls.alice, cls.doc, on=date(2024, 3, 30), direction="exit")
            record(cls.alice, cls.doc, on=date(2024, 5, 1))
            record(cls.alice, cls.doc, on=date(2024, 7, 29), direction="exit")

    def setUp(self) -> None:
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.client.force_login(self.alice)

    def test_the_desk_says_which_rule_and_which_stays_and_what_to_do(self) -> None:
        with time_machine.travel(EXHAUSTED_ON, tick=False):
            html = self.client.post("/desk/scan/", {"mrz": mrz_for(self.doc)}).content.decode()
        assert 'max="0"' not in html  # a browser constraint that would block every button
        assert 'id="no-days"' in html
        assert "No days of stay are left under the rule" in html
        assert "at most 180 days in any 365" in html
        assert "2024-01-01 – 2024-03-30" in html and "2024-05-01 – 2024-07-29" in html
        assert "refuse entry" in html and "refer the traveller" in html
        for action in ("exit", "refuse", "refer"):
            assert f'value="{action}"' in html
        assert (
            'value="refer" class="warning" data-key="4" data-default' in html
        )  # admission cannot be recorded

    def test_exit_refusal_and_referral_are_recorded_whatever_the_days_box_says(self) -> None:
        mrz = mrz_for(self.doc)
        with time_machine.travel(EXHAUSTED_ON, tick=False):
            for action, decision in (("refer", "referred"), ("refuse", "refused")):
                # What the old page sent: the days box at 0 (and a browser without validation sends it too).
                response = self.client.post(
                    "/desk/record/",
                    {
                        "mrz": mrz,
                        "action": action,
                        "stay_category": "tourist",
                        "stay_days": "0",
                        "refusal_ground": "F",
                    },
                )
                assert response.status_code == 200, response.content.decode()[:300]
                assert Crossing.objects.filter(decision=decision, traveller__surname="AGOTADA").exists()
            response = self.client.post(
                "/desk/record/", {"mrz": mrz, "action": "exit", "stay_days": "-4", "stay_category": ""}
            )
            assert response.status_code == 200
            # Admission itself is still refused, with the rule's name.
            response = self.client.post(
                "/desk/record/", {"mrz": mrz, "action": "entry", "stay_category": "tourist"}
            )
            assert response.status_code == 400
            assert "No days of stay are left" in response.content.decode()


class AdjudicatedHitTests(ScreeningTestCase):
    def test_a_confirmed_hit_no_longer_awaits_a_supervisor(self) -> None:
        doc = wanted_document()
        record(self.alice, doc, decision="referred", stay_category=None)
        hit = Hit.objects.get()
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        before = client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert "until a supervisor adjudicates this hit" in before
        screening_services.hit_adjudicate(
            user=self.sofia, hit_id=hit.pk, verdict="true_match", reason="Same person, checked photo."
        )
        after = client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert "until a supervisor adjudicates this hit" not in after
        assert "the hit is confirmed" in after


class ExpectedFlightTests(PersonaTestCase):
    def test_the_expected_flight_fills_the_flight_field(self) -> None:
        birth = date(1990, 2, 3)
        manifest_services.manifest_receive(
            data=edifact(
                flight_list(
                    extra=[passenger("WHITAKER", "EMILY ROSE", number="X3000001", birth_date=birth)],
                    arrival=timezone.now() - datetime.timedelta(minutes=40),
                )
            ),
            source="folder",
        )
        doc = DocumentInputFactory(
            nationality="USA",
            surname="WHITAKER",
            given_names="EMILY ROSE",
            birth_date=birth,
            number="X3000001",
        )
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        html = client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert "Expected on flight CM412" in html
        assert 'name="transport_reference" maxlength="40" value="CM412"' in html
