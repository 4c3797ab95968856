"""MRZ problems for people: the ICAO core explains each problem in English with its exact place; the desk
leads with a translated headline per problem code and field, then that detail."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

HEADLINES = {
    "layout": _("The MRZ layout is not recognised"),
    "invalid_character": _("A character that an MRZ cannot hold"),
    "check_digit": _("Check digit does not match"),
    "invalid_date": _("Not a real calendar date"),
    "invalid_sex": _("Sex must be M, F or <"),
    "ocr_confusion": _("A letter where a digit belongs (misread by the scanner?)"),
    "unknown_country": _("Unknown country code"),
    "expired": _("The document has expired"),
    "implausible_age": _("Implausible age"),
    "name_truncated": _("The name was cut short to fit the MRZ"),
    "partial_date": _("Part of the date is unknown"),
}

FIELDS = {
    "document_number": _("document number"),
    "birth_date": _("birth date"),
    "expiry_date": _("expiry date"),
    "optional_data": _("optional data"),
    "personal_number": _("personal number"),
    "composite": _("composite check digit"),
    "issuing_state": _("issuing state"),
    "nationality": _("nationality"),
    "sex": _("sex"),
    "surname": _("surname"),
    "given_names": _("given names"),
    "name": _("name"),
    "names": _("name"),
    "document_code": _("document code"),
}


@dataclass(frozen=True)
class ShownProblem:
    kind: str  # "err" or "warn"
    code: str
    field: str
    headline: str
    field_label: str
    detail: str


def problems_for_display(result: Any) -> list[ShownProblem]:
    """The MRZ result's errors then warnings, each with a translated headline and the core's detail."""
    shown = []
    for kind, problems in (("err", result.errors), ("warn", result.warnings)):
        for p in problems:
            shown.append(
                ShownProblem(
                    kind=kind,
                    code=p.code,
                    field=p.field or "",
                    headline=str(HEADLINES.get(p.code, p.code)),
                    field_label=str(FIELDS.get(p.field or "", p.field or "")),
                    detail=p.message,
                )
            )
    return shown
