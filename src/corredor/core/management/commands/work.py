"""corredor work [--once] [--poll SECONDS]: the background worker.

Runs the jobs the web queues (watchlist imports, and whatever other apps register in ``corredor.core.jobs``),
one at a time, and marks dead ones failed. Run one or more next to the web server; stop it with Ctrl-C or
SIGTERM (it finishes the job in hand first; a second signal stops it at once, and the job it was running is
then marked failed by the next worker that looks, after its heartbeat goes stale).
"""

import signal
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser

from corredor.core import jobs
from corredor.core.management.base import ApplicationCommand


class Command(ApplicationCommand):
    help = "Run background jobs (watchlist imports) until stopped; --once runs what waits, then exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the jobs waiting now, then exit")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks (default 2)")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = [False]

        def stop(signum: int, frame: FrameType | None) -> None:
            if stopping[0]:
                raise KeyboardInterrupt
            stopping[0] = True
            self.stderr.write("corredor work: stopping after the job in hand (signal again to stop now)")

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        worker = jobs.worker_name()
        kinds = ", ".join(k.name for k in jobs.registered()) or "none"
        if not options["once"]:
            self.stdout.write(f"corredor work: {worker} running jobs ({kinds})")
        ran = jobs.work(
            worker=worker, once=options["once"], poll_seconds=options["poll"], should_stop=lambda: stopping[0]
        )
        if options["once"]:
            self.stdout.write(f"{ran} jobs run.")
