"""Every language in a real browser: the desk in French and in Haitian Creole, a scanned MRZ with a wrong
check digit explained in the officer's language (the detail was English everywhere), the statistics pages
in the language asked for."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTEXT_AVAILABLE
from tests.browser.helpers import log_in, mrz_lines, scan

pytestmark = pytest.mark.browser

# (language, the desk's read button, the check-digit detail's opening)
LANGUAGES = [
    ("fr", "Lire le document", "Le chiffre de contrôle du champ « numéro du document »"),
    ("ht", "Li dokiman an", "Chif verifikasyon pou nimewo dokiman"),
]


@pytest.mark.parametrize(("lang", "read", "detail"), LANGUAGES)
def test_the_desk_and_a_bad_mrz_in_the_officers_language(
    page: Any, server: str, results_dir: Path, lang: str, read: str, detail: str
) -> None:
    log_in(page, server, "officer", language=lang)
    page.goto("/desk/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#scan-form button[type='submit']")).to_have_text(read)

    lines = mrz_lines("BRL000007", "LANGUE", "ODILE")
    digit = lines[1][9]
    lines[1] = lines[1][:9] + str((int(digit) + 1) % 10) + lines[1][10:]
    scan(page, lines)
    problem = page.locator("#result li[data-code='check_digit'][data-field='document_number']")
    expect(problem).to_be_visible()
    expect(problem.locator(".detail")).to_contain_text(detail)
    expect(problem.locator(".detail")).to_contain_text("BRL000007")
    expect(problem.locator(".detail")).not_to_contain_text("Check digit for the")
    page.screenshot(path=str(results_dir / f"desk-bad-mrz-{lang}.png"), full_page=True)


@pytest.mark.skipif(not CONTEXT_AVAILABLE, reason="the international context's data files are not here")
@pytest.mark.parametrize(
    ("lang", "heading", "english"),
    [
        ("fr", "Contexte international", "International context"),
        ("ht", "Kontèks entènasyonal", "International context"),
    ],
)
def test_statistics_pages_in_the_language_asked_for(
    page: Any, server: str, results_dir: Path, lang: str, heading: str, english: str
) -> None:
    log_in(page, server, "analyst", language=lang)
    page.goto("/statistics/context/")
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("h1")).not_to_contain_text(english)
    page.screenshot(path=str(results_dir / f"statistics-context-{lang}.png"), full_page=True)
