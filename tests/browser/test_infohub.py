"""The public information hub in a real browser, as the hub really runs: central (its own database) seeds
the demo content and publishes a signed bundle; the hub (CORREDOR_MODE=hub, another database) pulls it and
serves. A migrant from Nicaragua learns how long they may stay, finds a shelter near Peñas Blancas on the
map with the phone offline, reads an alert in Haitian Creole; axe-core (vendored, tests/browser/vendor)
finds no WCAG 2.2 A/AA violation on any public page at 360 pixels; no request leaves the site and the
only cookie is the language."""

import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import REPO_DIR, _corredor, _free_port, _run

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
SEED = (
    "import random; from corredor.core.audit import SYSTEM, acting_as; from corredor.infohub import demo\n"
    "with acting_as(SYSTEM): print(demo.seed(rng=random.Random(1)))"
)


@pytest.fixture(scope="module")
def hub() -> Iterator[str]:
    """A hub server loaded from central's bundle; its base URL."""
    with tempfile.TemporaryDirectory(prefix="corredor-hub-browser-") as tmp:
        base_env = {**os.environ, "CORREDOR_COUNTRY": "CRI", "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
        base_env.pop("DJANGO_SETTINGS_MODULE", None)
        central = {
            **base_env,
            "DATABASE_URL": f"sqlite:///{tmp}/central.sqlite3",
            "CORREDOR_DATA_DIR": f"{tmp}/central",
        }
        hub_env = {
            **base_env,
            "CORREDOR_MODE": "hub",
            "DATABASE_URL": f"sqlite:///{tmp}/hub.sqlite3",
            "CORREDOR_DATA_DIR": f"{tmp}/hub",
        }
        bundle = f"{tmp}/bundle.json"
        _run(["migrate", "--no-input", "-v", "0"], central)
        _run(["refdata", "load"], central)
        _run(["shell", "-c", SEED], central)
        _run(["hub", "publish", "--output", bundle], central)
        _run(["migrate", "--no-input", "-v", "0"], hub_env)
        _run(["hub", "pull", bundle], hub_env)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(f"{tmp}/hub.log", "w+")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [*_corredor(), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=hub_env,
            cwd=REPO_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/hub/es/", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the hub did not start:\n{log.read()}", pytrace=False)
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.seek(0)
            assert "Traceback" not in log.read()
            log.close()


@pytest.fixture
def phone(browser: Any, hub: str) -> Iterator[Any]:
    """A 360-pixel phone with service workers; every request it makes is recorded; axe can be injected
    (bypass_csp: the page's own policy refuses the injected script, as it should)."""
    context = browser.new_context(
        base_url=hub, viewport=PHONE, service_workers="allow", bypass_csp=True, locale="es-CR"
    )
    context.set_default_timeout(8000)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    yield page
    cookies = context.cookies()
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert {c["name"] for c in cookies} <= {"django_language"}, cookies
    outside = [url for url in page.requests if not url.startswith((hub, "data:", "blob:"))]  # type: ignore[attr-defined]
    assert not outside, f"requests to other sites: {outside}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def saved_for_offline(page: Any, lang: str) -> None:
    """Wait until the service worker controls the page and has saved the language's pages."""
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000
    )
    page.reload()
    page.wait_for_function(f"document.body.dataset.saved === '{lang}'", timeout=15000)


def test_a_nicaraguan_learns_how_long_they_may_stay(phone: Any) -> None:
    phone.goto("/hub/")
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    phone.get_by_role("link", name="Ver las reglas de entrada").click()
    phone.get_by_label("Soy de").select_option("NIC")
    phone.get_by_label("por tierra").check()
    phone.get_by_role("button", name="Ver las reglas").click()
    expect(phone.locator("#stay-days")).to_contain_text("Hasta 90 días por entrada.")
    answer = phone.locator("#answer-section")
    expect(answer).to_contain_text("Necesita una visa antes de viajar.")
    expect(answer).to_contain_text("180 días en cualquier periodo de 365 días")
    expect(answer).to_contain_text("Peñas Blancas")
    expect(answer).to_contain_text("Área CA-4")
    assert fits_the_screen(phone)
    assert axe_violations(phone) == []


def test_a_shelter_near_penas_blancas_on_the_map_offline(phone: Any) -> None:
    phone.goto("/hub/es/")
    saved_for_offline(phone, "es")
    phone.context.set_offline(True)
    phone.goto("/hub/es/services/?kind=shelter&post=PBL")
    expect(phone.locator("#offline-banner")).to_be_visible()
    nearest = phone.locator("ol.nearest li").first
    expect(nearest).to_contain_text("Albergue temporal para personas migrantes — Peñas Blancas")
    expect(phone.locator("#map .leaflet-interactive").first).to_be_visible()
    visible = phone.locator("#service-list .service:visible")
    expect(visible).to_have_count(2)  # Peñas Blancas and La Cruz
    assert phone.locator("#map path.leaflet-interactive").count() >= 2
    phone.goto("/hub/es/saved/")
    expect(phone.locator("#saved-list li").first).to_be_visible()
    phone.context.set_offline(False)


def test_an_alert_in_haitian_creole_and_the_visible_fallback(phone: Any) -> None:
    phone.goto("/hub/es/")
    phone.get_by_role("link", name="Kreyòl ayisyen").click()
    expect(phone.locator("html")).to_have_attribute("lang", "ht")
    phone.get_by_role("link", name="Alèt (2)").click()
    expect(phone.locator("h1")).to_have_text("Alèt")
    expect(phone.get_by_role("heading", name="Gwo lapli ak rivyè k ap monte nan Sid la")).to_be_visible()
    phone.goto("/hub/ht/services/?kind=health")
    fallback = phone.locator(".fallback").first
    expect(fallback).to_have_text("Poko genyen an Kreyòl; nou montre l an franse.")
    assert [c["value"] for c in phone.context.cookies()] == ["ht"]


def test_saved_pages_can_be_seen_and_deleted(phone: Any) -> None:
    phone.goto("/hub/fr/")
    saved_for_offline(phone, "fr")
    phone.goto("/hub/fr/saved/")
    entries = phone.locator("#saved-list li")
    expect(entries.first).to_be_visible()
    before = entries.count()
    entries.first.get_by_role("button").click()
    expect(phone.locator("#saved-status")).to_contain_text("Supprimé.")
    expect(entries).to_have_count(before - 1)
    phone.get_by_role("button", name="Tout supprimer").click()
    expect(phone.locator("#saved-status")).to_have_text("Supprimé. Rien n'est enregistré.")
    expect(entries).to_have_count(0)


PAGES = [
    "/hub/es/",
    "/hub/es/entry/?nationality=HTI&mode=air&purpose=tourist",
    "/hub/es/services/?kind=shelter",
    "/hub/es/alerts/",
    "/hub/es/guide/",
    "/hub/es/remittances/",
    "/hub/es/saved/",
    "/hub/es/offline/",
    "/hub/ht/",
    "/hub/ht/services/",
    "/hub/pt/remittances/",
    "/hub/en/entry/",
]


def test_axe_finds_no_violation_on_any_public_page_at_360_pixels(phone: Any) -> None:
    found = {}
    for url in PAGES:
        phone.goto(url)
        violations = axe_violations(phone)
        if violations:
            found[url] = violations
        assert fits_the_screen(phone), url
    assert not found, found
