"""`corredor audit verify`: check that the audit log's hash chain is whole."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = audit_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in {count} audit entries.")
        self.stdout.write(f"audit log intact: {count} entries")
