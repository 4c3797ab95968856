"""One country resolver: codes and names as lists, documents and UN datasets write them.

Every importer, the screening CLI, the watchlist import and the API read a country through
this module, so that "Ivory Coast", "Côte d&#039;Ivoire", "CI", "CIV" and "Costa de Marfil"
are the same country everywhere, and a value nobody can read is kept, flagged and treated as
unknown instead of refusing a file.

API
---

:func:`resolve_country` ``(text) -> CountryResolution``
    Never raises. ``result.code`` is the three-letter code to store (ISO 3166-1 alpha-3, or
    ICAO's own: ``GBD``, ``UNO``, ``XXA``, ``RKS`` ...; Germany's ``D`` becomes ``DEU``);
    ``result.kind`` says what the text was:

    * ``"country"`` — a code or a name of a state, territory or ICAO category: ``code`` set;
    * ``"aggregate"`` — a region, income group or catch-all row ("World", "Micronesia" the UN
      region, "Mixed/Unknown"): ``code`` is None, ``result.aggregate`` says which kind;
    * ``"unknown"`` — not understood: ``code`` is None and ``result.written`` is the text as
      written, for the caller to keep and report (it is never guessed);
    * ``"empty"`` — blank text.

:func:`country_code` ``(text) -> str | None``
    Only the code (None for empty, aggregate or unknown text).

:func:`recognise_aggregate` ``(text) -> Aggregate | None``
    The explicit recogniser of rows that are not one country, so importers can skip and count
    them: world, regions (UN M49 and SDG), development and income groups, "Other North",
    "Mixed/Unknown", "Various/Unknown", "Stateless". ``Aggregate.kind`` is one of
    ``world``, ``region``, ``development_group``, ``income_group``, ``unknown``, ``other``,
    ``stateless``. "Stateless" is both: :func:`resolve_country` gives ICAO's ``XXA`` (a
    traveller's nationality), while :func:`recognise_aggregate` flags it for importers of
    country tables, which count stateless persons apart.

:func:`normalise_country_text` ``(text) -> str``
    The comparison key: HTML entities decoded, accents, case and punctuation dropped, "&" read
    as "and", "the" dropped, common abbreviations expanded ("Dem. Rep." -> "democratic
    republic", "St" -> "saint"), so "Korea, Dem. People's Rep." and "Democratic People's
    Republic of Korea" meet.

What is understood: ISO alpha-2 and alpha-3 codes and ICAO's special codes (``D``, ``GBD``,
``GBN``, ``GBO``, ``GBP``, ``GBS``, ``UNO``, ``UNA``, ``UNK``, ``XXA``, ``XXB``, ``XXC``,
``XXX``, ``RKS`` and ``XK``/``XKX`` for Kosovo, withdrawn codes still on documents); ISO
names (short, official and common) in English and, from the iso3166 gettext catalogs that
pycountry ships, Spanish and French, each also in its inverted form ("Korea, Republic of" and
"Republic of Korea"); and the forms UN DESA, UNHCR, IOM, the World Bank and sanctions lists
use ("China, Hong Kong SAR", "Micronesia (Fed. States of)", "Iran (Islamic Rep. of)",
"Congo, Dem. Rep.", "Türkiye"/"Turkey", "Viet Nam", "State of Palestine", "Kosovo"), common
names in the three languages and the demonyms of the region ("mexicana", "Haitian").
A name that could be two countries is in the table only where one reading is settled usage
("Congo" is the Republic of the Congo, as ISO and the UN write it; "Korea" alone is left
unknown).
"""

from __future__ import annotations

import gettext
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry

from corredor.icao.countries import ICAO_SPECIAL_CODES, country_to_alpha3, is_known_country

__all__ = [
    "Aggregate",
    "AggregateKind",
    "CountryKind",
    "CountryResolution",
    "country_code",
    "normalise_country_text",
    "recognise_aggregate",
    "resolve_country",
]

CountryKind = Literal["country", "aggregate", "unknown", "empty"]
AggregateKind = Literal[
    "world", "region", "development_group", "income_group", "unknown", "other", "stateless"
]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A row that is not one country: ``kind`` (see the module doc) and the text as written."""

    kind: AggregateKind
    written: str


@dataclass(frozen=True, slots=True)
class CountryResolution:
    """What :func:`resolve_country` made of a text (see the module doc)."""

    written: str
    code: str | None
    kind: CountryKind
    aggregate: Aggregate | None = None

    @property
    def unknown(self) -> bool:
        """True when the text was not empty and is neither a country nor a known aggregate."""
        return self.kind == "unknown"


# -- normalisation ---------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "states",
    "dem": "democratic",
    "rep": "republic",
    "fed": "federated",
    "is": "islands",
    "isl": "islands",
    "utd": "united",
    "admin": "administrative",
}
_DROPPED = frozenset({"the"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_country_text(text: str) -> str:
    """The comparison key of a country name or code (see the module doc)."""
    decoded = html.unescape(text)
    decomposed = unicodedata.normalize("NFKD", decoded.replace("ß", "ss").replace("&", " and "))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae").replace("ø", "o").replace("đ", "d")
    words = [_ABBREVIATIONS.get(word, word) for word in _NON_WORD.split(ascii_text) if word]
    kept = [word for word in words if word not in _DROPPED]
    return " ".join(kept or words)


# -- tables ----------------------------------------------------------------------------------------

# Common and dataset forms, in English, Spanish and French, beyond what pycountry gives.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "USA": (
        "United States",
        "US",
        "U.S.",
        "U.S.A.",
        "America",
        "EE.UU.",
        "EEUU",
        "EUA",
        "Estados Unidos",
        "Estados Unidos de América",
        "États-Unis",
        "Etats-Unis d'Amérique",
    ),
    "GBR": (
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Gran Bretaña",
        "Grande-Bretagne",
        "Inglaterra",
        "Angleterre",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
    ),
    "KOR": (
        "South Korea",
        "Korea, South",
        "Korea (South)",
        "Republic of Korea",
        "Korea, Rep.",
        "Corea del Sur",
        "Corée du Sud",
        "Korea Republic",
    ),
    "PRK": (
        "North Korea",
        "Korea, North",
        "Korea (North)",
        "Dem. People's Republic of Korea",
        "DPRK",
        "DPR Korea",
        "Korea, Dem. People's Rep.",
        "Korea, Dem. Rep.",
        "Corea del Norte",
        "Corée du Nord",
    ),
    "COD": (
        "Democratic Republic of the Congo",
        "DR Congo",
        "D.R. Congo",
        "DRC",
        "RDC",
        "Congo, Dem. Rep.",
        "Congo (Kinshasa)",
        "Congo-Kinshasa",
        "Dem. Rep. of the Congo",
        "Congo, Democratic Republic of the",
        "Congo (Democratic Republic)",
        "República Democrática del Congo",
        "RD Congo",
        "Zaire",
        "Zaïre",
    ),
    "COG": (
        "Republic of the Congo",
        "Congo, Rep.",
        "Congo (Brazzaville)",
        "Congo-Brazzaville",
        "Congo Republic",
        "República del Congo",
        "Congo, Republic of the",
    ),
    "CIV": ("Ivory Coast", "Cote dIvoire", "Costa de Marfil", "Côte-d'Ivoire"),
    "TUR": ("Turkey", "Türkiye", "Turkiye", "Turquía", "Turquie"),
    "VNM": ("Vietnam", "Viet Nam", "Viêt Nam", "Việt Nam"),
    "TWN": (
        "Taiwan",
        "Taiwán",
        "Taïwan",
        "Chinese Taipei",
        "Taipei",
        "Republic of China",
        "China, Taiwan Province of China",
        "Taiwan, China",
        "Taiwan Province of China",
    ),
    "HKG": (
        "Hong Kong",
        "Hong Kong SAR",
        "China, Hong Kong SAR",
        "Hong Kong SAR, China",
        "Hong Kong, China",
        "China, Hong Kong Special Administrative Region",
        "Hong Kong (China)",
        "Hongkong",
        "Hong-Kong",
    ),
    "MAC": (
        "Macau",
        "Macao",
        "China, Macao SAR",
        "Macao SAR, China",
        "Macau SAR",
        "Macao SAR",
        "China, Macao Special Administrative Region",
        "Macao, China",
    ),
    "FSM": (
        "Micronesia (Fed. States of)",
        "Micronesia, Fed. Sts.",
        "Federated States of Micronesia",
        "Micronesia (Federated States of)",
        "Micronesia (Estados Federados de)",
        "Micronésie (États fédérés de)",
    ),
    "BOL": ("Bolivia", "Bolivia (Plurinational State of)", "Bolivie"),
    "IRN": (
        "Iran",
        "Iran (Islamic Republic of)",
        "Iran (Islamic Rep. of)",
        "Iran, Islamic Rep.",
        "Persia",
        "Irán",
    ),
    "VEN": (
        "Venezuela",
        "Venezuela (Bolivarian Republic of)",
        "Venezuela, RB",
        "Venezuela (Bolivarian Rep. of)",
    ),
    "PSE": (
        "Palestine",
        "State of Palestine",
        "Palestinian Territories",
        "Palestinian Territory",
        "Occupied Palestinian Territory",
        "West Bank and Gaza",
        "Gaza",
        "West Bank",
        "Palestina",
        "Estado de Palestina",
        "État de Palestine",
        "Palestine, State of",
    ),
    "RKS": ("Kosovo", "Kosova", "Republic of Kosovo", "Kosovo (under UNSCR 1244)", "Kosovo (UNSCR 1244)"),
    "RUS": ("Russia", "Rusia", "Russie", "Russian Federation", "Fédération de Russie"),
    "SYR": ("Syria", "Siria", "Syrie", "Syrian Arab Rep."),
    "LAO": ("Laos", "Lao PDR", "Lao People's Dem. Rep."),
    "MDA": ("Moldova", "Republic of Moldova", "Moldavia", "Moldavie"),
    "TZA": ("Tanzania", "United Republic of Tanzania", "Tanzanie"),
    "CZE": ("Czech Republic", "Czechia", "República Checa", "Chequia", "République tchèque", "Tchéquie"),
    "SVK": ("Slovak Republic",),
    "KGZ": ("Kyrgyz Republic", "Kirghizia"),
    "MKD": (
        "North Macedonia",
        "Macedonia",
        "Republic of Macedonia",
        "The former Yugoslav Republic of Macedonia",
        "FYR Macedonia",
        "Macedonia, FYR",
        "Macedonia del Norte",
        "Macédoine du Nord",
        "Macédoine",
    ),
    "SWZ": ("Swaziland", "Eswatini", "Suazilandia", "Esuatini"),
    "MMR": ("Burma", "Myanmar (Burma)", "Birmania", "Birmanie"),
    "CPV": ("Cape Verde", "Cabo Verde", "Cap-Vert"),
    "TLS": ("East Timor", "Timor-Leste", "Timor Oriental", "Timor oriental", "Timor Leste"),
    "NLD": ("Holland", "Holanda", "The Netherlands", "Hollande"),
    "VAT": ("Vatican", "Vatican City", "Holy See", "Santa Sede", "Saint-Siège", "Vaticano"),
    "BRN": ("Brunei",),
    "ARE": ("UAE", "U.A.E.", "Emirates", "Emiratos Árabes Unidos", "Émirats arabes unis"),
    "EGY": ("Egypt, Arab Rep.",),
    "YEM": ("Yemen, Rep.",),
    "GMB": ("Gambia, The", "The Gambia"),
    "BHS": ("Bahamas, The", "The Bahamas"),
    "KNA": ("St. Kitts and Nevis", "Saint Kitts", "Saint Christopher and Nevis"),
    "LCA": ("St. Lucia",),
    "VCT": ("St. Vincent and the Grenadines", "Saint Vincent"),
    "STP": ("Sao Tome and Principe", "São Tomé and Príncipe", "Santo Tomé y Príncipe"),
    "VIR": (
        "United States Virgin Islands",
        "US Virgin Islands",
        "U.S. Virgin Islands",
        "Virgin Islands (U.S.)",
    ),
    "VGB": ("British Virgin Islands", "Virgin Islands (British)"),
    "WLF": ("Wallis and Futuna Islands", "Wallis and Futuna"),
    "FLK": ("Falkland Islands (Malvinas)", "Falkland Islands", "Malvinas", "Islas Malvinas"),
    "SXM": ("Sint Maarten (Dutch part)", "Sint Maarten"),
    "MAF": ("Saint Martin (French part)", "Saint-Martin"),
    "CUW": ("Curaçao", "Curacao"),
    "REU": ("Réunion", "Reunion"),
    "BES": ("Bonaire, Sint Eustatius and Saba", "Caribbean Netherlands", "Bonaire"),
    "SHN": ("Saint Helena", "Saint Helena, Ascension and Tristan da Cunha"),
    "SRB": ("Serbia and Kosovo: S/RES/1244 (1999)", "Serbia and Kosovo (S/RES/1244 (1999))", "Serbie"),
    "SCG": ("Serbia and Montenegro",),
    "YUG": ("Yugoslavia", "Federal Republic of Yugoslavia"),
    "SUN": (
        "Soviet Union",
        "USSR",
        "U.S.S.R.",
        "Union of Soviet Socialist Republics",
        "URSS",
        "Unión Soviética",
    ),
    "CSK": ("Czechoslovakia", "Checoslovaquia", "Tchécoslovaquie"),
    "ANT": ("Netherlands Antilles", "Antillas Neerlandesas", "Antilles néerlandaises"),
    "DEU": ("Germany", "Alemania", "Allemagne", "Deutschland", "West Germany", "Federal Republic of Germany"),
    "HTI": ("Haiti", "Haití", "Haïti", "Ayiti"),
    "MEX": ("Mexico", "México", "Mexique", "Méjico"),
    "DOM": ("Dominican Republic", "República Dominicana", "République dominicaine", "Dominican Rep."),
    "CAF": ("Central African Rep.",),
    "GNQ": ("Equatorial Guinea", "Guinea Ecuatorial", "Guinée équatoriale"),
    "GNB": ("Guinea-Bissau", "Guinea Bissau", "Guinée-Bissau"),
    "PNG": ("Papua New Guinea", "Papúa Nueva Guinea"),
    "XXA": ("Stateless", "Stateless person", "Apátrida", "Apatride"),
    "XXB": ("Refugee", "Refugiado", "Réfugié"),
}

# Demonyms of the region and of the largest groups of travellers through it: officers and
# partner lists often write the nationality this way. Masculine and feminine forms.
_DEMONYMS = {
    "MEX": "mexicano mexicana mexican mexicain mexicaine",
    "GTM": "guatemalteco guatemalteca guatemalan guatemalteque",
    "SLV": "salvadoreno salvadorena salvadoran salvadorean salvadorien salvadorienne",
    "HND": "hondureno hondurena honduran hondurien hondurienne",
    "NIC": "nicaraguense nicaraguan nicaraguayen nicaraguayenne",
    "CRI": "costarricense costarriqueno costarriquena costaricien costaricienne",
    "PAN": "panameno panamena panamanian panameen panameenne",
    "BLZ": "beliceno belicena belizean belizien belizienne",
    "CUB": "cubano cubana cuban cubain cubaine",
    "HTI": "haitiano haitiana haitian haitien haitienne",
    "DOM": "dominicano dominicana",
    "JAM": "jamaicano jamaicana jamaican jamaicain jamaicaine",
    "VEN": "venezolano venezolana venezuelan venezuelien venezuelienne",
    "COL": "colombiano colombiana colombian colombien colombienne",
    "ECU": "ecuatoriano ecuatoriana ecuadorian ecuadorean equatorien equatorienne",
    "PER": "peruano peruana peruvian peruvien peruvienne",
    "BOL": "boliviano boliviana bolivian bolivien bolivienne",
    "CHL": "chileno chilena chilean chilien chilienne",
    "ARG": "argentino argentine argentinian",
    "BRA": "brasileno brasilena brazilian bresilien bresilienne",
    "USA": "estadounidense norteamericano norteamericana american americain americaine",
    "CAN": "canadiense canadian canadien canadienne",
    "ESP": "espanol espanola spanish spaniard espagnol espagnole",
    "CHN": "chino chinese chinois chinoise",
    "IND": "indian hindu indien indienne",
    "RUS": "ruso rusa russian russe",
    "UKR": "ucraniano ucraniana ukrainian ukrainien ukrainienne",
}

# Two-letter codes that are not ISO alpha-2 assignments but appear on lists and documents.
_EXTRA_ALPHA_2 = {"XK": "RKS", "UK": "GBR", "EL": "GRC"}
_EXTRA_ALPHA_3 = {"XKX": "RKS", "BUR": "MMR", "TMP": "TLS", "ZAR": "COD", "ROM": "ROU"}

# Names that are not one country. Matched on the normalised key (see normalise_country_text).
_AGGREGATES: dict[AggregateKind, tuple[str, ...]] = {
    "world": ("World", "Total", "All countries", "Worldwide", "Global", "Mundo", "Monde", "Grand total"),
    "region": (
        "Africa",
        "Sub-Saharan Africa",
        "Northern Africa",
        "Eastern Africa",
        "Middle Africa",
        "Southern Africa",
        "Western Africa",
        "Northern Africa and Western Asia",
        "Asia",
        "Central Asia",
        "Southern Asia",
        "Eastern Asia",
        "South-Eastern Asia",
        "Western Asia",
        "Central and Southern Asia",
        "Eastern and South-Eastern Asia",
        "Europe",
        "Eastern Europe",
        "Northern Europe",
        "Southern Europe",
        "Western Europe",
        "Europe and Northern America",
        "Latin America and the Caribbean",
        "Caribbean",
        "Central America",
        "South America",
        "Northern America",
        "North America",
        "Oceania",
        "Oceania (excluding Australia and New Zealand)",
        "Australia and New Zealand",
        "Australia/New Zealand",
        "Melanesia",
        "Micronesia",
        "Polynesia",
        "Americas",
        "Mediterranean",
        "Middle East",
        "Middle East and North Africa",
        "MENA",
        "Horn of Africa",
        "Sahel",
        "Balkans",
        "Western Balkans",
        "Central Mediterranean",
        "Eastern Mediterranean",
        "Western Mediterranean",
        "US-Mexico border crossing",
        "US-Mexico border",
        "English Channel",
        "Channel Islands",
        "Geographic regions",
        "SDG regions",
        "Sustainable Development Goal (SDG) regions",
        "European Union",
        "EU",
        "EU-27",
        "EU-28",
        "Schengen area",
        "East Asia and Pacific",
        "Europe and Central Asia",
        "South Asia",
        "Asia and the Pacific",
        "América Latina y el Caribe",
        "Amérique latine et Caraïbes",
        "Centroamérica",
        "América Central",
        "Sudamérica",
        "América del Sur",
        "Norteamérica",
        "América del Norte",
    ),
    "development_group": (
        "More developed regions",
        "Less developed regions",
        "Least developed countries",
        "Less developed regions, excluding least developed countries",
        "Less developed regions, excluding China",
        "Land-locked Developing Countries (LLDC)",
        "Landlocked developing countries",
        "Small island developing States (SIDS)",
        "Small island developing States",
        "Developed regions",
        "Developing regions",
        "Developed countries",
        "Developing countries",
        "UN development groups",
        "Least developed countries (LDC)",
        "LDC",
        "LLDC",
        "SIDS",
        "Global North",
        "Global South",
    ),
    "income_group": (
        "High-income countries",
        "Middle-income countries",
        "Upper-middle-income countries",
        "Lower-middle-income countries",
        "Low-income countries",
        "No income group available",
        "Income groups",
        "High income",
        "Middle income",
        "Upper middle income",
        "Lower middle income",
        "Low income",
        "Low and middle income",
        "Low & middle income",
    ),
    "unknown": (
        "Unknown",
        "Mixed/Unknown",
        "Various/Unknown",
        "Various",
        "Mixed",
        "Not stated",
        "Not specified",
        "Unspecified",
        "N/A",
        "Other/Unknown",
        "Unknown/Other",
        "Stateless/Unknown",
        "Country unknown",
        "Origin unknown",
        "Desconocido",
        "Inconnu",
        "No especificado",
        "Sin especificar",
    ),
    "other": (
        "Other",
        "Others",
        "Other North",
        "Other South",
        "Other countries",
        "Rest of the world",
        "Otros",
        "Autres",
    ),
    "stateless": ("Stateless", "Stateless persons", "Apátrida", "Apatride", "Apátridas"),
}

_AGGREGATE_PATTERNS: tuple[tuple[re.Pattern[str], AggregateKind], ...] = (
    (re.compile(r"\bincome\b"), "income_group"),
    (
        re.compile(r"\b(more|less|least) developed\b|\bdeveloping\b|\bexcluding\b|\bsdg\b"),
        "development_group",
    ),
    (re.compile(r"^(other|others|rest of)\b"), "other"),
    (re.compile(r"\b(unknown|various|mixed)\b"), "unknown"),
)


@cache
def _translations() -> tuple[gettext.NullTranslations, ...]:
    return tuple(
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in ("es", "fr")
    )


def _forms(name: str) -> Iterable[str]:
    """A name, its inverted form ("Korea, Republic of" -> "Republic of Korea") and its head ("Korea")."""
    yield name
    if ", " in name:
        head, _, tail = name.partition(", ")
        yield f"{tail} {head}"


def _heads(name: str) -> Iterable[str]:
    for separator in (", ", " ("):
        if separator in name:
            yield name.split(separator)[0]


@cache
def _country_names() -> dict[str, str]:
    """Normalised name -> code, built in layers: a later layer never overrides an earlier one,
    and a key that two countries claim within a layer is left out (ambiguous)."""
    table: dict[str, str] = {}
    aggregate_keys = set(_aggregate_table())

    def add_layer(pairs: Iterable[tuple[str, str]]) -> None:
        layer: dict[str, str] = {}
        ambiguous: set[str] = set()
        for name, code in pairs:
            if not name.strip():
                continue
            key = normalise_country_text(name)
            if not key or key in table:
                continue
            if layer.get(key, code) != code:
                ambiguous.add(key)
            layer[key] = code
        for key, code in layer.items():
            if key not in ambiguous:
                table[key] = code

    translations = _translations()

    def iso_names() -> Iterable[tuple[str, str]]:
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(country, attribute, "")
                if name:
                    yield from ((form, country.alpha_3) for form in _forms(name))

    def translated_names() -> Iterable[tuple[str, str]]:
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(country, attribute, "")
                if not name:
                    continue
                for translation in translations:
                    translated = translation.gettext(name)
                    if translated != name:
                        yield from ((form, country.alpha_3) for form in _forms(translated))

    def heads() -> Iterable[tuple[str, str]]:
        for country in pycountry.countries:
            names = [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
            names += [t.gettext(n) for n in names if n for t in translations]
            for name in names:
                for head in _heads(name):
                    # "Micronesia" alone is the UN region; the head of "Micronesia, Federated
                    # States of" must not take it.
                    if normalise_country_text(head) not in aggregate_keys:
                        yield head, country.alpha_3

    add_layer((name, code) for code, names in _EXTRA_NAMES.items() for name in names)
    add_layer(iso_names())
    add_layer(translated_names())
    add_layer((name, code) for code, name in ICAO_SPECIAL_CODES.items())
    add_layer(
        (country.name, country.alpha_3)
        for country in pycountry.historic_countries
        if country_to_alpha3(country.alpha_3) is not None
    )
    add_layer(heads())
    add_layer((word, code) for code, words in _DEMONYMS.items() for word in words.split())
    return table


@cache
def _aggregate_table() -> dict[str, AggregateKind]:
    table: dict[str, AggregateKind] = {}
    for kind, names in _AGGREGATES.items():
        for name in names:
            table.setdefault(normalise_country_text(name), kind)
    return table


def _code(text: str) -> str | None:
    """The code for a text that is written as a code (any case, MRZ fillers allowed), else None."""
    upper = text.strip().upper().rstrip("<").strip()
    if not upper.isascii() or not upper.isalpha():
        return None
    if len(upper) == 2:
        if upper in _EXTRA_ALPHA_2:
            return _EXTRA_ALPHA_2[upper]
        country = pycountry.countries.get(alpha_2=upper)
        return str(country.alpha_3) if country is not None else None
    if len(upper) in (1, 3):
        if upper in _EXTRA_ALPHA_3:
            return _EXTRA_ALPHA_3[upper]
        if is_known_country(upper):
            return country_to_alpha3(upper)
    return None


def recognise_aggregate(text: str) -> Aggregate | None:
    """The aggregate a row name stands for ("World", "Mixed/Unknown" ...), or None for a country.

    >>> recognise_aggregate("Latin America and the Caribbean").kind
    'region'
    >>> recognise_aggregate("Micronesia (Fed. States of)") is None
    True
    """
    key = normalise_country_text(text)
    if not key:
        return None
    kind = _aggregate_table().get(key)
    if kind is None and key not in _country_names():
        for pattern, pattern_kind in _AGGREGATE_PATTERNS:
            if pattern.search(key):
                kind = pattern_kind
                break
    return Aggregate(kind, text) if kind is not None else None


def resolve_country(text: str) -> CountryResolution:
    """Resolve a country code or name (see the module doc); never raises.

    >>> resolve_country("Ivory Coast").code, resolve_country("kp").code, resolve_country("D").code
    ('CIV', 'PRK', 'DEU')
    >>> resolve_country("Narnia").kind
    'unknown'
    """
    written = text if isinstance(text, str) else str(text)
    if not written.strip():
        return CountryResolution(written, None, "empty")
    code = _code(written)
    if code is not None:
        return CountryResolution(written, code, "country")
    key = normalise_country_text(written)
    found = _country_names().get(key)
    if found is not None:
        return CountryResolution(written, found, "country")
    aggregate = recognise_aggregate(written)
    if aggregate is not None:
        return CountryResolution(written, None, "aggregate", aggregate)
    return CountryResolution(written, None, "unknown")


def country_code(text: str) -> str | None:
    """Only the code of :func:`resolve_country` (None for empty, aggregate or unknown text)."""
    return resolve_country(text).code
