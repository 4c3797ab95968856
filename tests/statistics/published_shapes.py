"""Files in the shapes the complete official datasets are published in: title lines above the header,
every aggregate row (world, development groups, income groups, SDG regions, geographic regions and
sub-regions, "Micronesia" the region beside "Micronesia (Fed. States of)"), notes and code columns,
values written "..", "-" or "*", footnote markers after names and footnotes under the table.

The aggregates are those of the published tables, with their UN M49 location codes; the countries are a
sample of the tables' countries in the tables' own spellings (the excerpts in ../shared/data hold the real
figures)."""

from __future__ import annotations

import csv
import io

# (name as printed, M49 code): every aggregate row of UN DESA's origin-destination tables (2019 and 2020).
UNDESA_AGGREGATES = [
    ("WORLD", 900),
    ("UN development groups", 1803),
    ("More developed regions", 901),
    ("Less developed regions", 902),
    ("Least developed countries", 941),
    ("Less developed regions, excluding least developed countries", 934),
    ("World Bank income groups", 1517),
    ("High-income countries", 1503),
    ("Middle-income countries", 1517),
    ("Upper-middle-income countries", 1502),
    ("Lower-middle-income countries", 1501),
    ("Low-income countries", 1500),
    ("No income group available", 1518),
    ("Sustainable Development Goal (SDG) regions", 1840),
    ("Sub-Saharan Africa", 947),
    ("Northern Africa and Western Asia", 1833),
    ("Central and Southern Asia", 921),
    ("Eastern and South-Eastern Asia", 1832),
    ("Latin America and the Caribbean", 1830),
    ("Oceania (excluding Australia and New Zealand)*", 1835),
    ("Australia and New Zealand", 927),
    ("Europe and Northern America", 1829),
    ("Land-locked Developing Countries (LLDC)", 1636),
    ("Small island developing States (SIDS)", 1637),
    ("Geographic regions", 1828),
    ("AFRICA", 903),
    ("Eastern Africa", 910),
    ("Middle Africa", 911),
    ("Northern Africa", 912),
    ("Southern Africa", 913),
    ("Western Africa", 914),
    ("ASIA", 935),
    ("Central Asia", 5500),
    ("Eastern Asia", 906),
    ("South-Eastern Asia", 920),
    ("Southern Asia", 5501),
    ("Western Asia", 922),
    ("EUROPE", 908),
    ("Eastern Europe", 923),
    ("Northern Europe", 924),
    ("Southern Europe", 925),
    ("Western Europe", 926),
    ("LATIN AMERICA AND THE CARIBBEAN", 904),
    ("Caribbean", 915),
    ("Central America", 916),
    ("South America", 931),
    ("NORTHERN AMERICA", 905),
    ("OCEANIA", 909),
    ("Melanesia", 928),
    ("Micronesia", 954),
    ("Polynesia", 957),
]

# (name as printed, M49 code, alpha-3): countries and areas, with the spellings that trip readers up.
UNDESA_COUNTRIES = [
    ("Mexico", 484, "MEX"),
    ("United States of America", 840, "USA"),
    ("Guatemala", 320, "GTM"),
    ("Costa Rica", 188, "CRI"),
    ("Haiti", 332, "HTI"),
    ("Venezuela (Bolivarian Republic of)", 862, "VEN"),
    ("Bolivia (Plurinational State of)", 68, "BOL"),
    ("Micronesia (Fed. States of)", 583, "FSM"),
    ("China, Hong Kong SAR", 344, "HKG"),
    ("China, Taiwan Province of China", 158, "TWN"),
    ("Côte d'Ivoire", 384, "CIV"),
    ("Curaçao", 531, "CUW"),
    ("Dem. People's Republic of Korea", 408, "PRK"),
    ("Republic of Korea", 410, "KOR"),
    ("Türkiye", 792, "TUR"),
    ("Channel Islands", 830, "CHI"),
    ("Sint Maarten (Dutch part)", 534, "SXM"),
    ("State of Palestine*", 275, "PSE"),
    ("Cyprus (3)", 196, "CYP"),
    ("Kosovo (under UNSC res. 1244)", 412, "XKX"),
]

ORIGIN_AGGREGATES = ["Total", "Other North", "Other South"]
# The values printed: a figure, not available, nil, thousands with a space.
SAMPLE_VALUES = ["1 234", "..", "-", "56"]


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _value(row: int, column: int) -> str:
    return SAMPLE_VALUES[(row + column) % len(SAMPLE_VALUES)]


def undesa_2019(years: tuple[int, ...] = (2010, 2015, 2019), unknown: str | None = None) -> bytes:
    """UN_MigrantStockByOriginAndDestination_2019, Table 1, saved as CSV: title lines, then `Year, Sort
    order, Major area, region, country or area of destination, Notes, Code, Type of data (a), Total, Other
    North, Other South, <origins>`, every aggregate row per year, footnotes under the table."""
    origins = [name for name, _code, _iso in UNDESA_COUNTRIES if not name.startswith("Kosovo")]
    header = [
        "Year",
        "Sort\norder",
        "Major area, region, country or area of destination",
        "Notes",
        "Code",
        "Type of data (a)",
        *ORIGIN_AGGREGATES,
        *origins,
    ]
    rows: list[list[object]] = [
        ["United Nations"],
        ["Population Division"],
        ["Department of Economic and Social Affairs"],
        [],
        [
            "International migrant stock at mid-year by sex and by region, country or area of destination "
            "and origin"
        ],
        [],
        header,
    ]
    sort = 0
    places: list[tuple[str, object]] = [(n, c) for n, c in UNDESA_AGGREGATES] + [
        (n, c) for n, c, _iso in UNDESA_COUNTRIES
    ]
    if unknown:
        places.append((unknown, ""))
    for year in years:
        for name, code in places:
            sort += 1
            values = [_value(sort, column) for column in range(len(ORIGIN_AGGREGATES) + len(origins))]
            rows.append([year, sort, name, "3" if "Cyprus" in name else "", code, "B R", *values])
    rows += [
        [],
        ["Notes"],
        ["(a) B: estimates derived from data on foreign-born population; R: refugees added."],
        ["(3) Refers to the whole country."],
    ]
    return _csv(rows)


def undesa_2020(years: tuple[int, ...] = (1990, 2000, 2020)) -> bytes:
    """UN_MigrantStockByOriginAndDestination_2020 (and later), Table 1, saved as CSV: origin and
    destination as rows with their notes, location codes and type of data, one column per year for both
    sexes, then the same years for males and for females."""
    header = [
        "Index",
        "Region, development group, country or area of destination",
        "Notes of destination",
        "Location code of destination",
        "Type of data of destination",
        "Region, development group, country or area of origin",
        "Notes of origin",
        "Location code of origin",
        *[str(y) for y in years],
        *[str(y) for y in years],
        *[str(y) for y in years],
    ]
    rows: list[list[object]] = [
        ["International Migrant Stock 2020: Destination and origin"],
        [
            "Table 1. International migrant stock at mid-year by sex and by region, country or area of "
            "destination and origin, 1990-2020"
        ],
        ["", "", "", "", "", "", "", "", "Both sexes", "", "", "Males", "", "", "Females"],
        header,
    ]
    places = list(UNDESA_AGGREGATES[:6]) + [(n, c) for n, c, _iso in UNDESA_COUNTRIES]
    index = 0
    for destination, destination_code in places:
        for origin, origin_code in [
            ("World", 900),
            ("Micronesia", 954),
            *[(n, c) for n, c, _i in UNDESA_COUNTRIES],
        ]:
            index += 1
            values = [_value(index, column) for column in range(3 * len(years))]
            rows.append([index, destination, "", destination_code, "B", origin, "", origin_code, *values])
    rows.append(["Note: the estimates are for mid-year (1 July)."])
    return _csv(rows)


def unhcr_data_finder(unknown: str | None = None) -> bytes:
    """The UNHCR Refugee Data Finder's download: title lines, country names beside ISO codes, more
    populations in columns of their own, `-` for none, `*` for withheld small figures, UNHCR's own codes
    (XXA stateless, TIB Tibetan), "Unknown" origins."""
    header = [
        "Year",
        "Country of origin",
        "Country of origin (ISO)",
        "Country of asylum",
        "Country of asylum (ISO)",
        "Refugees under UNHCR's mandate",
        "Asylum-seekers",
        "IDPs of concern to UNHCR",
        "Other people in need of international protection",
        "Stateless persons",
        "Host community",
        "Others of concern",
    ]
    rows: list[list[object]] = [
        ["Extracted from the UNHCR Population Statistics Reference Database"],
        ["Date extracted: 2024-06-14"],
        [],
        header,
        [
            2022,
            "Venezuela (Bolivarian Republic of)",
            "VEN",
            "Costa Rica",
            "CRI",
            "4,523",
            "27,120",
            "-",
            "-",
            "-",
            "-",
            "-",
        ],
        [2022, "Nicaragua", "NIC", "Costa Rica", "CRI", "12 345", "170,000", "-", "-", "-", "-", "-"],
        [2022, "Stateless", "XXA", "Costa Rica", "CRI", "-", "*", "-", "-", "*", "-", "-"],
        [2022, "Tibetan", "TIB", "India", "IND", "72,312", "-", "-", "-", "-", "-", "-"],
        [2022, "Unknown", "UNK", "Mexico", "MEX", "150", "1,200", "-", "-", "-", "-", "-"],
        [2022, "Haiti", "HTI", "Mexico", "MEX", "*", "*", "-", "-", "-", "-", "-"],
        [2023, "Haiti", "HTI", "Mexico", "MEX", "5,301", "90,112", "-", "-", "-", "-", "-"],
    ]
    if unknown:
        rows.append([2023, unknown, unknown, "Mexico", "MEX", "7", "8", "-", "-", "-", "-", "-"])
    return _csv(rows)


MMP_HEADER = [
    "Main ID",
    "Incident ID",
    "Incident Type",
    "Region of Incident",
    "Incident Date",
    "Incident year",
    "Month",
    "Number of Dead",
    "Minimum Estimated Number of Missing",
    "Total Number of Dead and Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Country of Origin",
    "Region of Origin",
    "Cause of Death",
    "Country of Incident",
    "Migration route",
    "Location of Incident",
    "Coordinates",
    "UNSD Geographical Grouping",
    "Information Source",
    "URL",
    "Source Quality",
]
MMP_HXL = ["#event+id", "#event+code", "#event+type", "#region+incident", "#date+incident", "#date+year"]


def missing_migrants(years: range = range(2014, 2025), unknown: str | None = None) -> bytes:
    """The Missing Migrants Project's global CSV from HDX: HXL hashtags under the header, every year,
    incidents in "Mixed/Unknown" countries and at sea, corrections with a negative number of missing."""
    rows: list[list[object]] = [MMP_HEADER, MMP_HXL + [""] * (len(MMP_HEADER) - len(MMP_HXL))]
    countries = [
        ("Mexico", "Central America", "19.43, -99.13"),
        ("United States of America", "Northern America", "31.33, -110.94"),
        ("Panama", "Central America", "8.55, -77.78"),
        ("Mixed/Unknown", "Mediterranean", "36.0, 15.0"),
        ("Libya", "Northern Africa", "32.9, 13.18"),
        ("Côte d&#039;Ivoire", "Western Africa", "5.3, -4.0"),
        ("Türkiye", "Western Asia", "41.0, 28.9"),
    ]
    number = 0
    for year in years:
        for country, region, coordinates in countries:
            number += 1
            rows.append(
                [
                    f"{year}.MMP{number:05d}",
                    f"{year}.MMP{number:05d}",
                    "Incident",
                    region,
                    f"{year}-03-{1 + number % 27:02d}",
                    year,
                    "Mar",
                    number % 4,
                    "" if number % 3 else 2,
                    number % 4 + (0 if number % 3 else 2),
                    "",
                    "",
                    "",
                    "",
                    "Mixed",
                    "Mixed",
                    "Drowning",
                    country,
                    "Central Mediterranean" if region == "Mediterranean" else "",
                    "At sea" if region == "Mediterranean" else "Near the border",
                    coordinates,
                    region,
                    "Media",
                    "https://example.org/source",
                    3,
                ]
            )
    # A correction: two first reported missing were found dead (the same incident, listed again).
    rows.append(
        [
            f"{years[-1]}.MMP00001",
            f"{years[-1]}.MMP00001",
            "Incident",
            "Central America",
            f"{years[-1]}-04-02",
            years[-1],
            "Apr",
            2,
            -2,
            0,
            "",
            "",
            "",
            "",
            "Guatemala",
            "Central America",
            "Violence",
            "Mexico",
            "",
            "Tapachula",
            "14.9, -92.26",
            "Central America",
            "IOM",
            "",
            4,
        ]
    )
    if unknown:
        rows.append(
            [
                f"{years[-1]}.MMP99999",
                f"{years[-1]}.MMP99999",
                "Incident",
                "Europe",
                f"{years[-1]}-05-02",
                years[-1],
                "May",
                1,
                "",
                1,
                "",
                "",
                "",
                "",
                "Unknown",
                "",
                "Unknown",
                unknown,
                "",
                "",
                "",
                "",
                "",
                "",
                1,
            ]
        )
    return _csv(rows)
