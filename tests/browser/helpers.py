"""What every browser test does the way a person does it: log in through the form, scan an MRZ as a
keyboard-wedge scanner types it, wait for htmx to settle."""

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from corredor.icao import build_mrz
from tests.browser.conftest import PASSWORD, RECOVERY_CODES

_unused_codes = iter(RECOVERY_CODES)


def mrz_lines(
    number: str,
    surname: str,
    given_names: str,
    nationality: str = "NIC",
    *,
    birth_date: date = date(1988, 4, 12),
    sex: str = "F",
) -> list[str]:
    """A valid passport (TD3) MRZ, as its two lines."""
    text = build_mrz(
        {
            "document_code": "P",
            "issuing_state": nationality,
            "nationality": nationality,
            "surname": surname,
            "given_names": given_names,
            "document_number": number,
            "birth_date": birth_date,
            "sex": sex,
            "expiry_date": date.today() + timedelta(days=6 * 365),
        },
        format="TD3",
    )
    return text.splitlines()


def log_in(page: Any, server: str, username: str, language: str | None = None) -> None:
    """Log in through the form; with ``language``, choose it first as the header's switch would."""
    if language:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    page.goto("/login/")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.url.split("?")[0].endswith("/account/two-factor/"):
        # Supervisors (and the other roles that must) give a second factor: here a recovery code.
        page.locator("#id_token").fill(next(_unused_codes))
        with page.expect_navigation():
            page.locator("#id_token").press("Enter")
    expect(page.locator("form[action$='/logout/']")).to_be_visible()


def scan(page: Any, lines: list[str]) -> None:
    """What a keyboard-wedge scanner does: type each line then Enter, into whatever has the focus."""
    box = page.locator("#mrz")
    expect(box).to_be_focused()
    with page.expect_response(re.compile(r"/desk/scan/$")) as scanned:
        for line in lines:
            page.keyboard.type(line)
            page.keyboard.press("Enter")
    assert scanned.value.status == 200


def ready(page: Any) -> None:
    """Wait until htmx has finished swapping the result in (see test_decision_at_the_instant_of_focus)."""
    expect(page.locator("#result")).not_to_have_class(re.compile(r"htmx-(request|swapping|settling)"))


def decide(page: Any, key: str) -> int:
    """Press a decision key once the result has settled; answers the status of the record request."""
    ready(page)
    with page.expect_response(re.compile(r"/desk/record/$")) as recorded:
        page.keyboard.press(key)
    return int(recorded.value.status)


def no_server_error(page: Any) -> None:
    """The page is not Django's error page nor a stack trace."""
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Server Error" not in body, body[:500]
