"""`corredor overstays`: the overstay list on standard output, as JSON or CSV."""

import contextlib
import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corredor.border.exports import OVERSTAY_COLUMNS
from corredor.core.models import AuditEntry
from tests.factories import DocumentInputFactory, record
from tests.personas import PersonaTestCase


def run(*args: str) -> str:
    # The command writes to sys.stdout (so that it can be piped), not to the command's own stdout.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("overstays", *args)
    return out.getvalue()


class OverstaysCommandTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.over = record(cls.alice, DocumentInputFactory(surname="TARDE"), on=date(2024, 1, 1), stay_days=30)
        cls.pbl = record(cls.bob, DocumentInputFactory(surname="FRONTERA"), on=date(2024, 1, 1), stay_days=20)
        left = DocumentInputFactory(surname="SALIO")
        record(cls.alice, left, on=date(2024, 1, 1), stay_days=10)
        record(cls.alice, left, on=date(2024, 1, 5), direction="exit")

    def test_json(self) -> None:
        rows = json.loads(run("--as-of", "2024-02-05", "--format", "json"))
        assert [r["surname"] for r in rows] == ["FRONTERA", "TARDE"]  # longest overstay first
        tarde = rows[1]
        assert set(tarde) == set(OVERSTAY_COLUMNS)
        assert tarde["traveller_id"] == str(self.over.crossing.traveller_id)
        assert (tarde["entered_on"], tarde["authorised_until"], tarde["days_over"]) == (
            "2024-01-01",
            "2024-01-30",
            6,
        )
        assert (tarde["entry_post"], tarde["category"], tarde["nationality"]) == ("SJO", "tourist", "NIC")

    def test_csv_is_the_default(self) -> None:
        rows = list(csv.reader(io.StringIO(run("--as-of", "2024-02-05"))))
        assert rows[0] == OVERSTAY_COLUMNS
        assert [dict(zip(rows[0], r, strict=True))["surname"] for r in rows[1:]] == ["FRONTERA", "TARDE"]
        assert rows[2][OVERSTAY_COLUMNS.index("days_over")] == "6"

    def test_post_filter_and_an_empty_list(self) -> None:
        assert [
            r["surname"]
            for r in json.loads(run("--as-of", "2024-02-05", "--format", "json", "--post", "PBL"))
        ] == ["FRONTERA"]
        assert json.loads(run("--as-of", "2024-01-15", "--format", "json")) == []
        assert run("--as-of", "2024-01-15", "--format", "csv").splitlines() == [",".join(OVERSTAY_COLUMNS)]

    def test_the_run_is_audited(self) -> None:
        run("--as-of", "2024-02-05")
        entry = AuditEntry.objects.filter(object_id="overstays").latest("id")
        assert (entry.username, entry.origin) == ("cli", "command line")
        assert "2024-02-05" in entry.summary

    def test_bad_date_is_refused_with_a_message(self) -> None:
        for bad in ("05/02/2024", "2024-02-30", "yesterday"):
            with pytest.raises(CommandError, match=r"--as-of must be a date YYYY-MM-DD"):
                run("--as-of", bad)

    def test_unknown_format_is_refused(self) -> None:
        with pytest.raises(CommandError):
            run("--as-of", "2024-02-05", "--format", "xml")
