"""Border API: record and correct crossings, read a traveller's history, list crossings and overstays."""

import uuid
from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AliasChoices, model_validator

from corredor.border import selectors, services
from corredor.border.documents import document_input
from corredor.border.models import Crossing, Stay
from corredor.core.errors import ApplicationError
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.permissions import permit_personal_data
from corredor.core.schemas import StrictSchema

router = Router(tags=["border"])


class DocumentFieldsIn(StrictSchema):
    document_code: str = Field(
        "P", min_length=1, max_length=2, description="P passport, I/A/C identity card, V visa"
    )
    issuing_state: str = Field(..., min_length=1, max_length=3)
    number: str = Field(..., min_length=1, max_length=30)
    surname: str = Field(..., min_length=1, max_length=120)
    given_names: str = Field("", max_length=120)
    nationality: str = Field(..., min_length=1, max_length=3)
    birth_date: date | None = None
    sex: Literal["M", "F", "X"] = "X"
    expiry_date: date | None = None


class CrossingIn(StrictSchema):
    id: uuid.UUID | None = Field(
        None, description="Made at the post; the same id recorded twice is stored once"
    )
    post: str = Field(..., max_length=10, description="Border post code, e.g. SJO")
    direction: Literal["entry", "exit"]
    decision: Literal["admitted", "refused", "referred"] = "admitted"
    mrz: str | None = Field(None, description="The MRZ lines as read, separated by line breaks")
    document: DocumentFieldsIn | None = Field(None, description="For documents without an MRZ")
    occurred_at: datetime | None = None
    stay_category: str | None = Field(None, description="Required for an admitted entry, e.g. tourist")
    stay_days: int | None = Field(None, ge=1, le=3650, description="Default: the most the rules allow")
    area_entered_on: date | None = None
    transport: Literal["air", "land", "sea", ""] = ""
    transport_reference: str = Field("", max_length=40)
    note: str = Field("", max_length=2000)
    refusal_ground: str = Field(
        "",
        max_length=4,
        description="Required for a refusal: a code of the country's list (A to J by default)",
    )
    expired_document_reason: str = Field(
        "", max_length=500, description="Required to admit on an expired document (where policy allows it)"
    )
    late_reason: str = Field(
        "", max_length=500, description="Required (from a supervisor) for a crossing older than the window"
    )
    exit_permit: Literal["seen", "not_seen", ""] = Field(
        "", description="Exit of a national minor where the country requires a permit: seen or not_seen"
    )
    missing_exit_reason: str = Field(
        "",
        max_length=500,
        description="Admit someone the record shows in the country: records the missing exit",
    )

    @model_validator(mode="after")
    def one_document(self) -> "CrossingIn":
        if self.mrz is None and self.document is None:
            raise ValueError("give either mrz or document (the typed fields)")
        if self.mrz is not None and self.document is not None:
            raise ValueError("give either mrz or document, not both")
        return self


class DocumentOut(Schema):
    # Read from a TravelDocument (`issuing_state_id`) or from a DocumentOut already made: ninja validates the
    # response again, and a plain alias would refuse the DocumentOut's own field names.
    id: uuid.UUID
    document_code: str
    issuing_state: str = Field(..., validation_alias=AliasChoices("issuing_state_id", "issuing_state"))
    number: str
    surname: str
    given_names: str
    nationality: str = Field(..., validation_alias=AliasChoices("nationality_id", "nationality"))
    birth_date: date | None
    sex: str
    expiry_date: date | None


class StayOut(Schema):
    id: uuid.UUID
    category: str
    granted_days: int | None
    authorised_until: date | None
    area_entered_on: date | None


class CrossingOut(Schema):
    id: uuid.UUID
    traveller_id: uuid.UUID
    document: DocumentOut
    direction: str
    decision: str
    post: str
    occurred_at: datetime
    officer: str
    transport: str
    transport_reference: str
    screening_outcome: str
    note: str
    refusal_ground: str
    exit_permit: str
    expired_document_reason: str
    late_reason: str
    corrects: uuid.UUID | None
    corrected_by: uuid.UUID | None
    stay: StayOut | None
    warnings: list[str] = []


class CrossingPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CrossingOut]


class StatusOut(Schema):
    in_country: bool
    authorised_until: date | None
    overstay_days: int


class TravellerOut(Schema):
    id: uuid.UUID
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    documents: list[DocumentOut]
    crossings: list[CrossingOut]
    status: StatusOut


class OverstayOut(Schema):
    traveller_id: uuid.UUID
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    document: str
    entry_post: str
    entered_on: date
    category: str
    authorised_until: date
    days_over: int


class CorrectionIn(StrictSchema):
    reason: str = Field(..., min_length=1, max_length=2000)
    direction: Literal["entry", "exit"] | None = None
    decision: Literal["admitted", "refused", "referred"] | None = None
    occurred_at: datetime | None = None
    stay_category: str | None = None
    stay_days: int | None = Field(None, ge=1, le=3650)
    refusal_ground: str | None = Field(None, max_length=4, description="Required for a refusal, e.g. E")


class ExtensionIn(StrictSchema):
    authorised_until: date | None = None
    category: str | None = None
    reason: str = Field(..., min_length=1, max_length=2000)


class ExtensionOut(Schema):
    id: uuid.UUID
    stay_id: uuid.UUID
    kind: str
    category: str
    authorised_until: date | None


def _stay_out(stay: Stay | None) -> StayOut | None:
    if stay is None:
        return None
    return StayOut(
        id=stay.pk,
        category=stay.category_id,
        granted_days=stay.granted_days,
        authorised_until=stay.authorised_until,
        area_entered_on=stay.area_entered_on,
    )


def _crossing_out(
    crossing: Crossing, *, stay: Stay | None = None, warnings: list[str] | None = None
) -> CrossingOut:
    if stay is None:
        stay = getattr(crossing, "stay", None) if hasattr(crossing, "stay") else None
    corrected_by = getattr(crossing, "corrected_by", None) if hasattr(crossing, "corrected_by") else None
    return CrossingOut(
        id=crossing.pk,
        traveller_id=crossing.traveller_id,
        document=DocumentOut.model_validate(crossing.document, from_attributes=True),
        direction=crossing.direction,
        decision=crossing.decision,
        post=crossing.post_id,
        occurred_at=crossing.occurred_at,
        officer=crossing.officer.get_username(),
        transport=crossing.transport,
        transport_reference=crossing.transport_reference,
        screening_outcome=crossing.screening_outcome,
        note=crossing.note,
        refusal_ground=crossing.refusal_ground,
        exit_permit=crossing.exit_permit,
        expired_document_reason=crossing.expired_document_reason,
        late_reason=crossing.late_reason,
        corrects=crossing.corrects_id,
        corrected_by=corrected_by.pk if corrected_by else None,
        stay=_stay_out(stay),
        warnings=warnings or [],
    )


@router.post(
    "/crossings", response={201: CrossingOut}, summary="Record a crossing (with the MRZ or typed fields)"
)
def crossing_create(request: AuthenticatedHttpRequest, payload: CrossingIn) -> Status:
    document = document_input(
        mrz=payload.mrz, fields=payload.document.model_dump() if payload.document is not None else None
    )
    recorded = services.crossing_record(
        officer=request.user,
        post_code=payload.post.upper(),
        direction=payload.direction,
        decision=payload.decision,
        document=document,
        occurred_at=payload.occurred_at,
        stay_category=payload.stay_category,
        stay_days=payload.stay_days,
        area_entered_on=payload.area_entered_on,
        transport=payload.transport,
        transport_reference=payload.transport_reference,
        note=payload.note,
        crossing_id=payload.id,
        refusal_ground=payload.refusal_ground,
        expired_document_reason=payload.expired_document_reason,
        late_reason=payload.late_reason,
        exit_permit=payload.exit_permit,
        missing_exit_reason=payload.missing_exit_reason,
    )
    return Status(201, _crossing_out(recorded.crossing, stay=recorded.stay, warnings=recorded.warnings))


class CrossingFiltersIn(StrictSchema):
    post: str | None = Field(None, max_length=10)
    direction: Literal["entry", "exit"] | None = None
    decision: Literal["admitted", "refused", "referred"] | None = None
    date_from: date | None = None
    date_to: date | None = None
    traveller: uuid.UUID | None = None
    officer: str | None = Field(None, max_length=150, description="The officer's username")
    flight: str | None = Field(None, max_length=40, description="Flight, vehicle or vessel")
    hits: bool = Field(False, description="Only crossings whose screening found a hit")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000_000)


@router.get("/crossings", response=CrossingPageOut, summary="List crossings (filters, pagination)")
def crossing_list(request: AuthenticatedHttpRequest, filters: Query[CrossingFiltersIn]) -> CrossingPageOut:
    post = _known_post(filters.post)
    page = selectors.crossings_page(
        user=request.user,
        filters=selectors.CrossingFilters(
            post=post,
            date_from=filters.date_from,
            date_to=filters.date_to,
            direction=filters.direction,
            decision=filters.decision,
            traveller_id=filters.traveller,
            officer=filters.officer,
            flight=filters.flight,
            hits=filters.hits,
        ),
        limit=filters.limit,
        offset=filters.offset,
    )
    return CrossingPageOut(
        count=page.count, limit=page.limit, offset=page.offset, items=[_crossing_out(c) for c in page.items]
    )


def _known_post(code: str | None) -> str | None:
    """A post code from a query string: unknown is a 400 that names it, not an empty answer."""
    if not code:
        return None
    code = code.strip().upper()
    if not selectors.post_exists(code=code):
        raise ApplicationError(_("Unknown border post %(code)s.") % {"code": code}, detail={"field": "post"})
    return code


@router.get("/crossings/{crossing_id}", response=CrossingOut, summary="One crossing")
def crossing_detail(request: AuthenticatedHttpRequest, crossing_id: uuid.UUID) -> CrossingOut:
    return _crossing_out(selectors.crossing_get(user=request.user, crossing_id=crossing_id))


@router.post(
    "/crossings/{crossing_id}/corrections",
    response={201: CrossingOut},
    summary="Correct a crossing (a new event)",
)
def crossing_correction(
    request: AuthenticatedHttpRequest, crossing_id: uuid.UUID, payload: CorrectionIn
) -> Status:
    correction = services.crossing_correct(
        officer=request.user, crossing_id=crossing_id, **payload.model_dump()
    )
    return Status(201, _crossing_out(correction))


@router.get("/travellers/{traveller_id}", response=TravellerOut, summary="A traveller and their history")
def traveller_detail(request: AuthenticatedHttpRequest, traveller_id: uuid.UUID) -> TravellerOut:
    history = selectors.traveller_get(user=request.user, traveller_id=traveller_id, purpose="api")
    t = history.traveller
    return TravellerOut(
        id=t.pk,
        surname=t.surname,
        given_names=t.given_names,
        birth_date=t.birth_date,
        sex=t.sex,
        nationality=t.nationality_id,
        documents=[DocumentOut.model_validate(d, from_attributes=True) for d in history.documents],
        crossings=[_crossing_out(c) for c in history.crossings],
        status=StatusOut(
            in_country=history.status.in_country,
            authorised_until=history.status.authorised_until,
            overstay_days=history.status.overstay_days,
        ),
    )


@router.get("/overstays", response=list[OverstayOut], summary="Overstays as of a day (default today)")
def overstay_list(
    request: AuthenticatedHttpRequest, as_of: date | None = None, post: str | None = None
) -> list[OverstayOut]:
    rows = selectors.overstays(user=request.user, as_of=as_of or timezone.localdate(), post=_known_post(post))
    return [OverstayOut(**row.__dict__) for row in rows]


@router.post(
    "/stays/{stay_id}/extensions", response={201: ExtensionOut}, summary="Extend a stay or change status"
)
def stay_extension(request: AuthenticatedHttpRequest, stay_id: uuid.UUID, payload: ExtensionIn) -> Status:
    permit_personal_data(request.user)
    change = services.stay_extend(officer=request.user, stay_id=stay_id, **payload.model_dump())
    return Status(
        201,
        ExtensionOut(
            id=change.pk,
            stay_id=change.stay_id,
            kind=change.kind,
            category=change.category_id,
            authorised_until=change.authorised_until,
        ),
    )
