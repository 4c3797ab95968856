"""`corredor audit verify [--head FILE]`: check the audit log's keyed hash chain (and that the head exported
earlier is still there); `corredor audit head --export FILE`: write the signed head, to keep elsewhere."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.core.audit import AuditHead, audit_head, audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's keyed hash chain, or export its signed head."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="walk the chain; with --head, compare with an exported head")
        verify.add_argument("--head", type=Path, help="a head file written by `corredor audit head --export`")
        head = sub.add_parser("head", help="print the signed head, or write it to a file")
        head.add_argument("--export", type=Path, metavar="FILE", help="write the head to FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "head":
            self._head(options["export"])
            return
        head = None
        if options["head"] is not None:
            try:
                head = AuditHead.from_json(options["head"].read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"{options['head']}: {error.strerror}") from error
            except ValueError as error:
                raise CommandError(f"{options['head']}: {error}") from error
        count, problems = audit_verify(head=head)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in {count} audit entries.")
        against = f", head {head.sequence} of {head.exported_at} present" if head else ""
        self.stdout.write(f"audit log intact: {count} entries{against}")

    def _head(self, export: Path | None) -> None:
        head = audit_head()
        if head is None:
            raise CommandError("The audit log is empty: there is no head to export.")
        if export is None:
            self.stdout.write(head.to_json())
            return
        tmp = export.with_name(export.name + ".tmp")
        try:
            tmp.write_text(head.to_json() + "\n", encoding="utf-8")
            tmp.replace(export)  # a head file is never left half-written
        except OSError as error:
            raise CommandError(f"{export}: {error.strerror}") from error
        self.stdout.write(f"audit head {head.sequence} written to {export}")
