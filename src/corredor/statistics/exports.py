"""Published tables as files: CSV, XLSX, HXL-tagged CSV and SDMX-CSV.

Every writer takes a `Result` that disclosure control has already protected (`Result.protect`) and
refuses one that has not: a suppressed cell is written empty with its flag, never its value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from corredor.core.exports import SafeCsvWriter, safe_row
from corredor.statistics import disclosure
from corredor.statistics.countrynames import country_label
from corredor.statistics.engine import (
    AGE_BANDS,
    CHILD_BANDS,
    NOT_REFUSED,
    TOTAL,
    UNKNOWN,
    Result,
    period_label,
)
from corredor.statistics.regions import region_label

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "hxl": ("text/csv; charset=utf-8", "hxl.csv"),
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8", "sdmx.csv"),
}

FLAGS = {disclosure.PUBLISHED: "", disclosure.PRIMARY: "confidential", disclosure.SECONDARY: "confidential"}
NOT_APPLICABLE = "not applicable"  # a rate with nothing to divide by: empty, and not a withheld cell


def _flag(value: Any, status: int) -> str:
    return NOT_APPLICABLE if value is None and status == disclosure.PUBLISHED else FLAGS[status]


# Primary and secondary cells are flagged alike ("C", confidential): flagging the primary ones apart would
# tell a reader which cells count fewer than K people, the very thing withheld.
SDMX_CONF_STATUS = {disclosure.PUBLISHED: "F", disclosure.PRIMARY: "C", disclosure.SECONDARY: "C"}
DATAFLOW = "CORREDOR:MIGRATION_MOVEMENTS(1.0)"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def _code(result: Result, axis: int, value: Any, *, sdmx: bool = False) -> str:
    dim = result.dims[axis]
    if dim.period:
        if value == TOTAL:
            # SDMX has no total period: the whole range as an ISO 8601 interval.
            return f"{result.date_from}/{result.date_to}" if sdmx else TOTAL
        return period_label(value, dim.period)
    return str(value)


def label(dim_code: str, value: Any, lang: str = "en") -> str:
    """A readable name for a category."""
    if value == TOTAL:
        return _("Total")
    if value == UNKNOWN:
        # Sex X is published merged with "not stated" where it counts too few (Result.merge_sex_x).
        return _("Other or not stated") if dim_code == "sex" else _("Unknown")
    if dim_code == "nationality":
        return country_label(str(value), lang)
    if dim_code == "refusal_ground":
        return refusal_ground_label(str(value))
    if dim_code == "region":
        return region_label(str(value))
    if dim_code == "sex":
        return {"F": _("Women"), "M": _("Men"), "X": _("Unspecified")}.get(value, str(value))
    if dim_code in ("direction", "decision", "post_kind", "stay_category"):
        return {
            "entry": _("Entry"),
            "exit": _("Exit"),
            "admitted": _("Admitted"),
            "refused": _("Refused"),
            "referred": _("Referred"),
            "airport": _("Airport"),
            "land": _("Land crossing"),
            "seaport": _("Seaport"),
        }.get(value, str(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def refusal_ground_label(code: str) -> str:
    """A refusal ground as the refusal form names it ("C No valid visa"), in the active language."""
    if code == NOT_REFUSED:
        return _("Not a refusal")
    from corredor.border.models import RefusalGround

    ground = RefusalGround.objects.filter(code=code).order_by("country_id").first()
    return f"{code} {ground.name}" if ground is not None else code


def _require_protected(result: Result) -> None:
    if result.status is None:
        raise ValueError("A table is published only after disclosure control (Result.protect).")


def _formatted(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    return value


def write_csv(result: Result) -> bytes:
    _require_protected(result)
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow([d.code for d in result.dims] + [result.measure.code, "flag"])
    for labels, value, status in result.cells():
        codes = [_code(result, axis, v) for axis, v in enumerate(labels)]
        writer.writerow([*codes, "" if value is None else _formatted(value), _flag(value, status)])
    return out.getvalue().encode("utf-8")


def write_xlsx(result: Result, *, lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _require_protected(result)
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    header = []
    for dim in result.dims:
        header += [str(dim.label)] if dim.period else [f"{dim.label} ({_('code')})", str(dim.label)]
    header += [str(result.measure.label), _("Note")]
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for labels, value, status in result.cells():
        row: list[Any] = []
        for axis, v in enumerate(labels):
            dim = result.dims[axis]
            if dim.period:
                row.append(_code(result, axis, v))
            else:
                row += [str(v), label(dim.code, v, lang)]
        note = _("suppressed (confidential)") if status else (_("not applicable") if value is None else "")
        row += [_formatted(value), note]
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("notes")
    for line in method_lines(result):
        notes.append(safe_row([line]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def method_lines(result: Result) -> list[str]:
    counts = (
        disclosure.Protection(status=result.status, k=result.k or 0).counts()
        if result.status is not None
        else {}
    )
    return [
        f"{result.measure.label}: {result.measure.description}",
        _("Period: %(start)s to %(end)s.") % {"start": result.date_from, "end": result.date_to},
        _("Filters: %(f)s.")
        % {"f": ", ".join(f"{k}={'+'.join(v)}" for k, v in result.filters.items()) or "-"},
        _(
            "Disclosure control: cells counting fewer than %(k)s people are suppressed, and further cells "
            "are suppressed so that no suppressed cell can be worked out from the totals "
            "(%(primary)s primary, %(secondary)s secondary of %(cells)s cells)."
        )
        % {"k": result.k, **counts},
        _("Source: Corredor, records of the border posts; figures by the local day of the crossing."),
    ] + (
        [
            _(
                "Sex X (unspecified) counts too few people here: it is published with sex not stated, "
                "as one category."
            )
        ]
        if result.merged.get("sex")
        else []
    )


# --- HXL ----------------------------------------------------------------------------------------------------

_HXL_SEX = {"F": "+f", "M": "+m", "X": "+x", UNKNOWN: "+unknown"}


def _hxl_age(band: str) -> str:
    if band == UNKNOWN:
        return "+age_unknown"
    group = "+children" if band in CHILD_BANDS else "+elderly" if band == "60+" else "+adults"
    return "+age" + band.replace("-", "_").replace("+", "plus") + group


def _hxl_measure(result: Result) -> str:
    if result.measure.kind == "rate":
        return f"#indicator+{result.measure.code}+pct"
    return f"#affected+{result.measure.code}"


def write_hxl(result: Result) -> bytes:
    """HXL-tagged CSV: a row of hashtags under the header; sex and age, when broken down by, become
    columns (#affected+entries+f+age18_29), the other dimensions rows."""
    _require_protected(result)
    pivot_axes = [a for a, d in enumerate(result.dims) if d.code in ("sex", "age_band")]
    row_axes = [a for a in range(len(result.dims)) if a not in pivot_axes]
    columns: list[tuple[tuple[Any, ...], str, str]] = []
    pivot_categories = [result.categories[a] for a in pivot_axes]
    for combo in _product(pivot_categories):
        tag = _hxl_measure(result)
        name = [str(result.measure.label)]
        for axis, value in zip(pivot_axes, combo, strict=True):
            code = result.dims[axis].code
            if value == TOTAL:
                continue
            tag += _HXL_SEX.get(value, f"+{value}".lower()) if code == "sex" else _hxl_age(value)
            name.append(label(code, value))
        columns.append((combo, " - ".join(name), tag))
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    header, tags = [], []
    for axis in row_axes:
        dim = result.dims[axis]
        header.append(str(dim.label))
        tags.append(dim.hxl)
        if dim.code == "nationality":
            header.append(_("Country name"))
            tags.append("#country+name")
    header += [name for _c, name, _t in columns]
    tags += [tag for _c, _n, tag in columns]
    writer.writerow(header)
    writer.writerow(tags)
    status = result.cell_status
    for row_combo in _product([result.categories[a] for a in row_axes]):
        if TOTAL in row_combo:
            continue  # HXL rows are the inner cells; totals are the pivot's total columns
        line: list[Any] = []
        for axis, value in zip(row_axes, row_combo, strict=True):
            line.append(_code(result, axis, value))
            if result.dims[axis].code == "nationality":
                line.append(label("nationality", value))
        for combo, _name, _tag in columns:
            index = [0] * len(result.dims)
            for axis, value in zip(row_axes, row_combo, strict=True):
                index[axis] = result.categories[axis].index(value)
            for axis, value in zip(pivot_axes, combo, strict=True):
                index[axis] = result.categories[axis].index(value)
            cell = tuple(index)
            line.append("" if status[cell] else _formatted(_plain(result.values[cell])))
        writer.writerow(line)
    return out.getvalue().encode("utf-8")


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    # NaN: a rate with nothing to divide by, written empty (not available), never "nan".
    return None if isinstance(value, float) and value != value else value


def _product(lists: list[list[Any]]) -> list[tuple[Any, ...]]:
    import itertools

    return list(itertools.product(*lists)) if lists else [()]


# --- SDMX-CSV -----------------------------------------------------------------------------------------------

_SDMX_SEX = {"F": "F", "M": "M", "X": "_U", UNKNOWN: "_U", TOTAL: "_T"}


def _sdmx_age(band: str) -> str:
    if band == TOTAL:
        return "_T"
    if band == UNKNOWN:
        return "_U"
    if band.endswith("+"):
        return f"Y_GE{band[:-1]}"
    low, high = band.split("-")
    return f"Y{low}T{high}"


def write_sdmx_csv(result: Result) -> bytes:
    """SDMX-CSV (version 1): DATAFLOW, MEASURE, one column per dimension (SDMX concept ids, _T for totals),
    TIME_PERIOD, OBS_VALUE, CONF_STATUS (F free, C confidential: primary and secondary alike)."""
    _require_protected(result)
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    dims = [(axis, d) for axis, d in enumerate(result.dims) if not d.period]
    period_axis = next((axis for axis, d in enumerate(result.dims) if d.period), None)
    writer.writerow(
        ["DATAFLOW", "MEASURE", *[d.sdmx for _a, d in dims], "TIME_PERIOD", "OBS_VALUE", "CONF_STATUS"]
    )
    whole = f"{result.date_from}/{result.date_to}"
    for labels, value, status in result.cells():
        codes = []
        for axis, dim in dims:
            v = labels[axis]
            if dim.code == "sex":
                codes.append(_SDMX_SEX.get(v, str(v)))
            elif dim.code == "age_band":
                codes.append(_sdmx_age(v))
            else:
                codes.append(str(v).upper() if dim.code in ("direction", "decision", "post_kind") else str(v))
        period = (
            _code(result, period_axis, labels[period_axis], sdmx=True) if period_axis is not None else whole
        )
        writer.writerow(
            [
                DATAFLOW,
                result.measure.sdmx,
                *codes,
                period,
                "" if value is None else _formatted(value),
                SDMX_CONF_STATUS[status],
            ]
        )
    return out.getvalue().encode("utf-8")


def render(result: Result, fmt: str, *, lang: str = "en") -> ExportFile:
    """The table as a file in one of FORMATS, named after its measure, breakdown and period."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    content_type, extension = FORMATS[fmt]
    writers = {
        "csv": write_csv,
        "xlsx": lambda r: write_xlsx(r, lang=lang),
        "hxl": write_hxl,
        "sdmx-csv": write_sdmx_csv,
    }
    by = "-".join(d.code for d in result.dims) or "total"
    name = f"corredor-{result.measure.code}-{by}-{result.date_from}-{result.date_to}.{extension}"
    return ExportFile(writers[fmt](result), name, content_type)


__all__ = ["AGE_BANDS", "FORMATS", "ExportFile", "label", "render"]
