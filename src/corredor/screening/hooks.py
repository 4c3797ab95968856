"""Screening at the desk: notices after a scan, a refusal of an admission a hit stands against, hits stored
with the crossing.

- ``notices``: one index lookup, no writes. Enforcement hits read as danger, with what matched and why,
  the action and the note for officers; protective alerts read as protection; reported documents as
  danger with the kind of match; alerts this identity was cleared against read as a small info line.
- ``before_record``: screens again (alerts may have changed since the scan) and refuses an *admitted*
  crossing while a blocking match stands (wanted; refused entry, on entries; an exact match on a reported
  document) that no supervisor has cleared: the officer refers the traveller, a supervisor adjudicates.
  Returns the outcome stored on the crossing: ``hit``, ``cleared`` or ``clear``.
- ``after_record``: stores the standing matches as hits linked to the crossing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from corredor.border.hooks import CrossingContext, DeskHook, DeskNotice
from corredor.core.errors import ApplicationError
from corredor.icao.countries import country_to_alpha3
from corredor.matching.records import Name, PartialDate, Traveller
from corredor.screening import selectors, services
from corredor.screening.models import Category, DocumentReason, HitSource
from corredor.screening.wording import match_kind_text, reasons_as_text

if TYPE_CHECKING:
    from corredor.border.documents import DocumentInput
    from corredor.border.models import Crossing


def traveller_of(document: DocumentInput) -> Traveller:
    """What the desk knows of the traveller, as the matching core takes it."""
    nationality = (document.nationality or "").strip().upper()
    sex = (document.sex or "").strip().upper()
    return Traveller(
        name=Name(surname=document.surname or "", given_names=document.given_names or ""),
        birth_date=PartialDate.from_date(document.birth_date) if document.birth_date else None,
        nationality=(country_to_alpha3(nationality) or nationality) if nationality else None,
        sex=sex if sex in ("M", "F", "X") else None,  # type: ignore[arg-type]
        document_number=document.number or "",
        issuing_state=document.issuing_state or "",
    )


def _day(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "Y-m-d") if value else "?"


def _listed_as(match: selectors.PersonMatch) -> str:
    alert = match.alert
    details = [alert.display_name]
    if alert.birth_date:
        details.append(_("born %(date)s") % {"date": alert.birth_date})
    if alert.nationality:
        details.append(alert.nationality)
    if alert.aliases:
        details.append(_("also known as %(aliases)s") % {"aliases": ", ".join(alert.aliases[:5])})
    return _("Listed as: %(who)s (%(list)s, entry %(id)s).") % {
        "who": "; ".join(details),
        "list": alert.watchlist.name,
        "id": alert.external_id,
    }


_PROTECT_TITLES = {
    Category.MISSING_CHILD: lambda: _("Possible missing child"),
    Category.MISSING_PERSON: lambda: _("Possible missing person"),
    Category.TRAFFICKING_VICTIM: lambda: _("Possible trafficking victim"),
}


def _person_notice(match: selectors.PersonMatch, direction: str | None) -> DeskNotice:
    alert = match.alert
    score = round(match.hit.score * 100)
    lines = []
    if alert.protective:
        title = _("%(what)s (protective alert, match %(score)s%%)") % {
            "what": _PROTECT_TITLES[alert.category](),  # type: ignore[index]
            "score": score,
        }
        lines.append(alert.officer_action)
    else:
        title = _("Watchlist hit: %(category)s (match %(score)s%%)") % {
            "category": alert.get_category_display(),
            "score": score,
        }
    lines.append(_listed_as(match))
    lines.append(_("Why: %(reasons)s.") % {"reasons": "; ".join(reasons_as_text(match.hit.reasons))})
    if not alert.protective:
        lines.append(_("Action: %(action)s") % {"action": alert.officer_action})
    if alert.note:
        lines.append(_("Note for officers: %(note)s") % {"note": alert.note})
    if match.confirmed is not None:
        lines.append(
            _("Confirmed as the listed person by %(by)s on %(date)s.")
            % {"by": match.confirmed.by, "date": _day(match.confirmed.at)}
        )
    blocks = match.blocks(direction if direction else "entry")
    if blocks and match.confirmed is not None:
        # Adjudicated already: no supervisor is awaited, the confirmed alert itself stops admission.
        lines.append(
            _("Admission is not possible: the hit is confirmed. Refuse entry or refer the traveller.")
        )
    elif blocks:
        lines.append(_("Admission is stopped until a supervisor adjudicates this hit: refer the traveller."))
    return DeskNotice(
        source="screening",
        level="protect" if alert.protective else "danger",
        title=title,
        lines=tuple(lines),
        blocking=blocks,
        data={"kind": "person", "alert": alert.pk, "category": alert.category, "score": match.hit.score},
    )


def _document_notice(match: selectors.DocumentMatch) -> DeskNotice:
    alert = match.alert
    title = _("Document reported %(reason)s: %(kind)s") % {
        "reason": DocumentReason(alert.reason).label.lower(),
        "kind": match_kind_text(match.hit.kind),
    }
    listed = _("Listed: %(type)s %(state)s %(number)s, reported %(date)s (%(list)s, entry %(id)s).") % {
        "type": alert.get_document_type_display() or _("document"),
        "state": alert.issuing_state,
        "number": alert.number,
        "date": _day(alert.reported_on),
        "list": alert.watchlist.name,
        "id": alert.external_id,
    }
    lines = [listed, _("Why: %(reasons)s.") % {"reasons": "; ".join(reasons_as_text(match.hit.reasons))}]
    if match.hit.kind == "exact":
        lines.append(_("Action: keep the document and refer the traveller to the supervisor."))
        if match.confirmed is not None:
            lines.append(
                _("Admission is not possible: the hit is confirmed. Refuse entry or refer the traveller.")
            )
        else:
            lines.append(
                _("Admission is stopped until a supervisor adjudicates this hit: refer the traveller.")
            )
    else:
        lines.append(
            _(
                "Action: compare the number on the document with the alert; refer the traveller if it is the "
                "same document."
            )
        )
    if alert.note:
        lines.append(_("Note for officers: %(note)s") % {"note": alert.note})
    return DeskNotice(
        source="screening",
        level="danger",
        title=title,
        lines=tuple(lines),
        blocking=match.blocks("entry"),
        data={"kind": "document", "alert": alert.pk, "match": match.hit.kind},
    )


def _cleared_notice(match: selectors.PersonMatch | selectors.DocumentMatch) -> DeskNotice:
    cleared = match.cleared
    assert cleared is not None
    alert = match.alert
    what = (
        f"{match.alert.get_category_display()}: {match.alert.display_name}"
        if isinstance(match, selectors.PersonMatch)
        else f"{match.alert.get_reason_display()}: {match.alert.issuing_state} {match.alert.number}"
    )
    return DeskNotice(
        source="screening",
        level="info",
        title=_("Previously cleared by %(by)s on %(date)s") % {"by": cleared.by, "date": _day(cleared.at)},
        lines=(
            _("Not this traveller: %(what)s (%(reason)s).")
            % {"what": what, "reason": cleared.reason.strip().rstrip(".")},
        ),
        data={"kind": "cleared", "alert": alert.pk},
    )


def notices_for(screening: selectors.Screening, *, direction: str | None = None) -> list[DeskNotice]:
    """The desk's notices for one screening: danger, then protection, then earlier clearances."""
    danger: list[DeskNotice] = []
    protect: list[DeskNotice] = []
    info: list[DeskNotice] = []
    for person in screening.persons:
        if person.cleared is not None:
            info.append(_cleared_notice(person))
        else:
            (protect if person.protective else danger).append(_person_notice(person, direction))
    for document in screening.documents:
        if document.cleared is not None:
            info.append(_cleared_notice(document))
        else:
            danger.append(_document_notice(document))
    return [*danger, *protect, *info]


def refusal_message(blocking: list[selectors.PersonMatch | selectors.DocumentMatch]) -> str:
    what = []
    for match in blocking:
        if isinstance(match, selectors.PersonMatch):
            what.append(f"{match.alert.get_category_display()}: {match.alert.display_name}")
        else:
            what.append(
                _("document reported %(reason)s")
                % {"reason": DocumentReason(match.alert.reason).label.lower()}
            )
    return _(
        "Not admitted: a screening hit stands (%(what)s). Refer the traveller so that a supervisor "
        "adjudicates the hit, or refuse entry."
    ) % {"what": "; ".join(what)}


class ScreeningHook(DeskHook):
    """Screening's place at the desk (registered in ScreeningConfig.ready)."""

    name = "screening"

    def notices(self, context: CrossingContext) -> list[DeskNotice]:
        screening = selectors.screening_run(traveller=traveller_of(context.document), post=context.post_code)
        # Hooks after this one (protection asks whether a protective alert was hit) read it, not screen again.
        context.found[self.name] = screening
        return notices_for(screening, direction=context.direction)

    def before_record(self, context: CrossingContext) -> str | None:
        screening = selectors.screening_run(traveller=traveller_of(context.document), post=context.post_code)
        if context.decision == "admitted":
            blocking = screening.blocking(context.direction)
            if blocking:
                raise ApplicationError(
                    refusal_message(blocking),
                    status=409,
                    detail={
                        "screening": "hit",
                        "alerts": [
                            {
                                "kind": "person" if isinstance(m, selectors.PersonMatch) else "document",
                                "id": m.alert.pk,
                            }
                            for m in blocking
                        ],
                    },
                )
        context.found[self.name] = screening
        return screening.outcome

    def after_record(self, crossing: Crossing, context: CrossingContext) -> None:
        screening = context.found.get(self.name)
        if screening is None:  # a caller that did not go through before_record
            screening = selectors.screening_run(
                traveller=traveller_of(context.document), post=context.post_code
            )
        services.hits_store(
            screening=screening,
            source=HitSource.DESK,
            source_ref=str(crossing.pk),
            post_code=crossing.post_id,
            crossing=crossing,
            traveller_id=crossing.traveller_id,
            officer=crossing.officer,
        )
