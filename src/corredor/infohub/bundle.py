"""The content bundle: what central publishes for the public hub, signed, and how the hub checks it.

On the wire a bundle is one JSON object:

    {"format": "corredor-hub-bundle", "version": 1,
     "signature": "hmac-sha256:<hex>",      # over the exact bytes of `payload`
     "payload": "<the content as a JSON text>"}

The payload is kept as text so that the signature covers exactly the bytes that were signed, with no
canonical form to agree on. It holds `sequence`, `published_at`, `country` and `content` (stay rules,
guide topics, services, alerts, remittance prices; see `BundleContent`). A hub loads a bundle only if the
signature is right, the payload is valid in every field and its sequence is newer than the one loaded;
otherwise nothing is changed.
"""

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corredor.core.errors import ApplicationError

FORMAT = "corredor-hub-bundle"
VERSION = 1
DECIMAL = r"^-?[0-9]{1,9}(\.[0-9]{1,3})?$"
LanguageTexts = dict[Literal["es", "en", "fr", "ht", "pt"], str]


class BundleError(ApplicationError):
    """A bundle that cannot be loaded: forged, damaged, invalid or older than the one loaded."""


def bundle_key() -> bytes:
    """The signing key. A deployment (its own SECRET_KEY) refuses the development key: anyone can read it."""
    key = settings.CORREDOR_HUB_BUNDLE_KEY
    in_deployment = settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY and not settings.DEBUG
    if key == settings.DEVELOPMENT_HUB_BUNDLE_KEY and in_deployment:
        raise BundleError(
            _(
                "CORREDOR_HUB_BUNDLE_KEY is the development key: anyone could forge a bundle with it. Set "
                "the same secret value on central and on the hub (see docs/infohub.md)."
            )
        )
    return str(key).encode()


def sign(payload: bytes) -> str:
    return "hmac-sha256:" + hmac.new(bundle_key(), payload, hashlib.sha256).hexdigest()


def envelope(payload: bytes) -> bytes:
    """The bundle as written to a file or sent over HTTP."""
    return json.dumps(
        {"format": FORMAT, "version": VERSION, "signature": sign(payload), "payload": payload.decode()},
        ensure_ascii=False,
        indent=0,
    ).encode()


# --- the payload's shape (every field checked before anything is written) ---------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BundleCategory(_Strict):
    code: str = Field(min_length=1, max_length=30)
    names: dict[str, str]
    default_days: int = Field(ge=0)
    open_ended: bool


class BundleArea(_Strict):
    code: str = Field(min_length=1, max_length=20)
    names: dict[str, str]
    members: list[str]


class BundleRule(_Strict):
    id: int
    name: str
    category: str | None
    nationality: str | None
    nationality_area: str | None
    days_per_entry: int = Field(gt=0)
    window_days: int | None = Field(default=None, gt=0)
    window_length: int | None = Field(default=None, gt=0)
    common_area: str | None
    active: bool = True


class BundlePost(_Strict):
    code: str = Field(min_length=1, max_length=10)
    kind: Literal["airport", "land", "seaport"]
    names: dict[str, str]
    neighbour: str | None
    location: tuple[float, float] | None


class BundleMinors(_Strict):
    age_of_majority: int = Field(ge=1, le=30)
    minor_exit_permit: bool
    expired_document: str


class BundleVisa(_Strict):
    visa_required: bool
    note: LanguageTexts = {}


class BundleRules(_Strict):
    country: str = Field(min_length=1, max_length=3)
    categories: list[BundleCategory] = Field(min_length=1)
    areas: list[BundleArea]
    rules: list[BundleRule]
    posts: list[BundlePost]
    minors: BundleMinors
    visa: dict[str, BundleVisa]


class BundleTopic(_Strict):
    slug: str = Field(min_length=1, max_length=40, pattern=r"^[-a-z0-9_]+$")
    sort_order: int = Field(ge=0)
    title: LanguageTexts
    body: LanguageTexts


class BundleService(_Strict):
    id: str = Field(min_length=32, max_length=36)
    kind: Literal["shelter", "consulate", "health", "legal_aid", "migration_office", "information"]
    name: str = Field(min_length=1, max_length=200)
    description: LanguageTexts
    city: str = Field(min_length=1, max_length=100)
    near_post: str = Field(max_length=10)
    address: str = Field(max_length=300)
    phone: str = Field(max_length=60)
    hours: str = Field(max_length=200)
    languages: list[Literal["es", "en", "fr", "ht", "pt"]]
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class BundleAlert(_Strict):
    id: str = Field(min_length=32, max_length=36)
    kind: Literal["weather", "closure", "scam", "other"]
    area: str = Field(min_length=1, max_length=200)
    title: LanguageTexts
    body: LanguageTexts
    starts_at: datetime
    expires_at: datetime


class BundleRemittance(_Strict):
    period: str = Field(max_length=10)
    source_country: str = Field(min_length=3, max_length=3)
    destination_country: str = Field(min_length=3, max_length=3)
    provider: str = Field(min_length=1, max_length=200)
    provider_type: str = Field(max_length=60)
    product: str = Field(max_length=200)
    speed: str = Field(max_length=60)
    amount_usd: str = Field(pattern=DECIMAL)
    fee: str = Field(pattern=DECIMAL)
    fx_margin: str = Field(pattern=DECIMAL)
    total_cost: str = Field(pattern=DECIMAL)


class BundleContent(_Strict):
    rules: BundleRules
    topics: list[BundleTopic]
    services: list[BundleService]
    alerts: list[BundleAlert]
    remittances: list[BundleRemittance]


class BundlePayload(_Strict):
    sequence: int = Field(gt=0)
    published_at: datetime
    country: str = Field(min_length=1, max_length=3)
    content: BundleContent


def _located(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"]}
        for item in error.errors()[:20]
    ]


def open_bundle(raw: bytes) -> tuple[BundlePayload, bytes]:
    """Check a bundle as received and return its payload; a `BundleError` says what is wrong and where."""
    if len(raw) > settings.CORREDOR_HUB_BUNDLE_MAX_BYTES:
        raise BundleError(_("The bundle is larger than CORREDOR_HUB_BUNDLE_MAX_BYTES."), status=413)
    try:
        outer = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleError(_("The bundle is not JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise BundleError(_("This is not a Corredor hub bundle (no format %(format)s).") % {"format": FORMAT})
    if outer.get("version") != VERSION:
        raise BundleError(
            _("Bundle version %(found)s is not one this hub reads (it reads %(ours)s).")
            % {"found": outer.get("version"), "ours": VERSION}
        )
    payload, signature = outer.get("payload"), outer.get("signature")
    if not isinstance(payload, str) or not isinstance(signature, str):
        raise BundleError(_("The bundle has no payload or no signature."))
    payload_bytes = payload.encode()
    if not hmac.compare_digest(sign(payload_bytes), signature):
        raise BundleError(
            _(
                "The bundle's signature is wrong: it was changed after it was signed, or signed with another "
                "key. Nothing was loaded."
            ),
            status=403,
        )
    try:
        parsed = BundlePayload.model_validate_json(payload_bytes)
    except ValidationError as exc:
        raise BundleError(
            _("The bundle's content is not valid. Nothing was loaded."), detail=_located(exc)
        ) from exc
    return parsed, payload_bytes


def payload_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()
