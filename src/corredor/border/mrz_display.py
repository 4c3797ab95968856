"""MRZ problems for people: the ICAO core explains each problem in English with its exact place; the desk
leads with a translated headline per problem code and field, then the detail in the officer's language.

The core is pure and speaks English only, so the detail is translated here: each sentence the core can
write has a pattern below and a translatable template with named placeholders; the phrases inside it
(the place, the field, what the check digit covers) are translated in turn. A sentence the core learns to
write before this table knows it is shown as the core wrote it, never dropped.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, pgettext_lazy
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

# The core's English field labels (icao.mrz._FIELD_LABELS and the labels its checks are given).
_LABELS = {
    "document code": pgettext_lazy("MRZ field", "document code"),
    "issuing state": pgettext_lazy("MRZ field", "issuing state"),
    "Issuing state": pgettext_lazy("MRZ field, at the start of a sentence", "Issuing state"),
    "name": pgettext_lazy("MRZ field", "name"),
    "document number": pgettext_lazy("MRZ field", "document number"),
    "nationality": pgettext_lazy("MRZ field", "nationality"),
    "Nationality": pgettext_lazy("MRZ field, at the start of a sentence", "Nationality"),
    "date of birth": pgettext_lazy("MRZ field", "date of birth"),
    "sex": pgettext_lazy("MRZ field", "sex"),
    "date of expiry": pgettext_lazy("MRZ field", "date of expiry"),
    "optional data": pgettext_lazy("MRZ field", "optional data"),
    "composite check digit": pgettext_lazy("MRZ field", "composite check digit"),
    "personal number": pgettext_lazy("MRZ field", "personal number"),
    "upper and lower lines (composite)": pgettext_lazy("MRZ field", "upper and lower lines (composite)"),
    "whole line (composite)": pgettext_lazy("MRZ field", "whole line (composite)"),
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
    """The MRZ result's errors then warnings, each with a translated headline and a translated detail."""
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
                    detail=translate_detail(p.message),
                )
            )
    return shown


# -- the phrases inside a sentence -------------------------------------------------------------------


def _label(text: str) -> str:
    return str(_LABELS.get(text, text))


def _where(text: str) -> str:
    m = re.fullmatch(r"line (\d+), columns (\d+)-(\d+)", text)
    if m:
        return gettext("line %(line)s, columns %(first)s-%(last)s") % {
            "line": m[1],
            "first": m[2],
            "last": m[3],
        }
    m = re.fullmatch(r"line (\d+), column (\d+)", text)
    if m:
        return gettext("line %(line)s, column %(column)s") % {"line": m[1], "column": m[2]}
    return text


def _covered(text: str) -> str:
    if text == "an empty personal number":
        return gettext("an empty personal number")
    if text == "the data it covers":
        return gettext("the data it covers")
    m = re.fullmatch(r"the personal number (.+)", text)
    if m:
        return gettext("the personal number %(value)s") % {"value": m[1]}
    m = re.fullmatch(r"the number (.+)", text)
    if m:
        return gettext("the number %(value)s") % {"value": m[1]}
    m = re.fullmatch(r"the date (.+)", text)
    if m:
        return gettext("the date %(value)s") % {"value": m[1]}
    return text


def _character(text: str) -> str:
    if text == "a space":
        return gettext("a space")
    if text == "a tab":
        return gettext("a tab")
    m = re.fullmatch(r"the invisible character (U\+[0-9A-F]{4,})", text)
    if m:
        return gettext("the invisible character %(code)s") % {"code": m[1]}
    return text


def _lengths(text: str) -> str:
    if text == "got no text":
        return gettext("got no text")
    m = re.fullmatch(r"got 1 line of (\d+) characters", text)
    if m:
        return gettext("got 1 line of %(length)s characters") % {"length": m[1]}
    m = re.fullmatch(r"got (\d+) lines of (.+) and (\d+) characters", text)
    if m:
        return gettext("got %(count)s lines of %(lengths)s and %(last)s characters") % {
            "count": m[1],
            "lengths": m[2],
            "last": m[3],
        }
    m = re.fullmatch(r"got (\d+) lines", text)
    if m:
        return gettext("got %(count)s lines") % {"count": m[1]}
    return text


def _date(text: str) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(text), "SHORT_DATE_FORMAT")
    except ValueError:
        return text


def _known(text: str) -> str:
    return (
        gettext("year and month") if text == "year and month" else gettext("year") if text == "year" else text
    )


def _check_outcome(text: str) -> str:
    if text == "read that way, it holds":
        return gettext("read that way, it holds")
    m = re.fullmatch(r"even so it does not hold: (.+) gives (\S+)", text)
    if m:
        return gettext("even so it does not hold: %(covered)s gives %(expected)s") % {
            "covered": _covered(m[1]),
            "expected": m[2],
        }
    return text


def _number_hint(text: str) -> str:
    if not text:
        return ""
    m = re.fullmatch(r" One misread character could explain it; the number may be any of (.+)\.", text)
    if m:
        return " " + gettext(
            "One misread character could explain it; the number may be any of %(options)s."
        ) % {"options": m[1]}
    m = re.fullmatch(
        r" Reading '(.)' at column (\d+) as '(.)' makes it hold: the number is probably (.+)\.", text
    )
    if m:
        return " " + gettext(
            "Reading '%(printed)s' at column %(column)s as '%(read)s' makes it hold: "
            "the number is probably %(number)s."
        ) % {"printed": m[1], "column": m[2], "read": m[3], "number": m[4]}
    m = re.fullmatch(r" Reading '(.)' as '(.)' makes it hold: the number is probably (.+)\.", text)
    if m:
        return " " + gettext(
            "Reading '%(printed)s' as '%(read)s' makes it hold: the number is probably %(number)s."
        ) % {
            "printed": m[1],
            "read": m[2],
            "number": m[3],
        }
    return text


def _misreadings(text: str) -> str:
    parts = re.findall(r"'(.)' at column (\d+) \(probably (\d)\)", text)
    return ", ".join(
        gettext("'%(printed)s' at column %(column)s (probably %(digit)s)")
        % {"printed": printed, "column": column, "digit": digit}
        for printed, column, digit in parts
    )


def _date_outcome(text: str) -> str:
    m = re.fullmatch(r"Read as (\S+), its check digit holds\.", text)
    if m:
        return gettext("Read as %(corrected)s, its check digit holds.") % {"corrected": m[1]}
    m = re.fullmatch(r"Even read as (\S+), its check digit \((.+)\) does not hold\.", text)
    if m:
        return gettext("Even read as %(corrected)s, its check digit (%(where)s) does not hold.") % {
            "corrected": m[1],
            "where": _where(m[2]),
        }
    return text


def _in_field(text: str) -> str:
    return f" ({_label(text[2:-1])})" if text else ""


def _same(text: str) -> str:
    return text


# -- the sentences ------------------------------------------------------------------------------------

Phrase = Callable[[str], str]

# (pattern over the core's English sentence, template, how each named group is translated). The
# templates are marked with _() so makemessages finds them; they are looked up when a detail is shown.
_SENTENCES: list[tuple[str, Any, dict[str, Phrase]]] = [
    (
        r"Expected 2 lines of 44 characters \(passport TD3, or visa MRV-A\), 2 of 36 \(TD2, or visa MRV-B\) "
        r"or 3 of 30 \(TD1\); (?P<got>.+)\.",
        _(
            "Expected 2 lines of 44 characters (passport TD3, or visa MRV-A), 2 of 36 (TD2, or visa MRV-B) "
            "or 3 of 30 (TD1); %(got)s."
        ),
        {"got": _lengths},
    ),
    (
        r"Line (?P<line>\d+), column (?P<column>\d+)(?P<field>(?: \([^)]+\))?) holds (?P<character>.+), "
        r"which cannot appear in an MRZ: only A-Z, 0-9 and < can\.",
        _(
            "Line %(line)s, column %(column)s%(field)s holds %(character)s, which cannot appear in an MRZ: "
            "only A-Z, 0-9 and < can."
        ),
        {"field": _in_field, "character": _character},
    ),
    (
        r"Check digit for the (?P<label>.+?) \((?P<where>line [^)]+)\) is a filler \(<\); (?P<covered>.+) "
        r"gives (?P<expected>\d)\.",
        _("Check digit for the %(label)s (%(where)s) is a filler (<); %(covered)s gives %(expected)s."),
        {"label": _label, "where": _where, "covered": _covered},
    ),
    (
        r"Check digit for the (?P<label>.+?) \((?P<where>line [^)]+)\) reads '(?P<printed>.)', a letter "
        r"where a digit belongs, probably a misread (?P<digit>\d); (?P<outcome>.+)\.",
        _(
            "Check digit for the %(label)s (%(where)s) reads '%(printed)s', a letter where a digit belongs, "
            "probably a misread %(digit)s; %(outcome)s."
        ),
        {"label": _label, "where": _where, "outcome": _check_outcome},
    ),
    (
        r"Check digit for the (?P<label>.+?) \((?P<where>line [^)]+)\) is '(?P<printed>.)', which is not a "
        r"digit; (?P<covered>.+) gives (?P<expected>\d)\.",
        _(
            "Check digit for the %(label)s (%(where)s) is '%(printed)s', which is not a digit; "
            "%(covered)s gives %(expected)s."
        ),
        {"label": _label, "where": _where, "covered": _covered},
    ),
    (
        r"Check digit for the (?P<label>.+?) \((?P<where>line [^)]+)\) is (?P<printed>\d); (?P<covered>.+) "
        r"gives (?P<expected>\d)\.(?P<hint>.*)",
        _("Check digit for the %(label)s (%(where)s) is %(printed)s; %(covered)s gives %(expected)s."),
        {"label": _label, "where": _where, "covered": _covered, "hint": _number_hint},
    ),
    (
        r"(?P<label>Issuing state|Nationality) \((?P<where>line [^)]+)\) is empty: it holds only fillers\.",
        _("%(label)s (%(where)s) is empty: it holds only fillers."),
        {"label": _label, "where": _where},
    ),
    (
        r"(?P<label>Issuing state|Nationality) (?P<code>\S+) \((?P<where>line [^)]+)\) is not a known "
        r"ISO 3166-1 or ICAO code\. It may be (?P<letters>\S+), with a digit misread for a letter\.",
        _(
            "%(label)s %(code)s (%(where)s) is not a known ISO 3166-1 or ICAO code. It may be %(letters)s, "
            "with a digit misread for a letter."
        ),
        {"label": _label, "where": _where},
    ),
    (
        r"(?P<label>Issuing state|Nationality) (?P<code>\S+) \((?P<where>line [^)]+)\) is not a known "
        r"ISO 3166-1 or ICAO code\.",
        _("%(label)s %(code)s (%(where)s) is not a known ISO 3166-1 or ICAO code."),
        {"label": _label, "where": _where},
    ),
    (
        r"The (?P<label>.+?) \((?P<where>line [^)]+)\) is (?P<raw>\S+): only the "
        r"(?P<known>year and month|year) is known, so no full date is given\.",
        _("The %(label)s (%(where)s) is %(raw)s: only the %(known)s is known, so no full date is given."),
        {"label": _label, "where": _where, "known": _known},
    ),
    (
        r"The (?P<label>.+?) \((?P<where>line [^)]+)\) is (?P<raw>\S+), which is not a date in the form "
        r"YYMMDD\.",
        _("The %(label)s (%(where)s) is %(raw)s, which is not a date in the form YYMMDD."),
        {"label": _label, "where": _where},
    ),
    (
        r"The (?P<label>.+?) \((?P<where>line [^)]+)\) reads (?P<raw>\S+): letters where digits belong, "
        r"(?P<misread>.+?)\. (?P<outcome>(?:Read as|Even read as) .+)",
        _("The %(label)s (%(where)s) reads %(raw)s: letters where digits belong, %(misread)s. %(outcome)s"),
        {"label": _label, "where": _where, "misread": _misreadings, "outcome": _date_outcome},
    ),
    (
        r"The (?P<label>.+?) \((?P<where>line [^)]+)\) is (?P<raw>\S+), which is not a calendar date "
        r"\(year (?P<year>\d+), month (?P<month>\d+), day (?P<day>\d+)\)\.",
        _(
            "The %(label)s (%(where)s) is %(raw)s, which is not a calendar date "
            "(year %(year)s, month %(month)s, day %(day)s)."
        ),
        {"label": _label, "where": _where},
    ),
    (
        r"Sex \((?P<where>line [^)]+)\) is '(?P<printed>.)'; it must be M, F, X or < \(unspecified\)\.",
        _("Sex (%(where)s) is '%(printed)s'; it must be M, F, X or < (unspecified)."),
        {"where": _where},
    ),
    (
        r"The document expired on (?P<date>\d{4}-\d\d-\d\d)\.",
        _("The document expired on %(date)s."),
        {"date": _date},
    ),
    (
        r"The date of birth (?P<birth>\d{4}-\d\d-\d\d) is not before the date of expiry "
        r"(?P<expiry>\d{4}-\d\d-\d\d)\.",
        _("The date of birth %(birth)s is not before the date of expiry %(expiry)s."),
        {"birth": _date, "expiry": _date},
    ),
    (
        r"The name field \((?P<where>line [^)]+)\) is filled to its last character, so the name printed "
        r"there may have been truncated; compare it with the visual zone\.",
        _(
            "The name field (%(where)s) is filled to its last character, so the name printed there may "
            "have been truncated; compare it with the visual zone."
        ),
        {"where": _where},
    ),
]

_COMPILED = [(re.compile(pattern, re.DOTALL), template, phrases) for pattern, template, phrases in _SENTENCES]


def translate_detail(message: str) -> str:
    """The core's English detail in the active language, its codes, digits and places kept exactly."""
    for pattern, template, phrases in _COMPILED:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        values = {name: phrases.get(name, _same)(value or "") for name, value in m.groupdict().items()}
        hint = values.pop("hint", "")
        return str(template) % values + hint
    return message
