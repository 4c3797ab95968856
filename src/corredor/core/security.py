"""Session security that every page shares: the idle timeout, two-factor authentication for the roles
that must have it, and no caching of pages that show personal data."""

import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write

LAST_SEEN_KEY = "corredor_last_seen"
ENROLLED_KEY = "corredor_2fa_enrolled"
# A session's last-seen time is rewritten at most this often, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 30


def _address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.CORREDOR_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = request.META.get(settings.CORREDOR_CLIENT_IP_HEADER, "")
    forwarded = [a.strip() for a in header.split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # a proxy that wrote something else is misconfigured: fall back to the socket


def client_ip(request: HttpRequest) -> str:
    """The client's address. Directly connected, the socket's; behind N trusted proxies (each appending
    the address it received from to the forwarded-for header), the N-th entry from the right. Entries to
    the left of it were written by the client and are never believed."""
    return _address(request) or "unknown"


def axes_client_ip(request: HttpRequest) -> str | None:
    """The same address for login throttling (None where there is none, as for a test's force_login)."""
    return _address(request)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an htmx request (which would otherwise swap the page into a box)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class IdleTimeoutMiddleware:
    """Logs out a session that made no request for CORREDOR_SESSION_IDLE_MINUTES: a desk left open is
    closed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle_minutes = settings.CORREDOR_SESSION_IDLE_MINUTES
        user = getattr(request, "user", None)
        if idle_minutes > 0 and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > idle_minutes * 60:
                audit_write(
                    action="logout",
                    object_type="core.user",
                    object_id=user.pk,
                    summary=f"logged out after {idle_minutes} minutes without activity",
                )
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity.")
                    % {"minutes": idle_minutes},
                )
                return _redirect(request, f"{reverse('login')}?next={request.path}")
            if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def two_factor_required(user: object) -> bool:
    """Whether this user's role must log in with a second factor."""
    return bool(settings.CORREDOR_REQUIRE_2FA and getattr(user, "role", None) in settings.CORREDOR_2FA_ROLES)


# What a person who still owes the second factor may reach: the pages to give or set it up, logging out,
# the language switch and the static files those pages need.
_OPEN_URL_NAMES = ("two-factor-verify", "two-factor-enrol", "logout", "set_language")


class TwoFactorRequiredMiddleware:
    """Administrators, supervisors, watchlist managers and auditors reach nothing but enrolment and the
    one-time code page until a device is verified in their session. API tokens are not sessions: they are
    checked by the API and are unaffected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and (two_factor_required(user) or self._enrolled(request))
            and not self._open(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": _("Two-factor authentication is required for your role."), "detail": None},
                    status=403,
                )
            target = reverse("two-factor-verify")
            if request.method == "GET" and not request.headers.get("HX-Request") and request.path != "/":
                target += "?" + urlencode({"next": request.get_full_path()})
            return _redirect(request, target)
        return self.get_response(request)

    @staticmethod
    def _enrolled(request: HttpRequest) -> bool:
        """Whether a person who may choose (an officer, an analyst) chose a second factor: then it is asked
        too. Looked up once per session."""
        enrolled = request.session.get(ENROLLED_KEY)
        if enrolled is None:
            from django_otp import user_has_device

            enrolled = user_has_device(request.user, confirmed=True)
            request.session[ENROLLED_KEY] = enrolled
        return bool(enrolled)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        if request.path.startswith(static):
            return True
        open_paths = {reverse(name) for name in _OPEN_URL_NAMES}
        return request.path in open_paths


class NoStoreMiddleware:
    """Pages answered to a logged-in person, and API answers (token requests are not sessions), may hold
    personal data: no browser or proxy keeps a copy (a shared desk computer's cache, the back button after
    logging out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
