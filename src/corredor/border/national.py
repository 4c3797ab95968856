"""The traveller's national history at a post's desk (issue 13, part 3).

A post holds only the crossings made there; central holds every post's. While the link is up the desk asks
central (through the sync app, signed with the post's device key, waiting CORREDOR_SYNC_HISTORY_TIMEOUT
seconds at most) and shows what it answers; when central is slow, unreachable or the post not enrolled, the
desk says that the history it shows is the post's own, as of the post's last sync. Nothing central answers is
stored at the post. Central's side (`history_answer`) reads the record as the asking officer, with the same
role check, visibility rule and audit as the traveller's page.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from corredor.border import selectors
from corredor.border.hooks import CrossingContext, DeskHook, DeskNotice
from corredor.border.models import Crossing, Decision, Direction, Traveller
from corredor.core.audit import audit_write
from corredor.core.permissions import permit_personal_data


def _crossing_out(crossing: Crossing | None) -> dict[str, Any] | None:
    if crossing is None:
        return None
    stay = crossing.stay if hasattr(crossing, "stay") else None  # (a reverse one-to-one: absent raises)
    return {
        "id": str(crossing.pk),
        "occurred_at": crossing.occurred_at.isoformat(),
        "post": crossing.post_id,
        "direction": crossing.direction,
        "decision": crossing.decision,
        "stay_category": stay.category_id if stay is not None else "",
        "authorised_until": stay.authorised_until.isoformat() if stay and stay.authorised_until else None,
        "corrected": hasattr(crossing, "corrected_by"),
    }


def history_answer(
    user: Any, *, issuing_state: str = "", number: str = "", traveller_id: str = ""
) -> dict[str, Any]:
    """Central's answer (registered with sync): the traveller's crossings at every post the officer may see,
    those at other posts counted, and the status derived from all of them."""
    traveller_pk: Any = None
    if issuing_state and number:
        document = selectors.document_find(issuing_state=issuing_state, number=number)
        traveller_pk = document.traveller_id if document is not None else None
    if traveller_pk is None and traveller_id:
        # The post's id for a traveller central may not hold yet (not pushed) or holds under another id.
        try:
            wanted = uuid.UUID(traveller_id)
        except ValueError:
            wanted = None
        if wanted is not None and Traveller.objects.filter(pk=wanted).exists():
            traveller_pk = wanted
    if traveller_pk is None:
        permit_personal_data(user)
        audit_write(action="read", object_type="border.traveller", summary="national history: not found")
        return {"found": False}
    history = selectors.traveller_get(
        user=user, traveller_id=traveller_pk, purpose=f"national history for {user.border_post_id}"
    )
    status = history.status
    return {
        "found": True,
        "traveller_id": str(history.traveller.pk),
        "in_country": status.in_country,
        "authorised_until": status.authorised_until.isoformat() if status.authorised_until else None,
        "overstay_days": status.overstay_days,
        "last_crossing": _crossing_out(status.last_crossing),
        "crossings": [_crossing_out(c) for c in history.crossings],
        "hidden_crossings": history.hidden_crossings,
    }


def _when(text: str | None) -> datetime | None:
    moment = parse_datetime(text) if text else None
    return timezone.localtime(moment) if moment is not None and timezone.is_aware(moment) else moment


def _day(text: str | None) -> date | None:
    return parse_date(text) if text else None


def _row(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not data:
        return None
    return {
        **data,
        "occurred_at": _when(data.get("occurred_at")),
        "authorised_until": _day(data.get("authorised_until")),
        "direction_display": Direction(data["direction"]).label
        if data.get("direction") in Direction.values
        else data.get("direction"),
        "decision_display": Decision(data["decision"]).label
        if data.get("decision") in Decision.values
        else data.get("decision"),
    }


class NationalHistoryHook(DeskHook):
    """At a post only: the desk's panel with central's answer, or the label of the local history."""

    name = "national_history"

    def notices(self, context: CrossingContext) -> list[DeskNotice]:
        if settings.CORREDOR_MODE != "post":
            return []
        from corredor.sync import post as sync_post

        document = context.document
        try:
            answer = sync_post.national_history(
                user=context.officer,
                issuing_state=document.issuing_state,
                number=document.number,
                traveller_id=str(context.traveller.pk) if context.traveller is not None else "",
            )
        except sync_post.SyncFailed as error:
            html = render_to_string(
                "border/_national_history.html",
                {"origin": "local", "since": sync_post.last_synced_at(), "why": error.message},
            )
            return [
                DeskNotice(source=self.name, level="info", title="", panel=html, data={"origin": "local"})
            ]
        history = {
            **answer,
            "authorised_until": _day(answer.get("authorised_until")),
            "last_crossing": _row(answer.get("last_crossing")),
            "crossings": [_row(c) for c in answer.get("crossings") or []],
            "as_of": _when(answer.get("as_of")),
        }
        html = render_to_string("border/_national_history.html", {"origin": "central", "history": history})
        return [DeskNotice(source=self.name, level="info", title="", panel=html, data={"origin": "central"})]
