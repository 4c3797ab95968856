"""Pre-arrival screening through the adapter: everyone screened the moment the list arrives; "not screened"
(and the list kept) when the screening app is not installed or fails; hits to prepare for and what the
airline is told. The last tests run only with the screening app installed."""

import threading
import unittest
from typing import Any
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from corredor.border.services import crossing_record
from corredor.core.audit import acting_as, actor_for
from corredor.manifests import screening_adapter, selectors, services
from corredor.manifests.models import ManifestList, ManifestPerson, Source
from corredor.paxlst import BoardingDecision
from tests.factories import DocumentInputFactory, OfficerFactory
from tests.manifests import edifact, flight_list, passenger, without_screening
from tests.personas import PersonaTestCase, load_reference


def spying(calls: list[dict[str, Any]]) -> Any:
    """The real batch screening, recording what it was asked."""
    real = screening_adapter._screen_subjects()

    def screen_subjects(**kwargs: Any) -> dict[str, list[Any]]:
        calls.append(kwargs)
        return real(**kwargs)  # type: ignore[misc]

    return mock.patch.object(screening_adapter, "_screen_subjects", return_value=screen_subjects)


def receive(**kwargs: Any) -> ManifestList:
    receipt = services.manifest_receive(data=edifact(flight_list(**kwargs)), source=Source.FOLDER)
    return receipt.lists[0].manifest_list


class AdapterTests(PersonaTestCase):
    @without_screening
    def test_without_the_screening_app_everyone_is_not_screened(self, _installed: Any) -> None:
        manifest_list = receive(passengers=4)
        assert set(manifest_list.persons.values_list("screening_status", "screening_note")) == {
            ("not_screened", "The screening app is not installed.")
        }
        (row,) = selectors.flights_for_post(
            user=self.sofia,
            post_code="SJO",
            start=timezone.now(),
            end=timezone.now() + timezone.timedelta(days=1),
        )
        assert row.not_screened == 4 and row.hits_open == 0

    def test_a_screening_failure_keeps_the_list_unscreened(self) -> None:
        def broken(**kwargs: Any) -> dict[str, list[Any]]:
            raise RuntimeError("index unavailable")

        with mock.patch.object(screening_adapter, "_screen_subjects", return_value=broken):
            manifest_list = receive(passengers=3)
        assert manifest_list.persons.count() == 3
        assert set(manifest_list.persons.values_list("screening_note", flat=True)) == {
            "Screening failed: index unavailable"
        }

    def test_a_later_version_screens_only_who_is_new_or_changed(self) -> None:
        calls: list[dict[str, Any]] = []
        message = flight_list(passengers=0, extra=[passenger("ONE", "A", number="X8000001")])
        with spying(calls):
            services.manifest_receive(data=edifact(message), source=Source.FOLDER)
            message.persons.append(passenger("TWO", "B", number="X8000002"))
            services.manifest_receive(data=edifact(message, interchange_reference="2"), source=Source.FOLDER)
        refs = [[traveller.name.surname for _ref, traveller in call["subjects"]] for call in calls]
        assert refs == [["ONE"], ["TWO"]]
        assert set(
            ManifestPerson.objects.filter(manifest_list__is_current=True).values_list(
                "screening_status", flat=True
            )
        ) == {"clear"}


@unittest.skipUnless(screening_adapter.screening_installed(), "the screening app is not installed")
class WithTheScreeningAppTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from corredor.screening import services as screening

        watchlist = screening.watchlist_create(
            user=None, code="stolen", name="Stolen documents", owner="DGME", source="national"
        )
        report = screening.watchlist_import(
            user=None,
            watchlist=watchlist,
            data=b"entry_id,issuing_state,document_type,number,reason\nD1,USA,P,X9000001,stolen\n",
            filename="stolen.csv",
        )
        assert report.ok, report.errors

    def test_a_stolen_passport_on_the_list_is_a_hit_to_prepare_for(self) -> None:
        manifest_list = receive(passengers=3, extra=[passenger("HOLDER", "OF STOLEN", number="X9000001")])
        person = manifest_list.persons.get(surname="HOLDER")
        assert person.screening_status == "hit" and len(person.hits) == 1
        assert set(
            manifest_list.persons.exclude(pk=person.pk).values_list("screening_status", flat=True)
        ) == {"clear"}
        detail = selectors.flight_detail(user=self.sofia, flight_id=manifest_list.flight_id)
        assert [(h.person.surname, h.status) for h in detail.hits] == [("HOLDER", "open")]
        decisions = dict((p.surname, d) for p, d in selectors.boarding_decisions(manifest_list=manifest_list))
        assert decisions["HOLDER"] == BoardingDecision.CONTACT_AUTHORITY

    def test_an_adjudicated_false_match_lets_the_passenger_board(self) -> None:
        from corredor.screening import services as screening

        manifest_list = receive(passengers=1, extra=[passenger("HOLDER", "OF STOLEN", number="X9000001")])
        person = manifest_list.persons.get(surname="HOLDER")
        screening.hit_adjudicate(
            user=self.sofia, hit_id=person.hits[0]["id"], verdict="false_match", reason="another passport"
        )
        decisions = dict((p.surname, d) for p, d in selectors.boarding_decisions(manifest_list=manifest_list))
        assert decisions["HOLDER"] == BoardingDecision.BOARD

    def test_subjects_are_sent_as_travellers_and_hits_kept(self) -> None:
        from corredor.screening.models import Hit

        calls: list[dict[str, Any]] = []
        wanted = passenger("WANTED", "PERSON", number="X9000001", nationality="USA")
        with spying(calls):
            manifest_list = receive(passengers=2, extra=[wanted])
        (call,) = calls
        assert (call["source"], call["post_code"], call["crossing"]) == ("manifest", "SJO", None)
        ref, traveller = call["subjects"][-1]
        person = ManifestPerson.objects.get(surname="WANTED")
        assert ref == str(person.screening_ref)
        assert (traveller.name.surname, traveller.name.given_names, str(traveller.birth_date)) == (
            "WANTED",
            "PERSON",
            "1985-05-17",
        )
        assert (traveller.document_number, traveller.issuing_state, traveller.nationality) == (
            "X9000001",
            "USA",
            "USA",
        )
        assert person.screening_status == "hit"
        (kept,) = person.hits
        hit = Hit.objects.get(pk=kept["id"])
        assert kept == {"id": str(hit.pk), "status": "open", "summary": str(hit)}
        decisions = dict((p.surname, d) for p, d in selectors.boarding_decisions(manifest_list=manifest_list))
        assert decisions["WANTED"] == BoardingDecision.CONTACT_AUTHORITY
        page = f"/flights/{manifest_list.flight_id}/"
        self.client.force_login(self.sofia)
        assert hit.description in self.client.get(page).content.decode()
        # An officer of the post may open the flight, but not what the lists hold.
        self.client.force_login(self.alice)
        html = self.client.get(page).content.decode()
        assert hit.description not in html and "shown to supervisors" in html
        # At the desk, the officer is told there is a hit to adjudicate.
        from tests.factories import DocumentInputFactory, mrz_for

        doc = DocumentInputFactory(
            issuing_state="USA",
            nationality="USA",
            number="X9000001",
            surname="WANTED",
            given_names="PERSON",
            birth_date=wanted.birth_date,
        )
        scan = self.client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert "Pre-arrival screening: 1 hit to adjudicate." in scan


@unittest.skipUnless(screening_adapter.screening_installed(), "the screening app is not installed")
class BigListAndTheDeskTests(TransactionTestCase):
    """A big list is screened in batches with no transaction open across them: on SQLite a transaction holds
    the one write lock, and the desk's crossings waited for a whole list's screening (issue 11: 15 s)."""

    def setUp(self) -> None:
        load_reference("CRI")
        self.alice = OfficerFactory(username="alice", border_post_id="SJO")

    def test_the_desk_records_crossings_while_a_big_list_is_being_screened(self) -> None:
        calls: list[tuple[int, bool]] = []
        recorded: list[Any] = []
        failed: list[BaseException] = []
        real = screening_adapter._screen_subjects()

        def desk() -> None:
            # Another officer's crossing, on its own connection, in the middle of the list's screening.
            try:
                document = DocumentInputFactory(number=f"D{len(recorded):07d}")
                with acting_as(actor_for(self.alice, "test")):
                    recorded.append(
                        crossing_record(
                            officer=self.alice,
                            post_code="SJO",
                            direction="entry",
                            decision="admitted",
                            document=document,
                            stay_category="tourist",
                        )
                    )
            except BaseException as error:  # reported below, in the test's thread
                failed.append(error)
            finally:
                connection.close()

        def screen_subjects(**kwargs: Any) -> dict[str, list[Any]]:
            calls.append((len(kwargs["subjects"]), connection.in_atomic_block))
            if len(calls) == 1:
                thread = threading.Thread(target=desk)
                thread.start()
                thread.join(timeout=30)
            return real(**kwargs)  # type: ignore[misc]

        with mock.patch.object(screening_adapter, "_screen_subjects", return_value=screen_subjects):
            manifest_list = receive(passengers=3 * services.SCREENING_BATCH)
        assert failed == [] and len(recorded) == 1
        assert calls == [(services.SCREENING_BATCH, False)] * 3
        assert set(manifest_list.persons.values_list("screening_status", flat=True)) == {"clear"}
        assert manifest_list.persons.count() == 3 * services.SCREENING_BATCH
