from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisplacementConfig(AppConfig):
    name = "corredor.displacement"
    label = "displacement"
    verbose_name = _("Displacement")

    def ready(self) -> None:
        from corredor.core import jobs
        from corredor.core.retention import retention_register
        from corredor.displacement import services

        # Kobo / ODK registration uploads are imported by `corredor work`, not in the web process.
        jobs.register(
            "displacement.import",
            claim=services.import_job_claim,
            run=services.import_job_run,
            reap=services.import_jobs_reap,
        )
        # Registration is personal data: with a period set (CORREDOR_RETENTION_DAYS, key
        # "displacement_household"), households go with their members that long after their event ended.
        from django.conf import settings

        if settings.CORREDOR_RETENTION_DAYS.get("displacement_household"):
            retention_register(services.HOUSEHOLD_RETENTION)
