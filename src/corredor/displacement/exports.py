"""HXL-tagged CSV and XLSX tables ready for HDX: aggregates only, protected by the statistics app's
disclosure control (primary and secondary cell suppression, `corredor.statistics.disclosure`).

Each table is an interior of counts (rows: areas or sites; columns: female, male...) with its totals; cells
counting 1 to K-1 people are withheld, and enough others with them that no withheld cell can be worked out
from the published totals. A withheld cell is written empty and the row's `#meta+confidential` column
names it; never its value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from corredor.core.exports import SafeCsvWriter, safe_row
from corredor.displacement import selectors
from corredor.displacement.models import Event, Round
from corredor.statistics import disclosure

TABLES = ("areas", "sites", "registrations")
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "hxl.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass(frozen=True)
class Table:
    """A protected table: the label columns, the count columns, and each row's cells (None = withheld)."""

    name: str
    headers: list[str]
    tags: list[str]
    rows: list[list[Any]]
    suppressed: int


def protect_rows(
    labels: list[list[Any]],
    interior: np.ndarray,
    count_names: list[str],
    *,
    k: int = disclosure.DEFAULT_MIN_CELL,
) -> tuple[list[list[Any]], int]:
    """Rows of labels + counts + total, with a total row, cells withheld by disclosure control; how many."""
    values = interior.astype(np.int64).reshape(len(labels), len(count_names))
    with_margins = disclosure.add_margins(values, [0, 1])
    protection = disclosure.protect(with_margins, margin_axes=[0, 1], k=k)
    status = protection.status
    rows = []
    for index, row_labels in enumerate(
        [*labels, [_("Total")] + [""] * (len(labels[0]) - 1 if labels else 0)]
    ):
        cells: list[Any] = []
        withheld = []
        for column in range(len(count_names) + 1):
            if status[index, column] == disclosure.PUBLISHED:
                cells.append(int(with_margins[index, column]))
            else:
                cells.append(None)
                withheld.append(([*count_names, "total"])[column])
        rows.append([*row_labels, *cells, " ".join(withheld)])
    return rows, int((status != disclosure.PUBLISHED).sum())


def areas_table(*, user: Any, event: Event, round: Round) -> Table:
    """Displaced individuals by admin area (female, male, total) in a round."""
    figures = selectors.round_areas(user=user, event=event, round=round)
    has_sex = bool(figures) and all(f.females is not None and f.males is not None for f in figures)
    labels = [
        [f.pcode, f.name, f.level, event.code, round.number, str(round.reporting_date)] for f in figures
    ]
    if has_sex:
        interior = np.array([[f.females or 0, f.males or 0] for f in figures])
        counts, count_tags = ["females", "males"], ["#affected+idps+f", "#affected+idps+m"]
    else:
        interior = np.array([[f.individuals] for f in figures])
        counts, count_tags = ["individuals"], ["#affected+idps+total"]
    rows, withheld = protect_rows(labels, interior, counts) if figures else ([], 0)
    if not has_sex:
        rows = [[*row[:-2], row[-1]] for row in rows]  # one count column: its total is itself
    return Table(
        name=f"{event.code}-round{round.number}-areas",
        headers=[
            "pcode",
            "area",
            "admin_level",
            "event",
            "round",
            "reporting_date",
            *counts,
            *(["individuals"] if has_sex else []),
            "confidential",
        ],
        tags=[
            "#adm+code",
            "#adm+name",
            "#adm+level",
            "#crisis+code",
            "#round+code",
            "#date+reported",
            *count_tags,
            *(["#affected+idps+total"] if has_sex else []),
            "#meta+confidential",
        ],
        rows=rows,
        suppressed=withheld,
    )


def registrations_table(*, user: Any, event: Event) -> Table:
    """Registered individuals by site and sex: counts of persons, so small cells matter most here."""
    counts = selectors.registration_counts(user=user, event=event)
    labels = [[code, name, event.code] for code, name, *_rest in counts]
    interior = np.array([[f, m, x] for _code, _name, f, m, x in counts])
    rows, withheld = protect_rows(labels, interior, ["females", "males", "other"]) if counts else ([], 0)
    return Table(
        name=f"{event.code}-registrations",
        headers=[
            "site",
            "site_name",
            "event",
            "females",
            "males",
            "other_sex",
            "individuals",
            "confidential",
        ],
        tags=[
            "#loc+code",
            "#loc+name",
            "#crisis+code",
            "#reached+f",
            "#reached+m",
            "#reached+x",
            "#reached+total",
            "#meta+confidential",
        ],
        rows=rows,
        suppressed=withheld,
    )


def sites_table(*, user: Any, event: Event) -> Table:
    """Each site with its latest assessment: population (protected) and needs by sector (0 to 3)."""
    needs = selectors.sites_needs(user=user, event=event)
    labels = [
        [n.site.code, n.site.name, n.site.get_kind_display(), n.site.area_id, n.site.capacity] for n in needs
    ]
    rows, withheld = (
        protect_rows(labels, np.array([[n.individuals] for n in needs]), ["individuals"])
        if needs
        else ([], 0)
    )
    sectors = ["shelter", "wash", "food", "health", "protection", "education", "communication"]
    body = []
    for row, site_needs in zip(rows, [*needs, None], strict=True):
        levels = [site_needs.needs.get(s, "") if site_needs else "" for s in sectors]
        body.append([*row[:5], row[5], *levels, row[-1]])
    return Table(
        name=f"{event.code}-sites",
        headers=[
            "site",
            "site_name",
            "type",
            "pcode",
            "capacity",
            "individuals",
            *(f"need_{s}" for s in sectors),
            "confidential",
        ],
        tags=[
            "#loc+code",
            "#loc+name",
            "#loc+type",
            "#adm+code",
            "#capacity",
            "#affected+idps",
            *(f"#severity+{s}" for s in sectors),
            "#meta+confidential",
        ],
        rows=body,
        suppressed=withheld,
    )


def write_csv(table: Table) -> bytes:
    """HXL-tagged CSV: the header row, the hashtag row, then the rows."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerow(table.tags)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8")


def write_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(safe_row(table.headers))
    sheet.append(safe_row(table.tags))
    for row in table.rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(
    *, user: Any, event: Event, table: str, fmt: str, round: Round | None = None
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one protected table."""
    from corredor.core.audit import audit_write
    from corredor.core.errors import NotFound

    if table not in TABLES or fmt not in FORMATS:
        raise NotFound(_("No such export."))
    if table == "areas":
        if round is None:
            round = event.rounds.order_by("-number").first()
        if round is None:
            raise NotFound(_("The event has no round yet."))
        made = areas_table(user=user, event=event, round=round)
    elif table == "sites":
        made = sites_table(user=user, event=event)
    else:
        made = registrations_table(user=user, event=event)
    content_type, extension = FORMATS[fmt]
    content = write_csv(made) if fmt == "csv" else write_xlsx(made)
    audit_write(
        action="export",
        object_type="displacement.export",
        object_id=made.name[:64],
        summary=f"{fmt}, {made.suppressed} cells withheld",
    )
    return content, content_type, f"{made.name}.{extension}"
