"""A URLconf for the error-boundary tests: the project's URLs plus views and API operations that fail the
ways real services do (a write, then an error, inside one or two atomic blocks)."""

from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from corredor.api import install_error_handlers
from corredor.core.errors import Conflict
from corredor.core.models import Role, User
from corredor.core.permissions import refuse
from corredor.core.schemas import StrictSchema
from corredor.urls import urlpatterns as project_urlpatterns


def _write_then_refuse(request: HttpRequest) -> None:
    # The write must be rolled back; the refusal's audit row must survive.
    User.objects.create(username="ghost", role=Role.ANALYST)
    raise refuse(request.user, "Only testers may do this.", "boundary:test")


@transaction.atomic
def refused_in_service(request: HttpRequest) -> HttpResponse:
    _write_then_refuse(request)
    return HttpResponse("not reached")


def refused_in_nested_atomic(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), transaction.atomic():
        _write_then_refuse(request)
    return HttpResponse("not reached")


@transaction.atomic
def conflict(request: HttpRequest) -> HttpResponse:
    User.objects.create(username="ghost", role=Role.ANALYST)
    raise Conflict(
        "The traveller is already in the country.", detail=[{"message": "Open stay since 2024-01-01."}]
    )


def locked(request: HttpRequest) -> HttpResponse:
    # The exception SQLite's driver raises when another writer keeps the lock past the busy timeout.
    with transaction.atomic():
        User.objects.create(username="ghost", role=Role.ANALYST)
        raise OperationalError("database is locked")


@transaction.atomic
def write(request: HttpRequest) -> HttpResponse:
    User.objects.create(username="ghost", role=Role.ANALYST)
    return HttpResponse("written", status=201)


def broken(request: HttpRequest) -> HttpResponse:
    raise OperationalError("no such table: nowhere")


boundary_api = NinjaAPI(urls_namespace="boundary-test", docs_url=None)
install_error_handlers(boundary_api)


@boundary_api.post("/refused", auth=None)
def api_refused(request: HttpRequest) -> dict[str, str]:
    with transaction.atomic(), transaction.atomic():
        _write_then_refuse(request)
    return {}


@boundary_api.post("/locked", auth=None)
def api_locked(request: HttpRequest) -> dict[str, str]:
    return {"never": locked(request).content.decode()}


@boundary_api.post("/write", auth=None)
def api_write(request: HttpRequest) -> dict[str, str]:
    return {"answer": write(request).content.decode()}


class StayIn(StrictSchema):
    stay_days: int = 30


@boundary_api.post("/strict", auth=None)
def api_strict(request: HttpRequest, payload: StayIn) -> dict[str, int]:
    return {"stay_days": payload.stay_days}


@boundary_api.get("/broken", auth=None)
def api_broken(request: HttpRequest) -> dict[str, str]:
    return {"never": broken(request).content.decode()}


urlpatterns = [
    path("boundary/refused", refused_in_service),
    path("boundary/refused-nested", refused_in_nested_atomic),
    path("boundary/conflict", conflict),
    path("boundary/locked", locked),
    path("boundary/write", write),
    path("boundary/broken", broken),
    path("api/boundary-plain/refused", refused_in_nested_atomic),
    path("api/boundary/", boundary_api.urls),
    *project_urlpatterns,
]
