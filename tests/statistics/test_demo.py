"""The statistics part of `corredor demo`: the context datasets from the shared folder, imported once however
often the demo runs, and an extract that holds the demo year."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from corredor.statistics import demo
from corredor.statistics.models import MigrantStock, MissingMigrantIncident, RefugeeFigure
from tests.statistics import StatisticsTestCase, shared_data

DATA = shared_data()


class StatisticsDemoTests(StatisticsTestCase):
    TRAVELLERS = 60

    @pytest.mark.skipif(not DATA.is_dir(), reason=f"the public datasets folder {DATA} is absent")
    def test_seed_imports_the_context_once_and_extracts_the_year(self) -> None:
        with self.settings_env(DATA):
            summary = demo.seed()
            counts = (MigrantStock.objects.count(), RefugeeFigure.objects.count())
            incidents = MissingMigrantIncident.objects.count()
            demo.seed()
        assert summary.startswith("Statistics: ")
        assert "undesa-stock" in summary and "missing-migrants" in summary
        assert counts[0] > 1000 and counts[1] > 1000 and incidents > 100
        assert (MigrantStock.objects.count(), RefugeeFigure.objects.count()) == counts
        assert MissingMigrantIncident.objects.count() == incidents
        # Mexico-born residents of the United States in 2019, the shared folder's check value.
        assert MigrantStock.objects.get(origin="MEX", destination="USA", year=2019).value == 11_489_684
        assert "the extract holds" in summary and " 0 crossings" not in summary

    def test_seed_without_the_folder_says_so_and_still_extracts(self) -> None:
        missing = self.stats_dir / "no-such-folder"
        with self.settings_env(missing):
            summary = demo.seed()
        assert f"{missing} is absent" in summary
        assert MigrantStock.objects.count() == 0

    def test_a_file_missing_from_the_folder_is_skipped_by_name(self) -> None:
        if not DATA.is_dir():
            pytest.skip(f"the public datasets folder {DATA} is absent")
        partial = self.stats_dir / "partial"
        partial.mkdir()
        shutil.copy(DATA / demo.CONTEXT_FILES[1][1], partial)
        lines = demo.context_import(partial)
        assert any("not found, skipped" in line for line in lines)
        assert RefugeeFigure.objects.exists() and not MigrantStock.objects.exists()

    def settings_env(self, folder: Path) -> Any:
        return override_settings(CORREDOR_SHARED_DATA=str(folder))
