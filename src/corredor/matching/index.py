"""The screening index: a million person alerts and ten million document alerts, in memory.

Build it once per process (:meth:`ScreeningIndex.build`), then call
:meth:`ScreeningIndex.screen` for each traveller. Changes between rebuilds go through
:meth:`ScreeningIndex.upsert` and :meth:`ScreeningIndex.remove`.

How a traveller finds candidates (blocking)
    Every name part has a phonetic key (:mod:`corredor.matching.phonetic`). Each listed
    name is filed under every *pair* of its parts' keys, in no order, so a traveller is
    compared only with names sharing two parts with theirs: order, omitted surnames and
    extra given names do not matter, and a common name such as ``MARIA`` alone touches
    nothing. A traveller's part is widened before lookup into the keys of: its other
    phonetic reading, its nicknames and equivalents (``PEPE`` -> ``JOSE``), the listed
    spellings with particles joined or stripped, and — for parts that are not common names
    in the list, which is where typing errors hide — every listed key and every listed
    spelling one edit away (symmetric deletion), every listed part it is a cut-off prefix of
    (MRZ truncation), and
    listed parts with the same consonants. Parts written as one word on one side and two on
    the other are split and joined. A rare part (few names) also brings its names alone.
    Names with one part are filed under that part.

How candidates are scored
    Candidates whose birth date, sex and nationality already rule them out are dropped
    (without touching their names); the rest are ranked by how many key pairs they share
    and how well birth date and nationality agree, and the best :data:`MAX_SCORED` are
    scored with :func:`corredor.matching.score.compare_names` and the attribute
    adjustments. Name-part weights and the commonness of names come from this index: how
    many listed names have a part, or a pair of parts, small counts read as frequencies with
    :func:`good_turing`. Entries upserted after the build are weighed with the build's
    counts plus those of the entries upserted since (close to a rebuilt index; a rebuild,
    which the screening app does after many changes, makes it exact).

Memory
    No Python object per entry beyond its id: token ids, roles and keys live in NumPy arrays
    (CSR layout), the pair index is two sorted arrays: about 115 bytes of arrays per
    person with aliases, plus the id; :class:`~corredor.matching.documents.DocumentIndex`
    takes 18 bytes per document. In the benchmark a million persons and ten million
    documents leave the process under 2 GB.

Operating it
    Build once per process, then ``gc.freeze()``: the index lives as long as the process,
    and the collector need not walk it on every collection (p99 latency halves). The index
    pickles (to hand a built index to worker processes). Screen from many threads, but call
    :meth:`upsert`/:meth:`remove` from one, or build a new index and swap the reference.
    Changes since the build live in a small second segment; rebuild when
    :attr:`ScreeningIndex.pending_changes` reaches tens of thousands.
"""

from __future__ import annotations

import bisect
import gc
import math
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from corredor.matching.documents import DocumentIndex
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.nicknames import equivalent_names
from corredor.matching.normalise import ParsedName, Role, normalise_name
from corredor.matching.phonetic import deletions, phonetic_keys, skeleton
from corredor.matching.records import (
    DocumentAlert,
    EntryId,
    PartialDate,
    PersonHit,
    ScreeningResult,
    Traveller,
    WatchlistEntry,
)
from corredor.matching.score import (
    DEFAULT_THRESHOLD,
    MIN_POPULATION,
    MRZ_TRUNCATION_LENGTH,
    PARTIAL_YEAR_GAP,
    NameMatch,
    Occurrence,
    PreparedName,
    SimilarityCache,
    TokenInfo,
    combine,
    compare_birth_dates,
    compare_names,
    compare_nationality,
    compare_sex,
    prepare_name,
    required_bits,
    strip_joined_particle,
    token_info,
)

__all__ = ["GOOD_TURING_UP_TO", "MAX_SCORED", "POSSIBLE_NAME_SCORE", "ScreeningIndex", "good_turing"]

#: A name at least this alike (before birth date, sex, nationality and commonness) is shown as
#: a "possible match" when it does not reach the threshold: identical or nearly identical names
#: are at least shown for review, whatever the list omits (see :class:`ScreeningResult`).
POSSIBLE_NAME_SCORE = 0.93
#: At most this many candidates per traveller get a full name comparison.
MAX_SCORED = 24
_RARE_POSTINGS = 30  # a part in at most this many names brings them in on its own
_SINGLE_PART_POSTINGS = 2000  # a one-part query looks at most at this many names
_MAX_EXPANSION = 24  # keys one query part may widen into
_SENTINEL = 0xFFFFFFFF
_PARTIAL_GAP_BOUND = np.array(PARTIAL_YEAR_GAP, dtype=np.float64)
_PREPARED_CACHE = 200_000  # entries whose prepared names are kept between queries
_SEX_CODE = {None: 0, "M": 1, "F": 2, "X": 3}
_MAX_WEIGHT = 2.0
#: Counts up to this are read as frequencies with :func:`good_turing`.
GOOD_TURING_UP_TO = 6
_GOOD_TURING_MIN_CLASS = 10  # fewer parts seen k times than this: their count is taken as is
_GOOD_TURING_FLOOR = 1 / 16  # a rare part counts at most 4 bits more than its raw count says


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building.

    A build allocates millions of small objects while a million entries are alive; each
    automatic collection would walk them all (building a million entries takes three times
    as long with the collector on). Nothing built here forms reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pair_codes(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    low = np.minimum(a, b).astype(np.uint64)
    high = np.maximum(a, b).astype(np.uint64)
    return (low << np.uint64(32)) | high


def good_turing(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """How often a name seen ``k`` times in the list really occurs, for ``k`` up to :data:`GOOD_TURING_UP_TO`.

    ``counts`` holds how many names have each part (or pair of parts). Good–Turing: a part
    seen ``k`` times occurs on average ``(k + 1) n[k + 1] / n[k]`` times, where ``n[k]`` is
    the number of parts seen ``k`` times. In a list far from exhausting the population's
    names (most parts seen once, few twice) a part seen once is much rarer than one in
    ``N``, and agreeing on it is stronger evidence than ``log2(N)``; in a list that repeats
    the same names, it is not. Used only where ``n[k]`` is large enough to be trusted (at
    least 10 parts seen ``k`` times), never above ``k``, never below a sixteenth of it, and
    non-decreasing in ``k``. Index ``k`` of the result is the adjusted count.
    """
    of = np.bincount(counts, minlength=GOOD_TURING_UP_TO + 2).astype(np.float64)
    adjusted = np.arange(GOOD_TURING_UP_TO + 1, dtype=np.float64)
    for k in range(1, GOOD_TURING_UP_TO + 1):
        if of[k] >= _GOOD_TURING_MIN_CLASS and of[k + 1] > 0:
            adjusted[k] = min(k, max(_GOOD_TURING_FLOOR * k, (k + 1) * of[k + 1] / of[k]))
    adjusted[1:] = np.maximum.accumulate(adjusted[1:])
    return adjusted


def _expected_count(count: int, table: npt.NDArray[np.float64]) -> float:
    return float(table[count]) if count < len(table) else float(count)


def _expected_counts(
    counts: npt.NDArray[np.float64], table: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    raw = np.maximum(counts, 1.0)
    small = raw < len(table)
    return np.where(small, table[np.where(small, raw, 0).astype(np.int64)], raw)


@dataclass(frozen=True, slots=True)
class _QueryPart:
    text: str
    truncatable: bool
    virtual: bool = False  # made by joining two parts or particles: used only if listed as is


class _Segment:
    """An immutable block of entries and everything needed to find and score them."""

    name_count: int
    frequent_df: float
    token_counts: npt.NDArray[np.float64]  # Good–Turing table of part counts (see good_turing)
    pair_counts: npt.NDArray[np.float64]  # the same for pairs of parts
    reference: _Segment | None  # the segment this one was added to, whose statistics it uses
    population: NameFrequencies | None  # how common parts are among those who cross
    pair_codes: npt.NDArray[np.uint64]

    def __init__(
        self,
        entries: Sequence[WatchlistEntry],
        reference: _Segment | None = None,
        population: NameFrequencies | None = None,
    ) -> None:
        self.population = reference.population if reference is not None else population
        self.entry_ids: list[EntryId] = []
        entry_name_start = array("q", [0])
        years, months, days, sexes, nationalities = (array("h") for _ in range(5))
        self.nationality_codes: list[str] = [""]
        nationality_index: dict[str, int] = {"": 0}
        name_source = array("b")
        name_mrz = array("h")
        name_tok_start = array("q", [0])
        tok_ids = array("i")
        tok_roles = array("b")
        tok_particles = array("h")
        self.particles: list[str] = [""]
        particle_index: dict[str, int] = {"": 0}
        self.vocab: dict[str, int] = {}
        self.vocab_text: list[str] = []
        seen_names: dict[ParsedName, None] = {}

        for entry in entries:
            self.entry_ids.append(entry.entry_id)
            seen_names.clear()
            for source, name in enumerate(entry.names):
                for parsed in normalise_name(name.full_name, name.surname, name.given_names):
                    if parsed in seen_names:
                        continue
                    seen_names[parsed] = None
                    name_source.append(min(source, 127))
                    name_mrz.append(min(parsed.mrz_length, 32767))
                    for part in parsed.parts:
                        token = self.vocab.get(part.text)
                        if token is None:
                            token = self.vocab[part.text] = len(self.vocab_text)
                            self.vocab_text.append(part.text)
                        particle = particle_index.get(part.particle)
                        if particle is None:
                            particle = particle_index[part.particle] = len(self.particles)
                            self.particles.append(part.particle)
                        tok_ids.append(token)
                        tok_roles.append(int(part.role))
                        tok_particles.append(particle)
                    name_tok_start.append(len(tok_ids))
            entry_name_start.append(len(name_source))
            birth = entry.birth_date
            years.append(birth.year if birth else 0)
            months.append(birth.month or 0 if birth else 0)
            days.append(birth.day or 0 if birth else 0)
            sexes.append(_SEX_CODE.get(entry.sex, 0))
            nationality = entry.nationality or ""
            code = nationality_index.get(nationality)
            if code is None:
                code = nationality_index[nationality] = len(self.nationality_codes)
                self.nationality_codes.append(nationality)
            nationalities.append(code)

        self.entry_name_start = np.frombuffer(entry_name_start, dtype=np.int64).copy()
        self.birth_year = np.frombuffer(years, dtype=np.int16).copy()
        self.birth_month = np.frombuffer(months, dtype=np.int16).copy()
        self.birth_day = np.frombuffer(days, dtype=np.int16).copy()
        self.sex = np.frombuffer(sexes, dtype=np.int16).copy()
        self.nationality = np.frombuffer(nationalities, dtype=np.int16).copy()
        self.alive = np.ones(len(self.entry_ids), dtype=bool)
        self.name_source = np.frombuffer(name_source, dtype=np.int8).copy()
        self.name_mrz = np.frombuffer(name_mrz, dtype=np.int16).copy()
        self.name_tok_start = np.frombuffer(name_tok_start, dtype=np.int64).copy()
        self.tok_ids = np.frombuffer(tok_ids, dtype=np.int32).copy()
        self.tok_roles = np.frombuffer(tok_roles, dtype=np.int8).copy()
        self.tok_particles = np.frombuffer(tok_particles, dtype=np.int16).copy()
        self.name_entry = np.repeat(
            np.arange(len(self.entry_ids), dtype=np.int32), np.diff(self.entry_name_start)
        )
        self._build_weights(reference)
        self._build_keys()
        self._build_postings()
        self._build_evidence(reference)
        self._token_infos: dict[int, TokenInfo] = {}
        self._prepared: dict[int, list[tuple[int, PreparedName]]] = {}
        self._nationality_masks: dict[str, npt.NDArray[np.bool_]] = {}
        self.sorted_vocab = sorted(self.vocab_text)

    # -- build ----------------------------------------------------------------------------

    def _build_weights(self, reference: _Segment | None) -> None:
        name_count = max(len(self.name_tok_start) - 1, 1)
        df = np.bincount(self.tok_ids, minlength=len(self.vocab_text)).astype(np.float64)
        if reference is not None:
            # A small segment added later is weighed with the big one's statistics.
            self.name_count = reference.name_count
            self.frequent_df = reference.frequent_df
            ref_df = np.array([reference.df_of(text) for text in self.vocab_text], dtype=np.float64).reshape(
                -1
            )
            df = df + ref_df if len(ref_df) else df  # its names are not in the big one
        else:
            self.name_count = name_count
            self.frequent_df = max(20.0, 5e-5 * name_count)
        self.df = df
        population = max(self.name_count, MIN_POPULATION)
        scale = math.log(population)
        idf = np.log(self.name_count / np.maximum(df, 1.0)) / scale
        self.weight = 1.0 + np.clip(idf, 0.0, 1.0)
        self.required_bits = required_bits(self.name_count)

    def _build_evidence(self, reference: _Segment | None) -> None:
        """Identifying bits of each listed part, and the tables that turn small counts into frequencies."""
        population = max(self.name_count, MIN_POPULATION)
        self.reference = reference
        if reference is not None:
            self.token_counts, self.pair_counts = reference.token_counts, reference.pair_counts
        else:
            self.token_counts = good_turing(self.df.astype(np.int64))
            real_pairs = (self.pair_codes & np.uint64(_SENTINEL)) != np.uint64(_SENTINEL)
            codes = self.pair_codes[real_pairs]
            bounds = np.flatnonzero(np.diff(codes)) + 1 if len(codes) else np.zeros(0, dtype=np.int64)
            self.pair_counts = good_turing(np.diff(np.concatenate([[0], bounds, [len(codes)]])))
            if self.name_count < MIN_POPULATION:
                # Too few names to count how often names repeat; a list this short is read as a
                # sample of MIN_POPULATION names and is far from exhausting the population's names.
                self.token_counts[1] = self.pair_counts[1] = _GOOD_TURING_FLOOR
        self.bits = np.log2(population / _expected_counts(self.df, self.token_counts))
        # A part no listed name has is at least as rare as one that a single name has.
        self.unseen_bits = math.log2(population / min(1.0, float(self.token_counts[1])))

    def df_of(self, text: str) -> float:
        """How many names of this segment have the part ``text``."""
        token = self.vocab.get(text)
        return float(self.df[token]) if token is not None else 0.0

    def _build_keys(self) -> None:
        self.key_ids: dict[str, int] = {}
        token_key = np.zeros(len(self.vocab_text), dtype=np.int64)
        alternates: dict[str, set[int]] = {}
        for token, text in enumerate(self.vocab_text):
            keys = phonetic_keys(text)
            key = self.key_ids.setdefault(keys[0], len(self.key_ids))
            token_key[token] = key
            for other in keys[1:]:
                alternates.setdefault(other, set()).add(key)
        self.token_key = token_key
        self.alternate_keys = {k: tuple(sorted(v)) for k, v in alternates.items()}
        reachable: dict[str, set[int]] = {}
        for key_text, key in self.key_ids.items():
            reachable.setdefault(key_text, set()).add(key)
        for key_text, primaries in self.alternate_keys.items():
            reachable.setdefault(key_text, set()).update(primaries)
        deletes: dict[str, set[int]] = {}
        for key_text, found in reachable.items():
            if len(key_text) >= 4:
                for deleted in deletions(key_text):
                    deletes.setdefault(deleted, set()).update(found)
        self.reachable = {k: tuple(v) for k, v in reachable.items()}
        self.deletes = {k: tuple(v) for k, v in deletes.items()}
        text_deletes: dict[str, list[int]] = {}
        for token, text in enumerate(self.vocab_text):
            if len(text) >= 4:
                for deleted in deletions(text):
                    text_deletes.setdefault(deleted, []).append(token)
        self.text_deletes = {k: tuple(v) for k, v in text_deletes.items()}
        skeletons: dict[str, set[int]] = {}
        for token, text in enumerate(self.vocab_text):
            skel = skeleton(text)
            if len(skel) >= 3:
                skeletons.setdefault(skel, set()).add(int(token_key[token]))
        self.skeletons = {k: tuple(v) for k, v in skeletons.items()}

    def _build_postings(self) -> None:
        token_length = np.array([len(t) for t in self.vocab_text], dtype=np.int64)
        names = len(self.name_tok_start) - 1
        # Initials do not block (J matches every J...), unless a name has nothing else.
        blocking = token_length[self.tok_ids] > 1 if len(self.tok_ids) else np.zeros(0, dtype=bool)
        long_parts = np.concatenate([[0], np.cumsum(blocking)])
        only_initials = (long_parts[self.name_tok_start[1:]] - long_parts[self.name_tok_start[:-1]]) == 0
        blocking |= np.repeat(only_initials, np.diff(self.name_tok_start))
        cumulative = np.concatenate([[0], np.cumsum(blocking)])
        starts = cumulative[self.name_tok_start[:-1]]
        counts = cumulative[self.name_tok_start[1:]] - starts
        block_keys = self.token_key[self.tok_ids[blocking]]
        codes: list[npt.NDArray[np.uint64]] = []
        owners: list[npt.NDArray[np.int32]] = []
        name_numbers = np.arange(names, dtype=np.int32)
        single = counts == 1
        if single.any():
            codes.append(_pair_codes(block_keys[starts[single]], np.full(int(single.sum()), _SENTINEL)))
            owners.append(name_numbers[single])
        for length in np.unique(counts[counts >= 2]).tolist():
            chosen = counts == length
            matrix = block_keys[starts[chosen][:, None] + np.arange(length)[None, :]]
            for i in range(length):
                for j in range(i + 1, length):
                    codes.append(_pair_codes(matrix[:, i], matrix[:, j]))
                    owners.append(name_numbers[chosen])
        all_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.uint64)
        all_owners = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int32)
        order = np.argsort(all_codes, kind="stable")
        self.pair_codes = all_codes[order]
        self.pair_names = all_owners[order]
        # Names by single key: for rare parts and one-part queries.
        key_owner = np.repeat(name_numbers, counts)
        order = np.argsort(block_keys, kind="stable")
        self.key_names = key_owner[order]
        self.key_start = np.searchsorted(block_keys[order], np.arange(len(self.key_ids) + 1)).astype(np.int64)

    @property
    def nbytes(self) -> int:
        """Memory held by this segment's arrays (dicts and lists not counted)."""
        arrays: list[npt.NDArray[Any]] = [
            self.entry_name_start, self.birth_year, self.birth_month, self.birth_day, self.sex,
            self.nationality, self.alive, self.name_source, self.name_mrz, self.name_tok_start,
            self.tok_ids, self.tok_roles, self.tok_particles, self.name_entry, self.df, self.weight,
            self.token_key, self.pair_codes, self.pair_names, self.key_names, self.key_start,
        ]  # fmt: skip
        return int(sum(a.nbytes for a in arrays))

    # -- query ----------------------------------------------------------------------------

    def info(self, token: int) -> TokenInfo:
        """The scoring information of a listed name part (cached)."""
        found = self._token_infos.get(token)
        if found is None:
            found = token_info(
                self.vocab_text[token],
                float(self.weight[token]),
                bool(self.df[token] >= self.frequent_df),
                self.bits_of(self.vocab_text[token]),
            )
            self._token_infos[token] = found
        return found

    def query_info(self, text: str) -> TokenInfo:
        """The scoring information of a traveller's name part, weighed by this segment."""
        token = self.vocab.get(text)
        if token is not None:
            return self.info(token)
        return token_info(text, _MAX_WEIGHT, False, self.bits_of(text))

    def _keys_of_text(self, text: str) -> tuple[int, ...]:
        token = self.vocab.get(text)
        return (int(self.token_key[token]),) if token is not None else ()

    def expand(self, part: _QueryPart, equivalents: Iterable[str]) -> list[int]:
        """The listed keys a traveller's name part may stand for, strongest first."""
        found: dict[int, None] = {}

        def add(keys: Iterable[int]) -> None:
            for key in keys:
                if len(found) < _MAX_EXPANSION:
                    found.setdefault(key, None)

        text = part.text
        own_keys = phonetic_keys(text)
        for key_text in own_keys:
            add(self.reachable.get(key_text, ()))
        for name in equivalents:
            add(self._keys_of_text(name))
        info = self.query_info(text)
        for stripped in info.stripped:
            add(self._keys_of_text(stripped))
        common = info.frequent
        if not common:
            if len(text) >= 3:
                # One typing error in the written part, whatever it does to the sound.
                for token in self.text_deletes.get(text, ()):
                    add((int(self.token_key[token]),))
            if len(text) >= 4:
                for deleted in deletions(text):
                    listed = self.vocab.get(deleted)
                    if listed is not None:
                        add((int(self.token_key[listed]),))
                    for token in self.text_deletes.get(deleted, ()):
                        add((int(self.token_key[token]),))
            for key_text in own_keys:
                if len(key_text) >= 4:
                    add(self.deletes.get(key_text, ()))
                    for deleted in deletions(key_text):
                        add(self.reachable.get(deleted, ()))
                        add(self.deletes.get(deleted, ()))
            if part.truncatable and len(text) >= 3:
                position = bisect.bisect_left(self.sorted_vocab, text)
                while position < len(self.sorted_vocab) and self.sorted_vocab[position].startswith(text):
                    add(self._keys_of_text(self.sorted_vocab[position]))
                    position += 1
                    if len(found) >= _MAX_EXPANSION:
                        break
            for cut in range(max(3, len(text) - 8), len(text)):
                add(self._keys_of_text(text[:cut]))
            if text not in self.vocab:
                add(self.skeletons.get(skeleton(text), ()))
        return list(found)

    def pair_count(self, first: str, second: str) -> int:
        """How many names have both parts (by phonetic key), at least 1.

        A segment added after the build adds the names of the segment it was added to, so
        that a common name upserted later is as common as it would be in a rebuilt index.
        """
        found = self._names_with_both(first, second)
        if self.reference is not None:
            found += self.reference._names_with_both(first, second)
        return max(found, 1)

    def _names_with_both(self, first: str, second: str) -> int:
        a, b = self.vocab.get(first), self.vocab.get(second)
        if a is None or b is None:
            return 0
        key_a, key_b = int(self.token_key[a]), int(self.token_key[b])
        # A NumPy scalar: a Python int would make NumPy compare the whole array as floats.
        code = np.uint64((min(key_a, key_b) << 32) | max(key_a, key_b))
        return int(
            np.searchsorted(self.pair_codes, code, side="right")
            - np.searchsorted(self.pair_codes, code, side="left")
        )

    def name_bits(self, agreeing: Sequence[tuple[str, float]]) -> float:
        """Identifying evidence of the agreeing listed parts, counting pairs as they occur together.

        With a crossing population's frequencies, parts are taken as independent there (the
        list's co-occurrences say nothing about who crosses).
        """
        ranked = sorted(((self.bits_of(text) * s, text, s) for text, s in agreeing), reverse=True)
        if not ranked:
            return 0.0
        if len(ranked) == 1:
            return ranked[0][0]
        if self.population is not None:
            return ranked[0][0] + ranked[1][0] + 0.5 * sum(bits for bits, _, _ in ranked[2:])
        population = max(self.name_count, MIN_POPULATION)
        best = ranked[0][0]
        top = ranked[:3]
        for i in range(len(top)):
            for j in range(i + 1, len(top)):
                count = _expected_count(self.pair_count(top[i][1], top[j][1]), self.pair_counts)
                together = math.log2(population / count) * min(top[i][2], top[j][2])
                best = max(best, min(together, top[i][0] + top[j][0]))
        # Further parts are correlated with the first two (origin, family): count them half.
        return best + 0.5 * sum(bits for bits, _, _ in ranked[2:])

    def bits_of(self, text: str) -> float:
        """Identifying bits of one name part: from the crossing population when it knows the part,
        else from this list (a part no listed name has: as rare as one that a single name has)."""
        if self.population is not None:
            known = self.population.bits(text)
            if known is not None:
                return known
        token = self.vocab.get(text)
        return float(self.bits[token]) if token is not None else self.unseen_bits

    def postings(self, key: int) -> npt.NDArray[np.int32]:
        """The names filed under one key."""
        return self.key_names[self.key_start[key] : self.key_start[key + 1]]

    def candidates(self, parts: list[list[int]], rare: list[int]) -> npt.NDArray[np.int32]:
        """Names sharing a pair of keys with the traveller (once per shared pair), plus rare parts' names."""
        code_parts: list[npt.NDArray[np.uint64]] = []
        for a in range(len(parts)):
            keys_a = np.array(parts[a], dtype=np.int64)
            if not len(keys_a):
                continue
            code_parts.append(_pair_codes(keys_a, np.full(len(keys_a), _SENTINEL)))
            for b in range(a + 1, len(parts)):
                keys_b = np.array(parts[b], dtype=np.int64)
                if len(keys_b):
                    grid_a, grid_b = np.meshgrid(keys_a, keys_b, indexing="ij")
                    code_parts.append(_pair_codes(grid_a.ravel(), grid_b.ravel()))
        found: list[npt.NDArray[np.int32]] = []
        if code_parts:
            codes = np.unique(np.concatenate(code_parts))
            left = np.searchsorted(self.pair_codes, codes, side="left")
            right = np.searchsorted(self.pair_codes, codes, side="right")
            lengths = right - left
            nonempty = lengths > 0
            if nonempty.any():
                left, lengths = left[nonempty], lengths[nonempty]
                total = int(lengths.sum())
                offsets = np.repeat(left - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
                found.append(self.pair_names[offsets + np.arange(total)])
        for key in rare:
            found.append(self.postings(key))
        if len(parts) == 1:
            for key in parts[0][:4]:
                found.append(self.postings(key)[:_SINGLE_PART_POSTINGS])
        if not found:
            return np.zeros(0, dtype=np.int32)
        return np.concatenate(found)

    def prepared_names(self, entry: int) -> list[tuple[int, PreparedName]]:
        """The entry's names (all spellings of all aliases), ready to compare, with their alias index."""
        cached = self._prepared.get(entry)
        if cached is not None:
            return cached
        if len(self._prepared) >= _PREPARED_CACHE:
            self._prepared.clear()  # namesakes of common names come back often; the rest may go
        out: list[tuple[int, PreparedName]] = []
        first, last = int(self.entry_name_start[entry]), int(self.entry_name_start[entry + 1])
        for name in range(first, last):
            start, end = int(self.name_tok_start[name]), int(self.name_tok_start[name + 1])
            tokens = self.tok_ids[start:end].tolist()
            roles = self.tok_roles[start:end].tolist()
            particles = self.tok_particles[start:end].tolist()
            cut = int(self.name_mrz[name]) >= MRZ_TRUNCATION_LENGTH
            count = len(tokens)
            parts = tuple(
                Occurrence(self.info(token), Role(role), self.particles[particle], cut and i == count - 1)
                for i, (token, role, particle) in enumerate(zip(tokens, roles, particles, strict=True))
            )
            out.append((int(self.name_source[name]), PreparedName(parts)))
        self._prepared[entry] = out
        return out

    def birth_date(self, entry: int) -> PartialDate | None:
        """The entry's birth date as listed."""
        year = int(self.birth_year[entry])
        if not year:
            return None
        return PartialDate(year, int(self.birth_month[entry]) or None, int(self.birth_day[entry]) or None)

    def attribute_rank(self, entries: npt.NDArray[np.int32], traveller: Traveller) -> npt.NDArray[np.float64]:
        """How well birth date and nationality agree, to order many namesakes (vectorised, 0 to 2.2)."""
        rank = np.full(len(entries), 0.3, dtype=np.float64)
        birth = traveller.birth_date
        if birth is not None:
            years = self.birth_year[entries].astype(np.int64)
            months = self.birth_month[entries].astype(np.int64)
            days = self.birth_day[entries].astype(np.int64)
            same_year = years == birth.year
            rank = np.where(years == 0, 0.3, np.where(np.abs(years - birth.year) == 1, 0.2, 0.0))
            rank = np.where(same_year, 0.5, rank)
            if birth.month is not None:
                rank = np.where(same_year & (months == birth.month), 1.0, rank)
                if birth.day is not None:
                    rank = np.where(same_year & (months == birth.day) & (days == birth.month), 1.5, rank)
                    rank = np.where(same_year & (months == birth.month) & (days == birth.day), 2.0, rank)
        if traveller.nationality:
            same = self._same_nationality(traveller.nationality)
            rank = rank + np.where(same[self.nationality[entries]], 0.2, 0.0)
        return rank

    def attribute_bound(
        self, entries: npt.NDArray[np.int32], traveller: Traveller
    ) -> npt.NDArray[np.float64]:
        """An upper bound of the birth date + sex + nationality adjustment, per entry (vectorised)."""
        bound = np.zeros(len(entries), dtype=np.float64)
        birth = traveller.birth_date
        if birth is not None:
            years = self.birth_year[entries].astype(np.int64)
            gap = np.abs(years - birth.year)
            far = (years != 0) & (gap >= 2)
            # As compare_birth_dates weighs them: a year alone (or 1 January) graded by the gap,
            # two full dates with the year one digit off at most a typo, else a contradiction.
            months = self.birth_month[entries].astype(np.int64)
            days = self.birth_day[entries].astype(np.int64)
            partial = (days == 0) | ((months == 1) & (days == 1))
            if birth.day is None or (birth.month, birth.day) == (1, 1):
                partial = np.ones(len(entries), dtype=bool)
            digits = np.zeros(len(entries), dtype=np.int64)
            for power in (1, 10, 100, 1000):
                digits += (years // power) % 10 != (birth.year // power) % 10
            graded = _PARTIAL_GAP_BOUND[np.minimum(gap, len(_PARTIAL_GAP_BOUND) - 1)]
            far_value = np.where(partial, graded, np.where(digits == 1, -0.05, -0.25))
            bound += np.where(far, far_value, np.where(years != 0, 0.10, 0.0))
        if traveller.sex in ("M", "F"):
            other = 2 if traveller.sex == "M" else 1
            bound += np.where(self.sex[entries] == other, -0.2, 0.0)
        if traveller.nationality:
            nationality = self.nationality[entries]
            same = self._same_nationality(traveller.nationality)
            bound += np.where(nationality == 0, 0.0, np.where(same[nationality], 0.02, -0.04))
        return bound

    def _same_nationality(self, code: str) -> npt.NDArray[np.bool_]:
        found = self._nationality_masks.get(code)
        if found is None:
            found = np.array([listed == code for listed in self.nationality_codes])
            self._nationality_masks[code] = found
        return found


class ScreeningIndex:
    """Person and document alerts, ready to screen travellers against.

    >>> from corredor.matching.records import Name, WatchlistEntry, Traveller
    >>> entry = WatchlistEntry("W1", (Name(surname="García López", given_names="José"),))
    >>> index = ScreeningIndex.build([entry])
    >>> [hit.entry_id for hit in index.screen(Traveller(Name(surname="GARCIA", given_names="PEPE"))).persons]
    ['W1']
    """

    def __init__(self, base: _Segment, documents: DocumentIndex) -> None:
        self._base = base
        self._delta: _Segment | None = None
        self._delta_entries: dict[EntryId, WatchlistEntry] = {}
        self._where: dict[EntryId, tuple[int, int]] = {}
        for local, entry_id in enumerate(base.entry_ids):
            if entry_id in self._where:
                raise ValueError(f"entry {entry_id!r} is listed twice")
            self._where[entry_id] = (0, local)
        self.documents = documents

    @classmethod
    def build(
        cls,
        entries: Iterable[WatchlistEntry],
        documents: DocumentIndex | Iterable[DocumentAlert] = (),
        *,
        population: NameFrequencies | None = None,
    ) -> ScreeningIndex:
        """Index person alerts (and document alerts, as a built :class:`DocumentIndex` or alerts).

        ``population``: how common name parts are among those who cross
        (:class:`~corredor.matching.frequencies.NameFrequencies`: from traveller records, or the
        shipped table); without it, commonness is read from this list alone.

        Raises ValueError when two entries have the same ``entry_id``.
        """
        with _collector_paused():
            document_index = (
                documents if isinstance(documents, DocumentIndex) else DocumentIndex.from_alerts(documents)
            )
            return cls(_Segment(list(entries), population=population), document_index)

    # -- changes --------------------------------------------------------------------------

    def upsert(self, entries: Iterable[WatchlistEntry]) -> None:
        """Add entries or replace those with the same ``entry_id``; visible to the next :meth:`screen`.

        Changes are kept in a small second segment rebuilt on each call, so the cost grows
        with the number of changes since the build: rebuild the index (``build``) once
        :attr:`pending_changes` reaches tens of thousands.
        """
        for entry in entries:
            self._retire(entry.entry_id)
            self._delta_entries[entry.entry_id] = entry
        self._rebuild_delta()

    def remove(self, entry_ids: Iterable[EntryId]) -> None:
        """Withdraw entries by id; unknown ids are ignored."""
        changed = False
        for entry_id in entry_ids:
            if self._retire(entry_id):
                changed = True
            if self._delta_entries.pop(entry_id, None) is not None:
                changed = True
        if changed:
            self._rebuild_delta()

    @property
    def pending_changes(self) -> int:
        """Entries upserted since the build (the size of the second segment)."""
        return len(self._delta_entries)

    def _retire(self, entry_id: EntryId) -> bool:
        where = self._where.pop(entry_id, None)
        if where is None:
            return False
        segment, local = where
        if segment == 0:
            self._base.alive[local] = False
        return True

    def _rebuild_delta(self) -> None:
        entries = list(self._delta_entries.values())
        with _collector_paused():
            self._delta = _Segment(entries, reference=self._base) if entries else None
        for local, entry in enumerate(entries):
            self._where[entry.entry_id] = (1, local)

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._where

    @property
    def nbytes(self) -> int:
        """Memory held by the NumPy arrays of persons and documents (Python dicts not counted)."""
        delta = self._delta.nbytes if self._delta is not None else 0
        return self._base.nbytes + delta + self.documents.nbytes

    def token_info(self, text: str) -> TokenInfo:
        """Scoring information for a normalised name part, with this index's rarity weights."""
        return self._base.query_info(text)

    # -- screening ------------------------------------------------------------------------

    def screen(
        self, traveller: Traveller, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 20
    ) -> ScreeningResult:
        """Person hits at or above ``threshold`` (best first, at most ``limit``) and document hits.

        Document hits come from ``traveller.document_number`` (and ``issuing_state``) and
        include near matches (``kind`` ``ocr`` or ``typo``) whatever the threshold: the
        caller decides how to show them.
        """
        persons, possible = self._screen_persons(traveller, threshold, limit)
        documents = (
            tuple(self.documents.lookup(traveller.document_number, traveller.issuing_state))
            if traveller.document_number
            else ()
        )
        return ScreeningResult(persons, documents, possible)

    def screen_persons(
        self, traveller: Traveller, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 20
    ) -> tuple[PersonHit, ...]:
        """Only the person hits of :meth:`screen`."""
        return self._screen_persons(traveller, threshold, limit)[0]

    def _screen_persons(
        self, traveller: Traveller, threshold: float, limit: int
    ) -> tuple[tuple[PersonHit, ...], tuple[PersonHit, ...]]:
        name = traveller.name
        spellings = normalise_name(name.full_name, name.surname, name.given_names)
        if not spellings:
            return (), ()
        base = self._base
        query_names = [prepare_name(parsed, base.query_info) for parsed in spellings]
        parts = _query_parts(spellings)
        cache: SimilarityCache = {}
        hits: list[PersonHit] = []
        possible: list[PersonHit] = []
        for segment in (self._base, self._delta):
            if segment is None:
                continue
            for local in self._candidates(segment, parts, traveller, threshold, len(spellings[0].parts)):
                hit, name_score = self._score(segment, local, query_names, traveller, cache, threshold)
                if hit.score >= threshold:
                    hits.append(hit)
                elif name_score >= POSSIBLE_NAME_SCORE:
                    possible.append(hit)
        hits.sort(key=lambda hit: (-hit.score, str(hit.entry_id)))
        possible.sort(key=lambda hit: (-hit.score, str(hit.entry_id)))
        return tuple(hits[:limit]), tuple(possible[:limit])

    def _candidates(
        self,
        segment: _Segment,
        parts: list[_QueryPart],
        traveller: Traveller,
        threshold: float,
        query_length: int = 0,
    ) -> list[int]:
        expanded: list[list[int]] = []
        rare: list[int] = []
        for part in _split_unlisted(segment, parts):
            if part.virtual:
                token = segment.vocab.get(part.text)
                if token is not None:
                    expanded.append([int(segment.token_key[token])])
                elif len(part.text) >= 6:
                    expanded.append(segment.expand(part, ()))
                continue
            same, linked = equivalent_names(part.text)
            keys = segment.expand(part, [*sorted(same), *sorted(linked)])
            expanded.append(keys)
            token = segment.vocab.get(part.text)
            if token is not None:
                key = int(segment.token_key[token])
                if len(segment.postings(key)) <= _RARE_POSTINGS:
                    rare.append(key)
        names = segment.candidates(expanded, rare)
        if not len(names):
            return []
        entries, inverse, shared = np.unique(
            segment.name_entry[names], return_inverse=True, return_counts=True
        )
        # How far each entry's closest name is from the query in number of parts: among many
        # namesakes, "HANS FRIEDRICH" is scored before "HANS FRIEDRICH MULLER".
        lengths = np.diff(segment.name_tok_start)[names]
        gap = np.full(len(entries), 99, dtype=np.int64)
        np.minimum.at(gap, inverse.reshape(-1), np.abs(lengths - query_length))
        keep = segment.alive[entries]
        keep &= 1.0 + segment.attribute_bound(entries, traveller) >= threshold
        entries, shared, gap = entries[keep], shared[keep], gap[keep]
        if len(entries) > MAX_SCORED:
            # Many namesakes: score first those whose birth date and nationality agree.
            rank = shared + segment.attribute_rank(entries, traveller) - 0.1 * np.minimum(gap, 5)
            best = np.argsort(-rank, kind="stable")[:MAX_SCORED]
            entries = entries[best]
        return [int(e) for e in entries.tolist()]

    def _score(
        self,
        segment: _Segment,
        local: int,
        query_names: list[PreparedName],
        traveller: Traveller,
        cache: SimilarityCache,
        threshold: float,
    ) -> tuple[PersonHit, float]:
        best: tuple[NameMatch, int, PreparedName, PreparedName] | None = None
        for source, entry_name in segment.prepared_names(local):
            for query_name in query_names:
                match = compare_names(query_name, entry_name, cache, explain=False)
                if best is None or match.score > best[0].score:
                    best = (match, source, query_name, entry_name)
        assert best is not None
        entry = local
        nationality = segment.nationality_codes[int(segment.nationality[entry])] or None
        sex_code = int(segment.sex[entry])
        sex = {1: "M", 2: "F", 3: "X"}.get(sex_code)
        evidence = [
            compare_birth_dates(traveller.birth_date, segment.birth_date(entry)),
            compare_sex(traveller.sex, sex),  # type: ignore[arg-type]
            compare_nationality(traveller.nationality, nationality),
        ]
        # Counting namesakes costs a lookup: only for candidates that could be hits or possible matches.
        could_hit = best[0].score + sum(item.value for item in evidence) >= threshold
        # A possible match only where the list's own data does not tell them apart: a birth date
        # or a sex that contradicts is an answer, not an omission.
        contradicted = evidence[0].value <= -0.25 or evidence[1].value < 0
        if not could_hit and (best[0].score < POSSIBLE_NAME_SCORE or contradicted):
            score, _ = combine(best[0], evidence)
            return PersonHit(segment.entry_ids[entry], score, (), best[1]), 0.0
        explained = compare_names(best[2], best[3], cache, explain=True)
        score, reasons = combine(
            explained, evidence, segment.required_bits, segment.name_bits(explained.agreeing)
        )
        if score >= threshold:
            return PersonHit(segment.entry_ids[entry], score, reasons, best[1]), best[0].score
        name_score = 0.0 if contradicted else best[0].score
        return PersonHit(segment.entry_ids[entry], score, reasons, best[1], "possible"), name_score


def _split_unlisted(segment: _Segment, parts: list[_QueryPart]) -> list[_QueryPart]:
    """Add the halves of unlisted parts that are two listed parts written as one (JEANBAPTISTE)."""
    out = list(parts)
    for part in parts:
        text = part.text
        if part.virtual or len(text) < 6 or text in segment.vocab:
            continue
        for cut in range(3, len(text) - 2):
            left, right = text[:cut], text[cut:]
            if left in segment.vocab:
                if right not in segment.vocab:  # MARIADELOSANGELES
                    right = next((s for s in strip_joined_particle(right) if s in segment.vocab), right)
                if right in segment.vocab:
                    out.append(_QueryPart(left, False, True))
                    out.append(_QueryPart(right, False, True))
                    break
    return out


def _query_parts(spellings: Sequence[ParsedName]) -> list[_QueryPart]:
    """The traveller's name parts used for lookup: every spelling's parts, joined neighbours too."""
    seen: dict[str, _QueryPart] = {}
    for parsed in spellings:
        may_be_cut = parsed.mrz_length >= MRZ_TRUNCATION_LENGTH
        count = len(parsed.parts)
        only_initials = all(len(part.text) == 1 for part in parsed.parts)
        for index, part in enumerate(parsed.parts):
            if len(part.text) > 1 or only_initials:
                truncatable = may_be_cut and index == count - 1
                previous = seen.get(part.text)
                if previous is None or truncatable:
                    seen[part.text] = _QueryPart(part.text, truncatable)
                if part.particle:
                    joined = part.particle + part.text
                    seen.setdefault(joined, _QueryPart(joined, False, True))
        for first, second in zip(parsed.parts, parsed.parts[1:], strict=False):
            if len(first.text) > 1 and len(second.text) > 1:
                joined = first.text + second.text
                seen.setdefault(joined, _QueryPart(joined, False, True))
    return list(seen.values())
