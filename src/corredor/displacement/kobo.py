"""Registration submissions exported from KoboToolbox or ODK Central (CSV or XLSX): read and check. Pure
Python (openpyxl for XLSX), no database; the problems' messages are translated.

Both tools export one row per submission (here one row per registered individual, the household named by
its reference) with column names that carry the form's groups: Kobo writes `group_member/surname`, ODK
Central `member-surname`; the importer reads the last part. Kobo's CSV export separates columns with `;`
by default, ODK's with `,`: the separator is detected. A select_multiple (vulnerabilities) is one cell of
space-separated choice names. The submission's id (`_uuid`, or ODK's `meta-instanceID` as `uuid:...`) makes
a re-import of the same export store nothing twice.

Every problem is collected with its row (the spreadsheet's row number, 1 = the header) and column, so that
the whole report can be fixed at once; one error and nothing is stored (the service decides).
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _

from corredor.displacement.dtm import Problem

COLUMNS = (
    "household_ref",
    "site_code",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "age_group",
    "relationship",
    "vulnerabilities",
    "consent_referral",
    "origin_pcode",
    "submission_id",
)
REQUIRED = ("household_ref", "site_code", "surname", "given_names", "sex")
# Other names the tools (and forms made by hand) give the same columns.
ALIASES = {
    "_uuid": "submission_id",
    "instanceid": "submission_id",
    "household": "household_ref",
    "household_id": "household_ref",
    "site": "site_code",
    "last_name": "surname",
    "family_name": "surname",
    "first_name": "given_names",
    "given_name": "given_names",
    "dob": "birth_date",
    "date_of_birth": "birth_date",
    "vulnerability": "vulnerabilities",
    "consent": "consent_referral",
    "origin": "origin_pcode",
}
SEXES = {
    "f": "F",
    "female": "F",
    "femme": "F",
    "mujer": "F",
    "m": "M",
    "male": "M",
    "homme": "M",
    "hombre": "M",
    "x": "X",
    "other": "X",
    "otro": "X",
    "autre": "X",
}
YES = {"yes", "y", "1", "true", "oui", "si", "sí", "wi"}
NO = {"no", "n", "0", "false", "non", "", "non_consent"}
AGE_GROUPS = ("children", "adults", "elderly")
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class Submission:
    """One registered individual, as checked."""

    row: int
    household_ref: str
    site_code: str
    surname: str
    given_names: str
    sex: str
    birth_date: str
    age_group: str
    relationship: str
    vulnerabilities: tuple[str, ...]
    consent_referral: bool
    origin_pcode: str
    submission_id: uuid.UUID | None


@dataclass
class Read:
    submissions: list[Submission] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def column_name(header: str) -> str:
    """Our name for a column of the export: the last part of a group path, lower case, aliases resolved."""
    name = header.strip().lower()
    for separator in ("/", "-"):
        if name not in COLUMNS and name not in ALIASES and separator in name:
            name = name.rsplit(separator, 1)[1]
    return ALIASES.get(name, name)


def rows_of(data: bytes, file_name: str) -> list[list[str]]:
    """The rows of a CSV (`,`, `;` or tab separated; UTF-8, with or without BOM) or XLSX file as text.
    ValueError says why the file cannot be read."""
    if file_name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValueError(
                _("not a readable XLSX workbook (%(kind)s)") % {"kind": error.__class__.__name__}
            ) from None
        sheet = book.worksheets[0]
        rows = [
            ["" if cell is None else _text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_("not UTF-8 text (byte %(at)d)") % {"at": error.start}) from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _birth_date(text: str) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also a spreadsheet's `YYYY-MM-DD 00:00:00`); None if unusable."""
    value = text.strip()[:10]
    try:
        if len(value) == 4 and value.isdigit():
            return value
        if len(value) == 7:
            date.fromisoformat(value + "-01")
            return value
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=65_536)
def age_group_of(birth_date: str, on: date) -> str:
    """The age band on a day, from a birth date known to the year at least (a year alone: its 1 July)."""
    parts = [int(part) for part in birth_date.split("-")]
    born = date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return "children" if age < 18 else "adults" if age < 60 else "elderly"


def read_submissions(data: bytes, file_name: str, *, today: date, vulnerabilities: set[str]) -> Read:
    """Read and check a registration export. `vulnerabilities` are the choice names the form may use."""
    result = Read()
    try:
        rows = rows_of(data, file_name)
    except ValueError as error:
        result.errors.append(Problem(1, "-", str(error)))
        return result
    if not rows:
        result.errors.append(Problem(1, "-", _("the file is empty")))
        return result
    if len(rows) > MAX_ROWS + 1:
        result.errors.append(
            Problem(1, "-", _("more than %(max)d rows: split the export") % {"max": MAX_ROWS})
        )
        return result
    names = [column_name(cell) for cell in rows[0]]
    where = {name: index for index, name in reversed(list(enumerate(names))) if name in COLUMNS}
    missing = [name for name in REQUIRED if name not in where]
    if missing:
        result.errors.append(Problem(1, ", ".join(missing), _("required columns are missing")))
        return result
    seen: dict[uuid.UUID, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        submission = _check_row(row, number, where, result.errors, today, vulnerabilities)
        if submission is None:
            continue
        if submission.submission_id is not None:
            if submission.submission_id in seen:
                result.errors.append(
                    Problem(
                        number,
                        "submission_id",
                        _("the same submission as row %(row)d") % {"row": seen[submission.submission_id]},
                    )
                )
                continue
            seen[submission.submission_id] = number
        result.submissions.append(submission)
    return result


def _check_row(
    row: list[str], number: int, where: dict[str, int], errors: list[Problem], today: date, choices: set[str]
) -> Submission | None:
    width = len(row)
    cells = {name: str(row[index]).strip() if index < width else "" for name, index in where.items()}

    def cell(name: str) -> str:
        return cells.get(name, "")

    found: list[Problem] = []
    for name in REQUIRED:
        if not cell(name):
            found.append(Problem(number, name, _("is empty")))
    sex = SEXES.get(cell("sex").lower(), "")
    if cell("sex") and not sex:
        found.append(Problem(number, "sex", _("%(value)r is not F, M or X") % {"value": cell("sex")}))
    birth_text = cell("birth_date")
    birth_date = _birth_date(birth_text) if birth_text else ""
    if birth_date is None:
        found.append(
            Problem(
                number,
                "birth_date",
                _("%(value)r is not a date YYYY-MM-DD (or YYYY, YYYY-MM)") % {"value": birth_text},
            )
        )
    elif birth_date and birth_date[:4] > today.isoformat()[:4]:
        found.append(Problem(number, "birth_date", _("%(value)s is in the future") % {"value": birth_text}))
        birth_date = None
    age_group = cell("age_group").lower()
    if birth_date:
        age_group = age_group_of(birth_date, today)
    elif birth_date is not None and age_group not in AGE_GROUPS:
        found.append(
            Problem(number, "age_group", _("give a birth date or an age group (children, adults, elderly)"))
        )
    listed = tuple(dict.fromkeys(cell("vulnerabilities").replace(",", " ").split()))
    unknown = [name for name in listed if name not in choices]
    if unknown:
        found.append(
            Problem(number, "vulnerabilities", _("unknown choice %(names)s") % {"names": ", ".join(unknown)})
        )
    consent = cell("consent_referral").lower()
    if consent not in YES and consent not in NO:
        found.append(
            Problem(
                number,
                "consent_referral",
                _("%(value)r is not yes or no") % {"value": cell("consent_referral")},
            )
        )
    submission_text = cell("submission_id").removeprefix("uuid:")
    submission_id = None
    if submission_text:
        try:
            submission_id = uuid.UUID(submission_text)
        except ValueError:
            found.append(
                Problem(number, "submission_id", _("%(value)r is not a UUID") % {"value": submission_text})
            )
    if found:
        errors.extend(found)
        return None
    return Submission(
        row=number,
        household_ref=cell("household_ref")[:60],
        site_code=cell("site_code"),
        surname=cell("surname")[:200],
        given_names=cell("given_names")[:200],
        sex=sex,
        birth_date=birth_date or "",
        age_group=age_group,
        relationship=cell("relationship")[:20],
        vulnerabilities=listed,
        consent_referral=consent in YES,
        origin_pcode=cell("origin_pcode"),
        submission_id=submission_id,
    )


def xlsform(
    *,
    title: str,
    form_id: str,
    sites: list[tuple[str, str]],
    areas: list[tuple[str, str]],
    vulnerabilities: list[tuple[str, str]],
) -> bytes:
    """The XLSForm of the registration form (one submission per person), for KoboToolbox or ODK Central:
    its questions are named as this importer reads them, so the tool's CSV/XLSX export imports as it is."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "relevant", "constraint"])
    survey.append(["start", "start", "", "", "", ""])
    survey.append(["end", "end", "", "", "", ""])
    rows = [
        ["text", "household_ref", "Household reference", "yes", "", ""],
        ["select_one site", "site_code", "Site", "yes", "", ""],
        ["text", "surname", "Surname(s)", "yes", "", ""],
        ["text", "given_names", "Given name(s)", "yes", "", ""],
        ["select_one sex", "sex", "Sex", "yes", "", ""],
        ["date", "birth_date", "Birth date (if known)", "", "", ". <= today()"],
        ["select_one age_group", "age_group", "Age group", "yes", "${birth_date} = ''", ""],
        ["text", "relationship", "Relationship to the head of household", "", "", ""],
        ["select_multiple vulnerability", "vulnerabilities", "Vulnerabilities", "", "", ""],
        ["select_one yes_no", "consent_referral", "Consents to referral to protection", "yes", "", ""],
        ["select_one area", "origin_pcode", "Area of origin", "", "", ""],
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for code, name in sites:
        choices.append(["site", code, name])
    for code, label in (("F", "Female"), ("M", "Male"), ("X", "Other")):
        choices.append(["sex", code, label])
    for code in AGE_GROUPS:
        choices.append(["age_group", code, code.capitalize()])
    for code, label in vulnerabilities:
        choices.append(["vulnerability", code, label])
    for code, label in (("yes", "Yes"), ("no", "No")):
        choices.append(["yes_no", code, label])
    for code, name in areas:
        choices.append(["area", code, f"{code} {name}"])
    settings_sheet = book.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version"])
    settings_sheet.append([title, form_id, "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
