"""Who may do what in screening: watchlists are for their managers and administrators; hits for the
supervisors of the post where they were found (and administrators); a verdict that holds at every post only
from an administrator. Each check raises the one refusal (`corredor.core.permissions.refuse`): a message
the person can act on, audited even when the refusing service's transaction is rolled back."""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, permit_supervise, refuse

WATCHLIST_ROLES = (Role.WATCHLIST_MANAGER, Role.ADMINISTRATOR)
#: Roles whose verdict on a hit may hold at every post. A supervisor's holds at their own post only.
NATIONAL_VERDICT_ROLES = (Role.ADMINISTRATOR,)


def permit_watchlists(user: Any) -> None:
    """Refuse anyone who is not a watchlist manager or an administrator: officers never see a list."""
    if not has_role(user, *WATCHLIST_ROLES):
        raise refuse(
            user, _("Only watchlist managers and administrators can see or change watchlists."), "watchlists"
        )


def permit_hits(user: Any, post_code: str | None = None) -> None:
    """Refuse anyone who is not a supervisor of the post (or an administrator): hits name travellers."""
    permit_supervise(user, post_code)


def permit_adjudicate(user: Any, *, post_code: str | None, scope: str) -> None:
    """Refuse anyone who does not supervise the hit's post, and a national verdict from a role that may not
    give one (a supervisor's verdict holds at their post)."""
    permit_supervise(user, post_code)
    if scope == "national" and not has_role(user, *NATIONAL_VERDICT_ROLES):
        raise refuse(
            user,
            _(
                "Only an administrator can give a verdict that holds at every post; "
                "yours holds at post %(post)s."
            )
            % {"post": post_code or "-"},
            "national_verdict",
        )
