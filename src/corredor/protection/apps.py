from datetime import datetime
from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "corredor.protection"
    label = "protection"
    verbose_name = _("Protection")

    def ready(self) -> None:
        from corredor.border import hooks
        from corredor.core.retention import RetentionPolicy, retention_register
        from corredor.protection.hooks import ProtectionHook

        hooks.register(ProtectionHook())
        # Sync: referrals made at an offline post travel to central; the providers' directory to the posts.
        from corredor.protection import offline

        offline.register()
        # A closed case is kept CORREDOR_RETENTION_PROTECTION_CASE_DAYS after its closure, then purged
        # with its events, tasks, transitions, tracing and return; tombstones keep offline copies out.
        retention_register(
            RetentionPolicy(
                name="protection_case",
                model="protection.case",
                description="a closed protection case: removed the configured days after its closure",
                due=closed_cases_due,
                guarded=("protection.caseevent", "protection.transition"),
            )
        )


def closed_cases_due(now: datetime, days: dict[str, int]) -> QuerySet[Any]:
    from datetime import timedelta

    from corredor.protection.models import Case

    period = days.get("protection_case")
    if not period:
        return Case.objects.none()
    return Case.objects.filter(status="closed", closed_at__lt=now - timedelta(days=period))
