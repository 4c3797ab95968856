"""Travellers, their travel documents, crossings (immutable events) and the stays granted on entry."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.models import BorderPost, Country, StayCategory, TranslatedNameMixin
from corredor.core.signals import Audited


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNSPECIFIED = "X", _("Unspecified")


class PostRecord(models.Model):
    """A row a border post can create: a UUID made at the post and the post's device id, so records from
    offline posts merge without collisions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    device_id = models.CharField(_("device"), max_length=64, default="central")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True


class Traveller(Audited, PostRecord):
    """A resolved person. Several documents (a renewed passport, a national ID card) belong to one traveller
    when they are linked."""

    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    nationality = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("nationality"))

    class Meta:
        verbose_name = _("traveller")
        verbose_name_plural = _("travellers")
        indexes = [models.Index(fields=["surname", "given_names"]), models.Index(fields=["birth_date"])]

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")

    def audit_summary(self) -> str:
        return f"traveller {self.pk}"


class TravelDocument(Audited, PostRecord):
    """A travel document as printed: passport, identity card, visa, or a document without an MRZ."""

    traveller = models.ForeignKey(
        Traveller, on_delete=models.PROTECT, related_name="documents", verbose_name=_("traveller")
    )
    document_code = models.CharField(_("document code"), max_length=2)
    issuing_state = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing state")
    )
    number = models.CharField(_("document number"), max_length=30)
    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    nationality = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    mrz = models.TextField(_("MRZ"), blank=True)

    class Meta:
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        constraints = [
            models.UniqueConstraint(fields=["issuing_state", "number"], name="document_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_code} {self.issuing_state_id} {self.number}"

    def audit_summary(self) -> str:
        return f"document {self.issuing_state_id} {self.number}"


class Direction(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Decision(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")
    REFERRED = "referred", _("Referred")


class Transport(models.TextChoices):
    AIR = "air", _("Air")
    LAND = "land", _("Land")
    SEA = "sea", _("Sea")


class ExitPermit(models.TextChoices):
    SEEN = "seen", _("Exit permit seen")
    NOT_SEEN = "not_seen", _("Exit permit not seen")


class RefusalGround(TranslatedNameMixin):
    """A legal ground for refusing entry, as the country's refusal form lists it (modelled on the Schengen
    Borders Code's form, grounds A to J). `country` empty: the list every country uses that has none of its
    own."""

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    code = models.CharField(_("code"), max_length=4)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("refusal ground")
        verbose_name_plural = _("refusal grounds")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="refusal_ground_unique_code"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(country__isnull=True), name="refusal_ground_default_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BorderPolicy(models.Model):
    """A country's border policy where countries differ: an admission on an expired document (confirmed
    with a reason, or refused), and whether a national minor leaving needs an exit permit. A country without
    a row gets the defaults."""

    class ExpiredDocument(models.TextChoices):
        CONFIRM = "confirm", _("Admit only with a confirmation and a reason")
        REFUSE = "refuse", _("Refuse admission")

    country = models.OneToOneField(
        Country, on_delete=models.PROTECT, primary_key=True, related_name="+", verbose_name=_("country")
    )
    expired_document = models.CharField(
        _("admission on an expired document"),
        max_length=10,
        choices=ExpiredDocument.choices,
        default=ExpiredDocument.CONFIRM,
    )
    minor_exit_permit = models.BooleanField(_("national minors need an exit permit to leave"), default=False)
    age_of_majority = models.PositiveSmallIntegerField(_("age of majority"), default=18)

    class Meta:
        verbose_name = _("border policy")
        verbose_name_plural = _("border policies")

    def __str__(self) -> str:
        return str(self.country_id)


class Crossing(Audited, PostRecord):
    """An immutable event: a traveller entered or left (or was refused or referred) at a post.

    Never updated or deleted (except by retention): a correction is a new crossing that points at the one it
    corrects, and the corrected one stops counting.
    """

    traveller = models.ForeignKey(
        Traveller, on_delete=models.PROTECT, related_name="crossings", verbose_name=_("traveller")
    )
    document = models.ForeignKey(
        TravelDocument, on_delete=models.PROTECT, related_name="crossings", verbose_name=_("document")
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    post = models.ForeignKey(
        BorderPost, on_delete=models.PROTECT, related_name="crossings", verbose_name=_("post")
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    transport = models.CharField(_("transport"), max_length=5, choices=Transport.choices, blank=True)
    transport_reference = models.CharField(_("flight, vehicle or vessel"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    screening_outcome = models.CharField(_("screening"), max_length=20, default="not_screened")
    note = models.TextField(_("note"), blank=True)
    # A refused entry's legal ground: a RefusalGround code (e.g. "E"), kept as written on the day.
    refusal_ground = models.CharField(_("refusal ground"), max_length=4, blank=True)
    # What the officer confirmed when a guardrail asked: why an expired document was accepted, why the
    # crossing is recorded late, whether a national minor's exit permit was seen.
    expired_document_reason = models.TextField(_("admitted on an expired document because"), blank=True)
    late_reason = models.TextField(_("recorded late because"), blank=True)
    exit_permit = models.CharField(
        _("minor's exit permit"), max_length=10, choices=ExitPermit.choices, blank=True
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("crossing")
        verbose_name_plural = _("crossings")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["traveller", "occurred_at"]),
            models.Index(fields=["post", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.post_id} {self.occurred_at:%Y-%m-%d %H:%M}"

    def audit_summary(self) -> str:
        corr = f" correcting {self.corrects_id}" if self.corrects_id else ""
        return f"{self.direction} {self.decision} at {self.post_id}{corr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Crossings are immutable; record a correction instead.")
        super().save(*args, **kwargs)


class Stay(Audited, PostRecord):
    """The stay granted on an admitted entry: category and the day it is authorised until.

    Extensions and changes of status are StayChange events; the stay itself is never edited.
    """

    traveller = models.ForeignKey(Traveller, on_delete=models.PROTECT, related_name="stays")
    entry = models.OneToOneField(
        Crossing, on_delete=models.PROTECT, related_name="stay", verbose_name=_("entry")
    )
    category = models.ForeignKey(StayCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    granted_days = models.PositiveIntegerField(_("days granted"), null=True, blank=True)
    authorised_until = models.DateField(_("authorised until"), null=True, blank=True)
    area_entered_on = models.DateField(
        _("entered common area on"),
        null=True,
        blank=True,
        help_text=_(
            "When the traveller came from another member of a common area: the first day in the area."
        ),
    )

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        indexes = [models.Index(fields=["authorised_until"])]

    def __str__(self) -> str:
        return f"{self.category_id} until {self.authorised_until}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Stays are not edited; record an extension or change of status.")
        super().save(*args, **kwargs)


class StayChange(Audited, PostRecord):
    """An extension or change of status of a stay: from now on, this category until this day."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension")
        STATUS = "status", _("Change of status")
        # The entry that granted the stay was corrected (into a refusal, a referral, another time): the stay
        # ends with the day before it began, so it never counts.
        ENDED = "ended", _("Ended by a correction")

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(StayCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    authorised_until = models.DateField(_("authorised until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stay change")
        verbose_name_plural = _("stay changes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.category_id} until {self.authorised_until}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Stay changes are events; record a new one instead.")
        super().save(*args, **kwargs)
