"""Where other apps join the desk without the border app knowing them.

Screening checks every document before a crossing is recorded and tells the officer about hits; passenger
lists tell the officer a traveller was expected, and link the crossing to the list. Each app registers one
`DeskHook` in its AppConfig.ready(); the desk and `crossing_record` call every registered hook.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from corredor.border.documents import DocumentInput

if TYPE_CHECKING:
    from corredor.border.models import Crossing, TravelDocument, Traveller

NoticeLevel = Literal["danger", "protect", "warning", "info"]


@dataclass(frozen=True)
class DeskNotice:
    """Something the officer must see before deciding: a hit, an expected arrival.

    `level` decides how it reads: "danger" (an enforcement alert), "protect" (a protective alert: a missing
    child, a possible trafficking victim), "warning", or "info". `blocking`: the crossing cannot be admitted
    while the notice stands. A blocking or a "protect" notice makes Refer the desk's default decision.
    `prefill`: values the notice knows for the decision form (a passenger list knows the flight), by the
    form's field name; the officer can still change them. `panel`: HTML the hook renders itself (already
    escaped) to put inside the decision form; its fields are named `hook_...` and come back to the hooks as
    `CrossingContext.answers` when the decision is recorded.
    """

    source: str
    level: NoticeLevel
    title: str
    lines: tuple[str, ...] = ()
    blocking: bool = False
    prefill: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    panel: str = ""


@dataclass(frozen=True)
class CrossingContext:
    """What is known when a document is read at a post (before any crossing is recorded)."""

    document: DocumentInput
    post_code: str
    officer: Any
    travel_document: "TravelDocument | None" = None
    traveller: "Traveller | None" = None
    direction: str | None = None
    decision: str | None = None
    # What a hook found in `before_record` and wants again in `after_record` for the same crossing (e.g. the
    # screening result, not to screen twice), under the hook's name.
    found: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The `hook_...` fields of the desk's decision form (a hook's panel), by name.
    answers: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


class DeskHook:
    """Override what the app needs; the defaults do nothing."""

    name = "hook"

    def notices(self, context: CrossingContext) -> list[DeskNotice]:
        """Notices shown at the desk after a scan."""
        return []

    def before_record(self, context: CrossingContext) -> str | None:
        """Runs inside `crossing_record` before the crossing is written. Returns a screening outcome to store
        on the crossing ("clear", "hit", ...), or None; raising ApplicationError refuses the crossing."""
        return None

    def after_record(self, crossing: "Crossing", context: CrossingContext) -> None:
        """Runs inside the same transaction once the crossing is written."""


_hooks: list[DeskHook] = []

# When several hooks give an outcome, the most serious one is stored on the crossing.
OUTCOME_ORDER = ["not_screened", "clear", "cleared", "hit"]


def register(hook: DeskHook) -> None:
    if all(type(h) is not type(hook) for h in _hooks):
        _hooks.append(hook)


def registered() -> list[DeskHook]:
    return list(_hooks)


def desk_notices(context: CrossingContext) -> list[DeskNotice]:
    notices: list[DeskNotice] = []
    for hook in _hooks:
        notices.extend(hook.notices(context))
    return notices


def before_record(context: CrossingContext) -> str:
    outcome = "not_screened"
    for hook in _hooks:
        result = hook.before_record(context)
        if result is not None and _rank(result) >= _rank(outcome):
            outcome = result
    return outcome


def after_record(crossing: "Crossing", context: CrossingContext) -> None:
    for hook in _hooks:
        hook.after_record(crossing, context)


def _rank(outcome: str) -> int:
    return OUTCOME_ORDER.index(outcome) if outcome in OUTCOME_ORDER else len(OUTCOME_ORDER)
