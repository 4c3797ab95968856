"""One management-command shape for the pure cores' command lines (`mrz`, `paxlst`, `screen`).

The core owns its arguments and exit codes; Django's parser would reject options it does not know.
"""

import sys
from collections.abc import Callable
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from corredor.core.management.base import wrapped_stream

CoreCli = Callable[[list[str], TextIO, TextIO, TextIO], int]


class PureCoreCommand(BaseCommand):
    """Subclasses set `help`, `usage` and `cli` (wrapped in staticmethod)."""

    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    usage = ""
    cli: CoreCli

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*", help=self.usage)

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(self.cli(argv[2:], sys.stdin, sys.stdout, sys.stderr))

    def handle(self, *args: Any, **options: Any) -> None:
        code = self.cli(list(args), sys.stdin, wrapped_stream(self.stdout), wrapped_stream(self.stderr))
        if code:
            sys.exit(code)
