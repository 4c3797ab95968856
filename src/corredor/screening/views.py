"""Watchlists for their managers (lists, alerts, uploads with a column mapping and a progress bar) and hits
for supervisors (open hits at the post, adjudication, history). Thin: parse, permit, call, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corredor.core.errors import ApplicationError
from corredor.core.models import Role
from corredor.core.selectors import posts_active
from corredor.core.views import render_error
from corredor.screening import selectors, services
from corredor.screening.forms import AdjudicationForm, MappingForm, UploadForm, WatchlistForm
from corredor.screening.models import ImportStatus


@login_required
def watchlists(request: HttpRequest) -> HttpResponse:
    """The lists, and a form to start a new one."""
    form = WatchlistForm(request.POST or None)
    try:
        lists = list(selectors.watchlists_list(user=request.user))
        if request.method == "POST" and form.is_valid():
            watchlist = services.watchlist_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("Watchlist %(code)s created.") % {"code": watchlist.code})
            return redirect("screening-watchlist", code=watchlist.code)
    except ApplicationError as error:
        if error.status == 403:
            return render_error(request, error)
        form.add_error(None, error.message)
    return render(request, "screening/watchlists.html", {"lists": lists, "form": form})


@login_required
def watchlist_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One list: its alerts (searchable, persons or documents), its imports."""
    kind = "documents" if request.GET.get("kind") == "documents" else "persons"
    query = request.GET.get("q", "").strip()
    removed = request.GET.get("removed") == "1"
    try:
        watchlist = selectors.watchlist_get(user=request.user, code=code)
        search = selectors.document_alerts_search if kind == "documents" else selectors.person_alerts_search
        alerts = search(user=request.user, watchlist=watchlist, query=query, removed=removed)
        jobs = list(selectors.import_jobs_list(user=request.user, watchlist=watchlist)[:10])
    except ApplicationError as error:
        return render_error(request, error)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/watchlist.html",
        {
            "watchlist": watchlist,
            "page": page,
            "kind": kind,
            "query": query,
            "removed": removed,
            "jobs": jobs,
        },
    )


@login_required
@require_POST
def watchlist_active(request: HttpRequest, code: str) -> HttpResponse:
    try:
        watchlist = selectors.watchlist_get(user=request.user, code=code)
        services.watchlist_set_active(
            user=request.user, watchlist=watchlist, active=request.POST.get("active") == "1"
        )
    except ApplicationError as error:
        return render_error(request, error)
    return redirect("screening-watchlist", code=code)


@login_required
def import_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of an import: the file. Its header is read for step 2, the column mapping."""
    form = UploadForm(request.POST or None, request.FILES or None)
    try:
        watchlist = selectors.watchlist_get(user=request.user, code=code)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = services.import_job_create(
                user=request.user, watchlist=watchlist, data=upload.read(), filename=upload.name
            )
            return redirect("screening-import", job_id=job.pk)
    except ApplicationError as error:
        if error.status in (403, 404):
            return render_error(request, error)
        form.add_error("file", error.message)
    return render(request, "screening/import_upload.html", {"watchlist": watchlist, "form": form})


@login_required
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Step 2 (the column mapping, while pending), then the progress bar and the validation report."""
    try:
        job = selectors.import_job_get(user=request.user, job_id=job_id)
    except ApplicationError as error:
        return render_error(request, error)
    form = None
    if job.status == ImportStatus.PENDING:
        initial = {f"column_{i}": job.mapping.get(c, "") for i, c in enumerate(job.columns)}
        initial.update(kind=job.kind, mode=job.mode)
        form = MappingForm(request.POST or None, columns=job.columns, kind=job.kind, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.import_job_start(
                    user=request.user,
                    job=job,
                    mapping=form.mapping(),
                    mode=form.cleaned_data["mode"],
                    kind=form.cleaned_data["kind"],
                )
            except ApplicationError as error:
                return render_error(request, error)
            return redirect("screening-import", job_id=job.pk)
    return render(request, "screening/import_job.html", {"job": job, "form": form})


@login_required
def import_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress bar (polled by htmx while the import runs) and, once done, the report."""
    try:
        job = selectors.import_job_get(user=request.user, job_id=job_id)
    except ApplicationError as error:
        return render_error(request, error)
    return render(request, "screening/_import_status.html", {"job": job})


@login_required
def hits(request: HttpRequest) -> HttpResponse:
    """Supervisors: the open hits at their post, or the adjudications made (history)."""
    status = "adjudicated" if request.GET.get("status") == "adjudicated" else "open"
    post = request.GET.get("post") or None if request.user.role == Role.ADMINISTRATOR else None
    try:
        found = selectors.hits_list(user=request.user, post=post, status=status)
    except ApplicationError as error:
        return render_error(request, error)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    flights = selectors.hit_flights(page.object_list)
    for hit in page.object_list:
        hit.flight = flights.get(hit.source_ref)
    return render(
        request,
        "screening/hits.html",
        {"page": page, "status": status, "post": post, "posts": posts_active()},
    )


@login_required
def hit_detail(request: HttpRequest, hit_id: uuid.UUID) -> HttpResponse:
    """One hit: what was screened, what it matched and why; the adjudication form while it is open."""
    form = AdjudicationForm(request.POST or None)
    try:
        if request.method == "POST" and form.is_valid():
            services.hit_adjudicate(
                user=request.user,
                hit_id=hit_id,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                scope=form.cleaned_data["scope"] or "post",
            )
            messages.success(request, _("Adjudication recorded."))
            return redirect("screening-hit", hit_id=hit_id)
        hit = selectors.hit_get(user=request.user, hit_id=hit_id)
        hit.flight = selectors.hit_flights([hit]).get(hit.source_ref)
    except ApplicationError as error:
        return render_error(request, error)
    return render(request, "screening/hit.html", {"hit": hit, "form": form})
