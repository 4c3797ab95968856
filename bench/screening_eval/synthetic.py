"""Synthetic people and documents, drawn like the travellers of the region (for evaluation and bench).

Origins are mixed as at a Mexican or Central American border (mostly Hispanic names, then
Haitian, Arabic, Russian/Ukrainian, Chinese, South Asian, English, German/Nordic/Turkish).
Within an origin, frequent names come first in :mod:`bench.screening_eval.names` and are
drawn with Zipf-like weights; a long tail of made-up but pronounceable Spanish-style
surnames and given names stands in for the thousands of rare names of a real population.

Two interfaces: :func:`random_person` (one person with the structure the variant
generator needs) and :func:`bulk_entries` / :func:`bulk_documents` (a million entries and
ten million documents quickly, for the bench).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt

from bench.screening_eval import names as data
from corredor.matching.records import Name, PartialDate, Sex, WatchlistEntry

__all__ = ["ORIGINS", "NamePart", "SyntheticPerson", "bulk_documents", "bulk_entries", "random_person"]

#: Share of each origin among listed persons and travellers.
ORIGINS: dict[str, float] = {
    "hispanic": 0.70,
    "haitian": 0.09,
    "arabic": 0.06,
    "slavic": 0.04,
    "chinese": 0.035,
    "south_asian": 0.03,
    "english": 0.035,
    "umlaut": 0.01,
}

_NATIONALITIES: dict[str, list[tuple[str, float]]] = {
    "hispanic": [("MEX", 40), ("GTM", 15), ("HND", 12), ("SLV", 10), ("NIC", 5), ("CUB", 5), ("DOM", 4),
                 ("COL", 3), ("VEN", 3), ("CRI", 1), ("PAN", 1), ("ECU", 1)],
    "haitian": [("HTI", 90), ("DOM", 5), ("USA", 3), ("CAN", 2)],
    "arabic": [("SYR", 20), ("EGY", 20), ("MAR", 15), ("LBN", 15), ("IRQ", 10), ("JOR", 10), ("YEM", 5),
               ("SDN", 5)],
    "slavic": [("RUS", 60), ("UKR", 35), ("BLR", 5)],
    "chinese": [("CHN", 80), ("TWN", 10), ("HKG", 5), ("SGP", 5)],
    "south_asian": [("IND", 50), ("PAK", 20), ("BGD", 20), ("NPL", 10)],
    "english": [("USA", 70), ("GBR", 15), ("CAN", 15)],
    "umlaut": [("DEU", 40), ("TUR", 30), ("SWE", 10), ("NOR", 10), ("DNK", 10)],
}  # fmt: skip

# Syllables for the long tail of rare names, per origin and kind: (first, middle, last).
_TAIL_SYLLABLES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("hispanic", "surname"): (
        "AL BA BE CA CHA CO CU DE DO ES FI GA GUE HI HUE IZ JA JI LA LE LO MA ME MO NA NO OL PA PE PI "
        "QUI RA RE RI RO SA SE SO TA TE TO U VA VE VI XO YA ZA ZU TLA CUA ITZ",
        "BA BE CA DA DE GA LA LI LO MA MI NA NE NI RA RE RI RO SA TA TE TI VA VI ZA RRA LLA ÑA GUI QUE "
        "CHI TZI",
        "RRA NDEZ LLO TE RO NO DA TL CO ZA LES ÑA RES LEZ DO RA LA NA TO VEZ GA ZO CA LDE ÑO LAR MAN RIN",
    ),
    ("hispanic", "given"): (
        "YEI BRA DA KE JHO WIL YA MAY EL AN DER LI NE VIN MI LE ZU KA RI TA NA RO BER FRE JE SI CA GE O E",
        "SI LA DE RI NA MI LE VA DI TO GO NI RA BE ME",
        "SON YAN NA LYN NER VIN TH DY LY BEL TO NIA RA SA LIN MAR LO DER LIS SEL",
    ),
    ("haitian", "surname"): (
        "DOR SAINT JEAN VIL CE FLEU PHI MA DE GUE BEL AU GUS LA MO RO JO DA PO NO BA TI",
        "LES TIN RAN LO RIUS SI RE ZAI VA LU MI NA DI",
        "VIL RANT RIUS SIR RRIER ZAIRE TE ME LUS DOR CIN NE ZIL TUS JUSTE",
    ),
    ("haitian", "given"): (
        "WID LY NE JO GUER DY MAC KEN ROO FRITZ NER LO VE NI CHE ROSE NA DIE JU MIR LAN DE WIL ENS SO",
        "LE MA NI DE LY RO SA",
        "SON LINE NA LAND DY NE NER KY LOVE DA TE SE RO",
    ),
    ("arabic", "surname"): (
        "AL HA MA SA KA ZA RA BA DA NA JA FA TA QA SHA KHA",
        "DI RI MI SI LI BI NI WI HI BA SA",
        "D R M N L B Q Z S H F T DI RI",
    ),
    ("arabic", "given"): (
        "HA MA SA KA ZA RA BA NA JA FA TA SHA KHA A I U", "DI RI MI SI LI BI NI WA", "D R M N L B Q Z S H F",
    ),
    ("english", "surname"): (
        "ASH BRAD CAR DAL ELL FAIR GRAN HAL KEN LANG MAR NEW PEN RAD SHER THORN WEST WIN STAN ROCK",
        "ER EN",
        "BY FORD TON WOOD LEY FIELD WELL MAN SON WORTH HAM LOCK RIDGE",
    ),
    ("english", "given"): ("BRAD JAY KAY LEE MAR SHAN TRE BRY CAM DEV", "E A", "DEN LYN TON SON LEY DON RIS"),
    ("slavic", "surname"): (
        "БЕЛ ВОРОН ГРОМ ДУБ ЖУР ЗОЛОТ КАМ ЛЕС МЕДВЕД НОС ПЕСК РЫБ СОБОЛ ТИХ ФРОЛ ХОЛОД ЧЕРН ШУБ ЩУК ЯГОД "
        "КРАС ГОЛУБ ПОЛ БОР ВЕТР",
        "А О Я",
        "ОВ ЕВ ИН ЕНКО СКИЙ ЧУК ИЧ",
    ),
    ("slavic", "given"): ("ВЛАД СВЯТО ЯРО МИРО СТАНИ БОРИ РОСТИ", "С", "ЛАВ МИР ДАН"),
    ("chinese", "surname"): ("BAI CUI DU FAN HAO JIA KONG LU MENG NIE QIN REN SHI TIAN WEN YAO YU", "", ""),
    ("chinese", "given"): (
        "AN BAO CHUN DA FENG GUANG HAO HUI JIA JIN KAI LAN LING MEI NING PEI QI RUI SHAN SHU TING WEN XIN "
        "XUE YA YI YU ZHEN ZHI ZI",
        "",
        "AN BIN CHEN FEI GANG HUA JIE JUN KANG LIN LONG MIN NAN PING QING RONG SHENG TAO WEI XIA YAN "
        "YING YUN ZE",
    ),
    ("south_asian", "surname"): (
        "RA JA SU PRA VI AN DE MA SHA NA KI RO BHA GO KU",
        "N DH R",
        "JESH NAV KASH VIND NESH THI DHA MESH RAJ PAL NATH",
    ),
    ("south_asian", "given"): (
        "RA JA SU PRA VI AN DE MA SHA NA KI RO BHA GO KU",
        "",
        "JESH NAV KASH VIND NESH THI DHA MESH RAJ PAL NATH ITA",
    ),
    ("umlaut", "surname"): ("BÄ HÖ KÜ MÖ SCHÜ WÖ GRÜ BJÖ", "", "LLER RNER HNE GER DER ST RN"),
    ("umlaut", "given"): ("JÜ GÜ BJÖ JÖ SÖ", "", "RGEN NTER RN REN RG"),
}  # fmt: skip

#: Share of names drawn from the long tail instead of the lists (surnames, given names).
_TAIL_SHARE = {"hispanic": (0.3, 0.15)}
_DEFAULT_TAIL_SHARE = (0.45, 0.35)


@dataclass(frozen=True, slots=True)
class NamePart:
    """One name as listed, its other spellings (romanisations), and its native script if any."""

    text: str
    spellings: tuple[str, ...] = ()
    native: str = ""


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """A made-up person with the structure the variant generator needs."""

    origin: str
    surnames: tuple[NamePart, ...]
    given: tuple[NamePart, ...]
    birth_date: PartialDate
    nationality: str
    sex: Sex
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def surname_text(self) -> str:
        """The surnames as one field."""
        return " ".join(p.text for p in self.surnames)

    @property
    def given_text(self) -> str:
        """The given names as one field."""
        return " ".join(p.text for p in self.given)


def _zipf(count: int, exponent: float = 0.9) -> npt.NDArray[np.float64]:
    weights = 1.0 / np.arange(1, count + 1, dtype=np.float64) ** exponent
    return np.asarray(weights / weights.sum(), dtype=np.float64)


@cache
def tail_names(origin: str, kind: str) -> tuple[str, ...]:
    """Rare made-up names of one origin and kind (``surname``/``given``), the same on every run."""
    first, middle, last = (part.split() for part in _TAIL_SYLLABLES[(origin, kind)])
    rng = random.Random(f"{origin}-{kind}")
    target = min(40_000, len(first) * max(len(middle), 1) * max(len(last), 1) // 2)
    seen: dict[str, None] = {}
    attempts = 0
    while len(seen) < target and attempts < target * 20:
        attempts += 1
        parts = [rng.choice(first)]
        if middle and rng.random() < 0.6:
            parts.append(rng.choice(middle))
        if last:
            parts.append(rng.choice(last))
        elif len(parts) == 1:
            parts.append(rng.choice(first).lower())
        seen.setdefault("".join(parts).capitalize(), None)
    return tuple(seen)


@cache
def _pools() -> dict[str, dict[str, list[NamePart]]]:
    def plain(block: str) -> list[NamePart]:
        return [NamePart(w) for w in data.words(block)]

    def grouped(block: str) -> list[NamePart]:
        return [NamePart(g[0], tuple(g[1:])) for g in data.groups(block)]

    chinese_surnames = [
        NamePart(latin[0], tuple(latin[1:]), native) for native, latin in data.keyed(data.CHINESE_SURNAMES)
    ]
    chinese_given = [NamePart(latin[0], (), native) for native, latin in data.keyed(data.CHINESE_GIVEN)]

    def pools(
        surnames: list[NamePart], male: list[NamePart], female: list[NamePart]
    ) -> dict[str, list[NamePart]]:
        return {"surname": surnames, "male": male, "female": female}

    hispanic = pools(plain(data.HISPANIC_SURNAMES), plain(data.HISPANIC_MALE), plain(data.HISPANIC_FEMALE))
    hispanic["compound"] = plain(data.HISPANIC_COMPOUND)
    return {
        "hispanic": hispanic,
        "haitian": pools(plain(data.HAITIAN_SURNAMES), plain(data.HAITIAN_GIVEN), plain(data.HAITIAN_GIVEN)),
        "arabic": pools(
            grouped(data.ARABIC_SURNAMES), grouped(data.ARABIC_GIVEN), grouped(data.ARABIC_FEMALE)
        ),
        "slavic": pools(
            plain(data.CYRILLIC_SURNAMES), plain(data.CYRILLIC_MALE), plain(data.CYRILLIC_FEMALE)
        ),
        "chinese": pools(chinese_surnames, chinese_given, chinese_given),
        "south_asian": pools(
            grouped(data.SOUTH_ASIAN_SURNAMES),
            grouped(data.SOUTH_ASIAN_GIVEN),
            grouped(data.SOUTH_ASIAN_GIVEN),
        ),
        "english": pools(plain(data.ENGLISH_SURNAMES), plain(data.ENGLISH_MALE), plain(data.ENGLISH_FEMALE)),
        "umlaut": pools(plain(data.UMLAUT_SURNAMES), plain(data.UMLAUT_GIVEN), plain(data.UMLAUT_GIVEN)),
    }


_FEMALE_CYRILLIC_ENDINGS = ("ОВ", "ЕВ", "ЁВ", "ИН", "ЫН")


def _cyrillic_surname(surname: str, sex: Sex) -> str:
    if sex == "F" and surname.upper().endswith(_FEMALE_CYRILLIC_ENDINGS):
        return surname + "а"
    if sex == "F" and surname.upper().endswith("СКИЙ"):
        return surname[:-2] + "ая"
    return surname


def _pick(
    rng: random.Random, pool: list[NamePart], tail: tuple[str, ...] = (), tail_share: float = 0.0
) -> NamePart:
    if tail and rng.random() < tail_share:
        return NamePart(tail[int(np.searchsorted(_cumulative(len(tail), 0.6), rng.random() * 0.999999))])
    return pool[int(np.searchsorted(_cumulative(len(pool), 0.9), rng.random() * 0.999999))]


@cache
def _cumulative(count: int, exponent: float) -> npt.NDArray[np.float64]:
    return np.cumsum(_zipf(count, exponent))


def _birth_date(rng: random.Random) -> PartialDate:
    year = max(1935, min(2020, int(rng.gauss(1984, 14))))
    month = rng.randint(1, 12)
    day = rng.randint(1, 28 if month == 2 else 30)
    return PartialDate(year, month, day)


def random_person(rng: random.Random, origin: str | None = None) -> SyntheticPerson:
    """One synthetic person; ``origin`` one of :data:`ORIGINS` (drawn by share when None)."""
    if origin is None:
        origin = rng.choices(list(ORIGINS), weights=list(ORIGINS.values()))[0]
    pools = _pools()[origin]
    sex: Sex = "F" if rng.random() < 0.45 else "M"
    given_pool = pools["female" if sex == "F" else "male"]
    nationality = rng.choices(*zip(*_NATIONALITIES[origin], strict=True))[0]
    surnames: list[NamePart]
    given: list[NamePart]
    surname_share, given_share = _TAIL_SHARE.get(origin, _DEFAULT_TAIL_SHARE)
    surname_tail, given_tail = tail_names(origin, "surname"), tail_names(origin, "given")
    if origin == "hispanic":
        surnames = [_pick(rng, pools["surname"], surname_tail, surname_share)]
        if rng.random() < 0.85:
            surnames.append(_pick(rng, pools["surname"], surname_tail, surname_share))
        roll = rng.random()
        if roll < 0.12:
            compound = [
                p
                for p in pools["compound"]
                if (p.text.startswith(("María", "Ana", "Rosa", "Luz")) == (sex == "F"))
            ]
            given = [_pick(rng, compound)]
        else:
            given = [_pick(rng, given_pool, given_tail, given_share)]
            if roll > 0.6:
                second = _pick(rng, given_pool, given_tail, given_share)
                if second.text != given[0].text:
                    given.append(second)
    elif origin == "arabic":
        given = [
            _pick(rng, given_pool, given_tail, given_share),
            _pick(rng, pools["male"], given_tail, given_share),
        ]
        surnames = [_pick(rng, pools["surname"], surname_tail, surname_share)]
    elif origin == "slavic":
        surname = _pick(rng, pools["surname"], surname_tail, surname_share)
        surnames = [NamePart(_cyrillic_surname(surname.text, sex))]
        given = [_pick(rng, given_pool, given_tail, given_share / 3)]
    elif origin == "chinese":
        surnames = [_pick(rng, pools["surname"], surname_tail, 0.2)]
        given = [_pick(rng, given_pool, given_tail, 0.8)]
    else:
        surnames = [_pick(rng, pools["surname"], surname_tail, surname_share)]
        given = [_pick(rng, given_pool, given_tail, given_share)]
        if rng.random() < 0.35:
            second = _pick(rng, given_pool, given_tail, given_share)
            if second.text != given[0].text:
                given.append(second)
    return SyntheticPerson(origin, tuple(surnames), tuple(given), _birth_date(rng), nationality, sex)


# -- bulk, for the bench --------------------------------------------------------------------


def _choice(
    rng: np.random.Generator, items: list[str], size: int, exponent: float = 0.9
) -> npt.NDArray[np.object_]:
    return np.array(items, dtype=object)[rng.choice(len(items), size=size, p=_zipf(len(items), exponent))]


def bulk_entries(count: int, seed: int = 1) -> list[WatchlistEntry]:
    """``count`` synthetic person alerts, fast (NumPy draws, one object per entry at the end).

    Mostly Hispanic names with two surnames and a long tail of rare surnames; 72 % full
    birth dates, 10 % year only, 5 % year and month, 13 % unknown; some aliases.
    """
    rng = np.random.default_rng(seed)
    pools = _pools()
    origins = list(ORIGINS)
    origin_of = rng.choice(
        len(origins), size=count, p=np.array(list(ORIGINS.values())) / sum(ORIGINS.values())
    )
    female = rng.random(count) < 0.45
    surname_1 = np.empty(count, dtype=object)
    surname_2 = np.full(count, "", dtype=object)
    given_1 = np.empty(count, dtype=object)
    given_2 = np.full(count, "", dtype=object)
    nationality = np.empty(count, dtype=object)
    for number, origin in enumerate(origins):
        rows = np.flatnonzero(origin_of == number)
        if not len(rows):
            continue
        pool = pools[origin]
        surname_share, given_share = _TAIL_SHARE.get(origin, _DEFAULT_TAIL_SHARE)
        surname_tail = list(tail_names(origin, "surname"))
        given_tail = list(tail_names(origin, "given"))

        def draw(
            target: npt.NDArray[np.object_],
            where: npt.NDArray[np.int64],
            items: list[str],
            tail: list[str],
            share: float,
        ) -> None:
            target[where] = _choice(rng, items, len(where))
            from_tail = where[rng.random(len(where)) < share]
            target[from_tail] = _choice(rng, tail, len(from_tail), 0.6)

        surnames = [p.text for p in pool["surname"]]
        draw(surname_1, rows, surnames, surname_tail, surname_share)
        if origin == "hispanic":
            draw(surname_2, rows, surnames, surname_tail, surname_share)
            surname_2[rows[rng.random(len(rows)) < 0.15]] = ""
        for is_female, key in ((False, "male"), (True, "female")):
            sub = rows[female[rows] == is_female]
            givens = [p.text for p in pool[key]]
            draw(given_1, sub, givens, given_tail, given_share)
            second = sub[rng.random(len(sub)) < (0.9 if origin == "arabic" else 0.35)]
            draw(given_2, second, givens, given_tail, given_share)
        given_2[rows[given_2[rows] == given_1[rows]]] = ""
        codes, weights = zip(*_NATIONALITIES[origin], strict=True)
        nationality[rows] = np.array(codes, dtype=object)[
            rng.choice(len(codes), size=len(rows), p=np.array(weights) / sum(weights))
        ]
    years = np.clip(rng.normal(1984, 14, count).astype(int), 1935, 2020)
    months = rng.integers(1, 13, count)
    days = rng.integers(1, 29, count)
    precision = rng.random(count)
    nationality[rng.random(count) < 0.1] = None
    alias = rng.random(count) < 0.15
    entries: list[WatchlistEntry] = []
    for i in range(count):
        p = precision[i]
        birth = (
            PartialDate(int(years[i]), int(months[i]), int(days[i])) if p < 0.72
            else PartialDate(int(years[i])) if p < 0.82
            else PartialDate(int(years[i]), int(months[i])) if p < 0.87
            else None
        )  # fmt: skip
        surname = f"{surname_1[i]} {surname_2[i]}".strip()
        given = f"{given_1[i]} {given_2[i]}".strip()
        names = [Name(surname=surname, given_names=given)]
        if alias[i]:
            names.append(Name(full_name=f"{given_1[i]} {surname_1[i]}"))
        entries.append(
            WatchlistEntry(f"P{i:07d}", tuple(names), birth, nationality[i], "F" if female[i] else "M")
        )
    return entries


_DOCUMENT_STATES = [
    "MEX",
    "GTM",
    "HND",
    "SLV",
    "NIC",
    "CRI",
    "PAN",
    "CUB",
    "DOM",
    "HTI",
    "COL",
    "VEN",
    "USA",
    "CAN",
    "ESP",
    "CHN",
    "IND",
    "RUS",
    "UKR",
    "BRA",
    "ECU",
    "PER",
    "DEU",
    "FRA",
]


def bulk_documents(
    count: int, seed: int = 2
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.bytes_], npt.NDArray[np.int64]]:
    """``count`` synthetic document alerts as (issuing states, numbers, refs), all NumPy.

    Numbers follow common passport shapes: a letter and eight digits, two letters and
    seven digits, or nine digits.
    """
    rng = np.random.default_rng(seed)
    width = 9
    raw = np.empty((count, width), dtype=np.uint8)
    raw[:] = rng.integers(ord("0"), ord("9") + 1, size=(count, width), dtype=np.uint8)
    shape = rng.integers(0, 3, count)
    letters = rng.integers(ord("A"), ord("Z") + 1, size=(count, 2), dtype=np.uint8)
    raw[shape >= 1, 0] = letters[shape >= 1, 0]
    raw[shape == 2, 1] = letters[shape == 2, 1]
    numbers = raw.view(f"S{width}").reshape(count)
    states = np.array(_DOCUMENT_STATES)[
        rng.choice(len(_DOCUMENT_STATES), size=count, p=_zipf(len(_DOCUMENT_STATES), 1.0))
    ]
    refs = np.arange(1, count + 1, dtype=np.int64)
    return states, numbers, refs
