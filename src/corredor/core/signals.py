"""The one cross-cutting signal user: creates and updates of audited models go to the audit log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

from corredor.core.audit import audit_write


class Audited:
    """Mixin marking a model whose writes are audited; `audit_summary()` says what was written."""

    def audit_summary(self) -> str:
        return str(self)


@receiver(post_save)
def audit_on_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, Audited):
        return
    audit_write(
        action="create" if created else "update",
        object_type=sender._meta.label_lower,
        object_id=instance.pk,
        summary=instance.audit_summary(),
    )


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from corredor.core.audit import actor_for
    from corredor.core.middleware import client_address

    origin = client_address(request) if request is not None else "system"
    audit_write(action="login", object_type="core.user", object_id=user.pk, actor=actor_for(user, origin))


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from corredor.core.audit import Actor
    from corredor.core.middleware import client_address

    origin = client_address(request) if request is not None else "system"
    username = str(credentials.get("username", ""))[:150]
    audit_write(
        action="login_failed", object_type="core.user", actor=Actor(username=username, role="", origin=origin)
    )
