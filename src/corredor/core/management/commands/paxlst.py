"""`corredor paxlst parse FILE` / `corredor paxlst build`: the PAXLST core on files and standard streams."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corredor.paxlst.cli import paxlst_cli


class Command(BaseCommand):
    help = "Read a PAXLST (UN/EDIFACT) file into JSON (parse FILE), or write PAXLST from JSON (build)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*", help="parse FILE | build")

    def run_from_argv(self, argv: list[str]) -> None:
        # The PAXLST core owns its arguments and exit codes; Django's parser would reject its options.
        sys.exit(paxlst_cli(argv[2:], sys.stdin, sys.stdout, sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        code = paxlst_cli(list(args), sys.stdin, self.stdout._out, self.stderr._out)
        if code:
            sys.exit(code)
