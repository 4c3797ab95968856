"""The ICAO Doc 9303 specimens, and helpers (shared by the other test modules) that compute
check digits without corredor's code, so that the two can disagree."""

from __future__ import annotations

import datetime

import pytest

from corredor.icao import parse_mrz

TODAY = datetime.date(2025, 6, 1)

# The ICAO 9303 specimens (Part 4 to 7), reproduced from the standard.
SPECIMEN_TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
SPECIMEN_TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
SPECIMEN_TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
SPECIMEN_MRVA = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
SPECIMEN_MRVB = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"


def reference_digit(text: str) -> str:
    """7-3-1 check digit; int(c, 36) values digits and letters (A=10 ... Z=35) in one step."""
    return str(sum((0 if c == "<" else int(c, 36)) * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def td3(
    number: str = "L898902C3",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    personal: str = "ZE184226B",
    *,
    personal_digit: str | None = None,
    first_line: str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
) -> str:
    """A TD3 zone with every check digit right (unless ``personal_digit`` overrides one)."""
    personal = personal.ljust(14, "<")
    second = (
        number.ljust(9, "<")
        + reference_digit(number.ljust(9, "<"))
        + nationality.ljust(3, "<")
        + birth
        + reference_digit(birth)
        + sex
        + expiry
        + reference_digit(expiry)
        + personal
        + (personal_digit if personal_digit is not None else reference_digit(personal))
    )
    second += reference_digit(second[0:10] + second[13:20] + second[21:43])
    return f"{first_line}\n{second}"


def td1(upper: str, middle_without_composite: str, names: str) -> str:
    """A TD1 zone with its composite check digit computed over ``upper`` and ``middle``."""
    middle = middle_without_composite
    composite = reference_digit(upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
    return f"{upper}\n{middle}{composite}\n{names}"


def replace_at(zone: str, line: int, column: int, char: str) -> str:
    """Replace the character at 1-based ``line`` and ``column``."""
    lines = zone.split("\n")
    text = lines[line - 1]
    lines[line - 1] = text[: column - 1] + char + text[column:]
    return "\n".join(lines)


# -- the specimens themselves -------------------------------------------------------------------


def test_reference_digit_by_hand() -> None:
    # L898902C3: L=21*7=147, 8*3=24, 9*1=9, 8*7=56, 9*3=27, 0*1=0, 2*7=14, C=12*3=36, 3*1=3;
    # sum 316, so 6, as printed in the specimen.
    assert reference_digit("L898902C3") == "6"
    # 740812: 7*7=49, 4*3=12, 0, 8*7=56, 1*3=3, 2*1=2; sum 122, so 2.
    assert reference_digit("740812") == "2"
    # 120415: 1*7=7, 2*3=6, 0, 4*7=28, 1*3=3, 5*1=5; sum 49, so 9.
    assert reference_digit("120415") == "9"
    # ZE184226B<<<<<: Z=35*7=245, E=14*3=42, 1, 8*7=56, 4*3=12, 2, 2*7=14, 6*3=18, B=11; sum 401, so 1.
    assert reference_digit("ZE184226B<<<<<") == "1"
    # The composite of the TD3 specimen: the lower line's positions 1-10, 14-20 and 22-43.
    assert reference_digit("L898902C36" + "7408122" + "1204159ZE184226B<<<<<1") == "0"


def test_td3_specimen_passport() -> None:
    result = parse_mrz(SPECIMEN_TD3, today=TODAY)
    assert result.valid, result.errors
    assert result.format == "TD3"
    assert result.document_code == "P"
    assert (result.issuing_state, result.nationality) == ("UTO", "UTO")
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert result.document_number == "L898902C3"
    assert result.birth_date == datetime.date(1974, 8, 12)
    assert result.expiry_date == datetime.date(2012, 4, 15)
    assert result.sex == "F"
    assert result.optional_data == "ZE184226B"
    assert not result.names_truncated
    # Utopia is ICAO's fictional specimen state: unknown, and its specimen long expired.
    assert [w.code for w in result.warnings] == ["unknown_country", "unknown_country", "expired"]


def test_td1_specimen_card() -> None:
    result = parse_mrz(SPECIMEN_TD1, today=TODAY)
    assert result.valid, result.errors
    assert result.format == "TD1"
    assert result.document_number == "D23145890"
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert result.birth_date == datetime.date(1974, 8, 12)
    assert result.optional_data == ""
    assert result.lines == tuple(SPECIMEN_TD1.split("\n"))


def test_td2_specimen_card() -> None:
    result = parse_mrz(SPECIMEN_TD2, today=TODAY)
    assert result.valid, result.errors
    assert result.format == "TD2"
    assert result.document_number == "D23145890"
    assert result.expiry_date == datetime.date(2012, 4, 15)


@pytest.mark.parametrize(("zone", "layout"), [(SPECIMEN_MRVA, "MRVA"), (SPECIMEN_MRVB, "MRVB")])
def test_visa_specimens(zone: str, layout: str) -> None:
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.errors
    assert result.format == layout
    assert result.document_code == "V"
    assert result.document_number == "L8988901C"
    assert result.nationality == "XXX"  # ICAO's "unspecified nationality": known, no warning
    assert [w.code for w in result.warnings] == ["unknown_country", "expired"]
    assert result.birth_date == datetime.date(1940, 9, 7)
    assert result.expiry_date == datetime.date(1996, 12, 10)
    assert result.optional_data == ("6ZE184226B" if layout == "MRVA" else "")


def test_helpers_agree_with_the_specimen() -> None:
    assert td3() == SPECIMEN_TD3
    upper, middle, names = SPECIMEN_TD1.split("\n")
    assert td1(upper, middle[:29], names) == SPECIMEN_TD1
