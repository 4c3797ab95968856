"""Sets who is acting and from where for the audit trail, once per request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from corredor.core.audit import acting_as, actor_for


def client_address(request: HttpRequest) -> str:
    from corredor.core.security import client_ip  # behind trusted proxies, the address they saw

    return client_ip(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A view may show times in its post's zone; never let that leak into the next request on this thread.
        timezone.deactivate()
        with acting_as(actor_for(getattr(request, "user", None), client_address(request))):
            return self.get_response(request)
