"""`corredor mrz parse` / `corredor mrz build`: the ICAO core on standard input and output."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corredor.icao import mrz_cli


class Command(BaseCommand):
    help = "Parse MRZs from standard input into JSON lines (parse), or build an MRZ from JSON fields (build)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*", help="parse | build [--format TD1|TD2|TD3|MRVA|MRVB]")

    def run_from_argv(self, argv: list[str]) -> None:
        # The ICAO core owns its arguments (and exit codes 0/1/2); Django's parser would reject --format.
        sys.exit(mrz_cli(argv[2:], sys.stdin, sys.stdout, sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        code = mrz_cli(list(args), sys.stdin, self.stdout._out, self.stderr._out)
        if code:
            sys.exit(code)
