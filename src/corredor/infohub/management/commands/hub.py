"""The public information hub from the command line:

corredor hub publish [--output FILE]      (central) sign a bundle of everything published; also served at
                                          /hub/bundle.json for hubs that pull over HTTP
corredor hub pull FILE|URL [--allow-older] (hub) check a bundle's signature and content, and load it whole
corredor hub remittances FILE             (central) replace the remittance prices from an RPW-shaped CSV
corredor hub demo [--if-empty]            (central) the demo content (as `corredor demo` seeds it)
corredor hub status                       the bundle loaded or published last
"""

import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from corredor.core.audit import Actor, acting_as
from corredor.core.management.base import ApplicationCommand
from corredor.infohub import selectors, services
from corredor.infohub.bundle import BundleError


def read_source(source: str) -> bytes:
    """A bundle from a file or an http(s) URL, at most CORREDOR_HUB_BUNDLE_MAX_BYTES (+1 to tell)."""
    limit = settings.CORREDOR_HUB_BUNDLE_MAX_BYTES + 1
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=60) as answer:
                data: bytes = answer.read(limit)
                return data
        except (urllib.error.URLError, OSError) as exc:
            raise BundleError(f"Could not fetch {source}: {exc}") from exc
    path = Path(source)
    if not path.is_file():
        raise BundleError(f"No such file: {source}")
    with path.open("rb") as handle:
        return handle.read(limit)


class Command(ApplicationCommand):
    help = "The public information hub: publish a signed content bundle (central), pull one (hub)."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        publish = verbs.add_parser("publish", help="sign a bundle of the published content (central)")
        publish.add_argument("--output", "-o", help="write the bundle to this file ('-' for standard output)")
        pull = verbs.add_parser("pull", help="check and load a bundle from a file or URL (hub)")
        pull.add_argument("source", help="a file, or central's http(s)://.../hub/bundle.json")
        pull.add_argument("--allow-older", action="store_true", help="load a bundle older than the current")
        remittances = verbs.add_parser("remittances", help="import remittance prices (RPW-shaped CSV)")
        remittances.add_argument("file")
        demo = verbs.add_parser("demo", help="seed the demo content and publish bundle 1 (central)")
        demo.add_argument("--if-empty", action="store_true", help="only when there is no service yet")
        verbs.add_parser("status", help="the newest bundle")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(Actor(username="cli", role="", origin="corredor hub")):
            getattr(self, f"_{options['verb']}")(options)

    def _publish(self, options: dict[str, Any]) -> None:
        record, data = services.bundle_publish(user=None)
        output = options.get("output")
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        if output:
            Path(output).write_bytes(data)
        self.stdout.write(
            f"Bundle {record.sequence} published ({len(data)} bytes, sha256 {record.sha256[:12]}…)"
            + (f", written to {output}" if output else "; served at /hub/bundle.json")
        )

    def _pull(self, options: dict[str, Any]) -> None:
        record = services.bundle_load(raw=read_source(options["source"]), allow_older=options["allow_older"])
        self.stdout.write(f"Bundle {record.sequence} of {record.published_at:%Y-%m-%d %H:%M} loaded.")

    def _remittances(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise BundleError(f"No such file: {path}")
        result = services.remittances_import(user=None, data=path.read_bytes(), source_name=path.name)
        self.stdout.write(f"{len(result.rows)} prices imported, {len(result.skipped)} rows skipped.")
        for item in result.skipped[:20]:
            self.stdout.write(f"  line {item['line']}: {item['message']}")

    def _demo(self, options: dict[str, Any]) -> None:
        import random

        from corredor.infohub import demo
        from corredor.infohub.models import Service

        if options["if_empty"] and Service.objects.exists():
            self.stdout.write("The hub's content is there already: no demo content loaded.")
            return
        self.stdout.write(demo.seed(rng=random.Random(1)))

    def _status(self, options: dict[str, Any]) -> None:
        bundle = selectors.latest_bundle()
        if bundle is None:
            self.stdout.write("No bundle yet.")
            return
        self.stdout.write(
            f"Bundle {bundle.sequence} of {bundle.published_at:%Y-%m-%d %H:%M} ({bundle.country})."
        )
