from collections.abc import Iterator

import pytest
from django.utils import translation

from corredor.screening import index_cache, services


@pytest.fixture(autouse=True)
def fresh_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's database is rolled back afterwards, so each test starts from a new index; imports run in
    the request instead of a thread (a thread would not see the test's transaction); messages in English."""
    index_cache.reset()
    monkeypatch.setattr(services, "IMPORT_IN_THREAD", False)
    with translation.override("en"):
        yield
    index_cache.reset()
