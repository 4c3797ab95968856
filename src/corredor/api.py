"""The versioned JSON API: one NinjaAPI, each app's router mounted on it. Docs at /api/v1/docs.

The API's side of the error boundary (see `corredor.core.errors`): handlers let `ApplicationError` go and
the exception handlers below answer `{"message", "detail"}` with its status, after writing a refusal's
audit row; a database that stayed locked answers 503 ("busy, try again; nothing was recorded").
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from corredor.core.audit import _current, actor_for
from corredor.core.errors import ApplicationError, Busy, NotFound, UnsupportedMediaType, busy_from
from corredor.core.middleware import audit_after_rollback, client_address, too_large
from corredor.core.models import ApiToken


def _authenticate_token(request: HttpRequest, token: str) -> Any:
    token_row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
        .first()
    )
    if token_row is None:
        return None
    ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=timezone.now())
    request.user = token_row.user
    # The audit trail names the token's user for everything this request does.
    _current.set(actor_for(token_row.user, client_address(request)))
    return token_row.user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _authenticate_token(request, token)


class TokenHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _authenticate_token(request, key) if key else None


class BrowserSession(SessionAuth):
    """The signed-in browser's session (the docs page, htmx). Without one, the request is not authenticated
    (401), rather than refused for a missing CSRF token as Ninja's session check would answer first; with
    one, the CSRF check still applies to writes."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


class JsonBodyParser(Parser):
    """A JSON body must say it is JSON: any other content type is 415, as docs/api.md promises."""

    def parse_body(self, request: HttpRequest) -> Any:
        # Ninja parses multipart form fields through a bare HttpRequest, whose content_type is None.
        content_type = request.content_type
        if content_type is not None and not is_json(content_type.lower()):
            raise UnsupportedMediaType(
                _("Send the body as JSON (Content-Type: application/json)."),
                detail={"content_type": content_type or None, "expected": "application/json"},
            )
        return super().parse_body(request)


class Docs(Swagger):
    """The interactive documentation, with a way back to the application."""

    template = "api/docs.html"


api = NinjaAPI(
    title="Corredor API",
    version="1",
    description="Border crossings, travellers, stays and overstays. Authenticate with `Authorization: Bearer "
    '<token>` (make one with `corredor token create USERNAME`). Errors are `{"message", "detail"}`.',
    auth=[BearerToken(), TokenHeader(), BrowserSession()],
    urls_namespace="api-v1",
    parser=JsonBodyParser(),
    docs=Docs(),
)


def _error(request: HttpRequest, status: int, message: str, detail: Any = None) -> HttpResponse:
    # The project's renderer also serves a test's own NinjaAPI that installs these handlers.
    return api.create_response(request, {"message": message, "detail": detail}, status=status)


def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    audit_after_rollback(exc)
    response = _error(request, exc.status, exc.message, exc.detail)
    if isinstance(exc, Busy):
        response["Retry-After"] = str(exc.retry_after)
    return response


def on_database_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    busy = busy_from(exc)
    if busy is None:
        raise exc  # a real fault: Django's 500 (logged), never a stack trace to the client
    return on_application_error(request, busy)


def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {
            "field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload")),
            "message": err.get("msg"),
        }
        for err in exc.errors
    ]
    return _error(request, 422, _("The request is not valid: see detail for each field."), detail)


def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Authentication required: send a valid API token."))


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja wraps whatever the body parser raised in "400 Cannot parse request body".
    if isinstance(exc.__cause__, ApplicationError):
        return on_application_error(request, exc.__cause__)
    if exc.status_code == 400 and "parse request body" in str(exc):
        return _error(request, 400, _("The request body is not valid JSON."))
    return _error(request, exc.status_code, str(exc))


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return on_application_error(request, NotFound(_("Not found.")))


def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return on_application_error(request, too_large())


def install_error_handlers(target: NinjaAPI) -> None:
    """The API's error boundary on `target` (the project's API; a test's own API)."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ApplicationError, on_application_error),
        (OperationalError, on_database_error),
        (NinjaValidationError, on_validation_error),
        (AuthenticationError, on_auth_error),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (RequestDataTooBig, on_too_large),
    ]
    for exception_class, handler in handlers:
        target.add_exception_handler(exception_class, handler)


install_error_handlers(api)


# Each app's router and where it is mounted; an app that this mode does not install (see CORREDOR_MODE)
# has no API.
ROUTERS = [
    ("corredor.border", "/"),
    ("corredor.screening", "/screening/"),
    ("corredor.statistics", "/statistics/"),
    ("corredor.manifests", "/manifests/"),
    ("corredor.sync", "/sync/"),
    ("corredor.protection", "/protection/"),
    ("corredor.displacement", "/displacement/"),
    ("corredor.infohub", "/hub/"),
]


def _mount() -> None:
    for app, prefix in ROUTERS:
        if apps.is_installed(app):
            api.add_router(prefix, f"{app}.api.router")


_mount()
