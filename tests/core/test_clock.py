"""The suite runs on a pinned calendar (tests/conftest.py): a test that reads "today" reads the same day
whenever the suite runs."""

import os
from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import PINNED_NOW


@pytest.mark.skipif("CORREDOR_TEST_NOW" in os.environ, reason="another instant was asked for")
def test_today_is_the_pinned_day_and_the_clock_ticks() -> None:
    assert timezone.now().date() == date.fromisoformat(PINNED_NOW[:10])
    first = timezone.now()
    while timezone.now() == first:
        pass  # ticking: durations measured inside a test are real
    assert timezone.now() > first
