"""Protection figures in a real browser: the analyst reads referrals and cases by type, sex, age group and
nationality under Statistics → Protection, in es, en, fr and ht, small cells withheld, no name anywhere, and
downloads a table as CSV with the withheld cells flagged; an officer is refused."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site
from tests.browser.helpers import log_in, no_server_error

pytestmark = pytest.mark.browser

# Fourteen referred cases from SJO: twelve Honduran girls (child protection), two Nicaraguan women (GBV).
CASES = """
import datetime
from corredor.core.models import User
from corredor.protection import demo
from corredor.protection.models import Case, Transition
officer = User.objects.get(username="officer")
pani = demo.directory_ensure()["pani"]
groups = [(12, "child_protection", "F", datetime.date(2012, 4, 1), "HND"),
          (2, "gbv", "F", datetime.date(1994, 4, 1), "NIC")]
n = 0
for count, kind, sex, birth, nationality in groups:
    for _ in range(count):
        n += 1
        case = Case.objects.create(reference=f"PR-BT-{n:03d}", surname=f"SECRETO{n}", birth_date=birth,
            sex=sex, nationality_id=nationality, kind=kind)
        Transition.objects.create(kind="referral", case=case, created_by=officer, from_post_id="SJO",
            to_provider=pani, consent_given=True, consent_data=["identity"])
"""

HEADINGS = {
    "es": "Cifras de protección",
    "en": "Protection figures",
    "fr": "Chiffres de la protection",
    "ht": "Chif pwoteksyon",
}


@pytest.fixture(scope="module")
def figures(site: Site) -> None:
    site.corredor("shell", "-c", CASES)
    site.corredor("stats", "refresh")


@pytest.mark.parametrize("language", list(HEADINGS))
def test_the_analyst_reads_protection_figures_in_every_language(
    new_page: Any, server: str, figures: None, language: str, results_dir: Path
) -> None:
    page = new_page()
    log_in(page, server, "analyst", language=language)
    page.goto("/statistics/")
    page.locator("nav.subnav a[href='/statistics/protection/']").click()
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    first = page.locator("section[data-protection-table='1']")
    expect(first.locator("td.withheld").first).to_have_text("—")  # the two women: withheld
    assert "SECRETO" not in page.content() and "PR-BT-" not in page.content()
    no_server_error(page)
    page.screenshot(path=str(results_dir / f"protection-statistics-{language}.png"), full_page=True)


def test_the_analyst_downloads_a_protected_csv(
    new_page: Any, server: str, figures: None, results_dir: Path
) -> None:
    page = new_page()
    log_in(page, server, "analyst", language="en")
    page.goto("/statistics/protection/")
    with page.expect_download() as downloading:
        page.locator("section[data-protection-table='1']").get_by_role("link", name="CSV", exact=True).click()
    target = results_dir / downloading.value.suggested_filename
    downloading.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert set(rows[0]) == {"case_kind", "sex", "protection_referrals", "flag"}
    withheld = [r for r in rows if r["flag"] == "confidential"]
    assert withheld and all(r["protection_referrals"] == "" for r in withheld)
    cell = {(r["case_kind"], r["sex"]): r for r in rows}
    # The two women are withheld. What else is withheld depends on the other referrals (the demo's, other
    # tests'), which the secondary suppression protects alongside; a figure shown is a whole number.
    assert cell["gbv", "F"]["flag"] == "confidential"
    shown = [int(r["protection_referrals"]) for r in rows if r["flag"] == ""]
    assert shown and all(n >= 0 for n in shown)
    if cell["_T", "_T"]["flag"] == "":
        assert int(cell["_T", "_T"]["protection_referrals"]) >= 14
    # No line of the table gives a withheld cell away: none has exactly one withheld cell.
    for line in [{k for k in cell if k[0] == kind} for kind in {k[0] for k in cell}] + [
        {k for k in cell if k[1] == sex} for sex in {k[1] for k in cell}
    ]:
        assert sum(cell[k]["flag"] == "confidential" for k in line) != 1, sorted(line)


def test_an_officer_is_refused(new_page: Any, server: str, figures: None) -> None:
    page = new_page()
    log_in(page, server, "officer", language="en")
    response = page.goto("/statistics/protection/")
    assert response is not None and response.status == 403
