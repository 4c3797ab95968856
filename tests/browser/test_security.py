"""Security in a real browser (issue 11): nothing on any page is refused by the Content-Security-Policy
(an inline script or handler would be, and the feature would silently stop working); a supervisor sets up
two-factor authentication with the QR page and logs in with a code; the header links to the account page."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Site
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

PAGES = {
    "officer": ["/desk/", "/travellers/"],
    "supervisor": ["/post/day/", "/overstays/", "/flights/", "/screening/hits/", "/statistics/"],
    "listkeeper": ["/screening/watchlists/"],
    "analyst": ["/statistics/bulletin/", "/statistics/"],
}


def csp_violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


@pytest.mark.parametrize("username", sorted(PAGES))
def test_no_page_breaks_the_content_security_policy(
    new_page: Callable[[], Any], server: str, username: str
) -> None:
    page = new_page()
    violations = csp_violations(page)
    log_in(page, server, username, language="en")
    for path in PAGES[username]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
    # The language switch works without its old inline handler.
    with page.expect_navigation():
        page.locator("#language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert violations == []


def test_a_supervisor_enrols_with_the_qr_page_and_logs_in_with_a_code(
    new_page: Callable[[], Any], site: Site, server: str, results_dir: Path
) -> None:
    from django_otp.oath import TOTP

    site.corredor(
        "shell",
        "-c",
        "from corredor.core.models import User\n"
        "u = User(username='sup2fa', role='supervisor', border_post_id='SJO')\n"
        f"u.set_password({PASSWORD!r}); u.save()",
    )
    page = new_page()
    violations = csp_violations(page)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": server}])
    page.goto("/login/")
    page.locator("#id_username").fill("sup2fa")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    # Nothing else is reachable before the second factor: the desk sends to enrolment.
    page.goto("/desk/")
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("e => e.naturalWidth") > 100  # drawn, from a data: URI, allowed by the policy
    page.locator("summary").click()
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    page.screenshot(path=str(results_dir / "two-factor-enrol.png"), full_page=True)
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    page.locator("#id_token").fill(f"{totp.token():06d}")
    with page.expect_navigation():
        page.locator("#id_token").press("Enter")
    codes = page.locator("[data-recovery-codes] code")
    expect(codes).to_have_count(10)
    page.screenshot(path=str(results_dir / "two-factor-recovery-codes.png"), full_page=True)
    recovery = codes.first.inner_text()
    page.get_by_role("link", name="Continue").click()
    expect(page.locator("h1")).not_to_have_text("Set up two-factor authentication")
    # The header's name leads to the account page: password and two-factor.
    page.locator("header a.who").click()
    expect(page.locator("h1")).to_have_text("Change your password")

    # Next login: password, then a recovery code (the app's code was used this half-minute).
    again = new_page()
    again.context.add_cookies([{"name": "django_language", "value": "en", "url": server}])
    again.goto("/login/")
    again.locator("#id_username").fill("sup2fa")
    again.locator("#id_password").fill(PASSWORD)
    with again.expect_navigation():
        again.locator("#id_password").press("Enter")
    expect(again.locator("h1")).to_have_text("Two-factor authentication")
    again.locator("#id_token").fill(recovery)
    with again.expect_navigation():
        again.locator("#id_token").press("Enter")
    expect(again.locator("form[action$='/logout/']")).to_be_visible()
    assert again.url.rstrip("/").endswith("/desk")
    assert violations == []
