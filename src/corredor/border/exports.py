"""Overstay list as CSV, shared by the page's download and `corredor overstays`."""

from datetime import date
from typing import Any

from corredor.border.selectors import OverstayRow
from corredor.core.exports import SafeCsvWriter

OVERSTAY_COLUMNS = [
    "traveller_id",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "document",
    "entry_post",
    "entered_on",
    "category",
    "authorised_until",
    "days_over",
]


def write_overstays_csv(rows: list[OverstayRow], out: Any) -> None:
    # Names are typed at the desk: written through the formula-injection guard like every export.
    writer = SafeCsvWriter(out)
    writer.writerow(OVERSTAY_COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(getattr(row, c)) for c in OVERSTAY_COLUMNS])


def _csv_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value if value is not None else "")
