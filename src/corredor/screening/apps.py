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
        # Sync: a post's hits (and their verdicts) go to central; watchlists and alerts come from central,
        # and the post's screening index takes them in without a restart.
        from corredor.screening.models import DocumentAlert, PersonAlert, live_alerts
        from corredor.sync.registry import outbound_register, published_register

        outbound_register("screening.hit", post_field="post", mutable=True)
        published_register(
            "screening.watchlist", exclude=("updated_at",), on_applied=services.alerts_received
        )
        for label, model in (
            ("screening.personalert", PersonAlert),
            ("screening.documentalert", DocumentAlert),
        ):
            published_register(
                label,
                queryset=lambda model=model: model.objects.filter(live_alerts()),  # type: ignore[misc]
                exclude=("change_seq", "staged_for", "replaces"),
                on_applied=lambda changed, removed, model=model: services.alerts_received(  # type: ignore[misc]
                    changed, removed, model=model
                ),
            )
