"""Every write of the information hub: editors' texts, services (draft -> review -> published by a second
editor), alerts, remittance prices, and the content bundle (publish on central, load on the hub). Each
editor's write is audited; a hub's load of a bundle is audited as a bulk load."""

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import actor_for, current_actor
from corredor.core.audit import audit_write as _audit_write
from corredor.core.errors import ApplicationError, Conflict
from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse
from corredor.infohub import bundle, importers, selectors
from corredor.infohub.languages import HUB_LANGUAGE_CODES
from corredor.infohub.models import (
    Alert,
    Bundle,
    RemittancePrice,
    Service,
    ServiceKind,
    Status,
    Topic,
    VisaRequirement,
)

EDITOR_ROLES = (Role.INFORMATION_EDITOR, Role.ADMINISTRATOR)


def permit_editor(user: Any) -> None:
    """Refuse anyone who is not an information editor (or an administrator); and everyone on the hub,
    whose content comes only from central's bundles. `None` is the command line and the demo, which run
    with the server's own rights."""
    if selectors.hub_mode():
        raise refuse(user, _("The public hub is edited on central, not here."), "infohub:edit")
    if user is None:
        return
    if not has_role(user, *EDITOR_ROLES):
        raise refuse(user, _("Only information editors can change the hub's content."), "infohub:edit")


def _audit(user: Any, **entry: Any) -> None:
    """An audit row in the editor's name (the request's actor is the same person; a command's is not)."""
    actor = actor_for(user, current_actor().origin) if user is not None else None
    _audit_write(actor=actor, **entry)


def _texts(value: dict[str, str] | None) -> dict[str, str]:
    return {lang: text.strip() for lang, text in (value or {}).items() if lang in HUB_LANGUAGE_CODES and text}


# --- guide topics -------------------------------------------------------------------------------------------


@transaction.atomic
def topic_save(
    *, user: Any, slug: str, title: dict[str, str], body: dict[str, str], sort_order: int | None = None
) -> Topic:
    permit_editor(user)
    title, body = _texts(title), _texts(body)
    if not title:
        raise ApplicationError(_("A topic needs a title in at least one language."))
    topic, created = Topic.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
    topic.title, topic.body, topic.updated_at = title, body, timezone.now()
    if sort_order is not None:
        topic.sort_order = sort_order
    topic.save()
    _audit(
        user=user,
        action="create" if created else "update",
        object_type="infohub.topic",
        object_id=slug,
        summary="guide topic saved (" + ", ".join(sorted(body)) + ")",
    )
    return topic


# --- services -----------------------------------------------------------------------------------------------


SERVICE_FIELDS = (
    "kind",
    "name",
    "description",
    "city",
    "near_post",
    "address",
    "phone",
    "hours",
    "languages",
)


@transaction.atomic
def service_save(*, user: Any, service: Service | None = None, **fields: Any) -> Service:
    """Create a service or change one, as a draft: nothing changes on the public site until a second
    editor approves it."""
    permit_editor(user)
    unknown = set(fields) - {*SERVICE_FIELDS, "latitude", "longitude"}
    if unknown:
        raise ApplicationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    created = service is None
    service = service or Service()
    if "description" in fields:
        fields["description"] = _texts(fields["description"])
    if "languages" in fields:
        fields["languages"] = [code for code in HUB_LANGUAGE_CODES if code in (fields["languages"] or [])]
    for name, value in fields.items():
        setattr(service, name, value)
    if service.kind not in ServiceKind.values:
        raise ApplicationError(_("Unknown kind of service: %(kind)s") % {"kind": service.kind})
    if not service.name.strip() or not service.city.strip():
        raise ApplicationError(_("A service needs a name and a city."))
    if not (-90 <= float(service.latitude) <= 90 and -180 <= float(service.longitude) <= 180):
        raise ApplicationError(_("The location is not a latitude and a longitude."))
    service.status = Status.DRAFT
    service.edited_by = user
    service.reviewed_by = None
    service.updated_at = timezone.now()
    service.save()
    _audit(
        user=user,
        action="create" if created else "update",
        object_type="infohub.service",
        object_id=service.pk,
        summary=f"draft saved: {service.name}",
    )
    return service


@transaction.atomic
def service_submit(*, user: Any, service: Service) -> Service:
    """Send a draft to review."""
    permit_editor(user)
    if service.status != Status.DRAFT:
        raise Conflict(_("Only a draft can be sent to review."))
    service.status = Status.REVIEW
    service.edited_by = user
    service.save(update_fields=["status", "edited_by"])
    _audit(
        user=user,
        action="update",
        object_type="infohub.service",
        object_id=service.pk,
        summary="sent to review",
    )
    return service


@transaction.atomic
def service_review(*, user: Any, service: Service, approve: bool) -> Service:
    """A second editor approves (the change is published) or returns it to draft."""
    permit_editor(user)
    if service.status != Status.REVIEW:
        raise Conflict(_("This service is not waiting for review."))
    if service.edited_by_id == user.pk:
        raise refuse(
            user,
            _("A change is reviewed by a second editor: you made this one."),
            f"infohub:review:{service.pk}",
        )
    service.reviewed_by = user
    if approve:
        service.status = Status.PUBLISHED
        service.published = service.working_copy()
    else:
        service.status = Status.DRAFT
    service.save(update_fields=["status", "published", "reviewed_by"])
    _audit(
        user=user,
        action="update",
        object_type="infohub.service",
        object_id=service.pk,
        summary="approved and published" if approve else "returned to draft",
    )
    return service


# --- alerts -------------------------------------------------------------------------------------------------


@transaction.atomic
def alert_save(
    *,
    user: Any,
    kind: str,
    area: str,
    title: dict[str, str],
    body: dict[str, str],
    expires_at: datetime,
    starts_at: datetime | None = None,
    alert: Alert | None = None,
) -> Alert:
    """Publish an alert (or change one) until it expires. Alerts are urgent: one editor publishes them."""
    permit_editor(user)
    title, body = _texts(title), _texts(body)
    if not title:
        raise ApplicationError(_("An alert needs a title in at least one language."))
    starts_at = starts_at or (alert.starts_at if alert else timezone.now())
    if expires_at <= starts_at:
        raise ApplicationError(_("An alert must expire after it starts."))
    created = alert is None
    alert = alert or Alert(created_by=user)
    alert.kind, alert.area, alert.title, alert.body = kind, area, title, body
    alert.starts_at, alert.expires_at, alert.updated_at = starts_at, expires_at, timezone.now()
    alert.full_clean(exclude=["created_by"])
    alert.save()
    _audit(
        user=user,
        action="create" if created else "update",
        object_type="infohub.alert",
        object_id=alert.pk,
        summary=f"alert {kind} for {area}, until {expires_at:%Y-%m-%d %H:%M}",
    )
    return alert


# --- visa requirements, remittances -------------------------------------------------------------------------


@transaction.atomic
def visa_set(*, user: Any, nationality: str, visa_required: bool, note: dict[str, str] | None = None) -> None:
    permit_editor(user)
    VisaRequirement.objects.update_or_create(
        nationality=nationality.upper(), defaults={"visa_required": visa_required, "note": _texts(note)}
    )
    _audit(
        user=user,
        action="update",
        object_type="infohub.visarequirement",
        object_id=nationality.upper(),
        summary=f"visa required: {visa_required}",
    )


@transaction.atomic
def remittances_import(*, user: Any, data: bytes, source_name: str = "") -> importers.RemittanceImport:
    """Replace the remittance prices with those of an RPW-shaped CSV (all rows at once, or none when the
    header is wrong or no row is usable); rows with bad figures are skipped and reported."""
    permit_editor(user)
    result = importers.read_rpw(data)
    if result.header_problem:
        raise ApplicationError(
            _("The file is not in the shape of Remittance Prices Worldwide: %(problem)s")
            % {"problem": result.header_problem}
        )
    if not result.rows:
        raise ApplicationError(
            _("No usable row in the file; nothing was changed."), detail=result.skipped[:20]
        )
    RemittancePrice.objects.all().delete()
    RemittancePrice.objects.bulk_create([RemittancePrice(**row) for row in result.rows])
    _audit(
        user=user,
        action="bulk",
        object_type="infohub.remittanceprice",
        summary=f"{len(result.rows)} prices imported from {source_name or 'a file'}, "
        f"{len(result.skipped)} rows skipped",
    )
    return result


# --- the bundle ---------------------------------------------------------------------------------------------


def _bundle_content() -> dict[str, Any]:
    return {
        "rules": selectors.rules_snapshot_live(),
        "topics": [
            {"slug": t.slug, "sort_order": t.sort_order, "title": t.title, "body": t.body}
            for t in selectors.topics()
        ],
        "services": selectors.published_services(),
        "alerts": [
            {
                "id": str(a.pk),
                "kind": a.kind,
                "area": a.area,
                "title": a.title,
                "body": a.body,
                "starts_at": a.starts_at.isoformat(),
                "expires_at": a.expires_at.isoformat(),
            }
            for a in Alert.objects.filter(expires_at__gt=timezone.now()).order_by("starts_at")
        ],
        "remittances": [
            {
                "period": r.period,
                "source_country": r.source_country,
                "destination_country": r.destination_country,
                "provider": r.provider,
                "provider_type": r.provider_type,
                "product": r.product,
                "speed": r.speed,
                "amount_usd": str(r.amount_usd),
                "fee": str(r.fee),
                "fx_margin": str(r.fx_margin),
                "total_cost": str(r.total_cost),
            }
            for r in RemittancePrice.objects.order_by("pk")
        ],
    }


@transaction.atomic
def bundle_publish(*, user: Any) -> tuple[Bundle, bytes]:
    """Make and sign a bundle of everything published (central). Returns its record and its bytes."""
    if selectors.hub_mode():
        raise ApplicationError(_("The hub does not publish bundles: central does."))
    permit_editor(user)
    last = Bundle.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    now = timezone.now()
    content = _bundle_content()
    payload = bundle.payload_json(
        {
            "sequence": last + 1,
            "published_at": now.isoformat(),
            "country": settings.CORREDOR_COUNTRY,
            "content": content,
        }
    )
    # Check our own bundle as a hub will: a bundle that the hub would refuse is never written.
    signed = bundle.envelope(payload)
    bundle.open_bundle(signed)
    record = Bundle.objects.create(
        data=signed.decode(),
        sequence=last + 1,
        published_at=now,
        country=settings.CORREDOR_COUNTRY,
        sha256=hashlib.sha256(payload).hexdigest(),
        published_by=getattr(user, "username", "") or "cli",
    )
    _audit(
        user=user,
        action="export",
        object_type="infohub.bundle",
        object_id=record.sequence,
        summary=f"bundle published: {len(content['services'])} services, {len(content['alerts'])} alerts, "
        f"{len(content['remittances'])} prices",
    )
    return record, signed


@transaction.atomic
def bundle_load(*, raw: bytes, allow_older: bool = False) -> Bundle:
    """Check a bundle and replace the hub's content with it, all at once (hub). A forged, damaged, invalid
    or older bundle changes nothing."""
    if not selectors.hub_mode():
        raise ApplicationError(
            _("Bundles are loaded on the hub (CORREDOR_MODE=hub): here they would replace the editors' work.")
        )
    payload, payload_bytes = bundle.open_bundle(raw)
    current = Bundle.objects.order_by("-sequence").first()
    if current is not None and payload.sequence <= current.sequence and not allow_older:
        raise bundle.BundleError(
            _("Bundle %(new)s is not newer than the one loaded (%(old)s): nothing was loaded.")
            % {"new": payload.sequence, "old": current.sequence},
            status=409,
        )
    content = payload.content
    Topic.objects.all().delete()
    Service.objects.all().delete()
    Alert.objects.all().delete()
    RemittancePrice.objects.all().delete()
    VisaRequirement.objects.all().delete()
    Bundle.objects.filter(sequence__gte=payload.sequence).delete()
    Topic.objects.bulk_create(
        [Topic(slug=t.slug, sort_order=t.sort_order, title=t.title, body=t.body) for t in content.topics]
    )
    services = []
    for s in content.services:
        data = s.model_dump()
        services.append(
            Service(
                **{name: data[name] for name in (*SERVICE_FIELDS, "latitude", "longitude")},
                id=data["id"],
                status=Status.PUBLISHED,
                published=data,
            )
        )
    Service.objects.bulk_create(services)
    Alert.objects.bulk_create(
        [
            Alert(
                id=a.id,
                kind=a.kind,
                area=a.area,
                title=a.title,
                body=a.body,
                starts_at=a.starts_at,
                expires_at=a.expires_at,
            )
            for a in content.alerts
        ]
    )
    RemittancePrice.objects.bulk_create(
        [
            RemittancePrice(
                **{
                    **r.model_dump(),
                    "amount_usd": Decimal(r.amount_usd),
                    "fee": Decimal(r.fee),
                    "fx_margin": Decimal(r.fx_margin),
                    "total_cost": Decimal(r.total_cost),
                }
            )
            for r in content.remittances
        ]
    )
    rules = content.rules.model_dump(mode="json")
    VisaRequirement.objects.bulk_create(
        [
            VisaRequirement(nationality=code, visa_required=v["visa_required"], note=v["note"])
            for code, v in rules["visa"].items()
        ]
    )
    record = Bundle.objects.create(
        sequence=payload.sequence,
        published_at=payload.published_at,
        country=payload.country,
        sha256=hashlib.sha256(payload_bytes).hexdigest(),
        rules=rules,
        data=raw.decode(),
    )
    _audit(
        user=None,
        action="bulk",
        object_type="infohub.bundle",
        object_id=payload.sequence,
        summary=f"bundle loaded: {len(services)} services, {len(content.alerts)} alerts",
    )
    return record
