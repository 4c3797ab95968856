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
from corredor.statistics.selectors import check_k, statistics_scope, validate_request

BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    dataset: str
    rows: int
    created: int
    replaced: int
    skipped: dict[str, int]
    import_id: int

    def summary(self) -> str:
        skipped = ", ".join(f"{n:,} {why}" for why, n in self.skipped.items())
        return f"{self.dataset}: {self.rows:,} rows read, {self.created:,} new, {self.replaced:,} updated" + (
            f"; skipped {skipped}" if skipped else ""
        )


@transaction.atomic
def dataset_import(*, dataset: str, data: bytes, file_name: str) -> ImportResult:
    """Import a public dataset file, all or nothing. Importing the same file again changes nothing:
    figures are keyed by origin, destination and year (incidents: the file's years are replaced).

    Raises ApplicationError with the located problems (line, column) when the file is not right.
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
    record = ExternalImport.objects.create(
        dataset=dataset,
        file_name=file_name[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed.rows),
        username=current_actor().username,
    )
    if dataset == Dataset.MISSING_MIGRANTS:
        created, replaced = _incidents_replace(parsed.rows, record)
    else:
        model: Any = MigrantStock if dataset == Dataset.UNDESA_STOCK else RefugeeFigure
        fields = ["value"] if model is MigrantStock else ["refugees", "asylum_seekers"]
        before = model.objects.count()
        for start in range(0, len(parsed.rows), BATCH):
            model.objects.bulk_create(
                [model(source=record, **row) for row in parsed.rows[start : start + BATCH]],
                update_conflicts=True,
                unique_fields=["origin", "destination", "year"],
                update_fields=[*fields, "source"],
            )
        created = model.objects.count() - before
        replaced = len(parsed.rows) - created
    audit_write(
        action="bulk",
        object_type=f"statistics.{dataset}",
        object_id=record.pk,
        summary=(
            f"import {file_name[-120:]} sha256 {record.sha256[:12]}: {len(parsed.rows)} rows, {created} new"
        ),
    )
    return ImportResult(dataset, len(parsed.rows), created, replaced, parsed.skipped, record.pk)


def _incidents_replace(rows: list[dict[str, Any]], record: ExternalImport) -> tuple[int, int]:
    years = {row["year"] for row in rows}
    existing = MissingMigrantIncident.objects.filter(year__in=[y for y in years if y is not None])
    if None in years:
        existing = existing | MissingMigrantIncident.objects.filter(year__isnull=True)
    replaced = existing.count()
    existing.delete()
    for start in range(0, len(rows), BATCH):
        MissingMigrantIncident.objects.bulk_create(
            [MissingMigrantIncident(source=record, **row) for row in rows[start : start + BATCH]]
        )
    return max(0, len(rows) - replaced), min(replaced, len(rows))


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
    result = engine.table(measure, by=by, date_from=date_from, date_to=date_to, filters=scoped).protect(k)
    file = exports.render(result, fmt, lang=lang)
    counts = {
        "primary": int((result.status == 1).sum()),
        "secondary": int((result.status == 2).sum()),
        "cells": int(result.status.size),
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
