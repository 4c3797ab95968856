"""Who may do what. Each check raises PermissionDenied with a message the person can act on, and the refusal
is written to the audit log.

Every app builds its refusals with `refuse()` (one shape, one audit action). The refusal's audit row is
written at once when no transaction is open; inside one it is written by the error boundary after the
rollback (see `corredor.core.errors`), so a permission check may sit anywhere inside an atomic service.
"""

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from corredor.core.audit import current_actor
from corredor.core.errors import PermissionDenied, audit_refusal
from corredor.core.models import Role

# Roles that may see a named traveller's record. Analysts see aggregates only; auditors see the audit log.
PERSONAL_DATA_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
POST_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _in_transaction() -> bool:
    # A test case's own wrapping transaction does not count: it is never rolled back under the request.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def refuse(user: Any, message: str, what: str, *, detail: Any = None) -> PermissionDenied:
    """The refusal to raise: `raise refuse(user, _("Only ..."), "what:id")`. `what` names what was refused
    in the audit log (`post:SJO`, `personal_data`). The audit row is written now, or, inside a transaction
    that the refusal will roll back, by the error boundary afterwards."""
    error = PermissionDenied(message, detail=detail, what=what, actor=current_actor())
    if not _in_transaction():
        audit_refusal(error)
    return error


# The name the apps used before `refuse` was public.
_refuse = refuse


def has_role(user: Any, *roles: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role in roles)


def permit_personal_data(user: Any) -> None:
    """Refuse anyone whose role does not allow reading named travellers' records."""
    if not has_role(user, *PERSONAL_DATA_ROLES):
        raise refuse(user, _("Your role does not give access to travellers' personal data."), "personal_data")


def permit_post(user: Any, post_code: str) -> None:
    """Refuse an officer or supervisor acting for a post other than their own."""
    permit_personal_data(user)
    if user.role in POST_ROLES and user.border_post_id != post_code:
        raise refuse(
            user,
            _("You work at post %(own)s and cannot act for post %(other)s.")
            % {"own": user.border_post_id, "other": post_code},
            f"post:{post_code}",
        )


def permit_supervise(user: Any, post_code: str | None = None) -> None:
    """Refuse anyone who is not a supervisor of the post (or an administrator)."""
    if not has_role(user, Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise refuse(user, _("Only supervisors and administrators can see this."), "supervision")
    if post_code is not None and user.role == Role.SUPERVISOR and user.border_post_id != post_code:
        raise refuse(
            user,
            _("You supervise post %(own)s, not %(other)s.")
            % {"own": user.border_post_id, "other": post_code},
            f"post:{post_code}",
        )


def permit_audit_log(user: Any) -> None:
    if not has_role(user, Role.AUDITOR, Role.ADMINISTRATOR):
        raise refuse(user, _("Only auditors and administrators can read the audit log."), "audit_log")


def visible_post_codes(user: Any) -> list[str] | None:
    """The posts whose crossings the user may list; None means all."""
    if user.role in POST_ROLES:
        return [user.border_post_id]
    return None
