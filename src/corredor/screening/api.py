"""Screening API: check a traveller (officers), hits and their adjudication (supervisors), watchlists and
imports (watchlist managers)."""

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError
from corredor.core.permissions import permit_personal_data
from corredor.core.schemas import StrictSchema
from corredor.icao.resolve import country_code
from corredor.matching.attributes import read_birth_date, read_nationality, read_sex
from corredor.matching.records import Name, Traveller
from corredor.screening import selectors, services
from corredor.screening.models import Hit, Source
from corredor.screening.wording import match_kind_text, reasons_as_text

router = Router(tags=["screening"])


class CheckIn(StrictSchema):
    surname: str = Field("", max_length=200)
    given_names: str = Field("", max_length=200)
    full_name: str = Field("", max_length=300, description="When surname and given names are not apart")
    birth_date: str = Field(
        "", max_length=40, description="YYYY, YYYY-MM or YYYY-MM-DD (also 1969-7-16); unusable: ignored"
    )
    nationality: str = Field(
        "", max_length=100, description="A code or a country's name; an unknown one is ignored with a warning"
    )
    sex: str = Field("", max_length=10, description="M, F or X; anything else is ignored with a warning")
    document_number: str = Field("", max_length=40)
    issuing_state: str = Field("", max_length=3)


class ClearanceOut(Schema):
    verdict: str
    by: str
    at: datetime
    reason: str


class MatchOut(Schema):
    kind: Literal["person", "document"]
    alert_id: int
    watchlist: str
    entry_id: str
    listed: str = Field(..., description="The listed name, or the document as listed")
    category: str = Field("", description="Person alerts: wanted, refused_entry, missing_child ...")
    protective: bool = False
    reason: str = Field("", description="Document alerts: lost, stolen, revoked, invalid")
    score: float
    match: str = Field("", description="Document alerts: exact, ocr or typo")
    reasons: list[str]
    action: str
    note: str
    blocking: bool = Field(..., description="Stops an admitted entry until a supervisor adjudicates")
    cleared: ClearanceOut | None = None
    confirmed: ClearanceOut | None = None


class CheckOut(Schema):
    outcome: Literal["clear", "hit", "cleared"]
    warnings: list[str] = Field(
        default_factory=list,
        description="Attributes that could not be used and were ignored (the name was still screened)",
    )
    hits: list[MatchOut] = Field(..., description="Matches that stand, best first")
    cleared: list[MatchOut] = Field(..., description="Matches a supervisor cleared for this identity before")


def _clearance(adjudication: selectors.Adjudication | None) -> ClearanceOut | None:
    if adjudication is None:
        return None
    return ClearanceOut(
        verdict=adjudication.verdict, by=adjudication.by, at=adjudication.at, reason=adjudication.reason
    )


def _match_out(match: selectors.PersonMatch | selectors.DocumentMatch) -> MatchOut:
    alert = match.alert
    common: dict[str, Any] = {
        "alert_id": alert.pk,
        "watchlist": alert.watchlist.code,
        "entry_id": alert.external_id,
        "score": round(match.hit.score, 4),
        "reasons": reasons_as_text(match.hit.reasons),
        "note": alert.note,
        "blocking": match.blocks("entry"),
        "cleared": _clearance(match.cleared),
        "confirmed": _clearance(match.confirmed),
    }
    if isinstance(match, selectors.PersonMatch):
        return MatchOut(
            kind="person",
            listed=match.alert.display_name,
            category=match.alert.category,
            protective=match.alert.protective,
            action=match.alert.officer_action,
            **common,
        )
    return MatchOut(
        kind="document",
        listed=f"{match.alert.issuing_state} {match.alert.number}",
        reason=match.alert.reason,
        match=match.hit.kind,
        action=match_kind_text(match.hit.kind),
        **common,
    )


@router.post("/check", response=CheckOut, summary="Screen a traveller (writes no hit)")
def check(request: HttpRequest, payload: CheckIn) -> CheckOut:
    permit_personal_data(request.user)
    if not (payload.surname or payload.full_name or payload.document_number):
        raise ApplicationError(_("Give a name or a document number to screen."))
    # Attributes fail open: an unusable birth date, sex or nationality is ignored with a warning and the
    # name is still screened; nationalities go through the one country resolver.
    birth = read_birth_date(payload.birth_date)
    nationality = read_nationality(payload.nationality)
    sex = read_sex(payload.sex)
    warnings = [r.warning for r in (birth, nationality, sex) if r.warning]
    traveller = Traveller(
        name=Name(full_name=payload.full_name, surname=payload.surname, given_names=payload.given_names),
        birth_date=birth.value,
        nationality=nationality.value,
        sex=sex.value,
        document_number=payload.document_number,
        issuing_state=country_code(payload.issuing_state) or payload.issuing_state.strip().upper()[:3],
    )
    screening = selectors.screening_run(
        traveller=traveller, post=getattr(request.user, "border_post_id", None)
    )
    audit_write(
        action="read",
        object_type="screening.check",
        object_id=screening.fingerprint[:16],
        summary=f"api check: {screening.outcome}",
    )
    matches: list[selectors.PersonMatch | selectors.DocumentMatch] = [
        *screening.persons,
        *screening.documents,
    ]
    return CheckOut(
        outcome=screening.outcome,  # type: ignore[arg-type]
        warnings=warnings,
        hits=[_match_out(m) for m in matches if m.cleared is None],
        cleared=[_match_out(m) for m in matches if m.cleared is not None],
    )


class HitOut(Schema):
    id: uuid.UUID
    kind: str
    alert_id: int
    alert_version: int
    watchlist: str
    entry_id: str
    listed: str
    category: str
    score: float
    match: str
    reasons: list[str]
    subject: dict[str, str]
    source: str
    source_ref: str
    post: str | None
    crossing_id: uuid.UUID | None
    officer: str | None
    status: str
    adjudicated_by: str | None
    adjudicated_at: datetime | None
    adjudication_reason: str
    verdict_scope: str = Field("", description="post or national; empty while open")
    flight: str | None = Field(None, description="Passenger-list hits: the flight (CM412)")
    flight_expected_at: datetime | None = Field(None, description="Passenger-list hits: expected at the post")
    created_at: datetime


def _hit_out(hit: Hit, flight: selectors.HitFlight | None = None) -> HitOut:
    alert = hit.alert
    person = hit.kind == "person"
    return HitOut(
        flight=flight.designator if flight else None,
        flight_expected_at=flight.expected_at if flight else None,
        id=hit.pk,
        kind=hit.kind,
        alert_id=alert.pk,
        alert_version=hit.alert_version,
        watchlist=alert.watchlist.code,
        entry_id=alert.external_id,
        listed=alert.display_name if person else f"{alert.issuing_state} {alert.number}",
        category=alert.category if person else alert.reason,
        score=hit.score,
        match=hit.match_kind,
        reasons=reasons_as_text(hit.reasons),
        subject=hit.subject,
        source=hit.source,
        source_ref=hit.source_ref,
        post=hit.post_id,
        crossing_id=hit.crossing_id,
        officer=hit.officer.get_username() if hit.officer else None,
        status=hit.status,
        adjudicated_by=hit.adjudicated_by.get_username() if hit.adjudicated_by else None,
        adjudicated_at=hit.adjudicated_at,
        adjudication_reason=hit.adjudication_reason,
        verdict_scope=hit.verdict_scope,
        created_at=hit.created_at,
    )


class HitFilters(Schema):
    status: Literal["open", "adjudicated", "all"] = "open"
    post: str | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class HitPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[HitOut]


@router.get("/hits", response=HitPageOut, summary="Hits at a post (supervisors: their own post)")
def hit_list(request: HttpRequest, filters: Query[HitFilters]) -> HitPageOut:
    hits = selectors.hits_list(
        user=request.user, post=filters.post.upper() if filters.post else None, status=filters.status
    )
    page = list(hits[filters.offset : filters.offset + filters.limit])
    flights = selectors.hit_flights(page)
    return HitPageOut(
        count=hits.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_hit_out(h, flights.get(h.source_ref)) for h in page],
    )


@router.get("/hits/{hit_id}", response=HitOut, summary="One hit")
def hit_detail(request: HttpRequest, hit_id: uuid.UUID) -> HitOut:
    hit = selectors.hit_get(user=request.user, hit_id=hit_id)
    return _hit_out(hit, selectors.hit_flights([hit]).get(hit.source_ref))


class AdjudicationIn(StrictSchema):
    verdict: Literal["true_match", "false_match"]
    reason: str = Field(..., min_length=1, max_length=2000)
    scope: Literal["post", "national"] = Field(
        "post",
        description="Where the verdict holds: the hit's post (default), or every post (administrators only)",
    )


@router.post("/hits/{hit_id}/adjudication", response=HitOut, summary="Adjudicate a hit (supervisors)")
def hit_adjudication(request: HttpRequest, hit_id: uuid.UUID, payload: AdjudicationIn) -> HitOut:
    services.hit_adjudicate(
        user=request.user, hit_id=hit_id, verdict=payload.verdict, reason=payload.reason, scope=payload.scope
    )
    return _hit_out(selectors.hit_get(user=request.user, hit_id=hit_id))


class WatchlistOut(Schema):
    code: str
    name: str
    owner: str
    source: str
    active: bool
    persons: int = 0
    documents: int = 0


class WatchlistIn(StrictSchema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=200)
    owner: str = Field("", max_length=200)
    source: Literal["national", "interpol", "partner"] = Source.NATIONAL.value  # type: ignore[assignment]
    active: bool = True


@router.get("/watchlists", response=list[WatchlistOut], summary="Watchlists (watchlist managers)")
def watchlist_list(request: HttpRequest) -> list[WatchlistOut]:
    return [
        WatchlistOut.model_validate(w, from_attributes=True)
        for w in selectors.watchlists_list(user=request.user)
    ]


@router.post("/watchlists", response={201: WatchlistOut}, summary="Create a watchlist")
def watchlist_create(request: HttpRequest, payload: WatchlistIn) -> Status:
    watchlist = services.watchlist_create(user=request.user, **payload.model_dump())
    return Status(201, WatchlistOut.model_validate(watchlist, from_attributes=True))


class RowErrorOut(Schema):
    line: int | None
    column: str | None
    cell: str
    code: str
    message: str
    value: str


class ImportReportOut(Schema):
    watchlist: str
    filename: str
    kind: str
    mode: str
    ok: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    removed: int
    restored: int
    errors: list[RowErrorOut]
    warnings: list[str]
    flags: list[RowErrorOut] = Field(
        default_factory=list, description="Values kept as written, not used for screening (first 1,000)"
    )
    flagged: int = 0
    seconds: float


@router.post(
    "/watchlists/{code}/imports",
    response={201: ImportReportOut},
    summary="Import a CSV or XLSX file of alerts (all or nothing; 422 with the located errors)",
)
def watchlist_import(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    mode: Form[Literal["full", "incremental"]] = "incremental",
    kind: Form[Literal["persons", "documents", ""]] = "",
    format: Form[Literal["csv", "xlsx", ""]] = "",
    mapping: Form[str] = "",
) -> Status:
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    column_mapping = None
    if mapping.strip():
        try:
            column_mapping = json.loads(mapping)
        except json.JSONDecodeError as error:
            raise ApplicationError(_("The mapping is not valid JSON: %(error)s") % {"error": error}) from None
        if not isinstance(column_mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in column_mapping.items()
        ):
            raise ApplicationError(_('The mapping must be a JSON object {"file column": "our column"}.'))
    report = services.watchlist_import(
        user=request.user,
        watchlist=watchlist,
        data=file.read(),
        filename=file.name or "upload",
        format=format or None,
        mapping=column_mapping,
        mode=mode,
        kind=kind or None,
    )
    if not report.ok:
        raise ApplicationError(
            _("Nothing was imported: the file has %(count)s problems (see detail).")
            % {"count": len(report.errors)},
            detail=report.as_dict(),
            status=422,
        )
    return Status(201, ImportReportOut(**report.as_dict()))
