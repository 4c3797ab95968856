"""The desk in a real browser: log in, scan an MRZ like a keyboard scanner, decide from the keyboard, see
the crossing in the history; a bad MRZ; a role without desk access; the language switch."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import decide, log_in, mrz_lines, ready, scan

pytestmark = pytest.mark.browser


def test_scan_record_entry_and_see_it_in_history(page: Any, server: str, results_dir: Path) -> None:
    lines = mrz_lines("BR1000001", "ESPINOZA", "MARIA JOSE")
    log_in(page, server, "officer", language="en")
    assert page.url.rstrip("/").endswith("/desk")
    assert page.evaluate("document.activeElement.id") == "mrz"
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"

    # One request on the scanner's final Enter; none on the Enter after line 1.
    scan_requests: list[str] = []
    page.on("request", lambda r: scan_requests.append(r.url) if "/desk/scan/" in r.url else None)
    scan(page, lines)
    card = page.locator("#result .card[data-valid='true']")
    expect(card).to_be_visible()
    assert len(scan_requests) == 1, scan_requests
    expect(card.locator("h2")).to_have_text("ESPINOZA, MARIA JOSE")
    expect(card.locator("pre.mrz")).to_contain_text(lines[0])
    admit = page.locator("#decision button[value='entry']")
    expect(admit).to_be_focused()
    expect(admit).to_have_attribute("data-default", "")
    for key in "1234":
        expect(page.locator(f"#decision button[data-key='{key}']")).to_be_visible()
    page.screenshot(path=str(results_dir / "desk.png"), full_page=True)

    assert decide(page, "Enter") == 200
    done = page.locator("#result [data-recorded]")
    expect(done).to_be_visible()
    expect(done).to_contain_text("ESPINOZA")
    expect(page.locator("#mrz")).to_have_value("")
    expect(page.locator("#mrz")).to_be_focused()
    page.screenshot(path=str(results_dir / "desk-recorded.png"), full_page=True)

    # The same passport again: the history shows the entry just recorded; the default is now the exit.
    scan(page, lines)
    card = page.locator("#result .card[data-valid='true']")
    expect(card.locator("p.status.ok")).to_be_visible()
    expect(card.locator("p.status")).to_contain_text("In the country")
    rows = card.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SJO")
    expect(rows.first).to_contain_text("Entry")
    expect(rows.first).to_contain_text("Admitted")
    expect(page.locator("#decision button[value='exit']")).to_be_focused()
    page.screenshot(path=str(results_dir / "desk-history.png"), full_page=True)

    # The traveller's page lists the crossing.
    card.locator("p.status a").click()
    page.wait_for_url(re.compile(r"/travellers/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_have_text("ESPINOZA, MARIA JOSE")
    expect(page.locator("p.status.ok")).to_be_visible()
    crossings = page.locator("table.list").nth(1).locator("tbody tr")
    expect(crossings).to_have_count(1)
    expect(crossings.first).to_contain_text("SJO")
    expect(crossings.first).to_contain_text("BR1000001")
    expect(crossings.first).to_contain_text("officer")


def test_bad_check_digit_is_highlighted_and_nothing_can_be_recorded(
    page: Any, server: str, results_dir: Path
) -> None:
    lines = mrz_lines("BR1000002", "LOPEZ", "ANA")
    # The document number's check digit is line 2, position 10: change it.
    digit = lines[1][9]
    lines[1] = lines[1][:9] + str((int(digit) + 1) % 10) + lines[1][10:]
    log_in(page, server, "officer", language="en")
    scan(page, lines)
    card = page.locator("#result .card[data-valid='false']")
    expect(card).to_be_visible()
    problem = card.locator("ul.problems li.err[data-code='check_digit']")
    expect(problem.first).to_be_visible()
    color = problem.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent"), "the error is not highlighted"
    expect(page.locator("#decision")).to_have_count(0)
    expect(page.locator("#result button[name='action']")).to_have_count(0)
    page.screenshot(path=str(results_dir / "desk-invalid.png"), full_page=True)


def test_refuse_entry_with_the_keyboard_only(page: Any, server: str) -> None:
    lines = mrz_lines("BR1000003", "GARCIA", "LUIS")
    log_in(page, server, "refuser", language="en")
    scan(page, lines)
    expect(page.locator("#decision button[value='entry']")).to_be_focused()
    # A refusal names its legal ground: picked from the keyboard (E: purpose and conditions of stay).
    page.locator("#id_refusal_ground").focus()
    page.keyboard.press("e")
    page.keyboard.press("Tab")
    expect(page.locator("#id_refusal_ground")).to_have_value("E")
    assert decide(page, "3") == 200
    done = page.locator("#result [data-recorded]")
    expect(done).to_contain_text("Refused")
    expect(done).to_contain_text("(ground E)")
    expect(page.locator("#mrz")).to_be_focused()

    # Scanned again: refused, so not in the country, and the refusal is in the history.
    scan(page, lines)
    card = page.locator("#result .card[data-valid='true']")
    expect(card.locator("p.status")).not_to_have_class(re.compile(r"\bok\b"))
    expect(card.locator("p.status")).to_contain_text("Not in the country")
    rows = card.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Refused")
    # Not in the country, so the default is an entry again.
    expect(page.locator("#decision button[value='entry']")).to_be_focused()


def test_analyst_is_refused_at_the_desk_with_a_message(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "analyst", language="en")
    response = page.goto("/desk/")
    assert response is not None and response.status == 403
    box = page.locator(".error-box[role='alert'][data-status='403']")
    expect(box).to_be_visible()
    expect(box).to_contain_text("personal data")
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Server Error" not in body
    # The header still works (the person can leave), and the desk's links are not offered to an analyst.
    expect(page.locator("header.top nav a[href$='/desk/']")).to_have_count(0)
    page.screenshot(path=str(results_dir / "desk-refused.png"), full_page=True)


def test_language_switch_changes_the_desk(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "officer")
    page.goto("/desk/")
    read = page.locator("#scan-form button[type='submit']")

    with page.expect_navigation():
        page.locator("#language").select_option("en")
    assert page.url.rstrip("/").endswith("/desk")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(read).to_have_text("Read document")
    expect(page.locator("#mrz")).to_be_focused()

    with page.expect_navigation():
        page.locator("#language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#language")).to_have_value("es")
    expect(read).not_to_have_text("Read document")
    expect(page.locator("label[for='mrz']")).not_to_contain_text("scan the document")

    # The result panel is translated too.
    scan(page, mrz_lines("BR1000005", "IDIOMA", "ELENA"))
    admit = page.locator("#decision button[value='entry']")
    expect(admit).to_be_focused()
    expect(admit).not_to_contain_text("Admit entry")
    page.screenshot(path=str(results_dir / "desk-es.png"), full_page=True)


# The fastest officer: a decision key pressed the very moment the buttons take the focus. An init script
# clicks the focused button synchronously in its focus event, which is what a key pressed before the
# next frame does. If the desk moves the focus before htmx has wired up the new decision form (it does
# so in htmx:afterSwap, 20 ms before the settle that processes hx-post), the click submits the form
# natively: a GET of /desk/?mrz=...&action=... that records nothing and puts the MRZ, personal data, in
# the URL, the browser history and the server's access log.
CLICK_ON_FOCUS = """
document.addEventListener("focusin", function (event) {
  var button = event.target;
  if (button.matches && button.matches("#decision button[data-default]") && !window.__clicked) {
    window.__clicked = true;
    button.click();
  }
}, true);
"""


def test_decision_at_the_instant_of_focus_is_recorded(page: Any, server: str) -> None:
    lines = mrz_lines("BR1000004", "RAPIDO", "ANDRES")
    log_in(page, server, "officer", language="en")
    page.add_init_script(CLICK_ON_FOCUS)
    page.goto("/desk/")
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    scan(page, lines)
    expect(page.locator("#result [data-recorded]")).to_be_visible()
    leaked = [url for _method, url in requests if "mrz=" in url]
    assert not leaked, f"the MRZ went into a URL: {leaked[0][:80]}..."
    assert ("POST", f"{server}/desk/record/") in requests


# A traveller who used up the 180 days in any 365: two 90-day stays within the last year, recorded late
# from the paper log by the supervisor (with the reason, as a record older than the window needs).
USED_UP = """
from datetime import timedelta
from django.utils import timezone
from corredor.border.documents import document_input_from_mrz
from corredor.border.services import crossing_record
from corredor.core.models import User

sofia = User.objects.get(username="supervisor")
document, _ = document_input_from_mrz({mrz!r})
now = timezone.now()
for days_ago, direction in ((300, "entry"), (211, "exit"), (180, "entry"), (91, "exit")):
    crossing_record(
        officer=sofia, post_code="SJO", direction=direction, decision="admitted", document=document,
        stay_category="tourist" if direction == "entry" else None,
        occurred_at=now - timedelta(days=days_ago), late_reason="Paper log typed in",
    )
"""


def test_no_days_left_still_lets_the_officer_refer_refuse_or_record_the_exit(
    page: Any, server: str, site: Any, results_dir: Path
) -> None:
    lines = mrz_lines("BR2000001", "AGOTADA", "LUISA")
    site.corredor("shell", "-c", USED_UP.format(mrz="\n".join(lines)))
    log_in(page, server, "officer", language="en")
    scan(page, lines)
    card = page.locator("#result .card[data-valid='true']")
    why = card.locator("#no-days")
    expect(why).to_be_visible()
    expect(why).to_contain_text("No days of stay are left")
    expect(why).to_contain_text("at most 180 days in any 365")
    expect(why.locator("ul.earlier-stays li")).to_have_count(2)
    assert page.locator("#id_stay_days").get_attribute("max") is None
    page.screenshot(path=str(results_dir / "desk-no-days-left.png"), full_page=True)

    # Admitting is refused with the rule's name; the officer then refers, from the keyboard.
    assert decide(page, "1") == 400
    expect(page.locator("#decision-error")).to_contain_text("No days of stay are left")
    assert decide(page, "4") == 200
    expect(page.locator("#result [data-recorded]")).to_contain_text("Referred")
    page.screenshot(path=str(results_dir / "desk-no-days-referred.png"), full_page=True)


def test_guardrails_expired_document_refusal_ground_double_click_and_age(
    page: Any, server: str, results_dir: Path
) -> None:
    from datetime import date, timedelta

    from corredor.icao import build_mrz

    expired = build_mrz(
        {
            "document_code": "P",
            "issuing_state": "NIC",
            "nationality": "NIC",
            "surname": "VENCIDO",
            "given_names": "PABLO",
            "document_number": "BR2000002",
            "birth_date": date.today().replace(year=date.today().year - 15) - timedelta(days=3),
            "sex": "M",
            "expiry_date": date.today() - timedelta(days=20),
        },
        format="TD3",
    ).splitlines()
    log_in(page, server, "refuser", language="en")
    scan(page, expired)
    card = page.locator("#result .card[data-valid='true']")
    expect(card.locator("#age")).to_have_attribute("data-age", "15")
    expect(card).to_contain_text("A minor: 15 years old.")
    expect(card.locator("#expired-guard")).to_be_visible()
    # One key must not admit on an expired passport.
    assert decide(page, "1") == 400
    expect(page.locator("#decision-error")).to_contain_text("To admit the traveller all the same")
    page.screenshot(path=str(results_dir / "desk-expired-asks-reason.png"), full_page=True)
    # A refusal without its ground is refused too; with the ground, it is recorded with it.
    assert decide(page, "3") == 400
    expect(page.locator("#decision-error")).to_contain_text("legal ground")
    page.locator("#id_refusal_ground").select_option("A")
    ready(page)
    with page.expect_response(re.compile(r"/desk/record/$")) as recorded:
        page.locator("#decision button[value='refuse']").click()
    assert recorded.value.status == 200
    expect(page.locator("#result [data-recorded]")).to_contain_text("(ground A)")
    page.screenshot(path=str(results_dir / "desk-refused-with-ground.png"), full_page=True)

    # A double click on Admit records one crossing.
    lines = mrz_lines("BR2000003", "DOBLE", "CLIC")
    scan(page, lines)
    ready(page)
    responses: list[int] = []
    page.on("response", lambda r: responses.append(r.status) if "/desk/record/" in r.url else None)
    page.locator("#decision button[value='entry']").dblclick()
    expect(page.locator("#result [data-recorded]")).to_be_visible()
    page.wait_for_timeout(500)
    page.locator("#result [data-recorded] a").click()
    page.wait_for_url(re.compile(r"/travellers/[0-9a-f-]{36}/$"))
    expect(page.locator("table.list").nth(1).locator("tbody tr")).to_have_count(1)
    assert responses and all(status == 200 for status in responses), responses
