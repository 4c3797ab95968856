"""Dates typed by people, read one way for every app's pages."""

from datetime import date

from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from corredor.core.errors import ApplicationError


def date_field(data: QueryDict, name: str) -> date | None:
    """A date from a query string or a form: empty is None; an impossible one (2024-02-30) or one that is
    not a date is refused (400) naming the field, never ignored."""
    text = (data.get(name) or "").strip()
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise ApplicationError(
            _("“%(value)s” in %(name)s is not a date (YYYY-MM-DD).") % {"value": text[:40], "name": name},
            detail={"field": name},
        )
    return value
