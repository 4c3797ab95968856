"""The audit trail: who read or wrote which personal record, when, and from where.

The request (or command) that is running sets the actor once with `acting_as`; services and selectors
call `audit_write` for reads, and the signal receiver in `signals.py` writes creates and updates of audited
models. Entries are chained with a keyed hash (HMAC-SHA256, CORREDOR_AUDIT_KEY): each covers its sequence
number and the previous entry's hash. The newest entry (the head) is exported, signed, to a file kept
elsewhere (`corredor audit head --export`), so that removing the newest entries is caught as well.
"""

import contextlib
import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    entry = AuditEntry(
        sequence=(last[0] + 1) if last else 1,
        username=who.username,
        role=who.role,
        origin=who.origin[:100],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        summary=summary,
        prev_hash=last[1] if last else "",
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


def audit_verify(*, head: "AuditHead | None" = None) -> tuple[int, list[str]]:
    """Walk the whole chain; return how many entries were checked and a description of every break.

    With `head` (an exported, signed head), also check that the entry it names is still there, unchanged,
    so that removing the newest entries is caught."""
    problems: list[str] = []
    key = settings.CORREDOR_AUDIT_KEY.encode()
    previous = ""
    expected_sequence = 1
    count = 0
    last: AuditEntry | None = None
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=5000):
        count += 1
        if entry.sequence != expected_sequence:
            problems.append(
                f"entry {entry.sequence}: entries {expected_sequence} to {entry.sequence - 1} are missing"
                if entry.sequence > expected_sequence
                else f"entry {entry.sequence}: out of sequence (expected {expected_sequence})"
            )
        if entry.prev_hash != previous:
            problems.append(
                f"entry {entry.sequence}: does not follow the entry before it (one removed or reordered)"
            )
        if not hmac.compare_digest(entry.compute_hash(key), entry.entry_hash):
            problems.append(f"entry {entry.sequence}: content changed after it was written (or another key)")
        previous = entry.entry_hash
        expected_sequence = entry.sequence + 1
        last = entry
    if head is not None:
        problems.extend(_head_problems(head, last))
    return count, problems


@dataclass(frozen=True)
class AuditHead:
    """The newest entry of the chain at a moment, signed with the audit key: kept outside the database
    (exported on a schedule), it shows later whether entries were removed from the end."""

    sequence: int
    entry_hash: str
    at: str
    exported_at: str
    signature: str = ""

    def payload(self) -> bytes:
        fields = {
            "sequence": self.sequence,
            "entry_hash": self.entry_hash,
            "at": self.at,
            "exported_at": self.exported_at,
        }
        return json.dumps(fields, sort_keys=True).encode()

    def sign(self) -> "AuditHead":
        mac = hmac.new(settings.CORREDOR_AUDIT_KEY.encode(), self.payload(), hashlib.sha256).hexdigest()
        return AuditHead(self.sequence, self.entry_hash, self.at, self.exported_at, mac)

    def signature_valid(self) -> bool:
        return hmac.compare_digest(self.sign().signature, self.signature)

    def to_json(self) -> str:
        return json.dumps(
            {**json.loads(self.payload()), "hmac_sha256": self.signature}, indent=2, sort_keys=True
        )

    @classmethod
    def from_json(cls, text: str) -> "AuditHead":
        """Read an exported head; ValueError says what is wrong with the file."""
        try:
            data = json.loads(text)
            return cls(
                sequence=int(data["sequence"]),
                entry_hash=str(data["entry_hash"]),
                at=str(data["at"]),
                exported_at=str(data["exported_at"]),
                signature=str(data["hmac_sha256"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"not an exported audit head: {error}") from error


def audit_head(*, now: datetime | None = None) -> AuditHead | None:
    """The signed head of the chain as it is now; None while the log is empty."""
    last = AuditEntry.objects.order_by("-sequence").first()
    if last is None:
        return None
    exported = (now or timezone.now()).isoformat()
    return AuditHead(last.sequence, last.entry_hash, last.at.isoformat(), exported).sign()


def _head_problems(head: AuditHead, last: AuditEntry | None) -> list[str]:
    if not head.signature_valid():
        return ["the head file's signature does not match: it was changed, or made with another key"]
    entry = AuditEntry.objects.filter(sequence=head.sequence).first()
    if entry is None:
        newest = last.sequence if last else 0
        return [
            f"entry {head.sequence}, the head exported at {head.exported_at}, is gone: the log now ends at "
            f"entry {newest} (entries removed from the end)"
        ]
    if not hmac.compare_digest(entry.entry_hash, head.entry_hash):
        return [f"entry {head.sequence} is not the one exported as the head at {head.exported_at}"]
    return []
