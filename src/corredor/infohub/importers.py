"""Reading remittance prices from a CSV in the shape of the World Bank's Remittance Prices Worldwide (RPW)
dataset: one row per provider, corridor and survey period, the cost of sending two amounts (`cc1 ...` for
the smaller, usually USD 200, `cc2 ...` for the larger, usually USD 500).

The columns read (the dataset has many more, which are ignored): `period` (e.g. `2023_3Q`), `source_code`,
`destination_code` (ISO alpha-3), `firm`, `firm_type`, `product`, `speed_actual`, and for k = 1, 2:
`cck denomination amount`, `cck lcu fee`, `cck fx margin`, `cck total cost %`. Headers are matched without
regard to case or surrounding spaces. A row whose figures are missing or negative (the dataset marks costs
it could not survey so) is skipped and reported with its line; the rest is kept.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

REQUIRED = ["period", "source_code", "destination_code", "firm"]
AMOUNT_COLUMNS = ("denomination amount", "lcu fee", "fx margin", "total cost %")


@dataclass
class RemittanceImport:
    """Rows ready to store, and the rows left out with the reason (line numbers count the header as 1)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    header_problem: str = ""


def _number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if text in ("", "..", "n.a.", "na", "NA", "-"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _known_country(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def read_rpw(data: bytes) -> RemittanceImport:
    """Parse an RPW-shaped CSV (UTF-8, with or without BOM, comma or semicolon separated)."""
    result = RemittanceImport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        result.header_problem = "The file is empty."
        return result
    index = {name: i for i, name in enumerate(header)}
    missing = [name for name in REQUIRED if name not in index]
    if not any(f"cc{k} total cost %" in index for k in (1, 2)):
        missing.append("cc1 total cost %")
    if missing:
        result.header_problem = "Missing columns: " + ", ".join(missing)
        return result

    def cell(row: list[str], name: str) -> str:
        i = index.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in enumerate(reader, start=2):
        if not any(value.strip() for value in row):
            continue
        source = cell(row, "source_code").upper()
        destination = cell(row, "destination_code").upper()
        if not (_known_country(source) and _known_country(destination)):
            result.skipped.append(
                {"line": line, "message": f"unknown country code {source!r} or {destination!r}"}
            )
            continue
        firm = cell(row, "firm")
        if not firm:
            result.skipped.append({"line": line, "message": "no provider (firm)"})
            continue
        kept = 0
        for k in (1, 2):
            amount, fee, margin, total = (_number(cell(row, f"cc{k} {name}")) for name in AMOUNT_COLUMNS)
            if amount is None and total is None:
                continue
            if amount is None or total is None or total < 0 or (fee is not None and fee < 0) or amount <= 0:
                result.skipped.append(
                    {"line": line, "message": f"cc{k}: amount or total cost missing or negative"}
                )
                continue
            result.rows.append(
                {
                    "period": cell(row, "period")[:10],
                    "source_country": source,
                    "destination_country": destination,
                    "provider": firm[:200],
                    "provider_type": cell(row, "firm_type")[:60],
                    "product": cell(row, "product")[:200],
                    "speed": cell(row, "speed_actual")[:60],
                    "amount_usd": amount.quantize(Decimal("0.01")),
                    "fee": (fee or Decimal(0)).quantize(Decimal("0.01")),
                    "fx_margin": (margin or Decimal(0)).quantize(Decimal("0.001")),
                    "total_cost": total.quantize(Decimal("0.001")),
                }
            )
            kept += 1
        if not kept and not any(s["line"] == line for s in result.skipped):
            result.skipped.append({"line": line, "message": "no cost figures"})
    return result
