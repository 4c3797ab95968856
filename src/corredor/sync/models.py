"""Sync: central's devices, enrolment codes, receipts, conflicts and feed; a post's credential, outbox and
feed position."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.models import BorderPost

# --- central ------------------------------------------------------------------------------------------------


class Device(models.Model):
    """A border post's installation enrolled with central: its id, its post and its signing key.

    The key signs every request (HMAC-SHA256); a revoked device is answered 401 and what it queued stays
    queued at the post. The contact fields are what the sync page shows."""

    id = models.CharField(_("device"), max_length=64, primary_key=True)
    post = models.ForeignKey(BorderPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    key = models.CharField(max_length=64, editable=False)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_push_at = models.DateTimeField(_("last push"), null=True, blank=True)
    pending = models.PositiveIntegerField(_("records waiting at the post"), default=0)
    oldest_pending_at = models.DateTimeField(_("oldest record waiting"), null=True, blank=True)
    feed_sequence = models.BigIntegerField(_("feed position"), default=0)
    # The post's clock minus central's at the last contact (seconds): shown, never refused on.
    clock_skew_seconds = models.IntegerField(_("clock difference (s)"), default=0)
    received = models.PositiveIntegerField(_("records received"), default=0)

    class Meta:
        ordering = ["post_id", "id"]
        verbose_name = _("sync device")
        verbose_name_plural = _("sync devices")

    def __str__(self) -> str:
        return f"{self.id} ({self.post_id})"


class EnrolmentCode(models.Model):
    """A one-time code that lets one installation enrol as a device of a post (printed by
    `corredor device code`); only its SHA-256 is kept."""

    code_hash = models.CharField(max_length=64, unique=True)
    post = models.ForeignKey(BorderPost, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"{self.post_id} {self.created_at:%Y-%m-%d %H:%M}"


class Receipt(models.Model):
    """Central stored this record from this device: when the post made it and when central received it."""

    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="receipts")
    made_at = models.DateTimeField(_("made at the post"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("sync receipt")
        verbose_name_plural = _("sync receipts")
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_pk"], name="sync_receipt_unique_record")
        ]
        indexes = [models.Index(fields=["device", "received_at"], name="sync_receipt_device")]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_pk}"


class Conflict(models.Model):
    """A record central could not store as the post sent it: kept here, as sent, for a person to look at
    (never resolved by the last write winning)."""

    class Reason(models.TextChoices):
        DIFFERENT = "different", _("Same id, different content")
        DUPLICATE = "duplicate", _("Already recorded under another id")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="conflicts")
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    existing_pk = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_pk} ({self.reason})"


class Alias(models.Model):
    """A post's record that central already held under another id (the same passport recorded offline at
    a post and at central): records pointing at the post's id are stored pointing at central's."""

    model_label = models.CharField(max_length=100)
    post_pk = models.CharField(max_length=64)
    central_pk = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sync alias")
        constraints = [models.UniqueConstraint(fields=["model_label", "post_pk"], name="sync_alias_unique")]

    def __str__(self) -> str:
        return f"{self.model_label} {self.post_pk} -> {self.central_pk}"


class FeedEntry(models.Model):
    """One change central publishes to the posts, in order: a row's new content, or its removal (no payload).
    `post` set: for that post only."""

    sequence = models.BigAutoField(primary_key=True)
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    payload = models.JSONField(null=True, blank=True)
    post = models.ForeignKey(BorderPost, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entries")

    def __str__(self) -> str:
        return f"{self.sequence} {self.model_label} {self.object_pk}"


class FeedDigest(models.Model):
    """What central last published of a row (a hash of its content), so a publication sends only what
    changed."""

    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    digest = models.CharField(max_length=40)
    post_code = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_pk"], name="sync_feeddigest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_pk}"


class PostAuditEntry(models.Model):
    """A line of a post's own audit log, as the post wrote it (its chain, its hashes), kept at central so
    that what was done at a post can be read there. Central's own chain is not touched."""

    post = models.ForeignKey(BorderPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+", verbose_name=_("device"))
    sequence = models.BigIntegerField(_("sequence"))
    at = models.DateTimeField(_("when"))
    username = models.CharField(_("who"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    origin = models.CharField(_("from where"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=20)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    summary = models.TextField(_("what"), blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["post_id", "device_id", "sequence"]
        verbose_name = _("post audit entry")
        verbose_name_plural = _("post audit entries")
        constraints = [
            models.UniqueConstraint(fields=["post", "entry_hash"], name="sync_postaudit_unique_entry")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.sequence} {self.action}"


# --- a border post ------------------------------------------------------------------------------------------


class PostState(models.Model):
    """One row at a post: its credential from central and where its sync stands."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    central_url = models.CharField(_("central"), max_length=300)
    device_id = models.CharField(_("device"), max_length=64)
    post_code = models.CharField(_("post"), max_length=10)
    key = models.CharField(max_length=64, editable=False)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    feed_sequence = models.BigIntegerField(_("feed position"), default=0)
    # When central published the newest change this post applied: "watchlists as of".
    feed_as_of = models.DateTimeField(_("watchlists as of"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        verbose_name = _("post sync state")

    def __str__(self) -> str:
        return f"{self.device_id} ({self.post_code})"


class OutboxEntry(models.Model):
    """A record this post wrote and central has not acknowledged yet. Rows are added by database triggers on
    every outbound model, in the record's own transaction (see `outbox`)."""

    id = models.BigAutoField(primary_key=True)
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["acked_at", "id"], name="sync_outbox_pending")]

    def __str__(self) -> str:
        return f"{self.id} {self.model_label} {self.object_pk}"


def silent_after_hours() -> int:
    return int(getattr(settings, "CORREDOR_SYNC_SILENT_HOURS", 12))


class FeedState(models.Model):
    """One row at central: when the feed was last published."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("feed state")

    def __str__(self) -> str:
        return f"feed published {self.published_at}"
