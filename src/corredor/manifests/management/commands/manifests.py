"""`corredor manifests import-folder DIR [--archive DIR] [--rejected DIR]`: receive the PAXLST files dropped
in a folder; `corredor manifests carrier USERNAME CARRIER`: a carrier account; `corredor manifests rescreen`:
screen again whoever on upcoming flights was not screened."""

import json
import shutil
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation

from corredor.clitools import ProgressBar
from corredor.core.audit import Actor, acting_as
from corredor.core.errors import ApplicationError
from corredor.core.management.base import ApplicationCommand, wrapped_stream
from corredor.manifests import services
from corredor.manifests.models import Flight, Source

# Files still being written by an uploader are usually named so; they are left for the next run.
_IN_PROGRESS = (".part", ".tmp", ".filepart", ".partial")


def _waiting_files(folder: Path) -> list[Path]:
    files = [
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(_IN_PROGRESS)
        and not path.name.endswith(".error.txt")
    ]
    return sorted(files, key=lambda path: (path.stat().st_mtime, path.name))


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{timezone.now():%Y%m%dT%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
    return target


class Command(ApplicationCommand):
    help = "Passenger lists: import a folder of PAXLST files, add carrier accounts, screen lists again."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        folder = sub.add_parser(
            "import-folder", help="receive every PAXLST file in DIR once, then move it to the archive"
        )
        folder.add_argument("folder", metavar="DIR")
        folder.add_argument("--archive", metavar="DIR", help="where received files go (default DIR/received)")
        folder.add_argument(
            "--rejected",
            metavar="DIR",
            help="where unreadable files go, with the error (default DIR/rejected)",
        )
        carrier = sub.add_parser("carrier", help="let USERNAME (made when missing) send lists for CARRIER")
        carrier.add_argument("username")
        carrier.add_argument("carrier", help="airline designator as in the lists: CM, AV, UA ...")
        carrier.add_argument("--name", default="", help="the airline's name")
        rescreen = sub.add_parser("rescreen", help="screen again who was not screened on upcoming flights")
        rescreen.add_argument("--post", help="only this post's flights")
        rescreen.add_argument("--days", type=int, default=2, help="flights up to this many days ahead (2)")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        with (
            acting_as(Actor(username="cli", role="", origin=f"corredor manifests {verb}")),
            translation.override("en"),
        ):
            if verb == "import-folder":
                self._import_folder(options)
            elif verb == "carrier":
                self._carrier(options)
            else:
                self._rescreen(options)

    def _import_folder(self, options: dict[str, Any]) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        archive = Path(options["archive"]) if options["archive"] else folder / "received"
        rejected = Path(options["rejected"]) if options["rejected"] else folder / "rejected"
        files = _waiting_files(folder)
        progress = ProgressBar("lists", stream=wrapped_stream(self.stderr)) if len(files) > 1 else None
        counts = {"stored": 0, "duplicate": 0, "rejected": 0}
        for done, path in enumerate(files, start=1):
            # Not the error boundary's job: a file that cannot be received is moved aside with its error and
            # the next file is received.
            try:
                receipt = services.manifest_receive(
                    data=path.read_bytes(), source=Source.FOLDER, filename=path.name
                )
            except ApplicationError as error:
                counts["rejected"] += 1
                moved = _move(path, rejected)
                detail = json.dumps(error.detail, ensure_ascii=False) if error.detail else ""
                moved.with_name(moved.name + ".error.txt").write_text(
                    f"{error.message}\n{detail}\n".strip() + "\n"
                )
                self.stdout.write(f"{path.name}: REJECTED: {error.message}")
            else:
                counts[receipt.status] += 1
                _move(path, archive)
                self.stdout.write(f"{path.name}: {self._describe(receipt)}")
            if progress:
                progress(done, len(files))
        self.stdout.write(
            f"{len(files)} file(s): {counts['stored']} stored, {counts['duplicate']} duplicate, "
            f"{counts['rejected']} rejected."
        )
        if counts["rejected"]:
            self.stderr.write(f"Rejected files are in {rejected}, each with its .error.txt.")
            sys.exit(1)

    @staticmethod
    def _describe(receipt: services.Receipt) -> str:
        parts = []
        for item in receipt.lists:
            manifest_list = item.manifest_list
            flight = manifest_list.flight
            changes = ""
            if item.status == "replaced":
                changes = (
                    f", +{manifest_list.added_count} -{manifest_list.removed_count} "
                    f"~{manifest_list.changed_count}"
                )
            parts.append(
                f"{item.status} {flight.designator} {flight.departure_date} {manifest_list.list_type} "
                f"v{manifest_list.version} ({manifest_list.person_count} people{changes})"
            )
        warnings = (
            f"; {len(receipt.warnings)} warning(s)"
            if receipt.warnings and receipt.status != "duplicate"
            else ""
        )
        return "; ".join(parts) + warnings

    def _carrier(self, options: dict[str, Any]) -> None:
        account = services.carrier_account_create(
            username=options["username"], carrier=options["carrier"], name=options["name"]
        )
        self.stdout.write(
            f"{account.user.username} may send lists for {account.carrier}. "
            f"Make its API token with: corredor token create {account.user.username}"
        )

    def _rescreen(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        flights = Flight.objects.filter(
            expected_at__gte=now - timedelta(hours=12), expected_at__lt=now + timedelta(days=options["days"])
        )
        if options["post"]:
            flights = flights.filter(post_id=options["post"].upper())
        count = services.manifest_rescreen(flights=flights)
        self.stdout.write(f"{count} people screened again.")
