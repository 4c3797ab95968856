"""Every language, completely: each catalog (the project's and each app's, in es, fr and ht) translates
every message, none fuzzy, with the msgid's placeholders; its .mo is compiled from the .po as it is now;
and the catalogs hold every string the source marks (what `make messages` would add is a failure here).

Also the translated things that are not catalog lookups: MRZ problem details, country names from CLDR,
dates and numbers per language.
"""

import datetime
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils import formats, translation

import corredor
from corredor.border.mrz_display import _COMPILED, problems_for_display, translate_detail
from corredor.icao import build_mrz, parse_mrz
from corredor.l10n.countries import SPECIAL_NAMES, country_label
from tests.statistics import StatisticsTestCase

SOURCE = Path(corredor.__file__).parent
LANGUAGES = ("es", "fr", "ht")
APP_CATALOGS = (  # as the Makefile's APP_CATALOGS
    "screening",
    "manifests",
    "statistics",
    "infohub",
    "displacement",
    "protection",
    "sync",
)
CATALOG_DIRS = [SOURCE / "locale"] + [SOURCE / app / "locale" for app in APP_CATALOGS]
# The public hub also speaks Portuguese (its own catalog only: see corredor.infohub.languages).
EXTRA_LANGUAGES = {"infohub": ("pt",)}
CATALOGS = [(d, lang) for d in CATALOG_DIRS for lang in LANGUAGES] + [
    (SOURCE / app / "locale", lang) for app, langs in EXTRA_LANGUAGES.items() for lang in langs
]


def _name(locale_dir: Path, lang: str) -> str:
    return f"{locale_dir.parent.relative_to(SOURCE.parent)}/locale/{lang}"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


# %(name)s %(count)d %s %d %i %f, and {name} / {0} / {} for str.format; %% is a literal percent sign.
_PLACEHOLDER = re.compile(
    r"%%|%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxX]|\{\w*\}"
)


def placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def _forms(message) -> tuple[list[str], list[str]]:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
    return ids, strings


def _label(message) -> str:
    ids, _ = _forms(message)
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{ids[0]!r}"


@pytest.mark.parametrize(("locale_dir", "lang"), CATALOGS, ids=[_name(d, lang) for d, lang in CATALOGS])
def test_every_message_is_translated_not_fuzzy_and_keeps_its_placeholders(
    locale_dir: Path, lang: str
) -> None:
    po = locale_dir / lang / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run `make messages`"
    catalog = _read(po)
    untranslated, fuzzy, mismatched = [], [], []
    for message in catalog:
        if not message.id:
            continue  # the header
        ids, strings = _forms(message)
        if message.fuzzy:
            fuzzy.append(_label(message))
        if not all(strings):
            untranslated.append(_label(message))
            continue
        if len(ids) == 1:
            if placeholders(ids[0]) != placeholders(strings[0]):
                mismatched.append(f"{_label(message)}: {strings[0]!r}")
            continue
        # Plurals: a form may leave the count out ("one hit"), but never adds or renames a placeholder,
        # and the other forms keep every placeholder of the plural msgid.
        allowed = placeholders(ids[0]) | placeholders(ids[1])
        for index, string in enumerate(strings):
            found = placeholders(string)
            if found - allowed or (index > 0 and set(placeholders(ids[1])) - set(found)):
                mismatched.append(f"{_label(message)} form {index}: {string!r}")
    where = _name(locale_dir, lang)
    assert not untranslated, f"{where}: {len(untranslated)} untranslated: " + "; ".join(untranslated[:40])
    assert not fuzzy, f"{where}: {len(fuzzy)} fuzzy (check and unmark them): " + "; ".join(fuzzy[:40])
    assert not mismatched, f"{where}: placeholders differ from the msgid's: " + "; ".join(mismatched[:40])


@pytest.mark.parametrize(("locale_dir", "lang"), CATALOGS, ids=[_name(d, lang) for d, lang in CATALOGS])
def test_the_mo_file_is_compiled_from_the_current_po(locale_dir: Path, lang: str) -> None:
    po_path = locale_dir / lang / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` (compilemessages)"
    expected = {
        (m.context, _forms(m)[0][0]): tuple(_forms(m)[1])
        for m in _read(po_path)
        if m.id and not m.fuzzy and all(_forms(m)[1])
    }
    with mo_path.open("rb") as handle:
        compiled = {(m.context, _forms(m)[0][0]): tuple(_forms(m)[1]) for m in read_mo(handle) if m.id}
    stale = sorted(
        f"{key[1]!r}" for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)
    )
    assert not stale, (
        f"{mo_path} is not compiled from the current .po ({len(stale)} messages differ, e.g. "
        f"{'; '.join(stale[:5])}): run `make messages`"
    )


def _msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(m.context, _forms(m)[0][0]) for m in _read(path) if m.id}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogs_hold_every_string_the_source_marks(tmp_path: Path) -> None:
    """What `make messages` would extract today, from a copy of the source: nothing may be missing."""
    copy = tmp_path / "corredor"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # The console script, as the Makefile runs it: `python -m` would put the copy's statistics/ package
    # ahead of the standard library's.
    command = [str(Path(sys.executable).parent / "corredor"), "makemessages", "--no-location", "--no-wrap"]
    langs = [arg for lang in LANGUAGES for arg in ("-l", lang)]
    env = dict(os.environ)
    ignores = ["--ignore", "icao/*", "--ignore", "*/migrations/*"]
    for app in APP_CATALOGS:
        ignores += ["--ignore", f"{app}/*"]
    subprocess.run(command + langs + ignores, cwd=copy, env=env, check=True, capture_output=True)
    for app in APP_CATALOGS:
        subprocess.run(
            command + langs + ["--ignore", "*/migrations/*"],
            cwd=copy / app,
            env=env,
            check=True,
            capture_output=True,
        )
    missing = []
    for locale_dir in CATALOG_DIRS:
        relative = locale_dir.relative_to(SOURCE)
        for lang in LANGUAGES:
            po = Path(relative, lang, "LC_MESSAGES", "django.po")
            new = _msgids(copy / po) - _msgids(SOURCE / po)
            missing += [f"{po}: {msgid!r}" for _, msgid in sorted(new, key=str)]
    assert not missing, f"{len(missing)} marked strings are not in the catalogs (run `make messages`): " + (
        "; ".join(missing[:30])
    )


def test_the_placeholder_check_sees_a_renamed_or_dropped_placeholder() -> None:
    assert placeholders("%(count)s hits for %(name)s, {flight} and %s%%") == Counter(
        {"%(count)s": 1, "%(name)s": 1, "{flight}": 1, "%s": 1}
    )
    assert placeholders("%(count)s hits") != placeholders("%(nombre)s aciertos")
    assert placeholders("%d of %d") != placeholders("%d")


# -- MRZ problem details ------------------------------------------------------------------------------

TODAY = datetime.date(2026, 6, 1)


def _mrz_problem_messages() -> dict[str, str]:
    """Every sentence the ICAO core writes about the corruptions a scanner or a typist makes: each
    character of three real layouts replaced by digits, letters, fillers, a space, an accent, a tab."""
    people = {
        "issuing_state": "UTO",
        "nationality": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
    }
    samples = [
        build_mrz(
            {
                **people,
                "document_number": "L898902C3",
                "birth_date": "1974-08-12",
                "expiry_date": "2030-04-15",
            }
            | {"sex": "F", "optional_data": "ZE184226B"},
            format="TD3",
        ),
        build_mrz(
            {**people, "document_number": "D23145890734", "birth_date": "1974-08-12"}
            | {"expiry_date": "2012-04-15", "sex": "F"},
            format="TD1",
        ),
        build_mrz(
            {**people, "surname": "ERIKSSONVERYLONGSURNAMEXX", "document_number": "D231458907"}
            | {"birth_date": "1974-08-12", "expiry_date": "2030-04-15", "sex": "F"},
            format="TD2",
        ),
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO74<<<<<F1204159ZE184226B<<<<<10",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408<<<F1204159ZE184226B<<<<<10",
    ]
    messages: dict[str, str] = {}
    for sample in samples:
        lines = sample.split("\n")
        for line_index, line in enumerate(lines):
            for column in range(len(line)):
                for char in "018OIBSZ<X é\t":
                    changed = lines[:]
                    changed[line_index] = line[:column] + char + line[column + 1 :]
                    result = parse_mrz("\n".join(changed), today=TODAY)
                    for problem in result.errors + result.warnings:
                        messages.setdefault(problem.message, problem.code)
        for problem in parse_mrz(sample, today=TODAY).warnings:
            messages.setdefault(problem.message, problem.code)
    for text in ("", "P<UTO", "P<UTO\nXX\nYY", "A\nB\nC\nD\nE\nF\nG"):
        for problem in parse_mrz(text, today=TODAY).errors:
            messages.setdefault(problem.message, problem.code)
    return messages


@pytest.fixture(scope="module")
def mrz_messages() -> dict[str, str]:
    return _mrz_problem_messages()


def test_the_corruptions_reach_every_kind_of_mrz_problem(mrz_messages: dict[str, str]) -> None:
    codes = set(mrz_messages.values())
    assert codes >= {
        "layout",
        "invalid_character",
        "check_digit",
        "ocr_confusion",
        "invalid_date",
        "invalid_sex",
        "unknown_country",
        "expired",
        "partial_date",
        "name_truncated",
    }


def test_every_mrz_problem_detail_has_a_translatable_template(mrz_messages: dict[str, str]) -> None:
    unmatched = [m for m in mrz_messages if not any(p.fullmatch(m) for p, _, _ in _COMPILED)]
    assert not unmatched, f"{len(unmatched)} MRZ details have no template: {unmatched[:5]}"


# English words that must not survive in a translated detail (codes, digits and < do).
_ENGLISH = re.compile(
    r"\b(?:line|column|columns|check digit|gives|holds|the number|which|filler|letter|digit|misread|"
    r"expired|date of|Expected|probably|Reading|known|only)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mrz_problem_details_are_shown_in_the_officers_language(
    mrz_messages: dict[str, str], lang: str
) -> None:
    left_in_english = []
    with translation.override(lang):
        for message in mrz_messages:
            shown = translate_detail(message)
            if _ENGLISH.search(shown.replace("MRZ", "")):
                left_in_english.append(shown)
    assert not left_in_english, f"{lang}: {len(left_in_english)} details keep English: {left_in_english[:3]}"


def test_the_check_digit_detail_in_french_keeps_every_figure_and_place() -> None:
    good = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    wrong_digit = good.replace("L898902C36", "L898902C37")
    result = parse_mrz(wrong_digit, today=TODAY)
    with translation.override("fr"):
        shown = problems_for_display(result)
    detail = next(p.detail for p in shown if p.code == "check_digit" and p.field == "document_number")
    assert "L898902C3" in detail and "7" in detail and "6" in detail
    assert "2" in detail and "10" in detail  # line 2, column 10
    assert "chiffre de contrôle" in detail.lower()
    with translation.override("en"):
        english = problems_for_display(result)
    assert english[0].detail == result.errors[0].message


def test_a_sentence_the_table_does_not_know_is_shown_as_the_core_wrote_it() -> None:
    with translation.override("fr"):
        assert translate_detail("Something new the core says.") == "Something new the core says."


# -- country names, dates, numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "code", "name"),
    [
        ("es", "DEU", "Alemania"),
        ("fr", "D", "Allemagne"),
        ("en", "HTI", "Haiti"),
        ("es", "HTI", "Haití"),
        ("fr", "HTI", "Haïti"),
        ("ht", "HTI", "Ayiti"),
        ("ht", "DOM", "Dominikani"),
        ("fr", "KOR", "Corée du Sud"),
        ("es", "CIV", "Côte d’Ivoire"),
        ("ht", "JPN", "Japon"),  # no Kreyòl name kept: CLDR's French one
        ("es", "ZZZ", "ZZZ"),
    ],
)
def test_country_names_come_from_cldr_in_each_language(lang: str, code: str, name: str) -> None:
    assert country_label(code, lang) == name


def test_country_names_follow_the_active_language() -> None:
    with translation.override("fr"):
        assert country_label("ESP") == "Espagne"
    with translation.override("es"):
        assert country_label("USA") == "Estados Unidos"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_icao_special_codes_are_named_in_each_language(lang: str) -> None:
    untranslated = [
        code for code in ("XXA", "XXB", "UNO", "EUE") if country_label(code, lang) == str(SPECIAL_NAMES[code])
    ]
    assert not untranslated, f"{lang}: {untranslated}"


@pytest.mark.parametrize(
    ("lang", "date_text", "number_text"),
    [
        ("es", "4 de diciembre de 2026", "1\xa0234\xa0567,5"),
        ("en", "Dec. 4, 2026", "1,234,567.5"),
        ("fr", "4 décembre 2026", "1\xa0234\xa0567,5"),
        ("ht", "4 desanm 2026", "1\xa0234\xa0567,5"),
    ],
)
def test_dates_and_numbers_are_written_per_language(lang: str, date_text: str, number_text: str) -> None:
    with translation.override(lang):
        assert formats.date_format(datetime.date(2026, 12, 4)) == date_text
        assert formats.number_format(1234567.5, decimal_pos=1, force_grouping=True) == number_text


# -- the bulletin in the language asked for --------------------------------------------------------------

# The bulletin's headings in English: none may be left in a bulletin asked for in another language.
_BULLETIN_ENGLISH = (
    "Migration statistics bulletin",
    "The month in brief",
    "Key figures",
    "Who came, and where",
    "Stays and overstays",
    "Methodology",
    "Month before",
)


class BulletinLanguages(StatisticsTestCase):
    TRAVELLERS = 150

    def _bulletin(self, lang: str) -> str:
        from corredor.statistics.bulletin import bulletin_html
        from corredor.statistics.engine import Engine

        month = f"{Engine().last_day.replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
        with translation.override(lang):
            return bulletin_html(month=month)

    def test_a_bulletin_asked_for_in_french_comes_out_in_french(self) -> None:
        html = self._bulletin("fr")
        assert "Bulletin de statistiques migratoires" in html and "Le mois en bref" in html
        assert "Méthodologie" in html
        assert not [heading for heading in _BULLETIN_ENGLISH if heading in html]

    def test_a_bulletin_asked_for_in_haitian_creole_comes_out_in_haitian_creole(self) -> None:
        html = self._bulletin("ht")
        assert "Bilten estatistik migrasyon" in html and "Mwa a an kout" in html and "Metodoloji" in html
        assert not [heading for heading in _BULLETIN_ENGLISH if heading in html]
        months = (
            "janvye",
            "fevriye",
            "mas",
            "avril",
            "me",
            "jen",
            "jiyè",
            "out",
            "septanm",
            "oktòb",
            "novanm",
        )
        assert any(f"{name} 20" in html for name in (*months, "desanm"))


# -- names kept in the database -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "category", "country"),
    [
        ("es", "Turista", "Haití"),
        ("en", "Tourist", "Haiti"),
        ("fr", "Touriste", "Haïti"),
        ("ht", "Touris", "Ayiti"),
    ],
)
def test_stay_categories_and_countries_are_named_in_the_readers_language(
    lang: str, category: str, country: str
) -> None:
    from corredor.core.models import Country, StayCategory

    with translation.override(lang):
        assert StayCategory.objects.get(code="tourist").name == category
        assert Country.objects.get(code="HTI").name == country
        assert str(Country.objects.get(code="D")).startswith(country_label("DEU", lang))


@pytest.mark.django_db
def test_refusal_grounds_read_in_every_language() -> None:
    """The desk lists the legal grounds in the officer's language: Kreyòl readers get Kreyòl, not the
    French that the table keeps as a name."""
    from corredor.border.models import RefusalGround

    ground = RefusalGround.objects.get(country=None, code="A")
    read = {}
    for lang in ("es", "en", "fr", "ht"):
        with translation.override(lang):
            read[lang] = ground.name
    assert read["en"] == "Has no valid travel document."
    assert read["es"].startswith("No tiene") and read["fr"].startswith("N'est pas")
    assert read["ht"] == "Li pa gen yon dokiman vwayaj ki valab."
