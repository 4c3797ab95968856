"""Referral at the desk with consent, the transitions table, case work, closure, AVRR with its departure
recorded as an exit crossing at the border."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from corredor.border.models import Crossing
from corredor.core.errors import ApplicationError, Conflict, PermissionDenied
from corredor.protection import services
from corredor.protection.consent import DATA_CATEGORIES, consent_terms
from corredor.protection.models import (
    AvrrStatus,
    Case,
    CaseStatus,
    TransitionStatus,
    VulnerabilityScreening,
)
from tests.factories import record
from tests.protection import ProtectionTestCase, adult_document, child_document, consent


class ConsentRules:
    @given(
        data=st.lists(st.sampled_from(DATA_CATEGORIES), unique=True),
        purpose=st.text(max_size=20),
        reason=st.text(max_size=30),
        choice=st.sampled_from([True, False, None]),
    )
    def test_a_referral_is_consented_or_overridden_with_a_reason(
        self, data: list[str], purpose: str, reason: str, choice: bool | None
    ) -> None:
        try:
            terms = consent_terms(given=choice, data=data, purpose=purpose, override_reason=reason)
        except ApplicationError as error:
            assert error.detail["field"].startswith("consent")
            return
        if terms.given:
            assert terms.data and len(terms.purpose) >= 3 and set(terms.shares) == set(data)
        else:
            assert len(terms.override_reason) >= 10 and terms.shares == ("identity", "screening")


class TestConsentRules(ConsentRules):
    pass


class DeskReferralTests(ProtectionTestCase):
    def test_the_officer_refers_a_child_with_consent(self) -> None:
        transition = self.refer_child()
        assert transition.status == TransitionStatus.IN_PROGRESS and transition.to_provider == self.pani
        assert transition.consent_given and transition.consent_data == ["identity", "screening"]
        assert transition.service == "child_protection" and transition.from_post_id == "SJO"
        case = transition.case
        assert case.status == CaseStatus.REFERRED and case.kind == "child_protection" and case.risk == "high"
        assert case.provider is None and case.surname == "MEJIA CASTRO"
        screening = VulnerabilityScreening.objects.get(crossing_id=transition.crossing_id)
        assert screening.indicators == ["unaccompanied_child"]
        assert "child" in screening.asked_because and "officer_referral" in screening.asked_because

    def test_without_consent_an_override_needs_a_reason_and_nothing_is_written(self) -> None:
        before = (Crossing.objects.count(), Case.objects.count())
        with pytest.raises(ApplicationError) as caught:
            self.refer_child(hook_protection_consent="override", hook_protection_override_reason="")
        assert caught.value.detail["field"] == "consent_override_reason"
        assert (Crossing.objects.count(), Case.objects.count()) == before
        transition = self.refer_child(
            hook_protection_consent="override",
            hook_protection_override_reason="Niña de 12 años sola, en riesgo: interés superior",
        )
        assert not transition.consent_given and transition.consent_data == ["identity", "screening"]

    def test_no_answer_on_consent_is_refused(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            self.refer_child(hook_protection_consent="")
        assert caught.value.detail["field"] == "consent"

    def test_a_provider_outside_the_border_list_is_refused(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            self.refer_child(hook_protection_provider=str(self.providers["clinica"].pk))
        assert caught.value.detail["field"] == "provider"

    def test_screening_without_referral_is_stored_alone(self) -> None:
        recorded = record(
            self.alice,
            adult_document(),
            hook_answers={"hook_protection_asylum": "1", "hook_protection_medical": "1"},
        )
        screening = VulnerabilityScreening.objects.get(crossing=recorded.crossing)
        assert screening.indicators == ["medical", "asylum"] and "asylum" in screening.asked_because
        assert not Case.objects.exists()

    def test_a_crossing_without_answers_leaves_nothing(self) -> None:
        record(self.alice, adult_document())
        assert not VulnerabilityScreening.objects.exists() and not Case.objects.exists()


class TransitionTests(ProtectionTestCase):
    def test_the_caseworker_accepts_plans_and_closes(self) -> None:
        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        case = Case.objects.get(pk=transition.case_id)
        assert (
            case.status == CaseStatus.OPEN and case.provider == self.pani and case.assigned_to == self.carla
        )
        services.case_event_add(
            user=self.carla, case_id=case.pk, kind="assessment", text="Sola, sin lesiones."
        )
        services.case_event_add(user=self.carla, case_id=case.pk, kind="plan", text="Albergue y búsqueda.")
        services.case_event_add(
            user=self.carla, case_id=case.pk, kind="service", text="Albergue PANI", service="shelter"
        )
        task = services.task_add(
            user=self.carla, case_id=case.pk, title="Llamar a la madre", due_on=datetime.date(2026, 12, 10)
        )
        tracing = services.tracing_add(
            user=self.carla, case_id=case.pk, sought_name="Rosa Castro", relationship="madre"
        )
        with pytest.raises(Conflict):
            services.case_close(user=self.carla, case_id=case.pk, reason="Reunificada")
        services.task_done(user=self.carla, task_id=task.pk)
        services.tracing_set_status(user=self.carla, tracing_id=tracing.pk, status="found")
        services.case_close(user=self.carla, case_id=case.pk, reason="Reunificada con su madre")
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.closed_at is not None
        kinds = list(case.events.order_by("at").values_list("kind", flat=True))
        assert kinds[0] == "registration" and kinds[-1] == "closure" and "plan" in kinds

    def test_decline_and_revoke(self) -> None:
        transition = self.refer_child()
        with pytest.raises(ApplicationError):
            services.transition_reject(user=self.carla, transition_id=transition.pk, reason="")
        services.transition_reject(user=self.carla, transition_id=transition.pk, reason="Sin cupo hoy")
        transition.refresh_from_db()
        assert transition.status == TransitionStatus.REJECTED
        with pytest.raises(Conflict):
            services.transition_accept(user=self.carla, transition_id=transition.pk)
        second = self.refer_child(hook_protection_purpose="segunda")
        with pytest.raises(PermissionDenied):
            services.transition_revoke(user=self.carla, transition_id=second.pk, reason="error")
        services.transition_revoke(user=self.manuel, transition_id=second.pk, reason="Enviada por error")
        second.refresh_from_db()
        assert second.status == TransitionStatus.REVOKED

    def test_only_the_receiving_agency_answers(self) -> None:
        transition = self.refer_child()
        for user in (self.rita, self.otto, self.pia, self.nadia, self.alice, self.ana):
            with pytest.raises(PermissionDenied) as caught:
                services.transition_accept(user=user, transition_id=transition.pk)
            # Audited by the boundary after the rollback (tests/protection/test_views.py).
            assert caught.value.what.startswith(("transition:", "protection"))

    def test_assignment_and_transfer(self) -> None:
        transition = self.refer_child()
        services.transition_accept(user=self.manuel, transition_id=transition.pk)
        case = Case.objects.get(pk=transition.case_id)
        assert case.assigned_to == self.manuel
        with pytest.raises(PermissionDenied):
            services.case_assign(user=self.carla, case_id=case.pk, caseworker_id=self.carla.pk)
        with pytest.raises(ApplicationError):
            services.case_assign(user=self.manuel, case_id=case.pk, caseworker_id=self.rita.pk)
        services.case_assign(user=self.manuel, case_id=case.pk, caseworker_id=self.carla.pk)
        case.refresh_from_db()
        assert case.assigned_to == self.carla
        transfer = services.case_refer(
            user=self.manuel,
            case_id=case.pk,
            provider_id=self.oim_provider.pk,
            service="avrr",
            consent=consent(),
            transfer=True,
        )
        services.transition_accept(user=self.otto, transition_id=transfer.pk)
        case.refresh_from_db()
        assert case.provider == self.oim_provider and case.assigned_to == self.otto

    def test_a_service_referral_leaves_the_case_where_it_is(self) -> None:
        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        referral = services.case_refer(
            user=self.carla,
            case_id=transition.case_id,
            provider_id=self.providers["casa-acogida"].pk,
            service="shelter",
            consent=consent(),
        )
        services.transition_accept(user=self.rita, transition_id=referral.pk)
        services.transition_done(user=self.rita, transition_id=referral.pk, note="Dos noches")
        case = Case.objects.get(pk=transition.case_id)
        assert case.provider == self.pani and case.assigned_to == self.carla
        referral.refresh_from_db()
        assert referral.status == TransitionStatus.DONE


class AvrrTests(ProtectionTestCase):
    def _returning(self) -> object:
        recorded = record(self.alice, adult_document())
        transition = services.referral_from_desk(
            officer=self.alice,
            crossing=recorded.crossing,
            provider=self.oim_provider,
            service="avrr",
            consent=consent(data=["identity", "documents"]),
            indicators=[],
            child=False,
        )
        services.transition_accept(user=self.otto, transition_id=transition.pk)
        avrr = services.avrr_apply(user=self.otto, case_id=transition.case_id, destination="HND")
        services.avrr_assess(user=self.otto, avrr_id=avrr.pk, eligible=True, note="Voluntario")
        return services.avrr_arrange(
            user=self.otto,
            avrr_id=avrr.pk,
            travel_date=timezone.localdate(),
            post_code="SJO",
            transport_reference="cm 394",
            travel_documents="HND F1002003",
            partner_id=self.providers["camr-hnd"].pk,
        )

    def test_the_departure_is_an_exit_crossing_and_the_partner_follows(self) -> None:
        avrr = self._returning()
        with pytest.raises(PermissionDenied):
            services.avrr_depart(officer=self.bob, avrr_id=avrr.pk)  # another post
        with pytest.raises(PermissionDenied):
            services.avrr_depart(officer=self.otto, avrr_id=avrr.pk)
        crossing = services.avrr_depart(officer=self.alice, avrr_id=avrr.pk)
        assert crossing.direction == "exit" and crossing.decision == "admitted" and crossing.post_id == "SJO"
        assert crossing.transport_reference == "CM 394"
        avrr.refresh_from_db()
        assert avrr.status == AvrrStatus.DEPARTED and avrr.departure_crossing_id == crossing.pk
        assert services.avrr_depart(officer=self.alice, avrr_id=avrr.pk) == crossing  # once
        with pytest.raises(PermissionDenied):
            services.avrr_reintegration_plan(user=self.rita, avrr_id=avrr.pk, plan="x" * 10)
        services.avrr_reintegration_plan(user=self.pia, avrr_id=avrr.pk, plan="Capital semilla, escuela")
        services.monitoring_visit_add(
            user=self.pia, avrr_id=avrr.pk, visited_on=timezone.localdate(), text="Negocio abierto"
        )
        services.avrr_complete(user=self.otto, avrr_id=avrr.pk)
        avrr.refresh_from_db()
        assert avrr.status == AvrrStatus.COMPLETED and avrr.visits.count() == 1

    def test_an_exit_at_the_desk_is_the_departure_too(self) -> None:
        avrr = self._returning()
        recorded = record(self.alice, adult_document(), direction="exit")
        avrr.refresh_from_db()
        assert avrr.departure_crossing_id == recorded.crossing.pk

    def test_a_child_returns_with_an_escort(self) -> None:
        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        avrr = services.avrr_apply(user=self.carla, case_id=transition.case_id, destination="HND")
        services.avrr_assess(user=self.carla, avrr_id=avrr.pk, eligible=True, note="Reunificación en origen")
        with pytest.raises(ApplicationError) as caught:
            services.avrr_arrange(
                user=self.carla,
                avrr_id=avrr.pk,
                travel_date=timezone.localdate(),
                post_code="SJO",
                transport_reference="CM 394",
                travel_documents="HND F7734521",
            )
        assert caught.value.detail["field"] == "escort"


class RetentionTests(ProtectionTestCase):
    def test_purging_the_border_file_leaves_the_case(self) -> None:
        from corredor.border.models import Traveller
        from corredor.core.retention import purge_record, retention_policies

        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        case = Case.objects.get(pk=transition.case_id)
        policy = next(p for p in retention_policies() if p.name == "traveller")
        purge_record(root=Traveller.objects.get(pk=case.traveller_id), policy=policy, now=timezone.now())
        assert not Traveller.objects.filter(pk=case.traveller_id).exists()
        assert not VulnerabilityScreening.objects.exists()  # the desk's record goes with the border file
        assert Case.objects.filter(pk=case.pk).exists() and case.transitions.count() == 1

    def test_closed_cases_are_purged_after_the_period(self) -> None:
        from corredor.core.models import Tombstone
        from corredor.core.retention import purge_run

        transition = self.refer_child()
        services.transition_accept(user=self.carla, transition_id=transition.pk)
        services.case_close(user=self.carla, case_id=transition.case_id, reason="Reunificada")
        Case.objects.filter(pk=transition.case_id).update(
            closed_at=timezone.now() - datetime.timedelta(days=11 * 365)
        )
        purge_run(dry_run=False)
        assert not Case.objects.filter(pk=transition.case_id).exists()
        assert Tombstone.objects.filter(model_label="protection.case", object_id=transition.case_id).exists()


def test_case_kind_follows_the_answers() -> None:
    assert services.case_kind_for(["trafficking"], child=True) == "trafficking"
    assert services.case_kind_for([], child=True) == "child_protection"
    assert services.case_kind_for(["gbv"], child=False) == "gbv"
    assert child_document().nationality == "HND"
