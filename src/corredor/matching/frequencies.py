"""How common name parts are among the people who cross, not only in the list being screened.

A name's commonness decides how much agreeing on it says (``MARIA HERNANDEZ`` matches
someone by chance; ``XOCHITL TZOMPANTZI`` hardly). The screening index can only count its own
list; a short list (312 UN entries) says little about who crosses, and a list that repeats a
name (many ``HANS FRIEDRICH`` on a German list) overstates it for a border where it is rare.
:class:`NameFrequencies` carries the crossing population's counts:

* :meth:`NameFrequencies.from_names` — from traveller records (the Django app passes the
  names of the travellers it has seen);
* :meth:`NameFrequencies.shipped` — the table shipped with the package
  (``data/name_frequencies.tsv``), for the database-free ``corredor screen``: counts over
  200,000 synthetic travellers drawn from the project's own name tables, weighted as at a
  Mexican or Central American border (see ``docs/screening-evaluation.md``; rebuilt with
  ``python -m bench.screening_eval.frequencies``).

Pass one to :meth:`corredor.matching.index.ScreeningIndex.build` (``population=``): a part the
table knows weighs ``log2(people / people with the part)`` bits; a part it does not know keeps
the list's own estimate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from corredor.matching.normalise import normalise_name
from corredor.matching.records import Name

__all__ = ["MIN_COUNT", "NameFrequencies"]

#: Parts seen fewer times than this are left out of a table: their count says nothing reliable.
MIN_COUNT = 3


@dataclass(frozen=True)
class NameFrequencies:
    """How many of ``people`` persons have each normalised name part (``counts``)."""

    people: int
    counts: Mapping[str, int] = field(default_factory=dict)

    def bits(self, part: str) -> float | None:
        """Identifying bits of agreeing on ``part``: ``log2(people / count)``; None when unknown."""
        count = self.counts.get(part)
        if count is None or self.people <= 0:
            return None
        return math.log2(self.people / count)

    @classmethod
    def from_names(cls, names: Iterable[Name], min_count: int = MIN_COUNT) -> NameFrequencies:
        """Count the parts of many persons' names (each part once per person)."""
        counter: Counter[str] = Counter()
        people = 0
        for name in names:
            spellings = normalise_name(name.full_name, name.surname, name.given_names)
            if not spellings:
                continue
            people += 1
            counter.update({part.text for part in spellings[0].parts if len(part.text) > 1})
        return cls(people, {part: n for part, n in counter.items() if n >= min_count})

    def to_tsv(self) -> str:
        """The table as text: a ``people`` line, then ``PART<TAB>count`` lines, most common first."""
        lines = [f"people\t{self.people}"]
        lines += [
            f"{part}\t{count}" for part, count in sorted(self.counts.items(), key=lambda i: (-i[1], i[0]))
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_tsv(cls, text: str) -> NameFrequencies:
        """Read :meth:`to_tsv`'s text; ValueError with the line when it is malformed."""
        people = 0
        counts: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            key, _, value = line.partition("\t")
            if not value.isdigit():
                raise ValueError(f"line {number}: expected PART<TAB>count, got {line!r}")
            if key == "people":
                people = int(value)
            else:
                counts[key] = int(value)
        if people <= 0:
            raise ValueError("no 'people' line: how many persons were counted is unknown")
        return cls(people, counts)

    @staticmethod
    @cache
    def shipped() -> NameFrequencies:
        """The table shipped with the package (see the module doc)."""
        text = resources.files("corredor.matching").joinpath("data/name_frequencies.tsv").read_text("utf-8")
        return NameFrequencies.from_tsv(text)
