"""The demo's protection: the directory, the agency logins, a child referred from the desk awaiting PANI,
a return due to leave from the officer's post, and the child's MRZ to try at the desk."""

import random
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from corredor.border.demo import demo_load, demo_users_ensure
from corredor.core.models import User
from corredor.icao import parse_mrz
from corredor.protection import demo
from corredor.protection.models import Avrr, ServiceProvider, Transition
from tests.personas import load_reference


class DemoSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("CRI")
        demo_load(travellers=600, seed=3, year_end=timezone.localdate() - timedelta(days=1))
        demo_users_ensure()
        cls.summary = demo.seed(rng=random.Random(3), now=timezone.now())

    def test_the_directory_logins_and_cases(self) -> None:
        assert ServiceProvider.objects.filter(border_referrals=True).count() == 4
        assert User.objects.get(username="trabajadora").protection_membership.provider.code == "pani"
        assert User.objects.get(username="gestora").role == "case_manager"
        referral = Transition.objects.get(to_provider__code="pani")
        assert referral.status == "in_progress" and referral.created_by.username == "oficial"
        avrr = Avrr.objects.get()
        assert avrr.status == "travel" and avrr.departure_post_id == "SJO" and avrr.partner.code == "camr-hnd"
        assert "trabajadora (caseworker at pani)" in self.summary

    def test_the_child_to_try_at_the_desk_is_a_valid_passport(self) -> None:
        result = parse_mrz(demo.demo_child_mrz())
        assert result.valid and result.nationality == "HND"

    def test_seeding_twice_adds_nothing(self) -> None:
        again = demo.seed(rng=random.Random(3), now=timezone.now())
        assert "already there" in again and Transition.objects.filter(to_provider__code="pani").count() == 1
