"""Information hub: what the public site shows, and the bundles that carry it from central to the hub.

Texts that readers see in their language are kept as one JSON object per field, `{"es": ..., "en": ...}`
(see `corredor.infohub.languages`): editors translate side by side, a bundle carries every language at
once, and a missing translation falls back visibly. Nothing here is about a person: the hub stores nothing
about its visitors.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Waiting for review")
    PUBLISHED = "published", _("Published")


class ServiceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    CONSULATE = "consulate", _("Consulate")
    HEALTH = "health", _("Health")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MIGRATION_OFFICE = "migration_office", _("Migration office")
    INFORMATION = "information", _("Information point")


class AlertKind(models.TextChoices):
    WEATHER = "weather", _("Weather or disaster")
    CLOSURE = "closure", _("Border closure")
    SCAM = "scam", _("Scam warning")
    OTHER = "other", _("Other")


class Topic(models.Model):
    """An editor's text on one subject of the entry guide (documents, extending a stay, asylum, rights and
    complaints, trafficking hotlines, assisted voluntary return...). The numbers of the guide are never
    typed here: they come from the stay rules."""

    slug = models.SlugField(_("code"), max_length=40, primary_key=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.JSONField(_("title"), default=dict)
    body = models.JSONField(_("text"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("guide topic")
        verbose_name_plural = _("guide topics")

    def __str__(self) -> str:
        return self.slug


class VisaRequirement(models.Model):
    """Whether nationals of a country need a visa to enter the deploying country (one row per nationality;
    a nationality without a row is told to ask a consulate)."""

    nationality = models.CharField(_("nationality"), max_length=3, primary_key=True)
    visa_required = models.BooleanField(_("visa required"))
    note = models.JSONField(_("note"), default=dict, blank=True)

    class Meta:
        ordering = ["nationality"]
        verbose_name = _("visa requirement")
        verbose_name_plural = _("visa requirements")

    def __str__(self) -> str:
        return self.nationality


class Service(models.Model):
    """A place that helps migrants: shelter, consulate, health, legal aid, migration office, information.

    Editors change the working fields; a second editor's approval copies them into `published` (what the
    public site and the bundle show), so every change is reviewed before anyone sees it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.JSONField(_("description"), default=dict, blank=True)
    city = models.CharField(_("city or town"), max_length=100)
    near_post = models.CharField(_("near border post"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published = models.JSONField(_("published version"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="infohub_service_coordinates",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def working_copy(self) -> dict[str, Any]:
        """The working fields as the bundle and the public site carry them."""
        return {
            "id": str(self.id),
            "kind": self.kind,
            "name": self.name,
            "description": dict(self.description),
            "city": self.city,
            "near_post": self.near_post,
            "address": self.address,
            "phone": self.phone,
            "hours": self.hours,
            "languages": list(self.languages),
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


class Alert(models.Model):
    """A warning for migrants (weather, border closure, scam) for an area, in the languages it is written
    in, shown until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    area = models.CharField(_("area"), max_length=200)
    title = models.JSONField(_("title"), default=dict)
    body = models.JSONField(_("text"), default=dict)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    expires_at = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")), name="infohub_alert_expires_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.area}"


class RemittancePrice(models.Model):
    """The cost of sending an amount home by one provider in one corridor, as the World Bank's Remittance
    Prices Worldwide survey records it (fee and exchange-rate margin; total cost as a share of the amount)."""

    period = models.CharField(_("period"), max_length=10)
    source_country = models.CharField(_("sending country"), max_length=3)
    destination_country = models.CharField(_("receiving country"), max_length=3)
    provider = models.CharField(_("provider"), max_length=200)
    provider_type = models.CharField(_("type of provider"), max_length=60, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    speed = models.CharField(_("speed"), max_length=60, blank=True)
    amount_usd = models.DecimalField(_("amount sent (USD)"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("fee (sending currency)"), max_digits=12, decimal_places=2)
    fx_margin = models.DecimalField(_("exchange-rate margin (%)"), max_digits=7, decimal_places=3)
    total_cost = models.DecimalField(_("total cost (%)"), max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["source_country", "destination_country", "amount_usd", "total_cost"]
        verbose_name = _("remittance price")
        verbose_name_plural = _("remittance prices")

    def __str__(self) -> str:
        return f"{self.source_country}-{self.destination_country} {self.provider} {self.amount_usd}"


class Bundle(models.Model):
    """A content bundle: on central, one row per `corredor hub publish` (its number, checksum and who
    published it); on the hub, one row per bundle loaded, holding the stay rules it carried (the entry
    guide computes from the newest)."""

    sequence = models.PositiveIntegerField(_("number"), unique=True)
    published_at = models.DateTimeField(_("published"))
    country = models.CharField(_("country"), max_length=3)
    sha256 = models.CharField(max_length=64)
    rules = models.JSONField(_("stay rules"), default=dict)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)
    published_by = models.CharField(_("by"), max_length=150, blank=True)
    # The signed bundle as published (central) or as received (hub), served at /hub/bundle.json.
    data = models.TextField(blank=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("content bundle")
        verbose_name_plural = _("content bundles")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.published_at:%Y-%m-%d %H:%M}"
