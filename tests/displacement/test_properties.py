"""Properties of the readers and of the exports' protection, for any input."""

import csv
import io
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.displacement import dtm, kobo
from corredor.displacement.exports import protect_rows

CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=12, max_size=12), max_size=6))
def test_any_kobo_rows_are_read_or_located(rows: list[list[str]]) -> None:
    """Whatever the cells, the reader answers: each row is a submission or has its problems located on it."""
    header = ["household_ref", "site_code", "surname", "given_names", "sex", "birth_date", "age_group",
              "relationship", "vulnerabilities", "consent_referral", "origin_pcode", "_uuid"]  # fmt: skip
    read = kobo.read_submissions(
        _csv([header, *rows], ";"), "k.csv", today=date(2026, 12, 5), vulnerabilities={"disability"}
    )
    data_rows = {n for n, row in enumerate(rows, start=2) if any(cell.strip() for cell in row)}
    located = {problem.line for problem in read.errors}
    read_rows = {submission.row for submission in read.submissions}
    assert located | read_rows == data_rows
    assert not located & read_rows


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=21, max_size=21), max_size=6))
def test_any_dtm_rows_are_figures_or_located_errors(rows: list[list[str]]) -> None:
    header = "id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,admin2Name,admin2Pcode,adminLevel,"
    header += "numPresentIdpInd,reportingDate,yearReportingDate,monthReportingDate,roundNumber,"
    header += "displacementReason,numberMales,numberFemales,idpOriginAdmin1Name,idpOriginAdmin1Pcode,"
    header += "assessmentType,operationStatus"
    table = dtm.read_table(_csv([header.split(","), *rows]).decode("utf-8"))
    for figure in table.figures:
        assert figure.individuals >= 0 and figure.admin_level in (0, 1, 2)
    assert all(problem.line >= 2 for problem in table.errors)
    assert len(table.figures) + len({p.line for p in table.errors}) == sum(
        1 for row in rows if any(cell.strip() for cell in row)
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=3), min_size=1, max_size=6
    ).filter(lambda rows: len({len(row) for row in rows}) == 1)
)
def test_no_published_cell_counts_one_to_four_people(interior: list[list[int]]) -> None:
    """The exports never publish a cell, row total, column total or grand total of 1 to 4 people."""
    names = [f"c{n}" for n in range(len(interior[0]))]
    rows, _withheld = protect_rows([[f"r{n}"] for n in range(len(interior))], np.array(interior), names)
    for row in rows:
        for value in row[1:-1]:
            assert value is None or value == 0 or value >= 5
