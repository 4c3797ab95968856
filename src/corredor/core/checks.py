"""Deployment checks (`corredor check --deploy`) and the refusal to serve on the development keys."""

import sys
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def development_keys_in_use() -> list[str]:
    """The development keys this process would run on."""
    keys = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        keys.append("SECRET_KEY")
    if settings.CORREDOR_AUDIT_KEY == settings.DEVELOPMENT_AUDIT_KEY:
        keys.append("CORREDOR_AUDIT_KEY")
    return keys


def refuse_development_secret_key(argv: list[str] | None = None) -> None:
    """Called as the WSGI application loads (gunicorn, uwsgi...): without DEBUG, a server on the
    development SECRET_KEY would sign sessions with a key everyone can read in the source. Django's
    development server (`corredor runserver`, `make run`) is exempt: it serves one machine."""
    args = sys.argv if argv is None else argv
    if settings.DEBUG or settings.CORREDOR_ALLOW_DEVELOPMENT_KEYS or "runserver" in args[1:2]:
        return
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "Refusing to start: SECRET_KEY is the development key and DEBUG is off. Set SECRET_KEY (and "
            "CORREDOR_AUDIT_KEY) in the environment; see docs/deployment.md."
        )


@register(Tags.security, deploy=True)
def check_keys(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(
            Error(
                "SECRET_KEY is the development key.",
                hint="Set SECRET_KEY to a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(50))').",
                id="corredor.E001",
            )
        )
    if settings.CORREDOR_AUDIT_KEY == settings.DEVELOPMENT_AUDIT_KEY:
        problems.append(
            Warning(
                "CORREDOR_AUDIT_KEY is the development key: anyone who can write the database can re-hash "
                "the audit chain with it.",
                hint="Set CORREDOR_AUDIT_KEY to a long random value kept outside the database and its "
                "backups, then run `corredor audit head --export` on a schedule.",
                id="corredor.W001",
            )
        )
    elif settings.CORREDOR_AUDIT_KEY == settings.SECRET_KEY:
        problems.append(
            Warning(
                "CORREDOR_AUDIT_KEY is the same as SECRET_KEY.",
                hint="Use two keys: the audit key should be known to fewer people than the server's.",
                id="corredor.W002",
            )
        )
    if not settings.CORREDOR_REQUIRE_2FA:
        problems.append(
            Warning(
                "CORREDOR_REQUIRE_2FA is off: administrators, supervisors, watchlist managers and auditors "
                "log in with a password alone.",
                id="corredor.W003",
            )
        )
    return problems
