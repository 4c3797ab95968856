"""Who may do what in emergencies.

- emergency coordinators (and administrators) run events: areas, sites, rounds, flow points, imports,
  every record and the registration of households;
- enumerators collect (assessments, counts, registrations) and see only what they collected;
- site managers see their own sites, and the households registered at them;
- analysts see aggregates only (dashboards, maps, HXL exports), never a registered person.

Registration is personal data: every read is audited (`corredor.core.audit`) and every refusal too
(`corredor.core.permissions.refuse`).
"""

from typing import Any

from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse

COORDINATING_ROLES = (Role.EMERGENCY_COORDINATOR, Role.ADMINISTRATOR)
COLLECTING_ROLES = (Role.ENUMERATOR, Role.SITE_MANAGER, *COORDINATING_ROLES)
AGGREGATE_ROLES = (Role.ANALYST, Role.SITE_MANAGER, *COORDINATING_ROLES)
REGISTRATION_ROLES = (Role.ENUMERATOR, Role.SITE_MANAGER, *COORDINATING_ROLES)


def is_cli(user: Any) -> bool:
    """The command line acts with no user: whoever runs it holds the server."""
    return user is None


def permit_coordinate(user: Any) -> None:
    if is_cli(user):
        return
    if not has_role(user, *COORDINATING_ROLES):
        raise refuse(
            user, _("Only emergency coordinators and administrators can do this."), "displacement:coordinate"
        )


def permit_collect(user: Any) -> None:
    if not has_role(user, *COLLECTING_ROLES):
        raise refuse(
            user,
            _("Only enumerators, site managers and emergency coordinators collect displacement data."),
            "displacement:collect",
        )


def permit_aggregates(user: Any) -> None:
    if is_cli(user):
        return
    if not has_role(user, *AGGREGATE_ROLES):
        raise refuse(
            user,
            _("Your role does not give access to the displacement figures."),
            "displacement:aggregates",
        )


def permit_registration(user: Any) -> None:
    """Registered households and individuals are personal data: analysts and other roles are refused."""
    if is_cli(user):
        return
    if not has_role(user, *REGISTRATION_ROLES):
        raise refuse(
            user,
            _("Your role does not give access to registered households: they are personal data."),
            "displacement:registration",
        )


def sees_everything(user: Any) -> bool:
    return is_cli(user) or has_role(user, *COORDINATING_ROLES)
