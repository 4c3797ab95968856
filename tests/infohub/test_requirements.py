"""The entry guide computes from the stay rules as the desk does: the same rule, the same days."""

from datetime import date

import pycountry
from django.test import TestCase

from corredor.border.selectors import stay_rule_for
from corredor.core.models import StayCategory
from corredor.infohub import requirements, selectors
from tests.personas import load_reference

TODAY = date(2026, 12, 4)


class EntryAnswerFromTheLiveRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("CRI")

    def test_a_nicaraguan_entering_costa_rica_by_land_may_stay_90_days(self) -> None:
        answer = requirements.entry_answer(
            selectors.rules_snapshot_live(), nationality="NIC", mode="land", category="tourist", today=TODAY
        )
        assert answer.days == 90
        assert (answer.window_days, answer.window_length) == (180, 365)
        assert answer.until_if_entering_today == date(2027, 3, 3)
        assert {p["code"] for p in answer.posts} >= {"PBL", "LCH", "PCN"}
        assert all(p["kind"] == "land" for p in answer.posts)
        # Nicaragua is in CA-4, Costa Rica is not: the guide says the area's days do not add up here.
        [ca4] = answer.areas
        assert ca4.nationality_is_member and not ca4.country_is_member and not ca4.days_add_up
        assert answer.national_minor_exit_permit  # Costa Rica's border policy

    def test_nationality_rule_beats_the_general_one(self) -> None:
        answer = requirements.entry_answer(
            selectors.rules_snapshot_live(), nationality="USA", mode="air", category="tourist", today=TODAY
        )
        assert answer.days == 180
        assert all(p["kind"] == "airport" for p in answer.posts)

    def test_the_guide_chooses_the_rule_the_desk_chooses_for_every_nationality(self) -> None:
        snapshot = selectors.rules_snapshot_live()
        for category in StayCategory.objects.filter(code__in=["tourist", "business", "transit"]):
            for country in pycountry.countries:
                desk = stay_rule_for(nationality=country.alpha_3, category=category)
                guide = requirements.choose_rule(
                    snapshot["rules"], snapshot["areas"], nationality=country.alpha_3, category=category.code
                )
                assert (guide or {}).get("id") == (desk.pk if desk else None), (country.alpha_3, category)


class CommonAreaTests(TestCase):
    """Guatemala is in CA-4: a Nicaraguan's days there add up across the area."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("GTM")

    def test_ca4_days_add_up_in_a_member_country(self) -> None:
        snapshot = selectors.rules_snapshot_live()
        snapshot["country"] = "GTM"
        answer = requirements.entry_answer(
            snapshot, nationality="NIC", mode="land", category="tourist", today=TODAY
        )
        assert answer.days == 90
        [ca4] = answer.areas
        assert ca4.days_add_up and ca4.country_is_member
        assert set(ca4.members) == {"GTM", "SLV", "HND", "NIC"}

    def test_open_ended_category_has_no_end(self) -> None:
        answer = requirements.entry_answer(
            selectors.rules_snapshot_live(), nationality="HTI", mode="air", category="asylum", today=TODAY
        )
        assert answer.open_ended and answer.until_if_entering_today is None
