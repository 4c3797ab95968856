"""`corredor screen --watchlist FILE.csv [--threshold T]`: the matching core on files and standard streams.

Builds an index from the CSV (no database), reads one JSON query per line on standard input, writes one
JSON line per query. The command line is the matching core's own (`corredor.matching.cli.screen_cli`).
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corredor.matching.cli import screen_cli


class Command(BaseCommand):
    help = "Screen JSON queries from standard input against a watchlist CSV (no database needed)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*", help="--watchlist FILE.csv [--threshold T]")

    def run_from_argv(self, argv: list[str]) -> None:
        # The matching core owns its arguments and exit codes; Django's parser would reject --watchlist.
        sys.exit(screen_cli(argv[2:], sys.stdin, sys.stdout, sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        code = screen_cli(list(args), sys.stdin, self.stdout._out, self.stderr._out)
        if code:
            sys.exit(code)
