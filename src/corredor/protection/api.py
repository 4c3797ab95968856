"""Protection: the API's router (mounted at /api/v1/protection/).

Caseworkers list and read their cases and record what was done; the receiving agency answers referrals;
officers see the referrals they made (status only) and record an assisted return's departure. Every read is
audited by its selector; every refusal by the API's boundary."""

import uuid
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from corredor.core.schemas import StrictSchema
from corredor.protection import selectors, services
from corredor.protection.models import Case, Transition

router = Router(tags=["protection"])


class ProtectionCaseListQuery(StrictSchema):
    scope: Literal["mine", "team", "agency"] = "mine"
    status: Literal["referred", "open", "closed", "all"] = "open"
    names: bool = Field(False, description="Show names (the reading is audited as such)")
    page: int = Field(1, ge=1, le=100000)


class ProtectionCaseRowOut(Schema):
    id: uuid.UUID
    reference: str
    name: str = Field(..., description="Hidden (•••) unless names=true")
    kind: str
    status: str
    risk: str
    sex: str
    age_group: str
    nationality: str
    updated_at: datetime


class ProtectionCaseListOut(Schema):
    page: int
    has_next: bool
    cases: list[ProtectionCaseRowOut]


class ProtectionCaseEventOut(Schema):
    kind: str
    at: datetime
    by: str
    text: str
    service: str


class ProtectionTaskOut(Schema):
    id: uuid.UUID
    title: str
    due_on: date
    done: bool


class ProtectionTransitionOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    case_reference: str
    created_at: datetime
    from_post: str | None
    to_provider: str | None
    service: str
    consent_given: bool
    consent_data: list[str]
    response_note: str


class ProtectionCaseOut(Schema):
    id: uuid.UUID
    reference: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    kind: str
    status: str
    risk: str
    agency: str | None
    caseworker: str | None
    indicators: list[str]
    events: list[ProtectionCaseEventOut]
    tasks: list[ProtectionTaskOut]
    transitions: list[ProtectionTransitionOut]
    avrr_status: str | None


class ProtectionCaseEventIn(StrictSchema):
    kind: Literal["assessment", "plan", "service", "follow_up", "note"]
    text: str = Field(..., min_length=1, max_length=10000)
    service: str = Field("", max_length=30)


class ProtectionCaseRegisterIn(StrictSchema):
    surname: str = Field(..., min_length=1, max_length=120)
    given_names: str = Field("", max_length=120)
    birth_date: date | None = None
    sex: Literal["M", "F", "X"] = "X"
    nationality: str = Field(..., min_length=1, max_length=3, description="ICAO code")
    kind: Literal["child_protection", "trafficking", "gbv", "protection", "avrr"]
    note: str = Field("", max_length=10000)


class ProtectionCaseCloseIn(StrictSchema):
    reason: str = Field(..., max_length=2000)


class ProtectionAnswerIn(StrictSchema):
    answer: Literal["accept", "reject", "revoke", "done", "withdraw"]
    note: str = Field("", max_length=2000)


class ProtectionInboxQuery(StrictSchema):
    status: Literal["in_progress", "accepted", "rejected", "done", "revoked", "all"] = "in_progress"


class ProtectionDepartureIn(StrictSchema):
    crossing_id: uuid.UUID | None = Field(
        None, description="Made by the client: sending it twice records once"
    )


class ProtectionDepartureOut(Schema):
    crossing_id: uuid.UUID
    traveller_id: uuid.UUID
    post: str
    occurred_at: datetime


def _transition_out(t: Transition) -> ProtectionTransitionOut:
    return ProtectionTransitionOut(
        id=t.pk,
        kind=t.kind,
        status=t.status,
        case_reference=t.case.reference,
        created_at=t.created_at,
        from_post=t.from_post_id,
        to_provider=t.to_provider.name if t.to_provider else None,
        service=t.service,
        consent_given=t.consent_given,
        consent_data=list(t.consent_data),
        response_note=t.response_note,
    )


def _case_out(case: Case, view: selectors.CaseView) -> ProtectionCaseOut:
    return ProtectionCaseOut(
        id=case.pk,
        reference=case.reference,
        surname=case.surname,
        given_names=case.given_names,
        birth_date=case.birth_date,
        sex=case.sex,
        nationality=case.nationality_id,
        kind=case.kind,
        status=case.status,
        risk=case.risk,
        agency=case.provider.name if case.provider else None,
        caseworker=case.assigned_to.get_username() if case.assigned_to else None,
        indicators=list(case.indicators),
        events=[
            ProtectionCaseEventOut(
                kind=e.kind, at=e.at, by=e.by.get_username() if e.by else "", text=e.text, service=e.service
            )
            for e in view.events
        ],
        tasks=[
            ProtectionTaskOut(id=t.pk, title=t.title, due_on=t.due_on, done=t.done_at is not None)
            for t in view.tasks
        ],
        transitions=[_transition_out(t) for t in view.transitions],
        avrr_status=view.avrr.status if view.avrr else None,
    )


@router.get(
    "/cases", response=ProtectionCaseListOut, summary="My cases, my team's, or my agency's (names hidden)"
)
def case_list(request: HttpRequest, filters: Query[ProtectionCaseListQuery]) -> ProtectionCaseListOut:
    page = selectors.cases_list(
        user=request.user, scope=filters.scope, status=filters.status, names=filters.names, page=filters.page
    )
    return ProtectionCaseListOut(
        page=page.page,
        has_next=page.has_next,
        cases=[
            ProtectionCaseRowOut(
                id=r.case.pk,
                reference=r.case.reference,
                name=r.name,
                kind=r.case.kind,
                status=r.case.status,
                risk=r.case.risk,
                sex=r.case.sex,
                age_group=r.age_group,
                nationality=r.case.nationality_id,
                updated_at=r.case.updated_at,
            )
            for r in page.rows
        ],
    )


@router.post("/cases", response={201: ProtectionCaseOut}, summary="Register a case (a walk-in, a call)")
def case_register(request: HttpRequest, payload: ProtectionCaseRegisterIn) -> tuple[int, ProtectionCaseOut]:
    case = services.case_register(user=request.user, **payload.dict())
    view = selectors.case_get(user=request.user, case_id=case.pk)
    return 201, _case_out(view.case, view)


@router.get("/cases/{case_id}", response=ProtectionCaseOut, summary="One case (its caseworker and agency)")
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> ProtectionCaseOut:
    view = selectors.case_get(user=request.user, case_id=case_id)
    return _case_out(view.case, view)


@router.post(
    "/cases/{case_id}/events",
    response={201: ProtectionCaseEventOut},
    summary="Record an assessment, plan ...",
)
def case_event(
    request: HttpRequest, case_id: uuid.UUID, payload: ProtectionCaseEventIn
) -> tuple[int, ProtectionCaseEventOut]:
    event = services.case_event_add(
        user=request.user, case_id=case_id, kind=payload.kind, text=payload.text, service=payload.service
    )
    return 201, ProtectionCaseEventOut(
        kind=event.kind, at=event.at, by=request.user.get_username(), text=event.text, service=event.service
    )


@router.post("/cases/{case_id}/closure", response=ProtectionCaseOut, summary="Close a case")
def case_close(request: HttpRequest, case_id: uuid.UUID, payload: ProtectionCaseCloseIn) -> ProtectionCaseOut:
    services.case_close(user=request.user, case_id=case_id, reason=payload.reason)
    view = selectors.case_get(user=request.user, case_id=case_id)
    return _case_out(view.case, view)


@router.get(
    "/referrals/shared",
    response=list[ProtectionTransitionOut],
    summary="Shared with me: referrals to my agency",
)
def referrals_shared(
    request: HttpRequest, filters: Query[ProtectionInboxQuery]
) -> list[ProtectionTransitionOut]:
    return [_transition_out(t) for t in selectors.transitions_inbox(user=request.user, status=filters.status)]


@router.get(
    "/referrals/made", response=list[ProtectionTransitionOut], summary="Referrals I made at the desk (status)"
)
def referrals_made(request: HttpRequest) -> list[ProtectionTransitionOut]:
    return [_transition_out(t) for t in selectors.referrals_made(user=request.user)]


@router.get(
    "/referrals/{transition_id}",
    response=ProtectionTransitionOut,
    summary="One referral, transfer or assignment",
)
def referral_detail(request: HttpRequest, transition_id: uuid.UUID) -> ProtectionTransitionOut:
    return _transition_out(
        selectors.transition_get(user=request.user, transition_id=transition_id).transition
    )


@router.post(
    "/referrals/{transition_id}/answer",
    response=ProtectionTransitionOut,
    summary="Accept, decline, revoke, done",
)
def referral_answer(
    request: HttpRequest, transition_id: uuid.UUID, payload: ProtectionAnswerIn
) -> ProtectionTransitionOut:
    act = {
        "accept": lambda: services.transition_accept(
            user=request.user, transition_id=transition_id, note=payload.note
        ),
        "reject": lambda: services.transition_reject(
            user=request.user, transition_id=transition_id, reason=payload.note
        ),
        "revoke": lambda: services.transition_revoke(
            user=request.user, transition_id=transition_id, reason=payload.note
        ),
        "withdraw": lambda: services.consent_withdraw(
            user=request.user, transition_id=transition_id, note=payload.note
        ),
        "done": lambda: services.transition_done(
            user=request.user, transition_id=transition_id, note=payload.note
        ),
    }[payload.answer]
    return _transition_out(act())


@router.post(
    "/returns/{avrr_id}/departure",
    response={201: ProtectionDepartureOut},
    summary="Record a return's departure (officers)",
)
def return_departure(
    request: HttpRequest, avrr_id: uuid.UUID, payload: ProtectionDepartureIn
) -> tuple[int, ProtectionDepartureOut]:
    crossing = services.avrr_depart(officer=request.user, avrr_id=avrr_id, crossing_id=payload.crossing_id)
    return 201, ProtectionDepartureOut(
        crossing_id=crossing.pk,
        traveller_id=crossing.traveller_id,
        post=crossing.post_id,
        occurred_at=crossing.occurred_at,
    )
