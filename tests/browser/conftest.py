"""Real-browser tests: a real `corredor runserver` on a temporary SQLite database, driven by Chromium.

The server runs in its own process with its own database (migrated, reference data loaded, a few users
created through the `corredor` command), so these tests need neither pytest-django's test database nor
its live_server, whose flush between tests would fight the append-only audit log.

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_DIR / "test-results"
CHROMIUM = os.environ.get("CORREDOR_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-Pa55"  # a throwaway user in a throwaway database

# username, role, border post
USERS = [
    ("officer", "officer", "SJO"),
    ("refuser", "officer", "SJO"),
    ("analyst", "analyst", None),
]

CREATE_USERS = """
from corredor.core.models import User
for username, role, post in {users!r}:
    user = User(username=username, role=role, border_post_id=post)
    user.set_password({password!r})
    user.save()
"""


def _corredor() -> list[str]:
    """The `corredor` entry point of the interpreter running the tests (the project's venv)."""
    script = Path(sys.executable).with_name("corredor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corredor.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [*_corredor(), *args], env=env, cwd=REPO_DIR, capture_output=True, text=True, timeout=180
    )
    if done.returncode != 0:
        pytest.fail(f"corredor {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The base URL of a running Corredor with officers at SJO and an analyst; stopped at the end."""
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
        _run(["migrate", "--no-input", "-v", "0"], env)
        _run(["refdata", "load"], env)
        _run(["shell", "-c", CREATE_USERS.format(users=USERS, password=PASSWORD)], env)

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(Path(tmp) / "server.log", "w+")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [*_corredor(), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
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
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
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
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test, 1280x900, failing fast on slow pages."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
