"""A border post's side of sync: enrol with central, push the outbox, pull and apply the feed.

Every step is safe to interrupt. The outbox is marked acknowledged only after central answered that it
stored the batch (a batch sent again is stored once); the feed position moves in the same transaction that
applied the entries. So a post killed, cut off or restarted at any moment resumes where it was.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from corredor.core.audit import Actor, acting_as, audit_write
from corredor.core.errors import ApplicationError, Busy
from corredor.sync import outbox, registry, serialize, signing
from corredor.sync.models import OutboxEntry, PostState

log = logging.getLogger(__name__)

#: (status, body) for (method, url, body, headers).
Transport = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, bytes]]

SYNC_ACTOR = Actor(username="sync", role="", origin="corredor sync")


class SyncFailed(Busy):
    """Central could not be reached, or answered with an error: nothing is lost, the next run retries
    (the command exits 75, "try again")."""


def http_transport(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.CORREDOR_SYNC_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise SyncFailed(_("Central cannot be reached: %(why)s") % {"why": reason}) from error
    except Exception as error:  # http.client.RemoteDisconnected, IncompleteRead ...: the link dropped
        raise SyncFailed(_("The connection to central dropped: %(why)s") % {"why": error}) from error


def state() -> PostState | None:
    return PostState.objects.filter(pk=1).first()


def _answer(status: int, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        data = {}
    if status >= 300:
        message = data.get("message") if isinstance(data, dict) else None
        raise SyncFailed(
            _("Central answered %(status)s: %(message)s")
            % {"status": status, "message": message or body[:200].decode(errors="replace")},
            detail={"status": status},
        )
    if not isinstance(data, dict):
        raise SyncFailed(_("Central's answer is not understood."))
    return data


# --- enrolment ----------------------------------------------------------------------------------------------


def post_enrol(*, central_url: str, code: str, transport: Transport = http_transport) -> PostState:
    """Enrol this installation with central using a one-time code: stores the device's id, post and key,
    installs the outbox triggers and writes the device id where the settings read it."""
    if settings.CORREDOR_MODE != "post":
        raise ApplicationError(_("Only a border post enrols (run it with CORREDOR_MODE=post)."))
    base = central_url.rstrip("/")
    body = json.dumps({"code": code}).encode()
    data = _answer(
        *transport("POST", f"{base}/api/v1/sync/enrol", body, {"Content-Type": "application/json"})
    )
    with transaction.atomic():
        PostState.objects.update_or_create(
            pk=1,
            defaults={
                "central_url": base,
                "device_id": str(data["device_id"]),
                "post_code": str(data["post_code"]),
                "key": str(data["key"]),
                "enrolled_at": timezone.now(),
                "feed_sequence": 0,
                "feed_as_of": None,
            },
        )
        outbox.outbox_triggers_create()
        with acting_as(SYNC_ACTOR):
            audit_write(
                action="create",
                object_type="sync.poststate",
                object_id=data["device_id"],
                summary=f"enrolled with {base}",
            )
    device_file = Path(settings.DATA_DIR) / "sync-device-id"
    # Read by the settings at the next start of the post's processes (records carry the device id).
    device_file.write_text(str(data["device_id"]) + "\n")
    return PostState.objects.get(pk=1)


def _signed(
    post: PostState, method: str, path: str, body: bytes | None, transport: Transport
) -> dict[str, Any]:
    timestamp = timezone.now().isoformat()
    headers = {
        signing.DEVICE_HEADER: post.device_id,
        signing.TIME_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(
            post.key, method=method, path=path, timestamp=timestamp, body=body or b""
        ),
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    return _answer(*transport(method, post.central_url + path, body, headers))


# --- push ---------------------------------------------------------------------------------------------------


def outbox_pending() -> models.QuerySet[OutboxEntry]:
    return OutboxEntry.objects.filter(acked_at__isnull=True)


def _batch(limit: int, ceiling: int, after: int = 0) -> tuple[list[int], list[dict[str, Any]]]:
    """The oldest pending outbox entries after `after` (up to `ceiling`) and their records as they are now (a
    record written twice is sent once, in its latest state; a record purged meanwhile is not sent)."""
    pending = outbox_pending().filter(id__gt=after, id__lte=ceiling).order_by("id")
    entries = list(pending.values_list("id", "model_label", "object_pk")[:limit])
    ids = [e[0] for e in entries]
    if not ids:
        return ids, []
    records: list[dict[str, Any]] = []
    for label in dict.fromkeys(e[1] for e in entries):
        declared = registry.outbound(label)
        if declared is None:
            continue
        model = declared.model
        # The batch's rows of this model, read by a subquery over the same stretch of the outbox (pending
        # entries between the batch's first and last id are exactly the batch): a list of a thousand keys
        # costs the ORM more than the read itself. Each record once, in its state now.
        rows = RawSQL(
            f"SELECT CAST(object_pk AS {model._meta.pk.db_type(connection)}) FROM {outbox.TABLE} "
            "WHERE id >= %s AND id <= %s AND model_label = %s AND acked_at IS NULL",
            (ids[0], ids[-1], label),
        )
        for pk, payload in serialize.payloads(model._default_manager.filter(pk__in=rows)):
            records.append({"model": label, "pk": pk, "payload": payload})
    return ids, records


def push(post: PostState, transport: Transport, *, batch_size: int | None = None) -> int:
    """Push the outbox in batches until it is empty; returns how many records central stored or held.

    Over HTTP the next batch is read and serialised while central stores the one before (a thread sends;
    the database is used from this thread only, and a batch is marked acknowledged only once central
    answered for it). Other transports (the tests' in-process central) send one batch at a time."""
    size = batch_size or settings.CORREDOR_SYNC_BATCH
    sent = 0
    # What is queued now: a run ends even while the desk (or anything else) keeps writing.
    ceiling = OutboxEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # Counted once (a count per batch reads the whole queue each time), then less what central acknowledged.
    waiting = outbox_pending().count()
    pool = ThreadPoolExecutor(max_workers=1) if transport is http_transport else None
    flight: tuple[list[int], int, Future[dict[str, Any]]] | None = None
    after = 0
    try:
        while True:
            ids, records = _batch(size, ceiling, after)
            if flight is not None:
                done, count, answer = flight
                flight = None
                try:
                    answer.result()
                except SyncFailed as error:
                    if (error.detail or {}).get("status") == 413 and size > 1:
                        size = max(1, size // 2)
                        after = done[0] - 1  # read that batch again, smaller
                        continue
                    raise
                OutboxEntry.objects.filter(id__in=done).update(acked_at=timezone.now())
                waiting -= len(done)
                sent += count
            if not ids:
                return sent
            oldest = outbox_pending().order_by("id").values_list("created_at", flat=True).first()
            body = json.dumps(
                {
                    "batch_id": str(uuid.uuid4()),
                    "pending": max(waiting, len(ids)),
                    "oldest_pending_at": oldest.isoformat() if oldest else "",
                    "records": records,
                },
                separators=(",", ":"),
            ).encode()
            if pool is not None:
                answer = pool.submit(_signed, post, "POST", "/api/v1/sync/push", body, transport)
            else:
                answer = Future()
                try:
                    answer.set_result(_signed(post, "POST", "/api/v1/sync/push", body, transport))
                except SyncFailed as error:
                    answer.set_exception(error)
            flight = (ids, len(records), answer)
            after = ids[-1]
    finally:
        if pool is not None:
            pool.shutdown(wait=True)  # a batch still in flight is not acknowledged: it is sent again


# --- pull ---------------------------------------------------------------------------------------------------


def pull(post: PostState, transport: Transport) -> int:
    """Pull the feed from the post's position and apply it, page by page; returns how many entries."""
    applied = 0
    while True:
        path = f"/api/v1/sync/feed?after={post.feed_sequence}&limit={settings.CORREDOR_SYNC_FEED_PAGE}"
        page = _signed(post, "GET", path, None, transport)
        entries = page.get("entries") or []
        with transaction.atomic():
            feed_apply(entries)
            post.feed_sequence = int(page.get("last_sequence") or post.feed_sequence)
            if not page.get("more") and page.get("as_of"):
                post.feed_as_of = parse_datetime(str(page["as_of"]))
            post.save(update_fields=["feed_sequence", "feed_as_of"])
        applied += len(entries)
        if not page.get("more"):
            return applied


def feed_apply(entries: list[dict[str, Any]]) -> None:
    """Apply feed entries: upsert each changed row by its key, remove the removed ones (a row still pointed
    at by the post's records is kept), then tell each owning app what changed."""
    latest: dict[tuple[str, str], dict[str, Any] | None] = {}
    for item in entries:
        latest[(str(item["model"]).lower(), str(item["pk"]))] = item.get("payload")
    ordered = registry.published_models()
    for entry in ordered:
        rows = {pk: payload for (label, pk), payload in latest.items() if label == entry.label}
        if not rows:
            continue
        model = entry.model
        upserts = {pk: payload for pk, payload in rows.items() if payload is not None}
        if entry.label == "core.tombstone":
            _tombstones_apply(list(upserts.values()))
            continue
        many = serialize.m2m_fields(model, entry.exclude)
        if upserts and not many:
            # Reference rows and alerts as plain rows, inserted or updated in one statement per 500.
            serialize.rows_write(model, list(upserts.values()), upsert=True)
        elif upserts:
            objects = [serialize.instance(model, payload) for payload in upserts.values()]
            some = next(iter(upserts.values()))
            fields = [
                f.name
                for f in serialize.columns(model, entry.exclude)
                if not f.primary_key and f.attname in some
            ]
            model._default_manager.bulk_create(
                objects,
                update_conflicts=bool(fields),
                ignore_conflicts=not fields,
                unique_fields=[model._meta.pk.name] if fields else None,
                update_fields=fields or None,
                batch_size=500,
            )
            for obj, payload in zip(objects, upserts.values(), strict=True):
                for m2m in many:
                    if m2m.name in payload:
                        getattr(obj, m2m.name).set(payload[m2m.name])
        removed = [pk for pk, payload in rows.items() if payload is None]
        kept: list[str] = []
        for pk in removed:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=serialize.pk_value(model, pk)).delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                kept.append(pk)
        if entry.on_applied is not None:
            entry.on_applied(
                [serialize.pk_value(model, pk) for pk in upserts],
                [serialize.pk_value(model, pk) for pk in removed if pk not in kept],
            )


def _nothing_due(now: datetime, days: dict[str, int]) -> models.QuerySet[Any]:
    from corredor.core.models import Tombstone

    return Tombstone.objects.none()


def _tombstones_apply(payloads: list[dict[str, Any]]) -> None:
    """Purges at central: the post removes its copy too (with what points at it), and keeps the tombstone
    so that the record cannot come back."""
    from corredor.core.models import Tombstone
    from corredor.core.retention import RetentionPolicy, purge_record

    policy = RetentionPolicy(
        name="sync", model="core.tombstone", description="purged at central", due=_nothing_due
    )
    now = timezone.now()
    for payload in payloads:
        label, pk = str(payload["model_label"]), str(payload["object_id"])
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        root = model._default_manager.filter(pk=pk).first()
        if root is not None:
            purge_record(root=root, policy=policy, now=now)
        Tombstone.objects.get_or_create(
            model_label=label,
            object_id=pk,
            defaults={"purged_at": parse_datetime(str(payload["purged_at"])) or now},
        )
        OutboxEntry.objects.filter(
            model_label=label, object_pk__in=[pk, pk.replace("-", "")], acked_at__isnull=True
        ).update(acked_at=now)


# --- the national history -----------------------------------------------------------------------------------


class NotEnrolled(SyncFailed):
    """This installation has no device credential: it cannot ask central anything."""


def timed_transport(timeout: float) -> Transport:
    """The HTTP transport with its own timeout (the desk waits for central only briefly)."""

    def transport(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except Exception as error:  # refused, timed out, dropped: the desk falls back to the local history
            reason = getattr(error, "reason", error)
            raise SyncFailed(_("Central cannot be reached: %(why)s") % {"why": reason}) from error

    return transport


def national_history(
    *,
    user: Any,
    issuing_state: str = "",
    number: str = "",
    traveller_id: str = "",
    transport: Transport | None = None,
) -> dict[str, Any]:
    """Ask central for a traveller's crossings at every post, for `user` at this post's desk, waiting at most
    CORREDOR_SYNC_HISTORY_TIMEOUT seconds. Raises SyncFailed (NotEnrolled, unreachable, slow, refused); the
    caller shows the post's own history instead. The answer is shown, never stored at the post."""
    post = state()
    if post is None:
        raise NotEnrolled(_("This post is not enrolled with central."))
    body = json.dumps(
        {
            "user": user.get_username(),
            "issuing_state": issuing_state,
            "number": number,
            "traveller_id": traveller_id,
        }
    ).encode()
    chosen = transport or timed_transport(float(settings.CORREDOR_SYNC_HISTORY_TIMEOUT))
    return _signed(post, "POST", "/api/v1/sync/history", body, chosen)


def last_synced_at() -> datetime | None:
    """When this post last pushed and pulled successfully (what its local history is as of)."""
    post = state()
    return post.last_success_at if post else None


# --- one sync -----------------------------------------------------------------------------------------------


@dataclass
class SyncReport:
    pushed: int
    pulled: int
    pending: int


def sync_once(*, transport: Transport = http_transport) -> SyncReport:
    """Push, then pull. A failure is recorded on the post's state (for `sync status`) and raised."""
    post = state()
    if post is None:
        raise ApplicationError(
            _("This post is not enrolled: run `corredor sync enrol --central URL --code CODE`.")
        )
    if not outbox.outbox_triggers_installed():
        outbox.outbox_triggers_create()
    now = timezone.now()
    PostState.objects.filter(pk=1).update(last_attempt_at=now)
    try:
        with acting_as(SYNC_ACTOR):
            pushed = push(post, transport)
            pulled = pull(post, transport)
    except ApplicationError as error:
        PostState.objects.filter(pk=1).update(last_error=error.message[:2000], last_error_at=timezone.now())
        raise
    PostState.objects.filter(pk=1).update(last_success_at=timezone.now(), last_error="")
    return SyncReport(pushed=pushed, pulled=pulled, pending=outbox_pending().count())


def sync_loop(
    *,
    transport: Transport = http_transport,
    sleep: Callable[[float], None] = time.sleep,
    cycles: int | None = None,
) -> None:
    """Sync every CORREDOR_SYNC_INTERVAL seconds; after failures wait longer each time (doubling, up to
    CORREDOR_SYNC_MAX_BACKOFF), and go back to the interval after a success."""
    failures = 0
    done = 0
    while cycles is None or done < cycles:
        try:
            sync_once(transport=transport)
            failures = 0
            wait = float(settings.CORREDOR_SYNC_INTERVAL)
        except ApplicationError as error:
            failures += 1
            wait = min(float(settings.CORREDOR_SYNC_MAX_BACKOFF), 5.0 * 2 ** (failures - 1))
            log.warning("sync failed (%s); next try in %.0f s", error.message, wait)
        done += 1
        sleep(wait)


def status() -> dict[str, Any]:
    """What `corredor sync status` prints."""
    post = state()
    pending = outbox_pending()
    oldest = pending.order_by("id").values_list("created_at", flat=True).first()

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "mode": settings.CORREDOR_MODE,
        "enrolled": post is not None,
        "central": post.central_url if post else None,
        "device_id": post.device_id if post else None,
        "post": post.post_code if post else None,
        "pending": pending.count(),
        "oldest_pending_at": when(oldest),
        "last_attempt_at": when(post.last_attempt_at) if post else None,
        "last_success_at": when(post.last_success_at) if post else None,
        "last_error": (post.last_error or None) if post else None,
        "last_error_at": when(post.last_error_at) if post else None,
        "feed_sequence": post.feed_sequence if post else 0,
        "watchlists_as_of": when(post.feed_as_of) if post else None,
    }
