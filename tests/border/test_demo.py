"""`corredor demo`: the synthetic year loads, is realistic enough to demonstrate with, and is reproducible."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from corredor.border.demo import SCRIPTED, DemoError, demo_load
from corredor.border.models import Crossing, Stay, TravelDocument, Traveller
from corredor.border.selectors import overstay_rows, traveller_status
from corredor.core.models import AuditEntry, User
from corredor.icao import parse_mrz

YEAR_END = timezone.localdate() - timedelta(days=30)


def run_demo(*args: str) -> str:
    """The border part of the demo alone: the watchlist and flight seeders have their own tests."""
    out = StringIO()
    with mock.patch("corredor.demo.management.commands.demo.DEMO_SEEDERS", []):
        call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return sorted(
        Crossing.objects.values_list(
            "id",
            "document__issuing_state",
            "document__number",
            "direction",
            "post",
            "occurred_at",
            "decision",
        )
    )


def scripted(key: str) -> Traveller:
    wanted = next(s for s in SCRIPTED if s.key == key)
    return TravelDocument.objects.get(issuing_state=wanted.nationality, number=wanted.number).traveller


class LoadedDemoTests(TestCase):
    """One demo load (300 travellers) shared by the tests that only read it."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = run_demo("--travellers", "300", "--seed", "7", "--year-end", YEAR_END.isoformat())

    def test_demo_logins_exist_with_their_roles_posts_and_passwords(self) -> None:
        expected = {
            "admin": ("administrator", None),
            "oficial": ("officer", "SJO"),
            "oficial2": ("officer", "PBL"),
            "supervisora": ("supervisor", "SJO"),
            "analista": ("analyst", None),
            "auditora": ("auditor", None),
            "listas": ("watchlist_manager", None),
        }
        for username, (role, post) in expected.items():
            user = User.objects.get(username=username)
            self.assertEqual((user.role, user.border_post_id), (role, post), username)
            self.assertTrue(user.check_password(username), username)
            self.assertIn(username, self.output)
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.is_staff and admin.is_superuser)
        self.assertIn("corredor token create oficial", self.output)

    def test_the_per_post_officers_cannot_log_in(self) -> None:
        officer = User.objects.get(username="oficial.lir")
        self.assertEqual((officer.role, officer.border_post_id), ("officer", "LIR"))
        self.assertFalse(officer.has_usable_password())

    def test_every_stored_mrz_is_valid_and_says_what_the_document_record_says(self) -> None:
        documents = list(TravelDocument.objects.all())
        self.assertGreater(len(documents), 300)
        self.assertTrue(any(d.document_code == "ID" for d in documents), "some TD1 identity cards")
        for doc in documents:
            result = parse_mrz(doc.mrz)
            self.assertTrue(result.valid, (doc.mrz, result.errors))
            self.assertEqual(
                (
                    result.document_code,
                    result.issuing_state,
                    result.document_number,
                    result.surname,
                    result.given_names,
                    result.nationality,
                    result.birth_date,
                    result.expiry_date,
                    result.sex,
                ),
                (
                    doc.document_code,
                    doc.issuing_state_id,
                    doc.number,
                    doc.surname,
                    doc.given_names,
                    doc.nationality_id,
                    doc.birth_date,
                    doc.expiry_date,
                    doc.sex,
                ),
            )

    def test_no_crossing_is_in_the_future_or_outside_the_year_or_at_night_at_a_land_post(self) -> None:
        year_start = YEAR_END - timedelta(days=364)
        crossings = list(Crossing.objects.select_related("post"))
        self.assertGreater(len(crossings), 600)
        for crossing in crossings:
            local = timezone.localtime(crossing.occurred_at)
            self.assertLessEqual(crossing.occurred_at, timezone.now())
            self.assertTrue(year_start <= local.date() <= YEAR_END, crossing)
            if crossing.post.kind == "land":
                self.assertTrue(6 <= local.hour < 22, crossing)

    def test_every_admitted_entry_has_a_stay_and_nothing_else_has_one(self) -> None:
        admitted_entries = Crossing.objects.filter(direction="entry", decision="admitted").count()
        self.assertEqual(Stay.objects.count(), admitted_entries)
        self.assertFalse(Stay.objects.exclude(entry__direction="entry", entry__decision="admitted").exists())

    def test_there_are_overstays_refusals_and_travellers_within_their_stay(self) -> None:
        rows = overstay_rows(as_of=YEAR_END)
        self.assertGreaterEqual(len(rows), 3)
        self.assertTrue(Crossing.objects.filter(decision="refused").exists())
        within = [
            stay
            for stay in Stay.objects.filter(authorised_until__gte=YEAR_END).select_related("traveller")
            if traveller_status(traveller=stay.traveller, as_of=YEAR_END).in_country
        ]
        self.assertGreater(len(within), 1)

    def test_the_scripted_travellers_show_what_their_labels_say(self) -> None:
        here = traveller_status(traveller=scripted("in_country"), as_of=YEAR_END)
        self.assertTrue(here.in_country)
        self.assertEqual(here.overstay_days, 0)
        over = traveller_status(traveller=scripted("overstay"), as_of=YEAR_END)
        self.assertTrue(over.in_country)
        self.assertGreater(over.overstay_days, 30)
        self.assertIn(scripted("overstay").pk, {row.traveller_id for row in overstay_rows(as_of=YEAR_END)})
        expired = scripted("expired").documents.get()
        self.assertLess(expired.expiry_date, timezone.localdate())
        for s in SCRIPTED:
            for line in s.mrz().split("\n"):
                self.assertIn(line, self.output)

    def test_the_wrong_check_digit_mrz_is_not_stored_and_fails_its_check(self) -> None:
        wrong = next(s for s in SCRIPTED if s.bad_check_digit)
        self.assertFalse(TravelDocument.objects.filter(number=wrong.number).exists())
        result = parse_mrz(wrong.mrz())
        self.assertFalse(result.valid)
        self.assertIn("document_number", {problem.field for problem in result.errors})

    def test_the_load_writes_one_bulk_audit_entry(self) -> None:
        entries = AuditEntry.objects.filter(action="bulk")
        self.assertEqual(entries.count(), 1)
        self.assertIn(f"{Crossing.objects.count()} crossings", entries.get().summary)
        self.assertFalse(AuditEntry.objects.filter(action="create", object_type="border.crossing").exists())


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    run_demo("--travellers", "60", "--seed", "3", "--year-end", YEAR_END.isoformat())
    first = snapshot()
    Stay.objects.all().delete()
    Crossing.objects.all().delete()
    TravelDocument.objects.all().delete()
    Traveller.objects.all().delete()
    run_demo("--travellers", "60", "--seed", "3", "--year-end", YEAR_END.isoformat())
    assert snapshot() == first
    Stay.objects.all().delete()
    Crossing.objects.all().delete()
    run_demo("--travellers", "60", "--seed", "4", "--year-end", YEAR_END.isoformat())
    assert snapshot() != first


@pytest.mark.django_db
def test_if_empty_loads_nothing_more_but_prints_the_logins() -> None:
    run_demo("--travellers", "60", "--year-end", YEAR_END.isoformat())
    before = (Crossing.objects.count(), Traveller.objects.count())
    output = run_demo("--if-empty", "--travellers", "60", "--year-end", YEAR_END.isoformat())
    assert (Crossing.objects.count(), Traveller.objects.count()) == before
    assert AuditEntry.objects.filter(action="bulk").count() == 1
    assert "oficial2" in output


@pytest.mark.django_db
def test_a_second_load_without_if_empty_is_refused() -> None:
    run_demo("--travellers", "20", "--year-end", YEAR_END.isoformat())
    with pytest.raises(CommandError, match="already holds crossings"):
        run_demo("--travellers", "20", "--year-end", YEAR_END.isoformat())


@pytest.mark.django_db
def test_the_scripted_travellers_are_loaded_whatever_the_number_of_travellers() -> None:
    run_demo("--travellers", "0", "--seed", "99", "--year-end", YEAR_END.isoformat())
    stored = [s for s in SCRIPTED if s.stored]
    assert Traveller.objects.count() == len(stored)
    assert traveller_status(traveller=scripted("in_country"), as_of=YEAR_END).in_country


@pytest.mark.django_db
def test_a_year_ending_in_the_future_is_refused() -> None:
    with pytest.raises(DemoError, match="future"):
        demo_load(travellers=10, seed=1, year_end=date.today() + timedelta(days=2))
