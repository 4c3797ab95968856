"""`corredor purge [--dry-run]`: remove the records whose retention period has ended (see
`corredor.core.retention`), each with an audit entry and tombstones."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from corredor.core.audit import Actor, acting_as
from corredor.core.retention import purge_run


class Command(BaseCommand):
    help = "Remove records whose retention period has ended (audited; tombstones stop them coming back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what is due, remove nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        periods = ", ".join(
            f"{name} {days or 'for ever'}" for name, days in settings.CORREDOR_RETENTION_DAYS.items()
        )
        self.stdout.write(f"retention periods (days): {periods}")
        with acting_as(Actor(username="system", role="", origin="corredor purge")):
            reports = purge_run(dry_run=dry_run)
        for report in reports:
            if dry_run:
                self.stdout.write(f"{report.policy.model}: {report.due} due ({report.policy.description})")
                continue
            removed = ", ".join(f"{n} {label}" for label, n in sorted(report.removed.items())) or "nothing"
            self.stdout.write(f"{report.policy.model}: {report.due} purged ({removed})")
        if dry_run:
            self.stdout.write("dry run: nothing removed")
