"""The demo's watchlists: some demo travellers meet hits (one protective, one a spelling variant, one a
stolen passport), the scripted 'watchlist_hit' traveller hits, the other scripted travellers do not."""

import random
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase
from django.utils import timezone

from corredor.border.demo import SCRIPTED, demo_load
from corredor.border.documents import DocumentInput, document_input_from_mrz
from corredor.border.models import TravelDocument, Traveller
from corredor.icao import build_mrz
from corredor.screening import selectors
from corredor.screening.demo import SCRIPTED_HIT, seed
from corredor.screening.hooks import traveller_of
from corredor.screening.models import DocumentAlert, PersonAlert, Watchlist

PINNED_NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def screen(document: DocumentInput) -> selectors.Screening:
    return selectors.screening_run(traveller=traveller_of(document))


class DemoSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The demo draws from the calendar; the test does not depend on the day it runs.
        with time_machine.travel(PINNED_NOW, tick=False):
            cls._seed()

    @classmethod
    def _seed(cls) -> None:
        demo_load(travellers=400, seed=3, year_end=timezone.localdate() - timedelta(days=1))
        cls.summary = seed(rng=random.Random(3), travellers=list(Traveller.objects.order_by("id")))

    def test_two_lists_with_alerts_some_travellers_match(self) -> None:
        assert set(Watchlist.objects.values_list("source", flat=True)) == {"national", "interpol"}
        assert self.summary.startswith("Screening: 2 watchlists")
        outcomes = {}
        for document in TravelDocument.objects.all():
            found = screen(
                DocumentInput(
                    document.document_code,
                    document.issuing_state_id,
                    document.number,
                    document.surname,
                    document.given_names,
                    document.nationality_id,
                    document.birth_date,
                    document.sex,
                    document.expiry_date,
                )
            )
            if found.outcome == "hit":
                outcomes[document.number] = found
        categories = {m.alert.category for found in outcomes.values() for m in found.persons}
        assert {"missing_child", "refused_entry", "notify_on_arrival"} <= categories
        assert any(found.documents for found in outcomes.values())  # a demo passport reported stolen
        assert len(outcomes) <= 5  # the random alerts match nobody
        assert PersonAlert.objects.count() > 20 and DocumentAlert.objects.count() > 5

    def test_the_scripted_watchlist_traveller_hits_and_the_others_do_not(self) -> None:
        fields = {k: v for k, v in SCRIPTED_HIT.items() if k not in ("key", "number")}
        mrz = build_mrz(
            {
                **fields,
                "issuing_state": SCRIPTED_HIT["nationality"],
                "document_number": SCRIPTED_HIT["number"],
            }
        )
        # The MRZ the demo prints (and the README shows) is that one, and it reads without a problem.
        printed = next(s for s in SCRIPTED if s.key == "watchlist_hit").mrz()
        assert printed == mrz
        document, result = document_input_from_mrz(printed)
        assert result.valid, result.errors
        found = screen(document)
        assert [m.alert.category for m in found.persons] == ["wanted"]
        assert found.persons[0].hit.score < 1.0  # the list spells him differently
        for scripted in SCRIPTED:
            if scripted.stored and scripted.key != "watchlist_hit":
                assert screen(document_input_from_mrz(scripted.mrz())[0]).outcome == "clear", scripted.key

    def test_the_printed_mrzs_meet_the_protective_and_the_document_hits(self) -> None:
        lines = self.summary.split("\n")
        printed = {}
        for i, line in enumerate(lines):
            if line.endswith("scan at the desk to meet the hit:"):
                mrz = []
                for following in lines[i + 1 :]:
                    if not following.startswith("    "):
                        break
                    mrz.append(following.strip())
                printed[line.strip().split(" (")[0]] = "\n".join(mrz)
        assert set(printed) == {"A missing child", "A passport reported stolen"}
        child = screen(document_input_from_mrz(printed["A missing child"])[0])
        assert [m.alert.category for m in child.persons] == ["missing_child"]
        assert len(printed["A passport reported stolen"].split("\n")) == 2  # a passport, not an ID card
        stolen = screen(document_input_from_mrz(printed["A passport reported stolen"])[0])
        assert stolen.documents and stolen.documents[0].alert.reason == "stolen"

    def test_seeding_twice_adds_nothing(self) -> None:
        count = PersonAlert.objects.count()
        assert "already" in seed(rng=random.Random(3), travellers=[])
        assert PersonAlert.objects.count() == count
