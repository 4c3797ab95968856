"""Passenger lists at the desk: "expected on flight X" when the document is read, and the crossing linked to
the list entry once it is recorded."""

import logging
from typing import Any, Literal

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corredor.border.hooks import CrossingContext, DeskHook, DeskNotice
from corredor.manifests import screening_adapter, services
from corredor.manifests.models import Direction, ManifestPerson, ScreeningStatus

logger = logging.getLogger(__name__)


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else "?"


def person_notice(person: ManifestPerson) -> DeskNotice:
    """The notice the officer sees for a traveller found on a list."""
    flight = person.manifest_list.flight
    arriving = flight.direction == Direction.ARRIVAL
    if person.role == "crew":
        title = _("Crew member on flight %(flight)s") % {"flight": flight.designator}
    elif arriving:
        title = _("Expected on flight %(flight)s") % {"flight": flight.designator}
    else:
        title = _("Booked on departing flight %(flight)s") % {"flight": flight.designator}
    lines = [
        (
            _("Scheduled to arrive %(time)s from %(airport)s; list received %(received)s.")
            if arriving
            else _("Scheduled to leave %(time)s for %(airport)s; list received %(received)s.")
        )
        % {
            "time": _local(flight.expected_at),
            "airport": flight.departure_airport if arriving else flight.arrival_airport,
            "received": timezone.localtime(person.manifest_list.received_at).strftime("%Y-%m-%d %H:%M"),
        }
    ]
    booking = " ".join(person.booking_references)
    if person.seat or booking:
        lines.append(
            _("Seat %(seat)s, booking %(booking)s.") % {"seat": person.seat or "—", "booking": booking or "—"}
        )
    level: Literal["warning", "info"] = "info"
    if person.screening_status == ScreeningStatus.HIT:
        statuses = screening_adapter.hit_states(person.hits)
        now = [statuses[str(hit["id"])] for hit in person.hits]
        still_open = now.count(screening_adapter.OPEN)
        confirmed = now.count(screening_adapter.TRUE_MATCH)
        if still_open or confirmed:
            level = "warning"
        if still_open:
            lines.append(
                ngettext(
                    "Pre-arrival screening: %(count)s hit to adjudicate.",
                    "Pre-arrival screening: %(count)s hits to adjudicate.",
                    still_open,
                )
                % {"count": still_open}
            )
        if confirmed:
            lines.append(
                ngettext(
                    "Pre-arrival screening: %(count)s hit confirmed as the listed person.",
                    "Pre-arrival screening: %(count)s hits confirmed as the listed person.",
                    confirmed,
                )
                % {"count": confirmed}
            )
        if not still_open and not confirmed:
            lines.append(_("Pre-arrival screening: hits adjudicated as false matches."))
    elif person.screening_status == ScreeningStatus.CLEAR:
        lines.append(_("Pre-arrival screening: no hit."))
    else:
        lines.append(_("Not screened before arrival."))
    return DeskNotice(
        source="manifests",
        level=level,
        title=title,
        lines=tuple(lines),
        data={"person_id": str(person.pk), "flight_id": str(flight.pk), "flight": flight.designator},
        prefill={"transport_reference": flight.designator} if arriving else {},
    )


class ManifestDeskHook(DeskHook):
    name = "manifests"

    def notices(self, context: CrossingContext) -> list[DeskNotice]:
        document = context.document
        found = services.expected_entries(
            post_code=context.post_code,
            issuing_state=document.issuing_state,
            number=document.number,
            surname=document.surname,
            given_names=document.given_names,
            birth_date=document.birth_date,
            at=timezone.now(),
        )
        return [person_notice(person) for person in found[:2]]

    def after_record(self, crossing: Any, context: CrossingContext) -> None:
        # A failure to link must not refuse the crossing: the link is a convenience, the crossing a fact.
        try:
            with transaction.atomic():
                services.crossing_link(crossing=crossing)
        except DatabaseError:
            logger.exception("linking crossing %s to a passenger list failed", crossing.pk)
