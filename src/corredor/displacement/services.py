"""Every write of the displacement app: admin areas and shapes, events, sites, rounds, flow monitoring
points, the records collected in the field (idempotent by the device's submission id), registration, the
Kobo/ODK import (all or nothing) and the import of DTM's published figures (all or nothing)."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError, Conflict, NotFound
from corredor.core.models import BorderPost
from corredor.displacement import dtm, kobo, permissions
from corredor.displacement.models import (
    SEX_AGE_FIELDS,
    SITE_SERVICES,
    VULNERABILITIES,
    AdminArea,
    AgeGroup,
    AreaAssessment,
    DataSource,
    Event,
    EventKind,
    FlowCount,
    FlowDirection,
    FlowMonitoringPoint,
    Household,
    Individual,
    PublishedFigure,
    Reason,
    Round,
    ShelterType,
    Site,
    SiteAssessment,
    Transport,
)
from corredor.matching.records import PartialDate

MAX_ERRORS_SHOWN = 200


def _problems(problems: Sequence[dtm.Problem]) -> list[dict[str, object]]:
    return [problem.as_dict() for problem in problems[:MAX_ERRORS_SHOWN]]


def _area(pcode: str, *, field_name: str = "area") -> AdminArea:
    area = AdminArea.objects.filter(pcode=pcode.strip()).first()
    if area is None:
        raise ApplicationError(
            _("There is no admin area with p-code %(pcode)s: import the admin areas first.")
            % {"pcode": pcode},
            detail=[{"field": field_name, "message": _("unknown p-code")}],
        )
    return area


# --- admin areas --------------------------------------------------------------------------------------------

# HXL hashtags of a common operational dataset's admin boundaries table (and the usual column names).
AREA_TAGS = {
    level: (
        {f"#adm{level}+code", f"admin{level}pcode", f"adm{level}_pcode"},
        {f"#adm{level}+name", f"admin{level}name_en", f"admin{level}name", f"adm{level}_en"},
    )
    for level in range(4)
}
AREA_TAGS[0][0].update({"#country+code"})
AREA_TAGS[0][1].update({"#country+name"})


@dataclass(frozen=True)
class AreaImportResult:
    created: int
    updated: int
    levels: dict[int, int]

    def summary(self) -> str:
        levels = ", ".join(f"admin {level}: {count}" for level, count in sorted(self.levels.items()))
        return f"Admin areas: {self.created} created, {self.updated} updated ({levels})."


@transaction.atomic
def admin_areas_import(*, user: Any, data: bytes, file_name: str = "areas.csv") -> AreaImportResult:
    """Import admin areas from an HXL-tagged CSV (a COD table: one row per area of the deepest level, with
    the codes and names of every level above it). All or nothing; each error names its line and column."""
    permissions.permit_coordinate(user)
    try:
        rows = kobo.rows_of(data, file_name)
    except ValueError as error:
        raise ApplicationError(_("The file cannot be read: %(error)s") % {"error": error}) from None
    tag_line = next(
        (n for n, row in enumerate(rows[:3]) if any(c.strip().startswith("#") for c in row)), None
    )
    if tag_line is None:
        raise ApplicationError(_("No HXL hashtag row (#adm1+code ...) in the first three lines."))
    keys = [cell.strip().lower().replace(" ", "") for cell in rows[tag_line]]
    names = [cell.strip().lower() for cell in rows[0]] if tag_line > 0 else keys
    columns: dict[int, tuple[int, int | None]] = {}
    for level, (code_tags, name_tags) in AREA_TAGS.items():
        code_at = next((i for i, key in enumerate(keys) if key in code_tags), None)
        if code_at is None:
            code_at = next((i for i, n in enumerate(names) if n in code_tags), None)
        name_at = next((i for i, key in enumerate(keys) if key in name_tags), None)
        if name_at is None:
            name_at = next((i for i, n in enumerate(names) if n in name_tags), None)
        if code_at is not None:
            columns[level] = (code_at, name_at)
    if 0 not in columns and 1 not in columns:
        raise ApplicationError(_("The file has no #adm1+code (or #country+code) column."))
    errors: list[dtm.Problem] = []
    found: dict[str, tuple[str, int, str | None]] = {}
    for line, row in enumerate(rows[tag_line + 1 :], start=tag_line + 2):
        if not any(cell.strip() for cell in row):
            continue
        parent: str | None = None
        for level in sorted(columns):
            code_index, name_index = columns[level]
            code = row[code_index].strip() if code_index < len(row) else ""
            name = row[name_index].strip() if name_index is not None and name_index < len(row) else ""
            if not code:
                if level == min(columns):
                    errors.append(dtm.Problem(line, f"adm{level}", _("the p-code is empty")))
                break
            if len(code) > 20:
                errors.append(
                    dtm.Problem(
                        line, f"adm{level}", _("%(code)s is longer than 20 characters") % {"code": code[:30]}
                    )
                )
                break
            known = found.get(code)
            if known is not None and known[1] != level:
                errors.append(
                    dtm.Problem(
                        line,
                        f"adm{level}",
                        _("%(code)s is also an admin %(level)d area") % {"code": code, "level": known[1]},
                    )
                )
                break
            found[code] = (name or (known[0] if known else code), level, parent)
            parent = code
    if errors:
        raise ApplicationError(
            _("The admin areas file has %(count)d errors: nothing was imported.") % {"count": len(errors)},
            detail=_problems(errors),
        )
    return _areas_store(found)


def _areas_store(found: Mapping[str, tuple[str, int, str | None]]) -> AreaImportResult:
    existing = {area.pcode: area for area in AdminArea.objects.filter(pcode__in=list(found))}
    created = updated = 0
    levels: dict[int, int] = defaultdict(int)
    # Parents first, so that each child's parent exists.
    for pcode, (name, level, parent) in sorted(found.items(), key=lambda item: item[1][1]):
        levels[level] += 1
        country = (parent and found.get(parent) and _country_of(parent, found)) or (
            pcode if level == 0 else pcode[:2]
        )
        area = existing.get(pcode)
        if area is None:
            AdminArea.objects.create(
                pcode=pcode, name=name, level=level, parent_id=parent, country_code=country
            )
            created += 1
        elif (area.name, area.level, area.parent_id) != (name, level, parent):
            area.name, area.level, area.parent_id = name, level, parent
            area.save(update_fields=["name", "level", "parent"])
            updated += 1
    return AreaImportResult(created, updated, dict(levels))


def _country_of(pcode: str, found: Mapping[str, tuple[str, int, str | None]]) -> str:
    while True:
        _name, level, parent = found[pcode]
        if level == 0 or parent is None or parent not in found:
            return pcode if level == 0 else pcode[:2]
        pcode = parent


SHAPE_KEYS = (
    "pcode",
    "adm3_pcode",
    "adm2_pcode",
    "adm1_pcode",
    "adm0_pcode",
    "admin2pcode",
    "admin1pcode",
    "admin0pcode",
    "iso3",
)


@transaction.atomic
def admin_shapes_import(*, user: Any, data: bytes) -> int:
    """Attach GeoJSON geometries to admin areas (a FeatureCollection whose features name the p-code in a
    property: pcode, ADM2_PCODE, admin1Pcode...). All or nothing: an unknown p-code stops the import."""
    permissions.permit_coordinate(user)
    try:
        document = json.loads(data)
        features = document["features"] if document.get("type") == "FeatureCollection" else [document]
    except (ValueError, KeyError, AttributeError, TypeError):
        raise ApplicationError(_("Not a GeoJSON FeatureCollection.")) from None
    known = set(AdminArea.objects.values_list("pcode", flat=True))
    errors: list[dict[str, object]] = []
    shapes: dict[str, Any] = {}
    for number, feature in enumerate(features, start=1):
        properties = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
        pcode = next((str(properties[k]) for k in SHAPE_KEYS if properties.get(k)), "")
        geometry = feature.get("geometry")
        if not pcode or pcode not in known:
            errors.append(
                {
                    "field": f"feature {number}",
                    "message": _("unknown or missing p-code %(pcode)r") % {"pcode": pcode},
                }
            )
        elif not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.append({"field": f"feature {number}", "message": _("the geometry is not a polygon")})
        else:
            shapes[pcode] = geometry
    if errors:
        raise ApplicationError(
            _("The shapes file has %(count)d errors: nothing was imported.") % {"count": len(errors)},
            detail=errors[:MAX_ERRORS_SHOWN],
        )
    for pcode, geometry in shapes.items():
        AdminArea.objects.filter(pcode=pcode).update(shape=geometry)
    return len(shapes)


# --- events, sites, rounds, flow points --------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    user: Any,
    code: str,
    name: str,
    kind: str,
    country_code: str,
    started_on: date,
    affected_pcodes: Iterable[str] = (),
) -> Event:
    permissions.permit_coordinate(user)
    if kind not in EventKind.values:
        raise ApplicationError(
            _("Unknown kind of event %(kind)s.") % {"kind": kind}, detail=[{"field": "kind", "message": kind}]
        )
    if Event.objects.filter(code=code).exists():
        raise Conflict(_("An event with code %(code)s exists already.") % {"code": code})
    event = Event.objects.create(
        code=code, name=name, kind=kind, country_code=country_code.upper(), started_on=started_on
    )
    event.affected_areas.set([_area(pcode, field_name="affected_pcodes") for pcode in affected_pcodes])
    return event


@transaction.atomic
def site_create(
    *,
    user: Any,
    event: Event,
    code: str,
    name: str,
    kind: str,
    area_pcode: str,
    latitude: float | None = None,
    longitude: float | None = None,
    managing_agency: str = "",
    capacity: int = 0,
    services: Sequence[str] = (),
    managers: Sequence[Any] = (),
) -> Site:
    permissions.permit_coordinate(user)
    if kind not in Site.Kind.values:
        raise ApplicationError(
            _("Unknown kind of site %(kind)s.") % {"kind": kind}, detail=[{"field": "kind", "message": kind}]
        )
    unknown = [s for s in services if s not in SITE_SERVICES]
    if unknown:
        raise ApplicationError(
            _("Unknown services: %(names)s.") % {"names": ", ".join(unknown)},
            detail=[{"field": "services", "message": ", ".join(unknown)}],
        )
    if event.sites.filter(code=code).exists():
        raise Conflict(_("The event has a site %(code)s already.") % {"code": code})
    site = Site.objects.create(
        event=event,
        code=code,
        name=name,
        kind=kind,
        area=_area(area_pcode),
        latitude=latitude,
        longitude=longitude,
        managing_agency=managing_agency,
        capacity=capacity,
        services=list(services),
    )
    site.managers.set(managers)
    return site


@transaction.atomic
def round_open(*, user: Any, event: Event, number: int | None = None, reporting_date: date) -> Round:
    """Open the event's next round (or the numbered one)."""
    permissions.permit_coordinate(user)
    if number is None:
        last = event.rounds.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    if event.rounds.filter(number=number).exists():
        raise Conflict(_("Round %(number)d of this event exists already.") % {"number": number})
    return Round.objects.create(event=event, number=number, reporting_date=reporting_date)


@transaction.atomic
def flow_point_create(
    *,
    user: Any,
    event: Event,
    code: str,
    name: str,
    kind: str,
    area_pcode: str,
    border_post_code: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> FlowMonitoringPoint:
    permissions.permit_coordinate(user)
    if kind not in FlowMonitoringPoint.Kind.values:
        raise ApplicationError(_("Unknown kind of flow monitoring point %(kind)s.") % {"kind": kind})
    post = None
    if border_post_code:
        post = BorderPost.objects.filter(code=border_post_code).first()
        if post is None:
            raise ApplicationError(
                _("There is no border post %(code)s.") % {"code": border_post_code},
                detail=[{"field": "border_post", "message": border_post_code}],
            )
    if event.flow_points.filter(code=code).exists():
        raise Conflict(_("The event has a flow monitoring point %(code)s already.") % {"code": code})
    return FlowMonitoringPoint.objects.create(
        event=event,
        code=code,
        name=name,
        kind=kind,
        area=_area(area_pcode),
        border_post=post,
        latitude=latitude,
        longitude=longitude,
    )


# --- records collected in the field ------------------------------------------------------------------------


def _counts(values: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    errors = []
    for name in ("households", *SEX_AGE_FIELDS):
        raw = values.get(name, 0)
        try:
            number = int(raw or 0)
        except (TypeError, ValueError):
            errors.append({"field": name, "message": _("%(value)r is not a whole number") % {"value": raw}})
            continue
        if number < 0 or number > 10_000_000:
            errors.append({"field": name, "message": _("%(value)d is out of range") % {"value": number}})
            continue
        counts[name] = number
    if errors:
        raise ApplicationError(_("Some counts are not valid."), detail=errors)
    return counts


def _open_round(round: Round) -> None:
    if round.closed:
        raise Conflict(
            _("Round %(number)d is closed: nothing more can be recorded in it.") % {"number": round.number}
        )
    if round.event.source != DataSource.NATIONAL:
        raise Conflict(_("DTM's published rounds take no field records."))


def _replayed(model: Any, client_uuid: uuid.UUID, user: Any) -> Any:
    """A submission sent again (the device did not hear the answer): the stored record, once."""
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is not None and existing.collected_by_id != user.pk:
        raise Conflict(_("This submission id was sent by someone else."))
    return existing


@transaction.atomic
def area_assessment_submit(
    *,
    user: Any,
    round: Round,
    area_pcode: str,
    reason: str,
    shelter_type: str,
    counts: Mapping[str, Any],
    displaced_on: date | None = None,
    origin_pcode: str = "",
    client_uuid: uuid.UUID,
    collected_at: datetime | None = None,
) -> AreaAssessment:
    """Record (or replace, for the same area, round and reason) a baseline area assessment."""
    permissions.permit_collect(user)
    existing = _replayed(AreaAssessment, client_uuid, user)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    _open_round(round)
    if reason not in Reason.values:
        raise ApplicationError(
            _("Unknown reason of displacement."), detail=[{"field": "reason", "message": reason}]
        )
    if shelter_type not in ShelterType.values:
        raise ApplicationError(
            _("Unknown shelter type."), detail=[{"field": "shelter_type", "message": shelter_type}]
        )
    values = _counts(counts)
    area = _area(area_pcode, field_name="area")
    origin = _area(origin_pcode, field_name="origin") if origin_pcode else None
    # A later assessment of the same area, round and reason replaces the earlier one (a correction).
    AreaAssessment.objects.filter(round=round, area=area, reason=reason).delete()
    return AreaAssessment.objects.create(
        round=round,
        area=area,
        reason=reason,
        shelter_type=shelter_type,
        displaced_on=displaced_on,
        origin_area=origin,
        client_uuid=client_uuid,
        collected_by=user,
        collected_at=collected_at or timezone.now(),
        **values,
    )


@transaction.atomic
def site_assessment_submit(
    *,
    user: Any,
    round: Round,
    site: Site,
    counts: Mapping[str, Any],
    needs: Mapping[str, Any],
    client_uuid: uuid.UUID,
    collected_at: datetime | None = None,
) -> SiteAssessment:
    """Record (or replace) a site's assessment in a round: its people and its needs by sector."""
    permissions.permit_collect(user)
    existing = _replayed(SiteAssessment, client_uuid, user)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    _open_round(round)
    if site.event_id != round.event_id:
        raise ApplicationError(
            _("The site belongs to another event."), detail=[{"field": "site", "message": site.code}]
        )
    values = _counts(counts)
    levels: dict[str, int] = {}
    for sector, raw in needs.items():
        try:
            level = int(raw)
        except (TypeError, ValueError):
            level = -1
        if f"need_{sector}" not in {f.name for f in SiteAssessment._meta.fields} or not 0 <= level <= 3:
            raise ApplicationError(
                _("Needs are rated 0 to 3 by sector."),
                detail=[{"field": f"need_{sector}", "message": str(raw)}],
            )
        levels[f"need_{sector}"] = level
    SiteAssessment.objects.filter(round=round, site=site).delete()
    return SiteAssessment.objects.create(
        round=round,
        site=site,
        client_uuid=client_uuid,
        collected_by=user,
        collected_at=collected_at or timezone.now(),
        **values,
        **levels,
    )


@transaction.atomic
def flow_counts_submit(
    *,
    user: Any,
    point: FlowMonitoringPoint,
    counted_on: date,
    cells: Sequence[Mapping[str, Any]],
    client_uuid: uuid.UUID,
) -> list[FlowCount]:
    """Record a day's counts at a point: each cell a direction, sex, age group, nationality, transport,
    previous and next location, and a number of people. Sent again, the same submission is stored once."""
    permissions.permit_collect(user)
    ids = [uuid.uuid5(client_uuid, str(index)) for index in range(len(cells))]
    stored = list(FlowCount.objects.filter(client_uuid__in=ids))
    if stored:
        return stored
    errors: list[dict[str, object]] = []
    rows = []
    for index, cell in enumerate(cells):
        checks = (
            ("direction", FlowDirection.values),
            ("sex", ["F", "M"]),
            ("age_group", AgeGroup.values),
            ("transport", Transport.values),
        )
        for name, allowed in checks:
            if cell.get(name) not in allowed:
                errors.append({"field": f"cells[{index}].{name}", "message": str(cell.get(name))})
        nationality = str(cell.get("nationality", "")).upper()
        if len(nationality) != 3 or not nationality.isalpha():
            errors.append({"field": f"cells[{index}].nationality", "message": nationality})
        try:
            people = int(cell.get("people", -1))
        except (TypeError, ValueError):
            people = -1
        if people < 0:
            errors.append({"field": f"cells[{index}].people", "message": str(cell.get("people"))})
        rows.append(
            FlowCount(
                point=point,
                counted_on=counted_on,
                direction=str(cell.get("direction")),
                sex=str(cell.get("sex")),
                age_group=str(cell.get("age_group")),
                nationality=nationality,
                transport=str(cell.get("transport")),
                previous_location=str(cell.get("previous_location", ""))[:200],
                next_location=str(cell.get("next_location", ""))[:200],
                people=max(people, 0),
                client_uuid=ids[index],
                collected_by=user,
            )
        )
    if errors:
        raise ApplicationError(_("Some counts are not valid: nothing was recorded."), detail=errors)
    return FlowCount.objects.bulk_create(rows)


# --- registration ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberIn:
    surname: str
    given_names: str
    sex: str
    birth_date: str = ""
    age_group: str = ""
    relationship: str = ""
    vulnerabilities: tuple[str, ...] = ()


DUPLICATE_THRESHOLD = 0.85
QUICK_RATIO = 85  # rapidfuzz's token_sort_ratio a pair needs before the matcher scores it
# The most the matcher adds to a name's score for the rest (a full birth date that matches: +0.10, the sex
# nothing): a pair whose names score below the threshold by more cannot be a duplicate.
MATCHER_MAX_BONUS = 0.10

Person = tuple[str, str, str, str]  # surname, given names, birth date (YYYY[-MM[-DD]] or ""), sex


def name_sound(surname: str, given: str) -> str:
    """The sound of the first surname and the first given name (phonetic keys): `JSF/MR`."""
    from corredor.matching.normalise import fold
    from corredor.matching.phonetic import phonetic_keys

    surnames, givens = fold(surname).split(), fold(given).split()
    return "/".join(phonetic_keys(words[0])[0] if words else "" for words in (surnames, givens))[:40]


def _blocks(person: Person, sounds: dict[tuple[str, str], str] | None = None) -> tuple[str, str]:
    """Two keys under which possible duplicates meet: same sex and birth date (a name misspelt), and same
    sex and sound of the first surname and first given name (a birth date mistyped or missing).
    `sounds` remembers the sound of each name already seen (households share their surnames)."""
    surname, given, born, sex = person
    sound = sounds.get((surname, given)) if sounds is not None else None
    if sound is None:
        sound = name_sound(surname, given)
        if sounds is not None:
            sounds[(surname, given)] = sound
    return (f"{sex}|{born}" if born else "", f"{sex}|{sound}")


# Up to this many people, the search reads only the event's registrations that share a block with them (by
# the indexed sound and birth date); a bigger import reads the event's registrations once, whole.
FEW_PEOPLE = 1000


MAX_BLOCK = 200


class _Scorer:
    """The screening name matcher's score of one person against another (what `score_entry` gives for a
    traveller against a one-name entry), each name prepared once and each pair of names compared once:
    a registration export repeats the same names many times (households, common names)."""

    def __init__(self) -> None:
        self.prepared: dict[tuple[str, str], tuple[Any, ...]] = {}
        self.names: dict[tuple[tuple[str, str], tuple[str, str]], Any] = {}
        self.dates: dict[str, Any] = {}

    def _prepare(self, surname: str, given: str) -> tuple[Any, ...]:
        from corredor.matching.normalise import normalise_name
        from corredor.matching.score import prepare_name

        found = self.prepared.get((surname, given))
        if found is None:
            found = tuple(prepare_name(parsed) for parsed in normalise_name("", surname, given))
            self.prepared[(surname, given)] = found
        return found

    def _date(self, text: str) -> Any:
        if text not in self.dates:
            try:
                self.dates[text] = PartialDate.parse(text) if text else None
            except ValueError:
                self.dates[text] = None
        return self.dates[text]

    def score(self, query: Person, other: Person, threshold: float) -> float | None:
        """The pair's score, or None when it cannot reach `threshold` (or a name has no letters)."""
        from corredor.matching.score import combine, compare_birth_dates, compare_names, compare_sex

        pair = ((query[0], query[1]), (other[0], other[1]))
        name = self.names.get(pair, False)
        if name is False:
            mine, theirs = self._prepare(*pair[0]), self._prepare(*pair[1])
            name = None
            cache: dict[Any, Any] = {}
            for query_name in mine:
                for other_name in theirs:
                    match = compare_names(query_name, other_name, cache, explain=False)
                    if name is None or match.score > name.score:
                        name = match
            self.names[pair] = name
        # The other evidence adds at most MATCHER_MAX_BONUS to the name's score (a birth date that matches).
        if name is None or name.score + MATCHER_MAX_BONUS < threshold - 0.001:
            return None
        sexes = [sex if sex in ("M", "F", "X") else None for sex in (query[3], other[3])]
        score, _reasons = combine(
            name,
            [
                compare_birth_dates(self._date(query[2]), self._date(other[2])),
                compare_sex(sexes[0], sexes[1]),  # type: ignore[arg-type]
            ],
        )
        return score


def duplicates_find(
    *, event: Event, people: Sequence[Person], threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[str, float] | None]:
    """For each (surname, given names, birth date, sex) in order: the best earlier registration of the
    event (an id of a stored individual, or `#n` for the n-th of `people` before it) that the screening
    name matcher scores at or above `threshold`, with its score; None when there is none (see
    `duplicates_match`)."""
    registered = Individual.objects.filter(household__event=event)
    if len(people) <= FEW_PEOPLE:
        sounds = {name_sound(surname, given) for surname, given, _born, _sex in people}
        dates = {born for _surname, _given, born, _sex in people if born}
        registered = registered.filter(
            Q(sex__in={sex for *_rest, sex in people}) & (Q(name_sound__in=sounds) | Q(birth_date__in=dates))
        )
    stored = registered.values_list("id", "surname", "given_names", "birth_date", "sex")
    earlier = [
        (str(pk), (surname, given, born, sex)) for pk, surname, given, born, sex in stored.iterator(5000)
    ]
    return duplicates_match(earlier, people, threshold=threshold)


def duplicates_match(
    stored: Sequence[tuple[str, Person]], people: Sequence[Person], *, threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[str, float] | None]:
    """The duplicate search in bulk. Registrations meet only within blocks (`_blocks`), each person with the
    `MAX_BLOCK` registered in its blocks just before it (the stored first, then `people` in order). The
    quick string ratio (`QUICK_RATIO`) of every such pair is computed a block at a time by rapidfuzz's
    `cdist`; the screening name matcher scores the pairs that pass it, each name prepared once; a person's
    duplicate is its best-scored candidate at or above `threshold` (the first one on a tie, in block order).
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    everyone: list[Person] = [person for _pk, person in stored] + list(people)
    first = len(stored)
    sounds: dict[tuple[str, str], str] = {}
    members: tuple[dict[str, list[int]], dict[str, list[int]]] = (defaultdict(list), defaultdict(list))
    for index, person in enumerate(everyone):
        for which, key in enumerate(_blocks(person, sounds)):
            if key:
                members[which][key].append(index)
    texts = [f"{person[0]} {person[1]}".lower() for person in everyone]
    queries, others, order = [], [], []
    for which, blocks in enumerate(members):
        for block in blocks.values():
            if len(block) < 2 or block[-1] < first:
                continue
            positions = np.asarray(block, dtype=np.int64)
            start = int(np.searchsorted(positions, first))  # the block's first person of `people`
            for top in range(max(start, 1), len(block), 512):
                bottom = min(top + 512, len(block))
                left = max(0, top - MAX_BLOCK)
                ratios = process.cdist(
                    [texts[i] for i in block[top:bottom]],
                    [texts[i] for i in block[left:bottom]],
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=QUICK_RATIO,
                    dtype=np.uint8,
                )
                rows, cols = np.nonzero(ratios)
                at, before = rows + top, cols + left
                keep = (before < at) & (before >= at - MAX_BLOCK)
                queries.append(positions[at[keep]])
                others.append(positions[before[keep]])
                order.append(np.full(int(keep.sum()), which, dtype=np.int64))
    found: list[tuple[str, float] | None] = [None] * len(people)
    if not queries:
        return found
    query_at, other_at, which_at = (np.concatenate(parts) for parts in (queries, others, order))
    # Each person's candidates in the order the pairwise search met them: by block, then as registered.
    sequence = np.lexsort((other_at, which_at, query_at))
    # A pair met in both blocks is scored once, where it was met first.
    pairs = query_at[sequence] * len(everyone) + other_at[sequence]
    _unique, firsts = np.unique(pairs, return_index=True)
    sequence = sequence[np.sort(firsts)]
    scorer = _Scorer()
    best: dict[int, tuple[int, float]] = {}
    for query, other in zip(query_at[sequence].tolist(), other_at[sequence].tolist(), strict=True):
        score = scorer.score(everyone[query], everyone[other], threshold)
        if score is not None and score >= threshold and (query not in best or score > best[query][1]):
            best[query] = (other, score)
    for query, (other, score) in best.items():
        found[query - first] = (stored[other][0] if other < first else f"#{other - first}", score)
    return found


@transaction.atomic
def household_register(
    *,
    user: Any,
    site: Site,
    reference: str,
    members: Sequence[MemberIn],
    consent_referral: bool = False,
    origin_pcode: str = "",
    client_uuid: uuid.UUID,
) -> Household:
    """Register a household at a site with its members; each member is checked against the event's earlier
    registrations with the name matcher and marked as a possible duplicate (kept, for a person to decide)."""
    permissions.permit_registration(user)
    permissions.permit_collect(user)
    existing = _replayed(Household, client_uuid, user)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    if (
        not permissions.sees_everything(user)
        and user.role == "site_manager"
        and not site.managers.filter(pk=user.pk).exists()
    ):
        from corredor.core.permissions import refuse

        raise refuse(
            user,
            _("You manage other sites than %(site)s.") % {"site": site.code},
            f"displacement:site:{site.code}",
        )
    if not members:
        raise ApplicationError(
            _("A household needs at least one member."), detail=[{"field": "members", "message": "empty"}]
        )
    if Household.objects.filter(event_id=site.event_id, reference=reference).exists():
        raise Conflict(_("Household %(reference)s is registered already.") % {"reference": reference})
    errors: list[dict[str, object]] = []
    today = timezone.localdate()
    rows = []
    for index, member in enumerate(members):
        problems: list[dtm.Problem] = []
        checked = kobo._check_row(
            [
                reference,
                site.code,
                member.surname,
                member.given_names,
                member.sex,
                member.birth_date,
                member.age_group,
                member.relationship,
                " ".join(member.vulnerabilities),
                "no",
                "",
                "",
            ],
            index,
            {name: i for i, name in enumerate(kobo.COLUMNS)},
            problems,
            today,
            set(VULNERABILITIES),
        )
        errors += [{"field": f"members[{index}].{p.column}", "message": p.message} for p in problems]
        if checked is not None:
            rows.append(checked)
    if errors:
        raise ApplicationError(_("Some members are not valid: nothing was registered."), detail=errors)
    household = Household.objects.create(
        event_id=site.event_id,
        site=site,
        reference=reference,
        origin_area=_area(origin_pcode, field_name="origin") if origin_pcode else None,
        consent_referral=consent_referral,
        client_uuid=client_uuid,
        collected_by=user,
    )
    matches = duplicates_find(
        event=site.event, people=[(r.surname, r.given_names, r.birth_date, r.sex) for r in rows]
    )
    made: list[Individual] = []
    for row, match in zip(rows, matches, strict=True):
        duplicate = None
        if match is not None:
            duplicate = made[int(match[0][1:])].pk if match[0].startswith("#") else uuid.UUID(match[0])
        person = Individual.objects.create(
            household=household,
            surname=row.surname,
            given_names=row.given_names,
            name_sound=name_sound(row.surname, row.given_names),
            sex=row.sex,
            birth_date=row.birth_date,
            age_group=row.age_group,
            relationship=row.relationship,
            vulnerabilities=list(row.vulnerabilities),
            duplicate_of_id=duplicate,
            duplicate_score=match[1] if match else None,
        )
        made.append(person)
    return household


# The registration's vulnerabilities as the protection desk's indicators (the others have none).
REFERRAL_INDICATORS = {
    "unaccompanied_child": "unaccompanied_child",
    "gbv_risk": "gbv",
    "disability": "disability",
    "pregnant": "pregnancy",
    "chronic_illness": "medical",
}


@transaction.atomic
def individual_refer(
    *, user: Any, individual_id: Any, provider_id: Any, service: str = "", note: str = ""
) -> Any:
    """Refer a registered person to a protection agency: a protection case (awaiting the agency's
    acceptance) and its referral, under the consent the household gave at registration (no consent, no
    referral). Coordinators, and the site managers and enumerators who may see the household."""
    from corredor.core.models import Country
    from corredor.displacement import selectors
    from corredor.protection import services as protection
    from corredor.protection.models import (
        Case,
        CaseEvent,
        EventKind,
        RiskLevel,
        ServiceKind,
        Transition,
        TransitionKind,
    )

    permissions.permit_collect(user)
    person = Individual.objects.select_related("household").filter(pk=individual_id).first()
    if person is None:
        raise _not_found(_("registered person"))
    household = selectors.household_get(user=user, household_id=person.household_id)
    if not household.consent_referral:
        raise ApplicationError(
            _("The household did not consent to a referral to protection: it cannot be referred."),
            detail=[{"field": "consent_referral", "message": _("no consent")}],
        )
    if person.referred_case_id is not None:
        raise Conflict(_("This person has been referred already."))
    provider = protection.provider_get(provider_id)
    country = Country.objects.filter(code=household.event.country_code).first()
    if country is None:
        raise ApplicationError(
            _("The event's country %(code)s is not among the countries.")
            % {"code": household.event.country_code}
        )
    indicators = sorted({REFERRAL_INDICATORS[v] for v in person.vulnerabilities if v in REFERRAL_INDICATORS})
    born = None
    if len(person.birth_date) == 10:
        born = date.fromisoformat(person.birth_date)
    child = person.age_group == AgeGroup.CHILDREN
    now = timezone.now()
    case = Case.objects.create(
        reference=protection.case_reference(now),
        surname=person.surname[:120],
        given_names=person.given_names[:120],
        birth_date=born,
        sex=person.sex,
        nationality=country,
        kind=protection.case_kind_for(indicators, child=child),
        risk=RiskLevel.HIGH if {"unaccompanied_child", "gbv"} & set(indicators) else RiskLevel.MEDIUM,
        indicators=indicators,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.REGISTRATION,
        by=user,
        at=now,
        text=_("Referred from the registration of household %(household)s at site %(site)s (%(event)s).")
        % {"household": household.reference, "site": household.site.name, "event": household.event.name},
    )
    transition = Transition.objects.create(
        kind=TransitionKind.REFERRAL,
        case=case,
        created_by=user,
        to_provider=provider,
        service=service if service in ServiceKind.values else "",
        note=note[:2000],
        consent_given=True,
        consent_data=["identity", "contact"],
        consent_purpose=_("referral from the registration at a displacement site"),
    )
    Individual.objects.filter(pk=person.pk).update(referred_case_id=case.pk)
    audit_write(
        action="update",
        object_type="displacement.individual",
        object_id=person.pk,
        summary=f"referred to protection ({provider.pk}), case {case.reference}",
    )
    return transition


@dataclass
class RegistrationImportResult:
    rows: int
    households: int
    individuals: int
    skipped: int
    duplicates: int
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(rows)d rows: %(households)d households and %(individuals)d individuals registered, "
            "%(skipped)d already imported, %(duplicates)d possible duplicates, in %(seconds).1f s."
        ) % {
            "rows": self.rows,
            "households": self.households,
            "individuals": self.individuals,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "seconds": self.seconds,
        }


@transaction.atomic
def registration_import(
    *,
    user: Any,
    event: Event,
    data: bytes,
    file_name: str,
    find_duplicates: bool = True,
) -> RegistrationImportResult:
    """Import a KoboToolbox or ODK Central export of registrations (CSV or XLSX, one row per individual).
    All or nothing: every problem is reported with its row and column and nothing is stored; submissions
    imported before (same submission id) are skipped, so re-importing a grown export adds only the new."""
    started = time.monotonic()
    permissions.permit_registration(user)
    if user is not None:
        permissions.permit_collect(user)
    read = kobo.read_submissions(
        data, file_name, today=timezone.localdate(), vulnerabilities=set(VULNERABILITIES)
    )
    errors = list(read.errors)
    sites = {site.code: site for site in event.sites.all()}
    pcodes = set(AdminArea.objects.values_list("pcode", flat=True))
    for submission in read.submissions:
        if submission.site_code not in sites:
            errors.append(
                dtm.Problem(
                    submission.row,
                    "site_code",
                    _("no site %(code)s in this event") % {"code": submission.site_code},
                )
            )
        if submission.origin_pcode and submission.origin_pcode not in pcodes:
            errors.append(
                dtm.Problem(
                    submission.row,
                    "origin_pcode",
                    _("unknown p-code %(pcode)s") % {"pcode": submission.origin_pcode},
                )
            )
    if errors:
        errors.sort(key=lambda problem: problem.line)
        raise ApplicationError(
            _("The file has %(count)d errors: nothing was imported.") % {"count": len(errors)},
            detail=_problems(errors),
        )
    ids = [s.submission_id for s in read.submissions if s.submission_id is not None]
    known: set[uuid.UUID] = set()
    for start in range(0, len(ids), 5000):
        known.update(
            Individual.objects.filter(client_uuid__in=ids[start : start + 5000]).values_list(
                "client_uuid", flat=True
            )
        )
    fresh = [s for s in read.submissions if s.submission_id not in known]
    households = {
        reference: (pk, site_id)
        for reference, pk, site_id in Household.objects.filter(event=event).values_list(
            "reference", "id", "site_id"
        )
    }
    # The new households, as the columns `_insert` writes (no model instance per row).
    new_households: list[dict[str, Any]] = []
    collector_id = user.pk if user is not None else _import_user().pk
    now = timezone.now()
    for submission in fresh:
        site = sites[submission.site_code]
        if submission.household_ref in households:
            if households[submission.household_ref][1] != site.pk:
                errors.append(
                    dtm.Problem(
                        submission.row,
                        "site_code",
                        _("household %(ref)s is registered at another site")
                        % {"ref": submission.household_ref},
                    )
                )
            continue
        household_id = uuid.uuid5(event.id, f"household:{submission.household_ref}")
        new_households.append(
            {
                "id": household_id,
                "event_id": event.pk,
                "site_id": site.pk,
                "reference": submission.household_ref,
                "origin_area_id": submission.origin_pcode or None,
                "consent_referral": submission.consent_referral,
                "client_uuid": household_id,
                "collected_by_id": collector_id,
                "collected_at": now,
                "received_at": now,
            }
        )
        households[submission.household_ref] = (household_id, site.pk)
    # Retention removed these people (or households) for good: an old export does not bring them back.
    from corredor.core.models import Tombstone
    from corredor.core.retention import purged_ids

    gone: set[str] = set()
    gone_households: set[str] = set()
    if Tombstone.objects.filter(
        model_label__in=("displacement.individual", "displacement.household")
    ).exists():
        gone = purged_ids("displacement.individual", [s.submission_id for s in fresh if s.submission_id])
        gone_households = purged_ids("displacement.household", [h["id"] for h in new_households])
    for submission in fresh if gone or gone_households else ():
        household_key = str(uuid.uuid5(event.id, f"household:{submission.household_ref}"))
        if str(submission.submission_id) in gone or household_key in gone_households:
            errors.append(
                dtm.Problem(
                    submission.row, "submission_id", _("removed under the retention policy: not again")
                )
            )
    if errors:
        errors.sort(key=lambda problem: problem.line)
        raise ApplicationError(
            _("The file has %(count)d errors: nothing was imported.") % {"count": len(errors)},
            detail=_problems(errors),
        )
    matches: list[tuple[str, float] | None] = (
        duplicates_find(event=event, people=[(s.surname, s.given_names, s.birth_date, s.sex) for s in fresh])
        if find_duplicates
        else [None] * len(fresh)
    )
    ids = [submission.submission_id or uuid.uuid4() for submission in fresh]
    sounds_of: dict[tuple[str, str], str] = {}
    for submission in fresh:
        key = (submission.surname, submission.given_names)
        if key not in sounds_of:
            sounds_of[key] = name_sound(*key)
    people: list[dict[str, Any]] = []
    for submission, match, person_id in zip(fresh, matches, ids, strict=True):
        duplicate = None
        if match is not None:
            duplicate = ids[int(match[0][1:])] if match[0].startswith("#") else uuid.UUID(match[0])
        people.append(
            {
                "id": person_id,
                "household_id": households[submission.household_ref][0],
                "surname": submission.surname,
                "given_names": submission.given_names,
                "name_sound": sounds_of[(submission.surname, submission.given_names)],
                "sex": submission.sex,
                "birth_date": submission.birth_date,
                "age_group": submission.age_group,
                "relationship": submission.relationship,
                "vulnerabilities": list(submission.vulnerabilities),
                "duplicate_of_id": duplicate,
                "duplicate_score": match[1] if match else None,
                "client_uuid": person_id,
                "referred_case_id": None,
            }
        )
    _insert(Household, new_households)
    _insert(Individual, people)
    result = RegistrationImportResult(
        rows=len(read.submissions),
        households=len(new_households),
        individuals=len(people),
        skipped=len(read.submissions) - len(fresh),
        duplicates=sum(1 for match in matches if match is not None),
        seconds=time.monotonic() - started,
    )
    audit_write(
        action="bulk",
        object_type="displacement.individual",
        object_id=str(event.pk),
        summary=f"registration import {file_name}: {result.households} households, "
        f"{result.individuals} individuals",
    )
    return result


# Column types whose values go to the database as Python gives them (the others pass through their field's
# conversion for the database in use: UUIDs, JSON, date-times, foreign keys).
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "BooleanField",
    "FloatField",
    "IntegerField",
    "PositiveIntegerField",
}


def _to_database(field: Any, connection: Any) -> Any:
    """How a value of this field goes to the database: None when as it is; UUIDs as the database keeps them;
    JSON once per distinct value (a registration repeats a few lists of vulnerabilities)."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in _PLAIN_TYPES:
        return None
    if kind == "UUIDField":
        return None if connection.features.has_native_uuid_field else (lambda value, _connection: value.hex)
    if kind == "JSONField":
        known: dict[Any, Any] = {}

        def to_json(value: Any, connection: Any) -> Any:
            key = tuple(value) if isinstance(value, list) else json.dumps(value, sort_keys=True)
            if key not in known:
                known[key] = field.get_db_prep_save(value, connection)
            return known[key]

        return to_json
    return field.get_db_prep_save


def _insert(model: Any, rows: Sequence[Mapping[str, Any]], batch: int = 5000) -> None:
    """Insert new rows, given as {attribute name: value} with every concrete field, with one prepared
    statement per batch: what `bulk_create` does, without a model instance per row nor the SQL built anew
    for every row (most of a 100,000-row import's time). Nothing is checked here: the caller has."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    convert = [_to_database(field, connection) for field in fields]
    names = [field.attname for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    plan = list(zip(names, convert, strict=True))
    values = [
        [
            row[name] if to_db is None or row[name] is None else to_db(row[name], connection)
            for name, to_db in plan
        ]
        for row in rows
    ]
    # In key order, each index grows at its end rather than at random places (the keys are random UUIDs).
    key = names.index(model._meta.pk.attname)
    values.sort(key=lambda row: str(row[key]))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MB of pages for this connection, not 2 MB
        for start in range(0, len(values), batch):
            cursor.executemany(sql, values[start : start + batch])


def _import_user() -> Any:
    """The account the command line's imports are recorded under."""
    from corredor.core.models import Role, User

    user, _created = User.objects.get_or_create(
        username="import.displacement", defaults={"role": Role.EMERGENCY_COORDINATOR, "is_active": False}
    )
    return user


# --- DTM's published figures -------------------------------------------------------------------------------

EVENT_KINDS = (
    ("earthquake", EventKind.EARTHQUAKE),
    ("hurricane", EventKind.HURRICANE),
    ("storm", EventKind.HURRICANE),
    ("flood", EventKind.FLOOD),
    ("monitoring", EventKind.MONITORING),
    ("violence", EventKind.VIOLENCE),
    ("conflict", EventKind.VIOLENCE),
)


@dataclass
class DtmImportResult:
    events: int
    rounds: int
    figures: int
    totals: list[dtm.RoundTotal]
    warnings: list[dtm.Problem]

    def summary(self) -> str:
        consistent = sum(1 for total in self.totals if total.consistent)
        return (
            f"DTM figures: {self.figures} rows, {self.events} operations, {self.rounds} rounds; "
            f"{consistent} of {len(self.totals)} rounds' admin 1 and admin 2 rows add up to DTM's published "
            f"national total; {len(self.warnings)} warnings."
        )


def _event_kind(operation: str) -> str:
    lowered = operation.lower()
    return next((kind for word, kind in EVENT_KINDS if word in lowered), EventKind.OTHER)


@transaction.atomic
def dtm_import(*, user: Any, data: bytes, file_name: str = "dtm.csv") -> DtmImportResult:
    """Import DTM's published figures (admin 0-2, HXL). All or nothing; importing the same file again
    replaces the figures of its operations. Each operation becomes a DTM event with its rounds; the admin
    areas the file names are created from it."""
    permissions.permit_coordinate(user)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(_("The file is not UTF-8 text (byte %(at)d).") % {"at": error.start}) from None
    table = dtm.read_table(text)
    if table.errors:
        raise ApplicationError(
            _("The DTM file has %(count)d errors: nothing was imported.") % {"count": len(table.errors)},
            detail=_problems(table.errors),
        )
    if not table.figures:
        raise ApplicationError(_("The DTM file holds no figures."))
    warnings = table.warnings + dtm.level_problems(table.figures)
    found: dict[str, tuple[str, int, str | None]] = {}
    for figure in table.figures:
        chain = [figure.admin0, figure.admin1, figure.admin2][: figure.admin_level + 1]
        parent = None
        for level, (pcode, name) in enumerate(chain):
            if pcode not in found or (name and found[pcode][0] == pcode):
                found[pcode] = (name or pcode, level, parent)
            parent = pcode
    _areas_store(found)
    events: dict[str, Event] = {}
    rounds: dict[tuple[str, int], Round] = {}
    dates: dict[tuple[str, int], date] = {}
    for figure in table.figures:
        key = (figure.operation, figure.round_number)
        dates[key] = max(dates.get(key, date.min), figure.reporting_date)
    for operation in sorted({figure.operation for figure in table.figures}):
        country = next(f.admin0[0] for f in table.figures if f.operation == operation)
        started = min(f.reporting_date for f in table.figures if f.operation == operation)
        code = f"dtm-{country.lower()}-{slugify(operation)}"[:80]
        event, _created = Event.objects.update_or_create(
            code=code,
            defaults={
                "name": operation,
                "kind": _event_kind(operation),
                "country_code": country,
                "started_on": started,
                "source": DataSource.DTM,
            },
        )
        PublishedFigure.objects.filter(event=event).delete()
        events[operation] = event
    for (operation, number), reported in dates.items():
        rounds[(operation, number)], _created = Round.objects.update_or_create(
            event=events[operation], number=number, defaults={"reporting_date": reported, "closed": True}
        )
    PublishedFigure.objects.bulk_create(
        [
            PublishedFigure(
                event=events[f.operation],
                round=rounds[(f.operation, f.round_number)],
                admin_level=f.admin_level,
                area_id=f.pcode,
                reason=f.reason,
                assessment_type=f.assessment_type,
                origin_pcode=f.origin_pcode,
                individuals=f.individuals,
                males=f.males,
                females=f.females,
                source_id=f.source_id,
                line=f.line,
            )
            for f in table.figures
        ],
        batch_size=2000,
    )
    for event in events.values():
        event.affected_areas.set(
            AdminArea.objects.filter(
                pcode__in={f.admin1[0] for f in table.figures if f.operation == event.name and f.admin1[0]}
            )
        )
    result = DtmImportResult(
        events=len(events),
        rounds=len(rounds),
        figures=len(table.figures),
        totals=dtm.round_totals(table.figures),
        warnings=warnings,
    )
    audit_write(
        action="bulk",
        object_type="displacement.publishedfigure",
        object_id=file_name[:64],
        summary=result.summary(),
    )
    return result


def dtm_totals_csv(totals: Sequence[dtm.RoundTotal]) -> str:
    """The rounds' totals as CSV (the command's `--totals` output)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["operation", "round", "reporting_date", "published_admin0", "sum_admin1", "sum_admin2"])
    for total in totals:
        writer.writerow(
            [
                total.operation,
                total.round_number,
                total.reporting_date,
                total.published,
                total.admin1,
                total.admin2,
            ]
        )
    return out.getvalue()


def _not_found(what: str) -> NotFound:
    return NotFound(_("No such %(what)s.") % {"what": what})


# --- registration imports in the background worker ---------------------------------------------------------

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@transaction.atomic
def import_job_queue(*, user: Any, event: Event, data: bytes, filename: str) -> Any:
    """Queue an uploaded Kobo / ODK export for `corredor work` (the web process does not import)."""
    from corredor.core.errors import TooLarge
    from corredor.displacement.models import ImportJob

    permissions.permit_coordinate(user)
    if not data:
        raise ApplicationError(_("The file is empty."), detail=[{"field": "file", "message": filename}])
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(_("The file is larger than 50 MB: split the export."))
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ApplicationError(
            _("Upload the export as CSV or XLSX."), detail=[{"field": "file", "message": filename}]
        )
    job = ImportJob.objects.create(event=event, user=user, filename=filename[:255], data=data)
    audit_write(
        action="create", object_type="displacement.importjob", object_id=job.pk, summary=filename[:200]
    )
    return job


def import_job_claim(worker: str) -> Any:
    """The oldest queued import, claimed for `worker` with a conditional UPDATE (never run twice)."""
    from corredor.displacement.models import ImportJob

    for pk in (
        ImportJob.objects.filter(status="queued").order_by("created_at").values_list("pk", flat=True)[:10]
    ):
        now = timezone.now()
        claimed = ImportJob.objects.filter(pk=pk, status="queued").update(
            status="running", worker=worker[:100], started_at=now, heartbeat_at=now
        )
        if claimed:
            return ImportJob.objects.select_related("event", "user").get(pk=pk)
    return None


def import_job_run(job: Any) -> None:
    """Import a claimed job's file. The import and the job's "done" are one transaction: a job the reaper
    ended meanwhile (its worker looked dead) keeps nothing of the import."""
    from corredor.core.audit import acting_as, actor_for
    from corredor.displacement.models import ImportJob

    with acting_as(actor_for(job.user, "corredor work")):
        try:
            with transaction.atomic():
                result = registration_import(
                    user=job.user, event=job.event, data=bytes(job.data), file_name=job.filename
                )
                finished = ImportJob.objects.filter(pk=job.pk, status="running").update(
                    status="done", summary=result.summary(), data=b"", finished_at=timezone.now()
                )
                if not finished:
                    raise _Abandoned
        except _Abandoned:
            return
        except ApplicationError as error:
            ImportJob.objects.filter(pk=job.pk, status="running").update(
                status="failed" if error.status == 403 else "rejected",
                summary=error.message,
                errors=error.detail if isinstance(error.detail, list) else [],
                data=b"",
                finished_at=timezone.now(),
            )
        except Exception as error:  # recorded on the job for the person who uploaded; the worker goes on
            ImportJob.objects.filter(pk=job.pk, status="running").update(
                status="failed",
                summary=f"{error.__class__.__name__}: {error}"[:500],
                data=b"",
                finished_at=timezone.now(),
            )


class _Abandoned(Exception):
    """The job was ended by the reaper while it ran: roll its import back."""


def import_jobs_reap() -> int:
    """Mark running imports whose worker gave no sign of life for CORREDOR_JOB_STALE_SECONDS as failed."""
    from datetime import timedelta

    from django.conf import settings

    from corredor.displacement.models import ImportJob

    stale = timezone.now() - timedelta(seconds=max(getattr(settings, "CORREDOR_JOB_STALE_SECONDS", 120), 600))
    return ImportJob.objects.filter(status="running", heartbeat_at__lt=stale).update(
        status="failed",
        summary=_("The import stopped without finishing (the worker was stopped). Nothing was imported."),
        data=b"",
        finished_at=timezone.now(),
    )


@transaction.atomic
def round_close(*, user: Any, round: Round) -> Round:
    """Close a round: its figures are final, nothing more is recorded in it (a late submission is refused
    with a message, and stays on the device)."""
    permissions.permit_coordinate(user)
    if round.event.source != DataSource.NATIONAL:
        raise Conflict(_("DTM's published rounds take no field records."))
    round.closed = True
    round.save(update_fields=["closed"])
    return round


def _households_retention() -> Any:
    from corredor.core.retention import RetentionPolicy

    # Duplicates are found within one event only, so purging an event's households never reaches into
    # another event's (a purge removes whatever points at what it removes).
    return RetentionPolicy(
        name="displacement_household",
        model="displacement.household",
        description="registered households and their members, a set time after their event ended",
        due=households_due,
        guarded=("displacement.individual",),
    )


def households_due(now: datetime, days: dict[str, int]) -> Any:
    """Households whose event ended more than the retention period ago (retention's `due`)."""
    from datetime import timedelta

    keep = days.get("displacement_household", 0)
    if not keep:
        return Household.objects.none()
    return Household.objects.filter(event__ended_on__lt=(now - timedelta(days=keep)).date())


@transaction.atomic
def event_end(*, user: Any, event: Event, ended_on: date) -> Event:
    """Record the day an event ended (its registrations' retention period runs from it)."""
    permissions.permit_coordinate(user)
    if ended_on < event.started_on:
        raise ApplicationError(
            _("An event cannot end before it started (%(day)s).") % {"day": event.started_on},
            detail=[{"field": "ended_on", "message": str(ended_on)}],
        )
    event.ended_on = ended_on
    event.save(update_fields=["ended_on"])
    return event


HOUSEHOLD_RETENTION = _households_retention()
