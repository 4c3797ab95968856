"""Screening in a real browser: an officer meets a watchlist hit at the desk (what matched and why, the
action; a protective alert in its own words) and cannot admit the traveller; a supervisor adjudicates the
hit in the Hits pages; a watchlist manager's bad file is refused with located errors; an officer is
refused the watchlists."""

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WATCHLIST
from tests.browser.helpers import decide, log_in, mrz_lines, no_server_error, scan

pytestmark = pytest.mark.browser


def background(locator: Any) -> str:
    return str(locator.evaluate("e => getComputedStyle(e).backgroundColor"))


def test_enforcement_hit_stops_admission_until_a_supervisor_clears_it(
    new_page: Callable[[], Any], server: str, results_dir: Path
) -> None:
    lines = mrz_lines(
        "HN4410021", "MONTALVO REYES", "JOSE ARMANDO", "HND", birth_date=date(1981, 5, 17), sex="M"
    )
    officer = new_page()
    log_in(officer, server, "screener", language="en")
    scan(officer, lines)
    hit = officer.locator("#result .notice[data-source='screening']")
    expect(hit).to_have_count(1)
    expect(hit).to_have_attribute("data-level", "danger")
    expect(hit).to_have_attribute("role", "alert")
    expect(hit.locator("strong")).to_contain_text("Watchlist hit: Wanted")
    # What it matched (the alert as listed), why, and what to do.
    expect(hit).to_contain_text("Listed as: MONTALVO REYES, JOSE ARMANDO")
    expect(hit).to_contain_text("Lista nacional de prueba, entry BT-W1")
    expect(hit).to_contain_text("Why:")
    expect(hit).to_contain_text("Action: Detain and call the duty supervisor.")
    expect(hit).to_contain_text("Note for officers: Reported armed in 2025.")
    expect(hit).to_contain_text("Admission is stopped until a supervisor adjudicates this hit")
    # The hit is above the document, and the default decision is to refer.
    card_box = officer.locator("#result .card h2").first.bounding_box()
    assert hit.bounding_box()["y"] < card_box["y"]
    refer = officer.locator("#decision button[value='refer']")
    expect(refer).to_be_focused()
    officer.screenshot(path=str(results_dir / "screening-desk-hit.png"), full_page=True)

    # Admitting anyway is refused, and nothing is written.
    assert decide(officer, "1") == 409
    box = officer.locator("#decision-error .error-box[data-status='409']")
    expect(box).to_contain_text("Not admitted: a screening hit stands")
    expect(box).to_contain_text("Wanted: MONTALVO REYES, JOSE ARMANDO")
    officer.screenshot(path=str(results_dir / "screening-desk-refused.png"), full_page=True)

    # The refusal is shown under the decision buttons: the document and the hit stay on screen, the focus
    # is back on Refer (the default), and one key refers the traveller without reading the document again.
    expect(officer.locator("#result [data-source='screening']")).to_have_count(1)
    expect(refer).to_be_focused()
    assert decide(officer, "4") == 200
    expect(officer.locator("#result [data-recorded]")).to_contain_text("Referred")

    # The post's supervisor finds the hit among the open ones and clears it: a namesake.
    supervisor = new_page()
    log_in(supervisor, server, "supervisor", language="en")
    supervisor.locator("header.top nav a", has_text="Hits").click()
    expect(supervisor.locator("h1")).to_have_text("Open hits · SJO")
    row = supervisor.locator("tr[data-hit]", has_text="HN4410021")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("MONTALVO REYES, JOSE ARMANDO")
    expect(row.locator(".badge.danger")).to_have_text("Wanted")
    expect(row).to_contain_text("screener")
    supervisor.screenshot(path=str(results_dir / "screening-hits.png"), full_page=True)
    row.locator("a").first.click()
    supervisor.wait_for_url(re.compile(r"/screening/hits/[0-9a-f-]{36}/$"))
    expect(supervisor.locator("h1")).to_contain_text("Wanted")
    expect(supervisor.locator("h1 small")).to_have_text("Open")
    screened, alert = supervisor.locator(".cols .card").all()
    expect(screened).to_contain_text("HN4410021")
    expect(screened).to_contain_text("1981-05-17")
    expect(alert).to_contain_text("BT-W1")
    expect(alert).to_contain_text("Chepe Montalvo")
    expect(alert).to_contain_text("Detain and call the duty supervisor.")
    why = supervisor.locator("section.card", has=supervisor.locator("h2", has_text="Why it matched"))
    expect(why.locator("li").first).to_be_visible()
    supervisor.screenshot(path=str(results_dir / "screening-hit.png"), full_page=True)

    # A verdict needs a reason: the browser does not send the form without one.
    supervisor.get_by_label("False match").check()
    supervisor.get_by_role("button", name="Record the verdict").click()
    expect(supervisor.locator("h1 small")).to_have_text("Open")
    supervisor.get_by_label("Reason").fill("Namesake: the listed man is 1.90 m with a scar; this one is not.")
    with supervisor.expect_navigation():
        supervisor.get_by_role("button", name="Record the verdict").click()
    expect(supervisor.locator("p.flash")).to_have_text("Adjudication recorded.")
    verdict = supervisor.locator("p.status[data-verdict='false_match']")
    expect(verdict).to_contain_text("False match")
    expect(verdict).to_contain_text("supervisor")
    expect(supervisor.locator("form textarea")).to_have_count(0)
    supervisor.screenshot(path=str(results_dir / "screening-hit-adjudicated.png"), full_page=True)

    # No longer open; in the history, with its reason.
    supervisor.locator("a", has_text="Open hits").first.click()
    expect(supervisor.locator("tr[data-hit]", has_text="HN4410021")).to_have_count(0)
    supervisor.locator("a", has_text="History of adjudications").click()
    done = supervisor.locator("tr[data-hit]", has_text="HN4410021")
    expect(done).to_contain_text("False match")
    expect(done).to_contain_text("Namesake")

    # The same traveller at the desk again: cleared, a small info line, and admitted.
    officer.locator("#mrz").click()
    scan(officer, lines)
    notice = officer.locator("#result .notice[data-source='screening']")
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("data-level", "info")
    expect(notice).to_contain_text("Previously cleared by supervisor")
    expect(notice).to_contain_text("Namesake")
    admit = officer.locator("#decision button[value='entry']")
    expect(admit).to_be_focused()
    officer.screenshot(path=str(results_dir / "screening-desk-cleared.png"), full_page=True)
    assert decide(officer, "Enter") == 200
    expect(officer.locator("#result [data-recorded]")).to_contain_text("Admitted")


def test_protective_alert_reads_as_protection_not_enforcement(
    page: Any, server: str, results_dir: Path
) -> None:
    child = mrz_lines("C07712345", "CASTRO LUNA", "ISABELLA", "NIC", birth_date=date(2015, 2, 14), sex="F")
    log_in(page, server, "screener", language="en")
    scan(page, child)
    notice = page.locator("#result .notice[data-source='screening']")
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("data-level", "protect")
    expect(notice.locator("strong")).to_have_text("Possible missing child (protective alert, match 100%)")
    # The protection instruction comes first, and nothing of the enforcement wording.
    expect(notice.locator("li").first).to_contain_text("do not alert the companion")
    expect(notice).to_contain_text("refer to the protection officer")
    expect(notice).to_contain_text("entry BT-C1")
    expect(notice).to_contain_text("Note for officers: Reported missing in Managua.")
    expect(notice).not_to_contain_text("Watchlist hit")
    expect(notice).not_to_contain_text("Action:")
    expect(notice).not_to_contain_text("Admission is stopped")
    protect_colour = background(notice)
    page.screenshot(path=str(results_dir / "screening-desk-protective.png"), full_page=True)

    # An enforcement hit, read the same way, looks different.
    page.locator("#mrz").click()
    page.keyboard.press("Escape")
    scan(
        page,
        mrz_lines("HN4410099", "MONTALVO REYES", "JOSE ARMANDO", "HND", birth_date=date(1981, 5, 2), sex="M"),
    )
    danger = page.locator("#result .notice[data-source='screening']")
    expect(danger).to_have_attribute("data-level", "danger")
    danger_colour = background(danger)
    assert protect_colour != danger_colour, (protect_colour, danger_colour)
    assert "rgba(0, 0, 0, 0)" not in (protect_colour, danger_colour)

    # In Spanish, the protective notice is in Spanish too.
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": server}])
    page.goto("/desk/")
    scan(page, child)
    notice = page.locator("#result .notice[data-source='screening']")
    expect(notice).to_have_attribute("data-level", "protect")
    expect(notice.locator("strong")).not_to_contain_text("Possible missing child")
    expect(notice).not_to_contain_text("do not alert the companion")
    page.screenshot(path=str(results_dir / "screening-desk-protective-es.png"), full_page=True)


# A partner's list as their spreadsheet exports it: Spanish titles, a date written day first, and two
# rows that cannot be right (born in 2090; a category nobody uses).
PARTNER_CSV = """\
ID,Apellidos,Nombres,Fecha de nacimiento,Nacionalidad,Sexo,Categoría
GT-101,PAREDES MOLINA,ERICK DAVID,12/03/1984,GTM,M,buscado
GT-102,SOTO CHAVARRIA,MARLON,31/12/2090,GTM,M,buscado
GT-103,IXCOY TZOC,ROSA,1979,GTM,F,sospechoso
"""


def test_watchlist_manager_sees_located_errors_and_nothing_imported(
    page: Any, server: str, results_dir: Path
) -> None:
    log_in(page, server, "listkeeper", language="en")
    expect(page.locator("h1")).to_have_text("Watchlists")
    row = page.locator("table.list tbody tr", has_text=WATCHLIST)
    persons_before = row.locator("td").nth(4).inner_text()
    row.locator("a", has_text=WATCHLIST).click()
    expect(page.locator("h1")).to_contain_text("Lista nacional de prueba")
    page.get_by_role("button", name="Import a file").click()
    expect(page.locator("h1")).to_contain_text("Import alerts into Lista nacional de prueba")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "guatemala.csv", "mimeType": "text/csv", "buffer": PARTNER_CSV.encode()}]
    )
    page.get_by_role("button", name="Read the file").click()
    page.wait_for_url(re.compile(r"/screening/imports/[0-9a-f-]{36}/$"))
    # The columns are recognised from their Spanish titles.
    for title, ours in (("ID", "entry_id"), ("Apellidos", "surname"), ("Fecha de nacimiento", "birth_date")):
        expect(page.get_by_label(title, exact=True)).to_have_value(ours)
    expect(page.get_by_label("Person alerts")).to_be_checked()
    page.screenshot(path=str(results_dir / "screening-import-mapping.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()

    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "rejected", timeout=15000)
    expect(status.locator(".error-box")).to_contain_text("Nothing was imported: the file has 2 problems")
    errors = status.locator("table[data-report='errors'] tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").nth(0)).to_have_text("3")
    expect(errors.nth(0).locator("td").nth(1)).to_have_text("Fecha de nacimiento")
    expect(errors.nth(0)).to_contain_text("in the future")
    expect(errors.nth(1).locator("td").nth(0)).to_have_text("4")
    expect(errors.nth(1).locator("td").nth(1)).to_have_text("Categoría")
    expect(errors.nth(1)).to_contain_text("sospechoso")
    page.screenshot(path=str(results_dir / "screening-import-report.png"), full_page=True)
    report_url = page.url
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": server}])
    page.goto(report_url)
    expect(page.locator("#import-status .error-box")).not_to_contain_text("Nothing was imported")
    page.screenshot(path=str(results_dir / "screening-import-report-es.png"), full_page=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": server}])
    page.reload()

    # Nothing of the good row went in either.
    page.get_by_role("link", name="Back to the list").click()
    expect(page.locator("table.list").first).not_to_contain_text("PAREDES")
    page.goto("/screening/watchlists/")
    expect(row.locator("td").nth(4)).to_have_text(persons_before)

    # Corrected, the same file goes in whole.
    corrected = PARTNER_CSV.replace("31/12/2090", "28/02/1990").replace("sospechoso", "entrada denegada")
    page.goto(report_url)
    page.get_by_role("link", name="Import another file").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "guatemala.csv", "mimeType": "text/csv", "buffer": corrected.encode()}]
    )
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(status).to_have_attribute("data-status", "done", timeout=15000)
    expect(status.locator("p.status.ok")).to_contain_text("3 rows: 3 new")
    page.get_by_role("link", name="Back to the list").click()
    expect(page.locator("table.list").first).to_contain_text("PAREDES MOLINA")
    expect(page.locator("table.list").first).to_contain_text("Refused entry")
    page.goto("/screening/watchlists/")
    expect(row.locator("td").nth(4)).to_have_text(str(int(persons_before) + 3))
    no_server_error(page)


def test_officer_is_refused_the_watchlists_and_the_hits(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "officer", language="en")
    nav = page.locator("header.top nav")
    expect(nav.locator("a[href*='/screening/']")).to_have_count(0)
    for url in ("/screening/watchlists/", f"/screening/watchlists/{WATCHLIST}/", "/screening/hits/"):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        box = page.locator(".error-box[role='alert'][data-status='403']")
        expect(box).to_be_visible()
        expect(box).to_contain_text("Not allowed")
        no_server_error(page)
        # The list's alerts are not in the refusal.
        expect(page.locator("main")).not_to_contain_text("MONTALVO")
    page.goto("/screening/watchlists/")
    page.screenshot(path=str(results_dir / "screening-officer-refused.png"), full_page=True)


def test_watchlist_manager_adds_and_ends_an_alert_by_hand_and_deactivation_asks_first(
    page: Any, server: str, results_dir: Path
) -> None:
    log_in(page, server, "listkeeper", language="en")
    page.goto(f"/screening/watchlists/{WATCHLIST}/")
    page.get_by_role("button", name="Add a person alert").click()
    expect(page.locator("h1")).to_have_text("New person alert")
    page.get_by_label("Entry id").fill("HAND-1")
    page.get_by_label("Surname").fill("QUIROS BRENES")
    page.get_by_label("Given names").fill("ESTEBAN")
    page.get_by_label("Nationality (code or country)").fill("Costa Rica")
    page.get_by_label("Category").select_option("notify_on_arrival")
    page.get_by_role("button", name="Add the alert").click()
    # Without a reason the browser does not send it; with one it is added.
    expect(page.locator("h1")).to_have_text("New person alert")
    page.get_by_label("Why (audited)").fill("Request from the liaison office, ref. 88/2026.")
    page.get_by_role("button", name="Add the alert").click()
    expect(page.locator("table.list").first).to_contain_text("QUIROS BRENES")
    page.get_by_role("link", name="HAND-1").click()
    expect(page.locator("h1")).to_contain_text("Alert HAND-1")
    page.screenshot(path=str(results_dir / "screening-alert-by-hand.png"), full_page=True)
    page.get_by_label("Why is the alert ended? (audited)").fill("The office withdrew the request.")
    page.get_by_role("button", name="End the alert").click()
    expect(page.locator("table.list").first).not_to_contain_text("QUIROS BRENES")

    page.get_by_role("button", name="Deactivate the list…").click()
    expect(page.locator("form[data-form='deactivate']")).to_contain_text("no traveller is screened")
    page.get_by_label("Why is the list deactivated? (audited)").fill("Checking the confirmation page only.")
    page.get_by_role("button", name="Deactivate the list").click()
    # Not confirmed (the box is required): nothing is sent, the page still asks.
    expect(page.locator("h1")).to_contain_text("Deactivate")
    expect(page.locator("form[data-form='deactivate'] input[type=checkbox]")).not_to_be_checked()
    page.screenshot(path=str(results_dir / "screening-deactivate-confirm.png"), full_page=True)
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("main")).not_to_contain_text("This list is inactive")
    no_server_error(page)
