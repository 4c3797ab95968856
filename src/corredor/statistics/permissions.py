"""Who may see statistics, and what: the statistics app's permission checks (issue 12 item 1).

Analysts see aggregates only (and only protected ones); supervisors see the figures of their own post;
administrators everything. Officers and the other roles get no statistics. A refusal is raised with the
one `refuse()`, so the error boundary audits it (after any rollback).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse

STATISTICS_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR})


def permit_statistics(user: Any) -> None:
    """Refuse anyone whose role gives no access to statistics."""
    if not has_role(user, *STATISTICS_ROLES):
        raise refuse(user, _("Statistics are for analysts, supervisors and administrators."), "statistics")


def statistics_scope(*, user: Any, filters: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """The filters the user may apply: a supervisor's figures are always their own post's."""
    permit_statistics(user)
    scoped = {code: list(values) for code, values in (filters or {}).items() if values}
    if user.role == Role.SUPERVISOR:
        own = user.border_post_id
        asked = scoped.get("post")
        if asked and asked != [own]:
            raise refuse(
                user,
                _("You supervise post %(own)s and see its figures only.") % {"own": own},
                f"post:{asked[0]}",
            )
        scoped["post"] = [own]
    return scoped
