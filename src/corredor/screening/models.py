"""Watchlists, their person and document alerts, the hits screening finds, and watchlist imports.

Alerts are never deleted: a removed alert keeps its row (``removed_at``) so that the hits it caused keep
pointing at what matched. Every change to an alert bumps its ``version`` and stamps it with the global
change sequence (:class:`ScreeningState`), which is how each process's in-memory index learns what changed
(see ``index_cache``).
"""

import re
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.matching.records import PartialDate

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from corredor.screening.selectors import HitFlight

PARTIAL_DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate_partial_date(value: str) -> None:
    """A birth date known to the year, month or day: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if not value:
        return
    try:
        PartialDate.parse(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class Source(models.TextChoices):
    NATIONAL = "national", _("National")
    INTERPOL = "interpol", _("INTERPOL notice")
    PARTNER = "partner", _("Partner country")


class Category(models.TextChoices):
    WANTED = "wanted", _("Wanted")
    REFUSED_ENTRY = "refused_entry", _("Refused entry")
    NOTIFY_ON_ARRIVAL = "notify_on_arrival", _("Notify on arrival")
    MISSING_CHILD = "missing_child", _("Missing child")
    MISSING_PERSON = "missing_person", _("Missing person")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Possible trafficking victim")


#: Alerts that protect the person listed: they read differently at the desk and never refuse a crossing.
PROTECTIVE_CATEGORIES = frozenset(
    {Category.MISSING_CHILD, Category.MISSING_PERSON, Category.TRAFFICKING_VICTIM}
)
#: Enforcement categories under which an unadjudicated hit stops an admitted crossing (entries only for
#: refused_entry: a person barred from entering may leave).
BLOCKING_CATEGORIES = frozenset({Category.WANTED, Category.REFUSED_ENTRY})

DEFAULT_ACTIONS: dict[str, "StrPromise"] = {
    Category.WANTED: _(
        "Do not admit and do not alert the traveller. Keep the traveller at the desk and call the supervisor "
        "and the police liaison."
    ),
    Category.REFUSED_ENTRY: _("Do not admit: refer the traveller to the supervisor to confirm the refusal."),
    Category.NOTIFY_ON_ARRIVAL: _(
        "Decide as usual; the arrival is reported to the authority that asked for it."
    ),
    Category.MISSING_CHILD: _(
        "Possible missing child: do not alert the companion; keep the child in sight and refer to the "
        "protection officer."
    ),
    Category.MISSING_PERSON: _(
        "Possible missing person: act discreetly and refer to the protection officer, who contacts whoever "
        "reported it."
    ),
    Category.TRAFFICKING_VICTIM: _(
        "Possible trafficking victim: do not alert the companions; speak to the person alone and refer to "
        "the protection officer."
    ),
}


class DocumentReason(models.TextChoices):
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")
    REVOKED = "revoked", _("Revoked")
    INVALID = "invalid", _("Invalid")


class DocumentType(models.TextChoices):
    PASSPORT = "P", _("Passport")
    IDENTITY_CARD = "I", _("Identity card")
    VISA = "V", _("Visa")
    OTHER = "O", _("Other")


class Watchlist(models.Model):
    """A list of alerts kept by one authority: the national list, an INTERPOL notice feed, a partner's list.

    Only watchlist managers and administrators see lists; an inactive list screens nobody.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("The authority that keeps the list."))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.NATIONAL)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AlertBase(models.Model):
    """What person and document alerts share: their list, the list's own id, version and change stamp."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, verbose_name=_("watchlist"))
    external_id = models.CharField(_("entry id"), max_length=100, help_text=_("The list's own id."))
    version = models.PositiveIntegerField(_("version"), default=1)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    change_seq = models.BigIntegerField(default=0, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # An import writes its rows here first, invisible (``staged_for`` its job: see ``live_alerts``), in short
    # batches that never hold the write lock for long; one short transaction then makes them live (see
    # services.watchlist_import): a big file's new alerts by marking the job activated (one row), then
    # ``staged_for`` is cleared in short batches. ``replaces`` is the live alert a staged row changes (such
    # rows also carry ``removed_at`` and are deleted when applied); a staged row without it is a new alert.
    staged_for = models.ForeignKey(
        "ImportJob", on_delete=models.CASCADE, null=True, blank=True, editable=False, related_name="+"
    )
    replaces = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


class PersonAlert(AlertBase):
    """A person on a list: names and aliases, what is known of them, the category and the officer's action.

    ``birth_date`` is text because lists often know only the year or the month (``1985``, ``1985-03``).
    ``protective`` alerts (missing children, trafficking victims) protect the person listed.
    """

    surname = models.CharField(_("surname"), max_length=200, blank=True)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    birth_date = models.CharField(
        _("birth date"), max_length=10, blank=True, validators=[validate_partial_date]
    )
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    action = models.TextField(_("action for the officer"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note for officers"), blank=True)
    # What the list wrote that could not be used (an unknown nationality, an impossible birth date), kept
    # as written for the record: {"nationality": "Narnia"}. Screening treats those as unknown.
    as_written = models.JSONField(_("kept as written"), default=dict, blank=True)

    class Meta:
        ordering = ["surname", "given_names", "full_name"]
        verbose_name = _("person alert")
        verbose_name_plural = _("person alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "external_id"],
                condition=models.Q(staged_for__isnull=True),
                name="personalert_unique_per_list",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="personalert_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.surname or self.given_names:
            return f"{self.surname}, {self.given_names}".strip(", ")
        return self.full_name

    @property
    def protective(self) -> bool:
        return self.category in PROTECTIVE_CATEGORIES

    @property
    def officer_action(self) -> str:
        """The list's action, or the category's standard one."""
        return self.action or str(DEFAULT_ACTIONS.get(self.category, ""))

    def in_force(self, on: date) -> bool:
        """Listed, on an active list, and within its validity on `on`."""
        return (
            self.removed_at is None
            and self.watchlist.active
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_until is None or self.valid_until >= on)
        )


def live_alerts() -> models.Q:
    """The alert rows every reader sees: not staged, or staged by an import that was made live."""
    return models.Q(staged_for__isnull=True) | models.Q(staged_for__activated=True, replaces__isnull=True)


class DocumentAlert(AlertBase):
    """A travel document reported lost, stolen, revoked or invalid; ``number`` is stored normalised."""

    issuing_state = models.CharField(_("issuing state"), max_length=3)
    document_type = models.CharField(
        _("document type"), max_length=1, choices=DocumentType.choices, blank=True
    )
    number = models.CharField(_("document number"), max_length=30)
    reason = models.CharField(_("reason"), max_length=10, choices=DocumentReason.choices)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    note = models.TextField(_("note for officers"), blank=True)

    class Meta:
        ordering = ["issuing_state", "number"]
        verbose_name = _("document alert")
        verbose_name_plural = _("document alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "external_id"],
                condition=models.Q(staged_for__isnull=True),
                name="documentalert_unique_per_list",
            )
        ]
        indexes = [models.Index(fields=["number"], name="documentalert_number")]

    def __str__(self) -> str:
        return f"{self.issuing_state} {self.number} ({self.get_reason_display()})"

    def in_force(self, on: date | None = None) -> bool:
        return self.removed_at is None and self.watchlist.active


class ScreeningState(models.Model):
    """One row: the change sequence of all alerts. Bumped by every change, read once per screening."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("screening state")

    def __str__(self) -> str:
        return f"screening state {self.sequence}"


class ScreeningChange(models.Model):
    """One bump of the change sequence, with its token: a process whose index is at sequence N checks that
    change N is still the one it saw before applying later changes (a restored database, or a test's
    rolled-back transaction, rewrites that history: the index is then rebuilt)."""

    sequence = models.BigIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening change")

    def __str__(self) -> str:
        return f"change {self.sequence}"


class HitKind(models.TextChoices):
    PERSON = "person", _("Person")
    DOCUMENT = "document", _("Document")


class HitSource(models.TextChoices):
    DESK = "desk", _("Desk")
    MANIFEST = "manifest", _("Passenger list")


class HitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TRUE_MATCH = "true_match", _("True match")
    FALSE_MATCH = "false_match", _("False match")


class VerdictScope(models.TextChoices):
    POST = "post", _("This post")
    NATIONAL = "national", _("Every post (national)")


class Hit(models.Model):
    """A traveller who matched an alert, as screened at a desk or on a passenger list, and its adjudication.

    The alert's ``alert_version`` and the ``subject_fingerprint`` (a hash of the identity screened) are kept
    so that a traveller cleared against an alert is not stopped again by the same alert, unless the alert or
    the traveller's data changes. ``subject`` holds the identity as screened, for the supervisor.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=HitKind.choices)
    #: Not a column: the passenger list's flight of a hit, set by the pages that show it (`hit_flights`).
    flight: "HitFlight | None"
    person_alert = models.ForeignKey(
        PersonAlert, on_delete=models.PROTECT, null=True, blank=True, related_name="hits"
    )
    document_alert = models.ForeignKey(
        DocumentAlert, on_delete=models.PROTECT, null=True, blank=True, related_name="hits"
    )
    alert_version = models.PositiveIntegerField(_("alert version"))
    subject_fingerprint = models.CharField(_("identity fingerprint"), max_length=64, db_index=True)
    subject = models.JSONField(_("identity screened"), default=dict)
    source = models.CharField(_("source"), max_length=10, choices=HitSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    crossing = models.ForeignKey(
        "border.Crossing", on_delete=models.PROTECT, null=True, blank=True, related_name="screening_hits"
    )
    traveller = models.ForeignKey(
        "border.Traveller", on_delete=models.PROTECT, null=True, blank=True, related_name="screening_hits"
    )
    post = models.ForeignKey(
        "core.BorderPost", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("post")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("score"))
    match_kind = models.CharField(_("match"), max_length=10, blank=True, help_text=_("exact, ocr or typo"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=HitStatus.choices, default=HitStatus.OPEN)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjudicated_at = models.DateTimeField(_("adjudicated"), null=True, blank=True)
    adjudication_reason = models.TextField(_("adjudication reason"), blank=True)
    # Where a verdict holds: at the hit's post (a supervisor's), or at every post (an administrator's).
    verdict_scope = models.CharField(
        _("verdict holds at"), max_length=10, choices=VerdictScope.choices, blank=True
    )
    device_id = models.CharField(_("device"), max_length=64, default="central")
    created_at = models.DateTimeField(_("found"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", person_alert__isnull=False, document_alert__isnull=True)
                    | models.Q(kind="document", document_alert__isnull=False, person_alert__isnull=True)
                ),
                name="hit_one_alert_of_its_kind",
            )
        ]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="hit_post_status")]

    def __str__(self) -> str:
        return f"{self._what()} ({round(self.score * 100)}%, {self.get_status_display()})"

    @property
    def description(self) -> str:
        """What was hit, in the active language, without the status: "Wanted: PEREZ, JUAN (92%)"."""
        return f"{self._what()} ({round(self.score * 100)}%)"

    def _what(self) -> str:
        alert = self.alert
        if alert is None:
            return f"{self.get_kind_display()}: {self.source_ref or self.pk}"
        if self.kind == HitKind.PERSON:
            return f"{alert.get_category_display()}: {alert.display_name}"
        return f"{alert.get_reason_display()}: {alert.issuing_state} {alert.number}"

    @property
    def alert(self) -> Any:
        return self.person_alert if self.kind == HitKind.PERSON else self.document_alert

    @property
    def protective(self) -> bool:
        return self.kind == HitKind.PERSON and self.person_alert is not None and self.person_alert.protective


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: nothing imported")
    FAILED = "failed", _("Failed: nothing imported")
    EXPIRED = "expired", _("Expired: the column mapping was never confirmed")


class ImportJob(models.Model):
    """One import of a watchlist file (a web upload run by ``corredor work``, or one the command line or API
    runs itself): its column mapping, progress, heartbeat and validation report.

    The file is kept (``data``) only until the import has run; the report stays. A worker claims a queued
    job with a conditional UPDATE and writes ``heartbeat_at`` as it goes: a running job whose heartbeat is
    old was killed and is marked failed (nothing of it is live; its staged rows are discarded).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    kind = models.CharField(_("alerts"), max_length=10, default="persons")
    mode = models.CharField(_("mode"), max_length=12, default="incremental")
    columns = models.JSONField(_("columns in the file"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    data = models.BinaryField(default=b"")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default="pending")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("report"), default=dict)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    removals = models.JSONField(default=list, blank=True, editable=False)
    # Made live: its staged new alerts are visible from this moment (``live_alerts``); ``activated_seq`` is
    # the change sequence of a big activation, which tells every screening index to rebuild.
    activated = models.BooleanField(default=False, editable=False)
    activated_seq = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("watchlist import")
        verbose_name_plural = _("watchlist imports")

    def __str__(self) -> str:
        return f"{self.watchlist.code} {self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (
            ImportStatus.DONE,
            ImportStatus.REJECTED,
            ImportStatus.FAILED,
            ImportStatus.EXPIRED,
        )

    @property
    def waiting_long(self) -> bool:
        """Queued for over a minute: no worker seems to be running."""
        since = self.queued_at or self.created_at
        return self.status == ImportStatus.QUEUED and (timezone.now() - since).total_seconds() > 60

    @property
    def saving(self) -> bool:
        """Past checking the rows (the first half of the work), into writing them."""
        return self.total > 0 and self.done * 2 > self.total

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
