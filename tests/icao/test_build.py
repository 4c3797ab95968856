"""build_mrz: the inverse of parse_mrz."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.icao import FORMATS, build_mrz, parse_mrz, transliterate_name
from tests.icao.test_specimens import (
    SPECIMEN_MRVA,
    SPECIMEN_MRVB,
    SPECIMEN_TD1,
    SPECIMEN_TD2,
    SPECIMEN_TD3,
    TODAY,
)

ANNA: dict[str, Any] = {
    "issuing_state": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna María",
    "document_number": "L898902C3",
    "nationality": "UTO",
    "birth_date": "1974-08-12",
    "sex": "F",
    "expiry_date": datetime.date(2012, 4, 15),
    "optional_data": "ZE184226B",
}


def test_td3_specimen_is_reproduced() -> None:
    assert build_mrz(ANNA) == SPECIMEN_TD3


def test_td1_specimen_is_reproduced() -> None:
    fields = {**ANNA, "document_number": "D23145890", "optional_data": ""}
    assert build_mrz(fields, format="TD1") == SPECIMEN_TD1


def test_td2_specimen_is_reproduced() -> None:
    fields = {**ANNA, "document_number": "D23145890", "optional_data": ""}
    assert build_mrz(fields, format="td2") == SPECIMEN_TD2


@pytest.mark.parametrize(("layout", "zone"), [("MRVA", SPECIMEN_MRVA), ("MRV-B", SPECIMEN_MRVB)])
def test_visa_specimens_are_reproduced(layout: str, zone: str) -> None:
    fields = {
        **ANNA,
        "document_number": "L8988901C",
        "nationality": "XXX",
        "birth_date": "1940-09-07",
        "expiry_date": "1996-12-10",
        "optional_data": "6ZE184226B" if layout == "MRVA" else "",
    }
    assert build_mrz(fields, format=layout) == zone


def test_germany_is_written_d_with_fillers() -> None:
    fields = {
        **ANNA,
        "issuing_state": "D",
        "nationality": "D",
        "surname": "Mustermann",
        "given_names": "Erika",
    }
    first, second = build_mrz(fields).split("\n")
    assert first.startswith("P<D<<MUSTERMANN<<ERIKA<")
    assert second[10:13] == "D<<"


def test_empty_personal_number_gets_a_filler_check_digit() -> None:
    second = build_mrz({**ANNA, "optional_data": ""}).split("\n")[1]
    assert second[28:43] == "<" * 15
    assert parse_mrz(build_mrz({**ANNA, "optional_data": ""}), today=TODAY).valid


def test_unknown_dates_and_sex_are_fillers() -> None:
    fields = {**ANNA, "birth_date": None, "sex": None}
    second = build_mrz(fields).split("\n")[1]
    assert second[13:21] == "<<<<<<0<"
    result = parse_mrz(build_mrz(fields), today=TODAY)
    assert result.valid
    assert (result.birth_date, result.sex) == (None, "X")


@pytest.mark.parametrize("layout", ["TD1", "TD2"])
def test_long_document_number_overflows_into_optional_data(layout: str) -> None:
    fields = {**ANNA, "document_number": "D23145890X7", "optional_data": "AB"}
    zone = build_mrz(fields, format=layout)
    lines = zone.split("\n")
    # The first nine characters, a filler for the check digit, then in the optional data the
    # overflow X7, the check digit over the whole number (9, see test_parse) and a filler.
    if layout == "TD1":
        assert lines[0][5:30] == "D23145890<X79<AB<<<<<<<<<"
    else:
        assert lines[1][0:10] == "D23145890<"
        assert lines[1][28:35] == "X79<AB<"
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert (result.document_number, result.optional_data) == ("D23145890X7", "AB")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José Ñúñez", "JOSE<NUNEZ"),
        ("  de la  Cruz-García ", "DE<LA<CRUZ<GARCIA"),
        ("O'Brien", "OBRIEN"),
        ("Strauß", "STRAUSS"),
        ("Müller", "MULLER"),
        ("Søren Ærø", "SOEREN<AEROE"),
        ("Łukasz", "LUKASZ"),
        ("", ""),
    ],
)
def test_transliteration(text: str, expected: str) -> None:
    assert transliterate_name(text) == expected


def test_untransliterable_names_are_refused() -> None:
    with pytest.raises(ValueError, match="surname"):
        build_mrz({**ANNA, "surname": "Иванов"})


def test_long_names_are_truncated_secondary_first() -> None:
    fields = {**ANNA, "surname": "Strawinski", "given_names": "Agnieszka Magdalena Aleksandra Ewa"}
    first = build_mrz(fields).split("\n")[0]
    assert first == "P<UTOSTRAWINSKI<<AGNIESZKA<MAGDALENA<ALEKSAN"
    result = parse_mrz(build_mrz(fields), today=TODAY)
    assert result.names_truncated
    assert result.given_names == "AGNIESZKA MAGDALENA ALEKSAN"


def test_a_surname_too_long_for_the_field_keeps_an_initial() -> None:
    fields = {**ANNA, "surname": "A" * 50, "given_names": "Maria"}
    first = build_mrz(fields).split("\n")[0]
    assert first == "P<UTO" + "A" * 36 + "<<M"


@pytest.mark.parametrize(
    ("change", "layout", "message"),
    [
        ({"document_number": ""}, "TD3", "document_number is required"),
        ({"document_number": "AB-123"}, "TD3", "only the letters A-Z and digits"),
        ({"document_number": "D23145890X7"}, "TD3", "TD3 holds at most 9"),
        ({"document_number": "D2314589012345678901ABC"}, "TD1", "TD1 holds at most 22"),
        ({"issuing_state": "MEXICO"}, "TD3", "issuing_state 'MEXICO'"),
        ({"nationality": None}, "TD3", "nationality is required"),
        ({"birth_date": "12/08/1974"}, "TD3", "birth_date '12/08/1974' is not a date"),
        ({"expiry_date": 20120415}, "TD3", "expiry_date must be a date"),
        ({"sex": "male"}, "TD3", "sex 'MALE'"),
        ({"optional_data": "X" * 15}, "TD3", "TD3 holds at most 14"),
        ({"optional_data_2": "ABC"}, "TD3", "optional_data_2 exists only in TD1"),
        ({"document_code": "V"}, "TD3", "use format MRVA"),
        ({"document_code": "P"}, "MRVB", "must start with V"),
        ({"document_code": "P1"}, "TD3", "one or two letters"),
        ({"surnmae": "Typo"}, "TD3", "Unknown field(s): surnmae"),
    ],
)
def test_bad_fields_raise_a_clear_value_error(change: dict[str, Any], layout: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_mrz({**ANNA, **change}, format=layout)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError) as raised:
        build_mrz({**ANNA, "sex": "Q", "nationality": "12"})
    assert "sex" in str(raised.value)
    assert "nationality" in str(raised.value)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="Unknown MRZ format 'TD4'"):
        build_mrz(ANNA, format="TD4")


def test_parse_output_can_be_built_again() -> None:
    data = parse_mrz(SPECIMEN_TD3, today=TODAY).as_json()
    assert build_mrz(data, format=data["format"]) == SPECIMEN_TD3


# -- round trip ---------------------------------------------------------------------------------

NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRVA": 39, "MRVB": 31}
OPTIONAL_WIDTH = {"TD1": 15, "TD2": 7, "TD3": 14, "MRVA": 16, "MRVB": 8}
CODES = {
    "TD1": ["I", "ID", "AC", "C", "IR"],
    "TD2": ["I", "ID", "AC", "IR"],
    "TD3": ["P", "PO", "PD", "PS"],
    "MRVA": ["V", "VS"],
    "MRVB": ["V", "VB"],
}
ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
name_text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz  -", max_size=40)
countries = st.sampled_from(
    ["MEX", "GTM", "SLV", "HND", "NIC", "CRI", "PAN", "HTI", "D", "UTO", "XXA", "GBD"]
)


def name_parts(text: str) -> list[str]:
    return [part for part in re.split(r"[ -]+", text.upper()) if part]


@st.composite
def document_fields(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    layout = draw(st.sampled_from(FORMATS))
    long_numbers = layout in ("TD1", "TD2")
    max_number = 9 + OPTIONAL_WIDTH[layout] - 2 if long_numbers else 9
    number = draw(st.text(ALPHANUMERIC, min_size=1, max_size=max_number))
    room = OPTIONAL_WIDTH[layout] - (len(number) - 9 + 2 if len(number) > 9 else 0)
    fields: dict[str, Any] = {
        "document_code": draw(st.sampled_from(CODES[layout])),
        "issuing_state": draw(countries),
        "nationality": draw(countries),
        "surname": draw(name_text),
        "given_names": draw(name_text),
        "document_number": number,
        # Two-digit years: births within the hundred years up to today, expiries within fifty.
        "birth_date": draw(st.none() | st.dates(datetime.date(1925, 6, 2), TODAY)),
        "expiry_date": draw(st.none() | st.dates(datetime.date(1975, 1, 1), datetime.date(2074, 12, 31))),
        "sex": draw(st.sampled_from(["M", "F", "X", None])),
        "optional_data": draw(st.text(ALPHANUMERIC, max_size=room)),
    }
    if layout == "TD1":
        fields["optional_data_2"] = draw(st.text(ALPHANUMERIC, max_size=11))
    return layout, fields


@settings(max_examples=200)
@given(document_fields())
def test_build_then_parse_gives_the_fields_back(case: tuple[str, dict[str, Any]]) -> None:
    layout, fields = case
    zone = build_mrz(fields, format=layout)
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, (zone, result.errors)
    assert result.format == layout
    assert result.lines == tuple(zone.split("\n"))
    assert result.document_code == fields["document_code"]
    assert result.issuing_state == fields["issuing_state"]
    assert result.nationality == fields["nationality"]
    assert result.document_number == fields["document_number"]
    assert result.birth_date == fields["birth_date"]
    assert result.expiry_date == fields["expiry_date"]
    assert result.sex == (fields["sex"] or "X")
    assert result.optional_data == fields["optional_data"]
    assert result.optional_data_2 == fields.get("optional_data_2", "")
    surname, given_names = name_parts(fields["surname"]), name_parts(fields["given_names"])
    written = "<".join(surname) + ("<<" + "<".join(given_names) if given_names else "")
    if len(written) <= NAME_WIDTH[layout]:
        assert result.surname == " ".join(surname)
        assert result.given_names == " ".join(given_names)
    else:
        # Truncated: what is read back is a prefix of what was given.
        assert " ".join(surname).startswith(result.surname)
        assert " ".join(given_names).startswith(result.given_names.rsplit(" ", 1)[0])
