"""How a listed person's name turns up at the desk: one function per kind of variant.

Each function takes a :class:`~bench.screening_eval.synthetic.SyntheticPerson` and a
random generator and returns the traveller's ``(surname, given_names, full_name)`` — or
``None`` when the kind does not apply to that person (no second surname to omit, no
nickname known ...). The functions only rewrite names; birth-date noise is added by the
generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache

from bench.screening_eval import names as data
from bench.screening_eval.synthetic import NamePart, SyntheticPerson
from corredor.matching.nicknames import equivalent_names
from corredor.matching.normalise import fold

__all__ = ["KINDS", "TravellerName", "cyrillic_latin", "person_latin"]

TravellerName = tuple[str, str, str]  # surname, given names, full name
Variant = Callable[[SyntheticPerson, random.Random], TravellerName | None]

# Romanisations of Cyrillic other than ICAO's: the Russian passport rules of 1997-2010,
# German (Duden) and French usage. Applied after ICAO's own table for the common letters.
_CYRILLIC_SYSTEMS: dict[str, dict[str, str]] = {
    "russian_1997": {
        "Й": "Y", "Ю": "YU", "Я": "YA", "Ы": "Y", "Ъ": "", "Ь": "", "Х": "KH", "Ё": "E", "Е": "E",
    },
    "german": {
        "Й": "J", "Ю": "JU", "Я": "JA", "Ж": "SH", "Х": "CH", "Ц": "Z", "Ч": "TSCH", "Ш": "SCH",
        "Щ": "SCHTSCH", "В": "W", "З": "S", "Ы": "Y", "Ь": "", "Ъ": "", "Е": "E", "Ё": "JO",
    },
    "french": {
        "Й": "I", "Ю": "IOU", "Я": "IA", "Ж": "J", "Х": "KH", "Ч": "TCH", "Ш": "CH", "Щ": "CHTCH", "У": "OU",
        "Ы": "Y", "Ь": "", "Ъ": "", "Е": "E", "Ё": "IO",
    },
}  # fmt: skip
_CYRILLIC_BASE = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH", "З": "Z", "И": "I",
    "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T",
    "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y",
    "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
}  # fmt: skip


def cyrillic_latin(text: str, system: str = "icao") -> str:
    """A Cyrillic name in Latin letters by ``system`` (``icao``, ``russian_1997``, ``german``, ``french``)."""
    table = dict(_CYRILLIC_BASE)
    table.update(_CYRILLIC_SYSTEMS.get(system, {}))
    out = []
    upper = text.upper()
    for i, char in enumerate(upper):
        if system == "russian_1997" and char == "Е" and (i == 0 or upper[i - 1] in "АЕЁИОУЫЭЮЯЬЪ"):
            out.append("YE")
        elif system == "russian_1997" and char == "И" and i + 1 < len(upper) and upper[i + 1] == "Й":
            out.append("I")
        else:
            out.append(table.get(char, char))
    return "".join(out).title()


def _latin(part: NamePart, origin: str) -> str:
    if origin == "slavic" and any("А" <= c <= "я" or c in "ЁёЇїІіЄєҐґ" for c in part.text):
        return cyrillic_latin(part.text)
    return part.text


def person_latin(person: SyntheticPerson) -> tuple[list[str], list[str]]:
    """The person's surnames and given names in Latin letters (ICAO for Cyrillic)."""
    return [_latin(p, person.origin) for p in person.surnames], [
        _latin(p, person.origin) for p in person.given
    ]


def _document(surnames: list[str], given: list[str], rng: random.Random) -> TravellerName:
    """As printed on a document: uppercase; accents kept on half of them, as in visual zones."""
    surname, given_names = " ".join(surnames), " ".join(given)
    if rng.random() < 0.5:
        return fold(surname), fold(given_names), ""
    return surname.upper(), given_names.upper(), ""


def _ascii(text: str) -> str:
    return fold(text)


# -- kinds ------------------------------------------------------------------------------------


def plain(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """The name as on the document (uppercase, accents often dropped): the baseline."""
    surnames, given = person_latin(person)
    return _document(surnames, given, rng)


def icao_two_letter(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """German, Nordic and Turkish letters spelled the ICAO way: Ü -> UE, Ø -> OE, Å -> AA."""
    surnames, given = person_latin(person)
    joined = " ".join(surnames + given)
    if not re.search("[ÄÖÜÅØäöüåø]", joined):
        return None
    two_letters = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Å": "AA", "Ø": "OE"}
    table = str.maketrans({**two_letters, **{k.lower(): v.lower() for k, v in two_letters.items()}})
    return fold(" ".join(surnames).translate(table)), fold(" ".join(given).translate(table)), ""


def mrz_truncated(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """The name as read from the MRZ of an ID card (30 characters) or passport (39), cut at the end."""
    surnames, given = person_latin(person)

    def field(parts: list[str]) -> str:
        return "<".join(_ascii(p).replace(" ", "<") for p in parts)

    mrz = field(surnames) + "<<" + field(given)
    for width in (30, 39):
        if len(mrz) > width + 1 and not mrz[:width].endswith("<"):
            return "", "", mrz[:width]
    return None


def surnames_swapped(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Two surnames in the other order (the mother's first)."""
    surnames, given = person_latin(person)
    if len(surnames) < 2:
        return None
    return _document(surnames[::-1], given, rng)


def name_order_swapped(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Surname and given names swapped: in the fields, or a full name written the other way."""
    surnames, given = person_latin(person)
    if rng.random() < 0.5:
        return _ascii(" ".join(given)), _ascii(" ".join(surnames)), ""
    return "", "", _ascii(" ".join(surnames + given))


def surname_omitted(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """The second (maternal) surname left out, as outside Spanish-speaking countries."""
    surnames, given = person_latin(person)
    if len(surnames) < 2:
        return None
    return _document(surnames[:1], given, rng)


def given_omitted(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A middle name left out (or only the first of two given names kept)."""
    surnames, given = person_latin(person)
    words = " ".join(given).split()
    if len(words) < 2:
        return None
    keep = words[:1] if rng.random() < 0.7 else words[1:]
    return _document(surnames, keep, rng)


_PARTICLE_PATTERN = re.compile(r"^(De la|De los|De las|Del|De|San|Santa|Montes de)\s+(.+)$")


def particles(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A surname with particles written joined (DELACRUZ) or without them (CRUZ)."""
    surnames, given = person_latin(person)
    for index, surname in enumerate(surnames):
        match = _PARTICLE_PATTERN.match(surname)
        if match and match.group(1) not in ("San", "Santa", "Montes de"):
            particle, rest = match.groups()
            changed = list(surnames)
            changed[index] = (particle.replace(" ", "") + rest) if rng.random() < 0.5 else rest
            return _ascii(" ".join(changed)), _ascii(" ".join(given)), ""
        if match:
            changed = list(surnames)
            changed[index] = surname.replace(" ", "")
            return _ascii(" ".join(changed)), _ascii(" ".join(given)), ""
    return None


# Cross-language forms a traveller of each origin plausibly carries (a Mexican José may be
# registered as Joseph in the United States, not as Yusuf; a Syrian Yusuf may be a José in Mexico).
_PLAUSIBLE_EQUIVALENTS = {
    name: others.split()
    for name, _, others in (
        line.partition(":")
        for line in """
JOSE: JOSEPH JOSEF GIUSEPPE
JUAN: JOHN JEAN JOHANN GIOVANNI
MARIA: MARY MARIE
MIGUEL: MICHAEL MICHEL
PEDRO: PETER PIERRE PIETRO
FRANCISCO: FRANCIS FRANCOIS FRANK
JAIME: JAMES JACQUES
CARLOS: CHARLES
LUIS: LOUIS
PABLO: PAUL
ANTONIO: ANTHONY ANTOINE
ANDRES: ANDREW ANDRE
TOMAS: THOMAS
GUILLERMO: WILLIAM GUILLAUME
ENRIQUE: HENRY HENRI
EDUARDO: EDWARD EDOUARD
ESTEBAN: STEPHEN ETIENNE
MATEO: MATTHEW MATHIEU
FELIPE: PHILIP PHILIPPE
JORGE: GEORGE
ALEJANDRO: ALEXANDER ALEXANDRE
ISABEL: ELIZABETH
CATALINA: CATHERINE
MARGARITA: MARGARET MARGUERITE
ELENA: HELEN
JUANA: JANE JEANNE JOAN
JOHN: JUAN JEAN
MICHAEL: MIGUEL MICHEL
JAMES: JAIME
WILLIAM: GUILLERMO
ELIZABETH: ISABEL
MARY: MARIA
DAVID: DAUD
PAUL: PABLO
JEAN: JUAN JOHN
PIERRE: PEDRO PETER
MARIE: MARIA MARY
JOSEPH: JOSE
JACQUES: JAIME JAMES
FRANCOIS: FRANCISCO
LOUIS: LUIS
MICHEL: MIGUEL
EMMANUEL: MANUEL
YUSUF: JOSE JOSEPH
YOUSSEF: JOSE JOSEPH
IBRAHIM: ABRAHAM
ISMAIL: ISMAEL
SULEIMAN: SALOMON SOLOMON
MUSA: MOISES MOSES
IVAN: JUAN JOHN
MIKHAIL: MIGUEL MICHAEL
ALEKSANDR: ALEJANDRO ALEXANDER
PETR: PEDRO PETER
SERGEI: SERGIO
NIKOLAI: NICOLAS
YURI: JORGE GEORGE
""".strip().splitlines()
    )
}


def _swap_given(person: SyntheticPerson, rng: random.Random, linked: bool) -> TravellerName | None:
    surnames, given = person_latin(person)
    words = " ".join(given).split()
    options = []
    for index, word in enumerate(words):
        same, cross = equivalent_names(_ascii(word).replace(" ", ""))
        if linked:
            plausible = set(_PLAUSIBLE_EQUIVALENTS.get(_ascii(word), []))
            pool = sorted((cross | same) & plausible)
        else:
            pool = sorted(same)
        pool = [p for p in pool if len(p) > 2]
        if pool:
            options.append((index, pool))
    if not options:
        return None
    index, pool = rng.choice(options)
    words[index] = rng.choice(pool)
    return _ascii(" ".join(surnames)), _ascii(" ".join(words)), ""


def nickname(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A given name replaced by its nickname or another spelling of it (PEPE for JOSE)."""
    return _swap_given(person, rng, linked=False)


def cross_language(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A given name replaced by its equivalent in another language (JOHN for JUAN, YUSUF for JOSE)."""
    return _swap_given(person, rng, linked=True)


_SPANISH_RESPELLINGS = [
    (r"V", "B"), (r"B", "V"), (r"Z", "S"), (r"S(?=[AEIOU])", "Z"), (r"C(?=[EI])", "S"), (r"LL", "Y"),
    (r"Y(?=[AEIOU])", "LL"), (r"^H", ""), (r"^(?=[AEIOU])", "H"), (r"G(?=[EI])", "J"), (r"J(?=[EI])", "G"),
    (r"X", "J"), (r"QU(?=[EI])", "K"), (r"CA", "KA"), (r"GUI", "GI"), (r"SS", "S"), (r"RR", "R"),
    (r"Ñ", "NI"),
]  # fmt: skip


def phonetic_respelling(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A part written by ear the Spanish way: B/V, S/Z/C, LL/Y, silent H, J/G, X/J, QU/K."""
    surnames, given = person_latin(person)
    parts = [(True, i) for i in range(len(surnames))] + [(False, i) for i in range(len(given))]
    rng.shuffle(parts)
    for is_surname, index in parts:
        source = (surnames if is_surname else given)[index].upper()
        rules = [(p, r) for p, r in _SPANISH_RESPELLINGS if re.search(p, source)]
        if not rules:
            continue
        pattern, replacement = rng.choice(rules)
        matches = list(re.finditer(pattern, source))
        chosen = rng.choice(matches)
        changed = source[: chosen.start()] + replacement + source[chosen.end() :]
        if fold(changed) == fold(source) or len(fold(changed)) < 3:
            continue
        new_surnames, new_given = list(surnames), list(given)
        (new_surnames if is_surname else new_given)[index] = changed
        return _ascii(" ".join(new_surnames)), _ascii(" ".join(new_given)), ""
    return None


_KEYBOARD = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]


def _neighbour(char: str, rng: random.Random) -> str:
    for row in _KEYBOARD:
        if char in row:
            i = row.index(char)
            options = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            return rng.choice(options)
    return rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def typo(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """One typing error in one part: a neighbouring key, a letter more or less, two letters swapped."""
    surnames, given = person_latin(person)
    surnames = [_ascii(s) for s in surnames]
    given = [_ascii(g) for g in given]
    candidates = [(True, i) for i, s in enumerate(surnames) if len(s.replace(" ", "")) >= 4]
    candidates += [(False, i) for i, g in enumerate(given) if len(g.replace(" ", "")) >= 4]
    if not candidates:
        return None
    is_surname, index = rng.choice(candidates)
    word = (surnames if is_surname else given)[index]
    letters = [i for i, c in enumerate(word) if c != " "]
    position = rng.choice(letters[1:] or letters)
    kind = rng.choice(("substitute", "insert", "delete", "transpose"))
    if kind == "substitute":
        changed = word[:position] + _neighbour(word[position], rng) + word[position + 1 :]
    elif kind == "insert":
        changed = word[:position] + _neighbour(word[position], rng) + word[position:]
    elif kind == "delete":
        changed = word[:position] + word[position + 1 :]
    else:
        if position + 1 >= len(word) or word[position + 1] == " ":
            position -= 1
        changed = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if changed == word:
        return None
    new_surnames, new_given = list(surnames), list(given)
    (new_surnames if is_surname else new_given)[index] = changed
    return " ".join(new_surnames), " ".join(new_given), ""


_CREOLE_RULES = [
    ("EAU", "O"), ("AU", "O"), ("OUI", "WI"), ("OI", "WA"), ("QU", "K"), ("PH", "F"), ("TH", "T"),
    ("CK", "K"), ("GUE", "GE"), ("C(?=[EIY])", "S"), ("C(?!H)", "K"), ("X", "KS"),
    ("(?<=[AEIOU])S(?=[AEIOU])", "Z"),
    ("AIN$", "EN"), ("EIN$", "EN"), ("EAN", "AN"), ("IE", "YE"), ("LL", "L"), ("RR", "R"), ("SS", "S"),
    ("TT", "T"), ("NN", "N"), ("MM", "M"), ("ER$", "E"), ("(?<=[AEIOU])R(?=[BCDFGKLMNPSTV])", ""),
    ("(?<=[AEIOU])[STXD]$", ""), ("(?<=[^AEIOU])ES$", ""), ("(?<=[^AEIOU])E$", ""),
]  # fmt: skip


def creole(text: str) -> str:
    """A French name in Haitian Creole spelling (JOSEPH -> JOZEF, FRANCOIS -> FRANSWA)."""
    word = fold(text)
    for pattern, replacement in _CREOLE_RULES:
        word = " ".join(re.sub(pattern, replacement, w) for w in word.split())
    return word


def creole_spelling(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Haitian names in Creole spelling (as written by ear by officials who speak Creole)."""
    if person.origin != "haitian":
        return None
    surnames, given = person_latin(person)
    new_surnames = [creole(s) if rng.random() < 0.5 else _ascii(s) for s in surnames]
    new_given = [creole(g) for g in given]
    if fold(" ".join(new_surnames + new_given)) == fold(" ".join(surnames + given)):
        return None
    return " ".join(new_surnames), " ".join(new_given), ""


def hyphenation(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Compound names hyphenated, spaced or written as one word (JEAN-BAPTISTE, JEANBAPTISTE, ST LOUIS)."""
    surnames, given = person_latin(person)
    joined = " ".join(surnames + given)
    if "-" not in joined and " " not in " ".join(given):
        return None

    def rewrite(text: str) -> str:
        if "-" in text:
            choice = rng.random()
            text = text.replace("-", "" if choice < 0.6 else " ")
            if text.upper().startswith("SAINT") and rng.random() < 0.5:
                text = "ST" + text[5:]
            return text
        if " " in text and rng.random() < 0.8:
            return text.replace(" ", "")
        return text

    new = [rewrite(s) for s in surnames], [rewrite(" ".join(given))]
    result = _ascii(" ".join(new[0])), _ascii(" ".join(new[1])), ""
    if result[:2] == (_ascii(" ".join(surnames)), _ascii(" ".join(given))):
        return None
    return result


def _alternative(part: NamePart, rng: random.Random) -> str | None:
    return rng.choice(part.spellings) if part.spellings else None


def romanisation(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Another romanisation: Arabic, South Asian, Cyrillic (other systems), Chinese (Wade-Giles, script)."""
    if person.origin in ("arabic", "south_asian"):
        surnames = [_alternative(p, rng) or p.text for p in person.surnames]
        given = [_alternative(p, rng) or p.text for p in person.given]
        if [p.text for p in person.surnames] == surnames and [p.text for p in person.given] == given:
            return None
        return _ascii(" ".join(surnames)), _ascii(" ".join(given)), ""
    if person.origin == "slavic":
        system = rng.choice(("russian_1997", "german", "french", "cyrillic"))
        if system == "cyrillic":
            return " ".join(p.text for p in person.surnames), " ".join(p.text for p in person.given), ""
        return (
            " ".join(cyrillic_latin(p.text, system) for p in person.surnames).upper(),
            " ".join(cyrillic_latin(p.text, system) for p in person.given).upper(),
            "",
        )
    if person.origin == "chinese":
        roll = rng.random()
        surname_part = person.surnames[0]
        given_part = person.given[0]
        if roll < 0.3 and surname_part.native and given_part.native:
            return "", "", surname_part.native + given_part.native
        new_surname = _alternative(surname_part, rng) or surname_part.text
        syllables = _pinyin_syllables(given_part.text.upper())
        if roll < 0.65:
            new_given = "-".join(data.WADE_GILES.get(s, s) for s in syllables)
        else:
            new_given = " ".join(syllables)
        return new_surname.upper(), new_given.upper(), ""
    return None


@cache
def _syllable_table() -> tuple[str, ...]:
    known = set(data.WADE_GILES)
    for _, latin in data.keyed(data.CHINESE_GIVEN):
        known.add(latin[0].upper())
    return tuple(sorted(known, key=len, reverse=True))


def _pinyin_syllables(word: str) -> list[str]:
    out: list[str] = []
    rest = word
    while rest:
        for syllable in _syllable_table():
            follows = rest[len(syllable) :]
            if rest.startswith(syllable) and (
                not follows or any(follows.startswith(s) for s in _syllable_table())
            ):
                out.append(syllable)
                rest = follows
                break
        else:
            out.append(rest)
            break
    return out


def alias(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Travelling under the alias the list also gives (the generator adds it to the entry)."""
    found = person.extra.get("alias")
    if not found:
        return None
    surname, _, given = found.partition(",")
    return _ascii(surname), _ascii(given), ""


def initials(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """A second given name reduced to its initial (JOSE L GARCIA)."""
    surnames, given = person_latin(person)
    words = " ".join(given).split()
    if len(words) < 2:
        return None
    words[1] = words[1][0]
    return _ascii(" ".join(surnames)), _ascii(" ".join(words)), ""


def combined(person: SyntheticPerson, rng: random.Random) -> TravellerName | None:
    """Two kinds at once (e.g. accents dropped and second surname omitted and a typing error)."""
    first = rng.choice((surname_omitted, given_omitted, surnames_swapped, name_order_swapped, particles))
    second = rng.choice((typo, phonetic_respelling, nickname))
    name = first(person, rng)
    if name is None:
        return None
    surname, given, full = name
    if full:
        return None
    words_surname = [NamePart(w) for w in [surname]]
    words_given = [NamePart(w) for w in [given]]
    interim = SyntheticPerson(
        person.origin,
        tuple(words_surname),
        tuple(words_given),
        person.birth_date,
        person.nationality,
        person.sex,
    )
    return second(interim, rng)


#: Every kind, with the share of positive pairs it gets.
KINDS: dict[str, tuple[Variant, float]] = {
    "plain": (plain, 0.08),
    "icao_two_letter": (icao_two_letter, 0.02),
    "mrz_truncated": (mrz_truncated, 0.06),
    "surnames_swapped": (surnames_swapped, 0.05),
    "name_order_swapped": (name_order_swapped, 0.06),
    "surname_omitted": (surname_omitted, 0.08),
    "given_omitted": (given_omitted, 0.05),
    "particles": (particles, 0.03),
    "nickname": (nickname, 0.07),
    "cross_language": (cross_language, 0.04),
    "phonetic_respelling": (phonetic_respelling, 0.09),
    "typo": (typo, 0.09),
    "creole_spelling": (creole_spelling, 0.04),
    "hyphenation": (hyphenation, 0.04),
    "romanisation": (romanisation, 0.07),
    "alias": (alias, 0.03),
    "initials": (initials, 0.02),
    "combined": (combined, 0.08),
}
