"""Who may send and read passenger lists. Refusals are built by core's `refuse()`: audited, after the
rollback when a transaction is open.

- Sending: carrier accounts, for their own carriers' flights only (checked before anything else, the
  duplicate check included).
- A post's flights and the people on them: its officers and supervisors, and administrators (the people
  on a list are personal data: analysts and carrier accounts are refused).
- API coverage per carrier (an aggregate): analysts, supervisors (their post), administrators.
"""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, permit_post, refuse


def permit_send(user: Any) -> set[str]:
    """The carriers whose lists `user` may send (its active carrier accounts); refused when none."""
    from corredor.manifests.models import CarrierAccount

    message = _("Only carrier accounts can send passenger lists.")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise refuse(user, message, "manifests:send")
    codes = set(CarrierAccount.objects.filter(user=user, active=True).values_list("carrier", flat=True))
    if not codes:
        raise refuse(user, message, "manifests:send")
    return codes


def permit_carrier(user: Any, allowed: set[str], *, carrier: str, flight: str) -> None:
    """Refuse a carrier account sending the list of a flight of a carrier it does not send for."""
    if carrier not in allowed:
        raise refuse(
            user,
            _("This account sends lists for %(own)s, not for flight %(flight)s.")
            % {"own": ", ".join(sorted(allowed)), "flight": flight},
            f"carrier:{carrier}",
        )


def permit_flights(user: Any, post_code: str) -> None:
    """Refuse anyone who may not see the post's flights and the people on their lists."""
    permit_post(user, post_code)


def permit_coverage(user: Any, post_code: str | None) -> str | None:
    """Refuse anyone who may not see API coverage; returns the post a supervisor is limited to."""
    if (
        not has_role(user, Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)
        or user.carrier_accounts.exists()
    ):
        raise refuse(
            user, _("Only analysts, supervisors and administrators can see API coverage."), "coverage"
        )
    if user.role == Role.SUPERVISOR:
        if post_code and post_code != user.border_post_id:
            raise refuse(
                user,
                _("You supervise post %(own)s, not %(other)s.")
                % {"own": user.border_post_id, "other": post_code},
                f"post:{post_code}",
            )
        return str(user.border_post_id)
    return post_code
