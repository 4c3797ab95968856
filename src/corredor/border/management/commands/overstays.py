"""`corredor overstays --as-of DATE [--format csv|json] [--post CODE]`: the overstay list."""

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from corredor.border.exports import write_overstays_csv
from corredor.border.selectors import overstay_rows
from corredor.core.audit import Actor, acting_as


class Command(BaseCommand):
    help = "List everyone past their authorised stay on a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--post", help="only entries made at this post")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be a date YYYY-MM-DD, not {options['as_of']!r}.") from None
        with acting_as(Actor(username="cli", role="", origin="command line")):
            rows = overstay_rows(as_of=as_of, post=options["post"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([asdict(row) for row in rows], default=str, ensure_ascii=False, indent=1)
            )
        else:
            write_overstays_csv(rows, self.stdout)
