"""Screening at the desk: what the officer reads after a scan (enforcement, protection, documents), the
refusal of an admission while a blocking hit stands, and hits stored with the crossing."""

import pytest
from django.test import Client

from corredor.border import hooks
from corredor.border.models import Crossing
from corredor.core.errors import ApplicationError
from corredor.screening.hooks import ScreeningHook
from corredor.screening.models import Hit
from tests.factories import mrz_for, record, row_counts
from tests.screening import (
    ScreeningTestCase,
    child_document,
    clean_document,
    refused_document,
    stolen_document,
    wanted_document,
)


def scan_notices(document: object) -> list[hooks.DeskNotice]:
    return ScreeningHook().notices(hooks.CrossingContext(document=document, post_code="SJO", officer=None))  # type: ignore[arg-type]


class NoticeTests(ScreeningTestCase):
    def test_the_screening_hook_is_registered_at_start_up(self) -> None:
        assert any(isinstance(hook, ScreeningHook) for hook in hooks.registered())

    def test_an_enforcement_hit_says_what_matched_why_and_what_to_do(self) -> None:
        (notice,) = scan_notices(wanted_document(surname="PERES CASTILLO"))
        assert notice.level == "danger" and notice.title.startswith("Watchlist hit: Wanted")
        text = "\n".join(notice.lines)
        assert "Pérez Castillo, Juan Carlos" in text and "National list, entry W-WANTED" in text
        assert "surname PEREZ ≈ PERES (sounds the same)" in text  # the spelling that differs, and how
        assert "birth date 1980-02-03 matches" in text
        assert "Action: Do not admit" in text
        assert "Note for officers: Armed and dangerous: call backup." in text
        assert "refer the traveller" in text
        assert notice.blocking is True

    def test_a_protective_alert_reads_as_protection_not_enforcement(self) -> None:
        (notice,) = scan_notices(child_document())
        assert notice.level == "protect"
        assert notice.title.startswith("Possible missing child")
        assert "do not alert the companion" in notice.lines[0] and "protection officer" in notice.lines[0]
        assert not any(line.startswith("Action:") for line in notice.lines)
        assert notice.blocking is False

    def test_a_reported_document_reads_as_danger_with_the_kind_of_match(self) -> None:
        (exact,) = scan_notices(stolen_document())
        assert exact.level == "danger" and exact.title == "Document reported stolen: exact match"
        assert exact.blocking is True
        (near,) = scan_notices(stolen_document(number="COO123456"))  # letter O read for a zero
        assert near.title == "Document reported stolen: near match: letters and digits OCR confuses"
        assert near.blocking is False

    def test_a_clean_traveller_gets_no_notice_and_a_scan_writes_nothing(self) -> None:
        before = (row_counts(audit=False), Hit.objects.count())
        assert scan_notices(clean_document()) == []
        scan_notices(wanted_document())
        assert (row_counts(audit=False), Hit.objects.count()) == before

    def test_the_desk_page_shows_the_hits_after_a_scan(self) -> None:
        client = Client()
        client.force_login(self.alice)
        html = client.post(
            "/desk/scan/", {"mrz": mrz_for(wanted_document())}, HTTP_ACCEPT_LANGUAGE="en"
        ).content
        assert b'data-source="screening" data-level="danger"' in html and b"Watchlist hit" in html
        assert b'value="refer" class="warning" data-key="4" data-default' in html
        html = client.post("/desk/scan/", {"mrz": mrz_for(child_document())}).content
        assert b'data-level="protect"' in html
        # A possible missing child is referred to protection: Refer is the default, not Admit.
        assert b'value="refer" class="warning" data-key="4" data-default' in html
        assert b'value="entry" data-key="1" data-default' not in html


class RecordTests(ScreeningTestCase):
    def test_an_admitted_entry_is_refused_while_a_wanted_hit_stands_and_nothing_is_written(self) -> None:
        before = (row_counts(audit=False), Hit.objects.count())
        with pytest.raises(ApplicationError, match="Refer the traveller") as refused:
            record(self.alice, wanted_document())
        assert refused.value.status == 409
        assert (row_counts(audit=False), Hit.objects.count()) == before

    def test_a_referred_traveller_is_recorded_with_the_hit_linked_to_the_crossing(self) -> None:
        recorded = record(self.alice, wanted_document(), decision="referred")
        crossing = recorded.crossing
        assert crossing.screening_outcome == "hit"
        (hit,) = Hit.objects.filter(crossing=crossing)
        assert (hit.kind, hit.person_alert.external_id, hit.alert_version) == ("person", "W-WANTED", 1)
        assert (hit.source, hit.source_ref, hit.post_id, hit.officer, hit.status) == (
            "desk",
            str(crossing.pk),
            "SJO",
            self.alice,
            "open",
        )
        assert hit.traveller_id == crossing.traveller_id
        assert hit.subject["surname"] == "PEREZ CASTILLO" and hit.reasons[0]["code"].startswith("name_")

    def test_a_refusal_is_recorded_with_its_hit(self) -> None:
        crossing = record(self.alice, wanted_document(), decision="refused").crossing
        assert crossing.screening_outcome == "hit" and Hit.objects.filter(crossing=crossing).count() == 1

    def test_a_person_refused_entry_may_leave(self) -> None:
        with pytest.raises(ApplicationError):
            record(self.alice, refused_document())
        crossing = record(self.alice, refused_document(), direction="exit").crossing
        assert crossing.decision == "admitted" and crossing.screening_outcome == "hit"

    def test_a_protective_hit_does_not_stop_the_entry_but_is_stored(self) -> None:
        crossing = record(self.alice, child_document()).crossing
        assert crossing.screening_outcome == "hit"
        assert Hit.objects.get(crossing=crossing).person_alert.category == "missing_child"

    def test_a_stolen_passport_stops_an_admitted_entry(self) -> None:
        with pytest.raises(ApplicationError, match="document reported stolen"):
            record(self.alice, stolen_document())
        crossing = record(self.alice, stolen_document(), decision="referred").crossing
        hit = Hit.objects.get(crossing=crossing)
        assert (hit.kind, hit.match_kind, hit.document_alert.external_id) == ("document", "exact", "D-STOLEN")

    def test_a_clean_traveller_is_recorded_as_clear(self) -> None:
        crossing = record(self.alice, clean_document()).crossing
        assert crossing.screening_outcome == "clear" and not Hit.objects.exists()
        assert Crossing.objects.filter(pk=crossing.pk).exists()
