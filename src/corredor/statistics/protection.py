"""Protection figures: anonymised referrals and cases in the statistics extract, by type, sex, age group,
nationality (and region, status, agency kind, post), under the same disclosure control as every table.

The extract (`snapshot_write`, called by each `corredor stats refresh`) holds one row per referral and one
per case, as protection lets them out (`protection.selectors.anonymised_referrals`/`anonymised_cases`): only
what the figures need: the local day, codes (type, status, service, kind of agency, the
border post that referred), sex, the age in whole years on that day and the nationality. No names, no birth
dates, no references, no ids of any kind, no times finer than the day. Cases change (accepted, closed), and
there are few of them beside the crossings, so both tables are written whole at each refresh.

`protection_table` counts them into a `Result`, the engine's own, and protects it (`Result.protect`):
primary and secondary suppression, sex X merged where it counts too few. Readers are those of every other
statistic (analysts, administrators; supervisors see their own post's referrals).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corredor.core.errors import ApplicationError
from corredor.statistics import disclosure, permissions
from corredor.statistics.engine import AGE_BANDS, TOTAL, UNKNOWN, Dimension, Measure, Result, _age_band_sql
from corredor.statistics.extract import Manifest, region_sql, stats_dir

FOLDER = "protection"

REFERRAL_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("case_kind", pa.string()),
        ("service", pa.string()),
        ("provider_kind", pa.string()),
        ("status", pa.string()),
        ("consent", pa.string()),  # given, or override (a child's best interests)
        ("origin", pa.string()),  # border (a desk referral) or case (from a caseworker)
        ("post", pa.string()),
        ("sex", pa.string()),
        ("age", pa.int16()),
        ("nationality", pa.string()),
    ]
)

CASE_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("case_kind", pa.string()),
        ("status", pa.string()),
        ("risk", pa.string()),
        ("provider_kind", pa.string()),
        ("origin", pa.string()),  # border (referred at a desk) or walk_in
        ("post", pa.string()),
        ("sex", pa.string()),
        ("age", pa.int16()),
        ("nationality", pa.string()),
        ("closed_day", pa.date32()),
    ]
)

# The extract's columns that are personal: none may ever be there (tests/statistics check).
NEVER_EXTRACTED = frozenset(
    {"id", "surname", "given_names", "birth_date", "reference", "traveller_id", "crossing_id", "case_id"}
)


def _coded(rows: Iterator[tuple[Any, ...]], schema: pa.Schema) -> Iterator[tuple[Any, ...]]:
    """Protection's rows with a missing code written as the statistics' "unknown" category."""
    text = [schema.field(i).type == pa.string() for i in range(len(schema.names))]
    for row in rows:
        yield tuple(
            UNKNOWN if value is None and is_text else value for value, is_text in zip(row, text, strict=True)
        )


def _sources() -> dict[str, tuple[pa.Schema, Callable[[], Iterator[tuple[Any, ...]]]]]:
    from corredor.protection import selectors

    return {
        "referrals": (REFERRAL_SCHEMA, selectors.anonymised_referrals),
        "cases": (CASE_SCHEMA, selectors.anonymised_cases),
    }


def _write(rows: Iterator[tuple[Any, ...]], schema: pa.Schema, path: Path, batch: int = 50_000) -> int:
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        chunk: list[tuple[Any, ...]] = []

        def flush() -> None:
            columns = list(zip(*chunk, strict=True))
            arrays = [pa.array(columns[i], type=schema.field(i).type) for i in range(len(schema.names))]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            chunk.clear()

        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                count += len(chunk)
                flush()
        if chunk:
            count += len(chunk)
            flush()
    return count


def snapshot_write(root: Path, manifest: Manifest) -> None:
    """Write the referrals and cases anew into the extract and name them in the manifest (which the refresh
    then saves). The file each replaces is kept until the next refresh, for readers holding the old
    manifest."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    keep: set[str] = set()
    for table, (schema, source) in _sources().items():
        key = f"protection_{table}"
        keep.update(manifest.parts.get(key, []))
        name = manifest.next_name(f"{FOLDER}/{table}")
        tmp = root / f"{name}.tmp"
        manifest.rows[key] = _write(_coded(source(), schema), schema, tmp)
        os.replace(tmp, root / name)
        manifest.parts[key] = [name]
        keep.add(name)
    for path in folder.glob("*.parquet"):
        if f"{FOLDER}/{path.name}" not in keep:
            path.unlink(missing_ok=True)


# --- the figures ------------------------------------------------------------------------------------------


def _dimension(code: str, label: Any, sql: str, hxl: str, sdmx: str) -> Dimension:
    return Dimension(code, label, sql, None, hxl, sdmx)


DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in (
        _dimension(
            "case_kind", gettext_lazy("Type of case"), "case_kind", "#indicator+case_type", "CASE_TYPE"
        ),
        _dimension("sex", gettext_lazy("Sex"), "sex", "#affected+sex", "SEX"),
        _dimension("age_band", gettext_lazy("Age"), _age_band_sql("age"), "#affected+age", "AGE"),
        _dimension("nationality", gettext_lazy("Nationality"), "nationality", "#country+code", "CITIZENSHIP"),
        _dimension(
            "region",
            gettext_lazy("Region of nationality"),
            region_sql("nationality"),
            "#region+name",
            "REGION",
        ),
        _dimension("status", gettext_lazy("Status"), "status", "#status", "STATUS"),
        _dimension(
            "provider_kind", gettext_lazy("Kind of agency"), "provider_kind", "#org+type", "PROVIDER_TYPE"
        ),
        _dimension("post", gettext_lazy("Border post"), f"coalesce(post, '{UNKNOWN}')", "#loc+code", "POST"),
        _dimension("service", gettext_lazy("Service"), "service", "#service", "SERVICE"),
        _dimension("consent", gettext_lazy("Consent"), "consent", "#indicator+consent", "CONSENT"),
        _dimension("origin", gettext_lazy("Origin"), "origin", "#indicator+origin", "ORIGIN"),
    )
}

# The dimensions each table has (a case's service is in its referrals; consent is the referral's).
TABLE_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "referrals": (
        "case_kind",
        "sex",
        "age_band",
        "nationality",
        "region",
        "status",
        "provider_kind",
        "post",
        "service",
        "consent",
        "origin",
    ),
}
TABLE_DIMENSIONS["cases"] = tuple(d for d in TABLE_DIMENSIONS["referrals"] if d not in ("service", "consent"))

MEASURES = {
    "referrals": Measure(
        "protection_referrals",
        gettext_lazy("Protection referrals"),
        gettext_lazy(
            "Referrals of vulnerable migrants to a service provider, from a border desk or from a case, "
            "made in the period."
        ),
        "protection",
        "true",
        unit="people",
        sdmx="PROTECTION_REFERRALS",
    ),
    "cases": Measure(
        "protection_cases",
        gettext_lazy("Protection cases"),
        gettext_lazy("Protection cases registered in the period (referred at the border or walk-in)."),
        "protection",
        "true",
        unit="people",
        sdmx="PROTECTION_CASES",
    ),
}

MAX_DIMENSIONS = 3


def _known_categories(dim: str, table: str) -> list[str]:
    """Every category a dimension can take (zeros published too), or [] where the data says (nationality)."""
    from corredor.protection import models

    known: dict[str, Sequence[str]] = {
        "case_kind": models.CaseKind.values,
        "sex": ["F", "M", "X"],
        "age_band": AGE_BANDS,
        "status": models.CaseStatus.values if table == "cases" else models.TransitionStatus.values,
        "provider_kind": models.ProviderKind.values,
        "service": models.ServiceKind.values,
        "consent": ["given", "override"],
        "origin": ["border", "walk_in"] if table == "cases" else ["border", "case"],
    }
    return list(known.get(dim, []))


def category_label(dim: str, value: Any) -> str:
    """A readable name for a category of a protection figure, in the active language."""
    from corredor.protection import models
    from corredor.statistics import figures

    if value == TOTAL:
        return _("Total")
    if value == UNKNOWN and dim != "sex":
        return _("Not stated")
    choices: dict[str, Any] = {
        "case_kind": models.CaseKind,
        "provider_kind": models.ProviderKind,
        "service": models.ServiceKind,
    }
    if dim in choices and value in choices[dim].values:
        return str(choices[dim](value).label)
    if dim == "status":
        for enum in (models.CaseStatus, models.TransitionStatus):
            if value in enum.values:
                return str(enum(value).label)
    if dim == "consent":
        return {"given": _("Consent given"), "override": _("Without consent (best interests)")}.get(
            value, str(value)
        )
    if dim == "origin":
        return {"border": _("Border desk"), "case": _("From a case"), "walk_in": _("Walk-in")}.get(
            value, str(value)
        )
    return figures.label(dim, value)


@dataclass(frozen=True)
class Extract:
    root: Path
    manifest: Manifest

    def path(self, table: str) -> str | None:
        parts = self.manifest.parts.get(f"protection_{table}") or []
        return str(self.root / parts[0]) if parts else None


def extract_open(root: Path | None = None) -> Extract:
    """The extract's protection tables; a clear error (503) when no refresh has written them yet."""
    root = root or stats_dir()
    manifest = Manifest.load(root)
    if manifest is None or not manifest.parts.get("protection_cases"):
        raise ApplicationError(
            _("There are no protection figures yet: run `corredor stats refresh` to extract the records."),
            status=503,
        )
    return Extract(root, manifest)


def protection_table(
    *,
    user: Any,
    table: str,
    by: Sequence[str],
    date_from: date | None = None,
    date_to: date | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    k: int | None = None,
    root: Path | None = None,
) -> Result:
    """Referrals or cases counted by up to three dimensions, with every margin, protected."""
    from corredor.statistics.selectors import min_cell

    scoped = permissions.statistics_scope(user=user, filters=filters)
    if table not in MEASURES:
        raise ApplicationError(
            _("Unknown table %(t)s: choose referrals or cases.") % {"t": table}, detail={"field": "table"}
        )
    allowed = TABLE_DIMENSIONS[table]
    by = list(dict.fromkeys(by))
    if not by or len(by) > MAX_DIMENSIONS or any(d not in allowed for d in by):
        raise ApplicationError(
            _("Break these figures down by one to %(n)s of: %(dims)s.")
            % {"n": MAX_DIMENSIONS, "dims": ", ".join(allowed)},
            detail={"field": "by"},
        )
    unknown = [name for name in scoped if name not in ("post", "nationality", "case_kind")]
    if unknown:
        raise ApplicationError(
            _("These figures cannot be filtered by %(f)s.") % {"f": ", ".join(unknown)},
            detail={"field": unknown[0]},
        )
    extract = extract_open(root)
    path = extract.path(table)
    dims = [DIMENSIONS[d] for d in by]
    where = ["true"]
    params: list[Any] = []
    if date_from is not None:
        where.append("day >= ?")
        params.append(date_from)
    if date_to is not None:
        where.append("day <= ?")
        params.append(date_to)
    for name, chosen in scoped.items():
        where.append(f"{DIMENSIONS[name].events} IN ({', '.join('?' for _v in chosen)})")
        params.extend(chosen)
    select = ", ".join(f"{d.events} AS d{i}" for i, d in enumerate(dims))
    groups = ", ".join(f"d{i}" for i in range(len(dims)))
    sql = (
        f"SELECT {select}, count(*) AS n FROM read_parquet('{path}') "
        f"WHERE {' AND '.join(where)} GROUP BY {groups}"
    )
    import duckdb

    connection = duckdb.connect()
    try:
        found = connection.execute(sql, params).fetchall()
    finally:
        connection.close()
    categories: list[list[Any]] = []
    for axis, dim in enumerate(dims):
        seen = {row[axis] for row in found}
        known = _known_categories(dim.code, table)
        extra = sorted(str(v) for v in seen if v not in known and v != UNKNOWN)
        listed = [*known, *extra] + ([UNKNOWN] if UNKNOWN in seen else [])
        categories.append(listed)
    interior = np.zeros(tuple(len(c) for c in categories), dtype=np.int64)
    positions = [{c: i for i, c in enumerate(cats)} for cats in categories]
    for found_row in found:
        index = tuple(
            positions[axis][found_row[axis] if found_row[axis] is not None else UNKNOWN]
            for axis in range(len(dims))
        )
        interior[index] += found_row[-1]
    axes = list(range(len(dims)))
    values = disclosure.add_margins(interior, axes)
    result = Result(
        measure=MEASURES[table],
        dims=dims,
        categories=[[*cats, TOTAL] for cats in categories],
        margin_axes=axes,
        values=values,
        support=values.copy(),
        date_from=date_from,
        date_to=date_to,
        filters=scoped,
    )
    return result.protect(k if k is not None else min_cell())


def table_rows(result: Result) -> dict[str, Any]:
    """A protected result as rows for a template (labels, value or — when withheld); a table of
    nationalities alone lists the largest first, withheld ones last."""
    from corredor.statistics import charts

    header = [str(d.label) for d in result.dims] + [str(result.measure.label)]
    rows: list[dict[str, Any]] = []
    for labels, value, status in result.cells():
        rows.append(
            {
                "labels": [category_label(result.dims[a].code, v) for a, v in enumerate(labels)],
                "value": charts.number_text(value),
                "withheld": bool(status),
                "total": TOTAL in labels,
                "order": (TOTAL in labels, bool(status), -(value or 0)),
            }
        )
    if [d.code for d in result.dims] == ["nationality"]:
        rows.sort(key=lambda row: row["order"])
    return {"header": header, "rows": rows}
