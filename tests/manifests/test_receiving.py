"""Receiving passenger lists over the API: carrier accounts only, their own flights only, located errors with
nothing stored, sloppy lists stored with warnings, duplicates that change nothing, later lists that replace
earlier ones with the change visible, and the interactive API's CUSRES."""

import datetime
from typing import Any

from django.test import Client

from corredor.core.management.commands.token import token_create
from corredor.core.models import AuditEntry
from corredor.manifests import selectors, services
from corredor.manifests.models import Flight, ManifestList, ManifestMessage, ManifestPerson
from corredor.paxlst import BoardingDecision, read_cusres
from tests.manifests import edifact, flight_list, passenger, without_screening
from tests.personas import PersonaTestCase

SLOPPY = (
    "  \n\nUNA:+.? '\nUNB+UNOA:4+CMAPIS+CRAPI+250818:0400+88'\nUNH+M1+PAXLST:D:05B:UN:IATA+CM0816+01:F'\n"
    "BGM+745'\nNAD+MS+++COPA'\nTDT+20+CM816+++CM'\nLOC+125+PTY'\nDTM+189:2508180555:201'\nLOC+87+SJO'\n"
    "DTM+232:2508180730:201'\n   NAD+FL+++dela cruz:juan miguel'\nATT+2++M'\ndtm+329:770615'\nNAT+2+PH'\n"
    "DOC+P:110:111+P1234567A'\nDTM+36:300101'\nLOC+91+PHL'\nN AD+FL+++MORA:ANA LUCIA'\nATT+2++F'\n"
    "DTM+329:820311'\nNAT+2+CR'\nDOC+P:110:111+117770555'\nDTM+36:281110'\nLOC+91+CRI'\nCNT+42:3'\n"
    "UNT+24+M1'\nUNZ+1+88'\n\n-- sent by APIS gateway v2.3 --\n"
)


def stored_rows() -> dict[str, int]:
    return {
        "messages": ManifestMessage.objects.count(),
        "flights": Flight.objects.count(),
        "lists": ManifestList.objects.count(),
        "persons": ManifestPerson.objects.count(),
    }


class ReceivingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.copa = services.carrier_account_create(username="copa", carrier="CM", name="Copa Airlines").user
        cls.avianca = services.carrier_account_create(username="avianca", carrier="AV").user
        cls.tokens = {user.username: token_create(user=user) for user in (cls.copa, cls.avianca, cls.alice)}

    def send(
        self, data: bytes, who: str | None = "copa", content_type: str = "application/edifact", **headers: Any
    ) -> Any:
        if who:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return Client().post("/api/v1/manifests/messages", data, content_type=content_type, headers=headers)

    def assert_error(self, response: Any, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.content
        body = response.json()
        assert set(body) == {"message", "detail"} and body["message"]
        return body


class ReceiveTests(ReceivingTestCase):
    @without_screening
    def test_a_carrier_sends_its_list_and_gets_a_receipt(self, _installed: Any) -> None:
        message = flight_list(passengers=12)
        response = self.send(edifact(message))
        assert response.status_code == 201, response.content
        receipt = response.json()
        assert receipt["status"] == "stored" and receipt["warnings"] == []
        (item,) = receipt["lists"]
        assert (item["status"], item["list_type"], item["version"], item["persons"]) == (
            "stored",
            "passenger",
            1,
            12,
        )
        assert item["flight"]["designator"] == "CM412" and item["flight"]["post"] == "SJO"
        assert item["flight"]["direction"] == "arrival"
        # Without the screening app, everyone is stored and marked not screened.
        assert item["screening"] == {"clear": 0, "hit": 0, "not_screened": 12}
        stored = ManifestMessage.objects.get(pk=receipt["receipt"])
        assert bytes(stored.raw) == edifact(message)
        assert stored.carrier_account.carrier == "CM"
        person = ManifestPerson.objects.filter(manifest_list_id=item["id"]).order_by("position").first()
        first = message.persons[0]
        assert (person.surname, person.birth_date, person.documents.get().number) == (
            first.surname,
            first.birth_date,
            first.documents[0].number,
        )
        assert person.screening_note == "The screening app is not installed."

    def test_the_plain_text_content_type_is_accepted_too(self) -> None:
        response = self.send(edifact(flight_list()), content_type="text/plain; charset=iso-8859-1")
        assert response.status_code == 201, response.content

    def test_other_content_types_are_refused(self) -> None:
        body = self.assert_error(self.send(b'{"flight": 1}', content_type="application/json"), 415)
        assert "application/edifact" in body["message"]
        assert stored_rows()["messages"] == 0

    def test_without_a_token_nothing_is_received(self) -> None:
        self.assert_error(self.send(edifact(flight_list()), who=None), 401)
        assert stored_rows()["messages"] == 0

    def test_an_officer_is_not_a_carrier(self) -> None:
        body = self.assert_error(self.send(edifact(flight_list()), who="alice"), 403)
        assert "carrier accounts" in body["message"]
        assert stored_rows()["lists"] == 0

    def test_a_carrier_cannot_send_another_carriers_flight(self) -> None:
        body = self.assert_error(self.send(edifact(flight_list(carrier="CM")), who="avianca"), 403)
        assert "AV" in body["message"] and "CM412" in body["message"]
        assert stored_rows() == {"messages": 0, "flights": 0, "lists": 0, "persons": 0}
        denied = AuditEntry.objects.filter(action="denied").first()
        assert denied.object_id == "carrier:CM" and denied.username == "avianca"

    def test_another_carriers_bytes_sent_again_get_no_receipt_and_no_cusres(self) -> None:
        data = edifact(flight_list(carrier="CM", passengers=3))
        first = self.send(data, Accept="application/edifact")
        assert first.status_code == 201
        before = stored_rows()
        for accept in ("application/json", "application/edifact"):
            response = self.send(data, who="avianca", Accept=accept)
            body = self.assert_error(response, 403)
            assert "AV" in body["message"] and "CM412" in body["message"]
            assert (
                b"UNH" not in response.content
                and str(ManifestMessage.objects.get().pk) not in body["message"]
            )
        assert stored_rows() == before
        denied = AuditEntry.objects.filter(action="denied", username="avianca")
        assert [entry.object_id for entry in denied] == ["carrier:CM", "carrier:CM"]
        # Its own carrier still gets the duplicate's receipt.
        again = self.send(data)
        assert (again.status_code, again.json()["status"]) == (200, "duplicate")

    def test_a_message_over_the_limit_is_413_and_says_the_real_limit(self) -> None:
        big = b"UNA:+.? '" + b"X" * (3 * 1024 * 1024)
        body = self.assert_error(self.send(big), 413)
        assert "the limit is 2.5 MB" in body["message"], body["message"]
        assert body["detail"] == {"limit_bytes": 2621440}
        with self.settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024):
            body = self.assert_error(self.send(b"UNA:+.? '" + b"X" * (1024 * 1024 + 1)), 413)
        assert "the limit is 1.0 MB" in body["message"], body["message"]
        assert stored_rows()["messages"] == 0

    def test_a_malformed_message_is_refused_with_its_place_and_nothing_is_stored(self) -> None:
        text = edifact(flight_list()).decode("latin-1")
        start = text.index("TDT+")
        text = text[:start] + text[text.index("'", start) + 1 :]  # no flight
        body = self.assert_error(self.send(text.encode()), 400)
        assert body["message"].startswith("The message cannot be read as PAXLST: segment ")
        assert "names no flight" in body["message"]
        assert body["detail"]["segment"] > 1 and body["detail"]["expected"].startswith("a TDT segment")
        assert stored_rows() == {"messages": 0, "flights": 0, "lists": 0, "persons": 0}

    def test_a_message_of_another_type_says_so(self) -> None:
        body = self.assert_error(self.send(b"UNH+1+CUSRES:D:05B:UN:IATA'BGM+962'UNT+3+1'"), 400)
        assert "CUSRES" in body["message"]

    def test_a_sloppy_list_is_stored_with_warnings(self) -> None:
        response = self.send(SLOPPY.encode())
        assert response.status_code == 201, response.content
        receipt = response.json()
        codes = {w["message"] for w in receipt["warnings"]}
        assert any("lower case" in text for text in codes) and any("CNT 42 declares 3" in t for t in codes)
        assert all(set(w) == {"segment", "tag", "message"} for w in receipt["warnings"])
        persons = ManifestPerson.objects.order_by("position")
        assert [(p.surname, p.nationality) for p in persons] == [("DELA CRUZ", "PHL"), ("MORA", "CRI")]
        assert ManifestList.objects.get().declared_count == 3

    def test_a_flight_that_does_not_come_here_is_refused(self) -> None:
        body = self.assert_error(self.send(edifact(flight_list(destination="MIA"))), 400)
        assert "neither arrives at nor leaves from" in body["message"] and "PTY-MIA" in body["message"]
        assert stored_rows()["lists"] == 0

    def test_a_departing_flight_is_kept_for_its_post(self) -> None:
        response = self.send(edifact(flight_list(origin="SJO", destination="PTY", number="413")))
        flight = response.json()["lists"][0]["flight"]
        assert (flight["direction"], flight["post"]) == ("departure", "SJO")


class TruncatedListTests(ReceivingTestCase):
    """A list cut in transit (or with counts that disagree) is refused, located, and never a new version."""

    def setUp(self) -> None:
        self.message = flight_list(passengers=40)
        first = self.send(edifact(self.message))
        assert first.status_code == 201
        self.stored = stored_rows()
        self.text = edifact(self.message, interchange_reference="2").decode("latin-1")

    def assert_refused(self, data: str, *words: str) -> dict[str, Any]:
        body = self.assert_error(self.send(data.encode("latin-1")), 400)
        assert body["message"].startswith("The message cannot be read as PAXLST: segment ")
        assert all(word in body["message"] for word in words), body["message"]
        assert body["detail"]["segment"] and body["detail"]["tag"]
        assert stored_rows() == self.stored
        current = ManifestList.objects.get(is_current=True)
        assert (current.version, current.person_count) == (1, 40)
        return body

    def test_a_list_cut_in_the_middle_of_a_segment_is_refused(self) -> None:
        # Cut inside a passenger's name half-way down the list: no UNT, no UNZ.
        middle = self.text.index("NAD+FL", len(self.text) // 2)
        body = self.assert_refused(self.text[: middle + 9], "has no UNT", "cut short")
        assert body["detail"]["tag"] == "NAD"

    def test_a_list_cut_between_segments_is_refused(self) -> None:
        middle = self.text.index("NAD+FL", len(self.text) // 2)
        self.assert_refused(self.text[:middle], "has no UNT")

    def test_a_list_without_its_unz_is_refused(self) -> None:
        self.assert_refused(self.text[: self.text.index("UNZ+")], "no UNZ trailer")

    def test_a_wrong_unt_segment_count_is_refused(self) -> None:
        unt = self.text.index("UNT+")
        count = self.text[unt + 4 : self.text.index("+", unt + 4)]
        wrong = self.text[:unt] + self.text[unt:].replace(f"UNT+{count}+", f"UNT+{int(count) + 7}+", 1)
        body = self.assert_refused(wrong, f"UNT counts {int(count) + 7} segments", f"has {count}")
        assert body["detail"]["tag"] == "UNT"

    def test_a_wrong_unz_count_is_refused(self) -> None:
        unz = self.text.index("UNZ+1+")
        self.assert_refused(self.text[:unz] + "UNZ+3+" + self.text[unz + 6 :], "UNZ counts 3, but 1")

    def test_the_whole_list_again_with_a_change_is_still_a_new_version(self) -> None:
        self.message.persons.pop()
        response = self.send(edifact(self.message, interchange_reference="3"))
        assert response.json()["lists"][0]["version"] == 2


class DuplicateAndReplacementTests(ReceivingTestCase):
    def test_the_same_message_again_is_a_duplicate(self) -> None:
        data = edifact(flight_list())
        first = self.send(data).json()
        before = stored_rows()
        again = self.send(data)
        assert again.status_code == 200
        assert again.json()["status"] == "duplicate" and again.json()["receipt"] == first["receipt"]
        assert again.json()["lists"][0]["status"] == "duplicate"
        assert stored_rows() == before

    def test_the_same_list_in_a_new_envelope_is_a_duplicate(self) -> None:
        message = flight_list()
        self.send(edifact(message, interchange_reference="1"))
        before = stored_rows()
        again = self.send(edifact(message, interchange_reference="2"))
        assert again.json()["status"] == "duplicate"
        assert stored_rows() == before

    def test_a_later_list_replaces_the_earlier_and_says_who_changed(self) -> None:
        message = flight_list(passengers=6, extra=[passenger("LEFT", "BEHIND", number="X1000001")])
        first = self.send(edifact(message)).json()["lists"][0]
        message.persons = [p for p in message.persons if p.surname != "LEFT"]
        message.persons.append(passenger("LATE", "BOOKING", number="X1000002"))
        message.persons[0].given_names += " CORRECTED"
        response = self.send(edifact(message, interchange_reference="2"))
        assert response.status_code == 201
        second = response.json()["lists"][0]
        assert (second["status"], second["version"]) == ("replaced", 2)
        assert (second["added"], second["removed"], second["changed"]) == (1, 1, 1)
        old, new = ManifestList.objects.get(pk=first["id"]), ManifestList.objects.get(pk=second["id"])
        assert (old.is_current, new.is_current, new.replaces_id) == (False, True, old.pk)
        changes = selectors.list_changes(manifest_list=new)
        assert [p.surname for p in changes.added] == ["LATE"]
        assert [p.surname for p in changes.removed] == ["LEFT"]
        assert [new_p.given_names for _old, new_p in changes.changed] == [message.persons[0].given_names]
        # The supervisor sees the change on the flight's page.
        self.client.force_login(self.sofia)
        html = self.client.get(f"/flights/{new.flight_id}/").content.decode()
        assert "+ LATE, BOOKING" in html and "− LEFT, BEHIND" in html

    def test_an_unchanged_person_keeps_the_screening_of_the_earlier_version(self) -> None:
        message = flight_list(passengers=3)
        self.send(edifact(message))
        message.persons.append(passenger("NEW", "ONE", number="X2000001"))
        self.send(edifact(message, interchange_reference="2"))
        current = ManifestList.objects.get(is_current=True)
        old = {p.key: p.screening_ref for p in ManifestPerson.objects.filter(manifest_list__is_current=False)}
        kept = [p for p in current.persons.all() if p.key in old]
        assert len(kept) == 3 and all(p.screening_ref == old[p.key] for p in kept)


class InteractiveApiTests(ReceivingTestCase):
    def test_cusres_answers_each_passenger(self) -> None:
        message = flight_list(passengers=4)
        response = self.send(edifact(message), Accept="application/edifact")
        assert response.status_code == 201
        assert response["Content-Type"] == "application/edifact"
        (answer,), _warnings = read_cusres(response.content)
        assert answer.request_reference == message.reference
        assert [r.passenger_reference for r in answer.responses] == [
            p.passenger_reference for p in message.persons
        ]
        # Nobody has a hit (the screening app is not installed): everyone may board.
        assert {r.decision for r in answer.responses} == {BoardingDecision.BOARD}

    def test_decisions_follow_the_hits(self) -> None:
        self.send(edifact(flight_list(passengers=3)))
        manifest_list = ManifestList.objects.get()
        persons = list(manifest_list.persons.order_by("position"))
        ManifestPerson.objects.filter(pk=persons[0].pk).update(hits=[{"id": "h1", "status": "open"}])
        ManifestPerson.objects.filter(pk=persons[1].pk).update(hits=[{"id": "h2", "status": "true_match"}])
        decisions = [d for _p, d in selectors.boarding_decisions(manifest_list=manifest_list)]
        assert decisions == [
            BoardingDecision.CONTACT_AUTHORITY,
            BoardingDecision.DO_NOT_BOARD,
            BoardingDecision.BOARD,
        ]


class ScheduleTests(ReceivingTestCase):
    def test_a_later_list_moves_the_flight_when_it_is_delayed(self) -> None:
        arrival = datetime.datetime(2030, 1, 10, 18, 0, tzinfo=datetime.UTC)
        message = flight_list(arrival=arrival)
        self.send(edifact(message))
        message.flight.legs[0].arrival_time += datetime.timedelta(hours=2)
        self.send(edifact(message, interchange_reference="2"))
        assert Flight.objects.get().expected_at == arrival + datetime.timedelta(hours=2)
