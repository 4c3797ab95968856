"""The MRZ parser fuzzed: whatever text arrives (a scanner's noise, a pasted document, a zone with characters
changed or cut), ``parse_mrz`` and ``parse_mrz_blocks`` answer with a well-formed result and never raise, and
a zone built by ``build_mrz`` and damaged stays well-formed. (The PAXLST reader's properties are in
tests/paxlst/test_fuzz.py, with an atheris harness beside them.)

The default suite runs up to a hundred examples per property; the fuzz run (``HYPOTHESIS_PROFILE=fuzz``,
see tests/conftest.py) ten times each property's own count.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.icao import FORMATS, MrzResult, build_mrz, parse_mrz, parse_mrz_blocks

TODAY = datetime.date(2025, 3, 14)
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# What scanners and people add: lower case, spaces, line ends, OCR look-alikes, accents, control characters.
NOISY_ALPHABET = MRZ_ALPHABET + "abcxyz <<<\n\r\t«‹Ø0OIl|ÉÑ\x00\x1c\u200b"
WIDTHS = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44), "MRVA": (2, 44), "MRVB": (2, 36)}


def well_formed(result: MrzResult) -> None:
    """What every caller relies on, whatever the input: a verdict that agrees with the problems, a sex the
    desk can store, problems with a code and a message, JSON that can be sent."""
    assert isinstance(result, MrzResult)
    assert result.valid == (result.format is not None and not result.errors)
    assert result.sex in ("M", "F", "X")
    for problem in result.errors + result.warnings:
        assert problem.code and problem.message
    json.dumps(result.as_json(), ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    well_formed(parse_mrz(text, today=TODAY))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(WIDTHS.values())), st.data())
def test_zone_shaped_noise(shape: tuple[int, int], data: st.DataObject) -> None:
    lines, width = shape
    zone = [data.draw(st.text(NOISY_ALPHABET, min_size=width - 2, max_size=width + 2)) for _ in range(lines)]
    joiner = data.draw(st.sampled_from(["\n", "\r\n", "", " \n "]))
    well_formed(parse_mrz(joiner.join(zone), today=TODAY))


@st.composite
def built_zone(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    layout = draw(st.sampled_from(FORMATS))
    fields = {
        "issuing_state": draw(st.sampled_from(["MEX", "GTM", "CRI", "HTI", "D", "UTO", "XXA"])),
        "nationality": draw(st.sampled_from(["MEX", "NIC", "VEN", "D", "XXB"])),
        "surname": draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ -ÑÉ", min_size=1, max_size=30)),
        "given_names": draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ -", max_size=30)),
        "document_number": draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=9)),
        "birth_date": draw(st.none() | st.dates(datetime.date(1930, 1, 1), TODAY)),
        "expiry_date": draw(st.none() | st.dates(datetime.date(2000, 1, 1), datetime.date(2070, 12, 31))),
        "sex": draw(st.sampled_from(["M", "F", "X", None])),
    }
    return build_mrz(fields, format=layout), fields


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(built_zone())
def test_a_built_zone_reads_back(case: tuple[str, dict[str, Any]]) -> None:
    zone, fields = case
    result = parse_mrz(zone, today=TODAY)
    well_formed(result)
    assert result.valid, (zone, result.errors)
    assert result.document_number == fields["document_number"]
    assert result.birth_date == fields["birth_date"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(built_zone(), st.data())
def test_a_damaged_zone_is_answered(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    zone = list(case[0])
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        position = data.draw(st.integers(min_value=0, max_value=max(len(zone) - 1, 0)))
        action = data.draw(st.sampled_from(["replace", "delete", "insert", "cut"]))
        char = data.draw(st.sampled_from(NOISY_ALPHABET))
        if action == "replace" and zone:
            zone[position] = char
        elif action == "delete" and zone:
            del zone[position]
        elif action == "insert":
            zone.insert(position, char)
        else:
            zone = zone[:position]
    well_formed(parse_mrz("".join(zone), today=TODAY))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(built_zone(), min_size=1, max_size=4), st.lists(st.text(NOISY_ALPHABET, max_size=50)))
def test_blocks_of_zones_and_noise(zones: list[tuple[str, dict[str, Any]]], noise: list[str]) -> None:
    text = "\n\n".join([zone for zone, _fields in zones] + noise)
    results = parse_mrz_blocks(text, today=TODAY)
    for result in results:
        well_formed(result)
    valid = {result.document_number for result in results if result.valid}
    assert {fields["document_number"] for _zone, fields in zones} <= valid
