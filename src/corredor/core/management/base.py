"""The command line's side of the error boundary (see `corredor.core.errors`).

Commands subclass `ApplicationCommand` instead of Django's `BaseCommand` and let `ApplicationError` go:
from the shell, its message (and detail) is printed to stderr and the process exits with a status that
says what kind of error it was; through `call_command` (tests, other commands) the error itself propagates.
Either way a refusal's audit row is written after the rollback.

It lives here rather than in `corredor.clitools` because the pure cores' command lines import `clitools`,
and they must import no Django.
"""

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, OutputWrapper

from corredor.core.errors import ApplicationError, Busy, PermissionDenied, busy_from
from corredor.core.middleware import audit_after_rollback

# sysexits.h: scripts around the commands can tell "try again" from "not allowed" from "bad input".
EXIT_INPUT = 65  # EX_DATAERR
EXIT_BUSY = 75  # EX_TEMPFAIL
EXIT_REFUSED = 77  # EX_NOPERM
EXIT_OTHER = 1


def wrapped_stream(output: OutputWrapper) -> TextIO:
    """The stream under a command's `self.stdout` or `self.stderr` (a progress bar redraws it in place, a
    pure core's command line writes to it). Django keeps it in `_out`, which its stubs do not declare."""
    return cast(TextIO, output._out)


def exit_status(error: ApplicationError) -> int:
    if isinstance(error, Busy):
        return EXIT_BUSY
    if isinstance(error, PermissionDenied):
        return EXIT_REFUSED
    if 400 <= error.status < 500:
        return EXIT_INPUT
    return EXIT_OTHER


def format_error(error: ApplicationError) -> str:
    """The message, then one line per item of detail (a list of {"message"} or {"field", "message"}, a
    mapping, or a plain value)."""
    lines = [error.message]
    detail = error.detail
    if isinstance(detail, dict):
        lines += [f"  {key}: {value}" for key, value in detail.items()]
    elif isinstance(detail, list | tuple):
        for item in detail:
            if isinstance(item, dict) and "message" in item:
                where = item.get("field") or item.get("row") or item.get("line")
                lines.append(f"  {where}: {item['message']}" if where else f"  {item['message']}")
            else:
                lines.append(f"  {item}")
    elif detail not in (None, ""):
        lines.append(f"  {detail}")
    return "\n".join(lines)


class ApplicationCommand(BaseCommand):
    """A management command whose `ApplicationError` becomes a message on stderr and an exit status."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except Exception as exc:
            error = exc if isinstance(exc, ApplicationError) else busy_from(exc)
            if error is None:
                raise
            audit_after_rollback(error)
            if error is exc:
                raise
            raise error from exc

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except ApplicationError as error:
            sys.stderr.write(format_error(error) + "\n")
            sys.exit(exit_status(error))
