"""Emergencies from the command line (all imports are all or nothing; errors name their line and column):

corredor displacement import-dtm FILE [--totals]       DTM's published figures (HXL CSV, admin 0-2)
corredor displacement import-areas FILE                admin areas from an HXL-tagged CSV (p-codes)
corredor displacement import-shapes FILE               admin-area shapes from GeoJSON
corredor displacement import-registrations FILE --event CODE [--no-duplicates]
                                                       a KoboToolbox / ODK Central export (CSV or XLSX)
corredor displacement events                           the events and their rounds' totals
corredor displacement extract                          refresh the registrations' extract (dashboard)
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from corredor.core.audit import Actor, acting_as
from corredor.core.management.base import ApplicationCommand
from corredor.displacement import selectors, services
from corredor.displacement.models import Event


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


class Command(ApplicationCommand):
    help = "Emergencies: import DTM figures, admin areas, shapes and Kobo/ODK registrations; list events."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        dtm = verbs.add_parser("import-dtm", help="import DTM's published figures (HXL CSV, admin 0-2)")
        dtm.add_argument("file")
        dtm.add_argument("--totals", action="store_true", help="print every round's totals as CSV")
        areas = verbs.add_parser("import-areas", help="import admin areas from an HXL-tagged CSV")
        areas.add_argument("file")
        shapes = verbs.add_parser("import-shapes", help="attach GeoJSON shapes to admin areas")
        shapes.add_argument("file")
        registrations = verbs.add_parser("import-registrations", help="import a Kobo/ODK registration export")
        registrations.add_argument("file")
        registrations.add_argument("--event", required=True, help="the event's code")
        registrations.add_argument("--no-duplicates", action="store_true", help="do not look for duplicates")
        verbs.add_parser("events", help="the events and their rounds' totals")
        verbs.add_parser("extract", help="refresh the registrations' extract the dashboard reads (DuckDB)")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(username="cli", role="", origin="corredor displacement")):
            getattr(self, "_" + options["verb"].replace("-", "_"))(options)

    def _import_dtm(self, options: dict[str, Any]) -> None:
        result = services.dtm_import(
            user=None, data=_read(options["file"]), file_name=Path(options["file"]).name
        )
        self.stdout.write(result.summary())
        for warning in result.warnings:
            self.stdout.write(f"  warning: line {warning.line}, {warning.column}: {warning.message}")
        if options["totals"]:
            self.stdout.write(services.dtm_totals_csv(result.totals))

    def _import_areas(self, options: dict[str, Any]) -> None:
        result = services.admin_areas_import(
            user=None, data=_read(options["file"]), file_name=options["file"]
        )
        self.stdout.write(result.summary())

    def _import_shapes(self, options: dict[str, Any]) -> None:
        count = services.admin_shapes_import(user=None, data=_read(options["file"]))
        self.stdout.write(f"Shapes attached to {count} admin areas.")

    def _import_registrations(self, options: dict[str, Any]) -> None:
        event = Event.objects.filter(code=options["event"]).first()
        if event is None:
            raise CommandError(f"There is no event {options['event']}.")
        result = services.registration_import(
            user=None,
            event=event,
            data=_read(options["file"]),
            file_name=Path(options["file"]).name,
            find_duplicates=not options["no_duplicates"],
        )
        self.stdout.write(result.summary())

    def _events(self, options: dict[str, Any]) -> None:
        for event in selectors.events_list(user=None):
            self.stdout.write(
                f"{event.code}  {event.name} ({event.get_source_display()}, {event.started_on})"
            )
            for figure in selectors.rounds_figures(user=None, event=event):
                change = "" if figure.change is None else f" ({figure.change:+,})"
                self.stdout.write(
                    f"  round {figure.number:>3} {figure.reporting_date}: {figure.individuals:>10,}{change}"
                )

    def _extract(self, options: dict[str, Any]) -> None:
        from corredor.displacement.dashboard import extract_refresh

        self.stdout.write(extract_refresh().summary())
