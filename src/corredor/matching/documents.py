"""Lost, stolen and invalid documents: exact lookup, OCR confusions and one typing error.

Ten million alerts must fit in memory and answer in microseconds, so the index holds no
Python object per document: three parallel NumPy arrays, sorted by a 64-bit key of the
normalised number, and the issuing state as a small integer.

- The key of a number of up to 12 characters is the number itself, written in base 37
  (``0-9A-Z`` are 1 to 36), so equal keys mean equal numbers; longer numbers are hashed
  (FNV-1a 64, top bit set), where a false equality has a chance of about 1 in 10^12 per query.
- A query is turned into its variants — itself, the OCR confusions ``O/0 I/1 S/5 B/8 Z/2 G/6``
  (every combination of them), and every string one substitution, insertion, deletion or
  adjacent transposition away — and all variants are looked up at once with
  :func:`numpy.searchsorted`.
- Alerts match only documents of the same issuing state, when the query names one.
  One-typing-error variants are tried only when it does: without the state, a number one
  key away from some document of some country is too common to be worth an alert.

Changes after the build go to a small overlay (a dict) and a set of refs whose built alert
no longer counts, so that the Django app can add, replace and withdraw alerts between
rebuilds. Adding an alert under a ref already present replaces it: its old number stops
matching.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from corredor.icao.countries import country_to_alpha3
from corredor.matching.records import DocumentAlert, DocumentHit, Reason

__all__ = ["DocumentIndex", "document_key", "normalise_document_number"]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EXACT_WIDTH = 12  # 37**12 < 2**63: numbers up to this length are their own key
_HASHED = np.uint64(1 << 63)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)

# Byte -> code: digits and letters (lowercase folded) to 1..36, separators to 0 (dropped).
_BYTE_CODE = np.zeros(256, dtype=np.uint8)
for _code, _char in enumerate(_ALPHABET, start=1):
    _BYTE_CODE[ord(_char)] = _code
    _BYTE_CODE[ord(_char.lower())] = _code

_OCR_PAIRS = dict(zip("O0I1S5B8Z2G6", "0O1I5S8B2Z6G", strict=True))  # letters and digits OCR confuses

DocumentMatchKind = Literal["exact", "ocr", "typo"]
_SCORES: dict[DocumentMatchKind, float] = {"exact": 1.0, "ocr": 0.95, "typo": 0.85}


def normalise_document_number(text: str) -> str:
    """Uppercase letters and digits only: ``"ab-123 456<"`` -> ``"AB123456"``."""
    return "".join(char for char in text.upper() if char in _ALPHABET)


def _pack(codes: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """Keys of numbers given as rows of codes (1..36, zero-padded on the right)."""
    rows, width = codes.shape
    keys = np.zeros(rows, dtype=np.uint64)
    short = lengths <= _EXACT_WIDTH
    if short.any():
        packed = np.zeros(int(short.sum()), dtype=np.uint64)
        sub = codes[short]
        for column in range(_EXACT_WIDTH):
            values = sub[:, column].astype(np.uint64) if column < width else np.uint64(0)
            packed = packed * np.uint64(37) + values
        keys[short] = packed
    if not short.all():
        sub = codes[~short]
        sub_lengths = lengths[~short]
        hashed = np.full(sub.shape[0], _FNV_OFFSET, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in range(width):
                step = (hashed ^ sub[:, column].astype(np.uint64)) * _FNV_PRIME
                hashed = np.where(column < sub_lengths, step, hashed)
        keys[~short] = hashed | _HASHED
    return keys


def _codes_of(numbers: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    normalised = [normalise_document_number(n) for n in numbers]
    width = max((len(n) for n in normalised), default=1) or 1
    codes = np.zeros((len(normalised), width), dtype=np.uint8)
    for row, number in enumerate(normalised):
        if number:
            codes[row, : len(number)] = _BYTE_CODE[np.frombuffer(number.encode("ascii"), dtype=np.uint8)]
    lengths = np.array([len(n) for n in normalised], dtype=np.int64)
    return codes, lengths


def _codes_of_array(numbers: npt.NDArray[np.bytes_]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Vectorised :func:`normalise_document_number` for a fixed-width ASCII byte array."""
    width = numbers.dtype.itemsize
    raw = np.ascontiguousarray(numbers).view(np.uint8).reshape(-1, width)
    codes = _BYTE_CODE[raw]
    keep = codes != 0
    messy = ~(keep | (raw == 0)).all(axis=1) | (keep[:, 1:] & ~keep[:, :-1]).any(axis=1)
    if messy.any():
        # Separators inside a number: move the kept codes left, in order (stable sort on "dropped").
        order = np.argsort(~keep[messy], axis=1, kind="stable")
        codes[messy] = np.take_along_axis(codes[messy], order, axis=1)
    lengths = (codes != 0).sum(axis=1).astype(np.int64)
    return codes, lengths


def document_key(number: str) -> int:
    """The 64-bit key of one document number (after normalisation)."""
    codes, lengths = _codes_of([number])
    return int(_pack(codes, lengths)[0])


_KIND_NAMES: tuple[DocumentMatchKind, ...] = ("exact", "ocr", "typo")
_OCR_COMBINATIONS_UP_TO = 8  # 2**8 readings at most
_ALL_CODES = np.arange(1, 37, dtype=np.uint8)


def _ocr_variants(number: str) -> set[str]:
    """Every reading of ``number`` with some of the characters OCR confuses swapped.

    All combinations when there are at most :data:`_OCR_COMBINATIONS_UP_TO` such characters;
    beyond that each one alone, all together, and all digits or all letters swapped.
    """
    positions = [i for i, char in enumerate(number) if char in _OCR_PAIRS]
    ocr: set[str] = set()
    if len(positions) <= _OCR_COMBINATIONS_UP_TO:
        for choice in itertools.product((False, True), repeat=len(positions)):
            chars = list(number)
            for position, swap in zip(positions, choice, strict=True):
                if swap:
                    chars[position] = _OCR_PAIRS[number[position]]
            ocr.add("".join(chars))
    else:
        for i in positions:
            ocr.add(number[:i] + _OCR_PAIRS[number[i]] + number[i + 1 :])
        ocr.add("".join(_OCR_PAIRS.get(char, char) for char in number))
        ocr.add("".join(_OCR_PAIRS[c] if c in _OCR_PAIRS and c.isdigit() else c for c in number))
        ocr.add("".join(_OCR_PAIRS[c] if c in _OCR_PAIRS and c.isalpha() else c for c in number))
    ocr.discard(number)
    return ocr


def _typo_variants(codes: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]]:
    """Every code row one deletion, transposition, substitution or insertion away (NumPy, no loops)."""
    length = len(codes)
    groups: list[npt.NDArray[np.uint8]] = []
    if length > 1:
        columns = np.arange(length - 1)
        skip = np.arange(length)[:, None]
        groups.append(codes[columns[None, :] + (columns[None, :] >= skip)])  # deletions
        swapped = np.tile(codes, (length - 1, 1))
        rows = np.arange(length - 1)
        swapped[rows, rows], swapped[rows, rows + 1] = codes[rows + 1], codes[rows]
        groups.append(swapped)  # adjacent transpositions
    substituted = np.tile(codes, (length * 36, 1))
    substituted[np.arange(length * 36), np.repeat(np.arange(length), 36)] = np.tile(_ALL_CODES, length)
    groups.append(substituted)
    width = length + 1
    position = np.repeat(np.arange(width), 36)[:, None]
    column = np.arange(width)[None, :]
    source = np.clip(np.where(column < position, column, column - 1), 0, max(length - 1, 0))
    inserted = codes[source] if length else np.zeros((width * 36, width), dtype=np.uint8)
    inserted[column == position] = np.tile(_ALL_CODES, width)
    groups.append(inserted.astype(np.uint8))
    return groups


def _variant_keys(
    number: str, typing_errors: bool
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int8], list[npt.NDArray[np.uint8]]]:
    """Keys of the strings to look up for ``number`` (normalised), the kind of each, and their codes."""
    exact_codes, _ = _codes_of([number])
    ocr = sorted(_ocr_variants(number))
    groups: list[tuple[npt.NDArray[np.uint8], int]] = [(exact_codes, 0)]
    if ocr:
        groups.append((_codes_of(ocr)[0], 1))
    if typing_errors:
        groups.extend((group, 2) for group in _typo_variants(exact_codes[0]))
    width = max(group.shape[1] for group, _ in groups)
    rows = sum(group.shape[0] for group, _ in groups)
    codes = np.zeros((rows, width), dtype=np.uint8)
    kinds = np.zeros(rows, dtype=np.int8)
    row = 0
    for group, kind in groups:
        codes[row : row + group.shape[0], : group.shape[1]] = group
        kinds[row : row + group.shape[0]] = kind
        row += group.shape[0]
    lengths = (codes != 0).sum(axis=1).astype(np.int64)
    keys = _pack(codes, lengths)
    # The same string can come from several edits; keep its strongest kind (exact < ocr < typo).
    unique_keys, first = np.unique(keys, return_index=True)
    return unique_keys, kinds[first], [codes[i] for i in first.tolist()]


def _decode(codes: npt.NDArray[np.uint8]) -> str:
    return "".join(_ALPHABET[c - 1] for c in codes.tolist() if c)


@dataclass
class DocumentIndex:
    """Document alerts by (issuing state, normalised number). Build with :meth:`build`."""

    keys: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    states: npt.NDArray[np.uint16] = field(default_factory=lambda: np.zeros(0, dtype=np.uint16))
    refs: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    state_codes: list[str] = field(default_factory=lambda: [""])
    #: Alerts added after the build: key -> [(state code, ref)]; always current.
    overlay: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: Refs whose alert *in the built arrays* no longer counts (withdrawn, or replaced by :meth:`add`).
    removed: set[int] = field(default_factory=set)
    overlay_keys: dict[int, int] = field(default_factory=dict)  # ref -> its key in ``overlay``

    @classmethod
    def build(
        cls,
        issuing_states: Sequence[str] | npt.NDArray[np.str_],
        numbers: Sequence[str] | npt.NDArray[np.bytes_],
        refs: Sequence[int] | npt.NDArray[np.int64],
    ) -> DocumentIndex:
        """Index alerts given as three parallel columns (what a database query returns).

        ``numbers`` may be a list of strings or, for bulk loads, a fixed-width ASCII byte
        array (``dtype="S…"``). ``issuing_states`` are alpha-3 codes (``D`` is read as
        ``DEU``); an unknown or empty state is kept as "any state".
        """
        if isinstance(numbers, np.ndarray) and numbers.dtype.kind == "S":
            codes, lengths = _codes_of_array(numbers)
        else:
            codes, lengths = _codes_of([str(n) for n in numbers])
        keys = _pack(codes, lengths)
        unique_states, inverse = np.unique(np.asarray(issuing_states, dtype=str), return_inverse=True)
        state_codes = [""]
        mapping = np.zeros(len(unique_states), dtype=np.uint16)
        for i, state in enumerate(unique_states.tolist()):
            code = country_to_alpha3(state) or ""
            if code not in state_codes:
                state_codes.append(code)
            mapping[i] = state_codes.index(code)
        states = mapping[inverse.reshape(-1)] if len(unique_states) else np.zeros(len(keys), dtype=np.uint16)
        ref_array = np.asarray(refs, dtype=np.int64)
        if not (len(keys) == len(states) == len(ref_array)):
            raise ValueError("issuing_states, numbers and refs must have the same length")
        valid = lengths > 0
        order = np.argsort(keys[valid], kind="stable")
        return cls(
            keys=keys[valid][order],
            states=states[valid][order],
            refs=ref_array[valid][order],
            state_codes=state_codes,
        )

    @classmethod
    def from_alerts(cls, alerts: Iterable[DocumentAlert]) -> DocumentIndex:
        """Index :class:`DocumentAlert` objects (fine for thousands; use :meth:`build` for millions)."""
        items = list(alerts)
        return cls.build([a.issuing_state for a in items], [a.number for a in items], [a.ref for a in items])

    def __len__(self) -> int:
        built = len(self.keys) - int(np.isin(self.refs, np.fromiter(self.removed, dtype=np.int64)).sum())
        return built + len(self.overlay_keys)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return int(self.keys.nbytes + self.states.nbytes + self.refs.nbytes)

    def _state_code(self, issuing_state: str) -> int:
        code = country_to_alpha3(issuing_state) or ""
        if code not in self.state_codes:
            self.state_codes.append(code)
        return self.state_codes.index(code)

    def add(self, alerts: Iterable[DocumentAlert]) -> None:
        """Add alerts after the build; an alert with a ref already present replaces it, old number and all."""
        for alert in alerts:
            self.remove([alert.ref])  # the built alert stays withdrawn: the overlay holds the new one
            key = document_key(alert.number)
            self.overlay.setdefault(key, []).append((self._state_code(alert.issuing_state), alert.ref))
            self.overlay_keys[alert.ref] = key

    def remove(self, refs: Iterable[int]) -> None:
        """Withdraw alerts by ref (from the build or added later); unknown refs are ignored."""
        for ref in refs:
            self.removed.add(ref)
            key = self.overlay_keys.pop(ref, None)
            if key is not None:
                kept = [item for item in self.overlay[key] if item[1] != ref]
                if kept:
                    self.overlay[key] = kept
                else:
                    del self.overlay[key]

    def lookup(self, number: str, issuing_state: str = "") -> list[DocumentHit]:
        """Alerts matching ``number`` exactly, through an OCR confusion, or one typing error away.

        Best first (exact, then OCR, then typing error). With ``issuing_state``, only alerts
        of that state (or stored without a state) match and typing errors are tried.
        """
        normalised = normalise_document_number(number)
        if not normalised:
            return []
        state = country_to_alpha3(issuing_state) if issuing_state.strip() else None
        keys, kinds, codes = _variant_keys(normalised, typing_errors=state is not None)
        hits: dict[int, DocumentHit] = {}
        left = np.searchsorted(self.keys, keys, side="left")
        right = np.searchsorted(self.keys, keys, side="right")
        for variant_index in np.flatnonzero(right > left).tolist():
            variant = _decode(codes[variant_index])
            kind = _KIND_NAMES[int(kinds[variant_index])]
            for position in range(int(left[variant_index]), int(right[variant_index])):
                ref = int(self.refs[position])
                if ref not in self.removed:
                    self._consider(hits, variant, kind, normalised, state, int(self.states[position]), ref)
        if self.overlay:
            for variant_index, key in enumerate(keys.tolist()):
                for state_code, ref in self.overlay.get(int(key), ()):
                    variant = _decode(codes[variant_index])
                    kind = _KIND_NAMES[int(kinds[variant_index])]
                    self._consider(hits, variant, kind, normalised, state, state_code, ref)
        order = {"exact": 0, "ocr": 1, "typo": 2}
        return sorted(hits.values(), key=lambda hit: (order[hit.kind], hit.ref))

    def _consider(
        self,
        hits: dict[int, DocumentHit],
        variant: str,
        kind: DocumentMatchKind,
        query: str,
        state: str | None,
        state_code: int,
        ref: int,
    ) -> None:
        if ref in hits:
            return
        stored_state = self.state_codes[state_code]
        if state is not None and stored_state and stored_state != state:
            return
        reasons = [_reason(kind, variant, query)]
        if state is None and stored_state:
            text = f"issued by {stored_state}; the traveller's issuing state was not given"
            reasons.append(Reason("document_state_unknown", text, (("entry", stored_state),)))
        hits[ref] = DocumentHit(ref, _SCORES[kind], kind, stored_state, variant, tuple(reasons))


def _reason(kind: DocumentMatchKind, stored: str, query: str) -> Reason:
    params = (("entry", stored), ("traveller", query))
    if kind == "exact":
        return Reason("document_exact", f"document number {stored} matches", params)
    if kind == "ocr":
        return Reason(
            "document_ocr", f"document number {stored} ≈ {query} (letters and digits OCR confuses)", params
        )
    return Reason("document_typo", f"document number {stored} ≈ {query} (one typing error)", params)
