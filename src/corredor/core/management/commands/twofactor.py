"""`corredor twofactor reset USERNAME`: remove a person's second factor (they enrol again at their next
login), for the administrator who lost their own phone; `corredor twofactor codes USERNAME`: print ten new
recovery codes once (a demo's supervisor without an authenticator app logs in with one). Both audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.core.audit import Actor, acting_as, audit_write
from corredor.core.models import User
from corredor.core.twofactor import recovery_codes_issue, two_factor_reset


class Command(BaseCommand):
    help = "Reset a person's two-factor authentication, or print new recovery codes for them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        reset = sub.add_parser("reset", help="remove the person's devices and codes")
        reset.add_argument("username")
        reset.add_argument("--reason", default="", help="written to the audit log")
        codes = sub.add_parser("codes", help="issue ten new recovery codes and print them once")
        codes.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        with acting_as(Actor(username="system", role="", origin="corredor twofactor")):
            if options["verb"] == "reset":
                two_factor_reset(user=user, reason=options["reason"] or "from the command line")
                self.stdout.write(f"two-factor reset for {user.username}: they set it up at their next login")
                return
            codes = recovery_codes_issue(user=user)
            audit_write(
                action="update",
                object_type="core.user",
                object_id=user.pk,
                summary="recovery codes issued (command)",
            )
        self.stdout.write(f"recovery codes for {user.username} (each works once; the old ones no longer do):")
        for code in codes:
            self.stdout.write(f"  {code}")
