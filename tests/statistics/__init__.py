"""Tests of the statistics app. `StatisticsTestCase` loads a small demo year once per class, extracts it
into a temporary statistics directory and makes the personas."""

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import override_settings
from django.utils import timezone

from corredor.border.demo import demo_load
from corredor.statistics import engine as engine_module
from corredor.statistics.demo import shared_data_dir
from corredor.statistics.extract import extract_refresh
from tests.personas import PersonaTestCase


def shared_data() -> Path:
    """The real public datasets: CORREDOR_SHARED_DATA, else ../shared/data beside the repository."""
    return shared_data_dir()


class StatisticsTestCase(PersonaTestCase):
    """The personas, a demo year of `TRAVELLERS` travellers ending yesterday, and its extract."""

    TRAVELLERS = 400
    stats_dir: Path

    @classmethod
    def setUpClass(cls) -> None:
        cls.stats_dir = Path(tempfile.mkdtemp(prefix="corredor-stats-test-"))
        cls._settings = override_settings(CORREDOR_STATS_DIR=str(cls.stats_dir))
        cls._settings.enable()
        engine_module.cache_clear()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._settings.disable()
        shutil.rmtree(cls.stats_dir, ignore_errors=True)
        engine_module.cache_clear()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year_end = timezone.localdate() - timedelta(days=1)
        # The border's demo generator itself (the `demo` command also seeds the other apps' demos).
        demo_load(travellers=cls.TRAVELLERS, seed=1, year_end=cls.year_end)
        cls.refresh = extract_refresh(full=True)
