"""The protection figures page for analysts (`/statistics/protection/`): anonymised referrals and cases by
type, sex, age group and nationality, protected like every other table, each with its CSV. Thin: parse,
permit, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from corredor.core.audit import audit_write
from corredor.core.dates import date_field
from corredor.core.errors import ApplicationError
from corredor.statistics import exports, figures, permissions
from corredor.statistics import protection as figures_of
from corredor.statistics.selectors import min_cell

# The page's tables: (table, breakdown).
SHOWN = (
    ("referrals", ("case_kind", "sex")),
    ("cases", ("age_band", "sex")),
    ("cases", ("nationality",)),
    ("referrals", ("provider_kind", "status")),
)


def _range(request: HttpRequest) -> dict[str, Any]:
    return {"date_from": date_field(request.GET, "from"), "date_to": date_field(request.GET, "to")}


@login_required
def protection_page(request: HttpRequest) -> HttpResponse:
    permissions.permit_statistics(request.user)
    dates = _range(request)
    base = {
        "from": dates["date_from"].isoformat() if dates["date_from"] else None,
        "to": dates["date_to"].isoformat() if dates["date_to"] else None,
    }
    tables = []
    missing = None
    try:
        for table, by in SHOWN:
            result = figures_of.protection_table(user=request.user, table=table, by=by, **dates)
            status = result.status
            tables.append(
                {
                    "title": " × ".join(str(d.label) for d in result.dims),
                    "measure": result.measure,
                    "table": figures_of.table_rows(result),
                    "withheld": int((status != 0).sum()) if status is not None else 0,
                    "csv": figures.query_string(base, table=table, by=",".join(by)),
                }
            )
    except ApplicationError as error:
        if error.status != 503:
            raise
        missing = error.message
    return render(
        request,
        "statistics/protection.html",
        {"tables": tables, "missing": missing, "k": min_cell(), **dates},
    )


@login_required
def protection_download(request: HttpRequest) -> HttpResponse:
    """One protected table as CSV (suppressed cells empty and flagged), audited as an export."""
    permissions.permit_statistics(request.user)
    table = request.GET.get("table", "")
    by = [d for d in request.GET.get("by", "").split(",") if d]
    result = figures_of.protection_table(user=request.user, table=table, by=by, **_range(request))
    content = exports.write_csv(result)
    name = f"corredor-{result.measure.code}-{'-'.join(by)}.csv"
    audit_write(
        action="export",
        object_type="statistics.protection",
        object_id=table,
        summary=f"{result.measure.code} by {', '.join(by)} (csv, web)",
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
