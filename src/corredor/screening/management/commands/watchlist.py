"""Watchlists from the command line, with a progress bar on standard error and the validation report:

corredor watchlist import FILE --watchlist CODE [--format csv|xlsx] [--mapping JSON]
                               [--mode full|incremental] [--kind persons|documents]
corredor watchlist create CODE --name NAME [--owner OWNER] [--source national|interpol|partner]
corredor watchlist list
"""

import json
import time
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser

from corredor.core.audit import Actor, acting_as
from corredor.core.management.base import ApplicationCommand, wrapped_stream
from corredor.screening import services
from corredor.screening.models import Source, Watchlist, live_alerts


class Bar:
    """A one-line progress bar on a stream, redrawn at most ten times a second."""

    def __init__(self, label: str, stream: TextIO, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream, width
        self.drawn = 0.0
        self.open = False

    def finish(self) -> None:
        """End the line when the work stopped before 100%."""
        if self.open:
            self.stream.write("\n")
            self.open = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.drawn < 0.1:
            return
        self.drawn = now
        fraction = min(done / total, 1.0) if total else 1.0
        filled = int(self.width * fraction)
        stage = "checking" if fraction <= 0.5 and done < total else "saving"
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {fraction:6.1%} {stage} "
        )
        self.open = done < total
        if not self.open:
            self.stream.write("\n")
        self.stream.flush()


class Command(ApplicationCommand):
    help = "Watchlists: import a CSV/XLSX file of alerts (all or nothing), create a list, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("import", help="import person or document alerts from a CSV or XLSX file")
        load.add_argument("file", help="the file (CSV or XLSX)")
        load.add_argument("--watchlist", required=True, help="the list's code")
        load.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file name")
        load.add_argument("--mapping", help='JSON {"file column": "our column"}, or @FILE.json')
        load.add_argument("--mode", choices=["full", "incremental"], default="incremental")
        load.add_argument("--kind", choices=["persons", "documents"], help="default: from the header")
        create = verbs.add_parser("create", help="create an empty list")
        create.add_argument("code")
        create.add_argument("--name", required=True)
        create.add_argument("--owner", default="")
        create.add_argument("--source", choices=Source.values, default=Source.NATIONAL)
        verbs.add_parser("list", help="the lists and how many alerts each holds")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(username="cli", role="", origin="corredor watchlist")):
            getattr(self, f"_{options['verb']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        watchlist = services.watchlist_create(
            user=None,
            code=options["code"],
            name=options["name"],
            owner=options["owner"],
            source=options["source"],
        )
        self.stdout.write(f"Watchlist {watchlist.code} created.")

    def _list(self, options: dict[str, Any]) -> None:
        for w in Watchlist.objects.order_by("code"):
            persons = w.personalert_set.filter(live_alerts(), removed_at__isnull=True).count()
            documents = w.documentalert_set.filter(live_alerts(), removed_at__isnull=True).count()
            state = "" if w.active else " (inactive)"
            self.stdout.write(
                f"{w.code:<20} {w.source:<9} {persons:>9,} persons {documents:>11,} documents  "
                f"{w.name}{state}"
            )

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        watchlist = Watchlist.objects.filter(code=options["watchlist"]).first()
        if watchlist is None:
            raise CommandError(
                f"There is no watchlist {options['watchlist']!r}; create it with `corredor watchlist create`."
            )
        mapping = None
        if options["mapping"]:
            text = options["mapping"]
            if text.startswith("@"):
                text = Path(text[1:]).read_text(encoding="utf-8")
            try:
                mapping = json.loads(text)
            except json.JSONDecodeError as error:
                raise CommandError(f"--mapping is not valid JSON: {error}") from None
            if not isinstance(mapping, dict):
                raise CommandError('--mapping must be a JSON object {"file column": "our column"}')
        bar = Bar(path.name, wrapped_stream(self.stderr))
        try:
            report = services.watchlist_import(
                user=None,
                watchlist=watchlist,
                data=path.read_bytes(),
                filename=path.name,
                format=options["format"],
                mapping=mapping,
                mode=options["mode"],
                kind=options["kind"],
                progress=bar,
            )
        finally:
            bar.finish()
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(f"{len(report.errors)} problems: nothing imported.")
        self.stdout.write(
            f"{watchlist.code}: {report.rows:,} rows ({report.kind}, {report.mode}): {report.created:,} new, "
            f"{report.updated:,} changed, {report.restored:,} listed again, {report.removed:,} removed, "
            f"{report.unchanged:,} unchanged, in {report.seconds:.1f} s."
        )
