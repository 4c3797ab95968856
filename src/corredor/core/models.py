"""Reference data (countries, border posts, stay categories and rules), users with roles, the audit log."""

import hashlib
import hmac
import json
import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from corredor.l10n.countries import country_label


class TranslatedNameMixin(models.Model):
    """Names kept in Spanish, English and French; `name` picks the active language."""

    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "es")[:2]
        # Haitian Creole readers are served the French name, the closest written form they all read.
        if lang == "ht":
            # Kept names are translated through the catalogs (reference.py marks them).
            kreyol = gettext(self.name_en)
            if kreyol != self.name_en:
                return kreyol
        if lang in ("fr", "ht") and self.name_fr:
            return self.name_fr
        if lang == "en":
            return self.name_en
        return self.name_es or self.name_en

    def __str__(self) -> str:
        return self.name


class Country(TranslatedNameMixin):
    """A state or ICAO code as printed in travel documents: ISO 3166 alpha-3 plus ICAO's own codes.

    `code` is the code as printed in the MRZ without fillers (`D` for Germany); `alpha3` is the ISO code
    it stands for where there is one.
    """

    code = models.CharField(_("ICAO code"), max_length=3, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, blank=True)
    alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, blank=True)

    @property
    def name(self) -> str:
        # CLDR's name in the active language, not the three stored columns.
        return country_label(self.code, short=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommonArea(TranslatedNameMixin):
    """States whose days of stay add up, like the CA-4 area (Guatemala, El Salvador, Honduras, Nicaragua)."""

    code = models.SlugField(_("code"), max_length=20, primary_key=True)
    members = models.ManyToManyField(Country, related_name="common_areas", verbose_name=_("members"))

    class Meta:
        verbose_name = _("common area")
        verbose_name_plural = _("common areas")


class BorderPost(TranslatedNameMixin):
    """A place where travellers cross: an international airport, a land crossing or a seaport."""

    class Kind(models.TextChoices):
        AIRPORT = "airport", _("Airport")
        LAND = "land", _("Land crossing")
        SEAPORT = "seaport", _("Seaport")

    code = models.CharField(_("code"), max_length=10, primary_key=True, help_text=_("IATA code for airports"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    timezone = models.CharField(_("time zone"), max_length=64, default="America/Costa_Rica")
    neighbour = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbouring country"),
        help_text=_("For land crossings: the country on the other side."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("border post")
        verbose_name_plural = _("border posts")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StayCategory(TranslatedNameMixin):
    """A kind of stay granted on entry (tourist, business, transit, worker, resident, asylum...)."""

    code = models.SlugField(_("code"), max_length=30, primary_key=True)
    default_days = models.PositiveIntegerField(_("default days"), default=90)
    open_ended = models.BooleanField(
        _("open-ended"), default=False, help_text=_("Residents and refugees: no end date, never an overstay.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("stay category")
        verbose_name_plural = _("stay categories")


class StayRule(models.Model):
    """How long a stay may last, as data: days per entry, a rolling window (N days in any M), a common area.

    The most specific rule applies: one for the traveller's nationality beats one for a common area the
    nationality belongs to, which beats one for any nationality; a rule for the stay category beats one for
    any category.
    """

    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        StayCategory, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("stay category")
    )
    nationality = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    nationality_area = models.ForeignKey(
        CommonArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationalities of area"),
        help_text=_("The rule applies to nationals of every member of this area."),
    )
    days_per_entry = models.PositiveIntegerField(_("days per entry"))
    window_days = models.PositiveIntegerField(_("days allowed in window (N)"), null=True, blank=True)
    window_length = models.PositiveIntegerField(_("window length in days (M)"), null=True, blank=True)
    common_area = models.ForeignKey(
        CommonArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("days add up across"),
        help_text=_("Days spent in any member country of this area count together."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stay rule")
        verbose_name_plural = _("stay rules")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(window_days__isnull=True) & models.Q(window_length__isnull=True))
                | (models.Q(window_days__isnull=False) & models.Q(window_length__isnull=False)),
                name="stayrule_window_both_or_none",
            ),
            models.CheckConstraint(condition=models.Q(days_per_entry__gt=0), name="stayrule_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (self.window_days is None) != (self.window_length is None):
            raise ValidationError(_("A rolling window needs both N (days allowed) and M (window length)."))
        if (
            self.window_days is not None
            and self.window_length is not None
            and self.window_days > self.window_length
        ):
            raise ValidationError(_("N cannot be more than M."))


class Role(models.TextChoices):
    OFFICER = "officer", _("Border officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    WATCHLIST_MANAGER = "watchlist_manager", _("Watchlist manager")
    ANALYST = "analyst", _("Analyst")
    PROTECTION_OFFICER = "protection_officer", _("Protection officer")
    INFORMATION_EDITOR = "information_editor", _("Information editor")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")
    CARRIER = "carrier", _("Carrier (airline) account")
    # Protection and assistance (the protection app): caseworkers see the cases assigned to them or their
    # agency; case managers also assign, transfer and revoke; provider users act for a service provider.
    CASEWORKER = "caseworker", _("Caseworker")
    CASE_MANAGER = "case_manager", _("Case manager")
    PROVIDER_USER = "provider_user", _("Service provider user")
    # Emergencies (the displacement app).
    EMERGENCY_COORDINATOR = "emergency_coordinator", _("Emergency coordinator")
    ENUMERATOR = "enumerator", _("Enumerator")
    SITE_MANAGER = "site_manager", _("Site manager")


class User(AbstractUser):
    """A person who uses Corredor, with one role; officers and supervisors are bound to a border post."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.OFFICER)
    border_post = models.ForeignKey(
        BorderPost, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("border post")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["officer", "supervisor"]) | models.Q(border_post__isnull=False),
                name="user_post_required_for_post_roles",
            )
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.role in (Role.OFFICER, Role.SUPERVISOR) and self.border_post_id is None:
            raise ValidationError({"border_post": _("Officers and supervisors work at a border post.")})


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which record, when, and from where.

    Each entry's `entry_hash` is an HMAC-SHA256, keyed with CORREDOR_AUDIT_KEY (kept outside the database),
    of its own content, its place in the sequence and the previous entry's hash, so removing, re-numbering
    or altering a line breaks the chain and cannot be re-hashed without the key (`corredor audit verify`).
    The database refuses UPDATE and DELETE on the table (triggers).
    """

    class Action(models.TextChoices):
        READ = "read", _("read")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        DENIED = "denied", _("refused")
        EXPORT = "export", _("export")
        BULK = "bulk", _("bulk load")
        PURGE = "purge", _("purge (retention)")

    id = models.BigAutoField(primary_key=True)
    # Unlike the id (PostgreSQL's sequences skip values on rollback), this counts 1, 2, 3... with no gap.
    sequence = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    username = models.CharField(_("who"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    origin = models.CharField(_("from where"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    summary = models.TextField(_("what"), blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_type} {self.object_id}"
        )

    @property
    def role_label(self) -> str:
        """The role in the reader's language; a role no longer defined (or none, for the system) as stored."""
        try:
            return str(Role(self.role).label) if self.role else ""
        except ValueError:
            return self.role

    def content(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "username": self.username,
            "role": self.role,
            "origin": self.origin,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
        }

    def compute_hash(self, key: bytes | None = None) -> str:
        from django.conf import settings

        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        secret = key if key is not None else settings.CORREDOR_AUDIT_KEY.encode()
        return hmac.new(secret, (self.prev_hash + payload).encode(), hashlib.sha256).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit entries are append-only.")


class Tombstone(models.Model):
    """What remains of a purged record: its model and id, and when it was purged.

    Retention (`corredor purge`) deletes the record and leaves this, so that a copy still held by an offline
    post, a sync or a re-import cannot bring it back (`tombstone_exists`)."""

    model_label = models.CharField(_("record type"), max_length=100)
    object_id = models.UUIDField(_("record"))
    purged_at = models.DateTimeField(_("purged at"), default=timezone.now)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_id"], name="tombstone_unique_record")
        ]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_id} ({self.purged_at:%Y-%m-%d})"


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()
