"""Passenger lists API: carriers send PAXLST messages; posts read their flights; analysts read API coverage.

`POST /api/v1/manifests/messages` takes the raw EDIFACT interchange as the request body (Content-Type
`application/edifact` or `text/plain`) from a carrier account's token, and answers with a receipt (JSON), or
with the CUSRES of an interactive API (board / do not board / contact the authority per passenger) when the
request asks for `Accept: application/edifact`.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from corredor.core.errors import ApplicationError, UnsupportedMediaType
from corredor.core.middleware import too_large
from corredor.manifests import selectors, services
from corredor.manifests.models import Source

router = Router(tags=["manifests"])

EDIFACT_TYPES = ("application/edifact", "application/edi-edifact", "text/plain")


class FlightOut(Schema):
    id: uuid.UUID
    carrier: str
    number: str
    designator: str
    departure_airport: str
    departure_date: date
    arrival_airport: str
    direction: str
    post: str
    expected_at: datetime


class ListReceiptOut(Schema):
    id: uuid.UUID
    status: str = Field(..., description="stored (first version), replaced (a later version), duplicate")
    list_type: str
    version: int
    persons: int
    added: int | None
    removed: int | None
    changed: int | None
    screening: dict[str, int] = Field(..., description="people by screening status: clear, hit, not_screened")
    flight: FlightOut


class ReceiptOut(Schema):
    receipt: uuid.UUID | None = Field(..., description="id of the stored message (or of the one duplicated)")
    status: str = Field(..., description="stored, or duplicate when nothing changed")
    lists: list[ListReceiptOut]
    warnings: list[dict[str, Any]]


def _flight_out(flight: Any) -> FlightOut:
    return FlightOut(
        id=flight.pk,
        carrier=flight.carrier,
        number=flight.number,
        designator=flight.designator,
        departure_airport=flight.departure_airport,
        departure_date=flight.departure_date,
        arrival_airport=flight.arrival_airport,
        direction=flight.direction,
        post=flight.post_id,
        expected_at=flight.expected_at,
    )


def _list_out(item: services.ReceivedList) -> ListReceiptOut:
    manifest_list = item.manifest_list
    counts = {"clear": 0, "hit": 0, "not_screened": 0}
    for status in manifest_list.persons.values_list("screening_status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return ListReceiptOut(
        id=manifest_list.pk,
        status=item.status,
        list_type=manifest_list.list_type,
        version=manifest_list.version,
        persons=manifest_list.person_count,
        added=manifest_list.added_count,
        removed=manifest_list.removed_count,
        changed=manifest_list.changed_count,
        screening=counts,
        flight=_flight_out(manifest_list.flight),
    )


def _body(request: HttpRequest) -> bytes:
    content_type = (request.content_type or "").lower()
    if content_type not in EDIFACT_TYPES:
        raise UnsupportedMediaType(
            _(
                "Send the EDIFACT interchange as the body, with Content-Type application/edifact or "
                "text/plain."
            ),
            detail={"content_type": content_type or None},
        )
    # The limit is Django's own: request.body refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE, and the error
    # boundary answers 413 saying that limit. A body announced larger is refused before it is read.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit is not None and length > limit:
        raise too_large()
    data = request.body
    if not data.strip():
        raise ApplicationError(_("The request body is empty: send the PAXLST interchange."))
    return data


@router.post(
    "/messages",
    response={200: ReceiptOut, 201: ReceiptOut},
    summary="Send a PAXLST passenger or crew list (raw EDIFACT body)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {content_type: {"schema": {"type": "string"}} for content_type in EDIFACT_TYPES},
        }
    },
)
def message_receive(request: HttpRequest) -> Any:
    data = _body(request)
    receipt = services.manifest_receive(data=data, source=Source.API, sender=request.user)
    if "application/edifact" in request.headers.get("Accept", "").lower():
        passenger_lists = [
            item.manifest_list for item in receipt.lists if item.manifest_list.list_type == "passenger"
        ]
        if passenger_lists:
            text = selectors.manifest_cusres(manifest_list=passenger_lists[0])
            return HttpResponse(
                text.encode("latin-1", errors="replace"),
                status=200 if receipt.status == "duplicate" else 201,
                content_type="application/edifact",
            )
    out = ReceiptOut(
        receipt=receipt.message.pk if receipt.message else None,
        status=receipt.status,
        lists=[_list_out(item) for item in receipt.lists],
        warnings=receipt.warnings,
    )
    return Status(200 if receipt.status == "duplicate" else 201, out)


class FlightSummaryOut(Schema):
    flight: FlightOut
    passengers: int
    crew: int
    presented: int
    hits_open: int
    not_screened: int
    versions: int
    processed: bool


class FlightFilters(Schema):
    post: str = Field(..., max_length=10, description="Border post code, e.g. SJO (400 when there is none)")
    date_from: date | None = Field(None, description="Default: today")
    date_to: date | None = Field(
        None, description="Default: two days after date_from; at most 31 days after it (400 otherwise)"
    )


@router.get("/flights", response=list[FlightSummaryOut], summary="A post's flights and their list counts")
def flight_list(request: HttpRequest, filters: Query[FlightFilters]) -> list[FlightSummaryOut]:
    start = filters.date_from or timezone.localdate()
    selectors.check_period(date_from=start, date_to=filters.date_to or start, max_days=31)
    end = filters.date_to or start + timedelta(days=2)
    rows = selectors.flights_for_post(
        user=request.user,
        post_code=filters.post.upper(),
        start=selectors.start_of_day(start),
        end=selectors.start_of_day(end + timedelta(days=1)),
    )
    return [
        FlightSummaryOut(
            flight=_flight_out(row.flight),
            passengers=row.passengers,
            crew=row.crew,
            presented=row.presented,
            hits_open=row.hits_open,
            not_screened=row.not_screened,
            versions=row.versions,
            processed=row.processed,
        )
        for row in rows
    ]


class ManifestDocumentOut(Schema):
    type: str
    number: str
    issuing_state: str
    expiry_date: date | None


class PersonOut(Schema):
    id: uuid.UUID
    role: str
    surname: str
    given_names: str
    sex: str
    birth_date: date | None
    nationality: str
    documents: list[ManifestDocumentOut]
    booking_references: list[str]
    seat: str
    screening_status: str
    hits: int
    crossing: uuid.UUID | None


class ListOut(Schema):
    id: uuid.UUID
    list_type: str
    version: int
    current: bool
    received_at: datetime
    persons: int
    added: int | None
    removed: int | None
    changed: int | None


class FlightDetailOut(Schema):
    flight: FlightOut
    lists: list[ListOut]
    persons: list[PersonOut] = Field(..., description="one page of the people on the current lists")
    persons_total: int = Field(..., description="people on the current lists (of the kind asked for)")
    page: int
    pages: int
    stage: str = Field(
        ...,
        description="expected (not landed yet), landed (travellers presenting), processed (3 hours after "
        "landing: who has not presented did not)",
    )
    not_presented: list[uuid.UUID] = Field(
        ..., description="once the flight is processed, people on its lists with no crossing linked; else []"
    )
    not_yet_presented: list[uuid.UUID] = Field(
        ..., description="while the flight is landed but not processed, people who have not presented yet"
    )
    not_on_list: list[uuid.UUID] = Field(..., description="crossings naming the flight, not on its lists")
    processed: bool
    warnings: list[dict[str, Any]]


class FlightDetailQuery(Schema):
    page: int = Field(1, description="page of people (400 when there is no such page)")
    page_size: int = Field(selectors.PEOPLE_PER_PAGE, description="people per page, 1 to 500")
    people: str = Field("all", description="all, presented or not_presented")


def _person_out(person: Any) -> PersonOut:
    return PersonOut(
        id=person.pk,
        role=person.role,
        surname=person.surname,
        given_names=person.given_names,
        sex=person.sex,
        birth_date=person.birth_date,
        nationality=person.nationality,
        documents=[
            ManifestDocumentOut(
                type=d.document_type,
                number=d.number,
                issuing_state=d.issuing_state,
                expiry_date=d.expiry_date,
            )
            for d in person.documents.all()
        ],
        booking_references=person.booking_references,
        seat=person.seat,
        screening_status=person.screening_status,
        hits=len(person.hits),
        crossing=person.crossing_id,
    )


@router.get(
    "/flights/{flight_id}", response=FlightDetailOut, summary="A flight: lists, people, reconciliation"
)
def flight_detail(
    request: HttpRequest, flight_id: uuid.UUID, query: Query[FlightDetailQuery]
) -> FlightDetailOut:
    detail = selectors.flight_detail(
        user=request.user,
        flight_id=flight_id,
        purpose="api",
        page=query.page,
        per_page=query.page_size,
        people=query.people,
    )
    people = detail.people
    return FlightDetailOut(
        flight=_flight_out(detail.flight),
        lists=[
            ListOut(
                id=item.pk,
                list_type=item.list_type,
                version=item.version,
                current=item.is_current,
                received_at=item.received_at,
                persons=item.person_count,
                added=item.added_count,
                removed=item.removed_count,
                changed=item.changed_count,
            )
            for item in detail.lists
        ],
        persons=[_person_out(person) for person in people.object_list],
        persons_total=people.paginator.count,
        page=people.number,
        pages=people.paginator.num_pages,
        stage=detail.reconciliation.stage,
        not_presented=[person.pk for person in detail.reconciliation.not_presented],
        not_yet_presented=[person.pk for person in detail.reconciliation.awaited],
        not_on_list=[crossing.pk for crossing in detail.reconciliation.not_on_list],
        processed=detail.reconciliation.processed,
        warnings=detail.warnings,
    )


class CoverageFilters(Schema):
    post: str | None = Field(None, max_length=10)
    date_from: date
    date_to: date


class CoverageRowOut(Schema):
    carrier: str = Field(..., description='"" when the flight is not known')
    arrivals: int
    on_list: int
    share: float | None


class CoverageOut(Schema):
    post: str | None
    date_from: date
    date_to: date
    carriers: list[CoverageRowOut]
    total: CoverageRowOut


@router.get(
    "/coverage", response=CoverageOut, summary="API coverage: share of air arrivals on a list, by carrier"
)
def coverage(request: HttpRequest, filters: Query[CoverageFilters]) -> CoverageOut:
    result = selectors.api_coverage(
        user=request.user,
        post=filters.post.upper() if filters.post else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )

    def row(item: selectors.CoverageRow) -> CoverageRowOut:
        return CoverageRowOut(
            carrier=item.carrier, arrivals=item.arrivals, on_list=item.on_list, share=item.share
        )

    return CoverageOut(
        post=result.post,
        date_from=result.date_from,
        date_to=result.date_to,
        carriers=[row(item) for item in result.rows],
        total=row(result.total),
    )
