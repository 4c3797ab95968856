"""The one error type that services raise, turned into one response shape by views and the API."""

from typing import Any


class ApplicationError(Exception):
    """A request that cannot be carried out, with a message for a person and optional detail.

    `status` is the HTTP status the API answers with: 400 bad input, 403 not allowed, 404 not found,
    409 conflicts with what is stored.
    """

    def __init__(self, message: str, *, detail: Any = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = str(message)
        self.detail = detail
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "detail": self.detail}


class PermissionDenied(ApplicationError):
    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message, detail=detail, status=403)


class NotFound(ApplicationError):
    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message, detail=detail, status=404)
