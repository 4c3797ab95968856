"""Background jobs: a registry of job kinds that apps fill in, run by `corredor work`.

There is no job table here: each app keeps its own jobs in its own model (screening's ``ImportJob``) and
registers, once in ``AppConfig.ready``, how to

- ``claim`` one queued job for a worker (a conditional UPDATE on the app's table, so that two workers never
  run the same job; None when nothing waits),
- ``run`` a claimed job to its end (recording its outcome on the job; it writes a heartbeat as it goes), and
- ``reap`` what died: running jobs with an old heartbeat (their process was killed) are marked failed with
  the reason, abandoned ones expire.

The web process only queues; the worker does the long work (an import holds no web request or thread).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    name: str
    claim: Callable[[str], Any | None]
    run: Callable[[Any], None]
    reap: Callable[[], int] | None = None


_kinds: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    claim: Callable[[str], Any | None],
    run: Callable[[Any], None],
    reap: Callable[[], int] | None = None,
) -> None:
    """Register (or replace) the job kind `name`."""
    _kinds[name] = JobKind(name, claim, run, reap)


def registered() -> list[JobKind]:
    return list(_kinds.values())


def worker_name() -> str:
    """How a worker names itself on the jobs it claims: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def reap_all() -> int:
    """Run every kind's reaper; how many jobs they ended."""
    ended = 0
    for kind in registered():
        if kind.reap is not None:
            try:
                ended += kind.reap()
            except Exception:  # one kind's failure must not stop the others
                log.exception("reaping %s jobs failed", kind.name)
    return ended


def run_one(worker: str) -> str | None:
    """Claim and run one job of the first kind that has one; the kind's name, or None when none waits."""
    for kind in registered():
        job = kind.claim(worker)
        if job is None:
            continue
        log.info("%s: running %s job %s", worker, kind.name, getattr(job, "pk", job))
        kind.run(job)
        return kind.name
    return None


def work(
    *,
    worker: str | None = None,
    once: bool = False,
    poll_seconds: float = 2.0,
    should_stop: Callable[[], bool] = lambda: False,
    reap_every_seconds: float = 30.0,
) -> int:
    """Reap, then run jobs until `should_stop()` (or, with `once`, until none waits). Returns jobs run."""
    worker = worker or worker_name()
    ran = 0
    last_reap = float("-inf")
    while not should_stop():
        # Between jobs a long-running worker drops a dead connection; inside an atomic block (a caller's
        # transaction, a test case) closing it would throw that transaction away.
        if not connection.in_atomic_block:
            close_old_connections()
        if time.monotonic() - last_reap >= reap_every_seconds:
            reap_all()
            last_reap = time.monotonic()
        if run_one(worker) is not None:
            ran += 1
            continue
        if once:
            break
        time.sleep(poll_seconds)
    return ran
