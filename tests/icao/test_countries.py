"""Country codes as ICAO Doc 9303 Part 3 uses them."""

from __future__ import annotations

import pytest

from corredor.icao import ICAO_SPECIAL_CODES, country_name, country_to_alpha3, is_known_country


@pytest.mark.parametrize(
    "code",
    ["MEX", "GTM", "SLV", "HND", "NIC", "CRI", "PAN", "HTI", "CUB", "DEU", "D", "D<<", "gbd", "XXA", "XXB"],
)
def test_known_codes(code: str) -> None:
    assert is_known_country(code)


@pytest.mark.parametrize("code", ["UTO", "ZZZ", "", "<<<", "DE", "M3X"])
def test_unknown_codes(code: str) -> None:
    assert not is_known_country(code)


def test_every_icao_special_code_is_known_and_named() -> None:
    for code in ["D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX"]:
        assert code in ICAO_SPECIAL_CODES
    for code, name in ICAO_SPECIAL_CODES.items():
        assert is_known_country(code)
        assert country_name(code) == name


def test_historic_codes_still_on_documents_are_known() -> None:
    assert is_known_country("ANT")  # Netherlands Antilles
    assert is_known_country("SCG")  # Serbia and Montenegro
    assert is_known_country("YUG")


def test_only_germanys_d_is_mapped() -> None:
    assert country_to_alpha3("D") == "DEU"
    assert country_to_alpha3("D<<") == "DEU"
    assert country_to_alpha3("GBD") == "GBD"
    assert country_to_alpha3("XXA") == "XXA"
    assert country_to_alpha3("mex") == "MEX"
    assert country_to_alpha3("UTO") is None


def test_country_names() -> None:
    assert country_name("MEX") == "Mexico"
    assert country_name("D") == "Germany"
    refugee = country_name("XXB")
    assert refugee is not None
    assert "Refugee" in refugee
    assert country_name("UTO") is None
