"""Sync: the API's router (mounted at /api/v1/sync/), central's side. A post enrols with a one-time code,
then signs every request with its device key (see `signing`): push a batch of its records, pull the feed,
and, while the link is up, ask for a traveller's national history for an officer at its desk."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from corredor.core.errors import ApplicationError, NotFound
from corredor.core.schemas import StrictBulkIn, StrictSchema
from corredor.sync import selectors, services, signing
from corredor.sync.models import Device

router = Router(tags=["sync"])


def _central_only() -> None:
    if settings.CORREDOR_MODE != "central":
        raise NotFound(_("Only central answers sync requests."))


class DeviceSignature:
    """The device that signed the request (HMAC-SHA256 with its key); an unknown or revoked device or a bad
    signature is answered 401 and audited."""

    def __call__(self, request: HttpRequest) -> Device | None:
        _central_only()
        device = services.device_authenticate(
            device_id=request.headers.get(signing.DEVICE_HEADER, ""),
            timestamp=request.headers.get(signing.TIME_HEADER, ""),
            given=request.headers.get(signing.SIGNATURE_HEADER, ""),
            method=request.method or "GET",
            path=request.get_full_path(),
            body=request.body,
        )
        request.sync_device = device  # type: ignore[attr-defined]
        return device


class SyncEnrolIn(StrictSchema):
    code: str = Field(..., max_length=40, description="The one-time code from `corredor device code`")


class SyncEnrolOut(Schema):
    device_id: str
    post_code: str
    key: str = Field(..., description="The device's signing key: shown once, kept by the post")


@router.post("/enrol", response=SyncEnrolOut, auth=None, summary="Enrol a post's installation")
def enrol(request: HttpRequest, payload: SyncEnrolIn) -> dict[str, Any]:
    _central_only()
    device = services.device_enrol(code=payload.code)
    return {"device_id": device.id, "post_code": device.post_id, "key": device.key}


class SyncRecordIn(StrictBulkIn):
    model: str = Field(..., max_length=100)
    pk: str = Field(..., max_length=64)
    payload: dict[str, Any]


class SyncPushIn(StrictBulkIn):
    batch_id: str = Field(..., max_length=64)
    pending: int = Field(0, ge=0, description="Records waiting at the post, this batch included")
    oldest_pending_at: str = Field("", max_length=40)
    records: list[SyncRecordIn]


class SyncPushOut(Schema):
    batch_id: str
    stored: int
    updated: int
    duplicates: int
    conflicts: int
    purged: int


@router.post(
    "/push", response=SyncPushOut, auth=DeviceSignature(), summary="Push a batch of a post's records"
)
def push(request: HttpRequest, payload: SyncPushIn) -> dict[str, Any]:
    result = services.batch_ingest(
        device=request.sync_device,  # type: ignore[attr-defined]
        records=[r.model_dump() for r in payload.records],
        pending=payload.pending,
        oldest_pending=payload.oldest_pending_at,
    )
    return {
        "batch_id": payload.batch_id,
        "stored": result.stored,
        "updated": result.updated,
        "duplicates": result.duplicates,
        "conflicts": result.conflicts,
        "purged": result.purged,
    }


class SyncFeedEntryOut(Schema):
    sequence: int
    model: str
    pk: str
    payload: dict[str, Any] | None


class SyncFeedOut(Schema):
    entries: list[SyncFeedEntryOut]
    last_sequence: int
    more: bool
    as_of: str | None


@router.get("/feed", response=SyncFeedOut, auth=DeviceSignature(), summary="Pull the feed after a sequence")
def feed(request: HttpRequest, after: int = 0, limit: int = 1000) -> dict[str, Any]:
    return services.feed_page(device=request.sync_device, after=after, limit=limit)  # type: ignore[attr-defined]


class SyncHistoryIn(StrictSchema):
    user: str = Field(..., max_length=150, description="The officer at the post's desk who asks")
    issuing_state: str = Field("", max_length=3)
    number: str = Field("", max_length=40, description="The document's number, as read")
    traveller_id: str = Field("", max_length=64, description="Or the traveller's id")


class SyncHistoryCrossingOut(Schema):
    id: str
    occurred_at: str
    post: str
    direction: str
    decision: str
    stay_category: str = ""
    authorised_until: str | None = None
    corrected: bool = False


class SyncHistoryOut(Schema):
    found: bool
    traveller_id: str | None = None
    in_country: bool = False
    authorised_until: str | None = None
    overstay_days: int = 0
    last_crossing: SyncHistoryCrossingOut | None = None
    crossings: list[SyncHistoryCrossingOut] = []
    hidden_crossings: int = Field(0, description="Crossings at posts the officer does not work for: counted")
    as_of: str


@router.post(
    "/history",
    response=SyncHistoryOut,
    auth=DeviceSignature(),
    summary="A traveller's national history, for an officer at the device's post",
)
def history(request: HttpRequest, payload: SyncHistoryIn) -> dict[str, Any]:
    """Central answers as the officer (who must work at the device's post): their role is checked and the
    read is audited. A POST, so that the document number stays out of URLs and their logs."""
    if not (payload.traveller_id or (payload.issuing_state and payload.number)):
        raise ApplicationError(
            _("Give the document (issuing state and number) or the traveller's id."),
            detail={"fields": ["issuing_state", "number", "traveller_id"]},
        )
    answer = selectors.national_history(
        device=request.sync_device,  # type: ignore[attr-defined]
        username=payload.user,
        issuing_state=payload.issuing_state.upper(),
        number=payload.number,
        traveller_id=payload.traveller_id,
    )
    return {**answer, "as_of": timezone.now().isoformat()}
