"""`corredor token create USERNAME`: make an API token (shown once) and `corredor token revoke PREFIX`."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
            count = ApiToken.objects.filter(prefix=options["prefix"], revoked=False).update(revoked=True)
            if not count:
                raise CommandError(f"No active token starting with {options['prefix']!r}.")
            self.stdout.write(f"revoked {count}")


def token_create(*, user: User, name: str = "api", key: str | None = None) -> str:
    key = key or secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return key
