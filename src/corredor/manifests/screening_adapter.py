"""The one place where passenger lists meet the screening app, which may not be installed.

Lists are screened through `corredor.screening.services.screen_subjects` (source "manifest", the subject's
reference being the list entry's `screening_ref`). When the screening app is not installed, or screening
fails, every person is marked "not screened" with the reason, and the list is stored all the same: a list
that cannot be screened is still worth having at the desk.
"""

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SOURCE = "manifest"
# Hit statuses the screening app gives; an open hit is still to be adjudicated.
OPEN = "open"
TRUE_MATCH = "true_match"
FALSE_MATCH = "false_match"


@dataclass(frozen=True)
class Subject:
    """A list entry as screening sees it (the fields of `corredor.matching.records.Traveller`)."""

    ref: str
    surname: str
    given_names: str
    birth_date: Any
    nationality: str
    sex: str
    document_number: str
    issuing_state: str


@dataclass
class Outcome:
    """What screening said about one subject: "clear", "hit" (with the hits) or "not_screened" (and why)."""

    status: str
    hits: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def screening_installed() -> bool:
    """True when the screening app is installed and offers batch screening."""
    if not apps.is_installed("corredor.screening"):
        return False
    try:
        from corredor.screening import services
    except ImportError:
        return False
    return hasattr(services, "screen_subjects")


def _screen_subjects() -> Callable[..., dict[str, list[Any]]] | None:
    if not screening_installed():
        return None
    from corredor.screening.services import screen_subjects

    return screen_subjects


def _traveller(subject: Subject) -> Any:
    from corredor.matching.records import Name, PartialDate, Sex, Traveller

    sexes: dict[str, Sex] = {"M": "M", "F": "F", "X": "X"}

    return Traveller(
        name=Name(surname=subject.surname, given_names=subject.given_names),
        birth_date=PartialDate.from_date(subject.birth_date) if subject.birth_date else None,
        nationality=subject.nationality or None,
        sex=sexes.get(subject.sex or ""),
        document_number=subject.document_number,
        issuing_state=subject.issuing_state,
    )


def hit_summary(hit: Any) -> dict[str, Any]:
    """What a list entry keeps of a hit: its id, status when screened, and a line to show."""
    return {
        "id": str(getattr(hit, "pk", None) or getattr(hit, "id", "")),
        "status": str(getattr(hit, "status", OPEN) or OPEN),
        "summary": str(hit)[:200],
    }


def screen(subjects: Sequence[Subject], *, post_code: str) -> dict[str, Outcome]:
    """Screen `subjects` at once; an outcome for every subject's `ref`, whatever happens."""
    if not subjects:
        return {}
    screen_subjects = _screen_subjects()
    if screen_subjects is None:
        note = _("The screening app is not installed.")
        return {s.ref: Outcome("not_screened", note=note) for s in subjects}
    try:
        # Inside a transaction, a savepoint: a screening failure must not break it. Outside one (how lists
        # are screened, a batch at a time after they are stored), no transaction: the index lookups must not
        # hold the database's write lock; screening writes its hits in a short transaction of its own.
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            found = screen_subjects(
                subjects=[(s.ref, _traveller(s)) for s in subjects],
                source=SOURCE,
                post_code=post_code,
                crossing=None,
            )
    except Exception as error:  # the list is stored unscreened rather than lost
        logger.exception("pre-arrival screening failed")
        note = _("Screening failed: %(error)s") % {"error": str(error)[:150]}
        return {s.ref: Outcome("not_screened", note=note) for s in subjects}
    outcomes = {}
    for subject in subjects:
        hits = [hit_summary(hit) for hit in found.get(subject.ref, [])]
        outcomes[subject.ref] = Outcome("hit" if hits else "clear", hits=hits)
    return outcomes


def _hit_model() -> Any:
    if not screening_installed():
        return None
    try:
        return apps.get_model("screening", "Hit")
    except LookupError:
        return None


@dataclass(frozen=True)
class HitNow:
    status: str
    description: str  # what was hit, in the active language, without the status


def hits_now(hit_ids: Sequence[str]) -> dict[str, HitNow]:
    """The hits as they are now (they are adjudicated in the screening app): their status, and what was hit
    in the reader's language; {} without the app."""
    model = _hit_model()
    if model is None or not hit_ids:
        return {}
    try:
        rows = model.objects.filter(pk__in=list(hit_ids)).select_related("person_alert", "document_alert")
        return {
            str(hit.pk): HitNow(str(hit.status), str(getattr(hit, "description", "") or hit)) for hit in rows
        }
    except Exception:  # a screening app with another shape: show what was stored at screening time
        logger.exception("reading hits failed")
        return {}


def hit_statuses(hit_ids: Sequence[str]) -> dict[str, str]:
    """The hits' statuses now; {} without the screening app."""
    model = _hit_model()
    if model is None or not hit_ids:
        return {}
    try:
        rows = model.objects.filter(pk__in=list(hit_ids)).values_list("pk", "status")
        return {str(pk): str(status) for pk, status in rows}
    except Exception:  # a screening app with another shape: show what was stored at screening time
        logger.exception("reading hit statuses failed")
        return {}


def hit_states(stored: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each stored hit's status now: from the screening app when it knows the hit, else as stored when the
    list was screened (open when nothing was stored). The one rule for the desk, the flights and boarding."""
    states = {str(hit["id"]): str(hit.get("status") or OPEN) for hit in stored}
    states.update(hit_statuses(list(states)))
    return states


def hit_url(hit_id: str) -> str | None:
    """Where the hit is adjudicated in the screening app, when it says so."""
    if not screening_installed():
        return None
    for name in ("screening-hit", "screening:hit", "hit-detail"):
        try:
            return reverse(name, args=[hit_id])
        except NoReverseMatch:
            continue
    return None
