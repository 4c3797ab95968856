from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Services and selectors speak the active language (Spanish by default); the tests read English.
    Requests through the test client pick their own language (see test_views)."""
    with translation.override("en"):
        yield
