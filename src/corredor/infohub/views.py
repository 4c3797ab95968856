"""The public hub's pages (no login, nothing stored about the reader; the language is in the address, and
the only cookie is the language chosen), its feeds and offline files, and the editors' pages."""

import json
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import pycountry
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from corredor.infohub import requirements, selectors, services
from corredor.infohub.forms import AlertForm, ServiceForm, TopicForm, VisaForm
from corredor.infohub.languages import (
    HUB_LANGUAGE_CODES,
    HUB_LANGUAGES,
    LANGUAGE_LABELS,
    hub_language,
    pick,
)
from corredor.infohub.models import Alert, AlertKind, Service, ServiceKind, Status, Topic, VisaRequirement
from corredor.l10n.countries import country_label

PUBLIC_CACHE = "public, max-age=300"
PAGES = ["home", "entry", "services", "alerts", "guide", "remittances", "saved", "offline"]

View = Callable[..., HttpResponse]


def hub_page(view: View) -> View:
    """A public page in the language of its address (`/hub/<lang>/...`); nothing about the reader is kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, lang: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if lang not in HUB_LANGUAGE_CODES:
            raise Http404
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = lang
        if not request.user.is_authenticated:
            response["Cache-Control"] = PUBLIC_CACHE
        return response

    return wrapper


def _context(request: HttpRequest, lang: str, page: str, **extra: Any) -> dict[str, Any]:
    here = request.path
    switches = []
    for code, local_name in HUB_LANGUAGES:
        target = here.replace(f"/hub/{lang}/", f"/hub/{code}/", 1)
        if request.GET:
            target += "?" + request.GET.urlencode()
        switches.append(
            {
                "code": code,
                "name": local_name,
                "url": reverse("hub-language", args=[code]) + "?next=" + target,
                "current": code == lang,
            }
        )
    bundle = selectors.latest_bundle() if selectors.hub_mode() else None
    return {
        "lang": lang,
        "page": page,
        "languages": switches,
        "hub_mode": selectors.hub_mode(),
        "bundle": bundle,
        "alerts_count": selectors.current_alerts().count(),
        **extra,
    }


@require_GET
def hub_root(request: HttpRequest) -> HttpResponse:
    """`/hub/`: to the language chosen before (the cookie), or the browser's, or Spanish."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen not in HUB_LANGUAGE_CODES:
        accepted = request.headers.get("Accept-Language", "")
        chosen = next(
            (
                part.split(";")[0].strip()[:2].lower()
                for part in accepted.split(",")
                if part.split(";")[0].strip()[:2].lower() in HUB_LANGUAGE_CODES
            ),
            "es",
        )
    response = redirect("hub-home", lang=hub_language(chosen))
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_GET
def hub_set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the language (the hub's one cookie) and go to the same page in it."""
    if code not in HUB_LANGUAGE_CODES:
        raise Http404
    target = request.GET.get("next", "")
    if not (target.startswith("/hub/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = reverse("hub-home", args=[code])
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )
    return response


def _countries(lang: str) -> list[tuple[str, str]]:
    def key(item: tuple[str, str]) -> str:
        return unicodedata.normalize("NFKD", item[1]).encode("ascii", "ignore").decode().casefold()

    return sorted(((c.alpha_3, country_label(c.alpha_3, lang)) for c in pycountry.countries), key=key)


@hub_page
def home(request: HttpRequest, lang: str) -> HttpResponse:
    alerts = [_alert_view(alert, lang) for alert in selectors.current_alerts()[:3]]
    snapshot = selectors.rules_snapshot()
    return render(
        request,
        "infohub/home.html",
        _context(request, lang, "home", alerts=alerts, country=snapshot["country"] if snapshot else ""),
    )


@hub_page
def entry(request: HttpRequest, lang: str) -> HttpResponse:
    """The entry guide: nationality, way in and purpose; the answer computed from the stay rules."""
    snapshot = selectors.rules_snapshot()
    nationality = request.GET.get("nationality", "").strip().upper()[:3]
    mode = request.GET.get("mode", "land")
    category = request.GET.get("purpose", "tourist")
    answer = None
    if snapshot and nationality and pycountry.countries.get(alpha_3=nationality):
        answer = requirements.entry_answer(
            snapshot,
            nationality=nationality,
            mode=mode,
            category=category,
            today=timezone.localdate(),
        )
    purposes = []
    if snapshot:
        purposes = [
            (c["code"], pick(c["names"], lang).text)
            for c in snapshot["categories"]
            if not c["open_ended"] and c["code"] != "crew"
        ]
    context = _context(
        request,
        lang,
        "entry",
        snapshot=snapshot,
        countries=_countries(lang),
        nationality=nationality,
        mode=mode,
        purpose=category,
        purposes=purposes,
        answer=answer,
        country=snapshot["country"] if snapshot else "",
        country_name=country_label(snapshot["country"], lang) if snapshot else "",
        topics=[_topic_view(t, lang) for t in selectors.topics()],
    )
    if answer is not None:
        context.update(_answer_view(answer, lang))
    return render(request, "infohub/entry.html", context)


def _answer_view(answer: requirements.EntryAnswer, lang: str) -> dict[str, Any]:
    areas = []
    for area in answer.areas:
        areas.append(
            {
                "name": pick(area.names, lang).text,
                "members": ", ".join(country_label(code, lang) for code in area.members),
                "days_add_up": area.days_add_up,
                "country_is_member": area.country_is_member,
                "nationality_is_member": area.nationality_is_member,
            }
        )
    posts = [
        {
            "name": pick(p["names"], lang).text,
            "neighbour": country_label(p["neighbour"], lang) if p.get("neighbour") else "",
        }
        for p in answer.posts
    ]
    return {
        "nationality_name": country_label(answer.nationality, lang),
        "category_name": pick(answer.category_names, lang).text,
        "visa_note": pick(answer.visa_note, lang) if answer.visa_note else None,
        "areas": areas,
        "posts": posts,
    }


def _topic_view(topic: Topic, lang: str) -> dict[str, Any]:
    return {"slug": topic.slug, "title": pick(topic.title, lang), "body": pick(topic.body, lang)}


def _alert_view(alert: Alert, lang: str) -> dict[str, Any]:
    return {
        "id": str(alert.pk),
        "kind": alert.kind,
        "kind_label": AlertKind(alert.kind).label,
        "area": alert.area,
        "title": pick(alert.title, lang),
        "body": pick(alert.body, lang),
        "starts_at": alert.starts_at,
        "expires_at": alert.expires_at,
    }


@hub_page
def guide(request: HttpRequest, lang: str) -> HttpResponse:
    topics = [_topic_view(t, lang) for t in selectors.topics()]
    return render(request, "infohub/guide.html", _context(request, lang, "guide", topics=topics))


def _service_view(row: dict[str, Any], lang: str, posts: dict[str, str]) -> dict[str, Any]:
    return {
        **row,
        "kind_label": ServiceKind(row["kind"]).label,
        "description_shown": pick(row["description"], lang),
        "languages_label": ", ".join(str(LANGUAGE_LABELS[code]) for code in row["languages"]),
        "post_name": posts.get(row["near_post"], ""),
    }


def _post_names(lang: str) -> dict[str, str]:
    snapshot = selectors.rules_snapshot()
    return {p["code"]: pick(p["names"], lang).text for p in (snapshot or {}).get("posts", [])}


@hub_page
def services_page(request: HttpRequest, lang: str) -> HttpResponse:
    """The directory: filter by need, language spoken and border post; a map of the same services."""
    kind = request.GET.get("kind", "")
    spoken = request.GET.get("language", "")
    post = request.GET.get("post", "")
    kind = kind if kind in ServiceKind.values else ""
    spoken = spoken if spoken in HUB_LANGUAGE_CODES else ""
    posts = _post_names(lang)
    post = post if post in posts else ""
    rows = selectors.published_services(kind=kind, language=spoken, near_post=post)
    return render(
        request,
        "infohub/services.html",
        _context(
            request,
            lang,
            "services",
            services=[_service_view(row, lang, posts) for row in rows],
            kinds=ServiceKind.choices,
            spoken_choices=[(code, LANGUAGE_LABELS[code]) for code in HUB_LANGUAGE_CODES],
            posts=sorted(posts.items(), key=lambda item: item[1]),
            kind=kind,
            spoken=spoken,
            post=post,
        ),
    )


@hub_page
def alerts_page(request: HttpRequest, lang: str) -> HttpResponse:
    alerts = [_alert_view(alert, lang) for alert in selectors.current_alerts()]
    return render(request, "infohub/alerts.html", _context(request, lang, "alerts", alerts=alerts))


@hub_page
def remittances_page(request: HttpRequest, lang: str) -> HttpResponse:
    corridors = selectors.remittance_corridors()
    choices = [(f"{s}-{d}", f"{country_label(s, lang)} → {country_label(d, lang)}") for s, d in corridors]
    chosen = request.GET.get("corridor", "")
    if chosen not in dict(choices):
        chosen = choices[0][0] if choices else ""
    amount = request.GET.get("amount", "")
    amount = amount if amount in ("200", "500") else "200"
    prices = []
    if chosen:
        source, destination = chosen.split("-")
        prices = list(selectors.remittance_prices(source=source, destination=destination, amount=amount))
    return render(
        request,
        "infohub/remittances.html",
        _context(
            request, lang, "remittances", corridors=choices, corridor=chosen, amount=amount, prices=prices
        ),
    )


@hub_page
def saved_page(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "infohub/saved.html", _context(request, lang, "saved"))


@hub_page
def offline_page(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "infohub/offline.html", _context(request, lang, "offline"))


# --- files: map data, feeds, bundle, service worker, manifest ----------------------------------------------


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """Every published service and border post, in every language: one file the service worker keeps."""
    snapshot = selectors.rules_snapshot() or {}
    data = {
        "services": [
            {
                "id": row["id"],
                "kind": row["kind"],
                "name": row["name"],
                "city": row["city"],
                "post": row["near_post"],
                "hours": row["hours"],
                "phone": row["phone"],
                "languages": row["languages"],
                "description": row["description"],
                "lat": row["latitude"],
                "lon": row["longitude"],
            }
            for row in selectors.published_services()
        ],
        "posts": [
            {
                "code": p["code"],
                "kind": p["kind"],
                "names": p["names"],
                "lat": p["location"][0],
                "lon": p["location"][1],
            }
            for p in snapshot.get("posts", [])
            if p.get("location")
        ],
        "kinds": {
            code: {lang: str(_translated(label, lang)) for lang in HUB_LANGUAGE_CODES}
            for code, label in ServiceKind.choices
        },
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _translated(label: Any, lang: str) -> str:
    with translation.override(lang):
        return str(label)


def _feed_language(request: HttpRequest) -> str:
    return hub_language(request.GET.get("lang", "es"))


@require_GET
def alerts_atom(request: HttpRequest) -> HttpResponse:
    """The alerts in force as an Atom feed, in `?lang=` (default Spanish)."""
    lang = _feed_language(request)
    with translation.override(lang):
        feed = Atom1Feed(
            title=_("Alerts for migrants"),
            link=request.build_absolute_uri(reverse("hub-alerts", args=[lang])),
            description=_("Weather and disaster warnings, border closures and scams, until they expire."),
            language=lang,
            feed_url=request.build_absolute_uri(),
            feed_guid=f"urn:corredor:hub:{settings.CORREDOR_COUNTRY}:alerts:{lang}",
        )
        for alert in selectors.current_alerts():
            view = _alert_view(alert, lang)
            feed.add_item(
                title=view["title"].text,
                link=request.build_absolute_uri(reverse("hub-alerts", args=[lang])) + f"#alert-{alert.pk}",
                description=view["body"].text,
                unique_id=f"urn:uuid:{alert.pk}",
                unique_id_is_permalink=False,
                pubdate=alert.starts_at,
                updateddate=alert.updated_at,
                categories=[alert.kind, alert.area],
            )
        body = feed.writeString("utf-8")
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def alerts_json(request: HttpRequest) -> JsonResponse:
    """The alerts in force as a JSON Feed 1.1 (jsonfeed.org), in `?lang=`, with every translation."""
    lang = _feed_language(request)
    page = request.build_absolute_uri(reverse("hub-alerts", args=[lang]))
    with translation.override(lang):
        title = _("Alerts for migrants")
    items = []
    for alert in selectors.current_alerts():
        view = _alert_view(alert, lang)
        items.append(
            {
                "id": str(alert.pk),
                "url": f"{page}#alert-{alert.pk}",
                "title": view["title"].text,
                "content_text": view["body"].text,
                "language": view["title"].language,
                "date_published": alert.starts_at.isoformat(),
                "date_modified": alert.updated_at.isoformat(),
                "tags": [alert.kind, alert.area],
                "_corredor": {
                    "kind": alert.kind,
                    "area": alert.area,
                    "expires_at": alert.expires_at.isoformat(),
                    "title": alert.title,
                    "body": alert.body,
                },
            }
        )
    response = JsonResponse(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": page,
            "feed_url": request.build_absolute_uri(),
            "language": lang,
            "items": items,
        },
        json_dumps_params={"ensure_ascii": False},
        content_type="application/feed+json",
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def bundle_file(request: HttpRequest) -> HttpResponse:
    """The newest signed bundle (central: the one published last; hub: the one loaded), for hubs to pull."""
    latest = selectors.latest_bundle()
    if latest is None or not latest.data:
        raise Http404
    response = HttpResponse(latest.data.encode(), content_type="application/json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "infohub/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/hub/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    lang = _feed_language(request)
    with translation.override(lang):
        data = {
            "name": _("Information for migrants"),
            "short_name": _("Migrant info"),
            "lang": lang,
            "start_url": reverse("hub-home", args=[lang]),
            "scope": "/hub/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                {"src": "/static/infohub/icon.svg", "sizes": "any", "type": "image/svg+xml"},
                {"src": "/static/infohub/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/infohub/icon-512.png", "sizes": "512x512", "type": "image/png"},
            ],
        }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return response


# --- editors ----------------------------------------------------------------------------------------------


def _editor_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"hub_languages": HUB_LANGUAGES, **extra}


@login_required
def editor_home(request: HttpRequest) -> HttpResponse:
    services.permit_editor(request.user)
    return render(
        request,
        "infohub/editor/home.html",
        _editor_context(
            request,
            services=selectors.services_for_editors(),
            to_review=selectors.services_waiting_for(request.user),
            alerts=Alert.objects.order_by("-starts_at")[:50],
            topics=selectors.topics(),
            bundle=selectors.latest_bundle(),
            statuses=Status,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def editor_service(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    services.permit_editor(request.user)
    service = get_object_or_404(Service, pk=pk) if pk else None
    form = ServiceForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        saved = services.service_save(user=request.user, service=service, **form.service_fields())
        if request.POST.get("submit_for_review"):
            services.service_submit(user=request.user, service=saved)
        return redirect("hub-editor")
    return render(
        request, "infohub/editor/service.html", _editor_context(request, form=form, service=service)
    )


@login_required
@require_http_methods(["POST"])
def editor_service_review(request: HttpRequest, pk: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    services.service_review(
        user=request.user, service=service, approve=request.POST.get("decision") == "approve"
    )
    return redirect("hub-editor")


@login_required
@require_http_methods(["POST"])
def editor_service_submit(request: HttpRequest, pk: str) -> HttpResponse:
    services.service_submit(user=request.user, service=get_object_or_404(Service, pk=pk))
    return redirect("hub-editor")


@login_required
@require_http_methods(["GET", "POST"])
def editor_alert(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    services.permit_editor(request.user)
    alert = get_object_or_404(Alert, pk=pk) if pk else None
    initial_expiry = timezone.localtime() + timedelta(days=7)
    form = AlertForm(request.POST or None, alert=alert, initial_expiry=initial_expiry)
    if request.method == "POST" and form.is_valid():
        services.alert_save(user=request.user, alert=alert, **form.alert_fields())
        return redirect("hub-editor")
    return render(request, "infohub/editor/alert.html", _editor_context(request, form=form, alert=alert))


@login_required
@require_http_methods(["GET", "POST"])
def editor_topic(request: HttpRequest, slug: str) -> HttpResponse:
    services.permit_editor(request.user)
    topic = Topic.objects.filter(slug=slug).first()
    form = TopicForm(request.POST or None, topic=topic)
    if request.method == "POST" and form.is_valid():
        services.topic_save(user=request.user, slug=slug, **form.topic_fields())
        return redirect("hub-editor")
    return render(
        request, "infohub/editor/topic.html", _editor_context(request, form=form, topic=topic, slug=slug)
    )


@login_required
@require_http_methods(["POST"])
def editor_publish(request: HttpRequest) -> HttpResponse:
    services.bundle_publish(user=request.user)
    return redirect("hub-editor")


@login_required
@require_http_methods(["GET", "POST"])
def editor_visas(request: HttpRequest) -> HttpResponse:
    """Whether each nationality needs a visa (the entry guide says so beside the days from the rules)."""
    services.permit_editor(request.user)
    lang = translation.get_language() or "es"
    countries = _countries(lang if lang in HUB_LANGUAGE_CODES else "es")
    form = VisaForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        services.visa_set(user=request.user, **form.visa_fields())
        return redirect("hub-editor-visas")
    names = dict(countries)
    rows = [
        {"code": v.nationality, "name": names.get(v.nationality, v.nationality), "required": v.visa_required}
        for v in VisaRequirement.objects.order_by("nationality")
    ]
    return render(request, "infohub/editor/visas.html", _editor_context(request, form=form, rows=rows))
