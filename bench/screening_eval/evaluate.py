"""Measure recall and false alerts on the labelled set: ``python -m bench.screening_eval.evaluate``.

All listed entries of the set form one watchlist; every traveller of the set is screened
against it. A true variant counts as found when its entry is among the hits at or above
the threshold; a traveller who is not on the list counts as a false alert when there is
any hit at all. Clean travellers (drawn from the same population) give the false-alert
rate; hard negatives (namesakes, relatives) are reported apart.

:func:`evaluate_bruteforce` gives the same figures for plain rapidfuzz (token-sort ratio
over every listed name, no index, no birth date), as a baseline.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.screening_eval.generate import DEFAULT_PATH, read
from corredor.matching.attributes import parse_nationality, parse_sex
from corredor.matching.index import ScreeningIndex
from corredor.matching.normalise import fold
from corredor.matching.records import EntryId, Name, PartialDate, Traveller, WatchlistEntry
from corredor.matching.score import DEFAULT_THRESHOLD
from corredor.matching.watchlist_csv import entry_from_row

__all__ = ["EvalCase", "EvalReport", "evaluate", "evaluate_bruteforce", "load"]


@dataclass(frozen=True, slots=True)
class EvalCase:
    """One traveller of the set: kind, label (1 = the listed entry ``entry_id``), and the traveller."""

    pair_id: str
    kind: str
    label: int
    entry_id: str
    traveller: Traveller


@dataclass
class EvalReport:
    """Recall on true variants, false alerts on clean travellers, alerts on hard negatives, per kind."""

    threshold: float
    recall: float
    false_alert_rate: float
    hard_negative_alert_rate: float
    positives: int
    clean: int
    hard_negatives: int
    per_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (count, found or alerted)
    missed: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def table(self) -> str:
        """A plain-text table of the per-kind figures."""
        lines = [f"{'kind':<22}{'pairs':>7}{'rate':>8}"]
        for kind, (count, good) in sorted(self.per_kind.items()):
            lines.append(f"{kind:<22}{count:>7}{good / count if count else 0:>8.3f}")
        lines.append(
            f"recall {self.recall:.4f} ({self.positives} true variants), "
            f"false alerts {self.false_alert_rate:.4f} "
            f"({self.clean} clean travellers), hard negatives alerted {self.hard_negative_alert_rate:.4f} "
            f"({self.hard_negatives}) at threshold {self.threshold}"
        )
        return "\n".join(lines)


def _traveller(row: dict[str, str]) -> Traveller:
    birth = row["query_birth_date"]
    return Traveller(
        Name(row["query_full_name"], row["query_surname"], row["query_given_names"]),
        PartialDate.parse(birth) if birth else None,
        parse_nationality(row["query_nationality"]),
        parse_sex(row["query_sex"]),
    )


def load(path: Path = DEFAULT_PATH) -> tuple[list[WatchlistEntry], list[EvalCase]]:
    """The set's watchlist (each listed entry once) and its travellers."""
    entries: dict[str, WatchlistEntry] = {}
    cases: list[EvalCase] = []
    for row in read(path):
        entry_id = row["entry_id"]
        if entry_id and entry_id not in entries:
            fields = {
                key.removeprefix("entry_"): value for key, value in row.items() if key.startswith("entry_")
            }
            fields["entry_id"] = entry_id
            entry, errors = entry_from_row(fields)
            if entry is None:
                raise ValueError(f"pair {row['pair_id']}: {'; '.join(map(str, errors))}")
            entries[entry_id] = entry
        cases.append(EvalCase(row["pair_id"], row["kind"], int(row["label"]), entry_id, _traveller(row)))
    return list(entries.values()), cases


Screen = Callable[[Traveller], Sequence[EntryId]]


def _report(cases: Sequence[EvalCase], screen: Screen, threshold: float) -> EvalReport:
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found = positives = clean = clean_alerts = hard = hard_alerts = 0
    missed: list[str] = []
    false_alerts: list[str] = []
    started = time.perf_counter()
    for case in cases:
        hits = screen(case.traveller)
        counts = per_kind[case.kind]
        counts[0] += 1
        if case.label == 1:
            positives += 1
            if case.entry_id in hits:
                found += 1
                counts[1] += 1
            else:
                missed.append(case.pair_id)
        elif case.kind == "clean":
            clean += 1
            if hits:
                clean_alerts += 1
                counts[1] += 1
                false_alerts.append(case.pair_id)
        else:
            hard += 1
            if hits:
                hard_alerts += 1
                counts[1] += 1
    return EvalReport(
        threshold=threshold,
        recall=found / positives if positives else 0.0,
        false_alert_rate=clean_alerts / clean if clean else 0.0,
        hard_negative_alert_rate=hard_alerts / hard if hard else 0.0,
        positives=positives,
        clean=clean,
        hard_negatives=hard,
        per_kind={kind: (c[0], c[1]) for kind, c in per_kind.items()},
        missed=missed,
        false_alerts=false_alerts,
        seconds=time.perf_counter() - started,
    )


def evaluate(path: Path = DEFAULT_PATH, threshold: float = DEFAULT_THRESHOLD) -> EvalReport:
    """Screen every traveller of the set with :class:`ScreeningIndex` at ``threshold``."""
    entries, cases = load(path)
    index = ScreeningIndex.build(entries)
    return _report(
        cases, lambda t: [hit.entry_id for hit in index.screen_persons(t, threshold=threshold)], threshold
    )


def evaluate_bruteforce(path: Path = DEFAULT_PATH, cutoff: float = 85.0) -> EvalReport:
    """The same figures for rapidfuzz alone: token-sort ratio of folded full names, ``cutoff`` in 0-100."""
    from rapidfuzz import fuzz, process

    entries, cases = load(path)
    names: list[str] = []
    owners: list[EntryId] = []
    for entry in entries:
        for name in entry.names:
            names.append(fold(f"{name.surname} {name.given_names} {name.full_name}"))
            owners.append(entry.entry_id)

    def screen(traveller: Traveller) -> list[EntryId]:
        query = fold(f"{traveller.name.surname} {traveller.name.given_names} {traveller.name.full_name}")
        found = process.extract(query, names, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=None)
        return list(dict.fromkeys(owners[index] for _, _, index in found))

    return _report(cases, screen, cutoff / 100)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the per-kind table (and the rapidfuzz baseline with ``--baseline``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--baseline", action="store_true", help="also rapidfuzz token-sort ratio >= 85")
    parser.add_argument("--show", type=int, default=0, help="list this many misses and false alerts")
    args = parser.parse_args(argv)
    report = evaluate(args.path, args.threshold)
    print(report.table())
    if args.show:
        print("missed:", " ".join(report.missed[: args.show]))
        print("false alerts:", " ".join(report.false_alerts[: args.show]))
    if args.baseline:
        print("\nrapidfuzz token_sort_ratio >= 85, names only:")
        print(evaluate_bruteforce(args.path).table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
