"""Emergencies: events, admin areas by p-code, sites, mobility tracking rounds with their baseline area and
site assessments, flow monitoring points and their counts, registration of households and individuals, and
the figures DTM publishes.

P-codes are the join key everywhere: an assessment, a site, a flow point or a published figure names its
admin area by p-code. Records collected in the field (assessments, counts, registrations) carry the UUID the
device made (`client_uuid`), so a form sent twice from a flaky link is stored once, and the user who
collected them (an enumerator sees only what they collected).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.signals import Audited


class AdminArea(models.Model):
    """An administrative area (admin 0 the country, 1 to 3 below it), named by its p-code (the OCHA common
    operational dataset's code, e.g. HT0111). `shape` is a GeoJSON geometry when one was imported."""

    pcode = models.CharField(_("p-code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("admin level"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    country_code = models.CharField(_("country"), max_length=3)
    shape = models.JSONField(_("shape (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("admin area")
        verbose_name_plural = _("admin areas")
        constraints = [models.CheckConstraint(condition=models.Q(level__lte=3), name="adminarea_level_0_3")]

    def __str__(self) -> str:
        return f"{self.pcode} {self.name}"


class EventKind(models.TextChoices):
    HURRICANE = "hurricane", _("Hurricane or storm")
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    VIOLENCE = "violence", _("Violence or conflict")
    MONITORING = "monitoring", _("Countrywide monitoring")
    OTHER = "other", _("Other")


class DataSource(models.TextChoices):
    NATIONAL = "national", _("National authority")
    DTM = "dtm", _("IOM DTM (published figures)")


class Event(models.Model):
    """A disaster or crisis that displaces people: its kind, dates and affected areas. Events imported from
    DTM's published figures are `source=dtm`; the national authority's own are `national`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    country_code = models.CharField(_("country"), max_length=3)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=DataSource.choices, default=DataSource.NATIONAL
    )
    affected_areas = models.ManyToManyField(
        AdminArea, blank=True, related_name="events", verbose_name=_("affected areas")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-started_on", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place where displaced people stay: a planned camp, a collective centre, a spontaneous site."""

    class Kind(models.TextChoices):
        CAMP = "camp", _("Planned camp")
        COLLECTIVE_CENTRE = "collective_centre", _("Collective centre")
        SPONTANEOUS = "spontaneous", _("Spontaneous site")
        HOST_COMMUNITY = "host_community", _("Host community")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="sites", verbose_name=_("event"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="sites", verbose_name=_("admin area")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    managing_agency = models.CharField(_("managing agency"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=0)
    services = models.JSONField(_("services"), default=list, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_sites", verbose_name=_("site managers")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="site_code_per_event")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


SITE_SERVICES = {
    "water": _("Water"),
    "latrines": _("Latrines"),
    "health_post": _("Health post"),
    "food_distribution": _("Food distribution"),
    "child_friendly_space": _("Child-friendly space"),
    "electricity": _("Electricity"),
}


class Round(models.Model):
    """One round of mobility tracking for an event: numbered, with the date its figures describe."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("event"))
    number = models.PositiveIntegerField(_("round"))
    reporting_date = models.DateField(_("reporting date"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="round_number_per_event")]

    def __str__(self) -> str:
        return f"{self.event} R{self.number}"


class Reason(models.TextChoices):
    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    CONFLICT = "conflict", _("Conflict")
    INSECURITY = "insecurity", _("Insecurity")
    OTHER = "other", _("Other reason")
    NOT_REPORTED = "not_reported", _("No reason reported")


class ShelterType(models.TextChoices):
    SITE = "site", _("Site or camp")
    HOST_FAMILY = "host_family", _("Host family")
    RENTED = "rented", _("Rented housing")
    OPEN_AIR = "open_air", _("Open air")
    OTHER = "other", _("Other")


#: The sex and age bands in which baseline and site assessments count people (DTM's standard bands).
AGE_BANDS = ("children", "adults", "elderly")
SEX_AGE_FIELDS = tuple(f"{sex}_{band}" for sex in ("females", "males") for band in AGE_BANDS)


class FieldRecord(models.Model):
    """What every record collected in the field carries: the device's UUID and who collected it, when."""

    client_uuid = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("collected by")
    )
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        abstract = True


class SexAgeCounts(models.Model):
    """Displaced people by sex and age band (children under 18, adults 18-59, elderly 60+)."""

    households = models.PositiveIntegerField(_("households"), default=0)
    females_children = models.PositiveIntegerField(_("girls (under 18)"), default=0)
    females_adults = models.PositiveIntegerField(_("women (18-59)"), default=0)
    females_elderly = models.PositiveIntegerField(_("women (60+)"), default=0)
    males_children = models.PositiveIntegerField(_("boys (under 18)"), default=0)
    males_adults = models.PositiveIntegerField(_("men (18-59)"), default=0)
    males_elderly = models.PositiveIntegerField(_("men (60+)"), default=0)

    class Meta:
        abstract = True

    @property
    def individuals(self) -> int:
        return sum(getattr(self, name) for name in SEX_AGE_FIELDS)


class AreaAssessment(FieldRecord, SexAgeCounts):
    """A baseline area assessment in a round: the displaced people present in an admin area, by sex and age,
    why and since when they were displaced, where from, and where they shelter (key informants)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="area_assessments", verbose_name=_("round")
    )
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area")
    )
    reason = models.CharField(_("reason of displacement"), max_length=20, choices=Reason.choices)
    displaced_on = models.DateField(_("displaced on"), null=True, blank=True)
    origin_area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of origin"),
    )
    shelter_type = models.CharField(_("main shelter"), max_length=20, choices=ShelterType.choices)

    class Meta:
        verbose_name = _("area assessment")
        verbose_name_plural = _("area assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "area", "reason"], name="area_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.area_id} {self.reason}"


class NeedLevel(models.IntegerChoices):
    NONE = 0, _("No need")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    SEVERE = 3, _("Severe")


SECTORS = {
    "shelter": _("Shelter"),
    "wash": _("Water, sanitation and hygiene"),
    "food": _("Food"),
    "health": _("Health"),
    "protection": _("Protection"),
    "education": _("Education"),
    "communication": _("Communication"),
}


class SiteAssessment(FieldRecord, SexAgeCounts):
    """A site assessment in a round: who lives on the site and how severe each sector's needs are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="site_assessments", verbose_name=_("round")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("site")
    )
    need_shelter = models.PositiveSmallIntegerField(_("shelter"), choices=NeedLevel.choices, default=0)
    need_wash = models.PositiveSmallIntegerField(
        _("water, sanitation and hygiene"), choices=NeedLevel.choices, default=0
    )
    need_food = models.PositiveSmallIntegerField(_("food"), choices=NeedLevel.choices, default=0)
    need_health = models.PositiveSmallIntegerField(_("health"), choices=NeedLevel.choices, default=0)
    need_protection = models.PositiveSmallIntegerField(_("protection"), choices=NeedLevel.choices, default=0)
    need_education = models.PositiveSmallIntegerField(_("education"), choices=NeedLevel.choices, default=0)
    need_communication = models.PositiveSmallIntegerField(
        _("communication"), choices=NeedLevel.choices, default=0
    )

    class Meta:
        verbose_name = _("site assessment")
        verbose_name_plural = _("site assessments")
        constraints = [models.UniqueConstraint(fields=["round", "site"], name="site_assessment_once")]

    def needs(self) -> dict[str, int]:
        return {sector: getattr(self, f"need_{sector}") for sector in SECTORS}

    def __str__(self) -> str:
        return f"{self.round} {self.site_id}"


class FlowMonitoringPoint(models.Model):
    """A place where movements are counted: a border crossing, a transit centre, a bus terminal. A point at
    a border post (`border_post`) shows the post's recorded crossings beside the field counts."""

    class Kind(models.TextChoices):
        BORDER_CROSSING = "border_crossing", _("Border crossing")
        TRANSIT_CENTRE = "transit_centre", _("Transit centre")
        BUS_TERMINAL = "bus_terminal", _("Bus terminal")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="flow_points", verbose_name=_("event")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    border_post = models.ForeignKey(
        "core.BorderPost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("border post"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("flow monitoring point")
        verbose_name_plural = _("flow monitoring points")
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="flow_point_code_per_event")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FlowDirection(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


class AgeGroup(models.TextChoices):
    CHILDREN = "children", _("Children (under 18)")
    ADULTS = "adults", _("Adults (18-59)")
    ELDERLY = "elderly", _("Elderly (60+)")


class Transport(models.TextChoices):
    FOOT = "foot", _("On foot")
    BUS = "bus", _("Bus")
    CAR = "car", _("Car or truck")
    BOAT = "boat", _("Boat")
    OTHER = "other", _("Other")


class FlowCount(FieldRecord):
    """People counted at a flow monitoring point on a day: one cell of direction x sex x age group x
    nationality x transport, with where they came from and were going."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(
        FlowMonitoringPoint, on_delete=models.PROTECT, related_name="counts", verbose_name=_("point")
    )
    counted_on = models.DateField(_("counted on"))
    direction = models.CharField(_("direction"), max_length=10, choices=FlowDirection.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("Female")), ("M", _("Male"))])
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    nationality = models.CharField(_("nationality"), max_length=3)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    previous_location = models.CharField(_("previous location"), max_length=200, blank=True)
    next_location = models.CharField(_("next location"), max_length=200, blank=True)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("flow count")
        verbose_name_plural = _("flow counts")
        indexes = [models.Index(fields=["point", "counted_on"])]

    def __str__(self) -> str:
        return f"{self.point_id} {self.counted_on} {self.direction} {self.people}"


class Household(Audited, FieldRecord):
    """A registered household at a site. Personal data: every read is audited, writes through the signal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="households", verbose_name=_("event")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="households", verbose_name=_("site")
    )
    reference = models.CharField(_("household reference"), max_length=60)
    origin_area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of origin"),
    )
    consent_referral = models.BooleanField(_("consents to referral to protection"), default=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["event", "reference"], name="household_reference_per_event")
        ]

    def __str__(self) -> str:
        return self.reference

    def audit_summary(self) -> str:
        return f"household {self.reference} at site {self.site_id}"


VULNERABILITIES = {
    "unaccompanied_child": _("Unaccompanied or separated child"),
    "pregnant": _("Pregnant or lactating"),
    "disability": _("Disability"),
    "chronic_illness": _("Chronic illness"),
    "elderly_alone": _("Older person alone"),
    "female_head": _("Woman heading the household"),
    "gbv_risk": _("At risk of gender-based violence"),
}


class Individual(Audited, models.Model):
    """A registered member of a household. `duplicate_of` points at an earlier registration the name matcher
    found to be probably the same person (kept, for a person to decide)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    surname = models.CharField(_("surname"), max_length=200)
    given_names = models.CharField(_("given names"), max_length=200)
    sex = models.CharField(
        _("sex"), max_length=1, choices=[("F", _("Female")), ("M", _("Male")), ("X", _("Other"))]
    )
    birth_date = models.CharField(
        _("birth date"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    relationship = models.CharField(_("relationship to the head"), max_length=20, blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    duplicate_score = models.FloatField(_("duplicate score"), null=True, blank=True)
    client_uuid = models.UUIDField(_("submission id"), unique=True, default=uuid.uuid4)
    # The sound of the first surname and first given name (`services.name_sound`): a registration looks for
    # possible duplicates among the people of the same sound or birth date, not the whole event.
    name_sound = models.CharField(_("sound of the name"), max_length=40, blank=True, db_index=True)
    # The protection case opened when the person was referred (with the household's consent), by id.
    referred_case_id = models.UUIDField(_("protection case"), null=True, blank=True)

    class Meta:
        verbose_name = _("individual")
        verbose_name_plural = _("individuals")

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}"

    def audit_summary(self) -> str:
        # The audit log says which record was written, not the person's name.
        return f"individual in household {self.household_id}"


class PublishedFigure(models.Model):
    """One row of DTM's published figures (the public API's admin 0-2 table): displaced individuals present
    in an area in a round, by reason of displacement and area of origin. Admin 0 rows are DTM's national
    totals; admin 1 and 2 rows break them down (an import checks that they add up)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="published", verbose_name=_("event")
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="published", verbose_name=_("round")
    )
    admin_level = models.PositiveSmallIntegerField(_("admin level"))
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("admin area")
    )
    reason = models.CharField(_("reason of displacement"), max_length=20, choices=Reason.choices)
    assessment_type = models.CharField(_("assessment type"), max_length=2)
    origin_pcode = models.CharField(_("area of origin"), max_length=20, blank=True)
    individuals = models.PositiveIntegerField(_("displaced individuals"))
    males = models.PositiveIntegerField(_("males"), null=True, blank=True)
    females = models.PositiveIntegerField(_("females"), null=True, blank=True)
    source_id = models.CharField(_("DTM id"), max_length=20, blank=True)
    line = models.PositiveIntegerField(_("line in the file"))

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        indexes = [models.Index(fields=["round", "admin_level"])]

    def __str__(self) -> str:
        return f"{self.round} admin {self.admin_level} {self.area_id}: {self.individuals}"


class ImportJob(models.Model):
    """A Kobo / ODK registration export uploaded on the web, imported by the background worker (`corredor
    work`): queued, running, then done, rejected (the file's errors, located; nothing was written) or failed.
    The file is kept only until the import has run; the report stays."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing was imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="imports", verbose_name=_("event")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(default=b"")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.TextField(_("summary"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration import")
        verbose_name_plural = _("registration imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)
