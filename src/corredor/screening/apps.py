from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "corredor.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from corredor.border import hooks
        from corredor.screening.hooks import ScreeningHook

        hooks.register(ScreeningHook())
