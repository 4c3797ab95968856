"""Watchlists for their managers (lists, alerts by hand, uploads with a column mapping and a progress bar) and
hits for supervisors (open hits at the post, adjudication, history). Thin: parse, call, render.

Refusals and other application errors are left to the error boundary (`corredor.core.middleware`); a form
catches only the errors that belong on the form (bad input: 400, 409) to show them beside its fields."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corredor.core.errors import ApplicationError
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.models import Role
from corredor.core.selectors import posts_active
from corredor.screening import selectors, services
from corredor.screening.forms import (
    AdjudicationForm,
    DeactivateForm,
    DocumentAlertForm,
    EndAlertForm,
    MappingForm,
    PersonAlertForm,
    UploadForm,
    WatchlistForm,
)
from corredor.screening.models import DocumentAlert, ImportStatus, PersonAlert

FORM_ERRORS = (400, 409)


def _form_error(form: Any, error: ApplicationError) -> None:
    """Put a service's bad-input error on the form (beside its field when it names one); others go on."""
    if error.status not in FORM_ERRORS:
        raise error
    items = error.detail if isinstance(error.detail, list) else [error.detail]
    placed = False
    for item in items:
        if isinstance(item, dict) and item.get("field") in form.fields:
            form.add_error(item["field"], str(item.get("message") or error.message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
def watchlists(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The lists, and a form to start a new one."""
    form = WatchlistForm(request.POST or None)
    lists = list(selectors.watchlists_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = services.watchlist_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Watchlist %(code)s created.") % {"code": watchlist.code})
            return redirect("screening-watchlist", code=watchlist.code)
    return render(request, "screening/watchlists.html", {"lists": lists, "form": form})


@login_required
def watchlist_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One list: its alerts (searchable, persons or documents), its imports."""
    kind = "documents" if request.GET.get("kind") == "documents" else "persons"
    query = request.GET.get("q", "").strip()
    removed = request.GET.get("removed") == "1"
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    search = selectors.document_alerts_search if kind == "documents" else selectors.person_alerts_search
    alerts = search(user=request.user, watchlist=watchlist, query=query, removed=removed)
    jobs = list(selectors.import_jobs_list(user=request.user, watchlist=watchlist)[:10])
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
def watchlist_active(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Activate a list (one click), or deactivate it: a page that asks why and for a confirmation."""
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    activate = request.POST.get("active") == "1" if request.method == "POST" else False
    form = DeactivateForm(request.POST if request.method == "POST" and not activate else None)
    if request.method == "POST":
        if activate:
            services.watchlist_set_active(user=request.user, watchlist=watchlist, active=True)
            messages.success(request, _("The list is active again: its alerts screen travellers."))
            return redirect("screening-watchlist", code=code)
        if form.is_valid():
            try:
                services.watchlist_set_active(
                    user=request.user,
                    watchlist=watchlist,
                    active=False,
                    reason=form.cleaned_data["reason"],
                    confirmed=form.cleaned_data["confirm"],
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.warning(request, _("The list is inactive: its alerts screen nobody."))
                return redirect("screening-watchlist", code=code)
    counts = selectors.watchlists_list(user=request.user).get(pk=watchlist.pk)
    return render(
        request,
        "screening/watchlist_deactivate.html",
        {"watchlist": watchlist, "form": form, "persons": counts.persons, "documents": counts.documents},
    )


@login_required
def alert_form(
    request: AuthenticatedHttpRequest, code: str, kind: str, alert_id: int | None = None
) -> HttpResponse:
    """Add one alert by hand, or change one; the same page ends it (with a reason)."""
    kind = "documents" if kind == "documents" else "persons"
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    alert = (
        selectors.alert_get(user=request.user, watchlist=watchlist, kind=kind, alert_id=alert_id)
        if alert_id is not None
        else None
    )
    form_class = DocumentAlertForm if kind == "documents" else PersonAlertForm
    form = form_class(request.POST or None, initial=_initial(alert) if alert is not None else {})
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "why"}
        try:
            saved, flags = services.alert_save(
                user=request.user,
                watchlist=watchlist,
                kind=kind,  # type: ignore[arg-type]
                values=values,
                why=form.cleaned_data["why"],
                alert_id=alert_id,
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                (_("Alert %(id)s changed.") if alert is not None else _("Alert %(id)s added."))
                % {"id": saved.external_id},
            )
            for flag in flags:
                messages.warning(
                    request,
                    _("%(field)s %(value)s could not be used: kept as written, not used for screening.")
                    % {"field": flag.column, "value": flag.value},
                )
            return redirect(f"{_list_url(code)}?kind={kind}")
    return render(
        request,
        "screening/alert_form.html",
        {
            "watchlist": watchlist,
            "kind": kind,
            "alert": alert,
            "form": form,
            "end_form": EndAlertForm(prefix="end"),
        },
    )


@login_required
@require_POST
def alert_end(request: AuthenticatedHttpRequest, code: str, kind: str, alert_id: int) -> HttpResponse:
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    alert = selectors.alert_get(user=request.user, watchlist=watchlist, kind=kind, alert_id=alert_id)
    form = EndAlertForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            services.alert_end(user=request.user, alert=alert, why=form.cleaned_data["why"])
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Alert %(id)s ended.") % {"id": alert.external_id})
            return redirect(f"{_list_url(code)}?kind={kind}")
    form_class = DocumentAlertForm if kind == "documents" else PersonAlertForm
    return render(
        request,
        "screening/alert_form.html",
        {
            "watchlist": watchlist,
            "kind": kind,
            "alert": alert,
            "form": form_class(initial=_initial(alert)),
            "end_form": form,
        },
        status=400,
    )


def _list_url(code: str) -> str:
    from django.urls import reverse

    return reverse("screening-watchlist", kwargs={"code": code})


def _initial(alert: PersonAlert | DocumentAlert) -> dict[str, Any]:
    """The alert's values as the form shows them (what was kept as written where the value was not used)."""
    if isinstance(alert, DocumentAlert):
        return {
            "entry_id": alert.external_id,
            "issuing_state": alert.issuing_state,
            "document_type": alert.document_type,
            "number": alert.number,
            "reason": alert.reason,
            "date": alert.reported_on.isoformat() if alert.reported_on else "",
            "note": alert.note,
        }
    written = alert.as_written or {}
    return {
        "entry_id": alert.external_id,
        "surname": alert.surname,
        "given_names": alert.given_names,
        "full_name": alert.full_name,
        "aliases": " | ".join(alert.aliases or []),
        "birth_date": alert.birth_date or written.get("birth_date", ""),
        "nationality": alert.nationality or written.get("nationality", ""),
        "sex": alert.sex,
        "category": alert.category,
        "action": alert.action,
        "note": alert.note,
        "valid_from": alert.valid_from.isoformat() if alert.valid_from else "",
        "valid_until": alert.valid_until.isoformat() if alert.valid_until else "",
    }


@login_required
def import_upload(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Step 1 of an import: the file. Its header is read for step 2, the column mapping."""
    form = UploadForm(request.POST or None, request.FILES or None)
    watchlist = selectors.watchlist_get(user=request.user, code=code)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                user=request.user, watchlist=watchlist, data=upload.read(), filename=upload.name
            )
        except ApplicationError as error:
            if error.status != 400:
                raise
            form.add_error("file", error.message)
        else:
            return redirect("screening-import", job_id=job.pk)
    return render(request, "screening/import_upload.html", {"watchlist": watchlist, "form": form})


@login_required
def import_job(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Step 2 (the column mapping, while pending), then the progress bar and the validation report."""
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    form = None
    if job.status == ImportStatus.PENDING:
        initial = {f"column_{i}": job.mapping.get(c, "") for i, c in enumerate(job.columns)}
        initial.update(kind=job.kind, mode=job.mode)
        form = MappingForm(request.POST or None, columns=job.columns, kind=job.kind, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.import_job_start(
                user=request.user,
                job=job,
                mapping=form.mapping(),
                mode=form.cleaned_data["mode"],
                kind=form.cleaned_data["kind"],
            )
            return redirect("screening-import", job_id=job.pk)
    return render(request, "screening/import_job.html", {"job": job, "form": form})


@login_required
def import_status(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress bar (polled by htmx while the import runs) and, once done, the report."""
    job = selectors.import_job_get(user=request.user, job_id=job_id)
    return render(request, "screening/_import_status.html", {"job": job})


@login_required
def hits(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Supervisors: the open hits at their post, or the adjudications made (history)."""
    status = "adjudicated" if request.GET.get("status") == "adjudicated" else "open"
    post = request.GET.get("post") or None if request.user.role == Role.ADMINISTRATOR else None
    found = selectors.hits_list(user=request.user, post=post, status=status)
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
def hit_detail(request: AuthenticatedHttpRequest, hit_id: uuid.UUID) -> HttpResponse:
    """One hit: what was screened, what it matched and why; the adjudication form while it is open."""
    form = AdjudicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hit_adjudicate(
                user=request.user,
                hit_id=hit_id,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                scope=form.cleaned_data["scope"] or "post",
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Adjudication recorded."))
            return redirect("screening-hit", hit_id=hit_id)
    hit = selectors.hit_get(user=request.user, hit_id=hit_id)
    hit.flight = selectors.hit_flights([hit]).get(hit.source_ref)
    return render(request, "screening/hit.html", {"hit": hit, "form": form})
