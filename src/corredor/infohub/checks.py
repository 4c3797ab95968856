"""`corredor check --deploy` on the hub: the bundle key must be a deployment's own.

The hub cannot work without it, so its deployment check fails on the development key. Central may run
without publishing for the hub at all: there, `corredor hub publish` itself refuses the development key in
a deployment (`corredor.infohub.bundle.bundle_key`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_bundle_key(app_configs: Any, **kwargs: Any) -> list[Any]:
    if settings.CORREDOR_MODE != "hub":
        return []
    key = settings.CORREDOR_HUB_BUNDLE_KEY
    if key == settings.DEVELOPMENT_HUB_BUNDLE_KEY:
        return [
            Error(
                "CORREDOR_HUB_BUNDLE_KEY is the development key: anyone could sign a bundle for the hub.",
                hint="Set the same long random value on central and on the hub (docs/infohub.md).",
                id="infohub.E001",
            )
        ]
    if key == settings.SECRET_KEY:
        return [Warning("CORREDOR_HUB_BUNDLE_KEY is the same as SECRET_KEY.", id="infohub.W001")]
    return []
