"""Sync's writes at central: enrolment codes and devices, the idempotent ingest of a post's batch, and the
publication of the feed. (A post's side is in `post.py`.)"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from corredor.core.audit import Actor, acting_as, audit_write
from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import BorderPost
from corredor.core.permissions import refuse
from corredor.core.queries import matching
from corredor.core.retention import purged_ids
from corredor.sync import registry, serialize, signing
from corredor.sync.models import (
    Alias,
    Conflict,
    Device,
    EnrolmentCode,
    FeedDigest,
    FeedEntry,
    FeedState,
    Receipt,
)

log = logging.getLogger(__name__)

CODE_HOURS = 24


class Unauthorized(ApplicationError):
    default_status = 401


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def device_actor(device: Device) -> Actor:
    return Actor(username=f"device:{device.id}", role="device", origin=f"sync {device.post_id}")


# --- enrolment ----------------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_code_create(*, post_code: str, now: datetime | None = None) -> tuple[str, EnrolmentCode]:
    """A one-time code (valid 24 hours) with which one installation enrols as a device of `post_code`."""
    post = BorderPost.objects.filter(code=post_code).first()
    if post is None:
        raise NotFound(
            _("There is no border post %(code)s.") % {"code": post_code}, detail={"post": post_code}
        )
    moment = now or timezone.now()
    raw = secrets.token_hex(8).upper()
    code = "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    row = EnrolmentCode.objects.create(
        code_hash=_code_hash(code),
        post=post,
        created_at=moment,
        expires_at=moment + timedelta(hours=CODE_HOURS),
    )
    audit_write(
        action="create", object_type="sync.enrolmentcode", object_id=row.pk, summary=f"for {post.code}"
    )
    return code, row


@transaction.atomic
def device_enrol(*, code: str, now: datetime | None = None) -> Device:
    """Spend an enrolment code: a new device of the code's post, with its own signing key."""
    moment = now or timezone.now()
    row = EnrolmentCode.objects.select_for_update().filter(code_hash=_code_hash(code)).first()
    if row is None or row.used_at is not None or row.expires_at <= moment:
        raise Unauthorized(
            _("This enrolment code is not valid: it is wrong, used or expired (codes last 24 hours)."),
            detail={"code": "invalid"},
        )
    device = Device.objects.create(
        id=f"{row.post_id.lower()}-{secrets.token_hex(4)}", post_id=row.post_id, key=signing.new_key()
    )
    row.used_at, row.device = moment, device
    row.save(update_fields=["used_at", "device"])
    with acting_as(device_actor(device)):
        audit_write(action="create", object_type="sync.device", object_id=device.pk, summary="enrolled")
    return device


@transaction.atomic
def device_revoke(*, device_id: str, now: datetime | None = None) -> Device:
    """Cut a device off (a stolen laptop): every request it signs is answered 401 from now on."""
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is None:
        raise NotFound(_("There is no device %(id)s.") % {"id": device_id}, detail={"device": device_id})
    if device.revoked_at is None:
        device.revoked_at = now or timezone.now()
        device.save(update_fields=["revoked_at"])
        audit_write(action="update", object_type="sync.device", object_id=device.pk, summary="revoked")
    return device


def device_authenticate(
    *, device_id: str, timestamp: str, given: str, method: str, path: str, body: bytes
) -> Device:
    """The device that signed this request; Unauthorized (audited) for an unknown or revoked device or a bad
    signature. The post's timestamp is recorded, never compared with central's clock."""
    device = Device.objects.filter(pk=device_id).first() if device_id else None
    ok = device is not None and signing.signature_valid(
        device.key, given, method=method, path=path, timestamp=timestamp, body=body
    )
    if device is None or not ok or device.revoked_at is not None:
        why = "revoked" if device is not None and ok else "bad signature or unknown device"
        audit_write(
            action="denied",
            object_type="sync.device",
            object_id=device_id[:64],
            summary=f"sync request refused: {why}",
            actor=Actor(username=f"device:{device_id[:60]}", role="device", origin="sync"),
        )
        raise Unauthorized(_("This device is not allowed to sync (unknown, revoked or a bad signature)."))
    now = timezone.now()
    try:
        post_time = parse_datetime(timestamp) if timestamp else None
    except ValueError:  # well-formed but impossible (a 13th month): the clock difference stays unknown
        post_time = None
    skew = int((post_time - now).total_seconds()) if post_time is not None and post_time.tzinfo else 0
    Device.objects.filter(pk=device.pk).update(last_contact_at=now, clock_skew_seconds=skew)
    device.last_contact_at, device.clock_skew_seconds = now, skew
    return device


# --- ingest -------------------------------------------------------------------------------------------------


@dataclass
class IngestResult:
    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    conflicts: int = 0
    purged: int = 0
    by_model: dict[str, int] = field(default_factory=dict)


def _post_value(entry: registry.Outbound, payload: dict[str, Any]) -> Any:
    if entry.post_field is None:
        return None
    f = entry.model._meta.get_field(entry.post_field)
    return payload.get(f.attname)  # type: ignore[union-attr]


def _unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The model's natural keys: unique fields and unconditional unique constraints, by column name."""
    sets: list[tuple[str, ...]] = []
    for f in model._meta.concrete_fields:
        if f.unique and not f.primary_key:
            sets.append((f.attname,))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and constraint.fields
        ):
            sets.append(tuple(model._meta.get_field(name).attname for name in constraint.fields))  # type: ignore[union-attr]
    return sets


def batch_ingest(
    *, device: Device, records: list[dict[str, Any]], pending: int = 0, oldest_pending: str = ""
) -> IngestResult:
    """Store a post's batch, each record once: all of it or nothing (a batch interrupted mid-way is sent
    again whole). A record central already holds is acknowledged without being stored twice; a fact sent
    again with another content is kept as a conflict, never overwritten; a purged record is not brought
    back. A record of another post refuses the whole batch (audited)."""
    with acting_as(device_actor(device)), transaction.atomic():
        result = _ingest(device, records)
        if settings.CORREDOR_SYNC_FAULT_DELAY:
            time.sleep(settings.CORREDOR_SYNC_FAULT_DELAY)  # the fault tests kill central here, mid-ingest
        now = timezone.now()
        Device.objects.filter(pk=device.pk).update(
            last_push_at=now,
            pending=max(pending, 0),
            oldest_pending_at=_moment(oldest_pending),
            received=models.F("received") + result.stored,
        )
        if records:
            audit_write(
                action="bulk",
                object_type="sync.batch",
                object_id=device.pk,
                summary=(
                    f"sync from {device.post_id}: {result.stored} stored, {result.updated} updated, "
                    f"{result.duplicates} already held, {result.conflicts} conflicts, {result.purged} purged"
                ),
            )
    return result


def _ingest(device: Device, records: list[dict[str, Any]]) -> IngestResult:
    result = IngestResult()
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    # The post's devices, past and present: a laptop enrolled again pushes what it queued before.
    own_devices = set(Device.objects.filter(post_id=device.post_id).values_list("id", flat=True))
    for position, record in enumerate(records):
        label = str(record.get("model", "")).lower()
        entry = registry.outbound(label)
        payload = record.get("payload")
        pk = str(record.get("pk", ""))
        if entry is None or not isinstance(payload, dict) or not pk:
            raise ApplicationError(
                _("Record %(n)s of the batch is not a record central accepts.") % {"n": position + 1},
                detail={"record": position + 1, "model": label},
            )
        owner_device = payload.get(entry.device_field) if entry.device_field else device.id
        owner_post = _post_value(entry, payload)
        if owner_device not in own_devices or (entry.post_field is not None and owner_post != device.post_id):
            raise refuse(
                None,
                _("Device %(device)s of post %(post)s may only send its own post's records.")
                % {"device": device.id, "post": device.post_id},
                f"sync:{device.id}",
                detail={"record": position + 1, "model": label, "pk": pk},
            )
        groups[label][serialize.key_of(entry.model, pk)] = payload
    # Central's aliases for the post's records it already held under another id.
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    labels = [e.label for e in registry.outbound_models()]
    fk_values: dict[str, set[str]] = defaultdict(set)
    for label, rows in groups.items():
        model = registry.outbound(label).model  # type: ignore[union-attr]
        for f in model._meta.concrete_fields:
            target = f.related_model._meta.label_lower if f.is_relation and f.related_model else None  # type: ignore[union-attr]
            if target in labels:
                fk_values[target].update(str(p[f.attname]) for p in rows.values() if p.get(f.attname))
    for target, values in fk_values.items():
        keys = [serialize.key_of(registry.outbound(target).model, v) for v in values]  # type: ignore[union-attr]
        found = matching(Alias, "post_pk", keys, ["post_pk", "central_pk"], model_label=target)
        for post_pk, central_pk in found:
            aliases[target][post_pk] = central_pk
    # Parents first, so that aliases made in this batch reach the records that point at them.
    for label in sorted(groups, key=lambda name: _depth(name, labels)):
        custom = registry.outbound(label).ingest  # type: ignore[union-attr]
        if custom is not None:
            stored = custom(device, groups[label])
            result.stored += stored
            result.duplicates += len(groups[label]) - stored
            continue
        _ingest_model(device, registry.outbound(label), groups[label], aliases, labels, result)  # type: ignore[arg-type]
    return result


def _depth(label: str, labels: list[str], trail: frozenset[str] = frozenset()) -> int:
    model = registry.outbound(label).model  # type: ignore[union-attr]
    depth = 0
    for f in model._meta.concrete_fields:
        target = f.related_model._meta.label_lower if f.is_relation and f.related_model else None  # type: ignore[union-attr]
        if target in labels and target != label and target not in trail:
            depth = max(depth, 1 + _depth(target, labels, trail | {label}))  # type: ignore[arg-type]
    return depth


def _ingest_model(
    device: Device,
    entry: registry.Outbound,
    rows: dict[str, dict[str, Any]],
    aliases: dict[str, dict[str, str]],
    labels: list[str],
    result: IngestResult,
) -> None:
    model = entry.model
    label = entry.label
    # Records pointing at a post's record that central holds under another id point at central's.
    for f in model._meta.concrete_fields:
        target = f.related_model._meta.label_lower if f.is_relation and f.related_model else None  # type: ignore[union-attr]
        if target in labels and aliases.get(target):  # type: ignore[arg-type]
            for payload in rows.values():
                value = payload.get(f.attname)
                if value:
                    key = serialize.key_of(f.related_model, value)  # type: ignore[arg-type]
                    if key in aliases[target]:  # type: ignore[index]
                        payload[f.attname] = aliases[target][key]  # type: ignore[index]
    gone = purged_ids(label, list(rows))
    result.purged += len(gone)
    for pk in gone:
        rows.pop(serialize.key_of(model, pk), None)
    held_keys = [row[0] for row in matching(model, model._meta.pk.name, rows, ["pk"])]
    held = dict(serialize.payloads(model._default_manager.filter(pk__in=held_keys))) if held_keys else {}
    new: dict[str, dict[str, Any]] = {}
    conflicts: list[Conflict] = []
    for pk, payload in rows.items():
        current = held.get(pk)
        if current is None:
            new[pk] = payload
            continue
        wanted = {k: v for k, v in _normalised(model, payload).items() if k in current}
        if wanted == {k: current[k] for k in wanted}:
            result.duplicates += 1
        elif entry.mutable:
            values = {
                f.attname: serialize.instance(model, payload).__dict__[f.attname]
                for f in serialize.columns(model)
                if f.attname in payload and not f.primary_key
            }
            model._base_manager.filter(pk=serialize.pk_value(model, pk)).update(**values)
            result.updated += 1
        else:
            conflicts.append(
                Conflict(
                    device=device,
                    model_label=label,
                    object_pk=pk,
                    reason=Conflict.Reason.DIFFERENT,
                    payload=payload,
                )
            )
    # A record central already holds under another id (the same passport): central's stays, the post's id
    # becomes an alias of it, and the case is flagged.
    for names in _unique_sets(model):
        fields = [model._meta.get_field(n) for n in names]  # attnames resolve too
        candidates = {
            pk: tuple(serialize._plain(f.to_python(payload[f.attname])) for f in fields)  # type: ignore[union-attr]
            for pk, payload in new.items()
            if all(payload.get(n) is not None for n in names)
        }
        if not candidates:
            continue
        first_in_batch: dict[tuple[Any, ...], str] = {}
        for pk, value in candidates.items():
            first_in_batch.setdefault(value, pk)
        existing: dict[tuple[Any, ...], str] = {}
        keys = list(first_in_batch)
        # One lookup on the last column, the whole key matched here: one query for a batch, not one a row.
        for row in matching(model, fields[-1].name, {value[-1] for value in keys}, ["pk", *names]):
            existing[tuple(serialize._plain(v) for v in row[1:])] = serialize.key_text(row[0])
        for pk, value in candidates.items():
            other = existing.get(value) or (first_in_batch[value] if first_in_batch[value] != pk else None)
            if other is None or other == pk:
                continue
            payload = new.pop(pk)
            aliases[label][pk] = other
            Alias.objects.get_or_create(model_label=label, post_pk=pk, defaults={"central_pk": other})
            conflicts.append(
                Conflict(
                    device=device,
                    model_label=label,
                    object_pk=pk,
                    reason=Conflict.Reason.DUPLICATE,
                    existing_pk=other,
                    payload=payload,
                )
            )
    serialize.rows_write(model, list(new.values()))
    Conflict.objects.bulk_create(conflicts)
    result.conflicts += len(conflicts)
    result.stored += len(new)
    result.by_model[label] = result.by_model.get(label, 0) + len(new)
    now = timezone.now()
    # A receipt left from a record central no longer holds is kept (the first receipt stands).
    receipted = {row[0] for row in matching(Receipt, "object_pk", new, ["object_pk"], model_label=label)}
    serialize.rows_write(
        Receipt,
        [
            {
                "model_label": label,
                "object_pk": pk,
                "device_id": device.pk,
                "made_at": _made_at(payload),
                "received_at": now,
            }
            for pk, payload in new.items()
            if pk not in receipted
        ],
    )


def _normalised(model: type[models.Model], payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as central would serialise the same row (times in central's form)."""
    obj = serialize.instance(model, payload)
    return {
        f.attname: serialize._plain(getattr(obj, f.attname))
        for f in serialize.columns(model)
        if f.attname in payload
    }


def _made_at(payload: dict[str, Any]) -> datetime | None:
    return _moment(payload.get("created_at"))


def _moment(value: Any) -> datetime | None:
    """A time the post sent, or None when it is missing or not a time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


# --- the feed -----------------------------------------------------------------------------------------------


def _lock_feed() -> None:
    # One publisher at a time: SQLite's IMMEDIATE transactions serialise writers already.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(77013)")


def feed_publish_if_due(*, now: datetime | None = None) -> int:
    """Publish when the last publication is older than CORREDOR_SYNC_PUBLISH_SECONDS (posts pulling at once
    publish once)."""
    moment = now or timezone.now()
    every = timedelta(seconds=settings.CORREDOR_SYNC_PUBLISH_SECONDS)
    state = FeedState.objects.filter(pk=1).first()
    if state is not None and state.published_at is not None and moment - state.published_at < every:
        return 0
    return feed_publish(now=moment, only_if_due=every)


@transaction.atomic
def feed_publish(*, now: datetime | None = None, only_if_due: timedelta | None = None) -> int:
    """Compare every published model's rows with what was last published and append what changed to the
    feed, in order (parents before the rows that point at them; removals last). Returns how many entries."""
    moment = now or timezone.now()
    _lock_feed()
    state, _ = FeedState.objects.get_or_create(pk=1)
    if (
        only_if_due is not None
        and state.published_at is not None
        and moment - state.published_at < only_if_due
    ):
        return 0
    entries: list[dict[str, Any]] = []
    removals: list[dict[str, Any]] = []
    for entry in registry.published_models():
        entries.extend(_changes(entry, moment, removals))
    removals.reverse()
    # Plain rows, in order: the database numbers them as they come.
    serialize.rows_write(FeedEntry, [*entries, *removals])
    state.published_at = moment
    state.save(update_fields=["published_at"])
    return len(entries) + len(removals)


def _scope(entry: registry.Published, payload: dict[str, Any]) -> str:
    if entry.post_field is None:
        return ""
    f = entry.model._meta.get_field(entry.post_field)
    return str(payload.get(f.attname) or "")  # type: ignore[union-attr]


def _feed_row(label: str, pk: str, payload: Any, post: str | None, moment: datetime) -> dict[str, Any]:
    return {
        "model_label": label,
        "object_pk": pk,
        "payload": payload,
        "post_id": post,
        "published_at": moment,
    }


def _changes(
    entry: registry.Published, moment: datetime, removals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    label = entry.label
    found: list[dict[str, Any]] = []
    if entry.append_only:
        cursor = FeedDigest.objects.filter(model_label=label, object_pk="#cursor").first()
        after = int(cursor.digest) if cursor is not None else 0
        last = after
        for pk, payload in serialize.payloads(entry.rows().filter(pk__gt=after), entry.exclude):
            found.append(_feed_row(label, pk, payload, None, moment))
            last = max(last, int(pk))
        if last != after:
            FeedDigest.objects.update_or_create(
                model_label=label, object_pk="#cursor", defaults={"digest": str(last)}
            )
        return found
    known = {
        pk: (digest, post)
        for pk, digest, post in FeedDigest.objects.filter(model_label=label).values_list(
            "object_pk", "digest", "post_code"
        )
    }
    changed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for pk, payload in serialize.payloads(entry.rows(), entry.exclude):
        seen.add(pk)
        digest = serialize.digest(payload)
        scope = _scope(entry, payload)
        if known.get(pk, ("", ""))[0] == digest:
            continue
        found.append(_feed_row(label, pk, payload, scope or None, moment))
        changed.append({"model_label": label, "object_pk": pk, "digest": digest, "post_code": scope})
    gone = [pk for pk in known if pk not in seen]
    for pk in gone:
        scope = known[pk][1]
        removals.append(_feed_row(label, pk, None, scope or None, moment))
    if gone:
        for start in range(0, len(gone), 500):
            FeedDigest.objects.filter(model_label=label, object_pk__in=gone[start : start + 500]).delete()
    serialize.rows_write(FeedDigest, changed, upsert=True, conflict_on=("model_label", "object_pk"))
    return found


def feed_page(*, device: Device, after: int, limit: int) -> dict[str, Any]:
    """The feed entries after `after` that this device's post may see, oldest first."""
    limit = max(1, min(limit, settings.CORREDOR_SYNC_FEED_PAGE))
    # Publications are serialised and commit in sequence order: everything up to `newest` is final.
    newest = FeedEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    # A post that has everything published asks for what changed since: publish it now (if due). A post still
    # paging through the feed is not made to wait for a comparison of every published row on each page.
    if after >= newest and feed_publish_if_due():
        newest = FeedEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    rows = list(
        FeedEntry.objects.filter(sequence__gt=after, sequence__lte=newest)
        .filter(Q(post__isnull=True) | Q(post_id=device.post_id))
        .order_by("sequence")
        .values_list("sequence", "model_label", "object_pk", "payload")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    state = FeedState.objects.filter(pk=1).first()
    # Nothing further for this post: it is current up to the newest entry of the whole feed.
    last = rows[-1][0] if more else max(newest, after)
    Device.objects.filter(pk=device.pk).update(feed_sequence=after)
    return {
        "entries": [{"sequence": s, "model": m, "pk": p, "payload": d} for s, m, p, d in rows],
        "last_sequence": last,
        "more": more,
        "as_of": state.published_at.isoformat() if state is not None and state.published_at else None,
    }


def post_audit_ingest(device: Device, rows: dict[str, dict[str, Any]]) -> int:
    """A post's own audit entries, kept at central beside its chain (each once: by the post and its hash)."""
    from corredor.sync.models import PostAuditEntry

    fields = ("sequence", "username", "role", "origin", "action", "object_type", "object_id", "summary")
    for pk, payload in rows.items():
        if not payload.get("entry_hash") or not isinstance(payload.get("sequence"), int):
            raise ApplicationError(
                _("Audit entry %(id)s of the batch has no sequence or hash.") % {"id": pk},
                detail={"model": "core.auditentry", "pk": pk},
            )
    entries = [
        PostAuditEntry(
            post_id=device.post_id,
            device=device,
            at=parse_datetime(str(payload.get("at"))) or timezone.now(),
            prev_hash=str(payload.get("prev_hash", "")),
            entry_hash=str(payload.get("entry_hash", "")),
            **{name: payload.get(name) or ("" if name != "sequence" else 0) for name in fields},
        )
        for payload in rows.values()
    ]
    before = PostAuditEntry.objects.filter(post_id=device.post_id).count()
    PostAuditEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=500)
    return PostAuditEntry.objects.filter(post_id=device.post_id).count() - before
