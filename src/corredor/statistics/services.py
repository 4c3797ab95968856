"""Writes of the statistics app: importing a public dataset, refreshing the extract, exporting a table
(every export is written to the audit log)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write, current_actor
from corredor.core.errors import ApplicationError
from corredor.statistics import exports, extract
from corredor.statistics.engine import Engine
from corredor.statistics.external import READERS, ImportFailed
from corredor.statistics.models import (
    Dataset,
    ExternalImport,
    MigrantStock,
    MissingMigrantIncident,
    RefugeeFigure,
)
from corredor.statistics.permissions import statistics_scope
from corredor.statistics.selectors import check_k, fixed_range, is_fine, validate_request

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    """What an import did. `lines` data lines (or records) read; `rows` figures (or incidents) kept;
    of those `created`, `updated` and `unchanged`; `removed` incidents of the file's years that it no
    longer lists; `skipped` on purpose by reason (aggregates, not available); `unknown` values not
    understood, with their line (first 25 of `unknown_count`)."""

    dataset: str
    lines: int
    rows: int
    created: int
    updated: int
    unchanged: int
    removed: int
    skipped: dict[str, int]
    noted: dict[str, int]
    unknown: list[str]
    unknown_count: int
    import_id: int

    @property
    def replaced(self) -> int:
        return self.updated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        text = (
            f"{self.dataset}: {self.lines:,} lines read, {self.rows:,} figures imported: "
            f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"
        )
        if self.removed:
            text += f", {self.removed:,} removed"
        if not self.changed:
            text += " (nothing changed)"
        aggregates = sum(n for why, n in self.skipped.items() if why.startswith("aggregate"))
        if aggregates:
            text += f"; {aggregates:,} skipped as aggregates"
        others = ", ".join(
            f"{n:,} {why}" for why, n in self.skipped.items() if not why.startswith("aggregate")
        )
        if others:
            text += f"; also skipped: {others}"
        if self.noted:
            text += "; imported, " + ", ".join(f"{n:,} {why}" for why, n in self.noted.items())
        if self.unknown_count:
            shown = "; ".join(self.unknown[:5])
            more = self.unknown_count - min(5, len(self.unknown))
            text += f"; {self.unknown_count:,} unknown: {shown}" + (
                f"; and {more:,} more" if more > 0 else ""
            )
        return text


@transaction.atomic
def dataset_import(*, dataset: str, data: bytes, file_name: str) -> ImportResult:
    """Import a public dataset file, all or nothing. Aggregates (world, regions, income groups...) are
    skipped and counted; unknown countries are reported with their line and their figures left out, the
    rest imported. Importing the same file again changes nothing and says so: figures are keyed by
    origin, destination and year (incidents: by their id and order within the file's years, and the
    file's years are replaced).

    Raises ApplicationError with the located problems (line, column) when the file is not right (not its
    shape, a figure that is not a number, the same figure given twice).
    """
    if dataset not in READERS:
        raise ApplicationError(
            _("Unknown dataset %(d)s; one of: %(all)s") % {"d": dataset, "all": ", ".join(READERS)}
        )
    try:
        parsed = READERS[dataset](data)
    except ImportFailed as failure:
        raise ApplicationError(
            _("%(file)s cannot be imported: %(problems)s") % {"file": file_name, "problems": failure},
            detail=[
                {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
                for p in failure.problems
            ],
        ) from None
    if not parsed.rows:
        # Nothing but aggregates and unknown values: the wrong file, most likely; say what was read.
        skipped = ", ".join(f"{n:,} {why}" for why, n in parsed.skipped.items()) or "-"
        raise ApplicationError(
            _("%(file)s has no figure to import (skipped: %(skipped)s). %(unknown)s")
            % {
                "file": file_name,
                "skipped": skipped,
                "unknown": "; ".join(str(p) for p in parsed.unknown[:5]),
            },
            detail=[
                {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
                for p in parsed.unknown
            ],
        )
    record = ExternalImport.objects.create(
        dataset=dataset,
        file_name=file_name[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed.rows),
        username=current_actor().username,
    )
    removed = 0
    if dataset == Dataset.MISSING_MIGRANTS:
        created, updated, unchanged, removed = _incidents_merge(parsed.rows, record)
    elif dataset == Dataset.UNDESA_STOCK:
        created, updated, unchanged = _figures_merge(MigrantStock, ["value"], parsed.rows, record)
    else:
        created, updated, unchanged = _figures_merge(
            RefugeeFigure, ["refugees", "asylum_seekers"], parsed.rows, record
        )
    unknown = [str(problem) for problem in parsed.unknown]
    record.created, record.updated, record.unchanged, record.removed = created, updated, unchanged, removed
    record.report = {
        "lines": parsed.lines,
        "skipped": parsed.skipped,
        "noted": parsed.noted,
        "unknown": unknown,
        "unknown_count": parsed.unknown_count,
    }
    record.save(update_fields=["created", "updated", "unchanged", "removed", "report"])
    result = ImportResult(
        dataset,
        parsed.lines,
        len(parsed.rows),
        created,
        updated,
        unchanged,
        removed,
        dict(parsed.skipped),
        dict(parsed.noted),
        unknown,
        parsed.unknown_count,
        record.pk,
    )
    audit_write(
        action="bulk",
        object_type=f"statistics.{dataset}",
        object_id=record.pk,
        summary=f"import {file_name[-120:]} sha256 {record.sha256[:12]}: {result.summary()}"[:1000],
    )
    return result


def _figures_merge(
    model: Any, fields: list[str], rows: list[dict[str, Any]], record: ExternalImport
) -> tuple[int, int, int]:
    """Create the figures that are new, update those whose value changed, leave the rest as they are."""
    years = sorted({row["year"] for row in rows})
    existing: dict[tuple[str, str, int], tuple[int, tuple[Any, ...]]] = {
        (values[1], values[2], values[3]): (values[0], tuple(values[4:]))
        for values in model.objects.filter(year__in=years).values_list(
            "pk", "origin", "destination", "year", *fields
        )
    }
    new, changed = [], []
    unchanged = 0
    for row in rows:
        key = (row["origin"], row["destination"], row["year"])
        found = existing.get(key)
        if found is None:
            new.append(model(source=record, **row))
        elif found[1] != tuple(row[f] for f in fields):
            changed.append(model(pk=found[0], source=record, **row))
        else:
            unchanged += 1
    for start in range(0, len(new), BATCH):
        model.objects.bulk_create(new[start : start + BATCH])
    model.objects.bulk_update(changed, [*fields, "source"], batch_size=BATCH)
    return len(new), len(changed), unchanged


# The incident's fields as the reader gives them (all but its id), compared to tell unchanged from updated.
READ_INCIDENT_FIELDS = [
    "reported_on",
    "year",
    "region",
    "country",
    "route",
    "dead",
    "missing",
    "children",
    "latitude",
    "longitude",
    "cause",
    "location",
]


def _incidents_merge(rows: list[dict[str, Any]], record: ExternalImport) -> tuple[int, int, int, int]:
    """The file's years are the file's: incidents keyed by their id and their order among those with the
    same id (the source repeats ids); new ones created, changed ones updated, those the file no longer
    lists removed, the rest left as they are."""
    years = {row["year"] for row in rows}
    scope = MissingMigrantIncident.objects.filter(year__in=[y for y in years if y is not None])
    if None in years:
        scope = scope | MissingMigrantIncident.objects.filter(year__isnull=True)
    existing: dict[tuple[str, int], tuple[int, tuple[Any, ...]]] = {}
    occurrences: dict[str, int] = {}
    for values in scope.order_by("pk").values_list("pk", "incident_id", *READ_INCIDENT_FIELDS):
        n = occurrences[values[1]] = occurrences.get(values[1], 0) + 1
        existing[(values[1], n)] = (values[0], tuple(values[2:]))
    occurrences.clear()
    new, changed = [], []
    unchanged = 0
    seen = set()
    for row in rows:
        n = occurrences[row["incident_id"]] = occurrences.get(row["incident_id"], 0) + 1
        key = (row["incident_id"], n)
        seen.add(key)
        found = existing.get(key)
        if found is None:
            new.append(MissingMigrantIncident(source=record, **row))
        elif found[1] != tuple(row[f] for f in READ_INCIDENT_FIELDS):
            changed.append(MissingMigrantIncident(pk=found[0], source=record, **row))
        else:
            unchanged += 1
    gone = [pk for key, (pk, _values) in existing.items() if key not in seen]
    for start in range(0, len(gone), BATCH):
        MissingMigrantIncident.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    for start in range(0, len(new), BATCH):
        MissingMigrantIncident.objects.bulk_create(new[start : start + BATCH])
    MissingMigrantIncident.objects.bulk_update(changed, [*READ_INCIDENT_FIELDS, "source"], batch_size=BATCH)
    return len(new), len(changed), unchanged, len(gone)


def extract_refresh(*, full: bool = False) -> extract.RefreshResult:
    """Bring the Parquet extract up to date (see `extract.extract_refresh`), audited as a bulk read."""
    result = extract.extract_refresh(full=full)
    audit_write(
        action="bulk", object_type="statistics.extract", object_id="refresh", summary=result.summary()[:500]
    )
    return result


def statistics_export(
    *,
    user: Any,
    measure: str,
    by: Sequence[str],
    date_from: date | None,
    date_to: date | None,
    fmt: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    k: int | None = None,
    k_floor: int | None = None,
    lang: str = "en",
    engine: Engine | None = None,
) -> exports.ExportFile:
    """A protected table as a file (csv, xlsx, hxl, sdmx-csv), written to the audit log.

    `user` is None for the command line (run by the system's operator: all posts, any K from 1).
    """
    if fmt not in exports.FORMATS:
        raise ApplicationError(
            _("Unknown format %(f)s; one of: %(all)s") % {"f": fmt, "all": ", ".join(exports.FORMATS)}
        )
    scoped = statistics_scope(user=user, filters=filters) if user is not None else dict(filters or {})
    validate_request(measure=measure, by=by, filters=scoped)
    k = check_k(k, floor=k_floor)
    engine = engine or Engine()
    if user is not None:
        date_from, date_to = fixed_range(
            engine=engine, date_from=date_from, date_to=date_to, fine=is_fine(by=by, filters=filters)
        )
    result = engine.table(measure, by=by, date_from=date_from, date_to=date_to, filters=scoped).protect(k)
    file = exports.render(result, fmt, lang=lang)
    counts = {
        "primary": int((result.cell_status == 1).sum()),
        "secondary": int((result.cell_status == 2).sum()),
        "cells": int(result.cell_status.size),
    }
    filter_text = " ".join(f"{code}={'+'.join(values)}" for code, values in sorted(scoped.items()))
    audit_write(
        action="export",
        object_type="statistics.table",
        object_id=measure,
        summary=(
            f"{fmt} {measure} by {','.join(by) or '-'} {result.date_from}..{result.date_to} K={k} "
            f"{filter_text} cells={counts['cells']} primary={counts['primary']} "
            f"secondary={counts['secondary']} file={file.filename}"
        )[:1000],
    )
    return file
