from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfohubConfig(AppConfig):
    name = "corredor.infohub"
    label = "infohub"
    verbose_name = _("Information hub")

    def ready(self) -> None:
        from corredor.infohub import checks  # noqa: F401 (registers the deployment check)
