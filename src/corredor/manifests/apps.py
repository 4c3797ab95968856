from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManifestsConfig(AppConfig):
    name = "corredor.manifests"
    label = "manifests"
    verbose_name = _("Passenger lists")

    def ready(self) -> None:
        # Passenger lists join the desk: "expected on flight X" at the scan, the crossing linked after it.
        from corredor.border import hooks
        from corredor.manifests.hooks import ManifestDeskHook

        hooks.register(ManifestDeskHook())
