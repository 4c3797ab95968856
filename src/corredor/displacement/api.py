"""Displacement: the API's router (mounted at /api/v1/displacement/).

`POST /submissions` takes what the offline collection form queued on a device (an area or site assessment,
a day's flow counts) once the link is back; the device's `client_uuid` makes a resend harmless. The rest
reads aggregates: events and their rounds with the round-to-round change.
"""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from corredor.core.errors import ApplicationError, NotFound
from corredor.core.schemas import StrictSchema
from corredor.displacement import selectors, services
from corredor.displacement.models import FlowMonitoringPoint

router = Router(tags=["displacement"])


class DisplacementCountsIn(StrictSchema):
    households: int = Field(0, ge=0, le=10_000_000)
    females_children: int = Field(0, ge=0, le=10_000_000)
    females_adults: int = Field(0, ge=0, le=10_000_000)
    females_elderly: int = Field(0, ge=0, le=10_000_000)
    males_children: int = Field(0, ge=0, le=10_000_000)
    males_adults: int = Field(0, ge=0, le=10_000_000)
    males_elderly: int = Field(0, ge=0, le=10_000_000)


class DisplacementFlowCellIn(StrictSchema):
    direction: Literal["incoming", "outgoing"]
    sex: Literal["F", "M"]
    age_group: Literal["children", "adults", "elderly"]
    nationality: str = Field(..., min_length=3, max_length=3)
    transport: Literal["foot", "bus", "car", "boat", "other"]
    previous_location: str = Field("", max_length=200)
    next_location: str = Field("", max_length=200)
    people: int = Field(..., ge=0, le=10_000_000)


class DisplacementSubmissionIn(StrictSchema):
    kind: Literal["area_assessment", "site_assessment", "flow_counts"]
    client_uuid: uuid.UUID = Field(
        ..., description="Made on the device: the same submission sent again is stored once"
    )
    event: str = Field(..., max_length=80, description="The event's code")
    collected_at: datetime | None = None
    round: int | None = Field(None, ge=0, le=100_000, description="Assessments: the round's number")
    area_pcode: str = Field("", max_length=20)
    reason: str = Field("natural_disaster", max_length=20)
    shelter_type: str = Field("site", max_length=20)
    origin_pcode: str = Field("", max_length=20)
    site_code: str = Field("", max_length=40)
    point_code: str = Field("", max_length=40)
    counted_on: date | None = None
    counts: DisplacementCountsIn | None = None
    needs: dict[str, int] = Field(default_factory=dict, max_length=20)
    cells: list[DisplacementFlowCellIn] = Field(default_factory=list, max_length=500)


class DisplacementSubmissionOut(Schema):
    kind: str
    client_uuid: uuid.UUID
    stored: int


@router.post("/submissions", response={200: DisplacementSubmissionOut}, url_name="displacement_submission")
def submission(request: HttpRequest, payload: DisplacementSubmissionIn) -> dict[str, Any]:
    """Store one queued submission from the offline form (idempotent by `client_uuid`)."""
    user = request.user
    from corredor.displacement import permissions

    permissions.permit_collect(user)
    event = selectors.event_get(user=user, code=payload.event)
    if payload.kind == "flow_counts":
        point = FlowMonitoringPoint.objects.filter(event=event, code=payload.point_code).first()
        if point is None or payload.counted_on is None:
            raise ApplicationError(
                "A flow count needs its point and day.",
                detail=[{"field": "point_code", "message": payload.point_code}],
            )
        stored = services.flow_counts_submit(
            user=user,
            point=point,
            counted_on=payload.counted_on,
            cells=[c.model_dump() for c in payload.cells],
            client_uuid=payload.client_uuid,
        )
        return {"kind": payload.kind, "client_uuid": payload.client_uuid, "stored": len(stored)}
    if payload.round is None:
        raise ApplicationError(
            "An assessment needs its round.", detail=[{"field": "round", "message": "missing"}]
        )
    round = selectors.round_get(event=event, number=payload.round)
    counts = payload.counts.model_dump() if payload.counts else {}
    if payload.kind == "area_assessment":
        services.area_assessment_submit(
            user=user,
            round=round,
            area_pcode=payload.area_pcode,
            reason=payload.reason,
            shelter_type=payload.shelter_type,
            counts=counts,
            origin_pcode=payload.origin_pcode,
            client_uuid=payload.client_uuid,
            collected_at=payload.collected_at,
        )
    else:
        site = event.sites.filter(code=payload.site_code).first()
        if site is None:
            raise NotFound("No such site.", detail=[{"field": "site_code", "message": payload.site_code}])
        services.site_assessment_submit(
            user=user,
            round=round,
            site=site,
            counts=counts,
            needs=payload.needs,
            client_uuid=payload.client_uuid,
            collected_at=payload.collected_at,
        )
    return {"kind": payload.kind, "client_uuid": payload.client_uuid, "stored": 1}


class DisplacementRoundOut(Schema):
    number: int
    reporting_date: date
    individuals: int
    females: int | None
    males: int | None
    change: int | None
    change_percent: float | None


class DisplacementEventOut(Schema):
    code: str
    name: str
    kind: str
    country_code: str
    source: str
    started_on: date
    rounds: list[DisplacementRoundOut]


@router.get("/events", response=list[DisplacementEventOut], url_name="displacement_events")
def events(request: HttpRequest) -> list[dict[str, Any]]:
    """Events with each round's displaced individuals and the change since the round before (aggregates)."""
    user = request.user
    answer = []
    for event in selectors.events_list(user=user):
        figures = selectors.rounds_figures(user=user, event=event)
        answer.append(
            {
                "code": event.code,
                "name": event.name,
                "kind": event.kind,
                "country_code": event.country_code,
                "source": event.source,
                "started_on": event.started_on,
                "rounds": [f.__dict__ for f in figures],
            }
        )
    return answer
