"""`corredor stats ...`: the analytics extract, open-data exports, the international datasets.

corredor stats refresh [--full]
corredor stats export --measure M --by DIMS --from DATE --to DATE --format csv|xlsx|hxl|sdmx-csv
                      [--min-cell K] [--filter DIM=VALUE[,VALUE]] [--out FILE]
corredor stats import DATASET FILE        (undesa-stock, unhcr-bilateral, missing-migrants)
corredor stats query external --dataset DATASET [--origin ISO3] [--destination ISO3] [--year YYYY]
                      --format json
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from corredor.core.audit import Actor, acting_as
from corredor.core.management.base import ApplicationCommand
from corredor.statistics import exports, services
from corredor.statistics.external import READERS
from corredor.statistics.forms import StatisticsQueryForm
from corredor.statistics.selectors import external_figures


class Command(ApplicationCommand):
    help = "Statistics: refresh the extract, export protected tables, import and query public datasets."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))

        refresh = sub.add_parser("refresh", help="bring the Parquet extract up to date (incremental)")
        refresh.add_argument("--full", action="store_true", help="rebuild the extract from scratch")

        export = sub.add_parser("export", help="a table with disclosure control, as a file")
        export.add_argument("--measure", required=True, help="crossings, entries, exits, net_flow, ...")
        export.add_argument(
            "--by",
            default="month,sex,age_band",
            help="dimensions, comma-separated (default month,sex,age_band: by sex and age)",
        )
        export.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
        export.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
        export.add_argument("--format", dest="fmt", choices=list(exports.FORMATS), default="csv")
        export.add_argument("--min-cell", dest="min_cell", type=int, default=None, help="K (default 5)")
        export.add_argument(
            "--filter", action="append", default=[], help="DIM=VALUE[,VALUE]: only these (repeatable)"
        )
        export.add_argument("--out", help="write to this file (default: standard output)")
        export.add_argument("--lang", default="en", help="language of the XLSX labels (es, en)")

        imported = sub.add_parser("import", help="import a public dataset file")
        imported.add_argument("dataset", choices=list(READERS))
        imported.add_argument("file")

        query = sub.add_parser("query", help="query the imported datasets")
        query.add_argument("what", choices=["external"])
        query.add_argument("--dataset", required=True, choices=list(READERS))
        query.add_argument("--origin")
        query.add_argument("--destination")
        query.add_argument("--year", type=int)
        query.add_argument("--format", dest="fmt", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(username="cli", role="", origin=f"corredor stats {options['action']}")):
            # An ApplicationError (a file's located problems in its message and detail) goes to the
            # command's boundary: printed, with an exit status.
            getattr(self, f"_{options['action']}")(options)

    def _refresh(self, options: dict[str, Any]) -> None:
        result = services.extract_refresh(full=options["full"])
        self.stdout.write(result.summary().capitalize() + ".")

    def _export(self, options: dict[str, Any]) -> None:
        filters: dict[str, list[str]] = {}
        for item in options["filter"]:
            if "=" not in item:
                raise CommandError(f"--filter is DIM=VALUE[,VALUE], not {item!r}.")
            dim, values = item.split("=", 1)
            filters.setdefault(dim.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
        # The same checks as the pages and the API: a bad date, breakdown or filter is a 400-style error
        # naming it (exit status 65), not an empty table or a traceback.
        query = StatisticsQueryForm(
            {
                "from": options["date_from"] or "",
                "to": options["date_to"] or "",
                "by": options["by"],
                "min_cell": "" if options["min_cell"] is None else str(options["min_cell"]),
            },
            filters=filters,
        ).parsed()
        with translation.override(options["lang"]):
            file = services.statistics_export(
                user=None,
                measure=options["measure"],
                by=query["by"],
                date_from=query["date_from"],
                date_to=query["date_to"],
                fmt=options["fmt"],
                filters=query["filters"],
                k=options["min_cell"],
                k_floor=1 if options["min_cell"] is not None else None,
                lang=options["lang"],
            )
        self._write(options, file)

    def _write(self, options: dict[str, Any], file: Any) -> None:
        if options["out"]:
            Path(options["out"]).write_bytes(file.content)
            self.stderr.write(f"Wrote {options['out']} ({len(file.content):,} bytes).")
        else:
            self.stdout.flush()
            out = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(out, "buffer"):
                out.buffer.write(file.content)
                out.flush()
            else:
                out.write(file.content.decode("utf-8", errors="replace"))

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        result = services.dataset_import(dataset=options["dataset"], data=data, file_name=path.name)
        self.stdout.write(result.summary() + ".")

    def _query(self, options: dict[str, Any]) -> None:
        rows = external_figures(
            dataset=options["dataset"],
            origin=options["origin"],
            destination=options["destination"],
            year=options["year"],
        )
        self.stdout.write(json.dumps(rows, ensure_ascii=False))
