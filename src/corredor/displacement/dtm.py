"""DTM's published figures (the public API's admin 0-2 table, as HDX publishes it with HXL hashtags): read,
check, and add up. No database: rows in, figures and located problems out (their messages translated).

The table's shape (`dtm_haiti_idps_admin0_2_hxl.csv`): a header row of names, then a row of HXL hashtags,
then one row per operation x round x admin area x reason of displacement x area of origin. Admin 0 rows are
DTM's national totals; admin 1 and admin 2 rows break each of them down, so the three levels must add up to
the same figure, and a reader that sums every row counts the people three times. Odd values seen in the real
file: empty male/female counts, male + female differing from the total (a partial breakdown), "Not available"
as an area of origin, a DTM `id` used twice and empty on admin 0 rows.

Errors (the row cannot be used: a count that is not a number, an unknown admin level, a missing p-code)
are reported with their line and column and stop the import; oddities are reported as warnings and kept.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

# The columns the importer reads, by the name in the header row and the HXL hashtag (either may be used).
COLUMNS = {
    "operation": "#operation+name",
    "admin0Pcode": "#country+code",
    "admin0Name": "#country+name",
    "admin1Pcode": "#adm1+code",
    "admin1Name": "#adm1+name",
    "admin2Pcode": "#adm2+code",
    "admin2Name": "#adm2+name",
    "adminLevel": "#adm+level",
    "numPresentIdpInd": "#affected+idps",
    "numberMales": "#affected+idps+m",
    "numberFemales": "#affected+idps+f",
    "reportingDate": "#date+reported",
    "roundNumber": "#round+code",
    "displacementReason": "#cause+type",
    "idpOriginAdmin1Pcode": "#adm1+code+origin",
    "assessmentType": "#assessment+type",
    "id": "#id+code",
}
REQUIRED = (
    "operation",
    "admin0Pcode",
    "adminLevel",
    "numPresentIdpInd",
    "reportingDate",
    "roundNumber",
    "displacementReason",
)
REASONS = {
    "natural disaster": "natural_disaster",
    "conflict": "conflict",
    "insecurity": "insecurity",
    "other reason": "other",
    "no reason for displacement reported": "not_reported",
}
NOT_AVAILABLE = {"", "not available", "n/a", "na", "-"}


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the file's line (1 = the header) and the column's name."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "field": self.column,
            "message": _("line %(line)d, %(column)s: %(message)s")
            % {"line": self.line, "column": self.column, "message": self.message},
            "problem": self.message,
        }


@dataclass(frozen=True)
class Figure:
    """One usable row of the table."""

    line: int
    operation: str
    round_number: int
    reporting_date: date
    admin_level: int
    admin0: tuple[str, str]
    admin1: tuple[str, str]
    admin2: tuple[str, str]
    individuals: int
    males: int | None
    females: int | None
    reason: str
    origin_pcode: str
    assessment_type: str
    source_id: str

    @property
    def pcode(self) -> str:
        return (self.admin0, self.admin1, self.admin2)[self.admin_level][0]

    @property
    def group(self) -> tuple[str, int, str, str, str]:
        """The national figure this row belongs to: its operation, round, reason, origin, assessment."""
        return (self.operation, self.round_number, self.reason, self.origin_pcode, self.assessment_type)


@dataclass
class Table:
    figures: list[Figure] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class RoundTotal:
    """A round's displaced individuals: as DTM published it (its admin 0 rows) and as its admin 1 and admin 2
    rows add up."""

    operation: str
    round_number: int
    reporting_date: date
    published: int
    admin1: int
    admin2: int

    @property
    def consistent(self) -> bool:
        return self.published == self.admin1 == self.admin2


def _header_map(header: list[str], tags: list[str] | None) -> dict[str, int]:
    where: dict[str, int] = {}
    names = [cell.strip() for cell in header]
    hashtags = [cell.strip().lower().replace(" ", "") for cell in (tags or [])]
    for column, hashtag in COLUMNS.items():
        if column in names:
            where[column] = names.index(column)
        elif hashtag in hashtags:
            where[column] = hashtags.index(hashtag)
    return where


def _is_tag_row(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(cell.startswith("#") for cell in cells)


def _count(text: str, line: int, column: str, errors: list[Problem], *, optional: bool) -> int | None:
    value = text.strip().replace(",", "")
    if value == "":
        if not optional:
            errors.append(Problem(line, column, _("a count is required")))
        return None
    try:
        number = int(float(value)) if value.endswith(".0") else int(value)
    except ValueError:
        errors.append(Problem(line, column, _("%(value)r is not a whole number") % {"value": text}))
        return None
    if number < 0:
        errors.append(Problem(line, column, _("%(number)d is negative") % {"number": number}))
        return None
    return number


def _date(text: str) -> date:
    value = text.strip()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value[:10])


def read_table(text: str) -> Table:
    """Read DTM's table (CSV text, header row, optional HXL hashtag row). Every problem is collected, not
    only the first."""
    table = Table()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        table.errors.append(Problem(1, "-", _("the file is empty")))
        return table
    header = rows[0]
    tags = rows[1] if len(rows) > 1 and _is_tag_row(rows[1]) else None
    if _is_tag_row(header):  # a file with hashtags only
        tags, header = header, []
    where = _header_map(header, tags)
    missing = [column for column in REQUIRED if column not in where]
    if missing:
        table.errors.append(
            Problem(1, ", ".join(missing), _("required columns are missing (by name or HXL hashtag)"))
        )
        return table
    # The first data row: after the header and the hashtag row, whichever of them the file has.
    first = 3 if header and tags is not None else 2
    seen_ids: dict[str, int] = {}
    for offset, row in enumerate(rows[first - 1 :]):
        line = first + offset
        if not any(cell.strip() for cell in row):
            continue
        figure = _read_row(row, line, where, table)
        if figure is None:
            continue
        if figure.source_id:
            if figure.source_id in seen_ids:
                table.warnings.append(
                    Problem(
                        line,
                        "id",
                        _("DTM id %(id)s also on line %(line)d")
                        % {"id": figure.source_id, "line": seen_ids[figure.source_id]},
                    )
                )
            else:
                seen_ids[figure.source_id] = line
        table.figures.append(figure)
    return table


def _read_row(row: list[str], line: int, where: dict[str, int], table: Table) -> Figure | None:
    def cell(column: str) -> str:
        index = where.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    errors: list[Problem] = []
    operation = cell("operation")
    if not operation:
        errors.append(Problem(line, "operation", _("the operation is empty")))
    level_text = cell("adminLevel")
    level = int(level_text) if level_text in ("0", "1", "2") else -1
    if level < 0:
        errors.append(
            Problem(
                line, "adminLevel", _("%(value)r is not an admin level 0, 1 or 2") % {"value": level_text}
            )
        )
    areas = [(cell(f"admin{n}Pcode"), cell(f"admin{n}Name")) for n in range(3)]
    for n in range(max(level, 0) + 1):
        if not areas[n][0]:
            errors.append(
                Problem(
                    line,
                    f"admin{n}Pcode",
                    _("an admin %(level)d row needs its admin %(n)d p-code") % {"level": level, "n": n},
                )
            )
    if level == 2 and areas[1][0] and areas[2][0] and not areas[2][0].startswith(areas[1][0]):
        errors.append(
            Problem(
                line,
                "admin2Pcode",
                _("%(code)s is not inside admin 1 %(parent)s (p-codes differ)")
                % {"code": areas[2][0], "parent": areas[1][0]},
            )
        )
    individuals = _count(cell("numPresentIdpInd"), line, "numPresentIdpInd", errors, optional=False)
    males = _count(cell("numberMales"), line, "numberMales", errors, optional=True)
    females = _count(cell("numberFemales"), line, "numberFemales", errors, optional=True)
    round_text = cell("roundNumber")
    if not round_text.isdigit():
        errors.append(
            Problem(line, "roundNumber", _("%(value)r is not a round number") % {"value": round_text})
        )
    try:
        reporting_date = _date(cell("reportingDate"))
    except ValueError:
        errors.append(
            Problem(line, "reportingDate", _("%(value)r is not a date") % {"value": cell("reportingDate")})
        )
        reporting_date = date.min
    reason_text = cell("displacementReason")
    reason = REASONS.get(reason_text.lower())
    if reason is None:
        table.warnings.append(
            Problem(
                line,
                "displacementReason",
                _("unknown reason %(value)r: kept as 'other reason'") % {"value": reason_text},
            )
        )
        reason = "other"
    if errors:
        table.errors.extend(errors)
        return None
    assert individuals is not None
    if males is not None and females is not None and males + females != individuals:
        table.warnings.append(
            Problem(
                line,
                "numberMales",
                _(
                    "males %(males)d + females %(females)d = %(sum)d, not the total %(total)d "
                    "(a partial breakdown: the total is kept)"
                )
                % {"males": males, "females": females, "sum": males + females, "total": individuals},
            )
        )
    origin = cell("idpOriginAdmin1Pcode")
    return Figure(
        line=line,
        operation=operation,
        round_number=int(round_text),
        reporting_date=reporting_date,
        admin_level=level,
        admin0=areas[0],
        admin1=areas[1],
        admin2=areas[2],
        individuals=individuals,
        males=males,
        females=females,
        reason=reason,
        origin_pcode="" if origin.lower() in NOT_AVAILABLE else origin,
        assessment_type=cell("assessmentType")[:2],
        source_id=cell("id"),
    )


def round_totals(figures: Iterable[Figure]) -> list[RoundTotal]:
    """Each operation's rounds: DTM's national total (its admin 0 rows) beside what the admin 1 and admin 2
    rows add up to, in order of operation and round."""
    sums: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    dates: dict[tuple[str, int], date] = {}
    for figure in figures:
        key = (figure.operation, figure.round_number)
        sums[key][figure.admin_level] += figure.individuals
        dates[key] = max(dates.get(key, date.min), figure.reporting_date)
    return [
        RoundTotal(operation, number, dates[(operation, number)], *sums[(operation, number)])
        for operation, number in sorted(sums)
    ]


def level_problems(figures: Iterable[Figure]) -> list[Problem]:
    """National figures whose admin 1 or admin 2 rows do not add up to the admin 0 row (located at the
    admin 0 row's line)."""
    published: dict[tuple[str, int, str, str, str], tuple[int, int]] = {}
    sums: dict[tuple[str, int, str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for figure in figures:
        sums[figure.group][figure.admin_level] += figure.individuals
        if figure.admin_level == 0:
            published[figure.group] = (figure.line, figure.individuals)
    problems = []
    for group, (line, total) in published.items():
        for level in (1, 2):
            if sums[group][level] != total:
                problems.append(
                    Problem(
                        line,
                        "numPresentIdpInd",
                        _("the admin %(level)d rows add up to %(sum)d, not the published %(total)d")
                        % {"level": level, "sum": sums[group][level], "total": total},
                    )
                )
    return problems
