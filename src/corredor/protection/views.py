"""Protection's pages: the agency's lists, a case, a referral, the officer's referrals and departures, a
return as its partner sees it, the printable consent form. Thin: parse, call a selector or service, render.

Forms post with htmx (`hx-post`); an error lands in the page's error slot (the error boundary), a success
answers `HX-Redirect` back to the page (or a 302 without JavaScript)."""

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corredor.core.dates import date_field
from corredor.core.errors import ApplicationError
from corredor.core.exports import SafeCsvWriter
from corredor.core.models import Role
from corredor.core.permissions import has_role, refuse
from corredor.protection import selectors, services
from corredor.protection.consent import DATA_CATEGORIES, consent_terms
from corredor.protection.models import (
    AvrrStatus,
    CaseKind,
    DataCategory,
    EventKind,
    ServiceKind,
    TracingStatus,
)
from corredor.protection.permissions import agency_of

CONSENT_LANGUAGES = ("es", "en", "fr", "ht")


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _date(request: HttpRequest, name: str) -> date | None:
    return date_field(request.POST, name)


def _consent(request: HttpRequest) -> Any:
    choice = request.POST.get("consent", "")
    return consent_terms(
        given={"given": True, "override": False}.get(choice),
        data=[d for d in DATA_CATEGORIES if request.POST.get(f"data_{d}")],
        purpose=request.POST.get("purpose", ""),
        override_reason=request.POST.get("override_reason", ""),
        language=request.POST.get("language", ""),
    )


def _case_url(case_id: Any) -> str:
    return reverse("protection-case", args=[case_id])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where "Protection" in the menu leads, by role."""
    user: Any = request.user
    if has_role(user, Role.CASEWORKER, Role.CASE_MANAGER):
        return redirect("protection-cases")
    if has_role(user, Role.PROVIDER_USER):
        return redirect("protection-shared")
    if has_role(user, Role.OFFICER, Role.SUPERVISOR):
        return redirect("protection-referrals")
    raise refuse(user, _("Your role has no place in protection."), "protection")


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    status = request.GET.get("status", "open")
    names = request.GET.get("names") == "1"
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        raise ApplicationError(_("Pages are numbers."), detail={"field": "page"}) from None
    page = selectors.cases_list(user=request.user, scope=scope, status=status, names=names, page=page_number)
    return render(
        request,
        "protection/cases.html",
        {
            "page": page,
            "status": status,
            "tasks": selectors.tasks_due(user=request.user),
            "waiting": selectors.open_transitions_count(user=request.user),
            "kinds": CaseKind.choices,
        },
    )


@login_required
def cases_export(request: HttpRequest) -> HttpResponse:
    """The agency's cases as CSV (case managers), only those whose consent covers it."""
    export = selectors.cases_export(user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="protection-cases.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(selectors.EXPORT_COLUMNS)
    writer.writerows(export.rows)
    response["X-Left-Out"] = str(export.left_out)
    return response


@login_required
@require_POST
def case_register(request: HttpRequest) -> HttpResponse:
    """A case the agency opens itself (a walk-in, a call)."""
    post = request.POST
    case = services.case_register(
        user=request.user,
        surname=post.get("surname", ""),
        given_names=post.get("given_names", ""),
        birth_date=_date(request, "birth_date"),
        sex=post.get("sex", ""),
        nationality=post.get("nationality", ""),
        kind=post.get("kind", ""),
        note=post.get("note", ""),
    )
    return _done(request, _case_url(case.pk), _("Case %(ref)s registered.") % {"ref": case.reference})


@login_required
def case_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    view = selectors.case_get(user=request.user, case_id=case_id)
    return render(
        request,
        "protection/case.html",
        {
            "view": view,
            "case": view.case,
            "hand_events": [(k, EventKind(k).label) for k in services.HAND_EVENTS],
            "services": ServiceKind.choices,
            "providers": selectors.providers_for_referral(),
            "data_categories": DataCategory.choices,
            "tracing_statuses": TracingStatus.choices,
            "age_group": selectors.age_group(view.case.birth_date),
            "avrr_statuses": AvrrStatus,
        },
    )


@login_required
@require_POST
def case_event(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    event = services.case_event_add(
        user=request.user,
        case_id=case_id,
        kind=request.POST.get("kind", ""),
        text=request.POST.get("text", ""),
        service=request.POST.get("service", ""),
    )
    return _done(request, _case_url(case_id), _("%(kind)s recorded.") % {"kind": event.get_kind_display()})


@login_required
@require_POST
def case_close(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.case_close(user=request.user, case_id=case_id, reason=request.POST.get("reason", ""))
    return _done(request, _case_url(case_id), _("Case closed."))


@login_required
@require_POST
def case_reopen(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.case_reopen(user=request.user, case_id=case_id, reason=request.POST.get("reason", ""))
    return _done(request, _case_url(case_id), _("Case reopened."))


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.case_assign(user=request.user, case_id=case_id, caseworker_id=request.POST.get("caseworker", ""))
    return _done(request, _case_url(case_id), _("Case assigned."))


@login_required
@require_POST
def case_refer(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    transfer = request.POST.get("transfer") == "1"
    services.case_refer(
        user=request.user,
        case_id=case_id,
        provider_id=request.POST.get("provider", ""),
        service=request.POST.get("service", ""),
        consent=_consent(request),
        note=request.POST.get("note", ""),
        transfer=transfer,
    )
    return _done(request, _case_url(case_id), _("Transfer sent.") if transfer else _("Referral sent."))


@login_required
@require_POST
def task_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.task_add(
        user=request.user,
        case_id=case_id,
        title=request.POST.get("title", ""),
        due_on=_date(request, "due_on"),
    )
    return _done(request, _case_url(case_id), _("Task added."))


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    task = services.task_done(user=request.user, task_id=task_id)
    return _done(request, _case_url(task.case_id), _("Task done."))


@login_required
@require_POST
def tracing_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.tracing_add(
        user=request.user,
        case_id=case_id,
        sought_name=request.POST.get("sought_name", ""),
        relationship=request.POST.get("relationship", ""),
        last_known_place=request.POST.get("last_known_place", ""),
    )
    return _done(request, _case_url(case_id), _("Family tracing requested."))


@login_required
@require_POST
def tracing_status(request: HttpRequest, tracing_id: uuid.UUID) -> HttpResponse:
    tracing = services.tracing_set_status(
        user=request.user, tracing_id=tracing_id, status=request.POST.get("status", "")
    )
    return _done(request, _case_url(tracing.case_id), _("Family tracing updated."))


@login_required
@require_POST
def avrr_apply(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    services.avrr_apply(user=request.user, case_id=case_id, destination=request.POST.get("destination", ""))
    return _done(request, _case_url(case_id), _("Return application recorded."))


@login_required
@require_POST
def avrr_step(request: HttpRequest, avrr_id: uuid.UUID, step: str) -> HttpResponse:
    """The steps of a return: assess, arrange, plan, visit, complete."""
    user = request.user
    post = request.POST
    if step == "assess":
        avrr = services.avrr_assess(
            user=user, avrr_id=avrr_id, eligible=post.get("eligible") == "1", note=post.get("note", "")
        )
    elif step == "arrange":
        avrr = services.avrr_arrange(
            user=user,
            avrr_id=avrr_id,
            travel_date=_date(request, "travel_date"),
            post_code=post.get("post", ""),
            transport_reference=post.get("transport_reference", ""),
            travel_documents=post.get("travel_documents", ""),
            escort=post.get("escort", ""),
            partner_id=post.get("partner") or None,
        )
    elif step == "plan":
        avrr = services.avrr_reintegration_plan(user=user, avrr_id=avrr_id, plan=post.get("plan", ""))
    elif step == "visit":
        services.monitoring_visit_add(
            user=user, avrr_id=avrr_id, visited_on=_date(request, "visited_on"), text=post.get("text", "")
        )
        avrr, _side = selectors.avrr_get(user=user, avrr_id=avrr_id)
    elif step == "complete":
        avrr = services.avrr_complete(user=user, avrr_id=avrr_id)
    else:
        raise ApplicationError(_("Unknown step."), status=404)
    target = (
        reverse("protection-avrr", args=[avrr.pk])
        if has_role(user, Role.PROVIDER_USER)
        else _case_url(avrr.case_id)
    )
    return _done(request, target, _("Return updated."))


@login_required
def avrr_page(request: HttpRequest, avrr_id: uuid.UUID) -> HttpResponse:
    avrr, side = selectors.avrr_get(user=request.user, avrr_id=avrr_id)
    return render(
        request, "protection/avrr.html", {"avrr": avrr, "side": side, "visits": list(avrr.visits.all())}
    )


@login_required
def reintegrations(request: HttpRequest) -> HttpResponse:
    return render(
        request, "protection/reintegrations.html", {"rows": selectors.reintegrations(user=request.user)}
    )


@login_required
def shared(request: HttpRequest) -> HttpResponse:
    """ "Shared with me": referrals and transfers to my agency."""
    status = request.GET.get("status", "in_progress")
    rows = selectors.transitions_inbox(user=request.user, status=status)
    return render(
        request,
        "protection/shared.html",
        {"rows": rows, "status": status, "names": request.GET.get("names") == "1"},
    )


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """ "From my team": what my agency referred or transferred."""
    rows = selectors.transitions_sent(user=request.user)
    return render(request, "protection/sent.html", {"rows": rows})


@login_required
def transition_page(request: HttpRequest, transition_id: uuid.UUID) -> HttpResponse:
    view = selectors.transition_get(user=request.user, transition_id=transition_id)
    return render(request, "protection/transition.html", {"view": view, "t": view.transition})


@login_required
@require_POST
def transition_answer(request: HttpRequest, transition_id: uuid.UUID, answer: str) -> HttpResponse:
    user = request.user
    note = request.POST.get("note", "")
    if answer == "accept":
        transition = services.transition_accept(user=user, transition_id=transition_id, note=note)
        message = _("Accepted.")
    elif answer == "reject":
        transition = services.transition_reject(user=user, transition_id=transition_id, reason=note)
        message = _("Declined.")
    elif answer == "revoke":
        transition = services.transition_revoke(user=user, transition_id=transition_id, reason=note)
        message = _("Revoked.")
    elif answer == "withdraw":
        transition = services.consent_withdraw(user=user, transition_id=transition_id, note=note)
        message = _("Consent withdrawal recorded.")
    elif answer == "done":
        transition = services.transition_done(user=user, transition_id=transition_id, note=note)
        message = _("Marked done.")
    else:
        raise ApplicationError(_("Unknown answer."), status=404)
    agency = agency_of(user)
    if (
        answer == "accept"
        and has_role(user, Role.CASEWORKER, Role.CASE_MANAGER)
        and agency is not None
        and transition.case.provider_id == agency.pk
    ):
        # The case is now the agency's: on to it.
        return _done(request, _case_url(transition.case_id), message)
    return _done(request, reverse("protection-transition", args=[transition.pk]), message)


@login_required
def referrals_made(request: HttpRequest) -> HttpResponse:
    """The officer's referrals and their status (never the case)."""
    return render(
        request, "protection/referrals_made.html", {"rows": selectors.referrals_made(user=request.user)}
    )


@login_required
def departures(request: HttpRequest) -> HttpResponse:
    return render(
        request, "protection/departures.html", {"rows": selectors.departures_expected(user=request.user)}
    )


@login_required
@require_POST
def departure_record(request: HttpRequest, avrr_id: uuid.UUID) -> HttpResponse:
    services.avrr_depart(officer=request.user, avrr_id=avrr_id)
    return _done(request, reverse("protection-departures"), _("Departure recorded as an exit."))


CONSENT_FORM_ROLES = (
    Role.OFFICER,
    Role.SUPERVISOR,
    Role.CASEWORKER,
    Role.CASE_MANAGER,
    Role.PROVIDER_USER,
    Role.ADMINISTRATOR,
)


@login_required
def consent_form(request: HttpRequest) -> HttpResponse:
    """The printable informed-consent form, in the language the person reads (es, en, fr, ht)."""
    if not has_role(request.user, *CONSENT_FORM_ROLES):
        raise refuse(request.user, _("Your role does not make referrals."), "protection_consent_form")
    language = request.GET.get("lang", "es")
    if language not in CONSENT_LANGUAGES:
        raise ApplicationError(_("The consent form exists in es, en, fr and ht."), detail={"field": "lang"})
    with translation.override(language):
        response = render(
            request,
            "protection/consent_form.html",
            {"data_categories": DataCategory.choices, "form_language": language},
        )
    return response
