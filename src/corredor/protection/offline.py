"""Referrals made at an offline border post travel to central through the post's outbox, like crossings.

A referral at the desk writes four kinds of rows at the post: the vulnerability screening, the case
(awaiting acceptance), its registration event and the referral itself (the transitions table row, which
holds the consent: what data, to whom, for what purpose, or the override and its reason). All four are
declared to sync from `ProtectionConfig.ready` (`register`); the directory of providers flows the other way,
from central to the posts, so that the desk's refer-to list is there while the link is down.

The screening is a fact and goes through sync's own ingest (its traveller and crossing follow central's
aliases). Cases, their events and referrals go through `ingest` here: central stores each once by its UUID,
and from its arrival on central holds it. The caseworker who accepts, plans and closes works on central's
copy, so a batch sent again after that (its acknowledgement was lost) is acknowledged as already held, never
applied over central's later state and never flagged as a conflict. A purged case does not come back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from corredor.core.errors import ApplicationError
from corredor.core.permissions import refuse
from corredor.core.queries import matching
from corredor.core.retention import purged_ids
from corredor.sync import registry, serialize

CASE = "protection.case"
EVENT = "protection.caseevent"
TRANSITION = "protection.transition"
SCREENING = "protection.vulnerabilityscreening"


def register() -> None:
    """Declare what of protection travels (called from ProtectionConfig.ready)."""
    registry.outbound_register(SCREENING, post_field="post")
    registry.outbound_register(CASE, ingest=_ingest_for(CASE))
    # A case event has no device of its own: it belongs to the post whose device made its case.
    registry.outbound_register(EVENT, device_field="", ingest=_ingest_for(EVENT))
    registry.outbound_register(TRANSITION, post_field="from_post", ingest=_ingest_for(TRANSITION))
    registry.published_register("protection.serviceprovider")
    registry.published_register("protection.service")


def _ingest_for(label: str) -> Callable[[Any, dict[str, dict[str, Any]]], int]:
    def ingest(device: Any, rows: dict[str, dict[str, Any]]) -> int:
        return records_ingest(label=label, device=device, rows=rows)

    return ingest


def _traveller_aliases(rows: dict[str, dict[str, Any]]) -> None:
    """A case points at the border's traveller by id (no foreign key): where central already held the
    traveller under another id (the same passport), the case points at central's."""
    from corredor.sync.models import Alias

    wanted = {str(p["traveller_id"]) for p in rows.values() if p.get("traveller_id")}
    if not wanted:
        return
    keys = {serialize.key_of(_model("border.traveller"), value): value for value in wanted}
    found = matching(Alias, "post_pk", keys, ["post_pk", "central_pk"], model_label="border.traveller")
    aliases = dict(found)
    for payload in rows.values():
        value = payload.get("traveller_id")
        if value:
            key = serialize.key_of(_model("border.traveller"), value)
            payload["traveller_id"] = aliases.get(key, payload["traveller_id"])


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _check_events_belong_to_post(device: Any, rows: dict[str, dict[str, Any]]) -> None:
    """An event may only be sent by the post that made its case (sync checks the other models by their own
    device and post fields)."""
    from corredor.sync.models import Device

    own = set(Device.objects.filter(post_id=device.post_id).values_list("id", flat=True))
    case_model = _model(CASE)
    cases = {serialize.key_of(case_model, p.get("case_id")) for p in rows.values() if p.get("case_id")}
    made = {
        serialize.key_text(pk): device_id
        for pk, device_id in matching(case_model, case_model._meta.pk.name, cases, ["pk", "device_id"])
    }
    for pk, payload in rows.items():
        case = payload.get("case_id")
        key = serialize.key_of(case_model, case) if case else ""
        if key not in made:
            raise ApplicationError(
                _("Case event %(id)s points at a case central does not hold.") % {"id": pk},
                detail={"model": EVENT, "pk": pk},
            )
        if made[key] not in own:
            raise refuse(
                None,
                _("Device %(device)s of post %(post)s may only send its own post's records.")
                % {"device": device.id, "post": device.post_id},
                f"sync:{device.id}",
                detail={"model": EVENT, "pk": pk},
            )


def records_ingest(*, label: str, device: Any, rows: dict[str, dict[str, Any]]) -> int:
    """Store a post's cases, case events or referrals, each once by its UUID; answer how many were new.

    Runs inside sync's batch transaction (all of the batch or nothing). Rows central already holds are left
    as central has them; purged ones are not brought back."""
    model = _model(label)
    if label == CASE:
        _traveller_aliases(rows)
    if label == EVENT:
        _check_events_belong_to_post(device, rows)
    gone = {serialize.key_of(model, pk) for pk in purged_ids(label, list(rows))}
    keys = [pk for pk in rows if pk not in gone]
    held = {serialize.key_text(row[0]) for row in matching(model, model._meta.pk.name, keys, ["pk"])}
    new = [serialize.instance(model, rows[pk]) for pk in keys if pk not in held]
    model._default_manager.bulk_create(new, batch_size=500)
    return len(new)
