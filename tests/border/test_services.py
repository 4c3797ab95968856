"""The border's writes: record a crossing, correct one, extend a stay, link documents."""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from corredor.border import documents, selectors, services
from corredor.border.models import Crossing, Stay, StayChange, TravelDocument, Traveller
from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.models import AuditEntry
from tests.factories import CrossingFactory, DocumentInputFactory, mrz_for, noon, record, row_counts
from tests.personas import PersonaTestCase, at_the_boundary

D = date(2024, 3, 1)


class RecordEntryTests(PersonaTestCase):
    def test_admitted_tourist_gets_90_days_by_the_rules(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(nationality="NIC"), on=D)
        stay = recorded.stay
        assert stay is not None
        assert stay.category_id == "tourist"
        assert stay.granted_days == 90
        assert stay.authorised_until == date(2024, 5, 29)  # 1 March + 90 days, both ends included
        assert recorded.crossing.post_id == "SJO"
        assert recorded.crossing.transport == "air"  # from the post's kind
        assert recorded.crossing.officer == self.alice
        assert Stay.objects.get(entry=recorded.crossing) == stay

    def test_us_tourist_gets_180_days(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(nationality="USA"), on=D)
        assert recorded.stay is not None
        assert recorded.stay.granted_days == 180
        assert recorded.stay.authorised_until == D + timedelta(days=179)

    def test_fewer_days_than_the_rule_allows_can_be_granted(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(), on=D, stay_days=30)
        assert recorded.stay is not None
        assert recorded.stay.authorised_until == date(2024, 3, 30)

    def test_more_days_than_the_rule_allows_are_refused_and_nothing_is_written(self) -> None:
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, DocumentInputFactory(), on=D, stay_days=91)
        assert caught.value.status == 400
        assert "90" in caught.value.message
        assert "Turista" in caught.value.message  # names the rule
        assert caught.value.detail == {"field": "stay_days", "max": 90}
        assert row_counts() == before

    def test_open_ended_category_has_no_end(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(), on=D, stay_category="resident")
        assert recorded.stay is not None
        assert recorded.stay.authorised_until is None
        assert recorded.stay.granted_days is None

    def test_an_admitted_entry_needs_a_stay_category(self) -> None:
        before = row_counts()
        with pytest.raises(ApplicationError, match="stay category"):
            record(self.alice, DocumentInputFactory(), on=D, stay_category=None)
        assert row_counts() == before

    def test_unknown_stay_category_is_refused(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, DocumentInputFactory(), on=D, stay_category="pilgrim")
        assert caught.value.detail == {"field": "stay_category"}

    def test_exit_grants_no_stay_and_ends_the_presence(self) -> None:
        doc = DocumentInputFactory()
        entry = record(self.alice, doc, on=D)
        exit_ = record(self.alice, doc, on=D + timedelta(days=10), direction="exit")
        assert exit_.stay is None
        assert exit_.crossing.traveller_id == entry.crossing.traveller_id
        status = selectors.traveller_status(traveller=entry.crossing.traveller, as_of=D + timedelta(days=11))
        assert status.in_country is False

    def test_a_stay_on_an_exit_is_refused(self) -> None:
        doc = DocumentInputFactory()
        record(self.alice, doc, on=D)
        with pytest.raises(ApplicationError, match="only on an admitted entry"):
            record(self.alice, doc, on=D + timedelta(days=1), direction="exit", stay_category="tourist")

    def test_refused_and_referred_entries_grant_no_stay(self) -> None:
        refused = record(self.alice, DocumentInputFactory(), on=D, decision="refused")
        referred = record(self.alice, DocumentInputFactory(), on=D, decision="referred")
        assert refused.stay is None and referred.stay is None
        assert Stay.objects.count() == 0
        assert refused.crossing.decision == "refused"
        assert referred.crossing.decision == "referred"

    def test_same_crossing_id_is_stored_once(self) -> None:
        crossing_id = uuid.uuid4()
        doc = DocumentInputFactory()
        first = record(self.alice, doc, on=D, crossing_id=crossing_id)
        again = record(self.alice, doc, on=D, crossing_id=crossing_id)
        assert again.crossing.pk == first.crossing.pk == crossing_id
        assert again.stay == first.stay
        assert Crossing.objects.count() == 1
        assert Stay.objects.count() == 1

    def test_a_resend_that_loses_the_race_answers_the_stored_crossing(self) -> None:
        """The same id sent twice at once: the second request looks before the first has written, then its
        write meets the stored row; it answers the first one's crossing instead of failing."""
        from unittest import mock

        crossing_id = uuid.uuid4()
        doc = DocumentInputFactory()
        first = record(self.alice, doc, on=D, crossing_id=crossing_id)

        # The loser's first pass cannot see the winner's uncommitted entry: its look finds no crossing and the
        # in-the-country guard finds no open stay. Its second pass (the retry) sees everything.
        def blind_once(real: Any) -> Any:
            calls = []

            def look(*args: Any, **kwargs: Any) -> Any:
                calls.append(1)
                return None if len(calls) == 1 else real(*args, **kwargs)

            return look

        with (
            mock.patch.object(services, "_already_recorded", blind_once(services._already_recorded)),
            mock.patch.object(services, "_check_not_in_country", blind_once(services._check_not_in_country)),
        ):
            again = record(self.alice, doc, on=D, crossing_id=crossing_id)
        assert again.crossing.pk == first.crossing.pk
        assert Crossing.objects.count() == 1 and Stay.objects.count() == 1

    def test_returning_traveller_reuses_the_document(self) -> None:
        doc = DocumentInputFactory()
        first = record(self.alice, doc, on=D)
        record(self.alice, doc, on=D + timedelta(days=5), direction="exit")
        again = record(self.alice, doc, on=D + timedelta(days=200))
        assert again.crossing.document_id == first.crossing.document_id
        assert again.crossing.traveller_id == first.crossing.traveller_id
        assert TravelDocument.objects.count() == 1

    def test_typed_document_is_normalised(self) -> None:
        doc = DocumentInputFactory(number=" k 123<", surname=" de la  cruz ", issuing_state="nic")
        recorded = record(self.alice, doc, on=D)
        stored = recorded.crossing.document
        assert (stored.number, stored.surname, stored.issuing_state_id) == ("K123", "DE LA CRUZ", "NIC")

    def test_a_document_number_held_by_another_holder_is_a_conflict(self) -> None:
        doc = DocumentInputFactory(surname="MORA", birth_date=date(1980, 1, 1))
        record(self.alice, doc, on=D)
        impostor = DocumentInputFactory(number=doc.number, surname="SOLANO", birth_date=date(1990, 2, 2))
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, impostor, on=D + timedelta(days=1))
        assert caught.value.status == 409
        assert doc.number in caught.value.message
        assert row_counts() == before

    def test_renewed_passport_with_the_same_identity_is_the_same_traveller(self) -> None:
        old = DocumentInputFactory(expiry_date=date(2024, 6, 1))
        first = record(self.alice, old, on=D)
        record(self.alice, old, on=D + timedelta(days=20), direction="exit")
        renewed = DocumentInputFactory(
            number="N9999999",
            surname=old.surname,
            given_names=old.given_names,
            birth_date=old.birth_date,
            nationality=old.nationality,
            expiry_date=date(2034, 6, 1),
        )
        again = record(self.alice, renewed, on=D + timedelta(days=200))
        assert again.crossing.traveller_id == first.crossing.traveller_id
        assert again.crossing.document_id != first.crossing.document_id
        assert first.crossing.traveller.documents.count() == 2

    def test_unknown_country_code_is_refused(self) -> None:
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, DocumentInputFactory(nationality="ZZZ", issuing_state="NIC"), on=D)
        assert "ZZZ" in caught.value.message
        assert caught.value.detail == {"field": "nationality"}
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, DocumentInputFactory(issuing_state="QQ"), on=D)
        assert caught.value.detail == {"field": "issuing_state"}
        assert row_counts() == before

    def test_missing_document_fields_are_named(self) -> None:
        with pytest.raises(ApplicationError, match="surname"):
            record(self.alice, DocumentInputFactory(surname="  "), on=D)

    def test_germany_typed_as_deu_is_stored_as_d(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(nationality="DEU", issuing_state="DEU"), on=D)
        assert recorded.crossing.document.issuing_state_id == "D"
        assert recorded.crossing.traveller.nationality_id == "D"

    def test_future_crossing_is_refused(self) -> None:
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            CrossingFactory(officer=self.alice, occurred_at=timezone.now() + timedelta(hours=2))
        assert caught.value.detail == {"field": "occurred_at"}
        assert row_counts() == before

    def test_crossing_at_another_post_is_refused_and_audited(self) -> None:
        before = row_counts(audit=False)
        with (
            acting_as(actor_for(self.bob, "test")),
            pytest.raises(PermissionDenied) as caught,
            at_the_boundary(),
        ):
            record(self.bob, DocumentInputFactory(), on=D, post_code="SJO")
        assert caught.value.status == 403
        assert "PBL" in caught.value.message and "SJO" in caught.value.message
        assert row_counts(audit=False) == before
        denied = AuditEntry.objects.filter(action="denied", username="bob", object_id="post:SJO")
        assert denied.count() == 1

    def test_a_refusal_inside_an_outer_atomic_block_is_still_audited_after_the_rollback(self) -> None:
        # A caller's own transaction (another app's service recording a crossing) rolls back the refused
        # crossing and whatever the caller wrote before it; the refusal's audit row is written afterwards.
        before = row_counts(audit=False)
        with (
            acting_as(actor_for(self.bob, "test")),
            pytest.raises(PermissionDenied),
            at_the_boundary(),
            transaction.atomic(),
        ):
            Traveller.objects.create(surname="CALLER", given_names="WROTE", nationality_id="NIC")
            record(self.bob, DocumentInputFactory(), on=D, post_code="SJO")
            pytest.fail("not refused")
        assert row_counts(audit=False) == before
        denied = AuditEntry.objects.filter(action="denied", username="bob", object_id="post:SJO")
        assert denied.count() == 1

    def test_analyst_cannot_record(self) -> None:
        with pytest.raises(PermissionDenied):
            record(self.ana, DocumentInputFactory(), on=D, post_code="SJO")
        assert Crossing.objects.count() == 0

    def test_unknown_post_is_not_found(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            record(self.admin, DocumentInputFactory(), on=D, post_code="XXX")
        assert caught.value.status == 404

    def test_crossings_and_stays_are_immutable(self) -> None:
        recorded = record(self.alice, DocumentInputFactory(), on=D)
        crossing = Crossing.objects.get(pk=recorded.crossing.pk)
        crossing.decision = "refused"
        with pytest.raises(RuntimeError, match="immutable"):
            crossing.save()
        assert Crossing.objects.get(pk=crossing.pk).decision == "admitted"
        stay = Stay.objects.get(pk=recorded.stay.pk)  # type: ignore[union-attr]
        with pytest.raises(RuntimeError):
            stay.save()


class MrzInputTests(PersonaTestCase):
    def test_valid_mrz_gives_the_document(self) -> None:
        doc = DocumentInputFactory(nationality="MEX", number="G1234567", surname="HERNANDEZ")
        parsed, result = documents.document_input_from_mrz(mrz_for(doc))
        assert result.valid
        assert (parsed.number, parsed.surname, parsed.nationality) == ("G1234567", "HERNANDEZ", "MEX")
        assert parsed.birth_date == doc.birth_date
        recorded = record(self.alice, parsed, on=D)
        assert recorded.crossing.document.mrz == mrz_for(doc)

    def test_invalid_mrz_is_refused_with_details(self) -> None:
        mrz = mrz_for(DocumentInputFactory())
        broken = mrz[:-1] + str((int(mrz[-1]) + 1) % 10)  # the composite check digit
        with pytest.raises(ApplicationError) as caught:
            documents.document_input_from_mrz(broken)
        assert caught.value.status == 400
        assert "MRZ" in caught.value.message
        assert any(problem["code"] == "check_digit" for problem in caught.value.detail)
        assert all({"code", "message", "field"} <= set(problem) for problem in caught.value.detail)


class CorrectionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Recorded on 10 January with 30 days (until 8 February); the traveller really came on 20 January.
        cls.entry = record(cls.alice, DocumentInputFactory(), on=date(2024, 1, 10), stay_days=30)

    def test_correction_is_a_new_event_and_the_original_stops_counting(self) -> None:
        correction = services.crossing_correct(
            officer=self.alice,
            crossing_id=self.entry.crossing.pk,
            reason="wrong date typed",
            occurred_at=noon(date(2024, 1, 20)),
        )
        assert correction.pk != self.entry.crossing.pk
        assert correction.corrects_id == self.entry.crossing.pk
        assert "wrong date typed" in correction.note
        original = Crossing.objects.get(pk=self.entry.crossing.pk)
        assert original.decision == "admitted"  # kept as it was
        assert original.corrected_by == correction
        new_stay = Stay.objects.get(entry=correction)
        assert new_stay.authorised_until == date(2024, 2, 18)
        traveller = self.entry.crossing.traveller
        status = selectors.traveller_status(traveller=traveller, as_of=date(2024, 2, 10))
        assert status.current_stay == new_stay
        assert status.overstay_days == 0
        assert selectors.overstay_rows(as_of=date(2024, 2, 10)) == []
        rows = selectors.overstay_rows(as_of=date(2024, 2, 19))
        assert [(r.traveller_id, r.authorised_until) for r in rows] == [(traveller.pk, date(2024, 2, 18))]
        history = selectors.traveller_get(user=self.sofia, traveller_id=traveller.pk)
        assert [c.pk for c in history.crossings] == [correction.pk, original.pk]

    def test_correction_to_refused_removes_the_stay(self) -> None:
        services.crossing_correct(
            officer=self.sofia,
            crossing_id=self.entry.crossing.pk,
            reason="refused, typed wrong",
            decision="refused",
            refusal_ground="E",
        )
        status = selectors.traveller_status(traveller=self.entry.crossing.traveller, as_of=date(2024, 1, 11))
        assert status.in_country is False
        assert selectors.overstay_rows(as_of=date(2024, 6, 1)) == []
        # The stay the entry granted ends with it: it never counted.
        stay = selectors.stays_with_effective_until().get(entry=self.entry.crossing)
        assert stay.effective_until < stay.entry.occurred_at.date()
        assert stay.changes.get().kind == "ended"
        assert Crossing.objects.get(corrects=self.entry.crossing).refusal_ground == "E"

    def test_correction_needs_a_reason(self) -> None:
        before = row_counts()
        with pytest.raises(ApplicationError) as caught:
            services.crossing_correct(officer=self.alice, crossing_id=self.entry.crossing.pk, reason="  ")
        assert caught.value.detail == {"field": "reason"}
        assert row_counts() == before

    def test_a_crossing_is_corrected_once(self) -> None:
        services.crossing_correct(officer=self.alice, crossing_id=self.entry.crossing.pk, reason="first")
        with pytest.raises(ApplicationError) as caught:
            services.crossing_correct(officer=self.alice, crossing_id=self.entry.crossing.pk, reason="second")
        assert caught.value.status == 409

    def test_the_correction_itself_can_be_corrected(self) -> None:
        first = services.crossing_correct(
            officer=self.alice, crossing_id=self.entry.crossing.pk, reason="one"
        )
        second = services.crossing_correct(
            officer=self.sofia, crossing_id=first.pk, reason="two", decision="referred"
        )
        assert second.corrects_id == first.pk
        assert (
            selectors.traveller_status(traveller=first.traveller, as_of=date(2024, 1, 11)).in_country is False
        )

    def test_officer_at_another_post_cannot_correct(self) -> None:
        with acting_as(actor_for(self.bob, "test")), pytest.raises(PermissionDenied), at_the_boundary():
            services.crossing_correct(officer=self.bob, crossing_id=self.entry.crossing.pk, reason="mine now")
        assert not Crossing.objects.filter(corrects=self.entry.crossing).exists()
        assert AuditEntry.objects.filter(action="denied", username="bob").exists()

    def test_unknown_crossing_is_not_found(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            services.crossing_correct(officer=self.sofia, crossing_id=uuid.uuid4(), reason="x")
        assert caught.value.status == 404


class ExtensionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.entry = record(
            cls.alice, DocumentInputFactory(), on=date(2024, 1, 1), stay_days=30
        )  # until 30 Jan

    def test_extension_moves_the_overstay_date(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        change = services.stay_extend(
            officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 3, 1), reason="medical treatment"
        )
        assert change.kind == StayChange.Kind.EXTENSION
        assert change.category_id == "tourist"
        assert selectors.stay_effective_until(stay=stay) == date(2024, 3, 1)
        status = selectors.traveller_status(traveller=stay.traveller, as_of=date(2024, 2, 15))
        assert (status.authorised_until, status.overstay_days) == (date(2024, 3, 1), 0)
        assert selectors.overstay_rows(as_of=date(2024, 3, 1)) == []
        rows = selectors.overstay_rows(as_of=date(2024, 3, 3))
        assert [(r.authorised_until, r.days_over) for r in rows] == [(date(2024, 3, 1), 2)]

    def test_the_latest_extension_counts(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        services.stay_extend(
            officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 3, 1), reason="a"
        )
        services.stay_extend(
            officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 4, 1), reason="b"
        )
        assert selectors.overstay_rows(as_of=date(2024, 3, 15)) == []
        with pytest.raises(ApplicationError):
            services.stay_extend(
                officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 3, 20), reason="shorter"
            )

    def test_extension_must_go_beyond_the_current_end(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        before = row_counts()
        for until in (date(2024, 1, 30), date(2024, 1, 15)):
            with pytest.raises(ApplicationError) as caught:
                services.stay_extend(officer=self.sofia, stay_id=stay.pk, authorised_until=until, reason="x")
            assert "2024-01-30" in caught.value.message
            assert caught.value.detail == {"field": "authorised_until"}
        assert row_counts() == before

    def test_extension_needs_a_reason_and_a_date(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        with pytest.raises(ApplicationError, match="reason"):
            services.stay_extend(
                officer=self.sofia, stay_id=stay.pk, authorised_until=date(2024, 3, 1), reason=""
            )
        with pytest.raises(ApplicationError) as caught:
            services.stay_extend(officer=self.sofia, stay_id=stay.pk, authorised_until=None, reason="x")
        assert caught.value.detail == {"field": "authorised_until"}

    def test_officer_cannot_extend(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        with acting_as(actor_for(self.alice, "test")), pytest.raises(PermissionDenied), at_the_boundary():
            services.stay_extend(
                officer=self.alice, stay_id=stay.pk, authorised_until=date(2024, 3, 1), reason="please"
            )
        assert StayChange.objects.count() == 0
        assert AuditEntry.objects.filter(action="denied", username="alice", object_id="supervision").exists()

    def test_change_to_an_open_ended_status_ends_the_overstay(self) -> None:
        stay = self.entry.stay
        assert stay is not None
        change = services.stay_extend(
            officer=self.sofia,
            stay_id=stay.pk,
            authorised_until=None,
            category="resident",
            reason="residency",
        )
        assert change.kind == StayChange.Kind.STATUS
        assert change.authorised_until is None
        assert selectors.overstay_rows(as_of=date(2024, 6, 1)) == []
        status = selectors.traveller_status(traveller=stay.traveller, as_of=date(2024, 6, 1))
        assert status.in_country is True
        assert status.overstay_days == 0


class DocumentLinkTests(PersonaTestCase):
    def test_linked_documents_are_one_person_for_overstays(self) -> None:
        # The same person entered on a passport and left on an identity card with no birth date on record.
        passport = DocumentInputFactory(surname="ARAYA", given_names="ELENA")
        card = DocumentInputFactory(document_code="I", surname="ARAYA", given_names="ELENA", birth_date=None)
        entry = record(self.alice, passport, on=date(2024, 1, 1), stay_days=30)
        exit_ = record(self.alice, card, on=date(2024, 1, 20), direction="exit")
        person = entry.crossing.traveller
        assert exit_.crossing.traveller_id != person.pk
        assert [r.traveller_id for r in selectors.overstay_rows(as_of=date(2024, 3, 1))] == [person.pk]

        services.document_link(
            user=self.sofia, document_id=exit_.crossing.document_id, traveller_id=person.pk
        )

        assert Crossing.objects.get(pk=exit_.crossing.pk).traveller_id == person.pk
        assert TravelDocument.objects.get(pk=exit_.crossing.document_id).traveller_id == person.pk
        assert selectors.overstay_rows(as_of=date(2024, 3, 1)) == []
        assert selectors.traveller_status(traveller=person, as_of=date(2024, 3, 1)).in_country is False
        assert AuditEntry.objects.filter(object_id=str(exit_.crossing.document_id), action="update").exists()

    def test_officer_cannot_link(self) -> None:
        a = record(self.alice, DocumentInputFactory(), on=D)
        b = record(self.alice, DocumentInputFactory(), on=D)
        with pytest.raises(PermissionDenied):
            services.document_link(
                user=self.alice, document_id=b.crossing.document_id, traveller_id=a.crossing.traveller_id
            )
        assert TravelDocument.objects.get(pk=b.crossing.document_id).traveller_id == b.crossing.traveller_id
