"""After a flight: who on the list presented, who did not, who presented naming the flight without being on
it; a list that arrives after its travellers; API coverage per carrier; who may see what, and the audit."""

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from corredor.border import services as border_services
from corredor.core.errors import PermissionDenied
from corredor.core.management.commands.token import token_create
from corredor.core.models import AuditEntry
from corredor.manifests import selectors, services
from corredor.manifests.models import Flight, Source
from tests.factories import DocumentInputFactory, record
from tests.manifests import edifact, flight_list, passenger
from tests.personas import PersonaTestCase

ARRIVED = datetime.timedelta(hours=4)


def doc_of(person: Any) -> Any:
    """The document the traveller shows at the desk: the one on the list."""
    return DocumentInputFactory(
        nationality=person.nationality,
        number=person.documents[0].number,
        surname=person.surname,
        given_names=person.given_names,
        birth_date=person.birth_date,
    )


class FlightProcessedTestCase(PersonaTestCase):
    """CM412 landed at SJO four hours ago with five passengers: three presented, two did not; two more
    travellers presented naming CM412 without being on the list; others came by AV600 or gave no flight."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.arrival = timezone.now() - ARRIVED
        people = [passenger(f"PAX{i}", "ANA", number=f"X400000{i}") for i in range(5)]
        services.manifest_receive(
            data=edifact(flight_list(passengers=0, extra=people, arrival=cls.arrival)), source=Source.FOLDER
        )
        cls.flight = Flight.objects.get()
        at = cls.arrival + datetime.timedelta(minutes=35)
        cls.presented = [record(cls.alice, doc_of(p), occurred_at=at).crossing for p in people[:3]]
        cls.stranger = record(
            cls.alice, DocumentInputFactory(surname="STRANGER"), occurred_at=at, transport_reference="cm 0412"
        ).crossing
        record(cls.alice, DocumentInputFactory(surname="OTHER"), occurred_at=at, transport_reference="CM412")
        record(
            cls.alice, DocumentInputFactory(surname="AVIANCA"), occurred_at=at, transport_reference="AV600"
        )
        record(cls.alice, DocumentInputFactory(surname="UNKNOWN"), occurred_at=at)
        record(cls.bob, DocumentInputFactory(surname="BYLAND"), occurred_at=at, transport_reference="CM412")


class ReconciliationTests(FlightProcessedTestCase):
    def test_presented_not_presented_and_not_on_the_list(self) -> None:
        detail = selectors.flight_detail(user=self.sofia, flight_id=self.flight.pk)
        rec = detail.reconciliation
        assert rec.processed
        assert sorted(p.surname for p in rec.presented) == ["PAX0", "PAX1", "PAX2"]
        assert {p.crossing_id for p in rec.presented} == {c.pk for c in self.presented}
        assert sorted(p.surname for p in rec.not_presented) == ["PAX3", "PAX4"]
        assert sorted(c.traveller.surname for c in rec.not_on_list) == ["OTHER", "STRANGER"]

    def test_the_supervisors_page_shows_it(self) -> None:
        self.client.force_login(self.sofia)
        html = self.client.get(f"/flights/{self.flight.pk}/").content.decode()
        assert "On the list, did not present" in html and "PAX3, ANA" in html
        assert "STRANGER" in html
        listing = self.client.get("/flights/").content.decode()
        assert 'data-flight="CM412"' in listing and "Processed" in listing

    def test_the_api_gives_the_same(self) -> None:
        token = token_create(user=self.sofia)
        body = (
            Client()
            .get(f"/api/v1/manifests/flights/{self.flight.pk}", headers={"Authorization": f"Bearer {token}"})
            .json()
        )
        assert len(body["persons"]) == 5 and len(body["not_presented"]) == 2
        assert str(self.stranger.pk) in body["not_on_list"]


class LateListTests(PersonaTestCase):
    def test_a_list_received_after_its_travellers_presented_links_them(self) -> None:
        arrival = timezone.now() - ARRIVED
        early = passenger("EARLY", "BIRD", number="X5000001")
        crossing = record(
            self.alice, doc_of(early), occurred_at=arrival + datetime.timedelta(minutes=20)
        ).crossing
        services.manifest_receive(
            data=edifact(flight_list(passengers=2, extra=[early], arrival=arrival)), source=Source.FOLDER
        )
        detail = selectors.flight_detail(user=self.sofia, flight_id=Flight.objects.get().pk)
        assert [p.crossing_id for p in detail.reconciliation.presented] == [crossing.pk]


class CoverageTests(FlightProcessedTestCase):
    def coverage(self, user: Any, post: str | None = "SJO") -> selectors.Coverage:
        today = timezone.localdate()
        return selectors.api_coverage(
            user=user, post=post, date_from=today - datetime.timedelta(days=1), date_to=today
        )

    def test_share_of_air_arrivals_on_a_list_by_carrier(self) -> None:
        result = self.coverage(self.sofia)
        rows = {row.carrier: (row.arrivals, row.on_list) for row in result.rows}
        assert rows == {"CM": (5, 3), "AV": (1, 0), "": (1, 0)}
        assert (result.total.arrivals, result.total.on_list) == (7, 3)
        assert result.rows[0].share == 3 / 5

    def test_a_corrected_crossing_still_counts_as_on_the_list(self) -> None:
        border_services.crossing_correct(
            officer=self.sofia, crossing_id=self.presented[0].pk, reason="wrong time", decision="referred"
        )
        rows = {row.carrier: (row.arrivals, row.on_list) for row in self.coverage(self.sofia).rows}
        assert rows["CM"] == (5, 3)

    def test_over_the_api_for_analysts(self) -> None:
        token = token_create(user=self.ana)
        today = timezone.localdate()
        response = Client().get(
            "/api/v1/manifests/coverage",
            {"date_from": str(today - datetime.timedelta(days=1)), "date_to": str(today)},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["total"] == {"carrier": "", "arrivals": 7, "on_list": 3, "share": 3 / 7}

    def test_who_may_see_coverage(self) -> None:
        assert self.coverage(self.ana, post=None).total.arrivals == 7
        assert self.coverage(self.admin).total.arrivals == 7
        for user, post in ((self.alice, "SJO"), (self.sofia, "PBL"), (self.aud, None)):
            try:
                self.coverage(user, post=post)
            except PermissionDenied:
                continue
            raise AssertionError(f"{user.username} saw coverage of {post}")


class PermissionTests(FlightProcessedTestCase):
    def test_an_officer_sees_their_posts_flights_but_not_another_posts(self) -> None:
        self.client.force_login(self.alice)
        assert self.client.get(f"/flights/{self.flight.pk}/").status_code == 200
        self.client.force_login(self.bob)
        assert self.client.get(f"/flights/{self.flight.pk}/").status_code == 403
        token = token_create(user=self.bob)
        response = Client().get(
            "/api/v1/manifests/flights", {"post": "SJO"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 403
        assert AuditEntry.objects.filter(action="denied", object_id="post:SJO", username="bob").exists()

    def test_an_analyst_is_refused_the_people_on_lists(self) -> None:
        self.client.force_login(self.ana)
        assert self.client.get(f"/flights/{self.flight.pk}/").status_code == 403
        assert self.client.get("/flights/?post=SJO").status_code == 403
        token = token_create(user=self.ana)
        response = Client().get(
            f"/api/v1/manifests/flights/{self.flight.pk}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 403
        assert set(response.json()) == {"message", "detail"}

    def test_a_carrier_account_cannot_read_lists(self) -> None:
        carrier = services.carrier_account_create(username="copa", carrier="CM").user
        token = token_create(user=carrier)
        for path in (f"/api/v1/manifests/flights/{self.flight.pk}", "/api/v1/manifests/flights?post=SJO"):
            assert Client().get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 403
        assert not carrier.has_usable_password()

    def test_reading_a_flight_is_audited(self) -> None:
        selectors.flight_detail(user=self.sofia, flight_id=self.flight.pk)
        entry = AuditEntry.objects.filter(object_type="manifests.flight", action="read").first()
        assert entry.object_id == str(self.flight.pk) and "CM412" in entry.summary

    def test_receiving_is_audited(self) -> None:
        created = AuditEntry.objects.filter(object_type="manifests.manifestlist", action="create")
        assert created.count() == 1 and "5 people" in created.get().summary
        assert AuditEntry.objects.filter(object_type="manifests.manifestmessage", action="create").exists()

    def test_the_supervisors_flight_list(self) -> None:
        self.client.force_login(self.sofia)
        html = self.client.get("/flights/").content.decode()
        assert 'data-flight="CM412"' in html
        summary = selectors.flights_for_post(
            user=self.sofia,
            post_code="SJO",
            start=timezone.now() - datetime.timedelta(days=1),
            end=timezone.now() + datetime.timedelta(days=1),
        )
        (row,) = summary
        assert (row.passengers, row.crew, row.presented, row.hits_open) == (5, 0, 3, 0)
