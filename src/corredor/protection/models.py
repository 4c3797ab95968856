"""Protection and assistance: the directory of service providers, vulnerability screenings at the desk,
cases with their events and tasks, the transitions table (referral, transfer, assignment) with consent,
family tracing and assisted voluntary return and reintegration (AVRR).

Every row that a border post can create (a screening, a referral made at the desk, its case) carries a UUID
made where it was written, like the border's records, so that offline posts can send them later.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corredor.core.models import BorderPost, Country
from corredor.core.signals import Audited


class ProviderKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("Child protection agency")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health service")
    ASYLUM = "asylum", _("Asylum authority")
    IOM = "iom", _("IOM office")
    CONSULATE = "consulate", _("Consulate")
    LEGAL = "legal", _("Legal aid")
    REINTEGRATION = "reintegration", _("Reintegration partner")


class ServiceKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("Child protection")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal assistance")
    ASYLUM = "asylum", _("Asylum procedure")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    AVRR = "avrr", _("Assisted voluntary return and reintegration")
    CONSULAR = "consular", _("Consular assistance")


class ServiceProvider(Audited, models.Model):
    """An agency that receives referrals: a child protection agency, a shelter, a clinic, the asylum
    authority, an IOM office, a consulate, a reintegration partner in a country of origin.

    `border_referrals`: whether border officers may refer to it from the desk (Primero's users ask to
    restrict who appears in refer-to lists)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ProviderKind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    border_referrals = models.BooleanField(_("receives referrals from the border"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """One service a provider offers (shelter for children, medical care, family tracing ...)."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.CASCADE, related_name="services", verbose_name=_("provider")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["provider__name", "kind"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [models.UniqueConstraint(fields=["provider", "kind"], name="protection_service_unique")]

    def __str__(self) -> str:
        return f"{self.provider.name}: {self.get_kind_display()}"


class Membership(models.Model):
    """Which provider (agency) a caseworker, case manager or provider user works for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="protection_membership",
        verbose_name=_("user"),
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="members", verbose_name=_("provider")
    )

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"


class Indicator(models.TextChoices):
    """The desk's short vulnerability screening."""

    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    TRAFFICKING = "trafficking", _("Trafficking indicators")
    GBV = "gbv", _("Gender-based violence")
    MEDICAL = "medical", _("Medical need")
    ASYLUM = "asylum", _("Asylum intention")
    DISABILITY = "disability", _("Disability")
    PREGNANCY = "pregnancy", _("Pregnancy")
    LGBTI = "lgbti", _("LGBTI safety concern")


class VulnerabilityScreening(Audited, models.Model):
    """The answers an officer gave at the desk, with the crossing they belong to. `asked_because` says why
    the screening applied (a child, a protective alert, the officer's referral, an asylum intention)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    device_id = models.CharField(_("device"), max_length=64, default="central")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Foreign keys with a reverse name: the screening is the desk's record and goes with the border's file
    # when retention purges it (the purge follows reverse relations; hidden ones it would not see).
    traveller = models.ForeignKey(
        "border.Traveller",
        on_delete=models.PROTECT,
        related_name="protection_screenings",
        verbose_name=_("traveller"),
    )
    crossing = models.ForeignKey(
        "border.Crossing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_screenings",
    )
    post = models.ForeignKey(BorderPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    indicators = models.JSONField(_("indicators"), default=list)
    asked_because = models.JSONField(_("asked because"), default=list)

    class Meta:
        verbose_name = _("vulnerability screening")
        verbose_name_plural = _("vulnerability screenings")

    def __str__(self) -> str:
        return f"screening {self.pk}"

    def audit_summary(self) -> str:
        return f"screening {self.pk}: {', '.join(self.indicators) or 'none'}"


class CaseKind(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("Child protection")
    TRAFFICKING = "trafficking", _("Trafficking")
    GBV = "gbv", _("Gender-based violence")
    PROTECTION = "protection", _("General protection")
    AVRR = "avrr", _("Assisted voluntary return")


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred, awaiting acceptance")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Case(Audited, models.Model):
    """A person the protection system follows: who, what kind of case, which agency and caseworker hold it,
    where it stands. The person's names are a copy of the traveller's when the case came from the border;
    a walk-in case has no traveller. The case keeps its own retention period, whatever becomes of the
    border's file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    device_id = models.CharField(_("device"), max_length=64, default="central")
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The border's traveller, by id and not by foreign key: the border file and the case are kept for
    # different periods (`corredor purge` removes a traveller's file with every row that points at it).
    traveller_id = models.UUIDField(_("traveller"), null=True, blank=True, db_index=True)
    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, default="X")
    nationality = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    risk = models.CharField(_("risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    indicators = models.JSONField(_("indicators"), default=list)
    provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("agency"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.TextField(_("closure reason"), blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["assigned_to", "status", "-updated_at"], name="protection_case_mine"),
            models.Index(fields=["provider", "status", "-updated_at"], name="protection_case_agency"),
            models.Index(fields=["status", "closed_at"], name="protection_case_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="protection_case_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def audit_summary(self) -> str:
        return f"case {self.reference} ({self.status})"

    @property
    def full_name(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")

    @property
    def indicator_labels(self) -> list[str]:
        return [str(Indicator(i).label) for i in self.indicators if i in Indicator.values]


class EventKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Case plan")
    SERVICE = "service", _("Service provided")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSURE = "closure", _("Closure")
    REOPENED = "reopened", _("Reopened")
    NOTE = "note", _("Note")
    TRANSITION = "transition", _("Referral, transfer or assignment")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    AVRR = "avrr", _("Assisted voluntary return")
    MONITORING = "monitoring", _("Reintegration monitoring visit")


class CaseEvent(Audited, models.Model):
    """One thing that happened in a case, never changed afterwards: an assessment, the plan, a service
    given, a follow-up, the closure; transitions and AVRR steps leave one too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)
    service = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "-at"], name="protection_event_case")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    def audit_summary(self) -> str:
        return f"case event {self.kind}"


class Task(Audited, models.Model):
    """Something to do in a case by a date (visit the shelter, call the family)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("case"))
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"], name="protection_task_due")]

    def __str__(self) -> str:
        return self.title

    def audit_summary(self) -> str:
        return f"task {self.pk} due {self.due_on}"


class TransitionKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer")
    ASSIGNMENT = "assignment", _("Assignment")


class TransitionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")
    REVOKED = "revoked", _("Revoked")


class DataCategory(models.TextChoices):
    """What a consent lets the receiving side see."""

    IDENTITY = "identity", _("Identity (names, birth date, nationality)")
    CONTACT = "contact", _("Where to find the person")
    SCREENING = "screening", _("Screening answers")
    DOCUMENTS = "documents", _("Travel documents")
    CASE_NOTES = "case_notes", _("Case notes")


class Transition(Audited, models.Model):
    """Primero's transitions table: a case referred, transferred or assigned to a provider (agency) or a
    person, with the consent it was made under and where it stands (in progress, accepted, rejected, done,
    revoked).

    Consent: either the person agreed (`consent_given`, what data, to whom, for what purpose) or the sender
    overrode the absence of consent with a reason (a child's best interests): `consent_override_reason`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    device_id = models.CharField(_("device"), max_length=64, default="central")
    kind = models.CharField(_("kind"), max_length=20, choices=TransitionKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TransitionStatus.choices, default=TransitionStatus.IN_PROGRESS
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    from_provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_post = models.ForeignKey(
        BorderPost, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("post")
    )
    # The desk's crossing, by id (not a foreign key: see Case.traveller_id).
    crossing_id = models.UUIDField(_("crossing"), null=True, blank=True)
    to_provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions_in",
        verbose_name=_("to"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_data = models.JSONField(_("data shared"), default=list)
    consent_purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    consent_language = models.CharField(_("consent form language"), max_length=5, blank=True)
    consent_override_reason = models.TextField(_("consent override: reason"), blank=True)
    # The person may withdraw consent at any time (the consent form says so): from then on the receiving
    # side sees nothing of what it covered, and the case is not exported under it.
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_note = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        indexes = [
            models.Index(fields=["to_provider", "status", "-created_at"], name="protection_trans_to"),
            models.Index(fields=["created_by", "-created_at"], name="protection_trans_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_given=True) | ~models.Q(consent_override_reason=""),
                name="protection_transition_consent_or_override",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def audit_summary(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def shares(self) -> tuple[str, ...]:
        """What the receiving side may see now: nothing once consent is withdrawn."""
        return () if self.consent_withdrawn_at else tuple(self.consent_data)


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Searching")
    FOUND = "found", _("Family found")
    CLOSED = "closed", _("Closed without finding")


class FamilyTracing(Audited, models.Model):
    """A request to find a separated child's family."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tracings", verbose_name=_("case"))
    sought_name = models.CharField(_("person sought"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=60)
    last_known_place = models.CharField(_("last known place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("family tracing request")
        verbose_name_plural = _("family tracing requests")

    def __str__(self) -> str:
        return f"tracing {self.pk}"


class AvrrStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    TRAVEL = "travel", _("Travel arranged")
    DEPARTED = "departed", _("Departed")
    REINTEGRATION = "reintegration", _("Reintegration")
    COMPLETED = "completed", _("Completed")


class Avrr(Audited, models.Model):
    """An assisted voluntary return: application, eligibility, travel arrangements, the departure (an exit
    crossing recorded by the border), the reintegration plan and monitoring in the country of origin by a
    partner, who sees only this part of the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="avrr", verbose_name=_("case"))
    status = models.CharField(
        _("status"), max_length=20, choices=AvrrStatus.choices, default=AvrrStatus.APPLIED
    )
    destination = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country of return")
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    eligibility_note = models.TextField(_("eligibility assessment"), blank=True)
    travel_date = models.DateField(_("travel date"), null=True, blank=True)
    departure_post = models.ForeignKey(
        BorderPost,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("departure post"),
    )
    transport_reference = models.CharField(_("flight / vehicle"), max_length=40, blank=True)
    travel_documents = models.CharField(_("travel documents"), max_length=300, blank=True)
    escort = models.CharField(_("escort"), max_length=200, blank=True)
    # The exit crossing, by id (not a foreign key: see Case.traveller_id).
    departure_crossing_id = models.UUIDField(_("departure crossing"), null=True, blank=True)
    partner = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reintegrations",
        verbose_name=_("reintegration partner"),
    )
    reintegration_plan = models.TextField(_("reintegration plan"), blank=True)

    class Meta:
        verbose_name = _("assisted voluntary return")
        verbose_name_plural = _("assisted voluntary returns")

    def __str__(self) -> str:
        return f"avrr {self.pk}"

    def audit_summary(self) -> str:
        return f"avrr {self.pk} ({self.status})"


class MonitoringVisit(Audited, models.Model):
    """A reintegration monitoring visit by the partner in the country of origin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    avrr = models.ForeignKey(Avrr, on_delete=models.CASCADE, related_name="visits", verbose_name=_("return"))
    visited_on = models.DateField(_("visited on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("findings"))

    class Meta:
        ordering = ["-visited_on"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self) -> str:
        return f"visit {self.visited_on}"
