"""Who may send and read passenger lists. Refusals are written to the audit log, as core's are.

- Sending: carrier accounts, for their own carriers' flights only.
- A post's flights and the people on them: its officers and supervisors, and administrators (the people
  on a list are personal data: analysts and carrier accounts are refused).
- API coverage per carrier (an aggregate): analysts, supervisors (their post), administrators.
"""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import PermissionDenied
from corredor.core.models import Role
from corredor.core.permissions import has_role, permit_post


def refuse(message: str, what: str) -> PermissionDenied:
    audit_write(action="denied", object_type="permission", object_id=what, summary=message)
    return PermissionDenied(message)


def permit_flights(user: Any, post_code: str) -> None:
    """Refuse anyone who may not see the post's flights and the people on their lists."""
    permit_post(user, post_code)


def permit_coverage(user: Any, post_code: str | None) -> str | None:
    """Refuse anyone who may not see API coverage; returns the post a supervisor is limited to."""
    if (
        not has_role(user, Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
        or user.carrier_accounts.exists()
    ):
        raise refuse(_("Only analysts, supervisors and administrators can see API coverage."), "coverage")
    if user.role == Role.SUPERVISOR:
        if post_code and post_code != user.border_post_id:
            raise refuse(
                _("You supervise post %(own)s, not %(other)s.")
                % {"own": user.border_post_id, "other": post_code},
                f"post:{post_code}",
            )
        return str(user.border_post_id)
    return post_code
