"""Scoring one traveller against one watchlist entry, with the reasons an officer reads.

The score is in [0, 1]: the **name score**, plus small **adjustments** for birth date, sex
and nationality, minus a **commonness penalty**, clipped to [0, 1].

Name score
    Name parts are aligned one to one regardless of order (surnames and given names may be
    swapped, two surnames may be swapped). Each pair gets a similarity: exact 1.0, particles
    written joined 0.97, nickname or spelling variant 0.93, same phonetic key 0.92, cut at
    the end of an MRZ field 0.92, particle prefix 0.9, one typing error 0.88 (not between two
    names both common in the list: JOSE/ROSE), equivalent in another language 0.85, same
    consonants 0.82, initial 0.75, otherwise the edit-distance similarity if at least 0.75,
    else 0 (differs). Two parts written as one (``JEANBAPTISTE``) align with both. The name
    score is the weighted mean of the pairs' similarities, where a part left over on the
    longer name (one surname omitted, a middle name dropped) costs only
    :data:`OMISSION_COST` of its weight, and a pair that differs costs :data:`DIFFER_COST` times
    its weight (a part replaced says more against identity than a part left out).
    Weights grow with rarity in the list (1 for a part every name has, 2 for one never
    seen), so ``XOCHITL`` counts for more than ``MARIA``.

Adjustments
    Birth date (compared at the precision both have; 1 January counts as "year only", as
    registries write unknown dates): equal +0.10, day and month swapped +0.06 (+0.03 against
    a year and month), year equal when one side has only the year +0.04, year and month
    equal +0.05, one year apart with the same day and month +0.03 (against a year and month,
    0), same year and month but another day -0.03, same year only -0.10, one year apart
    otherwise -0.25 as two years or more (two full dates that disagree on the year and on the
    day or month contradict each other: enough to keep a perfect namesake under the default
    threshold). Two full dates with the same day and month (or swapped) whose years differ in
    one digit -0.05 (a typing error in the year). Where one side gives only a year (or 1
    January, or an approximate year), real lists are often approximate, so the gap weighs
    less: one year -0.02, two or three -0.06, four to six -0.10, seven to ten -0.15, more -0.25.
    Sex M against F -0.20.
    Nationality equal +0.02, different -0.04 (dual nationals and refugees carry other
    documents). Unknown on either side: no adjustment.

Commonness penalty
    ``JOSE GARCIA`` matches some ``JOSE GARCIA`` of a million-name list by chance. Each
    agreement carries evidence in bits (a name part: log2 of how rare it is in the list,
    pairs counted as they occur together, small counts read as frequencies the Good–Turing
    way, see :func:`corredor.matching.index.good_turing`; a full birth date about 14, a year
    6, nationality 2, sex 1). A hit needs log2(list size) + :data:`EVIDENCE_MARGIN_BITS`, so
    that chance agreements with any of the list's entries stay rare however long the list;
    each missing bit costs :data:`PENALTY_PER_BIT`, at most :data:`MAX_COMMONNESS_PENALTY`.
    A perfect name match with nothing but nationality and sex to back it falls under the
    threshold once it lacks two and a half bits, that is unless its name is about as rare as
    one listed name: common names without a birth date fall under the threshold, rare names
    and names backed by a birth date do not.

The default threshold :data:`DEFAULT_THRESHOLD` and the constants were chosen on the
evaluation set described in ``docs/screening-evaluation.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from corredor.matching.nicknames import equivalent_names
from corredor.matching.normalise import MRZ_CUT_LENGTH, PARTICLES, ParsedName, Role, normalise_name
from corredor.matching.phonetic import phonetic_keys, skeleton
from corredor.matching.records import PartialDate, PersonHit, Reason, Sex, Traveller, WatchlistEntry

__all__ = [
    "DEFAULT_THRESHOLD",
    "OMISSION_COST",
    "PARTIAL_YEAR_GAP",
    "NameMatch",
    "Occurrence",
    "PreparedName",
    "TokenInfo",
    "compare_birth_dates",
    "compare_names",
    "compare_nationality",
    "compare_sex",
    "prepare_name",
    "score_entry",
    "token_info",
    "token_similarity",
]

#: The score at or above which a hit is shown to the officer (the desk's threshold).
DEFAULT_THRESHOLD = 0.8
#: What a name part present on one side only costs, as a fraction of its weight.
OMISSION_COST = 0.2
#: What a pair of parts that differ costs, as a multiple of its weight (more than a part omitted:
#: a name with one part *replaced* is more often another person, a brother or a namesake).
DIFFER_COST = 1.5
#: A name that long (as ``SURNAME<<GIVEN<NAMES``) may have been cut at the end of an MRZ.
MRZ_TRUNCATION_LENGTH = MRZ_CUT_LENGTH
#: Evidence a hit needs beyond log2(list size), in bits (see :func:`combine`).
EVIDENCE_MARGIN_BITS = 5.5
PENALTY_PER_BIT = 0.09
#: Lists shorter than this many names are weighed as if they had this many.
MIN_POPULATION = 1000
MAX_COMMONNESS_PENALTY = 0.35

_GOOD = 0.85  # pairs at least this similar are aligned first
_EVIDENCE_SIMILARITY = 0.75  # pairs at least this similar count as identifying evidence
_INITIAL_WEIGHT = 0.5

# Particle prefixes that may be written joined to the name (DELACRUZ, DOSSANTOS, MCDONALD).
_JOINED_PREFIXES = tuple(
    sorted({*PARTICLES, "DELOS", "DELAS", "MC", "MAC", "FITZ", "ABU", "OULD"} - {"Y", "E", "I", "D"}, key=len)
)[::-1]


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What the scorer needs to know about one distinct name part, computed once."""

    text: str
    keys: tuple[str, ...]
    skeleton: str
    same: frozenset[str]
    linked: frozenset[str]
    stripped: tuple[str, ...]  # the part without a particle written joined to it (DELEON -> LEON)
    weight: float
    frequent: bool = False
    bits: float = 10.0

    @property
    def keys_set(self) -> frozenset[str]:
        """The phonetic keys as a set."""
        return frozenset(self.keys)


class Occurrence(NamedTuple):
    """A name part inside one name: its :class:`TokenInfo`, role, particles, and whether it may be cut.

    A named tuple rather than a dataclass: the index makes millions of them while screening.
    """

    info: TokenInfo
    role: Role
    particle: str
    truncatable: bool


class PreparedName(NamedTuple):
    """A :class:`ParsedName` ready to be compared many times."""

    parts: tuple[Occurrence, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        """The parts' texts, in order."""
        return tuple(o.info.text for o in self.parts)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The name score of two names, its reasons, and the evidence (in bits) the agreeing parts carry."""

    score: float
    reasons: tuple[Reason, ...]
    bits: float = 0.0
    agreeing: tuple[tuple[str, float], ...] = ()  # listed parts that agree, with their similarity


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one attribute adds: a score adjustment, identifying bits when it agrees, and a reason."""

    value: float
    bits: float = 0.0
    reason: Reason | None = None


def strip_joined_particle(text: str) -> tuple[str, ...]:
    """``DELACRUZ`` -> ``("CRUZ",)``: the part without a particle written joined to it, every way.

    ``DELEON`` gives ``("EON", "LEON")``: which one is a name is for the caller to know.
    """
    return _strip_joined_particles(text)


@lru_cache(maxsize=65_536)
def _strip_joined_particles(text: str) -> tuple[str, ...]:
    found = []
    for prefix in _JOINED_PREFIXES:
        # DELRIO is DEL RIO, but DAYAN is not DA YAN: a short particle needs a longer name.
        if text.startswith(prefix) and len(text) - len(prefix) >= (3 if len(prefix) >= 3 else 4):
            found.append(text[len(prefix) :])
    return tuple(found)


def token_info(text: str, weight: float = 1.5, frequent: bool = False, bits: float = 10.0) -> TokenInfo:
    """The :class:`TokenInfo` of a normalised name part.

    ``weight`` is its rarity weight (1 for a part in every name, 2 for one never seen);
    ``frequent`` says that the part is a common name in the watchlist, so that another
    common name one letter away (``JOSE``/``ROSE``) is taken for a different name rather
    than a typing error. ``bits`` is how much agreeing on this part says about identity,
    ``log2(names / names with this part)``.
    """
    same, linked = equivalent_names(text)
    return TokenInfo(
        text=text,
        keys=phonetic_keys(text),
        skeleton=skeleton(text),
        same=same,
        linked=linked,
        stripped=_strip_joined_particles(text),
        weight=_INITIAL_WEIGHT if len(text) == 1 else weight,
        frequent=frequent,
        bits=bits,
    )


_default_token_info = lru_cache(maxsize=65_536)(token_info)


def prepare_name(parsed: ParsedName, info: Callable[[str], TokenInfo] | None = None) -> PreparedName:
    """Attach token information to a parsed name (``info`` defaults to equal weights)."""
    lookup = info or _default_token_info
    count = len(parsed.parts)
    may_be_cut = parsed.mrz_length >= MRZ_TRUNCATION_LENGTH
    return PreparedName(
        tuple(
            Occurrence(lookup(part.text), part.role, part.particle, may_be_cut and index == count - 1)
            for index, part in enumerate(parsed.parts)
        )
    )


def token_similarity(
    query: TokenInfo, candidate: TokenInfo, query_cut: bool = False, candidate_cut: bool = False
) -> tuple[float, str]:
    """How alike two name parts are, in [0, 1], and how (``exact``, ``phonetic``, ``typo`` ...).

    ``query_cut``/``candidate_cut`` say that this side's part may have been cut at the end
    of an MRZ name field, so being a prefix of the other counts as a match.
    """
    a, b = query.text, candidate.text
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (0.75, "initial") if a[0] == b[0] else (0.0, "differs")
    if b in query.same:
        return 0.93, "nickname"
    if any(key in candidate.keys for key in query.keys):
        return 0.92, "phonetic"
    if (query_cut and b.startswith(a)) or (candidate_cut and a.startswith(b)):
        return (0.92 if min(len(a), len(b)) >= 3 else 0.85), "truncated"
    if a in candidate.stripped or b in query.stripped:
        return 0.9, "particle"
    for stripped, other in ((query.stripped, candidate), (candidate.stripped, query)):
        if any(not other.keys_set.isdisjoint(phonetic_keys(s)) for s in stripped):
            return 0.86, "particle"
    distance = OSA.distance(a, b)
    if distance == 1 and min(len(a), len(b)) >= 4 and not (query.frequent and candidate.frequent):
        return 0.88, "typo"
    if len(a) == len(b) >= 4 and (a == b[::-1] or a in b + b):
        # Written backwards (NITUP) or with its halves swapped (NITPU for PUTIN): deliberate
        # evasion or a field read the wrong way; the same letters in a kept order.
        return 0.88, "reversed"
    if b in query.linked:
        return 0.85, "equivalent"
    if (
        len(query.skeleton) >= 4
        and query.skeleton == candidate.skeleton
        and query.keys[0][0] == candidate.keys[0][0]
    ):
        return 0.82, "transliteration"
    similarity = 1.0 - distance / max(len(a), len(b))
    key_similarity = max(OSA.normalized_similarity(x, y) for x in query.keys for y in candidate.keys)
    similarity = max(similarity, key_similarity * 0.95)
    if similarity >= 0.75:
        return round(similarity * 0.95, 4), "similar"
    return 0.0, "differs"


_HOW = {
    "phonetic": "sounds the same",
    "nickname": "nickname or other spelling",
    "truncated": "cut short in the MRZ",
    "particle": "with a particle joined",
    "typo": "one letter differs",
    "equivalent": "same name in another language",
    "transliteration": "same consonants, another transliteration",
    "initial": "initial",
    "similar": "similar spelling",
    "reversed": "the same letters reversed or rotated",
    "joined": "written as one word",
    "particle_joined": "particles written joined",
}

SimilarityCache = dict[tuple[str, str, bool, bool], tuple[float, str]]


def _similar(q: Occurrence, c: Occurrence, cache: SimilarityCache | None) -> tuple[float, str]:
    if (q.particle or c.particle) and q.particle != c.particle:
        if q.particle + q.info.text == c.particle + c.info.text:
            return 0.97, "particle_joined"
        if (c.particle and q.info.text == c.particle + c.info.text) or (
            q.particle and c.info.text == q.particle + q.info.text
        ):
            return 0.97, "particle_joined"
    if cache is None:
        return token_similarity(q.info, c.info, q.truncatable, c.truncatable)
    key = (q.info.text, c.info.text, q.truncatable, c.truncatable)
    found = cache.get(key)
    if found is None:
        found = token_similarity(q.info, c.info, q.truncatable, c.truncatable)
        cache[key] = found
    return found


def _joins(single: Occurrence, first: Occurrence, second: Occurrence) -> bool:
    text = single.info.text
    joined = first.info.text + second.info.text
    if text == joined or text == first.info.text + second.particle + second.info.text:
        return True
    if joined in single.info.same:  # ROZMARI for ROSE MARIE
        return True
    if any(text == short + second.info.text for short in first.info.same if len(short) <= 3):
        return True  # STLOUIS for SAINT LOUIS
    if abs(len(text) - len(joined)) > 2 or not text.startswith(joined[0]):
        return False
    if len(text) >= 6 and OSA.distance(text, joined) <= 1:
        return True
    return not set(phonetic_keys(text)).isdisjoint(phonetic_keys(joined))


def _label(q: Occurrence, c: Occurrence) -> str:
    role = c.role if c.role is not Role.UNKNOWN else q.role
    return role.label


def compare_names(
    query: PreparedName, candidate: PreparedName, cache: SimilarityCache | None = None, explain: bool = True
) -> NameMatch:
    """Align two names part by part, in any order, and score them (see the module doc).

    With ``explain=False`` no reasons are written (faster, for ranking many candidates).
    """
    qs, cs = query.parts, candidate.parts
    if not qs or not cs:
        return NameMatch(0.0, ())
    m, n = len(qs), len(cs)
    scored: list[tuple[float, int, int, str]] = []
    for i, q in enumerate(qs):
        for j, c in enumerate(cs):
            s, how = _similar(q, c, cache)
            scored.append((-s, i, j, how))
    scored.sort()
    q_used = [False] * m
    c_used = [False] * n
    numerator = denominator = bits = 0.0
    agreeing: list[tuple[str, float]] = []
    events: list[tuple[int, Reason]] = []  # (position in the listed name, reason), when explaining
    swapped = False

    def take(s: float, i: int, j: int, how: str) -> None:
        nonlocal swapped, bits, numerator, denominator
        q, c = qs[i], cs[j]
        q_used[i] = c_used[j] = True
        weight = (q.info.weight + c.info.weight) / 2
        numerator += s * weight
        denominator += weight if s > 0 else DIFFER_COST * weight
        if s >= _EVIDENCE_SIMILARITY:
            bits += s * c.info.bits
            agreeing.append((c.info.text, s))
        if s >= _GOOD and q.role is not c.role and Role.UNKNOWN not in (q.role, c.role):
            swapped = True
        if explain:
            events.append((j, _pair_reason(s, how, q, c)))

    for negative, i, j, how in scored:
        if -negative < _GOOD:
            break
        if not q_used[i] and not c_used[j]:
            take(-negative, i, j, how)

    # A part on one side written as two on the other (JEANBAPTISTE / JEAN BAPTISTE).
    if q_used.count(False) + c_used.count(False) >= 3 and not all(q_used) and not all(c_used):
        for from_query, singles, doubles, s_used, d_used in (
            (True, qs, cs, q_used, c_used),
            (False, cs, qs, c_used, q_used),
        ):
            for i, single in enumerate(singles):
                free = [j for j in range(len(doubles)) if not d_used[j]]
                if s_used[i] or len(free) < 2:
                    continue
                for a in free:
                    for b in free:
                        if a == b or d_used[a] or d_used[b] or s_used[i]:
                            continue
                        first, second = doubles[a], doubles[b]
                        if not _joins(single, first, second):
                            continue
                        s_used[i] = d_used[a] = d_used[b] = True
                        weight = (single.info.weight + max(first.info.weight, second.info.weight)) / 2
                        numerator += 0.95 * weight
                        denominator += weight
                        bits += 0.95 * max(first.info.bits, second.info.bits)
                        two = f"{first.info.text} {second.info.text}"
                        if from_query:
                            agreeing.extend([(first.info.text, 0.95), (second.info.text, 0.95)])
                        else:
                            agreeing.append((single.info.text, 0.95))
                        if explain:
                            listed, travelling = (
                                (two, single.info.text) if from_query else (single.info.text, two)
                            )
                            events.append(
                                (
                                    a if from_query else i,
                                    Reason(
                                        "name_joined",
                                        f"name parts {listed} ≈ {travelling} (written as one word)",
                                        (("entry", listed), ("traveller", travelling)),
                                    ),
                                )
                            )

    for negative, i, j, how in scored:
        if not q_used[i] and not c_used[j]:
            take(-negative, i, j, how)

    for i, q in enumerate(qs):
        if not q_used[i]:
            denominator += OMISSION_COST * q.info.weight
            if explain:
                text = f"{q.role.label} {q.info.text} is not in the listed name"
                events.append((n + i, Reason("name_extra", text, (("traveller", q.info.text),))))
    for j, c in enumerate(cs):
        if not c_used[j]:
            denominator += OMISSION_COST * c.info.weight
            if explain:
                text = f"{c.role.label} {c.info.text} is not in the traveller's name"
                events.append((j, Reason("name_missing", text, (("entry", c.info.text),))))
    reasons: tuple[Reason, ...] = ()
    if explain:
        ordered = [reason for _, reason in sorted(events, key=lambda item: item[0])]
        if swapped:
            ordered.append(Reason("name_order", "surnames and given names in another order"))
        reasons = tuple(ordered)
    score = numerator / denominator if denominator else 0.0
    return NameMatch(min(1.0, score), reasons, bits, tuple(agreeing))


def _pair_reason(s: float, how: str, q: Occurrence, c: Occurrence) -> Reason:
    label = _label(q, c)
    entry_text = f"{c.particle} {c.info.text}".strip() if how == "particle_joined" else c.info.text
    traveller_text = f"{q.particle} {q.info.text}".strip() if how == "particle_joined" else q.info.text
    params = (("entry", entry_text), ("traveller", traveller_text), ("part", label))
    if how == "exact":
        return Reason("name_exact", f"{label} {entry_text} matches", params)
    if how == "differs" or s == 0.0:
        return Reason("name_differs", f"{label} {entry_text} differs from {traveller_text}", params)
    return Reason(f"name_{how}", f"{label} {entry_text} ≈ {traveller_text} ({_HOW[how]})", params)


def compare_birth_dates(query: PartialDate | None, entry: PartialDate | None) -> Evidence:
    """The birth-date adjustment (see the module doc); nothing when either is unknown.

    Identifying bits: about 14 for a full date (one day in sixty years), 6 for a year.
    """
    if query is None or entry is None:
        return Evidence(0.0)
    params = (("entry", str(entry)), ("traveller", str(query)))
    if query != entry:
        # 1 January stands for "day and month unknown" in many registries and refugee documents.
        query, entry = _year_if_first_of_january(query), _year_if_first_of_january(entry)
    year_gap = abs(query.year - entry.year)
    full = query.day is not None and entry.day is not None
    if full and year_gap >= 2 and _one_digit_apart(query.year, entry.year):
        assert query.month is not None and entry.month is not None
        if (query.month, query.day) in ((entry.month, entry.day), (entry.day, entry.month)):
            # Same day and month, the year one digit off (1960-04-11 for 1963-04-11): a typing
            # error in the year far more often than a namesake born on the same day.
            text = f"birth date {entry} matches {query} but for one digit of the year"
            return Evidence(-0.05, 4.0, Reason("birth_date_year_typo", text, params))
    if year_gap >= 2 and not full:
        # A year alone (or 1 January) is often approximate on real lists ("about 1957", "1966 or
        # 1967"): a few years apart weighs less than two full dates that contradict each other.
        value = PARTIAL_YEAR_GAP[min(year_gap, len(PARTIAL_YEAR_GAP) - 1)]
        code = "birth_year_near" if value > -0.25 else "birth_date_differs"
        text = (
            f"birth year {entry.year} is {year_gap} years from {query.year}"
            if code == "birth_year_near"
            else f"birth date {entry} differs from {query}"
        )
        return Evidence(value, 0.0, Reason(code, text, params))
    if year_gap >= 2:
        return Evidence(
            -0.25, 0.0, Reason("birth_date_differs", f"birth date {entry} differs from {query}", params)
        )
    if query.day is not None and entry.day is not None:
        if query == entry:
            return Evidence(0.10, 14.0, Reason("birth_date_match", f"birth date {entry} matches", params))
        if year_gap == 0 and query.month == entry.day and query.day == entry.month:
            text = f"birth date {entry} matches {query} with day and month swapped"
            return Evidence(0.06, 12.0, Reason("birth_date_swapped", text, params))
        if year_gap == 1 and (query.month, query.day) == (entry.month, entry.day):
            return Evidence(
                0.03, 7.0, Reason("birth_date_year_off", f"birth date {entry} one year from {query}", params)
            )
        if year_gap == 0 and query.month == entry.month:
            text = f"birth year and month {str(entry)[:7]} match, day differs"
            return Evidence(-0.03, 3.0, Reason("birth_day_differs", text, params))
        if year_gap == 0:
            text = f"birth year {entry.year} matches, day and month differ"
            return Evidence(-0.10, 0.0, Reason("birth_year_only", text, params))
        # Another year *and* another day or month: two full dates that contradict each other.
        return Evidence(
            -0.25, 0.0, Reason("birth_date_near", f"birth date {entry} is near {query}, not equal", params)
        )
    # At least one side is partial: compare at the precision both have.
    months = query.month is not None and entry.month is not None
    if year_gap == 1:
        if months and query.month == entry.month:
            # As for full dates: the year one off, the rest equal.
            text = f"birth date {entry} one year from {query}"
            return Evidence(0.0, 3.5, Reason("birth_date_year_off", text, params))
        return Evidence(
            PARTIAL_YEAR_GAP[1],
            0.0,
            Reason("birth_year_near", f"birth year {entry.year} is one from {query.year}", params),
        )
    if months:
        if query.month == entry.month:
            text = f"birth year and month {entry.year}-{entry.month:02d} match"
            return Evidence(0.05, 9.5, Reason("birth_month_match", text, params))
        if query.day == entry.month or entry.day == query.month:
            # The full date has day and month the other way round (1978-03-08 for 1978-08).
            text = f"birth date {entry} matches {query} with day and month swapped"
            return Evidence(0.03, 8.0, Reason("birth_date_swapped", text, params))
        return Evidence(
            -0.05, 0.0, Reason("birth_year_only", f"birth year {entry.year} matches, month differs", params)
        )
    return Evidence(0.04, 6.0, Reason("birth_year_match", f"birth year {entry.year} matches", params))


#: The adjustment for a year-only (or approximate) date this many years from the other date.
PARTIAL_YEAR_GAP = (0.0, -0.02, -0.06, -0.06, -0.10, -0.10, -0.10, -0.15, -0.15, -0.15, -0.15, -0.25)


def _one_digit_apart(a: int, b: int) -> bool:
    return sum(x != y for x, y in zip(f"{a:04d}", f"{b:04d}", strict=True)) == 1


def _year_if_first_of_january(date: PartialDate) -> PartialDate:
    return PartialDate(date.year) if (date.month, date.day) == (1, 1) else date


def compare_sex(query: Sex | None, entry: Sex | None) -> Evidence:
    """-0.2 with a reason when one is M and the other F; one bit when both are M or both F."""
    if query in ("M", "F") and entry in ("M", "F"):
        if query != entry:
            text = f"sex differs ({entry} listed, {query} travelling)"
            return Evidence(
                -0.2, 0.0, Reason("sex_differs", text, (("entry", str(entry)), ("traveller", str(query))))
            )
        return Evidence(0.0, 1.0)
    return Evidence(0.0)


def compare_nationality(query: str | None, entry: str | None) -> Evidence:
    """+0.02 (two bits) when both alpha-3 codes are equal, -0.04 when they differ; nothing when unknown."""
    if not query or not entry:
        return Evidence(0.0)
    params = (("entry", entry), ("traveller", query))
    if query == entry:
        return Evidence(0.02, 2.0, Reason("nationality_match", f"nationality {entry} matches", params))
    text = f"nationality differs ({entry} listed, {query} travelling)"
    return Evidence(-0.04, 0.0, Reason("nationality_differs", text, params))


def required_bits(listed_names: int) -> float:
    """The identifying evidence a hit needs in a list of that many names (see :func:`combine`)."""
    return math.log2(max(listed_names, MIN_POPULATION)) + EVIDENCE_MARGIN_BITS


def combine(
    name: NameMatch, evidence: Sequence[Evidence], required: float = 0.0, name_bits: float | None = None
) -> tuple[float, tuple[Reason, ...]]:
    """The final score and all reasons, name reasons first.

    The score is the name score plus the adjustments, clipped to [0, 1], minus a penalty
    when the agreement is too common to single a person out of a list this long: a
    traveller called JOSE GARCIA matches some JOSE GARCIA of a million-name list by chance,
    so without a birth date to back it the match is worth less. The penalty is
    :data:`PENALTY_PER_BIT` for each bit of evidence (names, birth date, nationality, sex)
    short of ``required`` (:func:`required_bits`), at most :data:`MAX_COMMONNESS_PENALTY`.
    ``name_bits`` replaces the name's own estimate (the index counts how many listed names
    share the agreeing parts, which is better than assuming parts independent).
    """
    total = name.score + sum(item.value for item in evidence)
    reasons = list(name.reasons) + [item.reason for item in evidence if item.reason is not None]
    bits = (name.bits if name_bits is None else name_bits) + sum(item.bits for item in evidence)
    shortfall = max(0.0, required - bits)
    if shortfall > 0:
        penalty = min(MAX_COMMONNESS_PENALTY, PENALTY_PER_BIT * shortfall)
        total -= penalty
        if penalty >= 0.05:
            reasons.append(
                Reason(
                    "common_name",
                    "a common name with little else to confirm it",
                    (("bits", f"{bits:.0f}"), ("required", f"{required:.0f}")),
                )
            )
    return round(max(0.0, min(1.0, total)), 4), tuple(reasons)


def _prepared(
    names: Sequence[tuple[str, str, str]], info: Callable[[str], TokenInfo] | None
) -> list[tuple[int, PreparedName]]:
    out: list[tuple[int, PreparedName]] = []
    for index, (full_name, surname, given_names) in enumerate(names):
        for parsed in normalise_name(full_name, surname, given_names):
            out.append((index, prepare_name(parsed, info)))
    return out


def score_entry(
    traveller: Traveller, entry: WatchlistEntry, info: Callable[[str], TokenInfo] | None = None
) -> PersonHit | None:
    """Score one traveller against one entry without an index (all names and aliases tried).

    ``info`` gives rarity weights (:meth:`ScreeningIndex.token_info`); by default every part
    weighs the same. Returns None when either has no usable name.
    """
    query_names = _prepared(
        [(traveller.name.full_name, traveller.name.surname, traveller.name.given_names)], info
    )
    entry_names = _prepared([(n.full_name, n.surname, n.given_names) for n in entry.names], info)
    if not query_names or not entry_names:
        return None
    cache: SimilarityCache = {}
    best: tuple[float, int, NameMatch] | None = None
    for _, query_name in query_names:
        for index, entry_name in entry_names:
            match = compare_names(query_name, entry_name, cache)
            if best is None or match.score > best[0]:
                best = (match.score, index, match)
    assert best is not None
    score, reasons = combine(
        best[2],
        [
            compare_birth_dates(traveller.birth_date, entry.birth_date),
            compare_sex(traveller.sex, entry.sex),
            compare_nationality(traveller.nationality, entry.nationality),
        ],
    )
    return PersonHit(entry.entry_id, score, reasons, best[1])
