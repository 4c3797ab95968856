"""Test data: users by persona, document data (typed or as an MRZ), stored travellers and documents, and
crossings recorded through the real `crossing_record` service."""

import datetime
import zoneinfo
from typing import Any

import factory
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from corredor.border import services
from corredor.border.documents import DocumentInput
from corredor.border.models import Crossing, Stay, StayChange, TravelDocument, Traveller
from corredor.core.models import AuditEntry, Role, User
from corredor.icao import build_mrz

PASSWORD = "correct horse battery staple"

SURNAMES = [
    "GARCIA",
    "RODRIGUEZ",
    "MORA",
    "VARGAS",
    "JIMENEZ",
    "ROJAS",
    "CASTRO",
    "SOLANO",
    "ARAYA",
    "CHAVES",
]
GIVEN_NAMES = [
    "ANA MARIA",
    "JOSE",
    "LUIS ALBERTO",
    "MARIA",
    "CARLOS",
    "SOFIA",
    "DIEGO",
    "LAURA",
    "PABLO",
    "ELENA",
]


def noon(day: datetime.date, tz: str | None = None) -> datetime.datetime:
    """Midday of `day` at the post (default: the installation's time zone), well clear of midnight."""
    return datetime.datetime.combine(day, datetime.time(12), zoneinfo.ZoneInfo(tz or settings.TIME_ZONE))


class UserFactory(DjangoModelFactory):
    """A user with a role; officers and supervisors default to post SJO. Password: PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    role = Role.OFFICER
    border_post_id = factory.LazyAttribute(
        lambda u: "SJO" if u.role in (Role.OFFICER, Role.SUPERVISOR) else None
    )

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OfficerFactory(UserFactory):
    role = Role.OFFICER


class SupervisorFactory(UserFactory):
    role = Role.SUPERVISOR


class AnalystFactory(UserFactory):
    role = Role.ANALYST


class AuditorFactory(UserFactory):
    role = Role.AUDITOR


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    is_staff = True


class DocumentInputFactory(factory.Factory):
    """A passport's printed data; `mrz=True` in `as_mrz()` gives the same document as a zone."""

    class Meta:
        model = DocumentInput

    document_code = "P"
    issuing_state = factory.LazyAttribute(lambda d: d.nationality)
    number = factory.Sequence(lambda n: f"K{n:07d}")
    surname = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)])
    given_names = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)])
    nationality = "NIC"
    birth_date = factory.Sequence(lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=97 * n))
    sex = factory.Sequence(lambda n: "MF"[n % 2])
    expiry_date = datetime.date(2034, 12, 31)
    mrz = ""


def mrz_for(doc: DocumentInput) -> str:
    """The TD3 zone of a passport with this data, every check digit right."""
    return build_mrz(
        {
            "document_code": doc.document_code,
            "issuing_state": doc.issuing_state,
            "surname": doc.surname,
            "given_names": doc.given_names,
            "document_number": doc.number,
            "nationality": doc.nationality,
            "birth_date": doc.birth_date,
            "expiry_date": doc.expiry_date,
            "sex": doc.sex,
        }
    )


def break_check_digit(mrz: str) -> str:
    """The same zone with the document number's check digit (line 2, column 10) wrong."""
    first, second = mrz.split("\n")
    digit = str((int(second[9]) + 1) % 10)
    return f"{first}\n{second[:9]}{digit}{second[10:]}"


class TravellerFactory(DjangoModelFactory):
    """A stored traveller, for reads and links; crossings go through `CrossingFactory`."""

    class Meta:
        model = Traveller

    surname = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)])
    given_names = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)])
    birth_date = factory.Sequence(lambda n: datetime.date(1970, 3, 1) + datetime.timedelta(days=53 * n))
    sex = "F"
    nationality_id = "NIC"


class TravelDocumentFactory(DjangoModelFactory):
    class Meta:
        model = TravelDocument

    traveller = factory.SubFactory(TravellerFactory)
    document_code = "P"
    issuing_state_id = factory.LazyAttribute(lambda d: d.traveller.nationality_id)
    number = factory.Sequence(lambda n: f"T{n:07d}")
    surname = factory.LazyAttribute(lambda d: d.traveller.surname)
    given_names = factory.LazyAttribute(lambda d: d.traveller.given_names)
    nationality_id = factory.LazyAttribute(lambda d: d.traveller.nationality_id)
    birth_date = factory.LazyAttribute(lambda d: d.traveller.birth_date)
    sex = factory.LazyAttribute(lambda d: d.traveller.sex)
    expiry_date = datetime.date(2034, 12, 31)


class CrossingFactory(factory.Factory):
    """A crossing recorded with `crossing_record`, as the desk does: pass `officer` and `on` (a date) or
    `occurred_at`. An admitted entry gets a tourist stay of the most days the rules allow unless told."""

    class Meta:
        model = services.RecordedCrossing

    class Params:
        on = None

    officer = None
    post_code = factory.LazyAttribute(lambda c: c.officer.border_post_id)
    direction = "entry"
    decision = "admitted"
    document = factory.SubFactory(DocumentInputFactory)
    occurred_at = factory.LazyAttribute(lambda c: noon(c.on) if c.on else None)
    stay_category = factory.LazyAttribute(
        lambda c: "tourist" if c.direction == "entry" and c.decision == "admitted" else None
    )
    # A refusal names its legal ground (E: no documents justifying the purpose and conditions of stay).
    refusal_ground = factory.LazyAttribute(lambda c: "E" if c.decision == "refused" else "")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> services.RecordedCrossing:
        return record_history(services.crossing_record, **kwargs)

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> services.RecordedCrossing:
        raise NotImplementedError("crossings are only made by recording them")


def record_history(call: Any, **kwargs: Any) -> Any:
    """Call a border service that dates a crossing in the past, as a post that records its paper backlog
    does: with its late-record window (CORREDOR_LATE_RECORD_HOURS) opened wide enough for that date.

    Tests set up history (last year's stays, an overstay) through the desk's own service; the rule that a
    late record needs a supervisor is tested on its own (tests/border/test_guardrails.py)."""
    occurred_at = kwargs.get("occurred_at")
    if occurred_at is None:
        return call(**kwargs)
    hours = (timezone.now() - occurred_at).total_seconds() / 3600
    with override_settings(
        CORREDOR_LATE_RECORD_HOURS=max(settings.CORREDOR_LATE_RECORD_HOURS, int(hours) + 2)
    ):
        return call(**kwargs)


def record(officer: User, document: DocumentInput, **kwargs: Any) -> services.RecordedCrossing:
    """Record one crossing of `document` at the officer's post (kwargs as for CrossingFactory)."""
    return CrossingFactory(officer=officer, document=document, **kwargs)


def row_counts(*, audit: bool = True) -> dict[str, int]:
    """How many rows each border table (and the audit log) holds: compare before and after a refusal."""
    counts = {
        "travellers": Traveller.objects.count(),
        "documents": TravelDocument.objects.count(),
        "crossings": Crossing.objects.count(),
        "stays": Stay.objects.count(),
        "stay_changes": StayChange.objects.count(),
    }
    if audit:
        counts["audit"] = AuditEntry.objects.count()
    return counts
