"""Home (where each role starts) and the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from corredor.core.errors import ApplicationError
from corredor.core.middleware import error_response
from corredor.core.models import AuditEntry, Role
from corredor.core.permissions import permit_audit_log


def render_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """What the error boundary answers for `error`. New views do not call this: they let the error go and
    the boundary (`corredor.core.middleware`) renders it; it stays for views not yet converted."""
    return error_response(request, error)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role
    if role in (Role.OFFICER, Role.SUPERVISOR):
        return redirect("desk")
    if role == Role.AUDITOR:
        return redirect("audit-log")
    if role == Role.WATCHLIST_MANAGER:
        return redirect("screening-watchlists")
    if role == Role.ANALYST:
        return redirect("statistics")
    if role == Role.ADMINISTRATOR:
        return redirect("post-day")
    return render(request, "core/home.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    permit_audit_log(request.user)
    entries = AuditEntry.objects.order_by("-id")
    who = request.GET.get("who", "").strip()
    if who:
        entries = entries.filter(username=who)
    record = request.GET.get("record", "").strip()
    if record:
        entries = entries.filter(object_id=record)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "who": who, "record": record})
