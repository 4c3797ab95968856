"""Airline passenger and crew lists (API / PAXLST): who may send them, the messages as received, the flights,
the lists in their versions, and the people on them with their documents, screening and crossing."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.models import BorderPost
from corredor.core.signals import Audited


class CarrierAccount(Audited, models.Model):
    """A user that sends passenger lists for an airline: its API token may send lists of this carrier's
    flights, and of no other carrier's. One user (an airline's service provider) may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="carrier_accounts",
        verbose_name=_("user"),
    )
    carrier = models.CharField(
        _("carrier"), max_length=3, help_text=_("Airline designator as in the lists: IATA (CM) or ICAO (CMP)")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("carrier account")
        verbose_name_plural = _("carrier accounts")
        constraints = [models.UniqueConstraint(fields=["user", "carrier"], name="carrier_account_unique")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.user}"

    def audit_summary(self) -> str:
        return f"carrier account {self.carrier} for {self.user}"


class Source(models.TextChoices):
    API = "api", _("API")
    FOLDER = "folder", _("Folder import")
    DEMO = "demo", _("Demo")


class ManifestMessage(Audited, models.Model):
    """An interchange as received, byte for byte, with what the reader tolerated in it. The same bytes
    received again are a duplicate and are not stored twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    carrier_account = models.ForeignKey(
        CarrierAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    filename = models.CharField(_("file"), max_length=255, blank=True)
    raw = models.BinaryField(_("message as received"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    syntax = models.CharField(_("character set"), max_length=10, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("received message")
        verbose_name_plural = _("received messages")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%Y-%m-%d %H:%M} {self.filename}".strip()

    def audit_summary(self) -> str:
        return f"PAXLST received ({self.source}, {len(self.raw)} bytes)"


class Direction(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    DEPARTURE = "departure", _("Departure")


class Flight(Audited, models.Model):
    """A flight that lists were sent for, named as airlines name it: carrier, number, and the day and
    airport it leaves from (local). `post` is the border post it arrives at (or leaves from), and
    `expected_at` the scheduled time there, stored in UTC."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    carrier = models.CharField(_("carrier"), max_length=3)
    number = models.CharField(_("flight number"), max_length=5)
    departure_airport = models.CharField(_("from"), max_length=5)
    departure_date = models.DateField(_("departure date (local)"))
    departure_time = models.TimeField(_("departure time (local)"), null=True, blank=True)
    arrival_airport = models.CharField(_("to"), max_length=5)
    arrival_date = models.DateField(_("arrival date (local)"), null=True, blank=True)
    arrival_time = models.TimeField(_("arrival time (local)"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    post = models.ForeignKey(
        BorderPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("border post")
    )
    expected_at = models.DateTimeField(_("expected at the post"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("flight")
        verbose_name_plural = _("flights")
        ordering = ["expected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "number", "departure_date", "departure_airport"], name="flight_unique"
            )
        ]
        indexes = [models.Index(fields=["post", "expected_at"])]

    def __str__(self) -> str:
        route = f"{self.departure_airport}-{self.arrival_airport}"
        return f"{self.designator} {self.departure_date:%Y-%m-%d} {route}"

    @property
    def designator(self) -> str:
        return f"{self.carrier}{self.number}"

    def audit_summary(self) -> str:
        return f"flight {self}"


class ListType(models.TextChoices):
    PASSENGER = "passenger", _("Passengers")
    CREW = "crew", _("Crew")


class ManifestList(Audited, models.Model):
    """One version of a flight's passenger (or crew) list. A later list for the same flight replaces the
    current one: it becomes the next version, and the counts of who was added, removed or changed are kept
    (the people themselves are compared on demand)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    flight = models.ForeignKey(
        Flight, on_delete=models.PROTECT, related_name="lists", verbose_name=_("flight")
    )
    message = models.ForeignKey(
        ManifestMessage, on_delete=models.PROTECT, related_name="lists", verbose_name=_("message")
    )
    list_type = models.CharField(_("list"), max_length=10, choices=ListType.choices)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    message_reference = models.CharField(_("message reference"), max_length=35, blank=True)
    directory = models.CharField(_("directory"), max_length=10, blank=True)
    document_id = models.CharField(_("document id"), max_length=35, blank=True)
    reporting_party = models.CharField(_("reporting party"), max_length=100, blank=True)
    content_sha256 = models.CharField(max_length=64)
    person_count = models.PositiveIntegerField(_("people"), default=0)
    declared_count = models.PositiveIntegerField(_("declared"), null=True, blank=True)
    added_count = models.PositiveIntegerField(_("added"), null=True, blank=True)
    removed_count = models.PositiveIntegerField(_("removed"), null=True, blank=True)
    changed_count = models.PositiveIntegerField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("passenger list")
        verbose_name_plural = _("passenger lists")
        ordering = ["flight", "list_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["flight", "list_type", "version"], name="list_unique_version"),
            models.UniqueConstraint(
                fields=["flight", "list_type"], condition=models.Q(is_current=True), name="list_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flight.designator} {self.get_list_type_display()} v{self.version}"

    def audit_summary(self) -> str:
        changes = ""
        if self.replaces_id:
            changes = f" (+{self.added_count} -{self.removed_count} ~{self.changed_count})"
        return f"{self.list_type} list v{self.version}: {self.person_count} people{changes}"


class PersonRole(models.TextChoices):
    PASSENGER = "passenger", _("Passenger")
    CREW = "crew", _("Crew member")


class ScreeningStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", _("Not screened")
    CLEAR = "clear", _("No hit")
    HIT = "hit", _("Hit")


class ManifestPerson(models.Model):
    """A passenger or crew member on one version of a list, as the airline sent them.

    Written in bulk with their list (the list's audit entry covers them). `screening_ref` names the person
    to the screening app (its hits' source reference); it is carried over to the next version of the list
    when the person's data did not change, so nobody is screened, nor hit, twice. `crossing` is the crossing
    recorded when they presented at the post.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    manifest_list = models.ForeignKey(
        ManifestList, on_delete=models.CASCADE, related_name="persons", verbose_name=_("list")
    )
    position = models.PositiveIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    in_transit = models.BooleanField(_("in transit"), default=False)
    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    name_key = models.CharField(max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    residence_country = models.CharField(_("country of residence"), max_length=3, blank=True)
    embarkation = models.CharField(_("embarkation"), max_length=5, blank=True)
    debarkation = models.CharField(_("debarkation"), max_length=5, blank=True)
    booking_references = models.JSONField(_("booking references"), default=list, blank=True)
    passenger_reference = models.CharField(_("passenger reference"), max_length=35, blank=True)
    seat = models.CharField(_("seat"), max_length=5, blank=True)
    crew_function = models.CharField(_("crew function"), max_length=5, blank=True)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    screening_ref = models.UUIDField(default=uuid.uuid4)
    screening_status = models.CharField(
        _("screening"), max_length=15, choices=ScreeningStatus.choices, default=ScreeningStatus.NOT_SCREENED
    )
    screening_note = models.CharField(_("screening note"), max_length=200, blank=True)
    hits = models.JSONField(_("hits"), default=list, blank=True)
    crossing = models.ForeignKey(
        "border.Crossing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="manifest_entries",
        verbose_name=_("crossing"),
    )

    class Meta:
        verbose_name = _("person on a list")
        verbose_name_plural = _("people on lists")
        ordering = ["manifest_list", "position"]
        indexes = [models.Index(fields=["name_key", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")


class ManifestDocument(models.Model):
    """A travel document of a person on a list (DOC): passport, visa, crew certificate ..."""

    person = models.ForeignKey(
        ManifestPerson, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    document_type = models.CharField(_("type"), max_length=3)
    number = models.CharField(_("number"), max_length=35)
    issuing_state = models.CharField(_("issuing state"), max_length=3, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        verbose_name = _("document on a list")
        verbose_name_plural = _("documents on lists")
        indexes = [models.Index(fields=["number", "issuing_state"])]

    def __str__(self) -> str:
        return f"{self.document_type} {self.issuing_state} {self.number}"
