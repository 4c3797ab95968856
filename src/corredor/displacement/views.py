"""The emergencies pages: events, an event's dashboard (rounds and their change, areas, sites and needs,
flows, the offline map), a round's areas, a flow point beside its border post's crossings, registered
households (personal data, audited), the HXL exports, and the offline collection form. Thin: parse, call,
render; errors and refusals go to the error boundary."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from corredor.core.errors import ApplicationError, NotFound
from corredor.core.models import Role
from corredor.core.permissions import has_role
from corredor.displacement import exports, permissions, selectors, services
from corredor.displacement.forms import EventEndForm, EventForm, FlowPointForm, RoundForm, SiteForm
from corredor.displacement.models import (
    SECTORS,
    VULNERABILITIES,
    AgeGroup,
    FlowDirection,
    FlowMonitoringPoint,
    ImportJob,
    Reason,
    ShelterType,
    Site,
    Transport,
)

FORM_ERRORS = (400, 409)


def _form_error(form: Any, error: ApplicationError) -> None:
    """A service's bad-input error on the form (beside its field when it names one); others go on."""
    if error.status not in FORM_ERRORS:
        raise error
    items = error.detail if isinstance(error.detail, list) else [error.detail]
    placed = False
    for item in items:
        if isinstance(item, dict) and item.get("field") in form.fields:
            form.add_error(item["field"], f"{error.message} {item.get('message', '')}".strip())
            placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The events, and for coordinators a form to declare a new one."""
    found = list(selectors.events_list(user=request.user))
    form = EventForm(request.POST or None) if permissions.sees_everything(request.user) else None
    if request.method == "POST":
        permissions.permit_coordinate(request.user)
        if form is not None and form.is_valid():
            try:
                event = services.event_create(user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                return redirect("displacement-event", code=event.code)
    return render(request, "displacement/events.html", {"events": found, "form": form})


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """A coordinator's set-up of an event: open and close rounds, add sites and flow monitoring points."""
    permissions.permit_coordinate(request.user)
    event = _event(request, code)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "round": RoundForm(request.POST if action == "round" else None),
        "site": SiteForm(request.POST if action == "site" else None),
        "point": FlowPointForm(request.POST if action == "point" else None),
        "end": EventEndForm(request.POST if action == "end" else None),
    }
    if action == "close":
        round = selectors.round_get(event=event, number=int(request.POST.get("number", "0") or 0))
        services.round_close(user=request.user, round=round)
        messages.success(request, _("Round %(n)d is closed.") % {"n": round.number})
        return redirect("displacement-manage", code=event.code)
    form = forms.get(action or "")
    if form is not None and form.is_valid():
        make = {
            "round": lambda data: services.round_open(user=request.user, event=event, **data),
            "site": lambda data: services.site_create(user=request.user, event=event, **data),
            "point": lambda data: services.flow_point_create(user=request.user, event=event, **data),
            "end": lambda data: services.event_end(user=request.user, event=event, **data),
        }[action or ""]
        try:
            made = make(form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(what)s recorded.") % {"what": made})
            return redirect("displacement-manage", code=event.code)
    return render(
        request,
        "displacement/manage.html",
        {
            "event": event,
            "rounds": list(event.rounds.order_by("-number")),
            "sites": list(event.sites.select_related("area")),
            "points": list(event.flow_points.select_related("border_post")),
            **{f"{name}_form": value for name, value in forms.items()},
        },
    )


def _event(request: HttpRequest, code: str) -> Any:
    return selectors.event_get(user=request.user, code=code)


@login_required
def event_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The event's dashboard. An enumerator is shown what they collected and the collection form instead."""
    event = _event(request, code)
    role = getattr(request.user, "role", "")
    if role == Role.ENUMERATOR:
        mine = selectors.collected_by_me(user=request.user, event=event)
        return render(request, "displacement/collected.html", {"event": event, **mine})
    sites = selectors.sites_needs(user=request.user, event=event)
    if role == Role.SITE_MANAGER:
        return render(
            request, "displacement/site_manager.html", {"event": event, "sites": sites, "sectors": SECTORS}
        )
    rounds = selectors.rounds_figures(user=request.user, event=event)
    latest = event.rounds.order_by("-number").first()
    areas = selectors.round_areas(user=request.user, event=event, round=latest)[:15] if latest else []
    return render(
        request,
        "displacement/event.html",
        {
            "event": event,
            "rounds": rounds,
            "latest": latest,
            "areas": areas,
            "dtm_beside": any(a.dtm is not None for a in areas),
            "sites": sites,
            "sectors": SECTORS,
            "points": list(event.flow_points.select_related("border_post")),
            "registrations": selectors.registration_counts(user=request.user, event=event),
            "may_register": permissions.sees_everything(request.user),
            "may_collect": has_role(request.user, *permissions.COLLECTING_ROLES),
        },
    )


@login_required
def registrations_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The event's registrations at a glance (DuckDB over the extract): an htmx fragment of the event page."""
    from corredor.displacement.dashboard import dashboard_data

    event = _event(request, code)
    board = dashboard_data(user=request.user, event=event)
    sexes = [("F", _("Women and girls")), ("M", _("Men and boys")), ("X", _("Other"))]
    rows = [
        (label, [board.by_sex_age.get((sex, age), 0) for age, _label in AgeGroup.choices])
        for sex, label in sexes
    ]
    return render(
        request,
        "displacement/_registrations.html",
        {
            "event": event,
            "board": board,
            "rows": rows,
            "age_groups": AgeGroup.choices,
            "vulnerabilities": VULNERABILITIES,
        },
    )


@login_required
def round_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    event = _event(request, code)
    round = selectors.round_get(event=event, number=number)
    level = request.GET.get("level")
    chosen = int(level) if level in ("0", "1", "2") else None
    areas = selectors.round_areas(user=request.user, event=event, round=round, level=chosen)
    template = "displacement/_areas.html" if request.headers.get("HX-Request") else "displacement/round.html"
    context = {"event": event, "round": round, "areas": areas, "level": chosen}
    return render(request, template, {**context, "dtm_beside": any(a.dtm is not None for a in areas)})


@login_required
def flow_point(request: HttpRequest, code: str, point_code: str) -> HttpResponse:
    event = _event(request, code)
    point = (
        FlowMonitoringPoint.objects.filter(event=event, code=point_code).select_related("border_post").first()
    )
    if point is None:
        raise NotFound("No such flow monitoring point.")
    days = selectors.flows_by_day(user=request.user, point=point, days=int(request.GET.get("days", 14) or 14))
    breakdowns = {
        name: selectors.flow_breakdown(user=request.user, point=point, field=name)
        for name in ("nationality", "transport", "next_location")
    }
    return render(
        request,
        "displacement/flow_point.html",
        {"event": event, "point": point, "days": days, "breakdowns": breakdowns},
    )


@login_required
def event_map(request: HttpRequest, code: str) -> HttpResponse:
    permissions.permit_aggregates(request.user)
    event = _event(request, code)
    return render(request, "displacement/map.html", {"event": event, "rounds": list(event.rounds.all())})


@login_required
def map_data(request: HttpRequest, code: str) -> JsonResponse:
    event = _event(request, code)
    number = request.GET.get("round")
    round = (
        selectors.round_get(event=event, number=int(number))
        if number and number.isdigit()
        else event.rounds.order_by("-number").first()
    )
    return JsonResponse(selectors.map_features(user=request.user, event=event, round=round))


@login_required
def export(request: HttpRequest, code: str, table: str, fmt: str) -> HttpResponse:
    event = _event(request, code)
    number = request.GET.get("round")
    round = selectors.round_get(event=event, number=int(number)) if number and number.isdigit() else None
    content, content_type, name = exports.export(
        user=request.user, event=event, table=table, fmt=fmt, round=round
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def households(request: HttpRequest, code: str) -> HttpResponse:
    # Registration is personal data: analysts are refused (and the refusal audited) before anything is read.
    permissions.permit_registration(request.user)
    event = _event(request, code)
    query = request.GET.get("q", "").strip()
    found = selectors.households_list(user=request.user, event=event, query=query)
    return render(
        request, "displacement/households.html", {"event": event, "households": found, "query": query}
    )


@login_required
def household_detail(request: HttpRequest, code: str, household_id: uuid.UUID) -> HttpResponse:
    """A household and its members; a member may be referred to a protection agency when the household
    consented to it."""
    from corredor.protection.models import Case, ServiceKind, ServiceProvider

    household = selectors.household_get(user=request.user, household_id=household_id)
    error = None
    if request.method == "POST":
        try:
            transition = services.individual_refer(
                user=request.user,
                individual_id=request.POST.get("individual", ""),
                provider_id=request.POST.get("provider", ""),
                service=request.POST.get("service", ""),
                note=request.POST.get("note", ""),
            )
        except ApplicationError as refused:
            if refused.status not in FORM_ERRORS:
                raise
            error = refused.message
        else:
            messages.success(
                request,
                _("Referred to %(provider)s: protection case %(case)s.")
                % {"provider": transition.to_provider.name, "case": transition.case.reference},
            )
            return redirect("displacement-household", code=household.event.code, household_id=household.pk)
    members = list(household.members.select_related("duplicate_of__household"))
    cases = dict(
        Case.objects.filter(pk__in=[m.referred_case_id for m in members if m.referred_case_id]).values_list(
            "pk", "reference"
        )
    )
    for member in members:
        member.vulnerability_labels = [  # type: ignore[attr-defined]
            str(VULNERABILITIES.get(name, name)) for name in member.vulnerabilities
        ]
        reference = cases.get(member.referred_case_id, "") if member.referred_case_id else ""
        member.case_reference = reference  # type: ignore[attr-defined]
    may_refer = household.consent_referral and has_role(request.user, *permissions.COLLECTING_ROLES)
    return render(
        request,
        "displacement/household.html",
        {
            "event": household.event,
            "household": household,
            "members": members,
            "may_refer": may_refer,
            "providers": list(ServiceProvider.objects.filter(active=True).order_by("name"))
            if may_refer
            else [],
            "services": ServiceKind.choices,
            "error": error,
        },
    )


@login_required
def import_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a Kobo / ODK registration export: queued for the background worker."""
    permissions.permit_coordinate(request.user)
    event = _event(request, code)
    if request.method == "POST":
        upload = request.FILES.get("file")
        job = services.import_job_queue(
            user=request.user,
            event=event,
            data=upload.read() if upload else b"",
            filename=upload.name if upload and upload.name else "",
        )
        return redirect("displacement-import", code=event.code, job_id=job.pk)
    jobs = list(ImportJob.objects.filter(event=event).defer("data")[:10])
    return render(request, "displacement/import_upload.html", {"event": event, "jobs": jobs})


@login_required
def registration_xlsform(request: HttpRequest, code: str) -> HttpResponse:
    """The registration form as an XLSForm for KoboToolbox / ODK Central: its export imports as it is."""
    from corredor.displacement.kobo import xlsform
    from corredor.displacement.models import AdminArea

    permissions.permit_coordinate(request.user)
    event = _event(request, code)
    content = xlsform(
        title=f"{event.name}: registration",
        form_id=f"corredor_{event.code}_registration".replace("-", "_"),
        sites=list(event.sites.order_by("code").values_list("code", "name")),
        areas=list(AdminArea.objects.filter(country_code=event.country_code).values_list("pcode", "name")),
        vulnerabilities=[(key, str(label)) for key, label in VULNERABILITIES.items()],
    )
    response = HttpResponse(content, content_type=exports.FORMATS["xlsx"][0])
    response["Content-Disposition"] = f'attachment; filename="{event.code}-registration-xlsform.xlsx"'
    return response


@login_required
def import_job(request: HttpRequest, code: str, job_id: uuid.UUID) -> HttpResponse:
    """An import's progress and report (the htmx fragment refreshes itself until it is finished)."""
    permissions.permit_coordinate(request.user)
    event = _event(request, code)
    job = ImportJob.objects.filter(event=event, pk=job_id).defer("data").first()
    if job is None:
        raise NotFound("No such import.")
    template = (
        "displacement/_import_status.html"
        if request.headers.get("HX-Request")
        else "displacement/import_job.html"
    )
    return render(request, template, {"event": event, "job": job})


MEMBER_ROWS = 8


def _field_label(name: str) -> str:
    """An error's field in the reader's words: `members[1].birth_date` -> "Member 2, birth date"."""
    import re

    from corredor.displacement.models import Household, Individual

    fields = {f.name: f for f in (*Individual._meta.fields, *Household._meta.fields)}
    fields.update(
        {"site": Household._meta.get_field("site"), "origin": Household._meta.get_field("origin_area")}
    )
    match = re.fullmatch(r"members\[(\d+)\]\.(\w+)", name)
    if match:
        field = fields.get(match[2])
        return _("Member %(n)d, %(field)s") % {
            "n": int(match[1]) + 1,
            "field": field.verbose_name if field is not None else match[2],
        }
    field = fields.get(name)
    return str(field.verbose_name) if field is not None else name


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    """Register a household at a site with its members (on a connected device: personal data is not kept in
    the browser). The form carries its own submission id, so sending it twice registers it once."""
    permissions.permit_registration(request.user)
    permissions.permit_collect(request.user)
    event = _event(request, code)
    # A site manager registers at their own sites; enumerators and coordinators at any of the event's.
    own = getattr(request.user, "role", "") == Role.SITE_MANAGER
    sites = list(selectors.sites_visible(user=request.user, event=event) if own else event.sites.all())
    errors: list[Any] = []
    values = request.POST if request.method == "POST" else None
    if values is not None:
        members = []
        for n in range(MEMBER_ROWS):
            surname, given = (
                values.get(f"surname_{n}", "").strip(),
                values.get(f"given_names_{n}", "").strip(),
            )
            if not surname and not given:
                continue
            members.append(
                services.MemberIn(
                    surname=surname,
                    given_names=given,
                    sex=values.get(f"sex_{n}", ""),
                    birth_date=values.get(f"birth_date_{n}", "").strip(),
                    age_group=values.get(f"age_group_{n}", ""),
                    relationship=values.get(f"relationship_{n}", "").strip()[:20],
                    vulnerabilities=tuple(values.getlist(f"vulnerabilities_{n}")),
                )
            )
        site = next((s for s in sites if s.code == values.get("site")), None)
        try:
            submission = uuid.UUID(values.get("client_uuid", ""))
        except ValueError:
            submission = uuid.uuid4()
        if site is None:
            errors.append({"field": "site", "message": _("Choose a site.")})
        else:
            try:
                household = services.household_register(
                    user=request.user,
                    site=site,
                    reference=values.get("reference", "").strip()[:60],
                    members=members,
                    consent_referral=values.get("consent_referral") == "yes",
                    origin_pcode=values.get("origin_pcode", "").strip(),
                    client_uuid=submission,
                )
            except ApplicationError as error:
                if error.status not in FORM_ERRORS:
                    raise
                errors = [{"field": "", "message": error.message}]
                errors += error.detail if isinstance(error.detail, list) else []
            else:
                messages.success(request, _("Household %(ref)s registered.") % {"ref": household.reference})
                return redirect("displacement-household", code=event.code, household_id=household.pk)
    for item in errors:
        item["label"] = _field_label(str(item.get("field", "")))
    return render(
        request,
        "displacement/register.html",
        {
            "event": event,
            "sites": sites,
            "rows": [
                {
                    "n": n,
                    **{
                        name: (values.get(f"{name}_{n}", "") if values is not None else "")
                        for name in (
                            "surname",
                            "given_names",
                            "sex",
                            "birth_date",
                            "age_group",
                            "relationship",
                        )
                    },
                    "vulnerabilities": values.getlist(f"vulnerabilities_{n}") if values is not None else [],
                }
                for n in range(MEMBER_ROWS)
            ],
            "values": values or {},
            "errors": errors,
            "client_uuid": (values.get("client_uuid") if values is not None else None) or uuid.uuid4(),
            "vulnerabilities": VULNERABILITIES,
            "age_groups": AgeGroup.choices,
        },
    )


@login_required
def collect(request: HttpRequest, code: str) -> HttpResponse:
    """The collection form that works offline: submissions queue in the browser and are sent when the link
    returns (static/displacement/collect.js)."""
    permissions.permit_collect(request.user)
    event = selectors.event_get(user=request.user, code=code)
    rounds = list(event.rounds.filter(closed=False).order_by("-number"))
    sites: list[Site] = list(event.sites.order_by("code"))
    from corredor.displacement.models import AdminArea

    areas = list(AdminArea.objects.filter(country_code=event.country_code, level__gte=1).order_by("pcode"))
    choices = {
        "reasons": Reason.choices,
        "shelters": ShelterType.choices,
        "sectors": list(SECTORS.items()),
        "age_groups": AgeGroup.choices,
        "directions": FlowDirection.choices,
        "transports": Transport.choices,
    }
    return render(
        request,
        "displacement/collect.html",
        {
            "event": event,
            "rounds": rounds,
            "sites": sites,
            "areas": areas,
            "points": list(event.flow_points.order_by("code")),
            **choices,
        },
    )
