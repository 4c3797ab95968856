"""The demo's statistics: the international context datasets and a fresh extract.

`seed` is called by `corredor demo` after the other apps' seeders. It imports the public datasets that
put the country's figures in context (UN DESA migrant stock, UNHCR bilateral figures, IOM Missing
Migrants incidents) from the shared data folder when it is there, through the real importer, then
builds the Parquet extract so that the dashboards and the bulletin show the demo year at once.

The folder is CORREDOR_SHARED_DATA, else `../shared/data` beside the repository. A clone without it
gets the dashboards without the context pages' figures, and a line saying so.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from corredor.core.errors import ApplicationError
from corredor.statistics import services
from corredor.statistics.models import Dataset

# The shared folder's files, by the dataset each one is.
CONTEXT_FILES = [
    (Dataset.UNDESA_STOCK, "undesa_migrant_stock_2019_od_wide_region_excerpt.csv"),
    (Dataset.UNHCR_BILATERAL, "unhcr_refugees_asylum_bilateral_1995_2015.csv"),
    (Dataset.MISSING_MIGRANTS, "iom_missing_migrants_2014_2021.json"),
]


def shared_data_dir() -> Path:
    return Path(settings.CORREDOR_SHARED_DATA)


def context_import(folder: Path) -> list[str]:
    """Import every context file found in `folder`; answers one line per dataset. Importing the same file
    twice changes nothing, so this is safe to repeat."""
    lines = []
    for dataset, name in CONTEXT_FILES:
        path = folder / name
        if not path.is_file():
            lines.append(f"{dataset}: {path} not found, skipped")
            continue
        try:
            result = services.dataset_import(dataset=dataset, data=path.read_bytes(), file_name=name)
        except ApplicationError as error:
            lines.append(f"{dataset}: {name} not imported: {error.message}")
            continue
        lines.append(result.summary())
    return lines


def seed() -> str:
    folder = shared_data_dir()
    if folder.is_dir():
        lines = context_import(folder)
    else:
        lines = [f"none, {folder} is absent (set CORREDOR_SHARED_DATA to the folder holding them)"]
    refresh = services.extract_refresh(full=True)
    summary = "; ".join(lines)
    return f"Statistics: context datasets: {summary}.\nStatistics extract: {refresh.summary()}."
