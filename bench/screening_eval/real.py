"""Screening measured on real published names: ``python -m bench.screening_eval.real``.

The data is the shared development half in ``../shared/data/screening/`` (see its README):

* ``un_list_variants_dev.csv`` — 312 persons of the UN Security Council list as listed, each
  beside an altered spelling of the same person. The listed persons, **screened as written**
  (full name, birth date, nationality as the list gives them), form one watchlist; every
  altered spelling is screened against it. Recall: the altered spelling's own entry is a hit
  at or above the threshold. Shown: it is a hit or a "possible match" (the review tier).
* ``clean_travellers_dev.csv`` — 50,000 synthetic persons who are on no list, screened against
  the same 312-person watchlist: a false alert is any hit at or above the threshold.
* ``name_pairs_dev.csv`` — labelled name pairs; the Person pairs are scored name against name
  (:func:`corredor.matching.score.score_entry`, weights from the shipped population frequency
  table) and a pair is predicted "the same person" at or above the threshold: precision,
  recall and F1.

Query values are read the way ``corredor screen`` reads them: a malformed birth date is read
leniently or ignored, an unknown nationality ignored, the name still screened.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corredor.matching.attributes import read_birth_date, read_nationality, read_sex
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.index import ScreeningIndex
from corredor.matching.records import Name, Traveller, WatchlistEntry
from corredor.matching.score import DEFAULT_THRESHOLD, score_entry

__all__ = ["DATA", "RealReport", "evaluate_real"]

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "screening"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _person(row: dict[str, str], prefix: str) -> tuple[Name, Any, Any, Any]:
    first = " ".join(p for p in (row[f"{prefix}first_name"], row[f"{prefix}middle_name"]) if p)
    last = row[f"{prefix}last_name"]
    name = Name(row[f"{prefix}full_name"], last, first) if last else Name(row[f"{prefix}full_name"])
    birth = read_birth_date(row[f"{prefix}date_of_birth"]).value
    nationality = read_nationality(row[f"{prefix}nationality"]).value
    sex = read_sex(row[f"{prefix}gender"]).value
    return name, birth, nationality, sex


@dataclass
class RealReport:
    """The figures on the shared real data."""

    threshold: float
    un_persons: int = 0
    un_recall: float = 0.0
    un_shown: float = 0.0
    clean_travellers: int = 0
    clean_false_alert_rate: float = 0.0
    clean_possible_rate: float = 0.0
    pairs: int = 0
    pair_precision: float = 0.0
    pair_recall: float = 0.0
    pair_f1: float = 0.0
    seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)
    pair_errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """The numbers only, rounded, for JSON."""
        return {
            "un_persons": self.un_persons,
            "un_recall": round(self.un_recall, 4),
            "un_shown": round(self.un_shown, 4),
            "clean_travellers": self.clean_travellers,
            "clean_false_alert_rate": round(self.clean_false_alert_rate, 5),
            "clean_possible_rate": round(self.clean_possible_rate, 5),
            "person_pairs": self.pairs,
            "pair_precision": round(self.pair_precision, 4),
            "pair_recall": round(self.pair_recall, 4),
            "pair_f1": round(self.pair_f1, 4),
            "threshold": self.threshold,
        }


def evaluate_real(
    threshold: float = DEFAULT_THRESHOLD, clean_limit: int | None = None, population: bool = True
) -> RealReport:
    """Measure on the shared real data (see the module doc); ``clean_limit``: fewer clean travellers."""
    started = time.perf_counter()
    report = RealReport(threshold)
    rows = _rows("un_list_variants_dev.csv")
    entries: list[WatchlistEntry] = []
    queries: list[Traveller] = []
    for number, row in enumerate(rows):
        name, birth, nationality, sex = _person(row, "listed_")
        entries.append(WatchlistEntry(f"UN{number:04d}", (name,), birth, nationality, sex))
        name, birth, nationality, sex = _person(row, "query_")
        queries.append(Traveller(name, birth, nationality, sex))
    # As ``corredor screen`` does: commonness from the shipped crossing-population table.
    index = ScreeningIndex.build(entries, population=NameFrequencies.shipped() if population else None)
    found = shown = 0
    for entry, query in zip(entries, queries, strict=True):
        result = index.screen(query, threshold=threshold)
        if any(hit.entry_id == entry.entry_id for hit in result.persons):
            found += 1
            shown += 1
        elif any(hit.entry_id == entry.entry_id for hit in result.possible):
            shown += 1
            report.missed.append(f"(possible) {entry.names[0]} ~ {query.name}")
        else:
            best = score_entry(query, entry, index.token_info)
            report.missed.append(
                f"{entry.names[0]} {entry.birth_date} ~ {query.name} {query.birth_date}: "
                f"{best.score if best else None}"
            )
    report.un_persons = len(entries)
    report.un_recall = found / len(entries)
    report.un_shown = shown / len(entries)

    clean_rows = _rows("clean_travellers_dev.csv")[:clean_limit]
    alerts = possible = 0
    for row in clean_rows:
        name, birth, nationality, sex = _person(row, "")
        result = index.screen(Traveller(name, birth, nationality, sex), threshold=threshold)
        if result.persons:
            alerts += 1
            report.false_alerts.append(f"{name} -> {result.persons[0].entry_id} {result.persons[0].score}")
        elif result.possible:
            possible += 1
    report.clean_travellers = len(clean_rows)
    report.clean_false_alert_rate = alerts / len(clean_rows)
    report.clean_possible_rate = possible / len(clean_rows)

    tp = fp = fn = 0
    for row in _rows("name_pairs_dev.csv"):
        if row["schema"] != "Person":
            continue
        label = row["is_match"] == "true"
        hit = score_entry(Traveller(Name(row["name1"])), WatchlistEntry("P", (Name(row["name2"]),)))
        predicted = hit is not None and hit.score >= threshold
        tp += predicted and label
        fp += predicted and not label
        fn += label and not predicted
        if predicted != label:
            score = hit.score if hit else None
            kind = "FP" if predicted else "FN"
            report.pair_errors.append(f"{kind} {row['name1']} | {row['name2']} {score}")
        report.pairs += 1
    report.pair_precision = tp / (tp + fp) if tp + fp else 0.0
    report.pair_recall = tp / (tp + fn) if tp + fn else 0.0
    total = report.pair_precision + report.pair_recall
    report.pair_f1 = 2 * report.pair_precision * report.pair_recall / total if total else 0.0
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    """Print the figures (and, with ``--errors``, every miss and false alert)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--clean", type=int, default=None, help="screen only this many clean travellers")
    parser.add_argument("--errors", action="store_true", help="list misses, false alerts and pair errors")
    parser.add_argument("--list-only", action="store_true", help="commonness from the list alone")
    args = parser.parse_args(argv)
    report = evaluate_real(args.threshold, args.clean, population=not args.list_only)
    if args.errors:
        for line in [*report.missed, *report.false_alerts, *report.pair_errors]:
            print(line)
    for key, value in report.figures().items():
        print(f"{key:<24} {value}")
    print(f"{'seconds':<24} {report.seconds:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
