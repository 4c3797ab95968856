"""Home (where each role starts) and the audit log: filtered by person, record and dates, exported as
CSV, with the chain's verification status."""

import csv
import datetime
import time
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core.audit import audit_verify, audit_write
from corredor.core.errors import ApplicationError
from corredor.core.exports import safe_row
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.middleware import error_response
from corredor.core.models import AuditEntry, Role
from corredor.core.permissions import permit_audit_log


def render_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """What the error boundary answers for `error`. New views do not call this: they let the error go and
    the boundary (`corredor.core.middleware`) renders it; it stays for views not yet converted."""
    return error_response(request, error)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
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
    if role == Role.INFORMATION_EDITOR:
        return redirect("hub-editor")
    return render(request, "core/home.html")


def _date(request: HttpRequest, name: str) -> tuple[datetime.date | None, str]:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, ""
    try:
        return datetime.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("“%(value)s” is not a date (YYYY-MM-DD); the filter was not applied.") % {
            "value": raw[:20]
        }


def _filtered(request: HttpRequest) -> tuple[QuerySet[AuditEntry], dict[str, Any]]:
    """The entries the query string asks for, and the filters as the form shows them. Dates are days in
    the installation's time zone, both included."""
    entries = AuditEntry.objects.order_by("-sequence")
    who = request.GET.get("who", "").strip()[:150]
    if who:
        entries = entries.filter(username=who)
    record = request.GET.get("record", "").strip()[:64]
    if record:
        entries = entries.filter(object_id=record)
    since, since_error = _date(request, "from")
    until, until_error = _date(request, "to")
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.datetime.combine(since, datetime.time.min, zone))
    if until:
        entries = entries.filter(
            at__lt=datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, zone)
        )
    filters = {
        "who": who,
        "record": record,
        "since": since.isoformat() if since else request.GET.get("from", "")[:20],
        "until": until.isoformat() if until else request.GET.get("to", "")[:20],
        "errors": [e for e in (since_error, until_error) if e],
        "query": request.GET.urlencode(),
    }
    return entries, filters


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    permit_audit_log(request.user)
    entries, filters = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, **filters})


@login_required
def audit_status(request: HttpRequest) -> HttpResponse:
    """The chain walked now (loaded after the page: on a long log it takes a moment)."""
    permit_audit_log(request.user)
    started = time.monotonic()
    count, problems = audit_verify()
    context = {
        "count": count,
        "problems": problems[:20],
        "more": max(0, len(problems) - 20),
        "seconds": time.monotonic() - started,
        "checked_at": timezone.now(),
    }
    return render(request, "core/_audit_status.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV (the export is itself audited, with its filters)."""
    permit_audit_log(request.user)
    entries, filters = _filtered(request)
    audit_write(
        action="export", object_type="core.auditentry", summary=f"audit log CSV: {filters['query']}"[:500]
    )
    header = [
        "sequence",
        "at",
        "username",
        "role",
        "origin",
        "action",
        "object_type",
        "object_id",
        "summary",
        "entry_hash",
    ]
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(header)
        for e in entries.order_by("sequence").iterator(chunk_size=2000):
            cells = [e.username, e.role, e.origin, e.action, e.object_type, e.object_id, e.summary]
            yield writer.writerow([e.sequence, e.at.isoformat(), *safe_row(cells), e.entry_hash])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="corredor-audit-{stamp}.csv"'
    return response
