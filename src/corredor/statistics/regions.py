"""Regional grouping of nationalities as the region's migration statistics read them: North America,
Mesoamerica, the Caribbean, South America, and the rest of the world by continent.

Pure: ISO 3166 alpha-3 codes (and ICAO's own codes as printed in travel documents) in, region codes out.
"""

from django.utils.translation import gettext_lazy as _

NORTH_AMERICA = "north_america"
MESOAMERICA = "mesoamerica"
CARIBBEAN = "caribbean"
SOUTH_AMERICA = "south_america"
EUROPE = "europe"
AFRICA = "africa"
ASIA = "asia"
OCEANIA = "oceania"
OTHER = "other"

REGION_LABELS = {
    NORTH_AMERICA: _("North America"),
    MESOAMERICA: _("Mesoamerica"),
    CARIBBEAN: _("The Caribbean"),
    SOUTH_AMERICA: _("South America"),
    EUROPE: _("Europe"),
    AFRICA: _("Africa"),
    ASIA: _("Asia"),
    OCEANIA: _("Oceania"),
    OTHER: _("Stateless, unspecified or other"),
}

# The first four are the Americas as the region splits them; the rest is "extra-continental" by continent.
AMERICAS = (NORTH_AMERICA, MESOAMERICA, CARIBBEAN, SOUTH_AMERICA)
EXTRA_CONTINENTAL = (EUROPE, AFRICA, ASIA, OCEANIA, OTHER)

_MEMBERS: dict[str, str] = {
    NORTH_AMERICA: "USA CAN BMU GRL SPM",
    MESOAMERICA: "MEX GTM BLZ SLV HND NIC CRI PAN",
    CARIBBEAN: (
        "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT "
        "SXM TTO TCA VIR ANT"
    ),
    SOUTH_AMERICA: "ARG BOL BRA CHL COL ECU FLK GUF GUY PRY PER SUR URY VEN SGS BVT",
    EUROPE: (
        "ALA ALB AND AUT BLR BEL BIH BGR HRV CZE DNK EST FRO FIN FRA DEU D GIB GRC GGY VAT HUN ISL IRL IMN "
        "ITA JEY XKX RKS LVA LIE LTU LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SJM "
        "SWE CHE UKR GBR GBD GBN GBO GBP GBS CHI CSK SCG SUN YUG EUE"
    ),
    AFRICA: (
        "DZA AGO BEN BWA IOT BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ ETH ATF GAB GMB "
        "GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MYT MAR MOZ NAM NER NGA REU RWA SHN STP SEN SYC "
        "SLE SOM ZAF SSD SDN TZA TGO TUN UGA ESH ZMB ZWE ZAR"
    ),
    ASIA: (
        "AFG ARM AZE BHR BGD BTN BRN KHM CHN CYP GEO HKG IND IDN IRN IRQ ISR JPN JOR KAZ KWT KGZ LAO LBN "
        "MAC MYS MDV MNG MMR NPL PRK OMN PAK PSE PHL QAT SAU SGP KOR LKA SYR TWN TJK THA TLS TUR TKM ARE UZB "
        "VNM YEM BUR TMP TIB"
    ),
    OCEANIA: (
        "ASM AUS COK FJI PYF GUM KIR MHL FSM NRU NCL NZL NIU NFK MNP PLW PNG PCN WSM SLB TKL TON TUV UMI VUT "
        "WLF CXR CCK HMD"
    ),
}

REGION_OF: dict[str, str] = {code: region for region, codes in _MEMBERS.items() for code in codes.split()}


def region_of(code: str) -> str:
    """The region of a nationality or country code; stateless, unspecified and unknown codes are OTHER."""
    return REGION_OF.get((code or "").strip().upper(), OTHER)


def region_label(region: str) -> str:
    return str(REGION_LABELS.get(region, region))
