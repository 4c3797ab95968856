"""The demo's emergencies: DTM's published Haiti figures, and a synthetic hurricane in Costa Rica.

`seed` is called by `corredor demo`. It imports DTM's figures for Haiti from the shared data folder when it
is there (the real file, through the real importer), the admin areas of the hurricane (an HXL table of
Costa Rica's provinces and the cantons it struck, p-codes in the OCHA style), the countries' outlines for
the offline map (Natural Earth, from the statistics app's data), and a hurricane that never happened:
two rounds of area and site assessments, three sites, and a flow monitoring point at the Peñas Blancas land
border post, counted for the last two weeks beside the crossings the post recorded. A few households are
registered at the sites. Logins: `coordinadora` (emergency coordinator), `enumerador` (enumerator),
`gestor.sitio` (site manager of the first site); the password is the username.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from corredor.core.errors import ApplicationError
from corredor.core.models import BorderPost, Role, User
from corredor.displacement import services
from corredor.displacement.models import AdminArea, Event

DTM_FILE = "dtm_haiti_idps_admin0_2_hxl.csv"
EVENT_CODE = "demo-huracan-cri"

HURRICANE_AREAS = (
    "admin0Pcode,admin0Name,admin1Pcode,admin1Name,admin2Pcode,admin2Name\n"
    "#country+code,#country+name,#adm1+code,#adm1+name,#adm2+code,#adm2+name\n"
    "CRI,Costa Rica,CR1,San José,CR101,San José\n"
    "CRI,Costa Rica,CR5,Guanacaste,CR501,Liberia\n"
    "CRI,Costa Rica,CR5,Guanacaste,CR502,Nicoya\n"
    "CRI,Costa Rica,CR5,Guanacaste,CR503,Santa Cruz\n"
    "CRI,Costa Rica,CR5,Guanacaste,CR510,La Cruz\n"
    "CRI,Costa Rica,CR6,Puntarenas,CR601,Puntarenas\n"
    "CRI,Costa Rica,CR6,Puntarenas,CR603,Buenos Aires\n"
    "CRI,Costa Rica,CR7,Limón,CR701,Limón\n"
    "CRI,Costa Rica,CR7,Limón,CR704,Talamanca\n"
)

DEMO_USERS = (
    ("coordinadora", Role.EMERGENCY_COORDINATOR),
    ("enumerador", Role.ENUMERATOR),
    ("gestor.sitio", Role.SITE_MANAGER),
)

SITES = (
    (
        "ALB-LIB",
        "Albergue Gimnasio Liberia",
        "collective_centre",
        "CR501",
        10.633,
        -85.437,
        350,
        ["water", "latrines", "health_post"],
    ),
    (
        "CAMP-LCZ",
        "Campamento La Cruz",
        "camp",
        "CR510",
        11.072,
        -85.630,
        600,
        ["water", "latrines", "food_distribution"],
    ),
    (
        "ALB-LIM",
        "Albergue Escuela Limón",
        "collective_centre",
        "CR701",
        9.990,
        -83.034,
        250,
        ["water", "electricity"],
    ),
)

# Natural Earth's ISO numeric ids of the demo's countries (statistics/data/americas-50m.json).
OUTLINES = {"CRI": "188", "HTI": "332"}


def outlines_geojson() -> dict[str, Any]:
    """The demo countries' outlines as a GeoJSON FeatureCollection keyed by p-code (admin 0), for those of
    them that are admin areas already (Haiti comes with DTM's figures)."""
    from corredor.statistics.geo import DATA

    document = json.loads(Path(DATA).read_text())
    features = []
    known = set(AdminArea.objects.filter(pcode__in=list(OUTLINES)).values_list("pcode", flat=True))
    for pcode, number in OUTLINES.items():
        if pcode not in known:
            continue
        polygons = [
            [[list(point) for point in ring] for ring in p["rings"]]
            for p in document["polygons"]
            if p["id"] == number
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"pcode": pcode},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _users() -> dict[str, User]:
    users = {}
    for username, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=username, role=role)
        users[username] = user
    return users


def _counts(rng: random.Random, scale: int) -> dict[str, int]:
    values = {
        "females_children": rng.randint(scale // 5, scale // 3),
        "females_adults": rng.randint(scale // 4, scale // 3),
        "females_elderly": rng.randint(scale // 20, scale // 10),
        "males_children": rng.randint(scale // 5, scale // 3),
        "males_adults": rng.randint(scale // 5, scale // 4),
        "males_elderly": rng.randint(scale // 25, scale // 12),
    }
    values["households"] = max(1, sum(values.values()) // 4)
    return values


@transaction.atomic
def hurricane_seed(rng: random.Random, today: date) -> Event:
    """The synthetic hurricane: areas, two rounds, three sites, a flow point at Peñas Blancas."""
    users = _users()
    services.admin_areas_import(user=None, data=HURRICANE_AREAS.encode(), file_name="cri_areas.csv")
    services.admin_shapes_import(user=None, data=json.dumps(outlines_geojson()).encode())
    if Event.objects.filter(code=EVENT_CODE).exists():
        _forget(EVENT_CODE)
    started = today - timedelta(days=16)
    event = services.event_create(
        user=None,
        code=EVENT_CODE,
        name="Huracán Demo (ficticio)",
        kind="hurricane",
        country_code="CRI",
        started_on=started,
        affected_pcodes=["CR5", "CR6", "CR7"],
    )
    sites = [
        services.site_create(
            user=None,
            event=event,
            code=code,
            name=name,
            kind=kind,
            area_pcode=pcode,
            latitude=lat,
            longitude=lon,
            managing_agency="Comisión Nacional de Emergencias",
            capacity=capacity,
            services=offered,
            managers=[users["gestor.sitio"]] if n == 0 else [],
        )
        for n, (code, name, kind, pcode, lat, lon, capacity, offered) in enumerate(SITES)
    ]
    enumerator = users["enumerador"]
    rounds = [
        services.round_open(user=None, event=event, reporting_date=started + timedelta(days=3)),
        services.round_open(user=None, event=event, reporting_date=started + timedelta(days=10)),
    ]
    scales = {
        "CR501": 1800,
        "CR502": 900,
        "CR503": 700,
        "CR510": 1400,
        "CR601": 600,
        "CR701": 1300,
        "CR704": 500,
    }
    for number, round in enumerate(rounds):
        for pcode, scale in scales.items():
            # The second round: people go home where the water went down, and more arrive at the border.
            factor = 1.0 if number == 0 else (1.3 if pcode == "CR510" else 0.6)
            services.area_assessment_submit(
                user=enumerator,
                round=round,
                area_pcode=pcode,
                reason="natural_disaster",
                shelter_type=rng.choice(["site", "host_family", "host_family", "rented"]),
                counts=_counts(rng, int(scale * factor)),
                displaced_on=started,
                origin_pcode=pcode,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            )
        for site in sites:
            services.site_assessment_submit(
                user=enumerator,
                round=round,
                site=site,
                counts=_counts(rng, int(site.capacity * (0.9 if number == 0 else 0.7))),
                needs={
                    sector: rng.randint(0 if number else 1, 3)
                    for sector in (
                        "shelter",
                        "wash",
                        "food",
                        "health",
                        "protection",
                        "education",
                        "communication",
                    )
                },
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            )
    post = BorderPost.objects.filter(code="PBL").first()
    point = services.flow_point_create(
        user=None,
        event=event,
        code="FMP-PBL",
        name="Peñas Blancas",
        kind="border_crossing",
        area_pcode="CR510",
        border_post_code=post.code if post else "",
        latitude=11.215,
        longitude=-85.611,
    )
    for offset in range(14):
        day = today - timedelta(days=13 - offset)
        cells = []
        for direction in ("incoming", "outgoing"):
            for sex in "FM":
                for age in ("children", "adults"):
                    cells.append(
                        {
                            "direction": direction,
                            "sex": sex,
                            "age_group": age,
                            "nationality": rng.choice(["NIC", "NIC", "CRI", "VEN", "HTI"]),
                            "transport": rng.choice(["foot", "bus", "bus", "car"]),
                            "previous_location": "Rivas" if direction == "outgoing" else "Liberia",
                            "next_location": "Liberia" if direction == "outgoing" else "Rivas",
                            "people": rng.randint(5, 60),
                        }
                    )
        services.flow_counts_submit(
            user=enumerator,
            point=point,
            counted_on=day,
            cells=cells,
            client_uuid=uuid.UUID(int=rng.getrandbits(128)),
        )
    families = [
        ("Mora Vargas", ["Ana María", "José", "Sofía"]),
        ("Rojas Castro", ["Luis Alberto", "Elena"]),
        ("Solano Araya", ["María", "Diego", "Laura", "Pablo"]),
        ("Mora Vargas", ["Ana Maria"]),
    ]
    for n, (surname, members) in enumerate(families):
        services.household_register(
            user=enumerator,
            site=sites[n % 2],
            reference=f"HH-{n + 1:04d}",
            members=[
                services.MemberIn(
                    surname=surname,
                    given_names=given,
                    sex="F" if given[-1] == "a" else "M",
                    birth_date=f"{1960 + 7 * i + n}-0{1 + i}-15",
                )
                for i, given in enumerate(members)
            ],
            consent_referral=n % 2 == 0,
            client_uuid=uuid.UUID(int=rng.getrandbits(128)),
        )
    return event


def _forget(code: str) -> bool:
    """Remove an earlier demo hurricane (the demo is re-runnable)."""
    from corredor.displacement.models import (
        AreaAssessment,
        FlowCount,
        Household,
        SiteAssessment,
    )

    event = Event.objects.get(code=code)
    Household.objects.filter(event=event).delete()
    AreaAssessment.objects.filter(round__event=event).delete()
    SiteAssessment.objects.filter(round__event=event).delete()
    FlowCount.objects.filter(point__event=event).delete()
    event.flow_points.all().delete()
    event.sites.all().delete()
    event.delete()
    return True


def seed(rng: random.Random, now: datetime) -> str:
    lines = []
    path = Path(settings.CORREDOR_SHARED_DATA) / DTM_FILE
    if path.is_file():
        try:
            result = services.dtm_import(user=None, data=path.read_bytes(), file_name=DTM_FILE)
            lines.append(result.summary())
        except ApplicationError as error:
            lines.append(f"DTM figures not imported: {error.message}")
    else:
        lines.append(f"DTM figures: {path} not found, skipped")
    event = hurricane_seed(rng, now.date())
    areas = AdminArea.objects.count()
    lines.append(
        f"Emergencies: {event.name}: {event.rounds.count()} rounds, {event.sites.count()} sites, "
        f"flow monitoring point at Peñas Blancas; {areas} admin areas. "
        "Logins: coordinadora (coordinator), enumerador (enumerator), gestor.sitio (site manager)."
    )
    return "\n".join(lines)
