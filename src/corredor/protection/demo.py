"""The demo's protection: a directory of providers, the agency logins, a child referred from the border
awaiting the child protection agency's answer, and an assisted return due to leave from SJO today.

`seed()` is called by `corredor demo` (after the border's year); it does nothing when the directory exists.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class DemoProvider:
    code: str
    name: str
    kind: str
    country: str  # "" = the deploying country
    city: str
    services: tuple[str, ...]
    border_referrals: bool


PROVIDERS = (
    DemoProvider(
        "pani",
        "Patronato Nacional de la Infancia (PANI)",
        "child_protection",
        "",
        "San José",
        ("child_protection", "family_tracing", "shelter", "psychosocial"),
        True,
    ),
    DemoProvider("refugio", "Unidad de Refugio", "asylum", "", "San José", ("asylum",), True),
    DemoProvider(
        "casa-acogida",
        "Casa de Acogida Migrante",
        "shelter",
        "",
        "Liberia",
        ("shelter", "psychosocial"),
        True,
    ),
    DemoProvider("clinica", "Clínica de Atención Primaria", "health", "", "Alajuela", ("medical",), False),
    DemoProvider("oim", "OIM, oficina nacional", "iom", "", "San José", ("avrr", "family_tracing"), True),
    DemoProvider(
        "camr-hnd",
        "Centro de Atención al Migrante Retornado",
        "reintegration",
        "HND",
        "San Pedro Sula",
        ("avrr", "psychosocial"),
        False,
    ),
)

# username, role, provider code
LOGINS = (
    ("trabajadora", "caseworker", "pani"),
    ("gestora", "case_manager", "pani"),
    ("oim", "caseworker", "oim"),
    ("retorno", "provider_user", "camr-hnd"),
)


@dataclass(frozen=True)
class DemoChild:
    """A child to scan at the desk (not stored: the desk asks the screening; the officer refers)."""

    nationality: str = "HND"
    surname: str = "Mejía Castro"
    given_names: str = "Dilcia Marisol"
    number: str = "F7734521"
    birth_date: date = date(2014, 5, 18)
    expiry_date: date = date(2031, 5, 17)
    sex: str = "F"


def demo_child_mrz() -> str:
    from corredor.border.demo import passport_mrz

    return passport_mrz(DemoChild())


def directory_ensure() -> dict[str, Any]:
    """The demo providers, by code (created where missing)."""
    from corredor.protection import services
    from corredor.protection.models import ServiceProvider

    found = {p.code: p for p in ServiceProvider.objects.filter(code__in=[d.code for d in PROVIDERS])}
    for demo in PROVIDERS:
        if demo.code not in found:
            found[demo.code] = services.provider_create(
                user=None,
                code=demo.code,
                name=demo.name,
                kind=demo.kind,
                country=demo.country or settings.CORREDOR_COUNTRY,
                services=list(demo.services),
                border_referrals=demo.border_referrals,
                city=demo.city,
            )
    return found


def users_ensure(providers: dict[str, Any]) -> list[str]:
    """The agency logins (password = username), created where missing; their usernames."""
    from corredor.core.models import User
    from corredor.protection import services

    names = []
    for username, role, code in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=username, role=role)
        services.membership_set(user=None, member=user, provider=providers[code])
        names.append(username)
    return names


def seed(*, rng: random.Random, now: datetime) -> str:
    """The directory, the logins, a referred child and a return ready to depart; a line saying what."""
    from corredor.border.models import Crossing, TravelDocument
    from corredor.core.models import BorderPost, User
    from corredor.protection import services
    from corredor.protection.consent import consent_terms
    from corredor.protection.models import ServiceProvider

    if ServiceProvider.objects.filter(code="pani").exists():
        return "Protection: the demo directory is already there."
    providers = directory_ensure()
    logins = users_ensure(providers)
    officer = User.objects.filter(username="oficial").first()
    referred = 0
    returning = 0
    if officer is not None and officer.border_post_id:
        today = timezone.localdate()
        minors = list(
            Crossing.objects.filter(
                post_id=officer.border_post_id,
                direction="entry",
                traveller__birth_date__gt=date(today.year - 15, 1, 1),
            )
            .select_related("traveller")
            .order_by("occurred_at", "id")[:50]
        )
        if minors:
            crossing = rng.choice(minors)
            services.referral_from_desk(
                officer=officer,
                crossing=crossing,
                provider=providers["pani"],
                service="child_protection",
                consent=consent_terms(
                    given=True,
                    data=["identity", "screening"],
                    purpose="Protección de la niñez",
                    override_reason="",
                    language="es",
                ),
                indicators=["unaccompanied_child"],
                child=True,
                note="Viaja sin acompañante; refiere que su madre vive en San José.",
            )
            referred = 1
        adults = list(
            TravelDocument.objects.filter(
                nationality_id="HND", birth_date__lt=date(today.year - 25, 1, 1), expiry_date__gt=today
            ).order_by("created_at", "id")[:50]
        )
        oim = User.objects.get(username="oim")
        post = BorderPost.objects.filter(code=officer.border_post_id).first()
        if adults and post is not None:
            document = rng.choice(adults)
            last = (
                Crossing.objects.filter(traveller_id=document.traveller_id).order_by("-occurred_at").first()
            )
            if last is not None:
                transition = services.referral_from_desk(
                    officer=officer,
                    crossing=last,
                    provider=providers["oim"],
                    service="avrr",
                    consent=consent_terms(
                        given=True,
                        data=["identity", "documents"],
                        purpose="Retorno voluntario asistido",
                        override_reason="",
                        language="es",
                    ),
                    indicators=[],
                    child=False,
                )
                services.transition_accept(user=oim, transition_id=transition.pk)
                avrr = services.avrr_apply(user=oim, case_id=transition.case_id, destination="HND")
                services.avrr_assess(
                    user=oim, avrr_id=avrr.pk, eligible=True, note="Solicitud voluntaria, sin impedimentos."
                )
                services.avrr_arrange(
                    user=oim,
                    avrr_id=avrr.pk,
                    travel_date=today,
                    post_code=post.code,
                    transport_reference="CM 0394",
                    travel_documents=f"{document.issuing_state_id} {document.number}",
                    partner_id=providers["camr-hnd"].pk,
                )
                returning = 1
    lines = [
        f"Protection: {len(providers)} providers, {referred} child referred from the desk (awaiting PANI), "
        f"{returning} assisted return due to leave today.",
        "  Protection logins (password = username): "
        + ", ".join(f"{name} ({role} at {code})" for name, role, code in LOGINS if name in logins),
        "  A child to refer at the desk (12 years old, travelling alone):",
        *(f"    {line}" for line in demo_child_mrz().split("\n")),
    ]
    return "\n".join(lines)
