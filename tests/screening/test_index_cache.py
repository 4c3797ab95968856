"""The process's index: built once, then kept current change by change (no rebuild for a small change);
removed, deactivated and expired alerts leave it."""

import datetime
from unittest import mock

from django.utils import timezone

from corredor.matching.records import Name, PartialDate, Traveller
from corredor.screening import index_cache, selectors, services
from corredor.screening.models import PersonAlert, ScreeningChange, ScreeningState
from tests.screening import ScreeningTestCase

WANTED = Traveller(
    Name(surname="PEREZ CASTILLO", given_names="JUAN CARLOS"), PartialDate(1980, 2, 3), "NIC", "M"
)


def hits(traveller: Traveller) -> set[str]:
    screening = selectors.screening_run(traveller=traveller)
    return {m.alert.external_id for m in screening.persons} | {
        m.alert.external_id for m in screening.documents
    }


def document(number: str, state: str = "NIC") -> Traveller:
    return Traveller(Name(surname="LOPEZ", given_names="ANA"), document_number=number, issuing_state=state)


class IndexCacheTests(ScreeningTestCase):
    def test_a_new_alert_is_seen_at_the_next_screening_without_a_rebuild(self) -> None:
        assert hits(WANTED) == {"W-WANTED"}
        built = index_cache._loaded
        newcomer = Traveller(
            Name(surname="ZELEDON", given_names="MARTA"), PartialDate(1970, 1, 2), "CRI", "F"
        )
        assert hits(newcomer) == set()
        self.import_csv("entry_id,surname,given_names,birth_date,category\nW-NEW,Zeledón,Marta,1970,wanted\n")
        assert hits(newcomer) == {"W-NEW"}
        assert index_cache._loaded is built  # upserted, not rebuilt

    def test_one_cheap_query_per_screening_when_nothing_changed(self) -> None:
        hits(WANTED)
        with self.assertNumQueries(1):
            index_cache.screen(WANTED)

    def test_a_removed_alert_leaves_the_index(self) -> None:
        assert hits(WANTED) == {"W-WANTED"}
        self.import_csv("entry_id,remove\nW-WANTED,yes\n")
        assert hits(WANTED) == set()
        assert PersonAlert.objects.get(external_id="W-WANTED").pk not in index_cache.current_index()

    def test_a_deactivated_list_screens_nobody_until_it_is_active_again(self) -> None:
        assert hits(WANTED) == {"W-WANTED"}
        services.watchlist_set_active(
            user=self.wendy,
            watchlist=self.watchlist,
            active=False,
            reason="Source withdrawn.",
            confirmed=True,
        )
        assert hits(WANTED) == set() and hits(document("C00123456")) == set()
        services.watchlist_set_active(user=self.wendy, watchlist=self.watchlist, active=True)
        assert hits(WANTED) == {"W-WANTED"} and hits(document("C00123456")) == {"D-STOLEN"}

    def test_expired_and_not_yet_valid_alerts_do_not_hit(self) -> None:
        today = timezone.localdate()
        # An import refuses a validity already past: the alert expires while listed (ended yesterday).
        self.import_csv(
            "entry_id,surname,given_names,birth_date,category,valid_from,valid_until\n"
            f"W-WANTED,Pérez Castillo,Juan Carlos,1980-02-03,wanted,,{today}\n"
        )
        PersonAlert.objects.filter(external_id="W-WANTED").update(
            valid_until=today - datetime.timedelta(days=1)
        )
        index_cache.reset()
        assert hits(WANTED) == set()
        self.import_csv(
            "entry_id,surname,given_names,birth_date,category,valid_from,valid_until\n"
            f"W-WANTED,Pérez Castillo,Juan Carlos,1980-02-03,wanted,{today + datetime.timedelta(days=3)},\n"
        )
        assert hits(WANTED) == set()

    def test_an_alert_that_expires_overnight_leaves_the_index_the_next_day(self) -> None:
        today = timezone.localdate()
        self.import_csv(
            "entry_id,surname,given_names,birth_date,category,valid_until\n"
            f"W-WANTED,Pérez Castillo,Juan Carlos,1980-02-03,wanted,{today}\n"
        )
        assert hits(WANTED) == {"W-WANTED"}
        pk = PersonAlert.objects.get(external_id="W-WANTED").pk
        with mock.patch("django.utils.timezone.localdate", return_value=today + datetime.timedelta(days=1)):
            assert hits(WANTED) == set()
            assert pk not in index_cache.current_index()

    def test_a_document_alert_whose_number_changed_no_longer_hits_on_the_old_number(self) -> None:
        assert hits(document("C00123456")) == {"D-STOLEN"}
        self.import_csv("entry_id,issuing_state,number,reason\nD-STOLEN,NIC,C00999888,stolen\n")
        assert hits(document("C00123456")) == set()
        assert hits(document("C00999888")) == {"D-STOLEN"}

    def test_a_sequence_that_went_back_rebuilds_the_index(self) -> None:
        hits(WANTED)
        built = index_cache._loaded
        ScreeningState.objects.filter(pk=1).update(sequence=0, token="restored")
        assert hits(WANTED) == {"W-WANTED"}
        assert index_cache._loaded is not built

    def test_a_rewritten_history_rebuilds_even_when_the_sequence_moved_on(self) -> None:
        hits(WANTED)
        built = index_cache._loaded
        assert built is not None
        # As after a restore (or a rolled-back test): the change the index stands at is not the one it saw.
        ScreeningChange.objects.filter(sequence=built.sequence).update(token="another history")
        self.import_csv("entry_id,surname,category\nM3,Mora,wanted\n")
        assert hits(WANTED) == {"W-WANTED"}
        assert index_cache._loaded is not built

    def test_many_changes_at_once_rebuild_rather_than_upsert(self) -> None:
        hits(WANTED)
        built = index_cache._loaded
        with mock.patch.object(index_cache, "REBUILD_AFTER_CHANGES", 1):
            self.import_csv("entry_id,surname,category\nM1,Mora,wanted\nM2,Soto,wanted\n")
            hits(WANTED)
        assert index_cache._loaded is not built
