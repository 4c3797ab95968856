"""Protection at the desk: the screening is open where it applies, the referral travels with the decision
through the border's own form, a bad consent answer records nothing, a return due to leave is announced."""

import uuid

from django.test import Client

from corredor.border import hooks
from corredor.border.models import Crossing
from corredor.protection.hooks import ProtectionHook
from corredor.protection.models import Case, Transition
from tests.factories import mrz_for
from tests.protection import CONSENT_ANSWERS, ProtectionTestCase, adult_document, child_document


class DeskTests(ProtectionTestCase):
    def desk(self) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.alice)
        return client

    def test_the_hook_is_registered(self) -> None:
        assert any(isinstance(h, ProtectionHook) for h in hooks.registered())

    def test_a_child_opens_the_screening_and_the_refer_to_list_is_restricted(self) -> None:
        html = self.desk().post("/desk/scan/", {"mrz": mrz_for(child_document())}).content.decode()
        assert "A child: ask the vulnerability screening below." in html
        assert '<details class="protection-panel field wide" id="protection-panel" open' in html
        assert "Patronato Nacional de la Infancia" in html and "Clínica de Atención Primaria" not in html
        assert "data-protection-unaccompanied" in html and "protection/desk.js" in html

    def test_an_adult_gets_the_screening_folded_and_no_notice(self) -> None:
        html = self.desk().post("/desk/scan/", {"mrz": mrz_for(adult_document())}).content.decode()
        assert 'id="protection-panel" data-child="false">' in html and "A child:" not in html
        assert 'data-source="protection"' not in html

    def test_the_officer_refers_from_the_desk_form(self) -> None:
        data = {
            "mrz": mrz_for(child_document()),
            "action": "refer",
            "crossing_id": str(uuid.uuid4()),
            "post": "SJO",
            **CONSENT_ANSWERS,
            "hook_protection_provider": str(self.pani.pk),
        }
        response = self.desk().post("/desk/record/", data)
        assert response.status_code == 200, response.content.decode()[:500]
        transition = Transition.objects.get()
        assert Crossing.objects.get(pk=transition.crossing_id).decision == "referred"
        assert transition.to_provider == self.pani
        assert transition.case.indicators == ["unaccompanied_child"]

    def test_a_bad_consent_answer_records_nothing(self) -> None:
        data = {
            "mrz": mrz_for(child_document()),
            "action": "refer",
            "crossing_id": str(uuid.uuid4()),
            "post": "SJO",
            **CONSENT_ANSWERS,
            "hook_protection_consent": "override",
            "hook_protection_provider": str(self.pani.pk),
        }
        response = self.desk().post("/desk/record/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
        assert "reason for overriding" in response.content.decode()
        assert not Crossing.objects.exists() and not Case.objects.exists()

    def test_an_administrator_at_the_desk_cannot_refer_and_nothing_is_written(self) -> None:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.admin)
        data = {
            "mrz": mrz_for(child_document()),
            "action": "refer",
            "crossing_id": str(uuid.uuid4()),
            "post": "SJO",
            **CONSENT_ANSWERS,
            "hook_protection_provider": str(self.pani.pk),
        }
        response = client.post("/desk/record/", data)
        assert response.status_code == 403 and not Crossing.objects.exists() and not Case.objects.exists()
