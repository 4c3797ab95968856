"""The statistics pages' and API's query parameters, parsed and checked in one place (a Django form).

A bad value (an unknown nationality, `sex=Q`, 2026-02-30, 9999-12) is refused with what is wrong and
where (400), never ignored: a page that showed the unfiltered totals under the filter the reader asked
for would be wrong in the worst way, by looking right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corredor.core.errors import ApplicationError
from corredor.icao.countries import is_known_country
from corredor.statistics.engine import (
    AGE_BANDS,
    DIMENSIONS,
    MEASURES,
    NOT_REFUSED,
    PERIODS,
    UNKNOWN,
    period_next,
)
from corredor.statistics.regions import REGION_LABELS

# Dates a statistics query can name: well inside what the calendar arithmetic (and a reader) can take.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)

FILTER_DIMS = (
    "post",
    "nationality",
    "region",
    "sex",
    "age_band",
    "stay_category",
    "post_kind",
    "refusal_ground",
)
SEXES = ("F", "M", "X", UNKNOWN)


def _known_values(code: str) -> Sequence[str] | None:
    """The values a filter on this dimension may take; None where any code-like value may (checked by
    `_code_like`)."""
    if code == "sex":
        return SEXES
    if code == "age_band":
        return (*AGE_BANDS, UNKNOWN)
    if code == "region":
        return tuple(REGION_LABELS)
    if code == "direction":
        return ("entry", "exit")
    if code == "decision":
        return ("admitted", "refused", "referred")
    if code == "post_kind":
        from corredor.core.models import BorderPost

        return tuple(BorderPost.Kind.values)
    if code == "post":
        from corredor.core.models import BorderPost

        return tuple(BorderPost.objects.values_list("code", flat=True))
    if code == "refusal_ground":
        from corredor.border.models import RefusalGround

        return (*RefusalGround.objects.values_list("code", flat=True).distinct(), UNKNOWN, NOT_REFUSED)
    if code == "stay_category":
        from corredor.core.models import StayCategory

        return (*StayCategory.objects.values_list("code", flat=True), UNKNOWN)
    return None


def _value_problem(code: str, value: str) -> str | None:
    if code == "nationality":
        if value == UNKNOWN or is_known_country(value):
            return None
        return _("%(v)s is not a known nationality code (ISO 3166 or ICAO).") % {"v": value[:20]}
    known = _known_values(code)
    if known is not None and value not in known:
        shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        return _("%(v)s is not one of %(all)s.") % {"v": value[:20], "all": shown}
    return None


def clean_country(raw: str | None, *, field: str) -> str | None:
    """A country code asked for (the context page's country, the external figures' origin and
    destination): upper-cased, or ApplicationError (400) when no country has it."""
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    problem = _value_problem("nationality", code)
    if problem or code == UNKNOWN:
        raise invalid({field: [problem or _("%(v)s is not a country code.") % {"v": code}]})
    return code


def clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Filters checked: known dimensions, known values. Raises ApplicationError (400) listing every
    problem with the parameter it is in."""
    problems: dict[str, list[str]] = {}
    clean: dict[str, list[str]] = {}
    for code, values in filters.items():
        dimension = DIMENSIONS.get(code)
        if dimension is None or dimension.period:
            problems.setdefault(code[:30], []).append(
                _("Unknown filter %(d)s; one of: %(all)s") % {"d": code[:30], "all": ", ".join(FILTER_DIMS)}
            )
            continue
        for raw in values:
            value = raw.strip()
            if code == "nationality":
                value = value.upper()
            if not value:
                continue
            problem = _value_problem(code, value)
            if problem:
                problems.setdefault(code, []).append(problem)
            else:
                clean.setdefault(code, []).append(value)
    if problems:
        raise invalid(problems)
    return clean


def invalid(problems: Mapping[str, Sequence[Any]]) -> ApplicationError:
    """One 400 for every bad parameter: the message names them, the detail says what is wrong with each."""
    text = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in problems.items())
    return ApplicationError(
        _("The query is not valid: %(problems)s") % {"problems": text},
        detail=[
            {"field": field, "message": str(message)}
            for field, messages in problems.items()
            for message in messages
        ],
        status=400,
    )


class _Dates(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, input_formats=["%Y-%m-%d"], **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("%(d)s is outside %(first)s to %(last)s.") % {"d": value, "first": EARLIEST, "last": LATEST}
            )


class StatisticsQueryForm(forms.Form):
    """The query string of the dashboard, the table explorer, the downloads, the bulletin and the API:
    range, period, month, measure, breakdown, K, format and filters."""

    date_from = _Dates(label=gettext_lazy("From"))
    date_to = _Dates(label=gettext_lazy("To"))
    period = forms.ChoiceField(choices=[(p, p) for p in PERIODS], required=False)
    month = forms.CharField(required=False, max_length=7)
    measure = forms.ChoiceField(choices=[(m, m) for m in MEASURES], required=False)
    by = forms.CharField(required=False, max_length=200)
    min_cell = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
    format = forms.CharField(required=False, max_length=20)

    # Query-string names that differ from the field names.
    ALIASES = {"from": "date_from", "to": "date_to"}

    def __init__(
        self, params: Mapping[str, Any], *, filters: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        data = {self.ALIASES.get(key, key): value for key, value in params.items()}
        # Problems are reported under the names the caller used (`from` on pages, `date_from` in the API).
        self._names = {self.ALIASES.get(key, key): key for key in params}
        super().__init__(data)
        self._filters = filters or {}

    def clean_month(self) -> date | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("A month is written YYYY-MM, not %(m)s.") % {"m": text[:20]})
        first = date(int(match.group(1)), int(match.group(2)), 1)
        if not EARLIEST <= first <= LATEST:
            raise forms.ValidationError(
                _("%(m)s is outside %(first)s to %(last)s.") % {"m": text, "first": EARLIEST, "last": LATEST}
            )
        return first

    def clean_by(self) -> list[str]:
        codes = [c.strip() for c in (self.cleaned_data.get("by") or "").split(",") if c.strip()]
        unknown = [c for c in codes if c not in DIMENSIONS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown dimension %(d)s; one of: %(all)s")
                % {"d": unknown[0][:30], "all": ", ".join(DIMENSIONS)}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The period ends before it starts."))
        return data

    def parsed(self) -> dict[str, Any]:
        """The cleaned values, or ApplicationError (400) naming every bad parameter."""
        problems: dict[str, list[str]] = {}
        if not self.is_valid():
            for field, errors in self.errors.items():
                problems[self._names.get(field, field)] = [str(e) for e in errors]
        try:
            filters = clean_filters(self._filters)
        except ApplicationError as error:
            for item in error.detail or []:
                problems.setdefault(item["field"], []).append(item["message"])
            filters = {}
        if problems:
            raise invalid(problems)
        data = dict(self.cleaned_data)
        data["filters"] = filters
        month = data.get("month")
        if month is not None:
            data["month_last"] = period_next(month, "month") - timedelta(days=1)
        return data


def query_from_request(get: Any) -> dict[str, Any]:
    """Parse a page's query string (a QueryDict): one value per parameter, filters as lists."""
    filters = {code: [v for v in get.getlist(code) if v.strip()] for code in FILTER_DIMS if get.getlist(code)}
    params = {key: get.get(key) for key in get if key not in FILTER_DIMS}
    if get.getlist("by") and len(get.getlist("by")) > 1:
        params["by"] = ",".join(get.getlist("by"))
    return StatisticsQueryForm(params, filters={k: v for k, v in filters.items() if v}).parsed()
