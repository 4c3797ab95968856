"""Template filters of screening."""

from typing import Any

from django import template

from corredor.screening.wording import match_kind_text, reasons_as_text, row_error_text

register = template.Library()


@register.filter
def reason_lines(reasons: list[dict[str, Any]]) -> list[str]:
    """A hit's stored reasons as sentences in the active language."""
    return reasons_as_text(reasons or [])


@register.filter
def row_error(error: dict[str, Any]) -> str:
    """A validation-report problem in the active language."""
    return row_error_text(error)


@register.filter
def match_kind(kind: str) -> str:
    """How a document number matched (exact, OCR confusion, typing error), in the active language."""
    return match_kind_text(kind) if kind else ""
