"""Test settings shared by every suite: a fast password hasher, static files from the finders, a data
folder of the run's own, and the Hypothesis profiles.

- Each pytest process (each xdist worker) gets its own DATA_DIR in a temporary folder, so workers never
  share the statistics extract, bulletins or any other file, and a run never touches the developer's var/.
- The clock: every test process runs on a pinned calendar (time-machine, started before any test class
  makes its data, ticking from there), so no test depends on the day the suite runs. CORREDOR_TEST_NOW
  sets another instant; `real` (and the browser suite, whose server runs in a process of its own) uses the
  real clock.
- Hypothesis: the default run is the `fast` profile (no property test runs more than FAST_CAP examples,
  whatever its own @settings say); `make test-fuzz` sets HYPOTHESIS_PROFILE=fuzz, which runs every property
  test FUZZ_FACTOR times its own count (at least FUZZ_MINIMUM examples).
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

FAST_CAP = 100
FUZZ_FACTOR = int(os.environ.get("FUZZ_FACTOR", "10"))
FUZZ_MINIMUM = 500

hypothesis_settings.register_profile("fast", deadline=None, max_examples=50)
# The same base count: the collection hook below multiplies every test's count (its own or this one).
hypothesis_settings.register_profile(
    "fuzz", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fast")
hypothesis_settings.load_profile(PROFILE)

# The day the suite was last checked against the real calendar; any instant works, this one is known good.
PINNED_NOW = "2026-12-04T15:00:00+00:00"

_data_dir: Path | None = None
_clock: time_machine.travel | None = None


def _pin_the_clock(config: pytest.Config) -> None:
    global _clock
    now = os.environ.get("CORREDOR_TEST_NOW", PINNED_NOW)
    if now == "real" or "browser" in (config.option.markexpr or "").replace("not browser", ""):
        return
    _clock = time_machine.travel(now, tick=True)
    _clock.start()


def pytest_configure(config: pytest.Config) -> None:
    global _data_dir
    _pin_the_clock(config)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log personas in with force_login; the two-factor tests (tests/core/test_security.py) turn the
    # requirement back on.
    settings.CORREDOR_REQUIRE_2FA = False
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _data_dir = Path(tempfile.mkdtemp(prefix=f"corredor-test-{worker}-"))
    settings.DATA_DIR = _data_dir


def pytest_unconfigure(config: pytest.Config) -> None:
    if _clock is not None:
        _clock.stop()
    if _data_dir is not None:
        shutil.rmtree(_data_dir, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Apply the profile's example counts to property tests that set their own (a test's @settings would
    otherwise win over any profile)."""
    done: set[int] = set()
    for item in items:
        test = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        if not getattr(test, "is_hypothesis_test", False) or id(test) in done:
            continue
        done.add(id(test))  # parametrised tests share the function: scale it once
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None:  # schemathesis' own tests (tests/fuzz) carry their settings elsewhere
            continue
        if PROFILE == "fuzz":
            count = max(own.max_examples * FUZZ_FACTOR, FUZZ_MINIMUM)
            test._hypothesis_internal_use_settings = hypothesis_settings(
                own, max_examples=count, deadline=None, suppress_health_check=list(HealthCheck)
            )
        elif PROFILE == "fast" and own.max_examples > FAST_CAP:
            test._hypothesis_internal_use_settings = hypothesis_settings(own, max_examples=FAST_CAP)


@pytest.fixture(autouse=True)
def _commands_keep_the_test_connection() -> Iterator[None]:
    """Django's `run_from_argv` closes every connection when a command ends, as a process should; inside a
    test's transaction on PostgreSQL that throws the test's data away, so tests hold the closing back."""
    with mock.patch("django.core.management.base.connections.close_all"):
        yield
