"""Home (where each role starts) and the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from corredor.core.errors import ApplicationError
from corredor.core.models import AuditEntry, Role
from corredor.core.permissions import permit_audit_log


def render_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """One page (or htmx fragment) for every refusal and error a person can meet."""
    template = "core/_error.html" if request.headers.get("HX-Request") else "core/error.html"
    return render(request, template, {"error": error}, status=error.status)


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
    try:
        permit_audit_log(request.user)
    except ApplicationError as error:
        return render_error(request, error)
    entries = AuditEntry.objects.order_by("-id")
    who = request.GET.get("who", "").strip()
    if who:
        entries = entries.filter(username=who)
    record = request.GET.get("record", "").strip()
    if record:
        entries = entries.filter(object_id=record)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "who": who, "record": record})
