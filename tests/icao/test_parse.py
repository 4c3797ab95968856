"""parse_mrz: every rule of the issue, one behaviour per test."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corredor.icao import MrzResult, Problem, parse_mrz, parse_mrz_blocks
from tests.icao.test_specimens import (
    SPECIMEN_TD1,
    SPECIMEN_TD2,
    SPECIMEN_TD3,
    TODAY,
    reference_digit,
    replace_at,
    td1,
    td3,
)

JSON_KEYS = [
    "format",
    "document_code",
    "issuing_state",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "expiry_date",
    "sex",
    "optional_data",
    "valid",
    "errors",
    "warnings",
]


def codes(problems: tuple[Problem, ...]) -> list[str]:
    return [problem.code for problem in problems]


def only_error(result: MrzResult) -> Problem:
    assert not result.valid
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# -- input forms ------------------------------------------------------------------------------


def test_lower_case_surrounding_spaces_and_crlf_are_accepted() -> None:
    first, second = SPECIMEN_TD3.split("\n")
    result = parse_mrz(f"  \r\n   {first.lower()}   \r\n\t{second.lower()}  \r\n\r\n", today=TODAY)
    assert result.valid, result.errors
    assert result.lines == (first, second)
    assert result.surname == "ERIKSSON"


@pytest.mark.parametrize("zone", [SPECIMEN_TD3, SPECIMEN_TD2, SPECIMEN_TD1])
def test_one_run_without_line_breaks_is_cut_by_length(zone: str) -> None:
    result = parse_mrz(zone.replace("\n", ""), today=TODAY)
    assert result.valid, result.errors
    assert result.lines == tuple(zone.split("\n"))


def test_lines_joined_by_a_space_are_taken_apart() -> None:
    result = parse_mrz(SPECIMEN_TD1.replace("\n", " "), today=TODAY)
    assert result.valid, result.errors
    assert result.format == "TD1"


def test_a_space_inside_a_line_is_an_invalid_character_not_fixed() -> None:
    zone = replace_at(SPECIMEN_TD3, 1, 20, " ")  # the filler between ANNA and MARIA
    error = only_error(parse_mrz(zone, today=TODAY))
    assert error.code == "invalid_character"
    assert error.field == "given_names"
    assert "line 1, column 20" in error.message.lower()
    assert "a space" in error.message


def test_non_ascii_characters_are_reported_with_their_column() -> None:
    result = parse_mrz(replace_at(SPECIMEN_TD3, 2, 1, "É"), today=TODAY)
    assert codes(result.errors) == ["invalid_character"]
    assert result.errors[0].field == "document_number"
    assert "column 1" in result.errors[0].message
    assert "'É'" in result.errors[0].message


# -- layout -----------------------------------------------------------------------------------


def test_wrong_line_lengths_are_a_layout_error_with_empty_fields() -> None:
    first, second = SPECIMEN_TD3.split("\n")
    result = parse_mrz(f"{first[:-1]}\n{second}", today=TODAY)
    error = only_error(result)
    assert error.code == "layout"
    assert error.field is None
    assert error.message == (
        "Expected 2 lines of 44 characters (passport TD3, or visa MRV-A), 2 of 36 (TD2, or visa MRV-B) "
        "or 3 of 30 (TD1); got 2 lines of 43 and 44 characters."
    )
    assert result.format is None
    assert result.surname == result.document_number == result.issuing_state == ""
    assert result.birth_date is None and result.expiry_date is None
    assert result.sex == "X"


@pytest.mark.parametrize(
    ("text", "got"), [("", "got no text"), ("   \n\t", "got no text"), ("P<UTO", "1 line of 5")]
)
def test_layout_error_says_what_it_got(text: str, got: str) -> None:
    error = only_error(parse_mrz(text, today=TODAY))
    assert error.code == "layout"
    assert got in error.message


def test_visa_and_card_are_told_apart_by_the_letter_v() -> None:
    assert parse_mrz(SPECIMEN_TD2, today=TODAY).format == "TD2"
    assert parse_mrz("V" + SPECIMEN_TD2[1:], today=TODAY).format == "MRVB"
    assert parse_mrz(SPECIMEN_TD3, today=TODAY).format == "TD3"
    assert parse_mrz("V" + SPECIMEN_TD3[1:], today=TODAY).format == "MRVA"


# -- Germany, names, sex ------------------------------------------------------------------------


def test_german_passport_with_d_fillers() -> None:
    zone = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert result.issuing_state == result.nationality == "D"
    assert result.warnings == ()  # D is known: no unknown_country
    assert result.document_number == "C01X00T47"


def test_german_identity_card_with_unspecified_sex() -> None:
    zone = "IDD<<T220001293<<<<<<<<<<<<<<<\n6408125<2010315D<<<<<<<<<<<<<4\nMUSTERMANN<<ERIKA<<<<<<<<<<<<<"
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert (result.format, result.document_code, result.issuing_state) == ("TD1", "ID", "D")
    assert result.sex == "X"  # "<" is unspecified


def test_compound_names() -> None:
    first = "P<MEXDE<LA<CRUZ<GARCIA<<MARIA<DEL<CARMEN<<<<<<"[:44]
    result = parse_mrz(td3(first_line=first, nationality="MEX"), today=TODAY)
    assert result.valid, result.errors
    assert result.surname == "DE LA CRUZ GARCIA"
    assert result.given_names == "MARIA DEL CARMEN"


def test_name_with_no_given_names() -> None:
    first = "P<UTOERIKSSON".ljust(44, "<")
    result = parse_mrz(td3(first_line=first), today=TODAY)
    assert (result.surname, result.given_names) == ("ERIKSSON", "")


def test_a_full_name_field_is_flagged_as_truncated() -> None:
    first = "P<UTOSTRAWINSKI<<AGNIESZKA<MAGDALENA<ALEKSAN"
    assert len(first) == 44
    result = parse_mrz(td3(first_line=first), today=TODAY)
    assert result.valid  # a warning only
    assert result.names_truncated
    assert "name_truncated" in codes(result.warnings)
    assert result.given_names == "AGNIESZKA MAGDALENA ALEKSAN"


@pytest.mark.parametrize(("printed", "sex"), [("M", "M"), ("F", "F"), ("X", "X"), ("<", "X")])
def test_sex(printed: str, sex: str) -> None:
    result = parse_mrz(td3(sex=printed), today=TODAY)
    assert result.valid, result.errors
    assert result.sex == sex


def test_any_other_sex_is_an_error() -> None:
    result = parse_mrz(td3(sex="K"), today=TODAY)
    error = only_error(result)
    assert error.code == "invalid_sex"
    assert error.field == "sex"
    assert "line 2, column 21" in error.message
    assert result.sex == "X"


# -- countries ----------------------------------------------------------------------------------


def test_unknown_country_is_a_warning_not_an_error() -> None:
    result = parse_mrz(td3(nationality="QQQ"), today=TODAY)
    assert result.valid
    assert result.nationality == "QQQ"
    warning = next(w for w in result.warnings if w.field == "nationality")
    assert warning.code == "unknown_country"
    assert "line 2, columns 11-13" in warning.message


def test_unknown_country_with_a_digit_suggests_the_letter() -> None:
    result = parse_mrz(td3(nationality="C0L"), today=TODAY)
    warning = next(w for w in result.warnings if w.field == "nationality")
    assert warning.code == "unknown_country"
    assert warning.suggestion == "COL"
    assert "COL" in warning.message


def test_icao_codes_for_people_without_nationality_are_known() -> None:
    result = parse_mrz(td3(nationality="XXB"), today=TODAY)
    assert "nationality" not in [w.field for w in result.warnings]


# -- check digits -------------------------------------------------------------------------------


def test_document_number_check_digit_error_message() -> None:
    zone = replace_at(SPECIMEN_TD3, 2, 10, "3")
    result = parse_mrz(zone, today=TODAY)
    assert result.errors[0] == Problem(
        "check_digit",
        "Check digit for the document number (line 2, column 10) is 3; the number L898902C3 gives 6.",
        "document_number",
    )
    # The composite covers the document number's check digit, so it breaks too.
    assert codes(result.errors) == ["check_digit", "check_digit"]
    assert result.errors[1].field == "composite"


@pytest.mark.parametrize(
    ("line", "column", "field"),
    [(2, 20, "birth_date"), (2, 28, "expiry_date"), (2, 43, "optional_data"), (2, 44, "composite")],
)
def test_each_check_digit_is_verified(line: int, column: int, field: str) -> None:
    zone = SPECIMEN_TD3
    wrong = "7" if zone.split("\n")[line - 1][column - 1] != "7" else "8"
    result = parse_mrz(replace_at(zone, line, column, wrong), today=TODAY)
    assert not result.valid
    assert result.errors[0].code == "check_digit"
    assert result.errors[0].field == field
    assert f"line {line}, column {column}" in result.errors[0].message


def test_td1_composite_covers_all_three_parts() -> None:
    # Optional data 2 (line 2, column 19) is covered by the TD1 composite but by no other digit.
    # (Not "A": worth 10, it cannot change any 7-3-1 digit.)
    result = parse_mrz(replace_at(SPECIMEN_TD1, 2, 19, "B"), today=TODAY)
    error = only_error(result)
    assert (error.code, error.field) == ("check_digit", "composite")
    assert "line 2, column 30" in error.message


def test_td1_second_optional_field_is_kept_apart() -> None:
    upper, middle, names = SPECIMEN_TD1.split("\n")
    zone = td1(upper[:15] + "ABC".ljust(15, "<"), middle[:18] + "XYZ12".ljust(11, "<"), names)
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert (result.optional_data, result.optional_data_2) == ("ABC", "XYZ12")


def test_visas_have_no_composite() -> None:
    zone = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109ABCDEFGH"
    assert parse_mrz(zone, today=TODAY).valid


@pytest.mark.parametrize("digit", ["<", "0"])
def test_empty_personal_number_may_have_filler_or_zero_check_digit(digit: str) -> None:
    result = parse_mrz(td3(personal="", personal_digit=digit), today=TODAY)
    assert result.valid, result.errors
    assert result.optional_data == ""


def test_filled_personal_number_needs_a_real_check_digit() -> None:
    result = parse_mrz(td3(personal="ZE184226B", personal_digit="<"), today=TODAY)
    error = only_error(result)
    assert (error.code, error.field) == ("check_digit", "optional_data")
    assert "filler" in error.message


def test_filler_in_an_ordinary_check_digit_is_an_error() -> None:
    result = parse_mrz(replace_at(SPECIMEN_TD3, 2, 28, "<"), today=TODAY)
    assert codes(result.errors)[0] == "check_digit"
    assert result.errors[0].field == "expiry_date"


# -- long document numbers ----------------------------------------------------------------------

# D23145890X7 (11 characters): over the whole number the digit is 9; some issuers count the
# filler that stands in the usual check-digit place, D23145890<X7, which gives 3.
LONG_NUMBER = "D23145890X7"


def _long_number_td1(digit: str, optional: str = "") -> str:
    upper = ("I<UTOD23145890<X7" + digit + "<" + optional).ljust(30, "<")
    return td1(upper, "7408122F1204159UTO<<<<<<<<<<<", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def test_reference_digits_of_the_long_number_differ_by_convention() -> None:
    assert reference_digit(LONG_NUMBER) == "9"
    assert reference_digit("D23145890<X7") == "3"


@pytest.mark.parametrize("digit", ["9", "3"])
def test_td1_long_document_number_either_convention(digit: str) -> None:
    result = parse_mrz(_long_number_td1(digit, optional="ABC12"), today=TODAY)
    assert result.valid, result.errors
    assert result.document_number == LONG_NUMBER
    assert result.optional_data == "ABC12"


def test_td1_long_document_number_with_a_wrong_digit() -> None:
    error = only_error(parse_mrz(_long_number_td1("5"), today=TODAY))
    assert (error.code, error.field) == ("check_digit", "document_number")
    assert "line 1, column 18" in error.message
    assert "D23145890X7 gives 9" in error.message


def test_td2_long_document_number() -> None:
    second = "D23145890<" + "UTO7408122F1204159" + "X79<<<<"
    second += reference_digit(second[0:10] + second[13:20] + second[21:35])
    result = parse_mrz("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" + second, today=TODAY)
    assert result.valid, result.errors
    assert result.document_number == LONG_NUMBER
    assert result.optional_data == ""


def test_filler_check_digit_without_overflow_is_an_error() -> None:
    zone = td1(
        "I<UTOD23145890<<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<", "ERIKSSON<<ANNA<<<<<<<<<<<<<<<<"
    )
    error = only_error(parse_mrz(zone, today=TODAY))
    assert (error.code, error.field) == ("check_digit", "document_number")


# -- dates --------------------------------------------------------------------------------------


def test_impossible_calendar_date() -> None:
    result = parse_mrz(td3(birth="990231"), today=TODAY)
    error = only_error(result)
    assert (error.code, error.field) == ("invalid_date", "birth_date")
    assert "990231" in error.message
    assert "line 2, columns 14-19" in error.message
    assert result.birth_date is None


def test_a_date_that_is_not_digits_is_invalid() -> None:
    error = only_error(parse_mrz(td3(expiry="12A415"), today=TODAY))
    assert (error.code, error.field) == ("invalid_date", "expiry_date")


@pytest.mark.parametrize("digit", ["0", "<"])
def test_unknown_birth_date_is_all_fillers(digit: str) -> None:
    zone = replace_at(td3(birth="<<<<<<"), 2, 20, digit)
    # Changing the birth date's check digit from 0 to < changes nothing for the composite.
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert result.birth_date is None
    assert result.as_json()["birth_date"] is None


def test_partially_known_birth_date_is_a_warning() -> None:
    result = parse_mrz(td3(birth="74<<<<"), today=TODAY)
    assert result.valid, result.errors
    assert result.birth_date is None
    assert "partial_date" in codes(result.warnings)


@pytest.mark.parametrize(
    ("today", "birth", "expected"),
    [
        (datetime.date(2025, 6, 1), "250531", datetime.date(2025, 5, 31)),  # a baby
        (datetime.date(2025, 6, 1), "250602", datetime.date(1925, 6, 2)),  # never in the future
        (datetime.date(2025, 6, 1), "250601", datetime.date(2025, 6, 1)),  # born today
        (datetime.date(2025, 6, 1), "000229", datetime.date(2000, 2, 29)),
        (datetime.date(2025, 6, 1), "991231", datetime.date(1999, 12, 31)),
        (datetime.date(1999, 1, 1), "050101", datetime.date(1905, 1, 1)),
    ],
)
def test_century_of_birth_date(today: datetime.date, birth: str, expected: datetime.date) -> None:
    assert parse_mrz(td3(birth=birth, expiry="300101"), today=today).birth_date == expected


@pytest.mark.parametrize(
    ("today", "expiry", "expected"),
    [
        (datetime.date(2025, 6, 1), "350101", datetime.date(2035, 1, 1)),
        (datetime.date(2025, 6, 1), "740101", datetime.date(2074, 1, 1)),
        (datetime.date(2025, 6, 1), "750101", datetime.date(1975, 1, 1)),
        (datetime.date(2025, 6, 1), "991231", datetime.date(1999, 12, 31)),
        (datetime.date(1995, 6, 1), "050101", datetime.date(2005, 1, 1)),
    ],
)
def test_century_of_expiry_date(today: datetime.date, expiry: str, expected: datetime.date) -> None:
    assert parse_mrz(td3(expiry=expiry), today=today).expiry_date == expected


def test_expired_document_is_a_warning() -> None:
    expired = parse_mrz(td3(nationality="MEX", expiry="250531"), today=TODAY)
    assert expired.valid
    assert [(w.code, w.field) for w in expired.warnings if w.field != "issuing_state"] == [
        ("expired", "expiry_date")
    ]
    assert "2025-05-31" in expired.warnings[-1].message
    still_valid = parse_mrz(td3(nationality="MEX", expiry="250601"), today=TODAY)
    assert "expired" not in codes(still_valid.warnings)


def test_born_after_expiry_is_an_implausible_age() -> None:
    result = parse_mrz(td3(birth="200101", expiry="150101"), today=TODAY)
    assert result.valid
    assert "implausible_age" in codes(result.warnings)


def test_today_may_be_a_datetime() -> None:
    result = parse_mrz(SPECIMEN_TD3, today=datetime.datetime(2025, 6, 1, 12, 30))
    assert result.valid
    assert "expired" in codes(result.warnings)


def test_default_today_is_the_system_date() -> None:
    far_future = (datetime.date.today().year + 10) % 100
    result = parse_mrz(td3(nationality="MEX", expiry=f"{far_future:02d}0101"))
    assert "expired" not in codes(result.warnings)


# -- OCR confusions -----------------------------------------------------------------------------


def test_letter_o_in_a_date_is_reported_with_a_suggestion() -> None:
    zone = replace_at(SPECIMEN_TD3, 2, 16, "O")  # 740812 -> 74O812
    result = parse_mrz(zone, today=TODAY)
    # Only the misreading: the composite would hold once it is corrected, so it is not
    # reported a second time.
    error = only_error(result)
    assert (error.code, error.field, error.suggestion) == ("ocr_confusion", "birth_date", "740812")
    assert "column 16" in error.message
    assert "check digit holds" in error.message
    assert result.birth_date is None  # reported, never silently fixed


@pytest.mark.parametrize(
    ("letter", "expiry"),
    [("I", "120415"), ("S", "120415"), ("B", "280815"), ("Z", "120415"), ("G", "260615")],
)
def test_other_letter_digit_confusions_in_dates(letter: str, expiry: str) -> None:
    digit = {"I": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}[letter]
    column = 22 + expiry.index(digit)  # the date of expiry takes columns 22-27
    zone = replace_at(td3(expiry=expiry), 2, column, letter)
    error = only_error(parse_mrz(zone, today=TODAY))
    assert (error.code, error.field, error.suggestion) == ("ocr_confusion", "expiry_date", expiry)
    assert f"column {column}" in error.message


def test_misread_date_whose_digit_still_fails_says_so() -> None:
    zone = replace_at(replace_at(SPECIMEN_TD3, 2, 16, "O"), 2, 20, "5")
    result = parse_mrz(zone, today=TODAY)
    assert result.errors[0].code == "ocr_confusion"
    assert "does not hold" in result.errors[0].message


def test_letter_in_a_check_digit_is_an_ocr_confusion() -> None:
    zone = replace_at(SPECIMEN_TD3, 2, 20, "Z")  # the birth date's check digit, 2
    error = only_error(parse_mrz(zone, today=TODAY))
    assert (error.code, error.field, error.suggestion) == ("ocr_confusion", "birth_date", "2")
    assert "line 2, column 20" in error.message


def test_document_number_misread_is_suggested() -> None:
    zone = replace_at(SPECIMEN_TD3, 2, 6, "O")  # L898902C3 -> L8989O2C3
    error = only_error(parse_mrz(zone, today=TODAY))
    assert (error.code, error.field) == ("check_digit", "document_number")
    assert error.suggestion == "L898902C3"
    assert "column 6" in error.message
    assert "L898902C3" in error.message


def test_document_number_error_without_a_plausible_misread_has_no_suggestion() -> None:
    error = parse_mrz(replace_at(SPECIMEN_TD3, 2, 2, "7"), today=TODAY).errors[0]
    assert error.code == "check_digit"
    assert error.suggestion is None


# -- results --------------------------------------------------------------------------------------


def test_as_json_has_exactly_the_documented_keys() -> None:
    result = parse_mrz(replace_at(SPECIMEN_TD3, 2, 44, "7"), today=TODAY)
    data = result.as_json()
    assert list(data) == JSON_KEYS
    assert data["birth_date"] == "1974-08-12"
    assert data["errors"] and all(list(problem) == ["code", "message", "field"] for problem in data["errors"])
    assert all(list(problem) == ["code", "message", "field"] for problem in data["warnings"])
    json.dumps(data)


def test_problems_by_field() -> None:
    result = parse_mrz(td3(sex="K", nationality="QQQ"), today=TODAY)
    grouped = result.problems_by_field()
    assert codes(tuple(grouped["sex"])) == ["invalid_sex"]
    assert codes(tuple(grouped["nationality"])) == ["unknown_country"]


def test_blocks_are_split_on_blank_lines() -> None:
    text = f"\n\n{SPECIMEN_TD3}\n\n\n{SPECIMEN_TD1}\n   \nnot an mrz\n\n"
    results = parse_mrz_blocks(text, today=TODAY)
    assert [r.format for r in results] == ["TD3", "TD1", None]
    assert parse_mrz_blocks(" \n\n \t\n") == []


# -- never raises -----------------------------------------------------------------------------------


def _well_formed(result: MrzResult) -> None:
    assert result.valid == (result.format is not None and not result.errors)
    assert result.sex in ("M", "F", "X")
    assert list(result.as_json()) == JSON_KEYS
    json.dumps(result.as_json(), ensure_ascii=False)
    for problem in result.errors + result.warnings:
        assert problem.code and problem.message


@settings(max_examples=200)
@given(st.text())
def test_any_text_is_answered_never_raised(text: str) -> None:
    _well_formed(parse_mrz(text, today=TODAY))


mrz_characters = st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<<<<<<OISBZG o\u00e9")


@settings(max_examples=200)
@given(
    st.sampled_from([(3, 30), (2, 36), (2, 44)]).flatmap(
        lambda shape: st.lists(
            st.text(mrz_characters, min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        )
    ),
    st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2199, 12, 31)),
)
def test_random_zones_of_the_right_shape_never_raise(lines: list[str], today: datetime.date) -> None:
    _well_formed(parse_mrz("\n".join(lines), today=today))


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=87), st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"))
def test_one_changed_character_in_the_specimen_never_raises(index: int, char: str) -> None:
    run = SPECIMEN_TD3.replace("\n", "")
    result = parse_mrz(run[:index] + char + run[index + 1 :], today=TODAY)
    _well_formed(result)
