"""Protection's personas, on top of the border's (alice, officer at SJO; bob, officer at PBL; sofia,
supervisor at SJO; ana, analyst; aud, auditor; admin):

- carla: caseworker at PANI (the child protection agency); manuel: case manager at PANI;
- otto: caseworker at the IOM office; rita: caseworker at the shelter (another agency);
- pia: provider user at the reintegration partner in Honduras; nadia: caseworker of no agency.
"""

import datetime
from typing import Any

from corredor.border.documents import DocumentInput
from corredor.core.models import Role, User
from corredor.protection import demo, services
from corredor.protection.consent import consent_terms
from corredor.protection.models import Transition
from tests.factories import DocumentInputFactory, UserFactory, record
from tests.personas import PersonaTestCase


def child_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "MEJIA CASTRO",
        "given_names": "DILCIA MARISOL",
        "birth_date": datetime.date(2014, 5, 18),
        "nationality": "HND",
        "sex": "F",
        "number": "F7734521",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


def adult_document(**overrides: Any) -> DocumentInput:
    values: dict[str, Any] = {
        "surname": "PAZ LOBO",
        "given_names": "JOSE ANTONIO",
        "birth_date": datetime.date(1985, 3, 9),
        "nationality": "HND",
        "sex": "M",
        "number": "F1002003",
    }
    values.update(overrides)
    return DocumentInputFactory(**values)


CONSENT_ANSWERS = {
    "hook_protection_unaccompanied_child": "1",
    "hook_protection_consent": "given",
    "hook_protection_data_identity": "1",
    "hook_protection_data_screening": "1",
    "hook_protection_purpose": "Protección de la niñez",
    "hook_protection_language": "es",
}


def consent(**overrides: Any) -> Any:
    values: dict[str, Any] = {
        "given": True,
        "data": ["identity", "screening"],
        "purpose": "protection",
        "override_reason": "",
    }
    values.update(overrides)
    return consent_terms(**values)


class ProtectionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.providers = demo.directory_ensure()
        cls.pani = cls.providers["pani"]
        cls.oim_provider = cls.providers["oim"]
        cls.carla = cls._member("carla", Role.CASEWORKER, "pani")
        cls.manuel = cls._member("manuel", Role.CASE_MANAGER, "pani")
        cls.otto = cls._member("otto", Role.CASEWORKER, "oim")
        cls.rita = cls._member("rita", Role.CASEWORKER, "casa-acogida")
        cls.pia = cls._member("pia", Role.PROVIDER_USER, "camr-hnd")
        cls.nadia = UserFactory(username="nadia", role=Role.CASEWORKER)

    @classmethod
    def _member(cls, username: str, role: str, code: str) -> User:
        user = UserFactory(username=username, role=role)
        services.membership_set(user=None, member=user, provider=cls.providers[code])
        return user  # type: ignore[no-any-return]

    def refer_child(self, **answers: str) -> Transition:
        """alice scans the demo child at SJO, ticks "unaccompanied", refers to PANI with consent."""
        values = {**CONSENT_ANSWERS, "hook_protection_provider": str(self.pani.pk), **answers}
        recorded = record(
            self.alice, child_document(), decision="referred", stay_category=None, hook_answers=values
        )
        return Transition.objects.get(crossing_id=recorded.crossing.pk)
