"""The post's flights and their passenger lists, one flight (hits to prepare for, changes, reconciliation),
and API coverage per carrier. Thin: parse, permit, call a selector, render."""

import uuid
import zoneinfo
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from corredor.border.views import desk_post
from corredor.core.errors import ApplicationError
from corredor.core.models import BorderPost
from corredor.core.selectors import posts_active
from corredor.core.views import render_error
from corredor.manifests import selectors

# Without a day chosen, the list runs from flights that landed this long ago to the end of the day after
# tomorrow: the flights still being processed, and those to prepare for.
RECENT = timedelta(hours=12)


@login_required
def flight_list(request: HttpRequest) -> HttpResponse:
    post = desk_post(request)
    day = parse_date(request.GET.get("day") or "")
    today = timezone.localdate()
    if day is not None:
        start, end = selectors.start_of_day(day), selectors.start_of_day(day + timedelta(days=1))
    else:
        start, end = timezone.now() - RECENT, selectors.start_of_day(today + timedelta(days=3))
    try:
        rows = selectors.flights_for_post(user=request.user, post_code=post, start=start, end=end)
    except ApplicationError as error:
        return render_error(request, error)
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
def flight_page(request: HttpRequest, flight_id: uuid.UUID) -> HttpResponse:
    try:
        detail = selectors.flight_detail(user=request.user, flight_id=flight_id)
    except ApplicationError as error:
        return render_error(request, error)
    timezone.activate(zoneinfo.ZoneInfo(detail.flight.post.timezone))
    return render(request, "manifests/flight.html", {"detail": detail, "flight": detail.flight})


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    date_to = parse_date(request.GET.get("date_to") or "") or today
    date_from = parse_date(request.GET.get("date_from") or "") or date_to - timedelta(days=29)
    post = (request.GET.get("post") or "").upper() or None
    try:
        result = selectors.api_coverage(user=request.user, post=post, date_from=date_from, date_to=date_to)
    except ApplicationError as error:
        return render_error(request, error)
    return render(request, "manifests/coverage.html", {"coverage": result, "posts": posts_active()})
