"""Pieces shared by the pure cores' command lines (`corredor mrz`, `corredor paxlst`, `corredor screen`).

The streams are parameters so that the Django management commands, tests and other callers decide where text
goes; nothing here touches `sys.exit`.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class CliExit(Exception):
    """Raised instead of exiting the process; `status` is the exit status the command should return."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class StreamArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that writes to the given streams and raises CliExit instead of calling sys.exit."""

    def __init__(self, *, stdout: TextIO, stderr: TextIO, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stdout = stdout
        self._stderr = stderr

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            self._stdout.write(message)
        elif file is sys.stderr:
            self._stderr.write(message)
        else:
            file.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._stderr.write(message)
        raise CliExit(status)


class ProgressBar:
    """A one-line progress bar with rate and time left, redrawn in place (at most ten times a second)."""

    def __init__(self, label: str, *, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self.drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.drawn < 0.1:
            return
        self.drawn = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {fraction:6.1%} {done:,}/{total:,} {rate:,.0f}/s, {left:4.0f} s left "
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
