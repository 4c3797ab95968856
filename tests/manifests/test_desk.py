"""At the desk: a traveller on a list is "expected on flight X" when the document is read (by document, or by
name and birth date), and the crossing recorded is linked to the list entry."""

import datetime
from typing import Any

from django.utils import timezone

from corredor.core.models import AuditEntry
from corredor.manifests import services
from corredor.manifests.models import ManifestPerson, Source
from tests.factories import DocumentInputFactory, mrz_for, record
from tests.manifests import edifact, flight_list, passenger
from tests.personas import PersonaTestCase

EMILY = {"surname": "WHITAKER", "given_names": "EMILY ROSE", "birth_date": datetime.date(1990, 2, 3)}


def receive(**kwargs: Any) -> services.Receipt:
    return services.manifest_receive(data=edifact(flight_list(**kwargs)), source=Source.FOLDER)


class DeskNoticeTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.emily = passenger("WHITAKER", "EMILY ROSE", number="X3000001", birth_date=EMILY["birth_date"])
        cls.emily.seat = "14C"
        receive(extra=[cls.emily], arrival=timezone.now() - datetime.timedelta(minutes=40))

    def scan(self, user: Any, **document: Any) -> str:
        self.client.force_login(user)
        doc = DocumentInputFactory(nationality="USA", **{**EMILY, **document})
        return self.client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()

    def test_the_officer_sees_the_traveller_was_expected(self) -> None:
        html = self.scan(self.alice, number="X3000001")
        assert 'data-source="manifests"' in html
        assert "Expected on flight CM412" in html
        assert "Seat 14C, booking ABC123." in html
        assert "from PTY" in html

    def test_found_by_name_and_birth_date_when_the_document_differs(self) -> None:
        html = self.scan(self.alice, number="Z9999999")
        assert "Expected on flight CM412" in html

    def test_nothing_for_a_traveller_on_no_list(self) -> None:
        html = self.scan(self.alice, number="Z9999999", surname="NOBODY")
        assert 'data-source="manifests"' not in html

    def test_nothing_at_another_post(self) -> None:
        html = self.scan(self.bob, number="X3000001")
        assert 'data-source="manifests"' not in html

    def test_recording_the_entry_links_the_crossing_to_the_list(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(nationality="USA", number="X3000001", **EMILY))
        person = ManifestPerson.objects.get(surname="WHITAKER")
        assert person.crossing_id == recorded.crossing.pk
        entry = AuditEntry.objects.filter(object_type="manifests.manifestperson").first()
        assert entry.object_id == str(person.pk) and str(recorded.crossing.pk) in entry.summary
        # Scanned again (an exit later), the link stays with the entry.
        record(
            self.alice, DocumentInputFactory(nationality="USA", number="X3000001", **EMILY), direction="exit"
        )
        person.refresh_from_db()
        assert person.crossing_id == recorded.crossing.pk

    def test_recording_by_name_and_birth_date_links_too(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(nationality="USA", number="Z7777777", **EMILY))
        assert ManifestPerson.objects.get(surname="WHITAKER").crossing_id == recorded.crossing.pk


class WindowTests(PersonaTestCase):
    def test_a_flight_of_yesterday_is_not_expected_now(self) -> None:
        receive(
            extra=[passenger("WHITAKER", "EMILY ROSE", number="X3000001", birth_date=EMILY["birth_date"])],
            arrival=timezone.now() - datetime.timedelta(hours=30),
        )
        doc = DocumentInputFactory(nationality="USA", number="X3000001", **EMILY)
        recorded = record(self.alice, doc)
        assert ManifestPerson.objects.get(surname="WHITAKER").crossing_id is None
        assert recorded.crossing.pk

    def test_a_passenger_on_a_departing_flight_is_linked_to_the_exit(self) -> None:
        doc = DocumentInputFactory(nationality="USA", number="X3000002", **EMILY)
        record(self.alice, doc, occurred_at=timezone.now() - datetime.timedelta(days=5))
        receive(
            origin="SJO",
            destination="PTY",
            number="413",
            arrival=timezone.now() + datetime.timedelta(hours=4),
            extra=[passenger("WHITAKER", "EMILY ROSE", number="X3000002", birth_date=EMILY["birth_date"])],
        )
        self.client.force_login(self.alice)
        html = self.client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert "Booked on departing flight CM413" in html
        exit_crossing = record(self.alice, doc, direction="exit").crossing
        assert ManifestPerson.objects.get(surname="WHITAKER").crossing_id == exit_crossing.pk
