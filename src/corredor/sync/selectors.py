"""Sync's reads: every post's device with its lag and last contact (central), this post's own state, and
central's answer to a post asking for a traveller's national history."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import NotFound
from corredor.core.permissions import permit_supervise, refuse
from corredor.sync import registry
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


# --- the national history (central's answer to a post) ------------------------------------------------------


def national_history(
    *,
    device: Device,
    username: str,
    issuing_state: str = "",
    number: str = "",
    traveller_id: str = "",
) -> dict[str, Any]:
    """A traveller's crossings at every post, asked by an officer at `device`'s post while the link is up.

    The officer must be one of that post's users (refused and audited otherwise); the app that keeps the
    crossings answers as that officer, so their role is checked and the read is audited like any read of a
    traveller's record, with the device in the audit entry's origin."""
    answer = registry.history_answer()
    if answer is None:
        raise NotFound(_("Central keeps no travellers' history."))
    user = (
        get_user_model()._default_manager.filter(username=username, is_active=True).first()
        if username
        else None
    )
    actor = actor_for(user, f"sync {device.post_id} device {device.id}")
    with acting_as(actor):
        if user is None or getattr(user, "border_post_id", None) != device.post_id:
            raise refuse(
                user,
                _("Only the officers of post %(post)s may ask central from its device.")
                % {"post": device.post_id},
                f"sync:{device.id}",
                detail={"user": username[:150]},
            )
        return answer(user, issuing_state=issuing_state, number=number, traveller_id=traveller_id)
