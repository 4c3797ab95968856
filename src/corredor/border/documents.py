"""A travel document as the border reads it: from an MRZ, or typed in from the printed page.

One place for the document's input shape (`DocumentInput`), its normalisation (upper case, ICAO codes,
numbers without spaces or fillers), its checks, and the "MRZ or typed fields" choice that the desk, the API
and the passenger lists all make. Services store documents; this module only reads and checks them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from corredor.core import selectors as core_selectors
from corredor.core.errors import ApplicationError
from corredor.icao import MrzResult, parse_mrz

if TYPE_CHECKING:
    from corredor.border.models import TravelDocument


@dataclass(frozen=True)
class DocumentInput:
    """A travel document's printed data, from an MRZ or typed in."""

    document_code: str
    issuing_state: str
    number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    mrz: str = ""


TYPED_FIELDS = (
    "document_code",
    "issuing_state",
    "number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)


def document_input_from_mrz(mrz_text: str) -> tuple[DocumentInput, MrzResult]:
    """Parse an MRZ into document input; an invalid MRZ is refused with every problem listed."""
    result = parse_mrz(mrz_text)
    if not result.valid:
        raise ApplicationError(
            _("The MRZ is not valid: %(problems)s")
            % {"problems": "; ".join(p.message for p in result.errors)},
            detail=[{"code": p.code, "message": p.message, "field": p.field} for p in result.errors],
        )
    return (
        DocumentInput(
            document_code=result.document_code,
            issuing_state=result.issuing_state,
            number=result.document_number,
            surname=result.surname,
            given_names=result.given_names,
            nationality=result.nationality,
            birth_date=result.birth_date,
            sex=result.sex,
            expiry_date=result.expiry_date,
            mrz="\n".join(result.lines),
        ),
        result,
    )


def document_input_from_fields(fields: Mapping[str, Any]) -> DocumentInput:
    """A typed-in document (a form's or a schema's fields); names beyond the document's are ignored."""

    def text(name: str) -> str:
        return str(fields.get(name) or "")

    return DocumentInput(
        document_code=text("document_code"),
        issuing_state=text("issuing_state"),
        number=text("number"),
        surname=text("surname"),
        given_names=text("given_names"),
        nationality=text("nationality"),
        birth_date=fields.get("birth_date"),
        sex=text("sex"),
        expiry_date=fields.get("expiry_date"),
        mrz="",
    )


def document_input(*, mrz: str | None, fields: Mapping[str, Any] | None) -> DocumentInput:
    """The document of a request that gives either its MRZ or its typed fields, never both nor neither."""
    has_mrz = bool(mrz and mrz.strip())
    if has_mrz == (fields is not None):
        raise ApplicationError(
            _("Give either mrz or document (the typed fields), not both."),
            detail={"field": "mrz"},
        )
    if has_mrz:
        assert mrz is not None
        return document_input_from_mrz(mrz)[0]
    assert fields is not None
    return document_input_from_fields(fields)


def document_input_of(document: "TravelDocument") -> DocumentInput:
    """A stored document as input again (a correction is screened like the crossing it corrects)."""
    return DocumentInput(
        document_code=document.document_code,
        issuing_state=document.issuing_state_id,
        number=document.number,
        surname=document.surname,
        given_names=document.given_names,
        nationality=document.nationality_id,
        birth_date=document.birth_date,
        sex=document.sex,
        expiry_date=document.expiry_date,
        mrz=document.mrz,
    )


def icao_code(code: str) -> str:
    """A state's code as ICAO documents print it: Germany is D, not DEU; fillers and case do not count."""
    code = code.strip().upper().strip("<")
    return "D" if code == "DEU" else code


def normalise_number(number: str) -> str:
    """A document number as stored: upper case, no spaces, no MRZ fillers."""
    return number.strip().upper().replace(" ", "").replace("<", "")


def normalise(doc: DocumentInput) -> DocumentInput:
    """The document as stored: upper-case names with single spaces, ICAO codes, a plain number."""
    return replace(
        doc,
        document_code=doc.document_code.strip().upper(),
        issuing_state=icao_code(doc.issuing_state),
        number=normalise_number(doc.number),
        surname=" ".join(doc.surname.upper().split()),
        given_names=" ".join(doc.given_names.upper().split()),
        nationality=icao_code(doc.nationality),
        sex=(doc.sex or "X").strip().upper() or "X",
    )


def document_check(doc: DocumentInput) -> None:
    """Refuse a document with a missing field, an unknown state code, a bad sex or a future birth date."""
    missing = [
        label
        for label, value in (
            (_("document number"), doc.number),
            (_("surname"), doc.surname),
            (_("issuing state"), doc.issuing_state),
            (_("nationality"), doc.nationality),
        )
        if not value
    ]
    if missing:
        raise ApplicationError(_("Missing: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)})
    if not doc.document_code:
        raise ApplicationError(_("Missing: document code."))
    for code_field, label in (("issuing_state", _("issuing state")), ("nationality", _("nationality"))):
        code = getattr(doc, code_field)
        if not core_selectors.country_exists(code=code):
            raise ApplicationError(
                _("Unknown %(what)s code %(code)s.") % {"what": label, "code": code},
                detail={"field": code_field},
            )
    if doc.sex not in ("M", "F", "X"):
        raise ApplicationError(_("Sex must be M, F or X."), detail={"field": "sex"})
    if doc.birth_date and doc.birth_date > timezone.localdate():
        raise ApplicationError(_("The birth date is in the future."), detail={"field": "birth_date"})


def age_on(birth_date: date | None, day: date) -> int | None:
    """Whole years of age on `day` (None without a birth date)."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
