"""A border post's sync with central:

corredor sync enrol --central URL --code CODE   enrol this post's installation (a code from `device code`)
corredor sync run [--once]                      push the outbox and pull the feed (a loop with backoff)
corredor sync status [--format json]            pending records, last success, last error, feed position
"""

import json
from typing import Any

from django.core.management.base import CommandParser

from corredor.core.management.base import ApplicationCommand
from corredor.sync import post


class Command(ApplicationCommand):
    help = "A border post's sync with central: enrol, run, status."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        enrol = verbs.add_parser("enrol", help="enrol this post with central")
        enrol.add_argument("--central", required=True, help="central's address, e.g. https://central.example")
        enrol.add_argument("--code", required=True, help="the one-time code from `corredor device code`")
        run = verbs.add_parser("run", help="push the outbox and pull the feed; loops unless --once")
        run.add_argument(
            "--once", action="store_true", help="one push and pull, then exit (status 75 on failure)"
        )
        status = verbs.add_parser("status", help="where this post's sync stands")
        status.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "enrol":
            state = post.post_enrol(central_url=options["central"], code=options["code"])
            self.stdout.write(
                f"enrolled: device {state.device_id} of post {state.post_code} with {state.central_url}"
            )
        elif verb == "run":
            if options["once"]:
                report = post.sync_once()
                self.stdout.write(f"pushed {report.pushed}, pulled {report.pulled}, pending {report.pending}")
            else:
                post.sync_loop()
        else:
            data = post.status()
            if options["format"] == "json":
                self.stdout.write(json.dumps(data, indent=2))
                return
            for key, value in data.items():
                self.stdout.write(f"{key.replace('_', ' ')}: {'-' if value is None else value}")
