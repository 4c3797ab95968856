"""The errors that services raise, and what the one boundary makes of them.

Services, selectors and permission checks raise `ApplicationError` (or a subclass) with a message for a
person; they never build a response. One boundary turns the error into what the caller sees:

- a web page or an htmx fragment: `corredor.core.middleware.ErrorBoundaryMiddleware.process_exception`;
- JSON `{"message", "detail"}` with the error's status: the API's exception handlers (`corredor.api`);
- a message on stderr and an exit status: `corredor.core.management.base.ApplicationCommand`.

So a view, an API handler or a command does not catch `ApplicationError`; it lets it go. A service is
simply `@transaction.atomic`: the exception rolls its writes back on the way out.

Refusals (`PermissionDenied`, built by `corredor.core.permissions.refuse`) must be audited even though the
transaction that raised them is rolled back. `refuse()` writes the audit row at once when no transaction
is open (nothing can undo it); inside one it leaves the row to the boundary, which calls `audit_refusal()`
after every atomic block has been left, so the row survives the rollback (also under an outer atomic block).

A SQLite "database is locked" (another writer held the lock past the busy timeout) or a PostgreSQL lock or
serialisation failure is not a bug but a busy moment: `busy_from()` turns it into `Busy` (503, "try again;
nothing was recorded"), so an officer never sees a server error for it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy


class ApplicationError(Exception):
    """A request that cannot be carried out, with a message for a person and optional detail.

    `status` is the HTTP status the API answers with: 400 bad input, 403 not allowed, 404 not found,
    409 conflicts with what is stored, 503 busy. `title` is the page's heading (a short, translated phrase);
    subclasses give one for their status.
    """

    default_status = 400

    def __init__(self, message: Any, *, detail: Any = None, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.detail = detail
        self.status = status if status is not None else self.default_status

    @property
    def title(self) -> str:
        return str(TITLES.get(self.status, TITLES[400]))

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "detail": self.detail}


class PermissionDenied(ApplicationError):
    """A refusal. Build it with `corredor.core.permissions.refuse()`, which records what was refused so that
    the boundary can audit it after the rollback (`audit_refusal`)."""

    default_status = 403

    def __init__(self, message: Any, *, detail: Any = None, what: str = "", actor: Any = None) -> None:
        super().__init__(message, detail=detail)
        self.what = what
        # The actor at the moment of the refusal: the boundary may run after the request's actor is gone.
        self.actor = actor
        # True once the refusal's audit row is written (at once, or by the boundary): never twice.
        self.audited = False


class NotFound(ApplicationError):
    default_status = 404


class Conflict(ApplicationError):
    """The request contradicts what is stored (a stay already open, the same id with another body)."""

    default_status = 409


class TooLarge(ApplicationError):
    default_status = 413


class UnsupportedMediaType(ApplicationError):
    default_status = 415


class Busy(ApplicationError):
    """The database stayed locked past the busy timeout: nothing was recorded, the same request can be sent
    again. `retry_after` is the number of seconds to suggest."""

    default_status = 503

    def __init__(self, message: Any = None, *, detail: Any = None, retry_after: int = 5) -> None:
        super().__init__(
            message
            or gettext_lazy("The system is busy. Nothing was recorded: please try again in a few seconds."),
            detail=detail,
        )
        self.retry_after = retry_after


TITLES: dict[int, Any] = {
    400: gettext_lazy("Not possible"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Conflict with what is recorded"),
    413: gettext_lazy("Too large"),
    415: gettext_lazy("Unsupported content type"),
    422: gettext_lazy("Not valid"),
    503: gettext_lazy("Busy, try again"),
}

# PostgreSQL's SQLSTATEs for "another transaction is in the way": lock_not_available, serialization_failure,
# deadlock_detected. Anything else (a missing table, a lost server) is a real fault and stays a 500.
_BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})


def busy_from(error: BaseException) -> Busy | None:
    """A `Busy` for a database error that only means "locked, try again"; None for any other error."""
    from django.db import OperationalError

    if not isinstance(error, OperationalError):
        return None
    text = str(error).lower()
    # SQLite: "database is locked" (busy timeout passed), "database table is locked" and "database schema is
    # locked" (shared-cache connections), all of them "another writer holds the lock".
    if text.startswith("database") and "is locked" in text:
        return Busy()
    sqlstate = getattr(error.__cause__, "sqlstate", None) or getattr(error.__cause__, "pgcode", None)
    if sqlstate in _BUSY_SQLSTATES:
        return Busy()
    return None


def audit_refusal(error: ApplicationError) -> None:
    """Write a refusal's audit row if it is not written yet. The boundary calls it after the rollback."""
    # A PermissionDenied made by hand (no `what`) was audited, or not, by whoever made it: only refusals
    # built by `refuse()` are the boundary's to write.
    if not isinstance(error, PermissionDenied) or error.audited or not error.what:
        return
    from corredor.core.audit import audit_write

    audit_write(
        action="denied",
        object_type="permission",
        object_id=error.what,
        summary=error.message,
        actor=error.actor,
    )
    error.audited = True
