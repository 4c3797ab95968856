"""Who may do what in screening: watchlists are for their managers and administrators; hits for the
supervisors of the post where they were found (and administrators). Each check raises PermissionDenied with
a message the person can act on, and the refusal is written to the audit log."""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import PermissionDenied
from corredor.core.models import Role
from corredor.core.permissions import has_role, permit_supervise

WATCHLIST_ROLES = (Role.WATCHLIST_MANAGER, Role.ADMINISTRATOR)


def permit_watchlists(user: Any) -> None:
    """Refuse anyone who is not a watchlist manager or an administrator: officers never see a list."""
    if not has_role(user, *WATCHLIST_ROLES):
        message = _("Only watchlist managers and administrators can see or change watchlists.")
        audit_write(action="denied", object_type="permission", object_id="watchlists", summary=message)
        raise PermissionDenied(message)


#: Roles whose verdict on a hit may hold at every post. A supervisor's holds at their own post only.
NATIONAL_VERDICT_ROLES = (Role.ADMINISTRATOR,)


def permit_adjudicate(user: Any, *, post_code: str | None, scope: str) -> None:
    """Refuse anyone who does not supervise the hit's post, and a national verdict from a role that may not
    give one (a supervisor's verdict holds at their post)."""
    permit_supervise(user, post_code)
    if scope == "national" and not has_role(user, *NATIONAL_VERDICT_ROLES):
        message = _(
            "Only an administrator can give a verdict that holds at every post; yours holds at post %(post)s."
        ) % {"post": post_code or "-"}
        audit_write(action="denied", object_type="permission", object_id="national_verdict", summary=message)
        raise PermissionDenied(message)
