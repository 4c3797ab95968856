"""The land outlines the Missing Migrants map is drawn over (Natural Earth via world-atlas, shipped in
data/americas-50m.json: see its `source`)."""

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
