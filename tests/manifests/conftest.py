from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages(settings: Any) -> Iterator[None]:
    """Services and selectors speak the active language, and pages the browser's (the default is Spanish):
    the tests read English, so both are English here."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
