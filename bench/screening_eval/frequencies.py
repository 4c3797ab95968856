"""Build the shipped name-frequency table: ``python -m bench.screening_eval.frequencies [--check]``.

200,000 synthetic travellers drawn from the project's own name tables (``names.py``, with the
population mix of ``synthetic.ORIGINS``: a Mexican or Central American border), as documents
write them (Latin letters, ICAO transliteration), counted part by part; parts seen fewer than
``MIN_COUNT`` times are left out. Same seed, same file. ``--check`` exits 1 when the shipped
file differs from what the generator makes now.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.screening_eval.synthetic import random_person
from bench.screening_eval.variants import person_latin
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.records import Name

SHIPPED = (
    Path(__file__).resolve().parents[2] / "src" / "corredor" / "matching" / "data" / "name_frequencies.tsv"
)
PEOPLE = 200_000
SEED = 20261204


def _names(count: int, seed: int) -> Iterator[Name]:
    rng = random.Random(seed)
    for _ in range(count):
        surnames, given = person_latin(random_person(rng))
        yield Name(surname=" ".join(surnames), given_names=" ".join(given))


def build(count: int = PEOPLE, seed: int = SEED) -> NameFrequencies:
    """The table (see the module doc)."""
    return NameFrequencies.from_names(_names(count, seed))


def main(argv: list[str] | None = None) -> int:
    """Write the shipped table, or with ``--check`` compare it."""
    parser = argparse.ArgumentParser(description="Build the shipped name-frequency table")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead")
    args = parser.parse_args(argv)
    text = build().to_tsv()
    if args.check:
        same = SHIPPED.exists() and SHIPPED.read_text(encoding="utf-8") == text
        print("the shipped table is up to date" if same else "the shipped table differs: rebuild it")
        return 0 if same else 1
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    SHIPPED.write_text(text, encoding="utf-8")
    print(f"{SHIPPED}: {len(text.splitlines()) - 1} parts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
