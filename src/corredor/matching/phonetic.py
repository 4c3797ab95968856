"""Phonetic keys for names spelled the Spanish, French, Haitian Creole or English way.

Soundex and Metaphone were made for English; the names met at a Mexican, Central American or
Caribbean desk are spelled by ear in Spanish, French and Creole, and transliterated from
Arabic, Russian or Chinese by clerks of many countries. The key below merges the spellings
those languages confuse:

- ``B``/``V`` (``W`` read as ``U``, or as ``V`` in a second key), silent ``H``,
  ``LL``/``Y``/``I`` (yeísmo);
- ``C``/``S``/``Z`` before ``E``/``I``, ``C``/``K``/``Q``/``QU`` elsewhere;
- ``J``, ``G`` before ``E``/``I``, ``KH``, ``ZH``, ``DJ`` (the Spanish jota and the French
  and Creole ``zh`` sound); ``GU`` before ``E``/``I`` is a hard ``G``;
- ``CH``, ``SH``, ``SCH``, ``TCH`` (and ``CH`` as a jota in a second key: German and
  Slavic romanisations); ``PH``/``F``; ``TH``/``T``;
- ``X`` in Mexican names: ``XIMENEZ`` = ``JIMENEZ`` but ``XOCHITL`` starts with ``S``,
  ``MEXIA`` = ``MEJIA`` but ``ALEXIS`` has ``KS``, so such names get two keys;
- French and Creole vowels: ``OU``/``U``, ``AU``/``EAU``/``O``, ``AI``/``EI``/``E``,
  ``OI``/``WA`` (``DUBOIS``/``DUBWA``, with the silent final consonant), again as a second
  key because Spanish reads the same letters differently (``PAULA``, ``MOISES``);
- Haitian Creole spelling: a hard ``G`` before ``E``/``I`` (``GELIN``), no ``R`` after a
  vowel before a consonant or at the end of ``-ER``/``-IR`` (``CHAL`` for ``CHARLES``,
  ``PYE``), no mute final ``E`` — in the second key;
- ``AE``/``OE``/``UE`` (ICAO's spelling of ``Ä``/``Ö``/``Ü``) as the bare vowel, second key;
- doubled letters count once.

:func:`phonetic_keys` returns one key, or two when the spelling has two readings.
:func:`skeleton` keeps only the consonants of the key, which is how names written in Arabic
script (no short vowels) and their many romanisations can still be compared.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["deletions", "phonetic_keys", "skeleton"]

_VOWELS = frozenset("AEIOUY")


def _collapse(codes: list[str]) -> str:
    text = "".join(codes)
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=524_288)
def phonetic_keys(token: str) -> tuple[str, ...]:
    """The phonetic key(s) of one normalised name part (uppercase ``A``-``Z``).

    >>> phonetic_keys("GONZALEZ") == phonetic_keys("GONSALES")
    True
    >>> phonetic_keys("XIMENA")[0] == phonetic_keys("JIMENA")[0]
    True
    """
    primary: list[str] = []
    alternate: list[str] = []

    def emit(code: str, other: str | None = None) -> None:
        primary.append(code)
        alternate.append(code if other is None else other)

    s = token
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        nx = s[i + 1] if i + 1 < n else ""
        nx2 = s[i + 2] if i + 2 < n else ""
        prev = s[i - 1] if i > 0 else ""
        after_vowel_run = nx2 not in _VOWELS or nx2 == ""
        if (c == "S" and nx == "C" and nx2 == "H") or (c == "T" and nx == "C" and nx2 == "H"):
            emit("X")
            i += 3
        elif c == "S" and nx == "H":
            emit("X")
            i += 2
        elif c == "C" and nx == "H":
            emit("X", "J")  # Spanish and French CH; German and Slavic CH is a jota (MICHAJLOW)
            i += 2
        elif (c in "ZK" and nx == "H") or (c == "D" and nx == "J"):
            emit("J")
            i += 2
        elif c == "P" and nx == "H":
            emit("F")
            i += 2
        elif c in "TG" and nx == "H":
            emit(c)
            i += 2
        elif c == "L" and nx == "L":
            emit("I")
            i += 2
        elif c == "Q":
            emit("K")
            i += 2 if nx == "U" else 1
        elif c == "C":
            if nx == "K":
                emit("K")
                i += 2
            else:
                emit("S" if nx in ("E", "I", "Y") else "K")
                i += 1
        elif c == "G":
            if nx == "U" and nx2 in ("E", "I"):
                emit("G")
                i += 2
            elif nx in ("E", "I", "Y"):
                emit("J", "G")  # Creole writes the hard G as G before every vowel (GELIN = GUERLINE)
                i += 1
            else:
                emit("G")
                i += 1
        elif c == "X":
            if i == 0 and nx in _VOWELS:
                emit("J", "S")
            elif prev in _VOWELS and nx in _VOWELS:
                emit("KS", "J")
            else:
                emit("KS")
            i += 1
        elif c == "H":
            i += 1
        elif c in "BV":
            emit("B")
            i += 1
        elif c == "W":
            emit("U", "B")  # English and Creole W; German and Polish W is a V (WOLKOW)
            i += 1
        elif c == "Z":
            emit("S")
            i += 1
        elif c == "E" and nx == "A" and nx2 == "U":
            emit("O")
            i += 3
        elif c == "O" and nx == "U":
            emit("U")
            i += 2
        elif c == "A" and nx == "U":
            emit("AU", "O")
            i += 2
        elif c in "AE" and nx in ("I", "Y") and after_vowel_run:
            emit(c + "I", "E")
            i += 2
        elif c == "O" and nx in ("I", "Y") and after_vowel_run:
            emit("OI", "UA")
            i += 2
        elif c == "O" and nx == "O":
            emit("U")
            i += 2
        elif c in "AOU" and nx == "E" and prev not in ("G", "Q") and i > 0:
            emit(c + "E", c)  # ICAO's AE, OE, UE for Ä, Ö, Ü (MOERNER = MÖRNER = MORNER)
            i += 2
        elif c == "E" and nx == "E":
            emit("I")
            i += 2
        elif c == "Y":
            emit("I")
            i += 1
        else:
            emit(c)
            i += 1
    first = _collapse(primary)
    second = _collapse(alternate)
    if second != first and len(second) > 3 and second[-1] in "STXD" and second[-2] in _VOWELS:
        second = second[:-1]  # the French reading drops a final consonant (DUBOIS = DUBWA)
    second = _creole(second)
    if not first:
        return (token,)
    return (first,) if second == first else (first, second)


_R_BEFORE_CONSONANT = re.compile(r"(?<=[AEIOU])R(?=[^AEIOU])|(?<=[EI])R$")


def _creole(key: str) -> str:
    """Haitian Creole drops an R after a vowel before a consonant or at the end, a mute final E,
    and (as French does) a final S, T, X or D (LOUINES = LWIN)."""
    if len(key) <= 3:
        return key
    if key[-1] in "STXD" and key[-2] in _VOWELS:
        key = key[:-1]
    key = _R_BEFORE_CONSONANT.sub("", key)
    if len(key) > 3 and key.endswith("E") and key[-2] not in _VOWELS:
        key = key[:-1]
    return key


@lru_cache(maxsize=524_288)
def skeleton(token: str) -> str:
    """The consonants of the token's first phonetic key (``HUSSEIN`` and ``HUSAYN`` -> ``SN``)."""
    return "".join(c for c in phonetic_keys(token)[0] if c not in _VOWELS)


def deletions(text: str) -> set[str]:
    """Every string made by deleting one character of ``text`` (symmetric-delete typo lookup)."""
    return {text[:i] + text[i + 1 :] for i in range(len(text))}
