"""`corredor token create USERNAME`: make an API token (shown once) and `corredor token revoke PREFIX`."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from corredor.core.audit import audit_write
from corredor.core.models import ApiToken, User


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="make a token for a user; prints it once")
        create.add_argument("username")
        create.add_argument("--name", default="api")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            key = token_create(user=user, name=options["name"])
            self.stdout.write(key)
        else:
            tokens = list(
                ApiToken.objects.filter(prefix=options["prefix"], revoked=False).select_related("user")
            )
            if not tokens:
                raise CommandError(f"No active token starting with {options['prefix']!r}.")
            for token in tokens:
                ApiToken.objects.filter(pk=token.pk).update(revoked=True)
                audit_write(
                    action="update",
                    object_type="core.apitoken",
                    object_id=token.pk,
                    summary=f"API token {token.prefix}… of {token.user.get_username()} revoked",
                )
            self.stdout.write(f"revoked {len(tokens)}")


@transaction.atomic
def token_create(*, user: User, name: str = "api", key: str | None = None) -> str:
    key = key or secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    audit_write(
        action="create",
        object_type="core.apitoken",
        object_id=token.pk,
        summary=f"API token {token.prefix}… ({name}) made for {user.get_username()}",
    )
    return key
