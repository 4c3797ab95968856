"""Every read of the information hub: the rules snapshot the entry guide computes from, and what the public
pages show. Public reads are of published content only and record nothing about the reader."""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from corredor.core.models import BorderPost, CommonArea, StayCategory, StayRule
from corredor.infohub.models import Alert, Bundle, RemittancePrice, Service, Topic, VisaRequirement

# Where the posts are (WGS 84), for the map: the reference data has no coordinates.
POST_LOCATIONS: dict[str, tuple[float, float]] = {
    "SJO": (9.9939, -84.2088),
    "LIR": (10.5933, -85.5444),
    "LIO": (9.9575, -83.0220),
    "SYQ": (9.9573, -84.1398),
    "PBL": (11.2136, -85.6126),
    "LCH": (11.0880, -84.7069),
    "PCN": (8.5331, -82.8366),
    "SIX": (9.5229, -82.6203),
    "SAB": (8.8944, -82.8790),
    "PLM": (10.0001, -83.0580),
    "PUN": (9.9781, -84.8355),
    "CAL": (9.9117, -84.7200),
    "GLF": (8.6393, -83.1743),
}


def hub_mode() -> bool:
    return bool(settings.CORREDOR_MODE == "hub")


def names_of(obj: Any) -> dict[str, str]:
    return {"es": obj.name_es, "en": obj.name_en, "fr": obj.name_fr or obj.name_en}


def rules_snapshot_live() -> dict[str, Any]:
    """The stay rules, categories, common areas, posts and border policy in force on central, as plain data
    (what a bundle carries). Central only: the hub has no rules but the bundle's."""
    country = settings.CORREDOR_COUNTRY
    policy: dict[str, Any] = {
        "age_of_majority": 18,
        "minor_exit_permit": False,
        "expired_document": "confirm",
    }
    if apps.is_installed("corredor.border"):
        from corredor.border.selectors import border_policy

        found = border_policy(country=country)
        policy = {
            "age_of_majority": found.age_of_majority,
            "minor_exit_permit": found.minor_exit_permit,
            "expired_document": found.expired_document,
        }
    return {
        "country": country,
        "categories": [
            {
                "code": c.code,
                "names": names_of(c),
                "default_days": c.default_days,
                "open_ended": c.open_ended,
            }
            for c in StayCategory.objects.filter(active=True).order_by("sort_order", "code")
        ],
        "areas": [
            {
                "code": a.code,
                "names": names_of(a),
                "members": sorted(a.members.values_list("code", flat=True)),
            }
            for a in CommonArea.objects.order_by("code")
        ],
        "rules": [
            {
                "id": r.pk,
                "name": r.name,
                "category": r.category_id,
                "nationality": r.nationality_id,
                "nationality_area": r.nationality_area_id,
                "days_per_entry": r.days_per_entry,
                "window_days": r.window_days,
                "window_length": r.window_length,
                "common_area": r.common_area_id,
                "active": r.active,
            }
            for r in StayRule.objects.filter(active=True).order_by("pk")
        ],
        "posts": [
            {
                "code": p.code,
                "kind": p.kind,
                "names": names_of(p),
                "neighbour": p.neighbour_id,
                "location": list(POST_LOCATIONS[p.code]) if p.code in POST_LOCATIONS else None,
            }
            for p in BorderPost.objects.filter(country_id=country, active=True).order_by("code")
        ],
        "minors": policy,
        "visa": {
            v.nationality: {"visa_required": v.visa_required, "note": dict(v.note)}
            for v in VisaRequirement.objects.all()
        },
    }


def rules_snapshot() -> dict[str, Any] | None:
    """What the entry guide computes from: on the hub, the newest bundle's rules (None before the first
    pull); on central, the live rules."""
    if hub_mode():
        bundle = Bundle.objects.order_by("-sequence").first()
        return bundle.rules if bundle is not None and bundle.rules else None
    return rules_snapshot_live()


def latest_bundle() -> Bundle | None:
    return Bundle.objects.order_by("-sequence").first()


# --- public content ---------------------------------------------------------------------------------------


def published_services(*, kind: str = "", language: str = "", near_post: str = "") -> list[dict[str, Any]]:
    """The published services (their approved version), filtered by need, language spoken, border post."""
    rows = [s.published for s in Service.objects.filter(published__isnull=False).order_by("city", "name")]
    found = []
    for row in rows:
        if row is None:
            continue
        if kind and row["kind"] != kind:
            continue
        if language and language not in row["languages"]:
            continue
        if near_post and row["near_post"] != near_post:
            continue
        found.append(row)
    return found


def current_alerts(*, now: datetime | None = None) -> QuerySet[Alert]:
    """Alerts in force: started and not expired, newest first."""
    now = now or timezone.now()
    return Alert.objects.filter(starts_at__lte=now, expires_at__gt=now).order_by("-starts_at")


def topics() -> QuerySet[Topic]:
    return Topic.objects.order_by("sort_order", "slug")


def remittance_corridors() -> list[tuple[str, str]]:
    return list(
        RemittancePrice.objects.values_list("source_country", "destination_country")
        .distinct()
        .order_by("source_country", "destination_country")
    )


def remittance_prices(*, source: str, destination: str, amount: str = "") -> QuerySet[RemittancePrice]:
    """The providers of one corridor, cheapest first (total cost as a share of the amount)."""
    prices = RemittancePrice.objects.filter(source_country=source, destination_country=destination)
    if amount:
        prices = prices.filter(amount_usd=amount)
    return prices.order_by("amount_usd", "total_cost", "provider")


# --- editors ----------------------------------------------------------------------------------------------


def services_for_editors(*, status: str = "") -> QuerySet[Service]:
    services = Service.objects.select_related("edited_by", "reviewed_by").order_by("status", "city", "name")
    return services.filter(status=status) if status else services


def services_waiting_for(user: Any) -> QuerySet[Service]:
    """Services waiting for review that `user` may review (not their own changes)."""
    return Service.objects.filter(status="review").filter(~Q(edited_by=user))
