"""Generate the labelled evaluation set: ``python -m bench.screening_eval.generate [--out FILE]``.

A watchlist of synthetic persons (:mod:`bench.screening_eval.synthetic`) is written
the ways lists write names; each listed person gets one to three travellers who *are*
that person under a variant of the name (:mod:`bench.screening_eval.variants`), with
birth-date noise on some; and travellers who are *not* on the list are added: clean
travellers drawn from the same population, and hard negatives (a namesake with another
birth date, a relative with the same surnames, a person sharing one surname and the given
names). The same seed gives the same file. ``docs/screening-evaluation.md`` explains the
set and how it was checked; :data:`LABEL_FIXES` holds the corrections made by hand.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bench.screening_eval.synthetic import NamePart, SyntheticPerson, random_person
from bench.screening_eval.variants import KINDS, cyrillic_latin, person_latin
from corredor.matching.normalise import fold
from corredor.matching.records import PartialDate

__all__ = [
    "COLUMNS",
    "DEFAULT_PATH",
    "KIND_TARGETS",
    "LABEL_FIXES",
    "EvalPair",
    "generate",
    "main",
    "read",
    "write",
]

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "tests" / "matching" / "data" / "screening_eval.csv"

COLUMNS = [
    "pair_id", "kind", "label", "entry_id", "entry_full_name", "entry_surname", "entry_given_names",
    "entry_aliases", "entry_birth_date", "entry_nationality", "entry_sex", "query_full_name",
    "query_surname", "query_given_names", "query_birth_date", "query_nationality", "query_sex", "note",
]  # fmt: skip

#: Pairs whose generated label or kind was wrong, found by reading the set (pair id -> (label, note)).
#: A label of -1 drops the pair. See docs/screening-evaluation.md.
LABEL_FIXES: dict[str, tuple[int, str]] = {
    # Read by hand: labels are right by construction, but these two variants are not ones a
    # traveller would carry, so they are left out.
    "P00694": (-1, "MEHMET (Turkish) for the Sudanese father's name MOHAMMED: implausible"),
    "P03081": (-1, "JUAN D DIOS: the initial of a particle, not of a name"),
}


@dataclass
class EvalPair:
    """One labelled pair: a listed entry (empty for clean travellers) and a traveller."""

    pair_id: str
    kind: str
    label: int
    entry: dict[str, str]
    query: dict[str, str]
    note: str = ""

    def row(self) -> dict[str, str]:
        """The CSV row."""
        out = {"pair_id": self.pair_id, "kind": self.kind, "label": str(self.label), "note": self.note}
        out.update({f"entry_{k}": v for k, v in self.entry.items()})
        out.update({f"query_{k}": v for k, v in self.query.items()})
        return out


def _entry_fields(person: SyntheticPerson, entry_id: str, rng: random.Random) -> dict[str, str]:
    """How the list writes the person: fields or a full name, native script sometimes, partial dates."""
    surnames, given = person_latin(person)
    if person.origin == "slavic" and rng.random() < 0.3:
        surnames = [p.text for p in person.surnames]
        given = [p.text for p in person.given]
    if (
        person.origin == "chinese"
        and rng.random() < 0.2
        and person.surnames[0].native
        and person.given[0].native
    ):
        surnames, given = [person.surnames[0].native], [person.given[0].native]
    style = rng.random()
    fields = {"id": entry_id, "full_name": "", "surname": "", "given_names": ""}
    if style < 0.45:
        fields["surname"], fields["given_names"] = " ".join(surnames), " ".join(given)
    elif style < 0.75:
        fields["full_name"] = " ".join(given + surnames)
    elif style < 0.9:
        fields["full_name"] = f"{' '.join(surnames).upper()}, {' '.join(given)}"
    else:
        fields["surname"], fields["given_names"] = fold(" ".join(surnames)), fold(" ".join(given))
    birth = person.birth_date
    precision = rng.random()
    if precision < 0.72:
        birth_text = str(birth)
    elif precision < 0.82:
        birth_text = str(birth.year)
    elif precision < 0.87:
        birth_text = f"{birth.year}-{birth.month:02d}"
    else:
        birth_text = ""
    fields["birth_date"] = birth_text
    fields["nationality"] = person.nationality if rng.random() < 0.9 else ""
    fields["sex"] = person.sex if rng.random() < 0.95 else ""
    fields["aliases"] = person.extra.get("alias", "")
    return fields


def _traveller_birth(person: SyntheticPerson, rng: random.Random) -> tuple[str, str]:
    """The traveller's (full) birth date, with the noise of real records on some."""
    birth = person.birth_date
    roll = rng.random()
    assert birth.month is not None and birth.day is not None
    if roll < 0.06 and birth.day <= 12 and birth.day != birth.month:
        return str(PartialDate(birth.year, birth.day, birth.month)), "birth day and month swapped"
    if roll < 0.09:
        return str(
            PartialDate(birth.year + rng.choice((-1, 1)), birth.month, birth.day)
        ), "birth year one off"
    return str(birth), ""


def _query(
    name: tuple[str, str, str], birth: str, person: SyntheticPerson, rng: random.Random
) -> dict[str, str]:
    surname, given, full = name
    nationality = person.nationality if rng.random() < 0.92 else rng.choice(("USA", "ESP", "CAN", "MEX"))
    return {
        "full_name": full, "surname": surname, "given_names": given, "birth_date": birth,
        "nationality": nationality, "sex": person.sex,
    }  # fmt: skip


def _with_alias(person: SyntheticPerson, rng: random.Random, force: bool = False) -> SyntheticPerson:
    """Some listed persons have an alias: another surname (a maiden or a false name)."""
    if not force and rng.random() >= 0.12:
        return person
    surnames, given = person_latin(person)
    other_surnames = surnames
    while fold(" ".join(other_surnames)) == fold(" ".join(surnames)):
        other_surnames, _ = person_latin(random_person(rng, person.origin))
    alias = f"{' '.join(other_surnames)}, {' '.join(given)}"
    extra = dict(person.extra)
    extra["alias"] = alias
    return replace(person, extra=extra)


def _different_date(birth: PartialDate, rng: random.Random) -> PartialDate:
    year = birth.year + rng.choice((-1, 1)) * rng.randint(3, 25)
    return PartialDate(max(1930, min(2020, year)), rng.randint(1, 12), rng.randint(1, 28))


#: Positive pairs per kind.
KIND_TARGETS = {
    "plain": 200, "icao_two_letter": 80, "mrz_truncated": 200, "surnames_swapped": 200,
    "name_order_swapped": 200, "surname_omitted": 250, "given_omitted": 150, "particles": 120,
    "nickname": 250, "cross_language": 150, "phonetic_respelling": 300, "typo": 300,
    "creole_spelling": 120, "hyphenation": 120, "romanisation": 260, "alias": 100, "initials": 80,
    "combined": 200,
}  # fmt: skip

_PARTICLE_SURNAMES = [
    "De la Cruz", "Del Valle", "De los Santos", "De la Rosa", "Del Río", "De León", "De la Torre", "De Jesús",
]  # fmt: skip


def _person_for(kind: str, rng: random.Random) -> SyntheticPerson:
    """A person the kind applies to (origin chosen by kind; particles and aliases forced)."""
    if kind in ("creole_spelling",):
        person = random_person(rng, "haitian")
    elif kind == "hyphenation":
        person = random_person(rng, "haitian" if rng.random() < 0.7 else "hispanic")
    elif kind == "icao_two_letter":
        person = random_person(rng, "umlaut")
    elif kind == "romanisation":
        person = random_person(rng, rng.choice(("arabic", "arabic", "slavic", "chinese", "south_asian")))
    elif kind in ("particles", "mrz_truncated", "surnames_swapped", "surname_omitted"):
        person = random_person(rng, "hispanic")
    else:
        person = random_person(rng)
    if kind == "particles":
        surnames = list(person.surnames)
        surnames[rng.randrange(len(surnames))] = NamePart(rng.choice(_PARTICLE_SURNAMES))
        person = replace(person, surnames=tuple(surnames))
    if kind == "alias":
        person = _with_alias(person, rng, force=True)
    return person


def generate(seed: int = 20240603, clean: int = 2000) -> list[EvalPair]:
    """The whole labelled set (deterministic for a seed)."""
    rng = random.Random(seed)
    pairs: list[EvalPair] = []
    kinds = list(KINDS)
    seen_names: set[tuple[str, str]] = set()
    people: list[tuple[SyntheticPerson, dict[str, str]]] = []
    schedule = [kind for kind, count in KIND_TARGETS.items() for _ in range(count)]
    rng.shuffle(schedule)
    for kind in schedule:
        for _ in range(200):
            person = _person_for(kind, rng)
            name = KINDS[kind][0](person, rng)
            if name is not None:
                break
        else:
            continue
        person = _with_alias(person, rng) if kind != "alias" else person
        entry = _entry_fields(person, f"E{len(people):05d}", rng)
        people.append((person, entry))
        surnames, given = person_latin(person)
        seen_names.add((fold(" ".join(surnames)), fold(" ".join(given))))
        birth, note = _traveller_birth(person, rng)
        pairs.append(EvalPair(f"P{len(pairs):05d}", kind, 1, entry, _query(name, birth, person, rng), note))
        if rng.random() < 0.3:
            extra = rng.choice(kinds)
            if extra != kind:
                second_name = KINDS[extra][0](person, rng)
                if second_name is not None:
                    birth, note = _traveller_birth(person, rng)
                    pairs.append(
                        EvalPair(
                            f"P{len(pairs):05d}",
                            extra,
                            1,
                            entry,
                            _query(second_name, birth, person, rng),
                            note,
                        )
                    )
    # Hard negatives: people who share much of a listed name but are someone else.
    for listed, entry in rng.sample(people, k=min(len(people), 600)):
        if not entry["birth_date"] or len(entry["birth_date"]) < 10:
            continue  # without a full listed birth date, a namesake cannot be told apart
        surnames, given = person_latin(listed)
        roll = rng.random()
        other = random_person(rng, listed.origin)
        _, other_given = person_latin(other)
        other_birth = _different_date(listed.birth_date, rng)
        if roll < 0.4:
            kind, fake = "hard_namesake", (fold(" ".join(surnames)), fold(" ".join(given)), "")
        elif roll < 0.75:
            if fold(" ".join(other_given)) == fold(" ".join(given)):
                continue
            kind, fake = "hard_relative", (fold(" ".join(surnames)), fold(" ".join(other_given)), "")
            year = listed.birth_date.year + rng.choice((-1, 1)) * rng.randint(2, 30)
            other_birth = PartialDate(max(1930, min(2020, year)), rng.randint(1, 12), rng.randint(1, 28))
        else:
            other_surnames, _ = person_latin(other)
            if len(surnames) < 2 or fold(other_surnames[0]) == fold(surnames[1]):
                continue
            kind, fake = (
                "hard_one_surname",
                (fold(f"{surnames[0]} {other_surnames[0]}"), fold(" ".join(given)), ""),
            )
        query = _query(fake, str(other_birth), other, rng)
        query["sex"] = other.sex if kind == "hard_relative" else listed.sex
        pairs.append(EvalPair(f"P{len(pairs):05d}", kind, 0, entry, query, "different person"))
    # Clean travellers: the same population, not on the list.
    made = 0
    while made < clean:
        person = random_person(rng)
        surnames, given = person_latin(person)
        key = (fold(" ".join(surnames)), fold(" ".join(given)))
        if key in seen_names:
            continue  # the same name as a listed person is a namesake, not a clean traveller
        name = (key[0], key[1], "")
        if person.origin == "slavic" and rng.random() < 0.3:
            old_passport = [
                " ".join(cyrillic_latin(p.text, "russian_1997") for p in ps)
                for ps in (person.surnames, person.given)
            ]
            name = (old_passport[0].upper(), old_passport[1].upper(), "")
        empty = dict.fromkeys(
            ("id", "full_name", "surname", "given_names", "aliases", "birth_date", "nationality", "sex"), ""
        )
        pairs.append(
            EvalPair(
                f"P{len(pairs):05d}", "clean", 0, empty, _query(name, str(person.birth_date), person, rng)
            )
        )
        made += 1
    return _apply_fixes(pairs)


def _apply_fixes(pairs: list[EvalPair]) -> list[EvalPair]:
    out = []
    for pair in pairs:
        fix = LABEL_FIXES.get(pair.pair_id)
        if fix is not None:
            label, note = fix
            if label < 0:
                continue
            pair.label, pair.note = label, note
        out.append(pair)
    return out


def write(pairs: list[EvalPair], path: Path) -> None:
    """Write the set as CSV (UTF-8, the columns of :data:`COLUMNS`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for pair in pairs:
            row = pair.row()
            row["entry_id"] = row.pop("entry_id", "")
            writer.writerow({column: row.get(column, "") for column in COLUMNS})


def read(path: Path = DEFAULT_PATH) -> Iterator[dict[str, str]]:
    """The rows of a written set."""
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def main(argv: list[str] | None = None) -> int:
    """Command line: write the set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--seed", type=int, default=20240603)
    args = parser.parse_args(argv)
    pairs = generate(args.seed)
    write(pairs, args.out)
    positives = sum(p.label for p in pairs)
    print(
        f"{len(pairs)} pairs ({positives} true variants, {len(pairs) - positives} other people) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
