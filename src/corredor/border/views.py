"""The officer's desk, traveller search and page, the post's day list and the overstay list. Thin: parse,
permit, call a service or selector, render."""

import uuid
import zoneinfo
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from corredor.border import selectors, services
from corredor.border.documents import DocumentInput, document_input_from_fields, document_input_from_mrz
from corredor.border.exports import write_overstays_csv
from corredor.border.forms import DecisionForm, DocumentForm, PostDayFilterForm, query_errors
from corredor.border.models import Direction, Traveller
from corredor.border.mrz_display import problems_for_display
from corredor.core.dates import date_field
from corredor.core.errors import ApplicationError
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.models import BorderPost, Role, StayCategory
from corredor.core.permissions import permit_personal_data, permit_post, permit_supervise
from corredor.core.selectors import posts_active
from corredor.icao import parse_mrz

ACTIONS = {
    "entry": (Direction.ENTRY, "admitted"),
    "exit": (Direction.EXIT, "admitted"),
    "refuse": (Direction.ENTRY, "refused"),
    "refer": (Direction.ENTRY, "referred"),
}


def desk_post(request: AuthenticatedHttpRequest) -> str:
    """The post the desk works for: the officer's own; administrators pick one.

    Times on the page are shown in that post's time zone.
    """
    code = _chosen_post(request)
    zone = BorderPost.objects.filter(code=code).values_list("timezone", flat=True).first()
    if zone:
        timezone.activate(zoneinfo.ZoneInfo(zone))
    return code


def _chosen_post(request: AuthenticatedHttpRequest) -> str:
    user = request.user
    if user.role in (Role.OFFICER, Role.SUPERVISOR):
        return cast(str, user.border_post_id)  # set for these roles (a check constraint on User)
    chosen = request.GET.get("post") or request.POST.get("post") or request.session.get("desk_post")
    if chosen and BorderPost.objects.filter(code=chosen, active=True).exists():
        request.session["desk_post"] = chosen
        return chosen
    first = posts_active().values_list("code", flat=True).first()
    return first or ""


def _document_context(doc: DocumentInput, *, post: str, user: Any, mrz_result: Any = None) -> dict[str, Any]:
    """What the desk shows once a document is read (the assessment is the selector's; this only renders)."""
    assessment = selectors.desk_assess(user=user, document=doc, post=post, mrz_result=mrz_result)
    form = DecisionForm(
        initial={
            "mrz": doc.mrz,
            "action": assessment.default_action,
            "stay_category": assessment.category.code if assessment.category else "",
            "stay_days": assessment.allowance.days if assessment.allowance else None,
            "crossing_id": uuid.uuid4(),
            **assessment.prefill,
        }
    )
    return {
        "assessment": assessment,
        "notices": assessment.notices,
        "doc": doc,
        "mrz_result": mrz_result,
        "problems": assessment.problems,
        "flagged": {p.field: p.kind for p in reversed(assessment.problems)},
        "history": assessment.history,
        "form": form,
        "allowance": assessment.allowance,
        "default_action": assessment.default_action,
        "common_area": assessment.common_area,
        "warnings": assessment.warnings,
        "post": post,
        "today": timezone.localdate(),
    }


def _query_date(request: HttpRequest, name: str) -> date | None:
    """A date from the query string: empty is None; an impossible one (2024-02-30) is a 400 naming it."""
    return date_field(request.GET, name)


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    post = desk_post(request)
    permit_post(request.user, post)
    return render(
        request,
        "border/desk.html",
        {"post": BorderPost.objects.get(code=post), "posts": posts_active(), "manual_form": DocumentForm()},
    )


@login_required
@require_POST
def desk_scan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The scanner's Enter: parse the MRZ and show document, problems, history and the decision, at once."""
    post = desk_post(request)
    text = request.POST.get("mrz", "")
    permit_post(request.user, post)
    if not text.strip():
        raise ApplicationError(_("Scan or type the MRZ first."))
    result = parse_mrz(text)
    if not result.valid:
        manual = DocumentForm(
            initial={
                "document_code": (result.document_code or "P")[:1],
                "issuing_state": result.issuing_state,
                "number": result.document_number,
                "surname": result.surname,
                "given_names": result.given_names,
                "nationality": result.nationality,
                "birth_date": result.birth_date,
                "sex": result.sex,
                "expiry_date": result.expiry_date,
            }
        )
        return render(
            request,
            "border/_scan_invalid.html",
            {"mrz_result": result, "problems": problems_for_display(result), "manual_form": manual},
        )
    doc, _result = document_input_from_mrz(text)
    context = _document_context(doc, post=post, user=request.user, mrz_result=result)
    return render(request, "border/_desk_result.html", context)


@login_required
@require_POST
def desk_manual(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A document without an MRZ: typed in, then the same decision panel as a scan."""
    post = desk_post(request)
    form = DocumentForm(request.POST)
    permit_post(request.user, post)
    if not form.is_valid():
        return render(request, "border/_manual_form.html", {"manual_form": form}, status=422)
    doc = document_input_from_fields(form.cleaned_data)
    context = _document_context(doc, post=post, user=request.user)
    context["manual_fields"] = form.cleaned_data
    return render(request, "border/_desk_result.html", context)


@login_required
@require_POST
def desk_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record the officer's decision: one crossing, and the stay on an admitted entry."""
    post = desk_post(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(
            _("The decision form has errors: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())}
        )
    data = form.cleaned_data
    if data["mrz"]:
        document, _result = document_input_from_mrz(data["mrz"])
    else:
        manual = DocumentForm(request.POST)
        if not manual.is_valid():
            raise ApplicationError(
                _("The typed-in document has errors."), detail=manual.errors.get_json_data()
            )
        document = document_input_from_fields(manual.cleaned_data)
    direction, decision = ACTIONS[data["action"]]
    admitted_entry = data["action"] == "entry"
    recorded = services.crossing_record(
        officer=request.user,
        post_code=post,
        direction=direction,
        decision=decision,
        document=document,
        stay_category=data["stay_category"] if admitted_entry else None,
        stay_days=data["stay_days"] if admitted_entry else None,
        area_entered_on=data["area_entered_on"] if admitted_entry else None,
        transport_reference=data["transport_reference"],
        note=data["note"],
        crossing_id=data["crossing_id"],
        refusal_ground=data["refusal_ground"] if data["action"] == "refuse" else "",
        expired_document_reason=data["expired_document_reason"] if admitted_entry else "",
        missing_exit_reason=data["missing_exit_reason"] if admitted_entry else "",
        exit_permit=data["exit_permit"] if data["action"] == "exit" else "",
        hook_answers={name: value for name, value in request.POST.dict().items() if name.startswith("hook_")},
    )
    return render(request, "border/_recorded.html", {"recorded": recorded})


@login_required
@require_http_methods(["GET"])
def desk_allowance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The days the rules allow for the chosen category: refills the days box when the category changes."""
    permit_personal_data(request.user)
    category = StayCategory.objects.filter(code=request.GET.get("stay_category", "")).first()
    if category is None:
        raise ApplicationError(_("Unknown stay category."), detail={"field": "stay_category"})
    traveller = None
    traveller_id = request.GET.get("traveller_id")
    if traveller_id:
        try:
            traveller = Traveller.objects.filter(id=uuid.UUID(traveller_id)).first()
        except ValueError:
            raise ApplicationError(
                _("“%(value)s” is not a traveller id.") % {"value": traveller_id[:40]},
                detail={"field": "traveller_id"},
            ) from None
    area_entered_on = _query_date(request, "area_entered_on")
    allowance = None
    if not category.open_ended:
        allowance = selectors.stay_allowance(
            traveller=traveller,
            nationality=request.GET.get("nationality_code", ""),
            category=category,
            entry_date=timezone.localdate(),
            area_entered_on=area_entered_on,
        )
    return render(request, "border/_allowance.html", {"allowance": allowance, "category": category})


@login_required
def traveller_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    permit_personal_data(request.user)
    results = selectors.traveller_search(user=request.user, query=query) if query else []
    return render(request, "border/traveller_search.html", {"query": query, "results": results})


@login_required
def traveller_page(request: AuthenticatedHttpRequest, traveller_id: uuid.UUID) -> HttpResponse:
    history = selectors.traveller_get(user=request.user, traveller_id=traveller_id)
    return render(request, "border/traveller.html", {"history": history, "today": timezone.localdate()})


POST_DAY_PAGE = 100


@login_required
def post_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The post's crossings of a day (default today), for supervisors: filters and pages."""
    post = desk_post(request)
    form = PostDayFilterForm(request.GET)
    permit_supervise(request.user, post)
    if not form.is_valid():
        raise ApplicationError(
            _("The list's filters are not valid: %(errors)s") % {"errors": query_errors(form)},
            detail=form.errors.get_json_data(),
        )
    data = form.cleaned_data
    day = data["day"] or timezone.localdate()
    filters = selectors.CrossingFilters(
        post=post,
        date_from=day,
        date_to=day,
        officer=data["officer"].strip() or None,
        direction=data["direction"] or None,
        decision=data["decision"] or None,
        flight=data["flight"].strip() or None,
        hits=data["hits"],
    )
    page_number = data["page"] or 1
    page = selectors.crossings_page(
        user=request.user, filters=filters, limit=POST_DAY_PAGE, offset=(page_number - 1) * POST_DAY_PAGE
    )
    totals = selectors.crossing_totals(user=request.user, filters=filters)
    # Links to other days and pages keep the filters.
    kept = {k: v for k, v in request.GET.items() if k not in ("day", "page") and v}
    return render(
        request,
        "border/post_day.html",
        {
            "crossings": page.items,
            "page": page,
            "page_number": page_number,
            "pages": max(1, -(-page.count // POST_DAY_PAGE)),
            "filter_form": form,
            "kept": urlencode(kept),
            "kept_with_day": urlencode({**kept, "day": day.isoformat()}),
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1) if day < timezone.localdate() else None,
            "post": BorderPost.objects.get(code=post),
            "posts": posts_active(),
            "totals": totals,
        },
    )


@login_required
def overstay_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    as_of = _query_date(request, "as_of") or timezone.localdate()
    post = (request.GET.get("post") or "").strip().upper() or None
    if post and not selectors.post_exists(code=post):
        raise ApplicationError(_("Unknown border post %(code)s.") % {"code": post}, detail={"field": "post"})
    rows = selectors.overstays(user=request.user, as_of=as_of, post=post)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="overstays-{as_of}.csv"'
        write_overstays_csv(rows, response)
        return response
    return render(request, "border/overstays.html", {"rows": rows, "as_of": as_of})


@login_required
@require_POST
def crossing_correct(request: AuthenticatedHttpRequest, crossing_id: uuid.UUID) -> HttpResponse:
    correction = services.crossing_correct(
        officer=request.user,
        crossing_id=crossing_id,
        reason=request.POST.get("reason", ""),
        direction=request.POST.get("direction") or None,
        decision=request.POST.get("decision") or None,
        refusal_ground=request.POST.get("refusal_ground") or None,
    )
    history = selectors.traveller_get(user=request.user, traveller_id=correction.traveller_id)
    return render(
        request,
        "border/traveller.html",
        {"history": history, "today": timezone.localdate(), "message": _("Correction recorded.")},
    )
