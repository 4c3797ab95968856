from collections.abc import Iterator

import pytest
from django.utils import translation

from corredor.screening import index_cache


@pytest.fixture(autouse=True)
def fresh_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's database is rolled back afterwards, so each test starts from a new index; messages in
    English. Queued imports are run by `corredor work --once` (``run_worker``) in the test's transaction."""
    index_cache.reset()
    with translation.override("en"):
        yield
    index_cache.reset()
