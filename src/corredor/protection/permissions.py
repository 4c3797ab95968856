"""Who may do what in protection.

- Caseworkers and case managers work for one agency (a `Membership`): they see the cases assigned to them
  or to their agency, and the referrals sent to it; case managers also assign, transfer and revoke.
- Provider users (a clinic, a reintegration partner) see only what a referral shared with their provider,
  and the returns whose reintegration their organisation follows; never the case.
- Border officers make referrals at the desk and see those they made and their status, never the case;
  supervisors see their post's. They record the departure of an assisted return at their post.
- Administrators keep the directory of providers; they do not read cases.

Each check raises the one refusal (`corredor.core.permissions.refuse`), audited.
"""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse
from corredor.protection.models import Case, Membership, ServiceProvider, Transition

CASE_ROLES = (Role.CASEWORKER, Role.CASE_MANAGER)
AGENCY_ROLES = (Role.CASEWORKER, Role.CASE_MANAGER, Role.PROVIDER_USER)
REFERRING_ROLES = (Role.OFFICER, Role.SUPERVISOR)


_UNKNOWN = object()


def agency_of(user: Any) -> ServiceProvider | None:
    """The provider (agency) the user works for, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # (getattr, not __dict__: request.user is a lazy object whose own __dict__ is not the user's.)
    cached = getattr(user, "_protection_agency", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached  # type: ignore[return-value]
    membership = Membership.objects.select_related("provider").filter(user=user).first()
    agency = membership.provider if membership else None
    user._protection_agency = agency
    return agency


def permit_cases(user: Any) -> ServiceProvider:
    """Refuse anyone who is not a caseworker or case manager of an agency; the agency."""
    if not has_role(user, *CASE_ROLES):
        raise refuse(
            user, _("Only caseworkers and case managers can see protection cases."), "protection_cases"
        )
    agency = agency_of(user)
    if agency is None:
        raise refuse(
            user, _("Your account is not a member of any agency: ask an administrator."), "protection_agency"
        )
    return agency


def permit_case(user: Any, case: Case) -> None:
    """Refuse a case that is neither assigned to the user nor held by the user's agency."""
    agency = permit_cases(user)
    if case.assigned_to_id == user.pk or (case.provider_id is not None and case.provider_id == agency.pk):
        return
    raise refuse(user, _("This case is not assigned to you or to your agency."), f"case:{case.pk}")


def permit_manage(user: Any, case: Case) -> None:
    """Assign, transfer, reopen: the agency's case managers."""
    permit_case(user, case)
    if user.role != Role.CASE_MANAGER:
        raise refuse(user, _("Only a case manager can assign or transfer a case."), f"case-manage:{case.pk}")


def permit_transition(user: Any, transition: Transition) -> str:
    """Who may see a referral, and as what: "receiver" (its provider's members or the person it is
    addressed to), "sender" (who sent it, their agency), or "officer" (the officer who referred at the desk,
    or the post's supervisor: the status only)."""
    if has_role(user, *AGENCY_ROLES):
        agency = agency_of(user)
        if transition.to_user_id == user.pk or (
            agency is not None and transition.to_provider_id == agency.pk
        ):
            return "receiver"
        if user.role in CASE_ROLES and (
            transition.created_by_id == user.pk
            or (agency is not None and transition.from_provider_id == agency.pk)
        ):
            return "sender"
    if has_role(user, *REFERRING_ROLES) and (
        transition.created_by_id == user.pk
        or (user.role == Role.SUPERVISOR and transition.from_post_id == user.border_post_id)
    ):
        return "officer"
    raise refuse(user, _("This referral was not sent to you or by you."), f"transition:{transition.pk}")


def permit_answer(user: Any, transition: Transition) -> None:
    """Accept, decline or mark done: the receiving side."""
    if permit_transition(user, transition) != "receiver":
        raise refuse(
            user, _("Only the receiving agency can answer this referral."), f"transition:{transition.pk}"
        )


def permit_revoke(user: Any, transition: Transition) -> None:
    """A case manager of either side revokes a referral or transfer still in progress."""
    side = permit_transition(user, transition)
    if user.role != Role.CASE_MANAGER or side not in ("receiver", "sender"):
        raise refuse(user, _("Only a case manager can revoke a referral."), f"transition:{transition.pk}")


def permit_referrals_made(user: Any) -> None:
    if not has_role(user, *REFERRING_ROLES):
        raise refuse(
            user, _("Only border officers and supervisors see the referrals made at the desk."), "referrals"
        )


def permit_inbox(user: Any) -> ServiceProvider:
    """The agency's lists: caseworkers, case managers and provider users of an agency."""
    if not has_role(user, *AGENCY_ROLES):
        raise refuse(
            user, _("Only members of a protection agency can see its referrals."), "protection_inbox"
        )
    agency = agency_of(user)
    if agency is None:
        raise refuse(
            user, _("Your account is not a member of any agency: ask an administrator."), "protection_agency"
        )
    return agency


def permit_partner(user: Any, avrr: Any) -> str:
    """A return: the case's holders see all of it ("case"), the reintegration partner's users only the
    reintegration ("partner")."""
    if has_role(user, Role.PROVIDER_USER):
        agency = agency_of(user)
        if agency is not None and avrr.partner_id == agency.pk:
            return "partner"
    permit_case(user, avrr.case)
    return "case"


def permit_departures(user: Any, post_code: str | None = None) -> None:
    """Recording an assisted return's departure: an officer or supervisor of the departure post."""
    if not has_role(user, Role.OFFICER, Role.SUPERVISOR):
        raise refuse(user, _("Only border officers record a departure."), "protection_departures")
    if post_code is not None and user.border_post_id != post_code:
        raise refuse(
            user,
            _("The departure is at post %(post)s, not yours.") % {"post": post_code},
            f"post:{post_code}",
        )


def permit_directory(user: Any) -> None:
    if not has_role(user, Role.ADMINISTRATOR, Role.CASE_MANAGER):
        raise refuse(
            user, _("Only administrators and case managers keep the directory."), "protection_directory"
        )
