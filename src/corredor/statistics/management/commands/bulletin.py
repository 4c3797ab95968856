"""`corredor bulletin --month YYYY-MM [--lang es|en|fr|ht] [--out DIR] [--html-only]`: the bulletin."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from corredor.core.audit import Actor, acting_as, audit_write
from corredor.core.management.base import ApplicationCommand
from corredor.statistics.bulletin import bulletin_write


class Command(ApplicationCommand):
    help = "Write the monthly statistics bulletin as HTML and PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES], default="es")
        parser.add_argument("--out", help="folder to write to (default: DATA_DIR/bulletins)")
        parser.add_argument("--html-only", action="store_true", help="skip the PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        month = options["month"]
        if not month:
            first = timezone.localdate().replace(day=1)
            previous = (first - timedelta(days=1)).replace(day=1)
            month = f"{previous:%Y-%m}"
        with acting_as(Actor(username="cli", role="", origin="corredor bulletin")):
            # An ApplicationError goes to the command's boundary: a message and an exit status.
            files = bulletin_write(
                month=month,
                lang=options["lang"],
                out_dir=Path(options["out"]) if options["out"] else None,
                pdf=not options["html_only"],
            )
            audit_write(
                action="export",
                object_type="statistics.bulletin",
                object_id=month,
                summary=f"bulletin {month} {options['lang']}: {files.html.name}"
                + (f", {files.pdf.name}" if files.pdf else ""),
            )
        self.stdout.write(f"Wrote {files.html}")
        if files.pdf:
            self.stdout.write(f"Wrote {files.pdf}")
        self.stdout.write(f"In {files.seconds:.1f} s (PDF {files.pdf_seconds:.1f} s).")
