"""Every write of screening: lists, imports of alerts (all or nothing), hits and their adjudication, and the
batch screening that passenger lists call."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import SYSTEM, acting_as, actor_for, audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import BorderPost
from corredor.matching import records
from corredor.screening import importers, index_cache, permissions, selectors, wording
from corredor.screening.models import (
    AlertBase,
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
    VerdictScope,
    Watchlist,
    live_alerts,
)
from corredor.screening.wording import reasons_as_data

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


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


@transaction.atomic
def watchlist_create(
    *, user: Any, code: str, name: str, owner: str, source: str, active: bool = True
) -> Watchlist:
    """A new, empty list (watchlist managers and administrators)."""
    if user is not None:
        permissions.permit_watchlists(user)
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


@transaction.atomic
def watchlist_set_active(
    *, user: Any, watchlist: Watchlist, active: bool, reason: str = "", confirmed: bool = False
) -> Watchlist:
    """Switch a list on or off; an inactive list's alerts leave the screening index.

    Deactivating stops every alert of the list at every desk: it needs a reason and an explicit
    confirmation (`confirmed`), both audited. `user` None is the command line (trusted).
    """
    if user is not None:
        permissions.permit_watchlists(user)
    reason = reason.strip()
    if not active and watchlist.active:
        if not reason:
            raise ApplicationError(
                _("Say why the list is deactivated: its alerts stop screening at every post."),
                detail={"field": "reason"},
            )
        if not confirmed:
            raise ApplicationError(
                _("Confirm the deactivation: no traveller will be screened against this list's alerts."),
                detail={"field": "confirm"},
            )
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
        summary=("activated" if active else "deactivated") + (f": {reason[:300]}" if reason else ""),
    )
    watchlist.refresh_from_db()
    return watchlist


# --- alerts by hand ---------------------------------------------------------------------------------------

AlertKind = Literal["persons", "documents"]


@transaction.atomic
def alert_save(
    *,
    user: Any,
    watchlist: Watchlist,
    kind: AlertKind,
    values: Mapping[str, str],
    why: str,
    alert_id: int | None = None,
) -> tuple[PersonAlert | DocumentAlert, list[importers.RowError]]:
    """Add an alert to `watchlist` by hand, or change one (`alert_id`), with a reason (audited).

    `values` are the import's columns as text (``entry_id``, ``surname``, ``category``, ...): a hand-made
    alert is checked by exactly the rules a file's row is. An error raises ApplicationError with every
    problem (``detail``: a list of {field, message}); values that could not be used (an unknown country)
    are kept as written and returned as flags. A change bumps the alert's version and the screening index
    picks it up at once; so does a new alert.
    """
    permissions.permit_watchlists(user)
    if kind not in ("persons", "documents"):
        raise ApplicationError(_("Alerts must be persons or documents."), detail={"field": "kind"})
    why = why.strip()
    if not why:
        raise ApplicationError(_("Say why the alert is added or changed (audited)."), detail={"field": "why"})
    model: type[PersonAlert] | type[DocumentAlert] = PersonAlert if kind == "persons" else DocumentAlert
    record, errors, flags = importers.check_one(values, kind=kind, today=timezone.localdate())
    existing = None
    if alert_id is not None:
        existing = model.objects.filter(live_alerts(), pk=alert_id, watchlist=watchlist).first()
        if existing is None:
            raise NotFound(_("There is no such alert on this list."))
    if record is not None and record.remove:
        errors.append(importers.RowError(None, "remove", "bad_remove", "end an alert with its own button"))
    if errors or record is None:
        raise ApplicationError(
            _("The alert was not saved: %(problems)s")
            % {"problems": "; ".join(wording.row_error_text(e.as_dict()) for e in errors)},
            detail=[{"field": e.column, "message": wording.row_error_text(e.as_dict())} for e in errors],
        )
    clash = model.objects.filter(live_alerts(), watchlist=watchlist, external_id=record.external_id)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise ApplicationError(
            _("The list already has an alert %(id)s.") % {"id": record.external_id},
            detail=[{"field": "entry_id", "message": _("already on the list")}],
            status=409,
        )
    sequence = _next_sequence()
    now = timezone.now()
    if existing is None:
        alert = model.objects.create(
            watchlist=watchlist,
            external_id=record.external_id,
            change_seq=sequence,
            created_at=now,
            updated_at=now,
            **record.values(),
        )
        action, summary = "create", f"by hand: {why[:300]}"
    else:
        alert = model.objects.select_for_update().get(pk=existing.pk)
        changed = [name for name, value in record.values().items() if getattr(alert, name) != value]
        if alert.external_id != record.external_id:
            changed.insert(0, "external_id")
        alert.external_id = record.external_id
        for name, value in record.values().items():
            setattr(alert, name, value)
        alert.version += 1
        alert.change_seq = sequence
        alert.updated_at = now
        alert.save()
        action, summary = "update", f"by hand ({', '.join(changed) or 'nothing'} changed): {why[:300]}"
    audit_write(
        action=action,
        object_type=f"screening.{model._meta.model_name}",
        object_id=f"{watchlist.code}/{alert.external_id}",
        summary=summary,
    )
    return alert, flags


@transaction.atomic
def alert_end(*, user: Any, alert: PersonAlert | DocumentAlert, why: str) -> PersonAlert | DocumentAlert:
    """End (withdraw) one alert by hand, with a reason (audited). Its row stays, so its hits stay
    explained; it leaves the screening index at once."""
    permissions.permit_watchlists(user)
    why = why.strip()
    if not why:
        raise ApplicationError(_("Say why the alert is ended (audited)."), detail={"field": "why"})
    model = type(alert)
    current = model.objects.select_for_update().get(pk=alert.pk)
    if current.removed_at is not None:
        raise ApplicationError(_("This alert was already ended."), status=409)
    sequence = _next_sequence()
    now = timezone.now()
    model.objects.filter(pk=alert.pk).update(
        removed_at=now, version=F("version") + 1, change_seq=sequence, updated_at=now
    )
    audit_write(
        action="update",
        object_type=f"screening.{model._meta.model_name}",
        object_id=f"{current.watchlist.code}/{current.external_id}",
        summary=f"ended by hand: {why[:300]}",
    )
    current.refresh_from_db()
    return current


# --- imports ----------------------------------------------------------------------------------------------
#
# An import never holds the database's write lock for long (SQLite has one writer: a crossing recorded at the
# desk waits for it). The file is read and checked without writing; its new and changed alerts are written
# *staged* (``staged_for`` the job, invisible to every reader of live alerts) in short transactions of
# ``STAGE_BATCH`` rows; one short transaction then makes them live. From the list's point of view it is all
# or nothing: readers see the list before or after, never half; a failed or killed import leaves it as it
# was (its staged rows are discarded, by the import itself or by the worker that finds it dead).

#: Rows written per transaction while staging (a few tens of milliseconds on an idle machine; under load,
#: the desk then waits a fraction of a second at worst).
STAGE_BATCH = 500
#: How often a running import writes its progress and heartbeat (seconds).
HEARTBEAT_SECONDS = 2.0


class ImportStopped(Exception):
    """The job is no longer running (marked failed as dead by a worker, or expired): stop writing."""


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
    flags: list[importers.RowError] = field(default_factory=list)
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
            "flags": [f.as_dict() for f in self.flags[:1000]],
            "flagged": len(self.flags),
            "seconds": round(self.seconds, 3),
        }


class _Beat:
    """Progress for the caller, and (every HEARTBEAT_SECONDS) progress and a heartbeat saved on the job, in a
    transaction of its own: a worker that finds no recent heartbeat knows the import died."""

    def __init__(self, job: ImportJob, progress: Progress | None) -> None:
        self.job, self.progress, self.last = job, progress, time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)
        now = time.monotonic()
        if now - self.last >= HEARTBEAT_SECONDS:
            self.last = now
            with transaction.atomic():
                _job_alive(self.job, done=done, total=total)


def _job_alive(job: ImportJob, **progress: int) -> None:
    """Stamp the job's heartbeat (and progress); raise ImportStopped when it is no longer running."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
        heartbeat_at=timezone.now(), **progress
    )
    if not updated:
        raise ImportStopped(f"import {job.pk} is no longer running")


def _inline_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()} (inline)"[:100]


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
    job: ImportJob | None = None,
) -> ImportReport:
    """Import person or document alerts into `watchlist` from a CSV or XLSX file, all or nothing.

    The file is checked whole first: when any row is wrong, nothing is written and the report lists every
    problem with its line (and column). ``full`` mode makes the list's alerts of that kind exactly the
    file's (alerts missing from the file are removed); ``incremental`` adds and changes the rows given,
    and removes those whose ``remove`` column says yes. `kind` defaults to what the header shows.
    `progress(done, total)` counts rows checked, then rows written (total = twice the rows).
    `job` is the running job a worker claimed; without one (the command line, the API) the import records
    a job of its own, which owns its staged rows. `user` None is the command line (trusted).
    """
    if user is not None:
        permissions.permit_watchlists(user)
    started = time.perf_counter()
    if mode not in ("full", "incremental"):
        raise ApplicationError(_("Mode must be full or incremental."), detail={"field": "mode"})
    report = ImportReport(watchlist=watchlist.code, filename=filename, kind=kind or "", mode=mode)
    own_job = job is None
    if job is None:
        now = timezone.now()
        job = ImportJob.objects.create(
            watchlist=watchlist,
            user=user if getattr(user, "is_authenticated", False) else None,
            filename=filename[:255],
            file_format=(format or "")[:4],
            kind=kind or "",
            mode=mode,
            status=ImportStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            worker=_inline_worker(),
        )
    try:
        report = _import(job, report, watchlist, data, filename, format, mapping, mode, progress, kind)
    except BaseException as error:
        _staged_discard(job)
        if own_job:
            _job_finish(job, status=ImportStatus.FAILED, error=_error_text(error))
        raise
    report.seconds = time.perf_counter() - started
    if own_job:
        _job_finish(job, status=ImportStatus.DONE if report.ok else ImportStatus.REJECTED, report=report)
    return report


def _import(
    job: ImportJob,
    report: ImportReport,
    watchlist: Watchlist,
    data: bytes,
    filename: str,
    format: str | None,
    mapping: Mapping[str, str] | None,
    mode: str,
    progress: Progress | None,
    kind: str | None,
) -> ImportReport:
    try:
        file_format = importers.format_of(filename, format)
        table = importers.read_table(data, file_format)
    except importers.FileUnreadable as unreadable:
        report.errors = unreadable.errors
        return _import_rejected(report)
    report.kind = kind or importers.detect_kind(
        [mapping.get(c, c) or c for c in table.columns] if mapping else table.columns
    )
    if report.kind not in ("persons", "documents"):
        raise ApplicationError(_("Alerts must be persons or documents."), detail={"field": "kind"})
    beat = _Beat(job, progress)
    total = max(table.total, 1) * 2

    def checked(done: int) -> None:
        beat(min(done, total // 2), total)

    parsed = importers.parse_table(
        table,
        kind=report.kind,  # type: ignore[arg-type]
        mapping=mapping,
        progress=checked,
        today=timezone.localdate(),
    )
    report.rows = parsed.rows
    report.warnings = parsed.warnings
    report.errors = parsed.errors
    report.flags = parsed.flags
    if not report.ok:
        return _import_rejected(report)
    total = report.rows * 2
    plan = _plan(watchlist, parsed, mode, report)
    if plan.changes:
        _stage(job, watchlist, plan, beat, done=report.rows, total=total)
        _activate(job, plan, report)
    else:
        # Nothing changed: the index need not look.
        audit_write(
            action="bulk",
            object_type="screening.watchlist",
            object_id=watchlist.code,
            summary=f"import {report.summary()}",
        )
    if progress is not None:
        progress(total, total)
    return report


def _import_rejected(report: ImportReport) -> ImportReport:
    audit_write(
        action="bulk",
        object_type="screening.watchlist",
        object_id=report.watchlist,
        summary=f"import {report.summary()}",
    )
    return report


@dataclass
class _Plan:
    """What an import changes, worked out from the file and the list as read (nothing written yet)."""

    model: type[AlertBase]
    value_fields: list[str]
    creates: list[Any] = field(default_factory=list)
    updates: list[tuple[int, Any]] = field(default_factory=list)  # (the live alert's pk, the record)
    removals: list[int] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.creates or self.updates or self.removals)


def _plan(watchlist: Watchlist, parsed: importers.ParsedFile, mode: str, report: ImportReport) -> _Plan:
    model: type[PersonAlert] | type[DocumentAlert] = (
        PersonAlert if parsed.kind == "persons" else DocumentAlert
    )
    empty = importers.PersonRecord(0, "") if parsed.kind == "persons" else importers.DocumentRecord(0, "")
    plan = _Plan(model=model, value_fields=list(empty.values()))
    existing: dict[str, dict[str, Any]] = {
        row["external_id"]: row
        for row in model.objects.filter(live_alerts(), watchlist=watchlist).values(
            "pk", "external_id", "removed_at", *plan.value_fields
        )
    }
    listed: set[str] = set()
    missing_removals: list[str] = []
    for record in parsed.records:
        listed.add(record.external_id)
        old = existing.get(record.external_id)
        if record.remove:
            if old is None or old["removed_at"] is not None:
                missing_removals.append(record.external_id)
            else:
                plan.removals.append(old["pk"])
            continue
        if old is None:
            plan.creates.append(record)
            report.created += 1
        elif old["removed_at"] is not None or any(old[k] != v for k, v in record.values().items()):
            if old["removed_at"] is not None:
                report.restored += 1
            else:
                report.updated += 1
            plan.updates.append((old["pk"], record))
        else:
            report.unchanged += 1
    if mode == "full":
        plan.removals.extend(
            row["pk"] for key, row in existing.items() if key not in listed and row["removed_at"] is None
        )
    if missing_removals:
        shown = ", ".join(missing_removals[:10]) + (" ..." if len(missing_removals) > 10 else "")
        report.warnings.append(f"{len(missing_removals)} removals of entries not on the list: {shown}")
    report.removed = len(plan.removals)
    return plan


def _stage(job: ImportJob, watchlist: Watchlist, plan: _Plan, beat: _Beat, *, done: int, total: int) -> None:
    """Write the new and changed alerts staged, a short transaction per batch (the desk writes between)."""
    model = plan.model
    now = timezone.now()
    rows: list[tuple[int | None, Any]] = [(None, r) for r in plan.creates] + list(plan.updates)
    for start in range(0, len(rows), STAGE_BATCH):
        batch = [
            model(
                watchlist=watchlist,
                external_id=record.external_id,
                staged_for=job,
                replaces=replaces,
                # Invisible until made live (live_alerts); a change also carries removed_at, in case.
                removed_at=now if replaces is not None else None,
                created_at=now,
                updated_at=now,
                **record.values(),
            )
            for replaces, record in rows[start : start + STAGE_BATCH]
        ]
        done += len(batch)
        with transaction.atomic():
            _job_alive(job, done=done, total=total)
            model._default_manager.bulk_create(batch)
        if beat.progress is not None:
            beat.progress(done, total)
    with transaction.atomic():
        _job_alive(job, done=done, total=total)
        ImportJob.objects.filter(pk=job.pk).update(removals=plan.removals)


#: Up to this many new alerts, activation stamps each row (and every index applies them as changes);
#: above it, it marks the job activated (one row: the rows are visible at once through ``live_alerts``),
#: every index rebuilds, and ``staged_for`` is cleared afterwards in short batches (``_settle``). A flip of
#: 560,000 rows in one statement holds SQLite's write lock for 17 s on a loaded machine.
FLIP_AT_ACTIVATION = 5000


def _activate(job: ImportJob, plan: _Plan, report: ImportReport) -> None:
    """Make the staged alerts live and the removals take effect, in one short transaction: set-based
    statements, and for a big file's new alerts one row (the job), whatever the file's size."""
    model = plan.model
    now = timezone.now()
    big = len(plan.creates) > FLIP_AT_ACTIVATION
    if big and _clashes(job, plan):
        raise _clash_error()
    try:
        with transaction.atomic():
            _job_alive(job)
            sequence = _next_sequence()
            staged = model._default_manager.filter(staged_for=job)
            if plan.updates:
                new = staged.filter(replaces=OuterRef("pk"))
                model._default_manager.filter(
                    live_alerts(), pk__in=staged.filter(replaces__isnull=False).values("replaces")
                ).update(
                    **{name: Subquery(new.values(name)[:1]) for name in plan.value_fields},
                    version=F("version") + 1,
                    removed_at=None,
                    change_seq=sequence,
                    updated_at=now,
                )
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"DELETE FROM {model._meta.db_table} "
                        "WHERE staged_for_id = %s AND replaces IS NOT NULL",
                        [_job_key(job)],
                    )
            if plan.creates and not big:
                staged.update(staged_for=None, change_seq=sequence, updated_at=now)
            for start in range(0, len(plan.removals), 5000):
                model._default_manager.filter(
                    pk__in=plan.removals[start : start + 5000], removed_at__isnull=True
                ).update(removed_at=now, version=F("version") + 1, change_seq=sequence, updated_at=now)
            ImportJob.objects.filter(pk=job.pk).update(
                activated=True, activated_seq=sequence if big else None
            )
            audit_write(
                action="bulk",
                object_type="screening.watchlist",
                object_id=report.watchlist,
                summary=f"import {report.summary()}",
            )
    except IntegrityError:
        raise _clash_error() from None
    if big:
        try:
            _settle(job)
        except Exception:  # the alerts are live already; the worker's reaper finishes the settling
            log.exception("settling import %s left for later", job.pk)


def _clashes(job: ImportJob, plan: _Plan) -> bool:
    """Whether an entry of the file was added to the list (by hand) while the file was being staged."""
    staged_ids = plan.model._default_manager.filter(staged_for=job, replaces__isnull=True).values(
        "external_id"
    )
    return (
        plan.model._default_manager.filter(live_alerts(), watchlist_id=job.watchlist_id)
        .exclude(staged_for=job)
        .filter(external_id__in=Subquery(staged_ids))
        .exists()
    )


def _clash_error() -> ApplicationError:
    return ApplicationError(
        _(
            "An entry of the file was added to the list by someone else while the file was being "
            "imported; nothing was imported. Import the file again."
        ),
        status=409,
    )


def _settle(job: ImportJob) -> int:
    """Clear ``staged_for`` on an activated job's rows, a short transaction per batch (they are live
    already: this changes what they are, not what anyone sees)."""
    settled = 0
    key = _job_key(job)
    for model in (PersonAlert, DocumentAlert):
        table = model._meta.db_table
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET staged_for_id = NULL WHERE id IN "
                    f"(SELECT id FROM {table} WHERE staged_for_id = %s LIMIT {STAGE_BATCH})",
                    [key],
                )
                count = cursor.rowcount
            settled += max(count, 0)
            if count < STAGE_BATCH:
                break
    return settled


def _staged_discard(job: ImportJob) -> int:
    """Delete a job's staged rows, a batch per transaction (a big import's rows are many). Never those of a
    job that was made live (they are live alerts): those are settled instead."""
    if ImportJob.objects.filter(pk=job.pk, activated=True).exists():
        return _settle(job)
    deleted = 0
    for model in (PersonAlert, DocumentAlert):
        table = model._meta.db_table
        key = _job_key(job)
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {table} WHERE id IN "
                    f"(SELECT id FROM {table} WHERE staged_for_id = %s LIMIT {STAGE_BATCH})",
                    [key],
                )
                count = cursor.rowcount
            deleted += max(count, 0)
            if count < STAGE_BATCH:
                break
    return deleted


def _job_key(job: ImportJob) -> Any:
    """The job's id as raw SQL compares it (SQLite stores a UUID as 32 hex digits)."""
    return job.pk.hex if connection.vendor == "sqlite" else job.pk


def _error_text(error: BaseException) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    return f"{error.__class__.__name__}: {error}"[:2000]


def _job_finish(job: ImportJob, *, status: str, report: ImportReport | None = None, error: str = "") -> None:
    """Record how a running job ended (only while it is still running: a reaped job stays failed)."""
    fields: dict[str, Any] = {"status": status, "data": b"", "removals": [], "finished_at": timezone.now()}
    if report is not None:
        fields.update(
            report=report.as_dict(),
            kind=report.kind or job.kind,
            done=report.rows * 2,
            total=max(report.rows * 2, 1),
        )
    if error:
        fields["error"] = error
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(**fields)


# --- import jobs (the web upload, run by `corredor work`) -------------------------------------------------


def import_job_create(*, user: Any, watchlist: Watchlist, data: bytes, filename: str) -> ImportJob:
    """Keep an uploaded file until its column mapping is chosen; read its header for the mapping form."""
    permissions.permit_watchlists(user)
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
    """Queue a pending import with this mapping; a worker (`corredor work`) runs it, the page polls it."""
    permissions.permit_watchlists(user)
    if job.status != ImportStatus.PENDING:
        raise ApplicationError(_("This import has already been started."), status=409)
    if mode not in ("full", "incremental") or kind not in ("persons", "documents"):
        raise ApplicationError(_("Choose a mode (full or incremental) and the kind of alerts."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.QUEUED, mapping=dict(mapping), mode=mode, kind=kind, queued_at=timezone.now()
    )
    if not updated:
        raise ApplicationError(_("This import has already been started."), status=409)
    job.refresh_from_db()
    return job


def import_job_claim(worker: str) -> ImportJob | None:
    """Claim the oldest queued import for `worker`: a conditional UPDATE, so two workers never run one job."""
    queued = ImportJob.objects.filter(status=ImportStatus.QUEUED).order_by("queued_at", "created_at")
    for pk in queued.values_list("pk", flat=True)[:10]:
        now = timezone.now()
        claimed = ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, worker=worker[:100], started_at=now, heartbeat_at=now
        )
        if claimed:
            return ImportJob.objects.select_related("watchlist", "user").get(pk=pk)
    return None


def import_job_run(job: ImportJob) -> None:
    """Run a claimed import to its end, recording the report, or the error that stopped it, on the job."""
    with acting_as(actor_for(job.user, "corredor work")):
        try:
            report = watchlist_import(
                user=job.user,
                watchlist=job.watchlist,
                data=bytes(job.data),
                filename=job.filename,
                format=job.file_format,
                mapping=job.mapping,
                mode=job.mode,  # type: ignore[arg-type]
                kind=job.kind,  # type: ignore[arg-type]
                job=job,
            )
        except ImportStopped:
            log.warning("watchlist import %s stopped: no longer running", job.pk)
            return
        except Exception as error:
            log.exception("watchlist import %s failed", job.pk)
            _job_finish(job, status=ImportStatus.FAILED, error=_error_text(error))
            return
        _job_finish(job, status=ImportStatus.DONE if report.ok else ImportStatus.REJECTED, report=report)


def import_jobs_reap(*, now: datetime | None = None) -> int:
    """Mark dead imports failed (running, with no heartbeat for ``CORREDOR_JOB_STALE_SECONDS``) and discard
    their staged rows; expire uploads whose column mapping was never confirmed
    (``CORREDOR_IMPORT_PENDING_HOURS``). Returns how many jobs it ended."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=getattr(settings, "CORREDOR_JOB_STALE_SECONDS", 120))
    ended = 0
    dead = ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=stale).defer("data")
    for job in dead:
        heartbeat = cast(datetime, job.heartbeat_at)  # not None: filtered on heartbeat_at__lt
        error = _(
            "The import stopped without finishing: no sign of life from %(worker)s since %(time)s (it was "
            "at %(percent)s%%; the worker was stopped or crashed). Nothing was imported: start the import "
            "again."
        ) % {
            "worker": job.worker or "?",
            "time": timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S"),
            "percent": job.percent,
        }
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(status=ImportStatus.FAILED, error=error, data=b"", removals=[], finished_at=now)
        if claimed:
            ended += 1
            _staged_discard(job)
            with acting_as(SYSTEM):
                audit_write(
                    action="update",
                    object_type="screening.import",
                    object_id=job.pk,
                    summary=f"failed: no heartbeat since {heartbeat.isoformat()} ({job.worker})",
                )
    pending_before = now - timedelta(hours=getattr(settings, "CORREDOR_IMPORT_PENDING_HOURS", 24))
    expired = ImportJob.objects.filter(status=ImportStatus.PENDING, created_at__lt=pending_before).update(
        status=ImportStatus.EXPIRED,
        data=b"",
        finished_at=now,
        error=_("The column mapping was never confirmed; the file was deleted. Upload it again."),
    )
    ended += expired
    # Staged rows of a job that ended while its discard did not finish (a crash in the middle of it).
    for model in (PersonAlert, DocumentAlert):
        # (Activated jobs' rows are settled, never deleted: _staged_discard looks.)
        leftover = (
            model.objects.filter(staged_for__isnull=False)
            .exclude(staged_for__status=ImportStatus.RUNNING, staged_for__activated=False)
            .values_list("staged_for", flat=True)
            .distinct()
        )
        for job_id in list(leftover[:100]):
            _staged_discard(ImportJob(pk=job_id))
    return ended


# --- sync ----------------------------------------------------------------------------------------------


def alerts_received(changed: Sequence[Any], removed: Sequence[Any], *, model: Any = None) -> None:
    """A border post received alerts (or lists) from central's feed: stamp them with a new change sequence,
    so that this post's screening index takes them in at its next screening, without a restart."""
    sequence = _next_sequence()
    for start in range(0, len(changed), 5000):
        chunk = list(changed[start : start + 5000])
        if model is None:  # watchlists: their alerts change with them (an inactive list screens nobody)
            PersonAlert.objects.filter(watchlist__in=chunk).update(change_seq=sequence)
            DocumentAlert.objects.filter(watchlist__in=chunk).update(change_seq=sequence)
        else:
            model.objects.filter(pk__in=chunk).update(change_seq=sequence)


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
            screening = selectors.screening_run(traveller=traveller, result=lookup, post=post_code)
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


@transaction.atomic
def hit_adjudicate(
    *, user: Any, hit_id: uuid.UUID | str, verdict: str, reason: str, scope: str = VerdictScope.POST
) -> Hit:
    """A supervisor's verdict on a hit: a true match or a false match, with a reason (audited).

    The verdict holds where it was given (``scope``): at the hit's post — it also closes the other open hits
    of the same identity and alert version *at that post*, and a false match clears the identity there —
    or, from an administrator only, at every post (``national``: it closes those hits everywhere and
    clears the identity at every post). One post's verdict never closes another post's hit.
    """
    hit = Hit.objects.select_for_update().filter(pk=hit_id).first()
    if hit is None:
        raise NotFound(_("There is no such hit."))
    if scope not in VerdictScope.values:
        raise ApplicationError(_("The scope must be post or national."), detail={"field": "scope"})
    # Inside the transaction: the error boundary writes a refusal's audit row after the rollback.
    permissions.permit_adjudicate(user, post_code=hit.post_id, scope=scope)
    if verdict not in (HitStatus.TRUE_MATCH, HitStatus.FALSE_MATCH):
        raise ApplicationError(
            _("The verdict must be true_match or false_match."), detail={"field": "verdict"}
        )
    if not reason.strip():
        raise ApplicationError(_("An adjudication needs a reason."), detail={"field": "reason"})
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
    if scope == VerdictScope.POST:
        same = same.filter(post_id=hit.post_id) if hit.post_id else same.filter(pk=hit.pk)
    others = list(same.exclude(pk=hit.pk).values_list("post_id", flat=True))
    same.update(
        status=verdict,
        adjudicated_by=user,
        adjudicated_at=now,
        adjudication_reason=reason.strip(),
        verdict_scope=scope,
    )
    where = "every post" if scope == VerdictScope.NATIONAL else f"post {hit.post_id or '-'}"
    closed = f" (also closes {len(others)} other open hits of the same identity at {where})" if others else ""
    audit_write(
        action="update",
        object_type="screening.hit",
        object_id=hit.pk,
        summary=f"adjudicated {verdict}, holds at {where}: {reason.strip()[:200]}{closed}",
    )
    hit.refresh_from_db()
    return hit
