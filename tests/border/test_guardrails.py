"""Guardrails where a wrong key costs a person (issue 9, item 2; issue 11's back-dating): expired documents,
someone already in the country, refusal grounds, late records, minors, double submission."""

import datetime
import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from corredor.border import services
from corredor.border.models import BorderPolicy, Crossing, RefusalGround, Stay
from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.management.commands.token import token_create
from corredor.core.models import AuditEntry
from tests.factories import DocumentInputFactory, mrz_for, row_counts
from tests.personas import PersonaTestCase, at_the_boundary

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)


def record_now(officer: Any, doc: Any, **kwargs: Any) -> services.RecordedCrossing:
    kwargs.setdefault(
        "stay_category", "tourist" if kwargs.get("decision", "admitted") == "admitted" else None
    )
    return services.crossing_record(
        officer=officer,
        post_code=officer.border_post_id,
        direction=kwargs.pop("direction", "entry"),
        decision=kwargs.pop("decision", "admitted"),
        document=doc,
        **kwargs,
    )


@time_machine.travel(NOW, tick=False)
class GuardrailTestCase(PersonaTestCase):
    def api(self, who: Any, body: dict[str, Any]) -> Any:
        token = token_create(user=who)
        return Client().post(
            "/api/v1/crossings",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        )


class ExpiredDocumentTests(GuardrailTestCase):
    def test_admission_on_an_expired_document_needs_a_reason(self) -> None:
        doc = DocumentInputFactory(expiry_date=date(2025, 12, 31))
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            record_now(self.alice, doc)
        assert caught.value.detail["field"] == "expired_document_reason"
        assert "expired on 2025-12-31" in caught.value.message
        assert row_counts(audit=False) == {k: v for k, v in before.items() if k != "audit"}
        recorded = record_now(self.alice, doc, expired_document_reason="National returning home")
        assert recorded.crossing.expired_document_reason == "National returning home"
        # An exit or a refusal on an expired document needs no confirmation.
        other = DocumentInputFactory(expiry_date=date(2025, 12, 31))
        assert record_now(self.alice, other, decision="refused", refusal_ground="A").crossing.pk

    def test_a_country_can_refuse_admission_on_an_expired_document(self) -> None:
        BorderPolicy.objects.update_or_create(country_id="CRI", defaults={"expired_document": "refuse"})
        doc = DocumentInputFactory(expiry_date=date(2025, 12, 31))
        with pytest.raises(ApplicationError) as caught:
            record_now(self.alice, doc, expired_document_reason="please")
        assert caught.value.detail == {"field": "expiry_date", "policy": "refuse"}

    def test_the_api_asks_for_the_reason(self) -> None:
        doc = DocumentInputFactory(expiry_date=date(2025, 12, 31))
        body = {"post": "SJO", "direction": "entry", "mrz": mrz_for(doc), "stay_category": "tourist"}
        response = self.api(self.alice, body)
        assert response.status_code == 400
        assert response.json()["detail"]["field"] == "expired_document_reason"
        response = self.api(self.alice, {**body, "expired_document_reason": "Returning resident"})
        assert response.status_code == 201
        assert response.json()["expired_document_reason"] == "Returning resident"


class AlreadyInTheCountryTests(GuardrailTestCase):
    def test_a_second_admission_is_refused_with_the_open_stay(self) -> None:
        doc = DocumentInputFactory()
        first = record_now(self.alice, doc, occurred_at=NOW - timedelta(hours=30))
        before = row_counts(audit=False)
        body = {"post": "SJO", "direction": "entry", "mrz": mrz_for(doc), "stay_category": "tourist"}
        response = self.api(self.alice, body)
        assert response.status_code == 409
        error = response.json()
        assert "already in the country" in error["message"]
        open_stay = error["detail"]["open_stay"]
        assert open_stay["entry"] == str(first.crossing.pk)
        assert open_stay["stay"] == str(first.stay.pk)  # type: ignore[union-attr]
        assert open_stay["authorised_until"] == str(first.stay.authorised_until)  # type: ignore[union-attr]
        assert row_counts(audit=False) == before

    def test_recording_the_missing_exit_admits_without_overlap(self) -> None:
        doc = DocumentInputFactory()
        first = record_now(self.alice, doc, occurred_at=NOW - timedelta(hours=30))
        second = record_now(self.alice, doc, missing_exit_reason="Left by land, exit not recorded")
        missing_exit = Crossing.objects.get(direction="exit", traveller=first.crossing.traveller)
        assert first.crossing.occurred_at < missing_exit.occurred_at < second.crossing.occurred_at
        assert "exit not recorded" in missing_exit.note
        assert Stay.objects.filter(traveller=first.crossing.traveller).count() == 2

    def test_an_entry_dated_before_a_later_crossing_is_refused(self) -> None:
        doc = DocumentInputFactory()
        record_now(self.alice, doc, occurred_at=NOW - timedelta(hours=10))
        record_now(
            self.alice, doc, direction="exit", stay_category=None, occurred_at=NOW - timedelta(hours=5)
        )
        with pytest.raises(ApplicationError) as caught:
            record_now(self.alice, doc, occurred_at=NOW - timedelta(hours=20))
        assert caught.value.status == 409 and "later crossing" in caught.value.message


class RefusalGroundTests(GuardrailTestCase):
    def test_a_refusal_needs_a_ground_of_the_list(self) -> None:
        doc = DocumentInputFactory()
        for ground in ("", "Z"):
            with pytest.raises(ApplicationError) as caught:
                record_now(self.alice, doc, decision="refused", refusal_ground=ground)
            assert caught.value.detail["field"] == "refusal_ground"
            assert set(caught.value.detail["choices"]) == set("ABCDEFGHIJ")
        refused = record_now(self.alice, doc, decision="refused", refusal_ground="g")
        assert refused.crossing.refusal_ground == "G"
        with pytest.raises(ApplicationError):
            record_now(self.alice, DocumentInputFactory(), refusal_ground="G")

    def test_a_country_has_its_own_list(self) -> None:
        RefusalGround.objects.create(
            country_id="CRI", code="CR1", name_es="Motivo nacional", name_en="National"
        )
        with pytest.raises(ApplicationError):
            record_now(self.alice, DocumentInputFactory(), decision="refused", refusal_ground="A")
        assert (
            record_now(
                self.alice, DocumentInputFactory(), decision="refused", refusal_ground="CR1"
            ).crossing.refusal_ground
            == "CR1"
        )

    def test_the_ground_shows_in_the_api_the_traveller_page_and_the_desk(self) -> None:
        doc = DocumentInputFactory()
        body = {"post": "SJO", "direction": "entry", "decision": "refused", "mrz": mrz_for(doc)}
        assert self.api(self.alice, body).status_code == 400
        response = self.api(self.alice, {**body, "refusal_ground": "H"})
        assert response.status_code == 201 and response.json()["refusal_ground"] == "H"
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        page = client.get(f"/travellers/{response.json()['traveller_id']}/").content.decode()
        assert 'data-ground="H"' in page
        desk = client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        assert '<option value="J">J · Has no valid electronic travel authorisation' in desk
        recorded = client.post(
            "/desk/record/", {"mrz": mrz_for(doc), "action": "refuse", "refusal_ground": "E"}
        ).content.decode()
        assert "(ground E)" in recorded


class LateRecordTests(GuardrailTestCase):
    def test_an_officer_cannot_date_a_crossing_beyond_the_window(self) -> None:
        before = AuditEntry.objects.filter(action="denied").count()
        for when in (NOW - timedelta(hours=73), datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)):
            with pytest.raises(PermissionDenied) as caught, at_the_boundary():
                record_now(self.alice, DocumentInputFactory(), occurred_at=when)
            assert "more than 72 hours ago" in caught.value.message
        assert AuditEntry.objects.filter(action="denied").count() == before + 2
        assert record_now(self.alice, DocumentInputFactory(), occurred_at=NOW - timedelta(hours=71)).crossing

    def test_a_supervisor_records_it_with_a_reason(self) -> None:
        when = NOW - timedelta(days=10)
        with pytest.raises(ApplicationError) as caught:
            record_now(self.sofia, DocumentInputFactory(), occurred_at=when)
        assert caught.value.detail["field"] == "late_reason"
        late = record_now(
            self.sofia, DocumentInputFactory(), occurred_at=when, late_reason="Paper log of 28 Feb"
        )
        assert late.crossing.late_reason == "Paper log of 28 Feb"

    def test_the_window_is_a_setting_and_the_future_is_refused(self) -> None:
        with override_settings(CORREDOR_LATE_RECORD_HOURS=24), pytest.raises(PermissionDenied):
            record_now(self.alice, DocumentInputFactory(), occurred_at=NOW - timedelta(hours=30))
        with pytest.raises(ApplicationError) as caught:
            record_now(self.alice, DocumentInputFactory(), occurred_at=NOW + timedelta(minutes=30))
        assert caught.value.detail == {"field": "occurred_at"}
        # A scanner's clock a minute ahead is not the future.
        assert record_now(self.alice, DocumentInputFactory(), occurred_at=NOW + timedelta(minutes=1)).crossing

    def test_the_api_refuses_an_officer_s_old_date(self) -> None:
        body = {
            "post": "SJO",
            "direction": "exit",
            "mrz": mrz_for(DocumentInputFactory()),
            "occurred_at": (NOW - timedelta(days=300)).isoformat(),
        }
        assert self.api(self.alice, body).status_code == 403
        assert self.api(self.sofia, body).status_code == 400
        assert self.api(self.sofia, {**body, "late_reason": "Backlog"}).status_code == 201


class MinorTests(GuardrailTestCase):
    def child(self, nationality: str = "CRI") -> Any:
        return DocumentInputFactory(nationality=nationality, birth_date=date(2015, 6, 1))

    def test_the_desk_shows_the_age_and_a_minor_notice(self) -> None:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        html = client.post("/desk/scan/", {"mrz": mrz_for(self.child())}).content.decode()
        assert 'data-age="10"' in html and "A minor: 10 years old." in html
        assert 'id="exit-permit"' in html
        adult = client.post(
            "/desk/scan/", {"mrz": mrz_for(DocumentInputFactory(birth_date=date(1980, 1, 1)))}
        ).content.decode()
        assert 'data-age="46"' in adult and "A minor" not in adult and 'id="exit-permit"' not in adult

    def test_a_national_minor_leaving_needs_the_permit_recorded(self) -> None:
        child = self.child()
        with pytest.raises(ApplicationError) as caught:
            record_now(self.alice, child, direction="exit", stay_category=None)
        assert caught.value.detail["field"] == "exit_permit"
        left = record_now(self.alice, child, direction="exit", stay_category=None, exit_permit="not_seen")
        assert left.crossing.exit_permit == "not_seen"
        assert "The minor's exit permit was not seen." in left.warnings
        # A foreign minor, or a country without the rule: no permit asked.
        assert record_now(self.alice, self.child("NIC"), direction="exit", stay_category=None).crossing
        BorderPolicy.objects.filter(country_id="CRI").update(minor_exit_permit=False)
        assert record_now(self.alice, self.child(), direction="exit", stay_category=None).crossing


class DoubleSubmissionTests(GuardrailTestCase):
    def test_the_desk_form_carries_an_id_and_a_double_click_records_once(self) -> None:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        doc = DocumentInputFactory()
        html = client.post("/desk/scan/", {"mrz": mrz_for(doc)}).content.decode()
        crossing_id = html.split('name="crossing_id" value="')[1][:36]
        uuid.UUID(crossing_id)
        form = {
            "mrz": mrz_for(doc),
            "action": "entry",
            "stay_category": "tourist",
            "crossing_id": crossing_id,
        }
        first = client.post("/desk/record/", form)
        second = client.post("/desk/record/", form)
        assert first.status_code == second.status_code == 200
        assert Crossing.objects.filter(traveller__surname=doc.surname).count() == 1
        other = client.post("/desk/record/", {**form, "action": "refer"})
        assert other.status_code == 409

    def test_the_same_id_with_another_body_is_409_in_the_api(self) -> None:
        body = {
            "id": str(uuid.uuid4()),
            "post": "SJO",
            "direction": "entry",
            "mrz": mrz_for(DocumentInputFactory()),
            "stay_category": "tourist",
        }
        assert self.api(self.alice, body).status_code == 201
        assert self.api(self.alice, body).status_code == 201
        changed = self.api(self.alice, {**body, "mrz": mrz_for(DocumentInputFactory())})
        assert changed.status_code == 409
        assert changed.json()["detail"]["differs"] == ["document"]
        assert Crossing.objects.count() == 1
