"""Who may do what. Each check raises PermissionDenied with a message the person can act on, and the refusal
is written to the audit log."""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import PermissionDenied
from corredor.core.models import Role

# Roles that may see a named traveller's record. Analysts see aggregates only; auditors see the audit log.
PERSONAL_DATA_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
POST_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _refuse(user: Any, message: str, what: str) -> PermissionDenied:
    audit_write(action="denied", object_type="permission", object_id=what, summary=message)
    return PermissionDenied(message)


def has_role(user: Any, *roles: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role in roles)


def permit_personal_data(user: Any) -> None:
    """Refuse anyone whose role does not allow reading named travellers' records."""
    if not has_role(user, *PERSONAL_DATA_ROLES):
        raise _refuse(
            user, _("Your role does not give access to travellers' personal data."), "personal_data"
        )


def permit_post(user: Any, post_code: str) -> None:
    """Refuse an officer or supervisor acting for a post other than their own."""
    permit_personal_data(user)
    if user.role in POST_ROLES and user.border_post_id != post_code:
        raise _refuse(
            user,
            _("You work at post %(own)s and cannot act for post %(other)s.")
            % {"own": user.border_post_id, "other": post_code},
            f"post:{post_code}",
        )


def permit_supervise(user: Any, post_code: str | None = None) -> None:
    """Refuse anyone who is not a supervisor of the post (or an administrator)."""
    if not has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise _refuse(user, _("Only supervisors and administrators can see this."), "supervision")
    if post_code is not None and user.role == Role.SUPERVISOR and user.border_post_id != post_code:
        raise _refuse(
            user,
            _("You supervise post %(own)s, not %(other)s.")
            % {"own": user.border_post_id, "other": post_code},
            f"post:{post_code}",
        )


def permit_audit_log(user: Any) -> None:
    if not has_role(user, Role.AUDITOR, Role.ADMINISTRATOR):
        raise _refuse(user, _("Only auditors and administrators can read the audit log."), "audit_log")


def visible_post_codes(user: Any) -> list[str] | None:
    """The posts whose crossings the user may list; None means all."""
    if user.role in POST_ROLES:
        return [user.border_post_id]
    return None
