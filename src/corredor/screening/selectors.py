"""Every read of screening: who may see lists and hits, the lists and their alerts, hits, import jobs, and
screening one traveller (the index lookup and what the database knows of the alerts it found)."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import NotFound
from corredor.core.models import Role
from corredor.matching.documents import normalise_document_number
from corredor.matching.records import DocumentHit, PersonHit, ScreeningResult, Traveller
from corredor.screening import index_cache
from corredor.screening.models import (
    BLOCKING_CATEGORIES,
    Category,
    DocumentAlert,
    Hit,
    HitSource,
    HitStatus,
    ImportJob,
    PersonAlert,
    VerdictScope,
    Watchlist,
    live_alerts,
)
from corredor.screening.permissions import permit_hits, permit_watchlists

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- screening one traveller ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in bare.upper()).split())


def subject_fingerprint(traveller: Traveller) -> str:
    """A hash of the identity screened: names, birth date, nationality, sex and document.

    A clearance holds for the same fingerprint only: when any of these changes, the traveller is screened
    afresh (accents, case and punctuation do not count as a change).
    """
    name = traveller.name
    parts = [
        _fold(name.surname),
        _fold(name.given_names),
        _fold(name.full_name) if not (name.surname or name.given_names) else "",
        str(traveller.birth_date or ""),
        traveller.nationality or "",
        traveller.sex or "",
        _fold(traveller.issuing_state),
        normalise_document_number(traveller.document_number),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def subject_data(traveller: Traveller) -> dict[str, str]:
    """The identity screened, as stored on a hit for the supervisor."""
    name = traveller.name
    return {
        "surname": name.surname,
        "given_names": name.given_names,
        "full_name": name.full_name,
        "birth_date": str(traveller.birth_date or ""),
        "nationality": traveller.nationality or "",
        "sex": traveller.sex or "",
        "document_number": traveller.document_number,
        "issuing_state": traveller.issuing_state,
    }


@dataclass(frozen=True)
class Adjudication:
    """An earlier verdict on the same alert (same version) for the same identity."""

    hit_id: uuid.UUID
    verdict: str
    by: str
    at: datetime
    reason: str


@dataclass
class PersonMatch:
    """A person alert in force that the traveller matched, with any earlier verdict on it."""

    alert: PersonAlert
    hit: PersonHit
    cleared: Adjudication | None = None
    confirmed: Adjudication | None = None

    @property
    def protective(self) -> bool:
        return self.alert.protective

    def blocks(self, direction: str | None) -> bool:
        """Whether this match stops an admitted crossing in `direction` (when not cleared)."""
        if self.cleared is not None or self.alert.category not in BLOCKING_CATEGORIES:
            return False
        return not (self.alert.category == Category.REFUSED_ENTRY and direction == "exit")


@dataclass
class DocumentMatch:
    """A document alert in force that the document matched (exactly or nearly), with any earlier verdict."""

    alert: DocumentAlert
    hit: DocumentHit
    cleared: Adjudication | None = None
    confirmed: Adjudication | None = None

    def blocks(self, direction: str | None) -> bool:
        """An exact match on a reported document stops an admitted crossing; a near match is shown only."""
        return self.cleared is None and self.hit.kind == "exact"


@dataclass
class Screening:
    """What screening one traveller found: matches in force, each with any earlier verdict."""

    traveller: Traveller
    fingerprint: str
    persons: list[PersonMatch] = field(default_factory=list)
    documents: list[DocumentMatch] = field(default_factory=list)

    @property
    def open_persons(self) -> list[PersonMatch]:
        return [m for m in self.persons if m.cleared is None]

    @property
    def open_documents(self) -> list[DocumentMatch]:
        return [m for m in self.documents if m.cleared is None]

    @property
    def outcome(self) -> str:
        """``hit`` when a match stands, ``cleared`` when every match was cleared before, ``clear``."""
        if self.open_persons or self.open_documents:
            return "hit"
        if self.persons or self.documents:
            return "cleared"
        return "clear"

    def blocking(self, direction: str | None) -> list[PersonMatch | DocumentMatch]:
        matches: list[PersonMatch | DocumentMatch] = [*self.persons, *self.documents]
        return [m for m in matches if m.blocks(direction)]


def screening_run(
    *,
    traveller: Traveller,
    on: date | None = None,
    result: ScreeningResult | None = None,
    post: str | None = None,
) -> Screening:
    """Screen `traveller` at `post`: an index lookup, then the alerts it found (those in force on `on`,
    default today) and earlier verdicts on them for this identity that hold at `post` (given there, or
    national; without a post, national verdicts only). Reads only; writes nothing.

    `result` is the index lookup when the caller has already made it (a batch screens all its travellers
    at once, see `index_cache.screen_many`)."""
    on = on or timezone.localdate()
    if result is None:
        result = index_cache.screen(traveller)
    screening = Screening(traveller=traveller, fingerprint=subject_fingerprint(traveller))
    if not result.persons and not result.documents:
        return screening
    persons = PersonAlert.objects.select_related("watchlist").in_bulk(
        [int(h.entry_id) for h in result.persons]
    )
    documents = DocumentAlert.objects.select_related("watchlist").in_bulk(
        [index_cache.document_pk(h.ref) for h in result.documents]
    )
    verdicts = _verdicts(screening.fingerprint, list(persons), list(documents), post)
    for person_hit in result.persons:
        alert = persons.get(int(person_hit.entry_id))
        if alert is not None and alert.in_force(on):
            key = ("person", alert.pk, alert.version)
            screening.persons.append(
                PersonMatch(
                    alert,
                    person_hit,
                    verdicts.get((*key, HitStatus.FALSE_MATCH)),
                    verdicts.get((*key, HitStatus.TRUE_MATCH)),
                )
            )
    seen: set[int] = set()
    for document_hit in result.documents:
        document = documents.get(index_cache.document_pk(document_hit.ref))
        if document is not None and document.in_force() and document.pk not in seen:
            seen.add(document.pk)
            key = ("document", document.pk, document.version)
            screening.documents.append(
                DocumentMatch(
                    document,
                    document_hit,
                    verdicts.get((*key, HitStatus.FALSE_MATCH)),
                    verdicts.get((*key, HitStatus.TRUE_MATCH)),
                )
            )
    return screening


def _verdicts(
    fingerprint: str, person_ids: list[int], document_ids: list[int], post: str | None
) -> dict[tuple[str, int, int, str], Adjudication]:
    """The latest verdict per (kind, alert, version, verdict) for this identity that holds at `post`."""
    holds = Q(verdict_scope=VerdictScope.NATIONAL)
    if post:
        holds |= Q(post_id=post)
    rows = (
        Hit.objects.filter(subject_fingerprint=fingerprint)
        .filter(holds)
        .exclude(status=HitStatus.OPEN)
        .filter(Q(person_alert_id__in=person_ids) | Q(document_alert_id__in=document_ids))
        .order_by("adjudicated_at")
        .values_list(
            "pk",
            "kind",
            "person_alert_id",
            "document_alert_id",
            "alert_version",
            "status",
            "adjudicated_by__username",
            "adjudicated_at",
            "adjudication_reason",
        )
    )
    found: dict[tuple[str, int, int, str], Adjudication] = {}
    for pk, kind, person_id, document_id, version, status, by, at, reason in rows:
        alert_id = person_id if kind == "person" else document_id
        # A verdict always carries its time (hit_adjudicate): only open hits have none.
        found[(kind, alert_id, version, status)] = Adjudication(
            pk, status, by or "", cast(datetime, at), reason
        )
    return found


# --- lists and alerts -------------------------------------------------------------------------------------


class ListedCounts(TypedDict):
    """What `watchlists_list` adds to each list: its live alerts of each kind."""

    persons: int
    documents: int


def watchlists_list(*, user: Any) -> QuerySet[WithAnnotations[Watchlist, ListedCounts]]:
    """Every list, with how many person and document alerts are listed (watchlist managers only)."""
    permit_watchlists(user)

    def listed(model: type[PersonAlert] | type[DocumentAlert]) -> Subquery:
        # A subquery per kind: joining both would multiply the rows (persons x documents).
        rows = model.objects.filter(
            live_alerts(), watchlist=OuterRef("pk"), removed_at__isnull=True
        ).order_by()
        return Subquery(rows.values("watchlist").annotate(n=Count("pk")).values("n")[:1])

    return Watchlist.objects.annotate(
        persons=Coalesce(listed(PersonAlert), 0), documents=Coalesce(listed(DocumentAlert), 0)
    ).order_by("code")


def watchlist_get(*, user: Any, code: str) -> Watchlist:
    permit_watchlists(user)
    watchlist = Watchlist.objects.filter(code=code).first()
    if watchlist is None:
        raise NotFound(_("There is no watchlist %(code)s.") % {"code": code})
    return watchlist


def person_alerts_search(
    *, user: Any, watchlist: Watchlist, query: str = "", removed: bool = False
) -> QuerySet[PersonAlert]:
    """A list's person alerts, searched by id, name or alias (every search is audited)."""
    permit_watchlists(user)
    alerts = PersonAlert.objects.filter(live_alerts(), watchlist=watchlist, removed_at__isnull=not removed)
    query = query.strip()
    if query:
        words = query.split()
        for word in words:
            alerts = alerts.filter(
                Q(external_id__iexact=word)
                | Q(surname__icontains=word)
                | Q(given_names__icontains=word)
                | Q(full_name__icontains=word)
                | Q(aliases__icontains=word)
            )
    audit_write(
        action="read",
        object_type="screening.personalert",
        object_id=watchlist.code,
        summary=f"search: {query[:80]}" if query else "list",
    )
    return alerts.order_by("surname", "given_names", "full_name", "pk")


def document_alerts_search(
    *, user: Any, watchlist: Watchlist, query: str = "", removed: bool = False
) -> QuerySet[DocumentAlert]:
    """A list's document alerts, searched by id or number."""
    permit_watchlists(user)
    alerts = DocumentAlert.objects.filter(live_alerts(), watchlist=watchlist, removed_at__isnull=not removed)
    query = query.strip()
    if query:
        alerts = alerts.filter(
            Q(external_id__iexact=query) | Q(number__icontains=normalise_document_number(query) or query)
        )
    audit_write(
        action="read",
        object_type="screening.documentalert",
        object_id=watchlist.code,
        summary=f"search: {query[:80]}" if query else "list",
    )
    return alerts.order_by("issuing_state", "number", "pk")


def alert_get(*, user: Any, watchlist: Watchlist, kind: str, alert_id: int) -> PersonAlert | DocumentAlert:
    """One alert of a list, for its manager (audited)."""
    permit_watchlists(user)
    model: type[PersonAlert] | type[DocumentAlert] = DocumentAlert if kind == "documents" else PersonAlert
    alert = model.objects.filter(live_alerts(), pk=alert_id, watchlist=watchlist).first()
    if alert is None:
        raise NotFound(_("There is no such alert on this list."))
    audit_write(
        action="read",
        object_type=f"screening.{model._meta.model_name}",
        object_id=f"{watchlist.code}/{alert.external_id}",
        summary="view",
    )
    return alert


def import_jobs_list(*, user: Any, watchlist: Watchlist) -> QuerySet[ImportJob]:
    permit_watchlists(user)
    return ImportJob.objects.filter(watchlist=watchlist).select_related("user").defer("data")


def import_job_get(*, user: Any, job_id: uuid.UUID | str) -> ImportJob:
    """An import job, with its progress as the worker running it last saved it."""
    permit_watchlists(user)
    job = ImportJob.objects.select_related("watchlist", "user").defer("data").filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("There is no such import."))
    return job


# --- hits -------------------------------------------------------------------------------------------------


def hits_list(*, user: Any, post: str | None = None, status: str = "open") -> QuerySet[Hit]:
    """Hits for supervisors: their own post's (administrators: any post, or all).

    `status` is ``open``, ``adjudicated`` (true or false match, latest first) or ``all``.
    """
    if getattr(user, "role", None) == Role.SUPERVISOR:
        post = post or user.border_post_id
    permit_hits(user, post)
    hits = Hit.objects.select_related(
        "person_alert__watchlist",
        "document_alert__watchlist",
        "post",
        "officer",
        "adjudicated_by",
        "crossing",
    )
    if post:
        hits = hits.filter(post_id=post)
    if status == "open":
        hits = hits.filter(status=HitStatus.OPEN).order_by("-created_at")
    elif status == "adjudicated":
        hits = hits.exclude(status=HitStatus.OPEN).order_by("-adjudicated_at")
    else:
        hits = hits.order_by("-created_at")
    audit_write(
        action="read",
        object_type="screening.hit",
        object_id="list",
        summary=f"{status} hits at {post or 'all posts'}",
    )
    return hits


@dataclass(frozen=True)
class HitFlight:
    """The flight a passenger-list hit's traveller is on, and when it is expected at the post."""

    id: uuid.UUID
    designator: str
    route: str
    expected_at: datetime


def hit_flights(hits: Iterable[Hit]) -> dict[str, HitFlight]:
    """The flight of each passenger-list hit, keyed by the hit's source reference (the list entry's
    screening reference); {} without the passenger-list app. Read through the app registry: screening sits
    below the passenger lists and does not import them."""
    refs: set[uuid.UUID] = set()
    for hit in hits:
        if hit.source == HitSource.MANIFEST and hit.source_ref:
            try:
                refs.add(uuid.UUID(hit.source_ref))
            except ValueError:
                continue
    if not refs or not apps.is_installed("corredor.manifests"):
        return {}
    person = apps.get_model("manifests", "ManifestPerson")
    rows = person.objects.filter(screening_ref__in=refs).values_list(
        "screening_ref",
        "manifest_list__flight_id",
        "manifest_list__flight__carrier",
        "manifest_list__flight__number",
        "manifest_list__flight__departure_airport",
        "manifest_list__flight__arrival_airport",
        "manifest_list__flight__expected_at",
    )
    return {
        str(ref): HitFlight(flight_id, f"{carrier}{number}", f"{origin}–{destination}", expected)
        for ref, flight_id, carrier, number, origin, destination, expected in rows
    }


def hit_get(*, user: Any, hit_id: uuid.UUID | str) -> Hit:
    """One hit, for a supervisor of its post or an administrator (audited)."""
    hit = (
        Hit.objects.select_related(
            "person_alert__watchlist",
            "document_alert__watchlist",
            "post",
            "officer",
            "adjudicated_by",
            "crossing",
            "traveller",
        )
        .filter(pk=hit_id)
        .first()
    )
    if hit is None:
        raise NotFound(_("There is no such hit."))
    permit_hits(user, hit.post_id)
    audit_write(action="read", object_type="screening.hit", object_id=hit.pk, summary="view")
    return hit
