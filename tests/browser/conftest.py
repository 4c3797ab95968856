"""Real-browser tests: a real `corredor runserver` on a temporary SQLite database, driven by Chromium.

The server runs in its own process with its own database (migrated, reference data loaded, users of each
role, a watchlist and a carrier account made through the `corredor` command), so these tests need neither
pytest-django's test database nor its live_server, whose flush between tests would fight the append-only
audit log. For the statistics, the database also holds a synthetic year of crossings, its extract and the
international context imported from ../shared/data.

Run with `make test-browser`. The browser is Debian's Chromium at /usr/bin/chromium (Playwright cannot
download its own here); set CORREDOR_CHROMIUM to use another binary.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("CORREDOR_SHARED_DATA", REPO_DIR.parent / "shared" / "data"))
RESULTS_DIR = REPO_DIR / "test-results"
CHROMIUM = os.environ.get("CORREDOR_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-Pa55"  # a throwaway user in a throwaway database

# username, role, border post
USERS = [
    ("officer", "officer", "SJO"),
    ("refuser", "officer", "SJO"),
    ("screener", "officer", "SJO"),
    ("supervisor", "supervisor", "SJO"),
    ("listkeeper", "watchlist_manager", None),
    ("analyst", "analyst", None),
]

# The watchlist every screening test meets: an enforcement alert, a protective one, and one that a
# passenger of the manifests tests matches before landing. Names as a partner's list spells them.
WATCHLIST = "bt-nacional"
WATCHLIST_CSV = """\
entry_id,surname,given_names,aliases,birth_date,nationality,sex,category,action,note
BT-W1,MONTALVO REYES,JOSE ARMANDO,Chepe Montalvo,1981-05,HND,M,wanted,Detain and call the duty supervisor.,\
Reported armed in 2025.
BT-C1,CASTRO LUNA,ISABELLA,,2015-02-14,NIC,F,missing_child,,Reported missing in Managua.
BT-N1,OKONKWO,CHIDI EMEKA,,1975,NGA,M,notify_on_arrival,Inform the liaison office on arrival.,
"""

# The airline whose lists the manifests tests send, and its account (API token only, no password).
CARRIER = ("api.cm", "CM", "Copa Airlines")

# A year of crossings ending today for the statistics: the demo's generator, without its watchlist and
# flights (the tests bring their own), and the international context from the shared data folder.
LOAD_YEAR = """
from django.utils import timezone
from corredor.border.demo import demo_load
demo_load(travellers=400, seed=7, year_end=timezone.localdate(), progress=None)
"""
CONTEXT_DATA = [
    ("undesa-stock", "undesa_migrant_stock_2019_od_wide_region_excerpt.csv"),
    ("missing-migrants", "iom_missing_migrants_2014_2021.json"),
]
CONTEXT_AVAILABLE = all((SHARED_DATA / file_name).is_file() for _dataset, file_name in CONTEXT_DATA)

# The roles that log in with a second factor get recovery codes the tests use up one login at a time
# (a TOTP code cannot be given twice in its 30 seconds, and a test logs a supervisor in several times).
RECOVERY_CODES = [f"bt{n:04d}" for n in range(200)]

CREATE_USERS = """
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from corredor.core.models import User
for username, role, post in {users!r}:
    user = User(username=username, role=role, border_post_id=post)
    user.set_password({password!r})
    user.save()
    if role in settings.CORREDOR_2FA_ROLES:
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in {codes!r}])
"""


def _corredor() -> list[str]:
    """The `corredor` entry point of the interpreter running the tests (the project's venv)."""
    script = Path(sys.executable).with_name("corredor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corredor.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*_corredor(), *args], env=env, cwd=REPO_DIR, capture_output=True, text=True, timeout=180
    )
    if done.returncode != 0:
        pytest.fail(f"corredor {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


@dataclass(frozen=True)
class Site:
    """The test site's data folder and the environment its `corredor` commands run with."""

    folder: Path
    env: dict[str, str]

    def corredor(self, *args: str) -> str:
        """Run a `corredor` command against the site's database; its standard output."""
        return _run(list(args), self.env)


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """A migrated database with reference data, users of each role, a watchlist and a carrier account."""
    with tempfile.TemporaryDirectory(prefix="corredor-browser-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/browser.sqlite3",
            "CORREDOR_DATA_DIR": tmp,
            "CORREDOR_COUNTRY": "CRI",
            "CORREDOR_FAST_PASSWORDS": "1",
            "DEBUG": "0",
            "LANGUAGE_CODE": "es",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        site = Site(Path(tmp), env)
        site.corredor("migrate", "--no-input", "-v", "0")
        site.corredor("refdata", "load")
        site.corredor(
            "shell", "-c", CREATE_USERS.format(users=USERS, password=PASSWORD, codes=RECOVERY_CODES)
        )
        watchlist_file = site.folder / "watchlist.csv"
        watchlist_file.write_text(WATCHLIST_CSV, encoding="utf-8")
        site.corredor(
            "watchlist", "create", WATCHLIST, "--name", "Lista nacional de prueba", "--owner", "DGME"
        )
        site.corredor("watchlist", "import", str(watchlist_file), "--watchlist", WATCHLIST)
        username, carrier, name = CARRIER
        site.corredor("manifests", "carrier", username, carrier, "--name", name)
        # The statistics' year: it loads only into a database without crossings, so before any test.
        site.corredor("shell", "-c", LOAD_YEAR)
        site.corredor("stats", "refresh")
        # Without the shared folder (a clone on its own), the context page is tested as it shows then.
        if CONTEXT_AVAILABLE:
            for dataset, file_name in CONTEXT_DATA:
                site.corredor("stats", "import", dataset, str(SHARED_DATA / file_name))
        yield site


@pytest.fixture(scope="session")
def carrier_token(site: Site) -> str:
    """An API token of the carrier account, as `corredor token create` prints it once."""
    return site.corredor("token", "create", CARRIER[0]).strip()


@pytest.fixture(scope="session")
def server(site: Site) -> Iterator[str]:
    """The base URL of a running Corredor on the site's database; stopped at the end."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(site.folder / "server.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [*_corredor(), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=site.env,
        cwd=REPO_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Watchlist imports run in the background worker, as `make run` starts it beside the server.
    worker = subprocess.Popen(
        [*_corredor(), "work", "--poll", "0.5"],
        env=site.env,
        cwd=REPO_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"runserver exited:\n{log.read()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"runserver did not answer in 30 s:\n{log.read()}", pytrace=False)
            time.sleep(0.1)
        yield base
    finally:
        worker.terminate()
        process.terminate()
        for started in (process, worker):
            try:
                started.wait(timeout=10)
            except subprocess.TimeoutExpired:
                started.kill()
                started.wait()
        log.seek(0)
        server_log = log.read()
        log.close()
        if "Traceback" in server_log:
            RESULTS_DIR.mkdir(exist_ok=True)
            (RESULTS_DIR / "server.log").write_text(server_log)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: install it or set CORREDOR_CHROMIUM.", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any, server: str) -> Iterator[Callable[[], Any]]:
    """Opens a fresh browser context (no cookies), 1280x900, failing fast on slow pages: one per person
    in the test (an officer, then a supervisor ...). JavaScript errors on any of them fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page() -> Any:
        context = browser.new_context(
            base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def page(new_page: Callable[[], Any]) -> Any:
    """A fresh browser context for the test's one person."""
    return new_page()


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
