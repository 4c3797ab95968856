"""Who may do what in screening: watchlists are for their managers and administrators; hits for the
supervisors of the post where they were found (and administrators). Each check raises PermissionDenied with
a message the person can act on, and the refusal is written to the audit log."""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import PermissionDenied
from corredor.core.models import Role
from corredor.core.permissions import has_role

WATCHLIST_ROLES = (Role.WATCHLIST_MANAGER, Role.ADMINISTRATOR)


def permit_watchlists(user: Any) -> None:
    """Refuse anyone who is not a watchlist manager or an administrator: officers never see a list."""
    if not has_role(user, *WATCHLIST_ROLES):
        message = _("Only watchlist managers and administrators can see or change watchlists.")
        audit_write(action="denied", object_type="permission", object_id="watchlists", summary=message)
        raise PermissionDenied(message)
