"""Other apps join the desk through border.hooks: notices at the desk, an outcome stored on the crossing,
and a refusal that leaves nothing written."""

import pytest

from corredor.border import hooks
from corredor.core.errors import ApplicationError
from tests.factories import DocumentInputFactory, mrz_for, record, row_counts
from tests.personas import PersonaTestCase


class WatchfulHook(hooks.DeskHook):
    """Flags one surname, refuses another, and remembers what it saw after recording."""

    def __init__(self) -> None:
        self.recorded: list[str] = []

    def notices(self, context: hooks.CrossingContext) -> list[hooks.DeskNotice]:
        if context.document.surname == "FLAGGED":
            return [hooks.DeskNotice(source="test", level="protect", title="Protective alert", lines=("x",))]
        return []

    def before_record(self, context: hooks.CrossingContext) -> str | None:
        if context.document.surname == "BLOCKED":
            raise ApplicationError("blocked by the test hook")
        return "hit" if context.document.surname == "FLAGGED" else "clear"

    def after_record(self, crossing, context) -> None:  # type: ignore[no-untyped-def]
        self.recorded.append(str(crossing.pk))


@pytest.fixture(autouse=True)
def _isolated_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_hooks", [])


class HookTests(PersonaTestCase):
    def test_outcome_is_stored_and_after_record_runs(self) -> None:
        hook = WatchfulHook()
        hooks.register(hook)
        flagged = record(self.alice, DocumentInputFactory(surname="FLAGGED"))
        clear = record(self.alice, DocumentInputFactory(surname="PLAIN"))
        assert flagged.crossing.screening_outcome == "hit"
        assert clear.crossing.screening_outcome == "clear"
        assert hook.recorded == [str(flagged.crossing.pk), str(clear.crossing.pk)]

    def test_without_hooks_nothing_is_screened(self) -> None:
        assert record(self.alice, DocumentInputFactory()).crossing.screening_outcome == "not_screened"

    def test_a_refusing_hook_leaves_nothing_written(self) -> None:
        hooks.register(WatchfulHook())
        before = row_counts(audit=False)
        with pytest.raises(ApplicationError, match="blocked"):
            record(self.alice, DocumentInputFactory(surname="BLOCKED"))
        assert row_counts(audit=False) == before

    def test_the_desk_shows_notices(self) -> None:
        hooks.register(WatchfulHook())
        self.client.force_login(self.alice)
        html = self.client.post(
            "/desk/scan/", {"mrz": mrz_for(DocumentInputFactory(surname="FLAGGED"))}
        ).content
        assert b'data-level="protect"' in html and b"Protective alert" in html

    def test_the_same_hook_class_registers_once(self) -> None:
        hooks.register(WatchfulHook())
        hooks.register(WatchfulHook())
        assert len(hooks.registered()) == 1
