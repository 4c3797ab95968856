"""Name normalisation: from whatever was typed, printed or read in an MRZ to comparable name parts.

A name becomes a tuple of :class:`NamePart` — uppercase ASCII letters only — each with its
role (surname, given name, or unknown when only a full name was given) and the particles
that stood before it (``DE LA`` in ``DE LA CRUZ``). Particles are kept apart rather than
dropped so that ``DELACRUZ``, ``DE LA CRUZ`` and ``CRUZ`` can all be matched.

Folding follows ICAO Doc 9303 Part 3, section 6 (transliteration of multinational Latin
characters and of Cyrillic) where it applies; other scripts go through a short table of
ours (Greek, Arabic) and then `anyascii <https://pypi.org/project/anyascii/>`_.
ICAO allows two spellings for some letters (``Ä`` as ``AE`` or ``A``, ``Ü`` as ``UE`` or
``U``, ``Ø`` as ``OE``), so :func:`normalise_name` returns every spelling a document may
carry, the single-letter one first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from anyascii import anyascii

__all__ = [
    "COMPANY_SUFFIXES",
    "HONORIFICS",
    "PARTICLES",
    "NamePart",
    "ParsedName",
    "Role",
    "fold",
    "normalise_name",
    "normalise_token",
]


class Role(IntEnum):
    """What a name part is: known from separate surname / given-name fields, or unknown."""

    UNKNOWN = 0
    SURNAME = 1
    GIVEN = 2

    @property
    def label(self) -> str:
        """The word used in explanations: ``surname``, ``given name`` or ``name part``."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {Role.UNKNOWN: "name part", Role.SURNAME: "surname", Role.GIVEN: "given name"}


@dataclass(frozen=True, slots=True)
class NamePart:
    """One normalised name part (``GARCIA``), its role, and the particles before it (``DE``)."""

    text: str
    role: Role = Role.UNKNOWN
    particle: str = ""


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A normalised name: its parts in MRZ order (surnames first when known, else as written).

    ``mrz_length`` is how many characters the name needs in an MRZ name field
    (``SURNAME<<GIVEN<NAMES``): a name that long may have been cut at the end of the field,
    so a last part that is a prefix of the other name's part counts as a match.
    """

    parts: tuple[NamePart, ...]
    mrz_length: int

    @property
    def texts(self) -> tuple[str, ...]:
        """The parts' texts, in order."""
        return tuple(part.text for part in self.parts)

    def __str__(self) -> str:
        return " ".join(f"{p.particle} {p.text}".strip() if p.particle else p.text for p in self.parts)


#: Name particles: articles, prepositions and conjunctions inside names, and the Arabic
#: ``bin``/``al`` family. They are not compared as name parts of their own (see module doc).
PARTICLES: frozenset[str] = frozenset(
    {
        # Spanish, Portuguese, Italian, French
        "DE", "DEL", "DELA", "LA", "LAS", "LOS", "LO", "Y", "E", "I", "DA", "DAS", "DO", "DOS",
        "DI", "DELLA", "DELLO", "DEGLI", "DU", "DES", "LE", "LES", "D",
        # Dutch, German, Scandinavian
        "VAN", "VON", "DER", "DEN", "TER", "TEN", "VANDER", "VANDEN", "ZU", "AF", "AV",
        # Arabic (article, "son/daughter of"), also as written in South Asian names
        "AL", "EL", "UL", "UD", "ED", "AS", "AD", "AZ", "BIN", "BEN", "IBN", "BINT", "BENT", "WALAD", "OULD",
    }
)  # fmt: skip

#: Titles, honorifics and generational suffixes: not part of the name, dropped wherever they
#: stand ("Mr.", "Dr", "Shaikh", "Haji", "Maulavi", "Jr") as long as two other parts remain.
HONORIFICS: frozenset[str] = frozenset(
    {
        "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "PROFESSOR", "SIR", "DAME", "LORD", "LADY", "REV",
        "REVEREND", "FR", "HON", "HONORABLE", "PRESIDENT", "MINISTER", "SENATOR", "GEN", "GENERAL", "COL",
        "COLONEL", "CAPT", "CAPTAIN", "MAJ", "LT", "SGT", "CMDR", "ADMIRAL",
        "SHAIKH", "SHEIKH", "SHAYKH", "SHEIKHA", "SHEKH", "SHEIK", "HAJI", "HAJJI", "HADJI", "HAJ", "HAJJ",
        "HAJIA", "HAJIYA", "MAULAVI", "MAULAWI", "MAWLAWI", "MOLAVI", "MAWLAVI", "MAULANA", "MAWLANA",
        "MULLAH", "MULLA", "MOLLA", "USTADH", "USTAZ", "USTAD", "QARI",
        "SAYYID", "SAYYED", "SYED", "SEYYED",
        "SENOR", "SENORA", "SENORITA", "SR", "SRA", "SRTA", "DONA", "LIC", "ING", "MONSIEUR", "MADAME",
        "MME", "MLLE", "HERR", "FRAU", "JR", "JNR", "SNR", "II", "III", "IV", "ESQ",
    }
)  # fmt: skip

#: Company designators, dropped at the end of a name ("Siemens AG", "Acme Trading Co. Ltd").
COMPANY_SUFFIXES: frozenset[str] = frozenset(
    {
        "LTD", "LIMITED", "LLC", "LLP", "LP", "INC", "INCORPORATED", "CO", "CORP", "CORPORATION", "COMPANY",
        "GMBH", "AG", "KG", "SA", "SAS", "SARL", "SRL", "SPA", "SL", "BV", "NV", "PLC", "OOO", "OAO", "ZAO",
        "PAO", "JSC", "PJSC", "OJSC", "CJSC", "OY", "OYJ", "AB", "PTE", "PTY", "FZE", "FZCO", "FZC",
        "AKTIENGESELLSCHAFT", "GESELLSCHAFT", "HOLDING", "HOLDINGS", "GROUP", "SDN", "BHD", "KK", "TBK",
    }
)  # fmt: skip

#: A name this long (as ``SURNAME<<GIVEN<NAMES``) may have been cut at the end of an MRZ field.
MRZ_CUT_LENGTH = 28

# Particles that may open a full name written surname first ("DE LA CRUZ JUAN"). The rest
# (LE, DA, DO, DU, ...) are also common surnames or given names in Chinese or Vietnamese,
# so in first position they are taken as names.
_LEADING_PARTICLES = frozenset({"DE", "DEL", "DELA", "DELLA", "VAN", "VON", "DOS", "DAS", "DES", "DER"})
# Conjunctions join two surnames ("GARCIA Y LOPEZ"); alone at an edge they are initials.
_CONJUNCTIONS = frozenset({"Y", "E", "I"})
# In a given-names field only these are particles ("MARIA DE LOS ANGELES", "JUAN DE DIOS");
# BEN, AL, EL ... there are names (Ben, Al) far more often than particles.
_GIVEN_NAME_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y", "DA", "DOS", "DAS", "DI", "DU"})

# Letters that neither ICAO nor Unicode decomposition turns into ASCII by stripping accents.
_SPECIAL_LATIN = {
    "ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "Ø": "O", "ø": "O",
    "Þ": "TH", "þ": "TH", "Ð": "D", "ð": "D", "Đ": "D", "đ": "D", "Ł": "L", "ł": "L",
    "Ħ": "H", "ħ": "H", "ı": "I", "ĸ": "K", "Ŋ": "N", "ŋ": "N", "ſ": "S", "Ĳ": "IJ", "ĳ": "IJ",
    "Ŀ": "L", "ŀ": "L", "Ŧ": "T", "ŧ": "T",
}  # fmt: skip

# ICAO Doc 9303 Part 3 recommends a two-letter spelling for these letters; documents carry
# either that or the bare letter, so both spellings are generated.
_ICAO_TWO_LETTER = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Å": "AA", "Ø": "OE"}

# ICAO Doc 9303 Part 3, transliteration of Cyrillic characters (Russian, Ukrainian,
# Belarusian, Serbian, Macedonian, Bulgarian letters). Й, Ё, Ї, Ў decompose to И, Е, І, У
# with a mark, which ICAO also transliterates as the base letter, so they are not listed.
_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ж": "ZH", "З": "Z", "И": "I",
    "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T",
    "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE",
    "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA", "Є": "IE", "І": "I", "Ґ": "G", "Ђ": "D",
    "Ѓ": "G", "Ѕ": "DZ", "Ј": "J", "Љ": "LJ", "Њ": "NJ", "Ћ": "C", "Ќ": "K", "Џ": "DZ", "Ғ": "G",
    "Қ": "K", "Ң": "N", "Ү": "U", "Ұ": "U", "Һ": "H", "Ә": "A", "Ө": "O",
}  # fmt: skip

# Greek, close to ELOT 743 (used on Greek passports); ICAO has no Greek table.
_GREEK = {
    "Α": "A", "Β": "V", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "I", "Θ": "TH", "Ι": "I",
    "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "X", "Ο": "O", "Π": "P", "Ρ": "R", "Σ": "S",
    "Τ": "T", "Υ": "Y", "Φ": "F", "Χ": "CH", "Ψ": "PS", "Ω": "O",
}  # fmt: skip

# Arabic script, as names are usually romanised in practice (ICAO's own Arabic table is a
# reversible machine code, XH for ح and so on, that no one types at a desk). Short vowels
# are rarely written, so the result is mostly consonants; scoring compares consonant
# skeletons for that reason.
_ARABIC = {
    "ا": "A", "أ": "A", "إ": "I", "آ": "A", "ٱ": "A", "ء": "", "ؤ": "U", "ئ": "I", "ب": "B",
    "ت": "T", "ث": "TH", "ج": "J", "ح": "H", "خ": "KH", "د": "D", "ذ": "DH", "ر": "R", "ز": "Z",
    "س": "S", "ش": "SH", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z", "ع": "", "غ": "GH", "ف": "F",
    "ق": "Q", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "ة": "A", "و": "W", "ي": "Y",
    "ى": "A", "پ": "P", "چ": "CH", "ژ": "ZH", "گ": "G", "ک": "K", "ی": "Y", "ە": "A",
    "\u064e": "A", "\u0650": "I", "\u064f": "U",
}  # fmt: skip

# In names, digits are OCR misreadings of letters (GARC1A); other digits are dropped.
_DIGIT_AS_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
_APOSTROPHES = frozenset("'’‘`´ʼʻ")
# ICAO's older convention spells Ñ as NXX (and Ä, Ö, Ü as AXX, OXX, UXX); no name has XX.
_XX_SPELLING = re.compile(r"([AOUN])XX")
_NON_LETTERS = re.compile(r"[^A-Z]+")
# A lower-case letter followed by a capital starting a longer word: two parts written together.
# "McDonald", "DeLeon", "LeBron" are left alone (a capital after one or two letters at the start).
_CAMEL = re.compile(r"(?<=[^\W\d_]{3})([a-zà-ÿ])([A-ZÀ-Þ][a-zà-ÿ]{2,})")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


def _fold_char(char: str) -> str:
    if "A" <= char <= "Z":
        return char
    if "a" <= char <= "z":
        return char.upper()
    if char in _SPECIAL_LATIN:
        return _SPECIAL_LATIN[char]
    if char.isdigit():
        return _DIGIT_AS_LETTER.get(char, " ") if char.isascii() else " "
    if char in _APOSTROPHES:
        return ""
    upper = char.upper()
    if upper in _CYRILLIC:
        return _CYRILLIC[upper]
    if upper in _GREEK:
        return _GREEK[upper]
    if char in _ARABIC:
        return _ARABIC[char]
    category = unicodedata.category(char)
    if category.startswith("M"):
        return ""  # a combining mark left over from decomposition
    if not category.startswith("L"):
        return " "
    return anyascii(char).upper()


def _fold_run(text: str, split_surname: bool) -> str:
    # Chinese names are a one-character surname and a given name of one or two characters
    # written as one word in pinyin (李小明 -> LI XIAOMING); a surname or given-name field
    # alone is one word (小明 -> XIAOMING).
    out: list[str] = []
    cjk: list[str] = []

    def flush() -> None:
        if cjk:
            syllables = [anyascii(c).upper() for c in cjk]
            if split_surname and len(syllables) > 1:
                out.append(" " + syllables[0] + " " + "".join(syllables[1:]) + " ")
            else:
                out.append(" " + "".join(syllables) + " ")
            cjk.clear()

    for char in text:
        if _is_cjk(char):
            cjk.append(char)
            continue
        flush()
        out.append(_fold_char(char))
    flush()
    return "".join(out)


@lru_cache(maxsize=262_144)
def fold(text: str, split_chinese_surname: bool = True) -> str:
    """Fold ``text`` to uppercase ASCII words separated by single spaces.

    Accents are dropped (``Ñ`` -> ``N``, ``Ü`` -> ``U``), special letters spelled out
    (``ß`` -> ``SS``, ``Æ`` -> ``AE``, ``Þ`` -> ``TH``), Cyrillic transliterated with the
    ICAO 9303 table, other scripts romanised; apostrophes join (``O'BRIEN`` -> ``OBRIEN``),
    hyphens, dots and MRZ fillers (``<``) separate, and digits in names are read as the
    letters OCR confuses them with (``0`` -> ``O``). Chinese characters become pinyin, the
    first one apart as the surname unless ``split_chinese_surname`` is false.
    """
    if not text:
        return ""
    # Decompose so that accents become combining marks (dropped); Greek final sigma and
    # Turkish dotted capital I decompose cleanly too.
    decomposed = unicodedata.normalize("NFKD", text)
    greek_fixed = decomposed.replace("ΟΥ", "OU").replace("ου", "OU").replace("Ου", "OU")
    folded = _fold_run(greek_fixed, split_chinese_surname)
    folded = _XX_SPELLING.sub(r"\1", folded)
    return _NON_LETTERS.sub(" ", folded).strip()


def _icao_spellings(text: str) -> tuple[str, ...]:
    """The raw text itself and, when it has letters with an ICAO two-letter spelling, that spelling."""
    composed = unicodedata.normalize("NFC", text)
    upper = composed.upper()
    if not any(char in upper for char in _ICAO_TWO_LETTER):
        return (text,)
    two_letter = "".join(_ICAO_TWO_LETTER.get(char, char) for char in upper)
    return (text, two_letter)


def normalise_token(text: str) -> str:
    """Fold one name part to the letters it is compared on (``Müller`` -> ``MULLER``)."""
    return fold(text).replace(" ", "")


def _is_particle(word: str, position: int, count: int, role: Role) -> bool:
    if word not in PARTICLES or position == count - 1:
        return False  # a particle is followed by the name it belongs to
    if role is Role.GIVEN:
        # "DE JESUS" is what is left of "JOSE DE JESUS" when the first name is dropped.
        return word in _GIVEN_NAME_PARTICLES and (position > 0 or word in _LEADING_PARTICLES)
    if word in _CONJUNCTIONS:
        return position > 0
    if position == 0 and role is Role.UNKNOWN:
        return word in _LEADING_PARTICLES
    return True


@lru_cache(maxsize=262_144)
def _parts_of(text: str, role: Role) -> tuple[NamePart, ...]:
    words = fold(text, split_chinese_surname=role is Role.UNKNOWN).split()
    parts: list[NamePart] = []
    particle = ""
    for position, word in enumerate(words):
        if _is_particle(word, position, len(words), role):
            particle += word
            continue
        parts.append(NamePart(word, role, particle))
        particle = ""
    return tuple(parts)


def _split_full_name(full_name: str) -> tuple[str, str] | None:
    """``SURNAME<<GIVEN`` (MRZ) or ``SURNAME, GIVEN``: the two halves; otherwise None."""
    if "<<" in full_name:
        surname, _, given = full_name.partition("<<")
        return surname.replace("<", " "), given.replace("<", " ")
    if full_name.count(",") == 1:
        surname, _, given = full_name.partition(",")
        after = fold(given).split()
        if after and all(word in HONORIFICS or word in COMPANY_SUFFIXES for word in after):
            return None  # "RUBEN PESTANO LAVILLA, JR", "ACME TRADING, LTD": not surname first
        if surname.strip() and given.strip():
            return surname, given
    return None


def _mrz_length(surnames: tuple[NamePart, ...], given: tuple[NamePart, ...]) -> int:
    def field(parts: tuple[NamePart, ...]) -> int:
        return sum(len(p.particle) + len(p.text) + (1 if p.particle else 0) for p in parts) + max(
            len(parts) - 1, 0
        )

    return field(surnames) + 2 + field(given)


def _drop_titles(
    surnames: tuple[NamePart, ...], given: tuple[NamePart, ...]
) -> tuple[tuple[NamePart, ...], tuple[NamePart, ...]]:
    """Drop honorifics anywhere and company designators at the end, keeping at least one part
    (two when honorifics go: "HAJI MURAD" stays as written, "HAJI MURAD KHAN" loses HAJI)."""
    parts = surnames + given
    kept = [p for p in parts if not (p.text in HONORIFICS and not p.particle)]
    if len(kept) >= 2 and len(kept) < len(parts):
        surnames = tuple(p for p in surnames if p in kept)
        given = tuple(p for p in given if p in kept)
    for _ in range(2):
        last_in_given = bool(given)
        tail = given if last_in_given else surnames
        if len(surnames) + len(given) > 1 and tail and tail[-1].text in COMPANY_SUFFIXES:
            if last_in_given:
                given = given[:-1]
            else:
                surnames = surnames[:-1]
    return surnames, given


def _parse_one(full_name: str, surname: str, given_names: str) -> ParsedName | None:
    if surname.strip() or given_names.strip():
        surnames = _parts_of(surname, Role.SURNAME)
        given = _parts_of(given_names, Role.GIVEN)
    else:
        halves = _split_full_name(full_name)
        if halves is not None:
            surnames = _parts_of(halves[0], Role.SURNAME)
            given = _parts_of(halves[1], Role.GIVEN)
        else:
            surnames = ()
            given = _parts_of(full_name, Role.UNKNOWN)
    surnames, given = _drop_titles(surnames, given)
    length = _mrz_length(surnames, given)
    if length >= MRZ_CUT_LENGTH:
        # Cut at the end of an MRZ field: a trailing particle lost the name it belonged to.
        if len(given) > 1 and given[-1].text in PARTICLES:
            given = given[:-1]
        elif not given and len(surnames) > 1 and surnames[-1].text in PARTICLES:
            surnames = surnames[:-1]
    parts = surnames + given
    if not parts:
        return None
    return ParsedName(parts, length)


@lru_cache(maxsize=131_072)
def normalise_name(full_name: str = "", surname: str = "", given_names: str = "") -> tuple[ParsedName, ...]:
    """Every spelling of a person's name as documents may carry it, the plain one first.

    Give ``surname`` and ``given_names`` when they are known apart (a document, a form);
    otherwise ``full_name``, which may be free text (``José Luis García López``), MRZ-style
    (``GARCIA<LOPEZ<<JOSE<LUIS``) or ``SURNAME, GIVEN NAMES``. When surname or given names
    are given, ``full_name`` is not used. Returns ``()`` when no letters remain.
    """
    spellings: list[ParsedName] = []
    plain = _parse_one(full_name, surname, given_names)
    if plain is not None:
        spellings.append(plain)
    fields = (full_name, surname, given_names)
    if any(_CAMEL.search(field) for field in fields):
        # "SergeiLavrov", "FridrichBuchenberg": parts written together, told apart by their capitals.
        split = _parse_one(*(_CAMEL.sub(r"\1 \2", field) for field in fields))
        if split is not None and split not in spellings:
            spellings.append(split)
    if any(len(_icao_spellings(field)) > 1 for field in fields):
        two_letter = _parse_one(*(_icao_spellings(field)[-1] for field in fields))
        if two_letter is not None and two_letter not in spellings:
            spellings.append(two_letter)
    return tuple(spellings)
