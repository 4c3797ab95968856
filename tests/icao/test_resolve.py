"""The one country resolver: codes, names in three languages, dataset forms, aggregates."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corredor.icao import country_code, normalise_country_text, recognise_aggregate, resolve_country
from corredor.icao.countries import ICAO_SPECIAL_CODES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

# Real names as sanctions lists, UN datasets, the World Bank and people write them.
REAL_NAMES = [
    ("Korea, Democratic People's Republic of", "PRK"),
    ("Dem. People's Republic of Korea", "PRK"),
    ("Democratic People&#039;s Republic of Korea", "PRK"),  # IOM's export, HTML entity and all
    ("North Korea", "PRK"),
    ("Korea, Dem. People's Rep.", "PRK"),
    ("South Korea", "KOR"),
    ("Republic of Korea", "KOR"),
    ("Korea, Rep.", "KOR"),
    ("Corée du Sud", "KOR"),
    ("Corea del Sur", "KOR"),
    ("Viet Nam", "VNM"),
    ("Vietnam", "VNM"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Turquía", "TUR"),
    ("Côte d'Ivoire", "CIV"),
    ("Côte d&#039;Ivoire", "CIV"),
    ("Cote d’Ivoire", "CIV"),
    ("Ivory Coast", "CIV"),
    ("Costa de Marfil", "CIV"),
    ("Democratic Republic of the Congo", "COD"),
    ("Congo, Dem. Rep.", "COD"),
    ("République démocratique du Congo", "COD"),
    ("Congo", "COG"),
    ("Congo, Rep.", "COG"),
    ("Taiwan", "TWN"),
    ("Taiwan, Province of China", "TWN"),
    ("Hong Kong", "HKG"),
    ("China, Hong Kong SAR", "HKG"),
    ("China, Hong Kong Special Administrative Region", "HKG"),
    ("China, Macao SAR", "MAC"),
    ("Micronesia (Fed. States of)", "FSM"),
    ("Micronesia, Fed. Sts.", "FSM"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Bolivia", "BOL"),
    ("Iran (Islamic Republic of)", "IRN"),
    ("Iran, Islamic Rep.", "IRN"),
    ("Iran", "IRN"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Venezuela, RB", "VEN"),
    ("State of Palestine", "PSE"),
    ("Palestine, State of", "PSE"),
    ("Kosovo", "RKS"),
    ("Serbia and Kosovo: S/RES/1244 (1999)", "SRB"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("United Kingdom", "GBR"),
    ("United States of America", "USA"),
    ("United States", "USA"),
    ("Estados Unidos", "USA"),
    ("EE. UU.", "USA"),
    ("États-Unis", "USA"),
    ("Russian Federation", "RUS"),
    ("Russia", "RUS"),
    ("Syrian Arab Republic", "SYR"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Laos", "LAO"),
    ("United Republic of Tanzania", "TZA"),
    ("Republic of Moldova", "MDA"),
    ("Czech Republic", "CZE"),
    ("North Macedonia", "MKD"),
    ("The former Yugoslav Republic of Macedonia", "MKD"),
    ("Eswatini", "SWZ"),
    ("Swaziland", "SWZ"),
    ("Cabo Verde", "CPV"),
    ("East Timor", "TLS"),
    ("Holy See", "VAT"),
    ("Gambia, The", "GMB"),
    ("St. Lucia", "LCA"),
    ("Saint Vincent and the Grenadines", "VCT"),
    ("Sint Maarten (Dutch part)", "SXM"),
    ("Curaçao", "CUW"),
    ("Falkland Islands (Malvinas)", "FLK"),
    ("Allemagne", "DEU"),
    ("Alemania", "DEU"),
    ("Haïti", "HTI"),
    ("Haití", "HTI"),
    ("México", "MEX"),
    ("Mexique", "MEX"),
    ("mexicana", "MEX"),
    ("Haitian", "HTI"),
    ("Stateless", "XXA"),
]


@pytest.mark.parametrize(("text", "code"), REAL_NAMES)
def test_real_names(text: str, code: str) -> None:
    result = resolve_country(text)
    assert (result.code, result.kind) == (code, "country"), text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("D", "DEU"),
        ("D<<", "DEU"),
        ("GBD", "GBD"),
        ("GBN", "GBN"),
        ("GBO", "GBO"),
        ("GBP", "GBP"),
        ("GBS", "GBS"),
        ("UNO", "UNO"),
        ("UNA", "UNA"),
        ("UNK", "UNK"),
        ("XXA", "XXA"),
        ("XXB", "XXB"),
        ("XXC", "XXC"),
        ("XXX", "XXX"),
        ("RKS", "RKS"),
        ("XK", "RKS"),
        ("XKX", "RKS"),
        ("kp", "PRK"),
        ("eg", "EGY"),
        ("UK", "GBR"),
        ("ANT", "ANT"),
        ("na", "NAM"),  # Namibia, not "not available"
    ],
)
def test_codes(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("World", "world"),
        ("WORLD", "world"),
        ("Latin America and the Caribbean", "region"),
        ("LATIN AMERICA AND THE CARIBBEAN", "region"),
        ("Micronesia", "region"),
        ("Sub-Saharan Africa", "region"),
        ("Oceania (excluding Australia and New Zealand)", "region"),
        ("Mediterranean", "region"),
        ("High-income countries", "income_group"),
        ("Upper-middle-income countries", "income_group"),
        ("No income group available", "income_group"),
        ("Low & middle income", "income_group"),
        ("Less developed regions, excluding least developed countries", "development_group"),
        ("Small island developing States (SIDS)", "development_group"),
        ("Other North", "other"),
        ("Other South", "other"),
        ("Mixed/Unknown", "unknown"),
        ("Various/Unknown", "unknown"),
        ("Unknown", "unknown"),
        ("Stateless", "stateless"),
    ],
)
def test_aggregates(text: str, kind: str) -> None:
    aggregate = recognise_aggregate(text)
    assert aggregate is not None and aggregate.kind == kind
    if kind != "stateless":
        result = resolve_country(text)
        assert (result.kind, result.code) == ("aggregate", None)
        assert result.aggregate == aggregate


def test_micronesia_the_region_is_not_micronesia_the_country() -> None:
    assert resolve_country("Micronesia").kind == "aggregate"
    assert resolve_country("Micronesia (Fed. States of)").code == "FSM"
    assert recognise_aggregate("Micronesia (Fed. States of)") is None


@pytest.mark.parametrize("text", ["Narnia", "Korea", "Virgin Islands", "TIB", "ZZ", "12", "Republic"])
def test_unknown_is_kept_as_written(text: str) -> None:
    result = resolve_country(text)
    assert (result.kind, result.code, result.written) == ("unknown", None, text)
    assert result.unknown


def test_empty() -> None:
    assert resolve_country("  ").kind == "empty"
    assert country_code("") is None


def test_every_iso_code_and_name_in_three_languages() -> None:
    import gettext

    spanish, french = (
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("es", "fr")
    )
    for country in pycountry.countries:
        assert country_code(country.alpha_2) == country.alpha_3
        assert country_code(country.alpha_3.lower()) == country.alpha_3
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, "")
            if name:
                for written in (name, spanish.gettext(name), french.gettext(name)):
                    assert country_code(written) == country.alpha_3, written


def test_every_icao_special_code() -> None:
    for code in ICAO_SPECIAL_CODES:
        assert resolve_country(code).kind == "country"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared real data is not here")
def test_every_country_of_the_real_datasets() -> None:
    with open(SHARED / "undesa_migrant_stock_2019_od_wide_region_excerpt.csv", encoding="utf-8") as handle:
        origins = next(csv.reader(handle))[2:]
    unresolved = [name for name in origins if resolve_country(name).kind != "country"]
    assert unresolved == ["Channel Islands"]  # no ISO code: Jersey and Guernsey together, an aggregate
    incidents = json.loads((SHARED / "iom_missing_migrants_2014_2021.json").read_text(encoding="utf-8"))
    assert all(resolve_country(i["country_of_incident"]).kind == "country" for i in incidents)
    assert all(resolve_country(i["region"]).kind == "aggregate" for i in incidents)
    with open(SHARED / "screening" / "clean_travellers_dev.csv", encoding="utf-8") as handle:
        written = {row["nationality"] for row in csv.DictReader(handle)}
    assert all(resolve_country(name).kind == "country" for name in written)


# -- properties ------------------------------------------------------------------------------------

_NAMED = [(name, code) for name, code in REAL_NAMES]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@given(st.sampled_from(_NAMED), st.data())
def test_case_accents_spacing_punctuation_and_the_do_not_matter(
    pair: tuple[str, str], data: st.DataObject
) -> None:
    name, code = pair
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    written = "".join(c.upper() if flip else c.lower() for c, flip in zip(name, flips, strict=True))
    if data.draw(st.booleans()):
        written = _strip_accents(written)
    padding = data.draw(st.sampled_from(["", " ", "  ", "\t"]))
    written = padding + written.replace(" ", data.draw(st.sampled_from([" ", "  ", " - "]))) + padding
    if data.draw(st.booleans()):
        written = "The " + written
    if data.draw(st.booleans()):
        written += data.draw(st.sampled_from([".", ",", ";"]))
    assert country_code(written) == code, written


@given(st.text(max_size=40))
def test_never_raises_and_unknown_keeps_the_text(text: str) -> None:
    result = resolve_country(text)
    assert result.written == text
    assert (result.code is None) == (result.kind != "country")
    if result.kind == "aggregate":
        assert result.aggregate is not None


@given(
    st.sampled_from(sorted({c.alpha_3 for c in pycountry.countries})), st.sampled_from(["", " ", "<", "<<"])
)
def test_codes_in_any_case_with_fillers(code: str, filler: str) -> None:
    assert country_code(code.lower() + filler) == code
    assert country_code(f" {code} ") == code


@given(st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=30))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_country_text(text)
    assert normalise_country_text(once) == once
    assert once == once.strip() and "  " not in once
