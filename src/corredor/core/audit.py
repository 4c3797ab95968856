"""The audit trail: who read or wrote which personal record, when, and from where.

The request (or command) that is running sets the actor once with `acting_as`; services and selectors
call `audit_write` for reads, and the signal receiver in `signals.py` writes creates and updates of audited
models. Entries are hash-chained: each covers the previous entry's hash.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from corredor.core.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    origin: str


SYSTEM = Actor(username="system", role="", origin="system")
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("corredor_actor", default=SYSTEM)


def actor_for(user: Any, origin: str) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(username="anonymous", role="", origin=origin)
    return Actor(username=user.get_username(), role=getattr(user, "role", ""), origin=origin)


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def current_actor() -> Actor:
    return _current.get()


def _lock_chain() -> None:
    # Two writers must not both read the same previous hash. SQLite's IMMEDIATE transactions already
    # serialise writers; PostgreSQL needs an explicit lock for the length of the transaction.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(77001)")


@transaction.atomic
def audit_write(
    *,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    summary: str = "",
    actor: Actor | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, chained to the one before it."""
    who = actor or current_actor()
    _lock_chain()
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    entry = AuditEntry(
        username=who.username,
        role=who.role,
        origin=who.origin[:100],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        summary=summary,
        prev_hash=last or "",
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


def audit_verify() -> tuple[int, list[str]]:
    """Walk the whole chain; return how many entries were checked and a description of every break."""
    problems: list[str] = []
    previous = ""
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        count += 1
        if entry.prev_hash != previous:
            problems.append(
                f"entry {entry.id}: does not follow the entry before it (one removed or reordered)"
            )
        if entry.compute_hash() != entry.entry_hash:
            problems.append(f"entry {entry.id}: content changed after it was written")
        previous = entry.entry_hash
    return count, problems
