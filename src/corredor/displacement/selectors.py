"""Every read of the displacement app that is more than one query, permission-aware.

Aggregates (rounds' totals, areas, sites' needs, flows) are for coordinators, analysts and site managers;
registered households are personal data: each read is audited, analysts are refused, an enumerator sees the
households they registered and a site manager those of their sites.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import NotFound
from corredor.core.models import Role
from corredor.displacement import permissions
from corredor.displacement.models import (
    SEX_AGE_FIELDS,
    AdminArea,
    AgeGroup,
    AreaAssessment,
    DataSource,
    Event,
    FlowDirection,
    FlowMonitoringPoint,
    Household,
    Individual,
    PublishedFigure,
    Round,
    Site,
    SiteAssessment,
    Transport,
)

INDIVIDUALS = sum((F(name) for name in SEX_AGE_FIELDS[1:]), F(SEX_AGE_FIELDS[0]))
FEMALES = F("females_children") + F("females_adults") + F("females_elderly")
MALES = F("males_children") + F("males_adults") + F("males_elderly")


def events_list(*, user: Any) -> QuerySet[Event]:
    if not _is_collector(user):
        permissions.permit_aggregates(user)
    return Event.objects.all().order_by("source", "-started_on")


def _is_collector(user: Any) -> bool:
    return user is not None and getattr(user, "role", "") == Role.ENUMERATOR


def event_get(*, user: Any, code: str) -> Event:
    if not _is_collector(user):
        permissions.permit_aggregates(user)
    event = Event.objects.filter(code=code).first()
    if event is None:
        raise NotFound(_("There is no event %(code)s.") % {"code": code})
    return event


def round_get(*, event: Event, number: int) -> Round:
    found = event.rounds.filter(number=number).first()
    if found is None:
        raise NotFound(
            _("Event %(event)s has no round %(number)d.") % {"event": event.code, "number": number}
        )
    return found


@dataclass(frozen=True)
class RoundFigure:
    """A round's displaced people (all areas), and the change since the round before."""

    number: int
    reporting_date: date
    individuals: int
    females: int | None
    males: int | None
    households: int | None
    areas: int
    sites: int
    change: int | None
    change_percent: float | None


def rounds_figures(*, user: Any, event: Event) -> list[RoundFigure]:
    """Each round's totals and the round-to-round change: the national authority's rounds from their area
    assessments; DTM's from its published national (admin 0) rows."""
    permissions.permit_aggregates(user)
    rows: list[tuple[Round, int, int | None, int | None, int | None, int, int]] = []
    if event.source == DataSource.DTM:
        sums: dict[Any, dict[str, Any]] = {
            row["round"]: dict(row)
            for row in PublishedFigure.objects.filter(event=event, admin_level=0)
            .values("round")
            .annotate(total=Sum("individuals"), f=Sum("females"), m=Sum("males"))
        }
        areas = defaultdict(set)
        for round_id, pcode in PublishedFigure.objects.filter(event=event, admin_level=2).values_list(
            "round", "area"
        ):
            areas[round_id].add(pcode)
        for round in event.rounds.all():
            row = sums.get(round.pk, {})
            rows.append(
                (round, row.get("total") or 0, row.get("f"), row.get("m"), None, len(areas[round.pk]), 0)
            )
    else:
        sums = {
            row["round"]: dict(row)
            for row in AreaAssessment.objects.filter(round__event=event)
            .values("round")
            .annotate(total=Sum(INDIVIDUALS), f=Sum(FEMALES), m=Sum(MALES), hh=Sum("households"))
        }
        area_counts = defaultdict(set)
        for round_id, pcode in AreaAssessment.objects.filter(round__event=event).values_list("round", "area"):
            area_counts[round_id].add(pcode)
        site_counts: dict[Any, int] = defaultdict(int)
        for round_id in SiteAssessment.objects.filter(round__event=event).values_list("round", flat=True):
            site_counts[round_id] += 1
        for round in event.rounds.all():
            row = sums.get(round.pk, {})
            rows.append(
                (
                    round,
                    row.get("total") or 0,
                    row.get("f"),
                    row.get("m"),
                    row.get("hh"),
                    len(area_counts[round.pk]),
                    site_counts[round.pk],
                )
            )
    figures: list[RoundFigure] = []
    previous: int | None = None
    for round, total, females, males, households, areas_n, sites_n in rows:
        change = None if previous is None else total - previous
        percent = None if previous in (None, 0) or change is None else round_percent(change, previous)
        figures.append(
            RoundFigure(
                round.number,
                round.reporting_date,
                total,
                females,
                males,
                households,
                areas_n,
                sites_n,
                change,
                percent,
            )
        )
        previous = total
    return figures


def round_percent(change: int, previous: int | None) -> float:
    return round(100.0 * change / previous, 1) if previous else 0.0


@dataclass(frozen=True)
class AreaFigure:
    pcode: str
    name: str
    level: int
    individuals: int
    females: int | None
    males: int | None
    previous: int | None
    # A national round's area beside DTM's latest published figure for the same p-code (not after the round).
    dtm: int | None = None
    dtm_round: str = ""


def dtm_beside(*, event: Event, round: Round, pcodes: list[str]) -> dict[str, tuple[int, str]]:
    """DTM's latest published figure (individuals, "operation, round n, date") for each of these p-codes
    among DTM's operations in the event's country, reported on or before the round's date: the national
    authority's own count beside DTM's, joined by p-code."""
    found: dict[str, tuple[int, str]] = {}
    rows = (
        PublishedFigure.objects.filter(
            event__source=DataSource.DTM,
            event__country_code=event.country_code,
            area__in=pcodes,
            round__reporting_date__lte=round.reporting_date,
        )
        .values("area", "event__name", "round__number", "round__reporting_date")
        .annotate(total=Sum("individuals"))
        .order_by("area", "-round__reporting_date", "-round__number")
    )
    for row in rows:
        if row["area"] not in found:
            found[row["area"]] = (
                int(row["total"] or 0),
                _("%(operation)s, round %(number)d, %(date)s")
                % {
                    "operation": row["event__name"],
                    "number": row["round__number"],
                    "date": row["round__reporting_date"].isoformat(),
                },
            )
    return found


def round_areas(*, user: Any, event: Event, round: Round, level: int | None = None) -> list[AreaFigure]:
    """Displaced people by admin area in a round, beside the round before (national: the assessed areas;
    DTM: the published rows of `level`, default the finest, admin 2)."""
    permissions.permit_aggregates(user)
    before = event.rounds.filter(number__lt=round.number).order_by("-number").first()

    def by_area(which: Round | None) -> dict[str, tuple[int, int | None, int | None]]:
        if which is None:
            return {}
        rows: Any
        if event.source == DataSource.DTM:
            rows = (
                PublishedFigure.objects.filter(round=which, admin_level=2 if level is None else level)
                .values("area")
                .annotate(total=Sum("individuals"), f=Sum("females"), m=Sum("males"))
            )
        else:
            rows = (
                AreaAssessment.objects.filter(round=which)
                .values("area")
                .annotate(total=Sum(INDIVIDUALS), f=Sum(FEMALES), m=Sum(MALES))
            )
        return {row["area"]: (row["total"] or 0, row["f"], row["m"]) for row in rows}

    now, then = by_area(round), by_area(before)
    names = dict(AdminArea.objects.filter(pcode__in=list(now)).values_list("pcode", "name"))
    levels = dict(AdminArea.objects.filter(pcode__in=list(now)).values_list("pcode", "level"))
    figures = [
        AreaFigure(
            pcode, names.get(pcode, pcode), levels.get(pcode, 0), total, f, m, then.get(pcode, (None,))[0]
        )
        for pcode, (total, f, m) in now.items()
    ]
    if event.source != DataSource.DTM and figures:
        beside = dtm_beside(event=event, round=round, pcodes=[figure.pcode for figure in figures])
        figures = [
            replace(figure, dtm=beside[figure.pcode][0], dtm_round=beside[figure.pcode][1])
            if figure.pcode in beside
            else figure
            for figure in figures
        ]
    figures.sort(key=lambda figure: (-figure.individuals, figure.pcode))
    return figures


def sites_visible(*, user: Any, event: Event) -> QuerySet[Site]:
    """The event's sites a user may see: a site manager their own; coordinators and analysts all."""
    if getattr(user, "role", "") == Role.SITE_MANAGER:
        return event.sites.filter(managers=user)
    permissions.permit_aggregates(user)
    return event.sites.all()


@dataclass(frozen=True)
class SiteNeeds:
    site: Site
    round_number: int | None
    individuals: int
    households: int
    needs: dict[str, int]
    occupancy_percent: float | None

    @property
    def need_levels(self) -> list[int | str]:
        """The needs in the order of the sectors ("" where the site is not assessed)."""
        from corredor.displacement.models import SECTORS

        return [self.needs.get(sector, "") for sector in SECTORS]


def sites_needs(*, user: Any, event: Event) -> list[SiteNeeds]:
    """Each visible site with its latest assessment: its people, needs by sector, and occupancy."""
    sites = list(sites_visible(user=user, event=event).select_related("area"))
    latest: dict[Any, SiteAssessment] = {}
    for assessment in (
        SiteAssessment.objects.filter(site__in=sites).select_related("round").order_by("round__number")
    ):
        latest[assessment.site_id] = assessment
    answer = []
    for site in sites:
        found = latest.get(site.pk)
        individuals = found.individuals if found else 0
        answer.append(
            SiteNeeds(
                site=site,
                round_number=found.round.number if found else None,
                individuals=individuals,
                households=found.households if found else 0,
                needs=found.needs() if found else {},
                occupancy_percent=round(100.0 * individuals / site.capacity, 1)
                if site.capacity and found
                else None,
            )
        )
    return answer


@dataclass(frozen=True)
class FlowDay:
    day: date
    incoming: int
    outgoing: int
    crossings_entry: int | None
    crossings_exit: int | None


def flows_by_day(
    *, user: Any, point: FlowMonitoringPoint, days: int = 30, until: date | None = None
) -> list[FlowDay]:
    """A point's counts by day and direction; at a border post, the post's recorded crossings (entries and
    exits, all decisions) beside them, in the post's time zone."""
    permissions.permit_aggregates(user)
    last = until or (
        point.counts.order_by("-counted_on").values_list("counted_on", flat=True).first() or date.today()
    )
    first = last - timedelta(days=days - 1)
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for day, direction, people in point.counts.filter(counted_on__range=(first, last)).values_list(
        "counted_on", "direction", "people"
    ):
        counts[(day, direction)] += people
    crossings: dict[tuple[date, str], int] = defaultdict(int)
    if point.border_post_id:
        crossings = _post_crossings(point.border_post_id, first, last)
    answer = []
    day = first
    while day <= last:
        answer.append(
            FlowDay(
                day,
                counts[(day, "incoming")],
                counts[(day, "outgoing")],
                crossings[(day, "entry")] if point.border_post_id else None,
                crossings[(day, "exit")] if point.border_post_id else None,
            )
        )
        day += timedelta(days=1)
    return answer


def _post_crossings(post_code: str, first: date, last: date) -> dict[tuple[date, str], int]:
    """Crossings recorded at a post by local day and direction (aggregates only: no traveller is read)."""
    import zoneinfo
    from datetime import datetime, time

    from django.db.models.functions import TruncDate

    from corredor.border.models import Crossing
    from corredor.core.models import BorderPost

    zone = zoneinfo.ZoneInfo(BorderPost.objects.get(pk=post_code).timezone)
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    rows = (
        Crossing.objects.filter(post_id=post_code, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(day=TruncDate("occurred_at", tzinfo=zone))
        .values("day", "direction")
        .annotate(n=Count("id"))
    )
    found: dict[tuple[date, str], int] = defaultdict(int)
    for row in rows:
        found[(row["day"], row["direction"])] += row["n"]
    return found


def flow_breakdown(*, user: Any, point: FlowMonitoringPoint, field: str) -> list[tuple[str, int]]:
    """People counted at a point by one attribute (nationality, transport, sex, age group, next location)."""
    permissions.permit_aggregates(user)
    if field not in (
        "nationality",
        "transport",
        "sex",
        "age_group",
        "next_location",
        "previous_location",
        "direction",
    ):
        raise NotFound(_("No such breakdown."))
    rows = point.counts.values(field).annotate(total=Sum("people")).order_by("-total")
    choices: dict[str, dict[str, Any]] = {
        "transport": dict(Transport.choices),
        "sex": {"F": _("Female"), "M": _("Male")},
        "age_group": dict(AgeGroup.choices),
        "direction": dict(FlowDirection.choices),
    }
    labels = choices.get(field, {})
    return [(str(labels.get(row[field], row[field] or "-")), row["total"]) for row in rows]


# --- what an enumerator collected ---------------------------------------------------------------------------


def collected_by_me(*, user: Any, event: Event) -> dict[str, list[Any]]:
    """What the user collected in the event (an enumerator sees only this)."""
    permissions.permit_collect(user)
    return {
        "areas": list(
            AreaAssessment.objects.filter(round__event=event, collected_by=user).select_related(
                "round", "area"
            )
        ),
        "sites": list(
            SiteAssessment.objects.filter(round__event=event, collected_by=user).select_related(
                "round", "site"
            )
        ),
        "households": list(Household.objects.filter(event=event, collected_by=user).select_related("site")),
    }


# --- registration (personal data) ---------------------------------------------------------------------------


def households_visible(*, user: Any, event: Event) -> QuerySet[Household]:
    """The households a user may see: all for coordinators, their sites' for a site manager, their own for
    an enumerator. Analysts and other roles are refused (and the refusal audited)."""
    permissions.permit_registration(user)
    households = Household.objects.filter(event=event)
    if permissions.sees_everything(user):
        return households
    if user.role == Role.SITE_MANAGER:
        return households.filter(site__managers=user)
    return households.filter(collected_by=user)


def households_list(*, user: Any, event: Event, query: str = "", limit: int = 100) -> list[Household]:
    """A page of registered households (audited: who listed which event's registrations)."""
    households = households_visible(user=user, event=event).select_related("site")
    if query:
        households = households.filter(
            Q(reference__icontains=query)
            | Q(members__surname__icontains=query)
            | Q(members__given_names__icontains=query)
        ).distinct()
    found = list(households.order_by("reference")[:limit])
    audit_write(
        action="read",
        object_type="displacement.household",
        object_id=str(event.pk),
        summary=f"listed {len(found)} households of {event.code}" + (" (search)" if query else ""),
    )
    return found


def household_get(*, user: Any, household_id: Any) -> Household:
    """One household with its members (audited)."""
    permissions.permit_registration(user)
    household = Household.objects.filter(pk=household_id).select_related("site", "event").first()
    if (
        household is None
        or not households_visible(user=user, event=household.event).filter(pk=household.pk).exists()
    ):
        from corredor.core.permissions import refuse

        if household is None:
            raise NotFound(_("No such household."))
        raise refuse(
            user, _("This household is not one you may see."), f"displacement:household:{household.pk}"
        )
    audit_write(
        action="read",
        object_type="displacement.household",
        object_id=household.pk,
        summary=household.audit_summary(),
    )
    return household


def registration_counts(*, user: Any, event: Event) -> list[tuple[str, str, int, int, int]]:
    """Registered individuals by site and sex (F, M, X): aggregates, for dashboards and exports."""
    permissions.permit_aggregates(user)
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names = dict(event.sites.values_list("code", "name"))
    for code, sex, n in (
        Individual.objects.filter(household__event=event)
        .values_list("household__site__code", "sex")
        .annotate(n=Count("id"))
    ):
        table[code][sex] += n
    return [
        (code, names.get(code, code), row["F"], row["M"], row["X"]) for code, row in sorted(table.items())
    ]


def _countries(figures: dict[str, int], event: Event) -> set[str]:
    return {event.country_code} | set(
        AdminArea.objects.filter(pcode__in=list(figures)).values_list("country_code", flat=True)
    )


def map_features(*, user: Any, event: Event, round: Round | None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection for the offline map: admin areas with a shape, with the round's displaced
    people, and the event's sites and flow monitoring points as points."""
    permissions.permit_aggregates(user)
    figures = (
        {f.pcode: f.individuals for f in round_areas(user=user, event=event, round=round, level=None)}
        if round
        else {}
    )
    # Each area's figure is the sum of what was assessed in it and below it: an admin 1 or the country
    # whose shape is drawn shows the people of its admin 2 areas.
    parents = dict(
        AdminArea.objects.filter(country_code__in=_countries(figures, event)).values_list("pcode", "parent")
    )
    rolled: dict[str, int] = defaultdict(int)
    for pcode, people in figures.items():
        seen: set[str] = set()
        current: str | None = pcode
        while current is not None and current not in seen:
            seen.add(current)
            rolled[current] += people
            current = parents.get(current)
    figures = dict(rolled)
    features: list[dict[str, Any]] = []
    pcodes = set(figures) | {event.country_code} | set(event.affected_areas.values_list("pcode", flat=True))
    for area in AdminArea.objects.filter(pcode__in=pcodes, shape__isnull=False):
        features.append(
            {
                "type": "Feature",
                "geometry": area.shape,
                "properties": {
                    "kind": "area",
                    "pcode": area.pcode,
                    "name": area.name,
                    "level": area.level,
                    "individuals": figures.get(area.pcode),
                },
            }
        )
    for site in sites_visible(user=user, event=event).filter(latitude__isnull=False, longitude__isnull=False):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
                "properties": {
                    "kind": "site",
                    "code": site.code,
                    "name": site.name,
                    "capacity": site.capacity,
                },
            }
        )
    for point in event.flow_points.filter(latitude__isnull=False, longitude__isnull=False):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point.longitude, point.latitude]},
                "properties": {
                    "kind": "flow_point",
                    "code": point.code,
                    "name": point.name,
                    "border_post": point.border_post_id or "",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
