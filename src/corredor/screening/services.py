"""Every write of screening: lists, imports of alerts (all or nothing), hits and their adjudication, and the
batch screening that passenger lists call."""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import BorderPost
from corredor.core.permissions import permit_supervise
from corredor.matching import records
from corredor.screening import importers, index_cache, selectors, wording
from corredor.screening.models import (
    DocumentAlert,
    Hit,
    HitSource,
    HitStatus,
    ImportJob,
    ImportStatus,
    PersonAlert,
    ScreeningChange,
    ScreeningState,
    Source,
    Watchlist,
)
from corredor.screening.wording import reasons_as_data

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: Web imports run in a thread of the process that received the file (the embedded deployment has no
#: task queue). Tests set this to False to run them in the request.
IMPORT_IN_THREAD = True

_BATCH = 1000


# --- the change sequence ----------------------------------------------------------------------------------


def _next_sequence() -> int:
    """Bump the alerts' change sequence (inside the caller's transaction) and return the new value."""
    token = uuid.uuid4().hex
    # The UPDATE locks the row until the transaction ends: writers of alerts take turns.
    updated = ScreeningState.objects.filter(pk=1).update(sequence=F("sequence") + 1, token=token)
    if not updated:
        ScreeningState.objects.create(pk=1, sequence=1, token=token)
    sequence = ScreeningState.objects.values_list("sequence", flat=True).get(pk=1)
    ScreeningChange.objects.create(sequence=sequence, token=token)
    return sequence


# --- lists ------------------------------------------------------------------------------------------------


def watchlist_create(
    *, user: Any, code: str, name: str, owner: str, source: str, active: bool = True
) -> Watchlist:
    """A new, empty list (watchlist managers and administrators)."""
    if user is not None:
        selectors.permit_watchlists(user)
    with transaction.atomic():
        code = code.strip().lower()
        if not code or not name.strip():
            raise ApplicationError(_("A watchlist needs a code and a name."))
        if source not in Source.values:
            raise ApplicationError(
                _("Source must be one of: %(values)s.") % {"values": ", ".join(Source.values)},
                detail={"field": "source"},
            )
        if Watchlist.objects.filter(code=code).exists():
            raise ApplicationError(_("There is already a watchlist %(code)s.") % {"code": code}, status=409)
        watchlist = Watchlist.objects.create(
            code=code, name=name.strip(), owner=owner.strip(), source=source, active=active
        )
        audit_write(
            action="create", object_type="screening.watchlist", object_id=code, summary=f"{name} ({source})"
        )
        return watchlist


def watchlist_set_active(*, user: Any, watchlist: Watchlist, active: bool) -> Watchlist:
    """Switch a list on or off; an inactive list's alerts leave the screening index."""
    if user is not None:
        selectors.permit_watchlists(user)
    with transaction.atomic():
        if watchlist.active == active:
            return watchlist
        sequence = _next_sequence()
        Watchlist.objects.filter(pk=watchlist.pk).update(active=active, updated_at=timezone.now())
        PersonAlert.objects.filter(watchlist=watchlist).update(change_seq=sequence)
        DocumentAlert.objects.filter(watchlist=watchlist).update(change_seq=sequence)
        audit_write(
            action="update",
            object_type="screening.watchlist",
            object_id=watchlist.code,
            summary="activated" if active else "deactivated",
        )
        watchlist.refresh_from_db()
        return watchlist


# --- imports ----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, or why nothing was imported (``errors``, each located)."""

    watchlist: str
    filename: str
    kind: str
    mode: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    restored: int = 0
    errors: list[importers.RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"{self.filename}: rejected, {len(self.errors)} problems; nothing imported"
        return (
            f"{self.filename}: {self.kind}, {self.mode}: {self.rows} rows, {self.created} new, "
            f"{self.updated} changed, {self.restored} listed again, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "filename": self.filename,
            "kind": self.kind,
            "mode": self.mode,
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "restored": self.restored,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


def watchlist_import(
    *,
    user: Any,
    watchlist: Watchlist,
    data: bytes,
    filename: str,
    format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    mode: Literal["full", "incremental"] = "incremental",
    progress: Progress | None = None,
    kind: Literal["persons", "documents"] | None = None,
) -> ImportReport:
    """Import person or document alerts into `watchlist` from a CSV or XLSX file, all or nothing.

    The file is checked whole first: when any row is wrong, nothing is written and the report lists every
    problem with its line (and column). ``full`` mode makes the list's alerts of that kind exactly the
    file's (alerts missing from the file are removed); ``incremental`` adds and changes the rows given,
    and removes those whose ``remove`` column says yes. `kind` defaults to what the header shows.
    `progress(done, total)` counts rows checked, then rows written (total = twice the rows).
    `user` None is the command line (trusted).
    """
    if user is not None:
        selectors.permit_watchlists(user)
    started = time.perf_counter()
    if mode not in ("full", "incremental"):
        raise ApplicationError(_("Mode must be full or incremental."), detail={"field": "mode"})
    report = ImportReport(watchlist=watchlist.code, filename=filename, kind=kind or "", mode=mode)
    try:
        file_format = importers.format_of(filename, format)
        table = importers.read_table(data, file_format)
    except importers.FileUnreadable as unreadable:
        report.errors = unreadable.errors
        return _import_rejected(report, started)
    report.kind = kind or importers.detect_kind(
        [mapping.get(c, c) or c for c in table.columns] if mapping else table.columns
    )
    if report.kind not in ("persons", "documents"):
        raise ApplicationError(_("Alerts must be persons or documents."), detail={"field": "kind"})
    total = max(table.total, 1) * 2

    def checked(done: int) -> None:
        if progress is not None:
            progress(min(done, total // 2), total)

    parsed = importers.parse_table(table, kind=report.kind, mapping=mapping, progress=checked)  # type: ignore[arg-type]
    report.rows = parsed.rows
    report.warnings = parsed.warnings
    report.errors = parsed.errors
    if not report.ok:
        return _import_rejected(report, started)
    total = report.rows * 2
    with transaction.atomic():
        _write_records(watchlist, parsed, mode, report, progress, total)
        audit_write(
            action="bulk",
            object_type="screening.watchlist",
            object_id=watchlist.code,
            summary=f"import {report.summary()}",
        )
    report.seconds = time.perf_counter() - started
    if progress is not None:
        progress(total, total)
    return report


def _import_rejected(report: ImportReport, started: float) -> ImportReport:
    report.seconds = time.perf_counter() - started
    audit_write(
        action="bulk",
        object_type="screening.watchlist",
        object_id=report.watchlist,
        summary=f"import {report.summary()}",
    )
    return report


def _write_records(
    watchlist: Watchlist,
    parsed: importers.ParsedFile,
    mode: str,
    report: ImportReport,
    progress: Progress | None,
    total: int,
) -> None:
    model: type[PersonAlert] | type[DocumentAlert] = (
        PersonAlert if parsed.kind == "persons" else DocumentAlert
    )
    empty = importers.PersonRecord(0, "") if parsed.kind == "persons" else importers.DocumentRecord(0, "")
    value_fields = list(empty.values())
    existing: dict[str, dict[str, Any]] = {
        row["external_id"]: row
        for row in model.objects.filter(watchlist=watchlist).values(
            "pk", "external_id", "version", "removed_at", *value_fields
        )
    }
    now = timezone.now()
    creates: list[Any] = []
    updates: list[Any] = []
    removals: list[int] = []
    listed: set[str] = set()
    missing_removals: list[str] = []
    for record in parsed.records:
        listed.add(record.external_id)
        old = existing.get(record.external_id)
        if record.remove:
            if old is None or old["removed_at"] is not None:
                missing_removals.append(record.external_id)
            else:
                removals.append(old["pk"])
            continue
        values = record.values()
        if old is None:
            creates.append(
                model(
                    watchlist=watchlist,
                    external_id=record.external_id,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            report.created += 1
        elif old["removed_at"] is not None or any(old[k] != v for k, v in values.items()):
            if old["removed_at"] is not None:
                report.restored += 1
            else:
                report.updated += 1
            updates.append(
                model(
                    pk=old["pk"],
                    watchlist=watchlist,
                    external_id=record.external_id,
                    version=old["version"] + 1,
                    removed_at=None,
                    updated_at=now,
                    **values,
                )
            )
        else:
            report.unchanged += 1
    if mode == "full":
        removals.extend(
            row["pk"] for key, row in existing.items() if key not in listed and row["removed_at"] is None
        )
    if missing_removals:
        shown = ", ".join(missing_removals[:10]) + (" ..." if len(missing_removals) > 10 else "")
        report.warnings.append(f"{len(missing_removals)} removals of entries not on the list: {shown}")
    if not (creates or updates or removals):
        return  # nothing changed: the index need not look
    sequence = _next_sequence()
    for alert in [*creates, *updates]:
        alert.change_seq = sequence
    done = report.rows
    for start in range(0, len(creates), _BATCH):
        model.objects.bulk_create(creates[start : start + _BATCH])
        done += len(creates[start : start + _BATCH])
        if progress is not None:
            progress(done, total)
    update_fields = [*value_fields, "version", "removed_at", "change_seq", "updated_at"]
    for start in range(0, len(updates), _BATCH):
        model.objects.bulk_update(updates[start : start + _BATCH], update_fields)
        done += len(updates[start : start + _BATCH])
        if progress is not None:
            progress(done, total)
    for start in range(0, len(removals), _BATCH):
        model.objects.filter(pk__in=removals[start : start + _BATCH]).update(
            removed_at=now, version=F("version") + 1, change_seq=sequence, updated_at=now
        )
    report.removed = len(removals)


# --- import jobs (the web upload) -------------------------------------------------------------------------

_progress_lock = threading.Lock()
_progress: dict[uuid.UUID, tuple[int, int]] = {}


def import_progress(job_id: uuid.UUID) -> tuple[int, int] | None:
    """(done, total) of a job running in this process, or None."""
    with _progress_lock:
        return _progress.get(job_id)


def import_job_create(*, user: Any, watchlist: Watchlist, data: bytes, filename: str) -> ImportJob:
    """Keep an uploaded file until its column mapping is chosen; read its header for the mapping form."""
    selectors.permit_watchlists(user)
    try:
        file_format = importers.format_of(filename)
        table = importers.read_table(data, file_format)
    except importers.FileUnreadable as unreadable:
        raise ApplicationError(
            _("The file cannot be read: %(why)s")
            % {"why": " ".join(wording.row_error_text(e.as_dict()) for e in unreadable.errors)},
            detail=[e.as_dict() for e in unreadable.errors],
        ) from None
    kind = importers.detect_kind(table.columns)
    return ImportJob.objects.create(
        watchlist=watchlist,
        user=user,
        filename=filename[:255],
        file_format=file_format,
        kind=kind,
        columns=table.columns,
        mapping=importers.guess_mapping(table.columns, kind),
        data=data,
        total=table.total,
    )


def import_job_start(
    *, user: Any, job: ImportJob, mapping: Mapping[str, str], mode: str, kind: str
) -> ImportJob:
    """Run a pending import with this mapping: in a thread (the page polls its progress) or right away."""
    selectors.permit_watchlists(user)
    if job.status != ImportStatus.PENDING:
        raise ApplicationError(_("This import has already been started."), status=409)
    if mode not in ("full", "incremental") or kind not in ("persons", "documents"):
        raise ApplicationError(_("Choose a mode (full or incremental) and the kind of alerts."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.QUEUED, mapping=dict(mapping), mode=mode, kind=kind
    )
    if not updated:
        raise ApplicationError(_("This import has already been started."), status=409)
    job.refresh_from_db()
    if IMPORT_IN_THREAD:
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(_import_job_run, job.pk), daemon=True)
        thread.start()
    else:
        _import_job_run(job.pk)
        job.refresh_from_db()
    return job


def _import_job_run(job_id: uuid.UUID) -> None:
    """Run one import job to its end, recording the report, or the error that stopped it, on the job."""
    in_thread = IMPORT_IN_THREAD
    try:
        job = ImportJob.objects.select_related("watchlist", "user").get(pk=job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING)
        last_saved = [0.0]

        def progress(done: int, total: int) -> None:
            with _progress_lock:
                _progress[job_id] = (done, total)
            # Saved for other processes only outside the import's transaction (SQLite has one writer).
            now = time.monotonic()
            if not connection.in_atomic_block and now - last_saved[0] > 0.5:
                last_saved[0] = now
                ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

        # The thread runs in a copy of the request's context: the audit trail names who uploaded, from where.
        report = watchlist_import(
            user=job.user,
            watchlist=job.watchlist,
            data=bytes(job.data),
            filename=job.filename,
            format=job.file_format,
            mapping=job.mapping,
            mode=job.mode,  # type: ignore[arg-type]
            kind=job.kind,  # type: ignore[arg-type]
            progress=progress,
        )
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.DONE if report.ok else ImportStatus.REJECTED,
            report=report.as_dict(),
            done=report.rows * 2,
            total=max(report.rows * 2, 1),
            data=b"",
            finished_at=timezone.now(),
        )
    except Exception as error:
        log.exception("watchlist import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error=str(error)
            if isinstance(error, ApplicationError)
            else f"{error.__class__.__name__}: {error}",
            data=b"",
            finished_at=timezone.now(),
        )
    finally:
        with _progress_lock:
            _progress.pop(job_id, None)
        if in_thread:
            close_old_connections()
            connection.close()


# --- hits -------------------------------------------------------------------------------------------------


def hits_store(
    *,
    screening: selectors.Screening,
    source: str,
    source_ref: str,
    post_code: str | None,
    crossing: Any = None,
    traveller_id: Any = None,
    officer: Any = None,
) -> list[Hit]:
    """Store the screening's standing matches as hits (cleared ones are skipped).

    A match already stored for the same source reference, alert version and identity, and not cleared,
    is returned as it is rather than stored twice.
    """
    matches: list[tuple[str, Any, Any]] = [("person", m.alert, m.hit) for m in screening.open_persons]
    matches += [("document", m.alert, m.hit) for m in screening.open_documents]
    if not matches:
        return []
    existing = {
        (h.kind, h.person_alert_id or h.document_alert_id, h.alert_version): h
        for h in Hit.objects.filter(
            source=source,
            source_ref=source_ref,
            subject_fingerprint=screening.fingerprint,
            status__in=[HitStatus.OPEN, HitStatus.TRUE_MATCH],
        )
    }
    subject = selectors.subject_data(screening.traveller)
    stored: list[Hit] = []
    for kind, alert, hit in matches:
        already = existing.get((kind, alert.pk, alert.version))
        if already is not None and (crossing is None or already.crossing_id in (None, crossing.pk)):
            if crossing is not None and already.crossing_id is None:
                Hit.objects.filter(pk=already.pk).update(crossing=crossing)
                already.crossing = crossing
            stored.append(already)
            continue
        stored.append(
            Hit(
                kind=kind,
                person_alert=alert if kind == "person" else None,
                document_alert=alert if kind == "document" else None,
                alert_version=alert.version,
                subject_fingerprint=screening.fingerprint,
                subject=subject,
                source=source,
                source_ref=source_ref[:100],
                crossing=crossing,
                traveller_id=traveller_id,
                post_id=post_code,
                officer=officer,
                score=float(hit.score),
                match_kind=getattr(hit, "kind", ""),
                reasons=reasons_as_data(hit.reasons),
                device_id=settings.CORREDOR_DEVICE_ID,
            )
        )
    new = [h for h in stored if h._state.adding]
    if new:
        Hit.objects.bulk_create(new)
    return stored


def screen_subjects(
    *,
    subjects: Sequence[tuple[str, records.Traveller]],
    source: str,
    post_code: str,
    crossing: Any = None,
) -> dict[str, list[Hit]]:
    """Screen a batch (a passenger list: ``source`` "manifest", each ref the caller's person id).

    Stores a hit for every standing match (not one already cleared for the same identity and alert
    version; not twice for the same ref) and returns the hits per ref (an empty list when clear).
    """
    if source not in HitSource.values:
        raise ApplicationError(_("Source must be desk or manifest."), detail={"field": "source"})
    if not BorderPost.objects.filter(code=post_code).exists():
        raise NotFound(_("There is no border post %(code)s.") % {"code": post_code})
    results: dict[str, list[Hit]] = {}
    found = 0
    # One look at whether the alerts changed, for the whole batch rather than for each person.
    lookups = index_cache.screen_many([traveller for _, traveller in subjects])
    with transaction.atomic():
        for (ref, traveller), lookup in zip(subjects, lookups, strict=True):
            screening = selectors.screening_run(traveller=traveller, result=lookup)
            results[ref] = hits_store(
                screening=screening,
                source=source,
                source_ref=ref,
                post_code=post_code,
                crossing=crossing,
                traveller_id=crossing.traveller_id if crossing is not None else None,
            )
            found += len(results[ref])
        audit_write(
            action="create",
            object_type="screening.hit",
            object_id=source,
            summary=f"{source} screening for {post_code}: {len(subjects)} people, {found} hits",
        )
    return results


def hit_adjudicate(*, user: Any, hit_id: uuid.UUID | str, verdict: str, reason: str) -> Hit:
    """A supervisor's verdict on a hit: a true match or a false match, with a reason (audited).

    A false match clears the identity against that alert version: the same traveller is not stopped again
    by it. The verdict also closes the other open hits of the same identity and alert version.
    """
    hit = Hit.objects.filter(pk=hit_id).first()
    if hit is None:
        raise NotFound(_("There is no such hit."))
    # Permission is checked before the transaction opens, so that a refusal's audit entry is not rolled back.
    permit_supervise(user, hit.post_id)
    with transaction.atomic():
        if verdict not in (HitStatus.TRUE_MATCH, HitStatus.FALSE_MATCH):
            raise ApplicationError(
                _("The verdict must be true_match or false_match."), detail={"field": "verdict"}
            )
        if not reason.strip():
            raise ApplicationError(_("An adjudication needs a reason."), detail={"field": "reason"})
        hit = Hit.objects.select_for_update().get(pk=hit.pk)
        if hit.status != HitStatus.OPEN:
            raise ApplicationError(
                _("This hit was already adjudicated (%(status)s).") % {"status": hit.get_status_display()},
                status=409,
            )
        now = timezone.now()
        same = Hit.objects.filter(
            status=HitStatus.OPEN,
            kind=hit.kind,
            person_alert_id=hit.person_alert_id,
            document_alert_id=hit.document_alert_id,
            alert_version=hit.alert_version,
            subject_fingerprint=hit.subject_fingerprint,
        )
        others = list(same.exclude(pk=hit.pk).values_list("pk", flat=True))
        same.update(
            status=verdict, adjudicated_by=user, adjudicated_at=now, adjudication_reason=reason.strip()
        )
        audit_write(
            action="update",
            object_type="screening.hit",
            object_id=hit.pk,
            summary=f"adjudicated {verdict}: {reason.strip()[:200]}"
            + (f" (also closes {len(others)} other open hits of the same identity)" if others else ""),
        )
        hit.refresh_from_db()
        return hit
