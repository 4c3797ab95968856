"""Once per request: who is acting and from where (for the audit trail), and the web's error boundary.

The error boundary (`AuditContextMiddleware.process_exception`, see `corredor.core.errors`) turns an
`ApplicationError` that a view let go into what the person sees:

- a full page (`core/error.html`: heading, message, detail) with the error's status code;
- for an htmx request (`HX-Request` header), the fragment `core/_error.html`, with `HX-Retarget` and
  `HX-Reswap: innerHTML` so that it lands in the page's error slot: `#error-slot` (in `base.html`) unless
  the page names another one with a request header, e.g.
  `<form hx-post="..." hx-headers='{"X-Error-Target": "#desk-error"}'>`;
- under `/api/`, JSON `{"message", "detail"}` (the API's own handlers in `corredor.api` answer first;
  this covers what reaches Django's handler from there). Django's own error pages for `/api/` (an unknown
  address, a method the address does not take, a body Django refuses, a server error) are answered as
  JSON too: an API client never has to parse HTML.

A refusal's audit row is written here when the service's transaction had to roll it back. A database that
stayed locked past the busy timeout answers 503 "busy, try again; nothing was recorded", never a 500.
"""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import ApplicationError, Busy, TooLarge, audit_refusal, busy_from

log = logging.getLogger(__name__)

DEFAULT_ERROR_TARGET = "#error-slot"
ERROR_TARGET_HEADER = "X-Error-Target"
# Only a plain id may be named: the header goes back to the browser as a CSS selector.
_TARGET = re.compile(r"#[A-Za-z][\w-]{0,63}")


def client_address(request: HttpRequest) -> str:
    from corredor.core.security import client_ip  # behind trusted proxies, the address they saw

    return client_ip(request)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def too_large() -> TooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return TooLarge(
        _("The request is too large: the limit is %(size)s MB.")
        % {"size": number_format(limit / 1024 / 1024, decimal_pos=1)},
        detail={"limit_bytes": limit},
    )


def application_error_for(exc: BaseException) -> ApplicationError | None:
    """The `ApplicationError` an exception stands for at the boundary, or None for a real fault (a 500)."""
    if isinstance(exc, ApplicationError):
        return exc
    if isinstance(exc, RequestDataTooBig):
        return too_large()
    return busy_from(exc)


def _api_message(status: int, request: HttpRequest, response: HttpResponse) -> tuple[str, object]:
    if status == 404:
        return _("There is no such address in the API: see /api/v1/docs."), {"path": request.path}
    if status == 405:
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        return (
            _("This address does not take %(method)s.") % {"method": request.method},
            {"allowed": allowed},
        )
    if status == 403:
        return _("Not allowed (a signed-in browser must send its CSRF token)."), None
    if status >= 500:
        return _("The server could not answer; the error has been logged."), None
    return _("The request could not be read."), None


def json_for_api(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Django's own HTML error page under /api/ (404, 405, 400, 500 ...) as the API's JSON error shape."""
    if (
        response.status_code < 400
        or not is_api_request(request)
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return response
    message, detail = _api_message(response.status_code, request, response)
    answer = JsonResponse({"message": message, "detail": detail}, status=response.status_code)
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


def audit_after_rollback(error: ApplicationError) -> None:
    """Write a refusal's deferred audit row. The refusal is answered even if the row cannot be written (the
    database still locked): the person is refused either way, and the failure is logged loudly."""
    try:
        audit_refusal(error)
    except Exception as exc:
        if busy_from(exc) is None:
            raise
        log.error("refusal not audited, database busy: %s", error.message)


def error_response(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """The page, htmx fragment or JSON for an error (audit of a refusal included)."""
    audit_after_rollback(error)
    if is_api_request(request):
        response: HttpResponse = JsonResponse(error.as_dict(), status=error.status)
    elif request.headers.get("HX-Request"):
        response = render(request, "core/_error.html", {"error": error}, status=error.status)
        target = request.headers.get(ERROR_TARGET_HEADER, "")
        response["HX-Retarget"] = target if _TARGET.fullmatch(target) else DEFAULT_ERROR_TARGET
        response["HX-Reswap"] = "innerHTML"
        # A page that selects part of its answer (hx-select) would otherwise select nothing from this one.
        response["HX-Reselect"] = ".error-box"
        # corredor.js swaps 4xx answers; this marks a 5xx that also carries a message for the person.
        response["X-Corredor-Error"] = str(error.status)
    else:
        response = render(request, "core/error.html", {"error": error}, status=error.status)
    if isinstance(error, Busy):
        response["Retry-After"] = str(error.retry_after)
    return response


class AuditContextMiddleware:
    """Sets the audit actor for the request and is the web's error boundary (`process_exception`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A view may show times in its post's zone; never let that leak into the next request on this thread.
        timezone.deactivate()
        with acting_as(actor_for(getattr(request, "user", None), client_address(request))):
            return json_for_api(request, self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        error = application_error_for(exception)
        if error is None:
            return None
        return error_response(request, error)


# The name that says what it is; settings list it under its first name.
ErrorBoundaryMiddleware = AuditContextMiddleware
