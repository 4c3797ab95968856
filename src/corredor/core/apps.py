from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "corredor.core"
    label = "core"
    verbose_name = _("Reference data, users and audit")

    def ready(self) -> None:
        from corredor.core import checks, signals  # noqa: F401  (the deploy checks; the audit trail)
