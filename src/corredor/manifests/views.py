"""The post's flights and their passenger lists, one flight (hits to prepare for, changes, reconciliation),
and API coverage per carrier. Thin: parse, permit, call a selector, render. An `ApplicationError` (a bad
query parameter, a refusal) is left to the error boundary (`corredor.core.middleware`)."""

import uuid
import zoneinfo
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from corredor.border.views import desk_post
from corredor.core.errors import ApplicationError
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.models import BorderPost
from corredor.core.selectors import posts_active
from corredor.manifests import selectors

# Without a day chosen, the list runs from flights that landed this long ago to the end of the day after
# tomorrow: the flights still being processed, and those to prepare for.
RECENT = timedelta(hours=12)


def _date_param(request: HttpRequest, name: str) -> date | None:
    """The query string's date `name` (YYYY-MM-DD), None when not given; 400 when it is not a real date or
    lies outside the years flights are looked for in."""
    text = (request.GET.get(name) or "").strip()
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:  # well formed, impossible: 2025-02-30
        day = None
    if day is None or not selectors.FIRST_YEAR <= day.year <= selectors.LAST_YEAR:
        raise ApplicationError(
            _("%(field)s must be a date written YYYY-MM-DD between %(first)s and %(last)s, not %(value)r.")
            % {"field": name, "first": selectors.FIRST_YEAR, "last": selectors.LAST_YEAR, "value": text[:20]},
            detail={"field": name},
        )
    return day


def _post_param(request: HttpRequest) -> str | None:
    """The query string's post, checked (400 when there is no such post); None when not given."""
    code = (request.GET.get("post") or "").strip()
    return selectors.post_check(code) if code else None


@login_required
def flight_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _post_param(request)
    day = _date_param(request, "day")
    post = desk_post(request)
    today = timezone.localdate()
    if day is not None:
        start, end = selectors.start_of_day(day), selectors.start_of_day(day + timedelta(days=1))
    else:
        start, end = timezone.now() - RECENT, selectors.start_of_day(today + timedelta(days=3))
    rows = selectors.flights_for_post(user=request.user, post_code=post, start=start, end=end)
    days: dict[object, list[selectors.FlightSummary]] = {}
    for row in rows:
        days.setdefault(timezone.localdate(row.flight.expected_at), []).append(row)
    shown = day or today
    return render(
        request,
        "manifests/flights.html",
        {
            "post": BorderPost.objects.get(code=post),
            "posts": posts_active(),
            "days": days,
            "day": day,
            "previous_day": shown - timedelta(days=1),
            "next_day": shown + timedelta(days=1),
            "totals": {
                "flights": len(rows),
                "passengers": sum(r.passengers for r in rows),
                "crew": sum(r.crew for r in rows),
                "hits_open": sum(r.hits_open for r in rows),
                "not_screened": sum(r.not_screened for r in rows),
            },
        },
    )


@login_required
def flight_page(request: AuthenticatedHttpRequest, flight_id: uuid.UUID) -> HttpResponse:
    detail = selectors.flight_detail(
        user=request.user,
        flight_id=flight_id,
        page=request.GET.get("page"),
        people=request.GET.get("people") or "all",
    )
    timezone.activate(zoneinfo.ZoneInfo(detail.flight.post.timezone))
    return render(request, "manifests/flight.html", {"detail": detail, "flight": detail.flight})


@login_required
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    date_to = _date_param(request, "date_to") or today
    date_from = _date_param(request, "date_from") or date_to - timedelta(days=29)
    post = _post_param(request)
    result = selectors.api_coverage(user=request.user, post=post, date_from=date_from, date_to=date_to)
    return render(request, "manifests/coverage.html", {"coverage": result, "posts": posts_active()})
