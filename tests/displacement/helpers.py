"""Personas and a small emergency for the displacement tests.

- cora: emergency coordinator
- enzo, eva: enumerators (each sees only what they collected)
- sam: site manager of site ALB-1 only
- ana: analyst (aggregates only: refused registration)
- alice: border officer at SJO (no business here)
"""

import datetime
import uuid
from typing import Any

from corredor.core.models import Role
from corredor.displacement import services
from corredor.displacement.models import AdminArea
from tests.factories import UserFactory
from tests.personas import PersonaTestCase

AREAS_HXL = (
    "admin0Pcode,admin0Name_en,admin1Pcode,admin1Name_en,admin2Pcode,admin2Name_en\n"
    "#country+code,#country+name,#adm1+code,#adm1+name,#adm2+code,#adm2+name\n"
    "CRI,Costa Rica,CR1,San José,CR101,San José\n"
    "CRI,Costa Rica,CR1,San José,CR102,Escazú\n"
    "CRI,Costa Rica,CR5,Guanacaste,CR501,Liberia\n"
    "CRI,Costa Rica,CR7,Limón,CR701,Limón\n"
)


class EmergencyTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cora = UserFactory(username="cora", role=Role.EMERGENCY_COORDINATOR)
        cls.enzo = UserFactory(username="enzo", role=Role.ENUMERATOR)
        cls.eva = UserFactory(username="eva", role=Role.ENUMERATOR)
        cls.sam = UserFactory(username="sam", role=Role.SITE_MANAGER)
        services.admin_areas_import(user=cls.cora, data=AREAS_HXL.encode(), file_name="areas.csv")
        cls.event = services.event_create(
            user=cls.cora,
            code="hurricane-test",
            name="Hurricane Test",
            kind="hurricane",
            country_code="CRI",
            started_on=datetime.date(2026, 10, 1),
            affected_pcodes=["CR5", "CR7"],
        )
        cls.site_a = services.site_create(
            user=cls.cora,
            event=cls.event,
            code="ALB-1",
            name="Albergue Liberia",
            kind="collective_centre",
            area_pcode="CR501",
            latitude=10.63,
            longitude=-85.44,
            capacity=400,
            services=["water", "latrines"],
            managers=[cls.sam],
        )
        cls.site_b = services.site_create(
            user=cls.cora,
            event=cls.event,
            code="ALB-2",
            name="Campamento Limón",
            kind="camp",
            area_pcode="CR701",
            latitude=9.99,
            longitude=-83.03,
            capacity=800,
        )
        cls.round1 = services.round_open(
            user=cls.cora, event=cls.event, reporting_date=datetime.date(2026, 10, 5)
        )


def counts(**values: int) -> dict[str, int]:
    base = {
        name: 0
        for name in (
            "households",
            "females_children",
            "females_adults",
            "females_elderly",
            "males_children",
            "males_adults",
            "males_elderly",
        )
    }
    base.update(values)
    return base


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def area(pcode: str) -> Any:
    return AdminArea.objects.get(pcode=pcode)
