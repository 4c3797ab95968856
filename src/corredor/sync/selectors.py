"""Sync's reads: every post's device with its lag and last contact (central), this post's own state."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from corredor.core.permissions import permit_supervise
from corredor.sync.models import Conflict, Device


@dataclass
class DeviceRow:
    device: Device
    silent: bool
    lag: timedelta | None  # how old the oldest record waiting at the post is
    conflicts: int


def device_rows(*, now: datetime | None = None, post_code: str | None = None) -> list[DeviceRow]:
    moment = now or timezone.now()
    silent_after = timedelta(hours=settings.CORREDOR_SYNC_SILENT_HOURS)
    devices = Device.objects.select_related("post").order_by("post_id", "id")
    if post_code is not None:
        devices = devices.filter(post_id=post_code)
    conflicts: dict[str, int] = {}
    for device_id in Conflict.objects.values_list("device_id", flat=True):
        conflicts[device_id] = conflicts.get(device_id, 0) + 1
    rows = []
    for device in devices:
        silent = device.revoked_at is None and (
            device.last_contact_at is None or moment - device.last_contact_at > silent_after
        )
        lag = moment - device.oldest_pending_at if device.pending and device.oldest_pending_at else None
        rows.append(DeviceRow(device, silent, lag, conflicts.get(device.id, 0)))
    return rows


def sync_overview(*, user: Any, now: datetime | None = None) -> list[DeviceRow]:
    """Every post's devices, for administrators; a supervisor sees their own post's."""
    permit_supervise(user)
    own = user.border_post_id if user.role == "supervisor" else None
    return device_rows(now=now, post_code=own)
