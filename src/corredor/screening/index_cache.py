"""This process's screening index: built once from the database, then kept current change by change.

Every write to alerts bumps ``ScreeningState.sequence``, logs the bump with a random token
(``ScreeningChange``) and stamps the rows it changed with the new value (``change_seq``). Before each
screening, one query reads the sequence: when it moved, only the rows stamped after the index's sequence
are read, and upserted into the index (or removed from it when withdrawn, on an inactive list or
expired). A rebuild happens on first use, after a large change, when the change the index stands at is
no longer on record as it saw it (a restored database; a test's rolled-back transaction), and when the
index has gathered many small changes.

Person entries are keyed by the alert's primary key. Document alerts are keyed by ``pk << 16 | version``,
so that a changed document alert never leaves its old number behind in the document index.

The index is shared by the threads of the process; a lock serialises refreshes and screenings (a
screening takes a few milliseconds against a million persons; a batch takes the lock per traveller).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet
from django.utils import timezone

from corredor.matching.documents import DocumentIndex
from corredor.matching.index import ScreeningIndex
from corredor.matching.records import DocumentAlert as DocumentEntry
from corredor.matching.records import Name, PartialDate, ScreeningResult, Traveller, WatchlistEntry
from corredor.matching.score import DEFAULT_THRESHOLD
from corredor.screening.models import (
    DocumentAlert,
    ImportJob,
    PersonAlert,
    ScreeningChange,
    ScreeningState,
    live_alerts,
)

log = logging.getLogger(__name__)

#: More changed alerts than this at once: rebuild instead of upserting.
REBUILD_AFTER_CHANGES = 5000
#: Upserted entries kept beside the built index before a rebuild folds them in.
MAX_PENDING = 20000

_PERSON_FIELDS = (
    "pk",
    "surname",
    "given_names",
    "full_name",
    "aliases",
    "birth_date",
    "nationality",
    "sex",
    "category",
)


def document_ref(pk: int, version: int) -> int:
    """The document index's ref of a document alert at a version."""
    return (pk << 16) | (version & 0xFFFF)


def document_pk(ref: int) -> int:
    """The document alert's primary key from its ref."""
    return ref >> 16


@dataclass
class _Loaded:
    index: ScreeningIndex
    sequence: int
    token: str
    day: date
    built_at: float
    # Where to find a document alert's ref in the index: the build's refs (sorted, one array, not a dict
    # of ten million entries), and those added since.
    built_refs: npt.NDArray[np.int64]
    added_refs: dict[int, int]

    def document_refs(self, pk: int) -> list[int]:
        """The refs the index holds for document alert `pk` (none, or one)."""
        if pk in self.added_refs:
            return [self.added_refs[pk]]
        low, high = np.searchsorted(self.built_refs, [pk << 16, (pk + 1) << 16])
        return [int(ref) for ref in self.built_refs[low:high]]


_lock = threading.RLock()
_loaded: _Loaded | None = None


def reset() -> None:
    """Forget the index: the next screening rebuilds it (tests; after restoring a database)."""
    global _loaded
    with _lock:
        _loaded = None


def screen(traveller: Traveller, *, threshold: float = DEFAULT_THRESHOLD) -> ScreeningResult:
    """Screen one traveller against the alerts in force, with the index brought up to date first."""
    with _lock:
        return _current().screen(traveller, threshold=threshold)


def screen_many(
    travellers: Iterable[Traveller], *, threshold: float = DEFAULT_THRESHOLD
) -> list[ScreeningResult]:
    """Screen a batch against the alerts in force: the index is brought up to date once, for all of them.
    The lock is taken per traveller, so that a desk's screening waits for one traveller of a passenger list
    (a few milliseconds), not for the whole list."""
    index = current_index()
    results = []
    for traveller in travellers:
        with _lock:
            results.append(index.screen(traveller, threshold=threshold))
    return results


def current_index() -> ScreeningIndex:
    """The index, up to date (for callers that screen many travellers in a row)."""
    with _lock:
        return _current()


def _state() -> tuple[int, str]:
    row = ScreeningState.objects.filter(pk=1).values_list("sequence", "token").first()
    return (row[0], row[1]) if row else (0, "")


def _current() -> ScreeningIndex:
    global _loaded
    sequence, token = _state()
    today = timezone.localdate()
    loaded = _loaded
    if (
        loaded is None
        or sequence < loaded.sequence
        or (sequence == loaded.sequence and token != loaded.token)
    ):
        _loaded = _build(sequence, token, today)
        return _loaded.index
    if sequence != loaded.sequence:
        if not _continues(loaded) or not _apply_changes(loaded, sequence, today):
            _loaded = _build(sequence, token, today)
            return _loaded.index
        loaded.sequence, loaded.token = sequence, token
    if today != loaded.day:
        _expire(loaded, today)
    if loaded.index.pending_changes > MAX_PENDING:
        _loaded = loaded = _build(sequence, token, today)
    return loaded.index


def _continues(loaded: _Loaded) -> bool:
    """Whether the change the index is at is still on record as it saw it (else history was rewritten)."""
    if loaded.sequence == 0:
        return True  # every alert was stamped after 0
    token = ScreeningChange.objects.filter(sequence=loaded.sequence).values_list("token", flat=True).first()
    return token == loaded.token


def _in_force() -> Q:
    return Q(removed_at__isnull=True, watchlist__active=True) & live_alerts()


def _persons_in_force(today: date) -> QuerySet[PersonAlert]:
    return PersonAlert.objects.filter(_in_force()).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def entry_of(values: tuple[object, ...]) -> WatchlistEntry:
    """A person alert's values (in the order of ``_PERSON_FIELDS``) as a watchlist entry."""
    pk, surname, given, full, aliases, birth, nationality, sex, category = values
    names = []
    if surname or given:
        names.append(Name(surname=str(surname), given_names=str(given)))
    if full:
        names.append(Name(full_name=str(full)))
    names.extend(Name(full_name=str(alias)) for alias in (aliases or []))  # type: ignore[attr-defined]
    return WatchlistEntry(
        entry_id=int(pk),  # type: ignore[call-overload]
        names=tuple(names),
        birth_date=_partial(str(birth)) if birth else None,
        nationality=str(nationality) or None,
        sex=str(sex) or None,  # type: ignore[arg-type]
        category=str(category),
    )


def _partial(text: str) -> PartialDate | None:
    try:
        return PartialDate.parse(text)
    except ValueError:
        return None


def _entries(rows: Iterable[tuple[object, ...]]) -> Iterator[WatchlistEntry]:
    for values in rows:
        entry = entry_of(values)
        if entry.names:
            yield entry


def _build(sequence: int, token: str, today: date) -> _Loaded:
    started = time.perf_counter()
    persons = _persons_in_force(today).values_list(*_PERSON_FIELDS).order_by()
    documents = list(
        DocumentAlert.objects.filter(_in_force()).values_list("pk", "version", "issuing_state", "number")
    )
    refs = np.array([document_ref(pk, version) for pk, version, _, _ in documents], dtype=np.int64)
    document_index = DocumentIndex.build(
        [state for _, _, state, _ in documents], [number for _, _, _, number in documents], refs
    )
    index = ScreeningIndex.build(_entries(persons.iterator(chunk_size=10000)), document_index)
    log.info(
        "screening index built: %d persons, %d documents in %.2f s",
        len(index),
        len(documents),
        time.perf_counter() - started,
    )
    return _Loaded(index, sequence, token, today, time.time(), np.sort(refs), {})


def _apply_changes(loaded: _Loaded, sequence: int, today: date) -> bool:
    """Bring the index from its sequence to `sequence`; False when a rebuild is better."""
    changed_persons = PersonAlert.objects.filter(change_seq__gt=loaded.sequence)
    changed_documents = DocumentAlert.objects.filter(change_seq__gt=loaded.sequence)
    if ImportJob.objects.filter(activated_seq__gt=loaded.sequence).exists():
        return False  # a big import was made live at once: its alerts carry no change stamp yet
    if changed_persons.count() + changed_documents.count() > REBUILD_AFTER_CHANGES:
        return False
    live = set(_persons_in_force(today).filter(change_seq__gt=loaded.sequence).values_list("pk", flat=True))
    upserts: list[WatchlistEntry] = []
    removals: list[int] = []
    for values in changed_persons.values_list(*_PERSON_FIELDS):
        if values[0] in live:
            entry = entry_of(values)
            if entry.names:
                upserts.append(entry)
                continue
        removals.append(int(values[0]))  # type: ignore[call-overload]
    if removals:
        loaded.index.remove(removals)
    if upserts:
        loaded.index.upsert(upserts)
    documents = loaded.index.documents
    live_documents = set(
        DocumentAlert.objects.filter(_in_force(), change_seq__gt=loaded.sequence).values_list("pk", flat=True)
    )
    stale: list[int] = []
    added: list[DocumentEntry] = []
    for pk, version, state, number in changed_documents.values_list(
        "pk", "version", "issuing_state", "number"
    ):
        stale.extend(loaded.document_refs(pk))
        loaded.added_refs.pop(pk, None)
        if pk in live_documents:
            ref = document_ref(pk, version)
            loaded.added_refs[pk] = ref
            added.append(DocumentEntry(ref, state, number))
    if stale:
        documents.remove(stale)
    if added:
        documents.add(added)
    return True


def _expire(loaded: _Loaded, today: date) -> None:
    """Take out the person alerts whose validity ended since the index last looked."""
    ended = PersonAlert.objects.filter(valid_until__lt=today, valid_until__gte=loaded.day).values_list(
        "pk", flat=True
    )
    loaded.index.remove(list(ended))
    loaded.day = today
