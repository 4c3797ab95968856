"""Statistics through the API: measures and dimensions, protected tables (JSON and files), the imported
international datasets. Tables and files pass disclosure control and are written to the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError
from corredor.statistics import exports, permissions, selectors, services
from corredor.statistics.engine import DIMENSIONS, MEASURES, TOTAL, period_label
from corredor.statistics.forms import StatisticsQueryForm, clean_country

router = Router(tags=["statistics"])


class DimensionOut(Schema):
    code: str
    label: str
    hxl: str
    sdmx: str


class MeasureOut(Schema):
    code: str
    label: str
    description: str
    kind: str


class CatalogueOut(Schema):
    measures: list[MeasureOut]
    dimensions: list[DimensionOut]
    min_cell: int


class TableIn(Schema):
    # Text here, checked by the statistics query form: a bad date or filter is a 400 naming it.
    measure: str
    by: str = ""
    date_from: str | None = None
    date_to: str | None = None
    min_cell: str | None = None
    filter: list[str] = []

    def parsed(self) -> dict[str, Any]:
        """The parameters checked (ApplicationError 400 naming every bad one)."""
        params = {
            "date_from": self.date_from or "",
            "date_to": self.date_to or "",
            "min_cell": self.min_cell or "",
            "by": self.by,
        }
        return StatisticsQueryForm(params, filters=_filters(self.filter)).parsed()


class CellOut(Schema):
    categories: dict[str, str]
    value: int | float | None
    suppressed: bool


class TableOut(Schema):
    measure: str
    by: list[str]
    date_from: date
    date_to: date
    min_cell: int
    primary: int
    secondary: int
    cells: list[CellOut]


class ExportIn(TableIn):
    format: str = "csv"


class ExternalIn(Schema):
    dataset: str
    origin: str | None = None
    destination: str | None = None
    year: int | None = None


class ExternalOut(Schema):
    origin: str
    destination: str
    year: int
    value: int


def _filters(items: list[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise ApplicationError(_("A filter is DIM=VALUE[,VALUE], not %(f)s.") % {"f": item})
        dim, values = item.split("=", 1)
        filters.setdefault(dim.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
    return filters


DEFAULT_BY = ["month", "sex", "age_band"]


@router.get("/catalogue", response=CatalogueOut, summary="Measures and dimensions")
def catalogue(request: HttpRequest) -> dict[str, Any]:
    permissions.permit_statistics(request.user)
    return {
        "measures": [
            {"code": m.code, "label": str(m.label), "description": str(m.description), "kind": m.kind}
            for m in MEASURES.values()
        ],
        "dimensions": [
            {"code": d.code, "label": str(d.label), "hxl": d.hxl, "sdmx": d.sdmx} for d in DIMENSIONS.values()
        ],
        "min_cell": selectors.min_cell(),
    }


@router.get("/table", response=TableOut, summary="A protected table (disclosure control applied)")
def table(request: HttpRequest, params: Query[TableIn]) -> dict[str, Any]:
    permissions.permit_statistics(request.user)
    query = params.parsed()
    by = query["by"] or DEFAULT_BY
    result = selectors.statistics_table(
        user=request.user,
        measure=params.measure,
        by=by,
        date_from=query["date_from"],
        date_to=query["date_to"],
        filters=query["filters"],
        k=query["min_cell"],
    )
    cells = []
    for labels, value, status in result.cells():
        categories = {}
        for axis, v in enumerate(labels):
            dim = result.dims[axis]
            categories[dim.code] = (
                TOTAL if v == TOTAL else (period_label(v, dim.period) if dim.period else str(v))
            )
        cells.append({"categories": categories, "value": value, "suppressed": bool(status)})
    primary, secondary = int((result.cell_status == 1).sum()), int((result.cell_status == 2).sum())
    audit_write(
        action="export",
        object_type="statistics.table",
        object_id=params.measure,
        summary=f"api json {params.measure} by {','.join(by)} {result.date_from}..{result.date_to} "
        f"K={result.k} cells={len(cells)} primary={primary} secondary={secondary}",
    )
    return {
        "measure": params.measure,
        "by": [d.code for d in result.dims],
        "date_from": result.date_from,
        "date_to": result.date_to,
        "min_cell": result.k,
        "primary": primary,
        "secondary": secondary,
        "cells": cells,
    }


@router.get("/export", summary="A protected table as a file: csv, xlsx, hxl or sdmx-csv")
def export(request: HttpRequest, params: Query[ExportIn]) -> HttpResponse:
    permissions.permit_statistics(request.user)
    query = params.parsed()
    file = services.statistics_export(
        user=request.user,
        measure=params.measure,
        by=query["by"] or DEFAULT_BY,
        date_from=query["date_from"],
        date_to=query["date_to"],
        fmt=params.format,
        filters=query["filters"],
        k=query["min_cell"],
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@router.get("/external", response=list[ExternalOut], summary="Imported international figures")
def external(request: HttpRequest, params: Query[ExternalIn]) -> list[dict[str, Any]]:
    permissions.permit_statistics(request.user)
    return selectors.external_figures(
        dataset=params.dataset,
        origin=clean_country(params.origin, field="origin"),
        destination=clean_country(params.destination, field="destination"),
        year=params.year,
    )


__all__ = ["exports", "router"]
