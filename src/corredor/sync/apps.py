from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "corredor.sync"
    label = "sync"
    verbose_name = _("Sync")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from corredor.sync import services
        from corredor.sync.registry import outbound_register, published_register

        # Core's reference data travels from central to every post; the users and roles of a post to that
        # post only (their password hashes too: an officer signs in at the post while the link is down).
        for label in (
            "core.country",
            "core.commonarea",
            "core.borderpost",
            "core.staycategory",
            "core.stayrule",
        ):
            published_register(label)
        published_register(
            "core.user",
            queryset=_post_users,
            post_field="border_post",
            exclude=("last_login", "groups", "user_permissions"),
        )
        # The post's own audit log goes to central too (kept beside central's chain, not in it).
        outbound_register("core.auditentry", device_field="", ingest=services.post_audit_ingest)
        # Purges travel, so an offline post cannot bring a purged record back.
        published_register("core.tombstone", append_only=True)
        if settings.CORREDOR_MODE == "post":
            post_migrate.connect(_install_outbox, sender=self, dispatch_uid="sync-outbox-triggers")


def _post_users() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.filter(border_post__isnull=False)


def _install_outbox(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from corredor.sync.outbox import outbox_triggers_create

    outbox_triggers_create(connections[using])
