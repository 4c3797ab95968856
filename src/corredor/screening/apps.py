from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "corredor.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from corredor.border import hooks
        from corredor.core import jobs
        from corredor.screening import services
        from corredor.screening.hooks import ScreeningHook

        hooks.register(ScreeningHook())
        # Watchlist imports run in `corredor work`, not in the web process.
        jobs.register(
            "screening.import",
            claim=services.import_job_claim,
            run=services.import_job_run,
            reap=services.import_jobs_reap,
        )
