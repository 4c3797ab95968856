"""The person's own account: the second factor at login, enrolment, recovery codes, password change, and
the page a locked-out login meets."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from corredor.core import twofactor
from corredor.core.audit import audit_write
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.security import two_factor_required


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or one recovery code."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not twofactor.has_confirmed_device(user):
        if two_factor_required(user):
            return redirect("two-factor-enrol")
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        device = match_token(user, token) if token else None
        if device is not None:
            otp_login(request, device)
            audit_write(
                action="login",
                object_type="core.user",
                object_id=user.pk,
                summary="second factor: "
                + (
                    "recovery code" if device.persistent_id.startswith("otp_static") else "authenticator code"
                ),
            )
            return redirect(_next_url(request))
        audit_write(
            action="login_failed", object_type="core.user", object_id=user.pk, summary="second factor"
        )
        error = _("That code is not right, or was used already. Try the code your app shows now.")
    return render(request, "core/two_factor_verify.html", {"error": error, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code drawn here, the secret to type by hand, then one code to
    confirm. A person who already has a device must give its code first (a stolen session cannot enrol a
    second phone)."""
    user: Any = request.user
    if twofactor.has_confirmed_device(user) and not user.is_verified():
        return redirect("two-factor-verify")
    device = twofactor.totp_device_pending(user=user)
    error = ""
    if request.method == "POST":
        codes = twofactor.two_factor_confirm(user=user, device=device, token=request.POST.get("token", ""))
        if codes is not None:
            otp_login(request, device)
            return render(request, "core/recovery_codes.html", {"codes": codes})
        error = _("That code is not right. Check the time on the phone and type the code shown now.")
    context = {
        "qr": twofactor.qr_svg_data_uri(device.config_url),
        "uri": device.config_url,
        "secret": twofactor.manual_secret(device),
        "required": two_factor_required(user),
        "enrolled": twofactor.has_confirmed_device(user),
        "error": error,
    }
    return render(request, "core/two_factor_enrol.html", context)


@login_required
@require_http_methods(["POST"])
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_verified():
        return redirect("two-factor-verify")
    codes = twofactor.recovery_codes_issue(user=user)
    audit_write(action="update", object_type="core.user", object_id=user.pk, summary="recovery codes renewed")
    return render(request, "core/recovery_codes.html", {"codes": codes})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person changes their own password (the old one first); the session stays, others are ended."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_write(action="update", object_type="core.user", object_id=user.pk, summary="password changed")
        messages.success(request, _("Your password was changed."))
        return redirect("home")
    return render(
        request,
        "core/password_change.html",
        {"form": form, "two_factor": twofactor.has_confirmed_device(request.user)},
    )


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """What django-axes answers while an account or an address is locked: a page in the person's language
    that says how long to wait (429)."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "core/locked_out.html", context, status=429)
