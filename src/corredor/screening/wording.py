"""What screening says to people: hit explanations in the user's language.

The matching core explains each hit with reasons in English and a stable code with parameters; here the
codes become translatable sentences. A code this module does not know is shown in the core's English.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from corredor.matching.records import Reason

_HOW_CODES = frozenset(
    {
        "name_phonetic",
        "name_nickname",
        "name_truncated",
        "name_particle",
        "name_typo",
        "name_equivalent",
        "name_transliteration",
        "name_initial",
        "name_similar",
        "name_particle_joined",
    }
)


def _part(label: str) -> str:
    return {
        "surname": pgettext("name part", "surname"),
        "given name": pgettext("name part", "given name"),
        "name": pgettext("name part", "name"),
    }.get(label, label)


def _how(code: str) -> str:
    return {
        "name_phonetic": _("sounds the same"),
        "name_nickname": _("nickname or other spelling"),
        "name_truncated": _("cut short in the MRZ"),
        "name_particle": _("with a particle joined"),
        "name_typo": _("one letter differs"),
        "name_equivalent": _("same name in another language"),
        "name_transliteration": _("another transliteration"),
        "name_initial": _("initial"),
        "name_similar": _("similar spelling"),
        "name_joined": _("written as one word"),
        "name_particle_joined": _("particles written joined"),
    }.get(code, code)


def reason_text(code: str, text: str, params: Mapping[str, str]) -> str:
    """One reason as a sentence in the active language."""
    p = dict(params)
    entry, traveller = p.get("entry", ""), p.get("traveller", "")
    part = _part(p.get("part", "name"))
    sentences: dict[str, Any] = {
        "name_exact": lambda: _("%(part)s %(entry)s matches") % {"part": part, "entry": entry},
        "name_differs": lambda: (
            _("%(part)s %(entry)s differs from %(traveller)s")
            % {"part": part, "entry": entry, "traveller": traveller}
        ),
        "name_missing": lambda: _("name part %(entry)s is not in the traveller's name") % {"entry": entry},
        "name_extra": lambda: (
            _("name part %(traveller)s is not in the listed name") % {"traveller": traveller}
        ),
        "name_joined": lambda: (
            _("name parts %(entry)s ≈ %(traveller)s (written as one word)")
            % {"entry": entry, "traveller": traveller}
        ),
        "name_order": lambda: _("surnames and given names in another order"),
        "birth_date_match": lambda: _("birth date %(entry)s matches") % {"entry": entry},
        "birth_month_match": lambda: _("birth year and month %(entry)s match") % {"entry": entry[:7]},
        "birth_year_match": lambda: _("birth year %(entry)s matches") % {"entry": entry[:4]},
        "birth_date_differs": lambda: (
            _("birth date %(entry)s differs from %(traveller)s") % {"entry": entry, "traveller": traveller}
        ),
        "birth_date_swapped": lambda: (
            _("birth date %(entry)s matches %(traveller)s with day and month swapped")
            % {"entry": entry, "traveller": traveller}
        ),
        "birth_date_year_off": lambda: (
            _("birth date %(entry)s one year from %(traveller)s") % {"entry": entry, "traveller": traveller}
        ),
        "birth_day_differs": lambda: (
            _("birth year and month %(entry)s match, day differs") % {"entry": entry[:7]}
        ),
        "birth_year_only": lambda: _("only the birth year %(entry)s matches") % {"entry": entry[:4]},
        "birth_date_near": lambda: (
            _("birth date %(entry)s is near %(traveller)s, not equal")
            % {"entry": entry, "traveller": traveller}
        ),
        "birth_year_near": lambda: (
            _("birth year %(entry)s is one from %(traveller)s")
            % {"entry": entry[:4], "traveller": traveller[:4]}
        ),
        "sex_differs": lambda: (
            _("sex differs (%(entry)s listed, %(traveller)s travelling)")
            % {"entry": entry, "traveller": traveller}
        ),
        "nationality_match": lambda: _("nationality %(entry)s matches") % {"entry": entry},
        "nationality_differs": lambda: (
            _("nationality differs (%(entry)s listed, %(traveller)s travelling)")
            % {"entry": entry, "traveller": traveller}
        ),
        "common_name": lambda: _("a common name with little else to confirm it"),
        "document_exact": lambda: _("document number %(entry)s matches") % {"entry": entry},
        "document_ocr": lambda: (
            _("document number %(entry)s ≈ %(traveller)s (letters and digits OCR confuses)")
            % {"entry": entry, "traveller": traveller}
        ),
        "document_typo": lambda: (
            _("document number %(entry)s ≈ %(traveller)s (one typing error)")
            % {"entry": entry, "traveller": traveller}
        ),
        "document_state_unknown": lambda: (
            _("issued by %(entry)s; the traveller's issuing state was not given") % {"entry": entry}
        ),
    }
    if code in sentences:
        return str(sentences[code]())
    if code in _HOW_CODES:
        return _("%(part)s %(entry)s ≈ %(traveller)s (%(how)s)") % {
            "part": part,
            "entry": entry,
            "traveller": traveller,
            "how": _how(code),
        }
    return text


def reasons_as_data(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """Reasons as stored on a hit (JSON)."""
    return [{"code": r.code, "text": r.text, "params": dict(r.params)} for r in reasons]


def reasons_as_text(reasons: Iterable[Reason | Mapping[str, Any]]) -> list[str]:
    """Reasons (from the core or as stored) as sentences in the active language."""
    out = []
    for reason in reasons:
        if isinstance(reason, Reason):
            out.append(reason_text(reason.code, reason.text, dict(reason.params)))
        else:
            out.append(reason_text(reason.get("code", ""), reason.get("text", ""), reason.get("params", {})))
    return out


def match_kind_text(kind: str) -> str:
    """How a document number matched: exactly, after an OCR confusion, after one typing error."""
    return {
        "exact": _("exact match"),
        "ocr": _("near match: letters and digits OCR confuses"),
        "typo": _("near match: one typing error"),
    }.get(kind, kind)


def row_error_text(error: Mapping[str, Any]) -> str:
    """A validation-report problem in the active language: the importer's own (English) message when the
    language is English or the problem has no translation, else a sentence for its code."""
    language = (get_language() or "en")[:2]
    message = str(error.get("message", ""))
    if language == "en":
        return message
    sentences = {
        "empty_file": lambda: _("The file is empty; the first line must be the titles of the columns."),
        "bad_csv": lambda: _("The file cannot be read as CSV."),
        "bad_xlsx": lambda: _("The file cannot be read as an XLSX workbook."),
        "not_csv": lambda: _("This is a spreadsheet (XLSX), not a CSV file."),
        "too_big": lambda: _("The file is too large."),
        "binary_file": lambda: _(
            "This is not a CSV text file (it is binary: a PDF, an image, an old .xls, a compressed file...)."
        ),
        "zip_bomb": lambda: _(
            "The workbook would inflate far beyond its size when opened (a zip bomb, or a list too large for "
            "one file): it was not opened."
        ),
        "header_too_long": lambda: _("A column title is far too long: is the first line the header?"),
        "too_many_columns": lambda: _("The header has too many columns."),
        "future_birth_date": lambda: _("The birth date is in the future."),
        "past_validity": lambda: _("valid_until is already past: the alert would never hit."),
        "unknown_column": lambda: _(
            "Unknown column: choose what it is in the column mapping, or leave it unused."
        ),
        "duplicate_column": lambda: _("Two columns are mapped to the same field."),
        "missing_column": lambda: _("A required column is missing."),
        "bad_mapping": lambda: _("The column is mapped to a field that does not exist."),
        "wrong_field_count": lambda: _("The row does not have as many fields as the header."),
        "missing_entry_id": lambda: _("The entry id is empty."),
        "duplicate_entry_id": lambda: _("This entry id is already on an earlier line."),
        "missing_name": lambda: _("Give the full name, or the surname and given names."),
        "missing_surname": lambda: _("Given names without a surname."),
        "no_letters": lambda: _("The name has no letters."),
        "bad_birth_date": lambda: _("Not a birth date: use YYYY, YYYY-MM or YYYY-MM-DD (or DD/MM/YYYY)."),
        "bad_nationality": lambda: _("Not a country: use an ICAO/ISO code or the country's name."),
        "bad_sex": lambda: _("Sex must be M, F, X or empty."),
        "missing_category": lambda: _("The category is empty."),
        "bad_category": lambda: _(
            "Unknown category: wanted, refused_entry, notify_on_arrival, missing_child, missing_person or "
            "trafficking_victim (or the same in Spanish)."
        ),
        "bad_date": lambda: _("Not a date: use YYYY-MM-DD (or DD/MM/YYYY)."),
        "bad_validity": lambda: _("valid_until is before valid_from."),
        "bad_remove": lambda: _("remove must be yes or empty."),
        "too_long": lambda: _("The text is too long."),
        "missing_issuing_state": lambda: _("The issuing state is empty."),
        "bad_issuing_state": lambda: _("Not a country: use an ICAO/ISO code or the country's name."),
        "missing_number": lambda: _("The document number is empty."),
        "bad_document_type": lambda: _(
            "Unknown document type: passport (P), identity card (I), visa (V) or other (O)."
        ),
        "bad_reason": lambda: _("The reason must be lost, stolen, revoked or invalid."),
    }
    code = str(error.get("code", ""))
    return str(sentences[code]()) if code in sentences else message
