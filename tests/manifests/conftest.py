from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Services and selectors speak the active language; the tests read English."""
    with translation.override("en"):
        yield
