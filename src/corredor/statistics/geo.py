"""The land outlines the Missing Migrants map is drawn over (Natural Earth via world-atlas, shipped in
data/americas-50m.json: see its `source`), and the place names written on it."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "americas-50m.json"


@cache
def americas() -> list[list[list[tuple[float, float]]]]:
    """Polygons (outer ring first, then holes) of the countries around the corridor, as (lon, lat)."""
    document = json.loads(DATA.read_text())
    return [
        [[tuple(point) for point in ring] for ring in polygon["rings"]] for polygon in document["polygons"]
    ]


def corridor_labels(lang: str) -> list[tuple[float, float, str]]:
    """The place names on the corridor map as (lon, lat, name), in `lang` (the region's name in the active
    language): the same on the context page and in the bulletin."""
    from corredor.statistics.countrynames import country_label
    from corredor.statistics.regions import CARIBBEAN, REGION_LABELS

    return [
        (-104, 25.5, country_label("MEX", lang)),
        (-99, 33.5, country_label("USA", lang)),
        (-72.5, 6, country_label("COL", lang)),
        (-73, 20.8, str(REGION_LABELS[CARIBBEAN])),
    ]
