"""The demo's watchlists: a national list and an INTERPOL-like one, with alerts some demo travellers match.

`seed` is called by `corredor demo` after the travellers are loaded. It writes through the real importer
(`watchlist_import`, audited), and checks every alert it means to match against the matching core
before writing it, so that the demo shows what it promises whatever the seed:

- a wanted person whose alert spells the name differently (the scripted traveller "watchlist_hit"),
- a traveller refused entry, listed under a spelling variant and a year-only birth date,
- a missing child (a protective alert) and a notify-on-arrival alert,
- a stolen passport that is a demo traveller's document,
- random alerts and stolen documents that match nobody in the demo (checked), and none of the other
  scripted travellers.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from corredor.matching.index import ScreeningIndex
from corredor.matching.records import Name, PartialDate, Traveller, WatchlistEntry
from corredor.matching.score import DEFAULT_THRESHOLD

NATIONAL = "dgme-nacional"
INTERPOL = "interpol-demo"


class ScriptedHit(TypedDict):
    key: str
    nationality: str
    surname: str
    given_names: str
    sex: str
    birth_date: date
    number: str
    expiry_date: date


#: The scripted traveller who hits at the desk (added to border.demo.SCRIPTED as "watchlist_hit").
SCRIPTED_HIT: ScriptedHit = {
    "key": "watchlist_hit",
    "nationality": "VEN",
    "surname": "Rondón Carrasquero",
    "given_names": "Yorman José",
    "sex": "M",
    "birth_date": date(1988, 7, 9),
    "number": "134592817",
    "expiry_date": date(2031, 3, 4),
}
# How the INTERPOL-like list spells him: one R fewer, the second given name missing, born in July 1988.
_SCRIPTED_HIT_ALERT = {
    "entry_id": "RN-2019-48213",
    "surname": "Rondon Carasquero",
    "given_names": "Yorman",
    "aliases": "El Flaco Rondón",
    "birth_date": "1988-07",
    "nationality": "VEN",
    "sex": "M",
    "category": "wanted",
    "action": "",
    "note": ("Notificación roja: tráfico de migrantes. Confirmar identidad con la OCN antes de detener."),
}


@dataclass
class _DemoTraveller:
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    documents: list[tuple[str, str]] = field(default_factory=list)  # (issuing state, number)

    def as_query(self) -> Traveller:
        return Traveller(
            Name(surname=self.surname, given_names=self.given_names),
            PartialDate.from_date(self.birth_date) if self.birth_date else None,
            self.nationality or None,
            self.sex if self.sex in ("M", "F") else None,  # type: ignore[arg-type]
        )


def _demo_travellers(travellers: Sequence[Any]) -> list[_DemoTraveller]:
    """Border Traveller rows, border.demo Person objects, or anything with the same attributes."""
    from corredor.border.models import TravelDocument
    from corredor.icao.countries import country_to_alpha3

    out: list[_DemoTraveller] = []
    ids = []
    for item in travellers:
        row = getattr(item, "traveller", item)
        nationality = getattr(row, "nationality_id", None) or getattr(row, "nationality", "") or ""
        listed = getattr(item, "documents", None)
        documents = (
            [(d.issuing_state_id, d.number) for d in listed] if isinstance(listed, list | tuple) else []
        )
        out.append(
            _DemoTraveller(
                surname=row.surname,
                given_names=row.given_names,
                birth_date=row.birth_date,
                sex=row.sex,
                nationality=country_to_alpha3(str(nationality)) or str(nationality),
                documents=documents,
            )
        )
        ids.append(getattr(row, "pk", None) if not documents else None)
    wanted = [i for i in ids if i is not None]
    if wanted:
        by_traveller: dict[Any, list[tuple[str, str]]] = {}
        for traveller_id, state, number in TravelDocument.objects.filter(traveller_id__in=wanted).values_list(
            "traveller_id", "issuing_state_id", "number"
        ):
            by_traveller.setdefault(traveller_id, []).append((state, number))
        for demo, pk in zip(out, ids, strict=True):
            if pk is not None:
                demo.documents = by_traveller.get(pk, [])
    return out


# Spelling changes that keep a name sounding the same in Spanish (and typing slips), tried in order.
_VARIANTS = (
    ("Z", "S"),
    ("V", "B"),
    ("LL", "Y"),
    ("Y", "I"),
    ("S", "Z"),
    ("CE", "SE"),
    ("CI", "SI"),
    ("RR", "R"),
    ("NN", "N"),
    ("H", ""),
)


def _variants(name: str) -> list[str]:
    upper = name.upper()
    found = []
    for old, new in _VARIANTS:
        position = upper.find(old, 1)
        if position > 0:
            found.append(upper[:position] + new + upper[position + len(old) :])
    return found


def _title(text: str) -> str:
    return " ".join(word.capitalize() for word in text.split())


def _matches(entry: WatchlistEntry, traveller: _DemoTraveller) -> bool:
    index = ScreeningIndex.build([entry])
    return bool(index.screen_persons(traveller.as_query(), threshold=DEFAULT_THRESHOLD))


def _entry(row: dict[str, str]) -> WatchlistEntry:
    names = [Name(surname=row.get("surname", ""), given_names=row.get("given_names", ""))]
    if row.get("full_name"):
        names = [Name(full_name=row["full_name"])]
    names += [Name(full_name=a) for a in row.get("aliases", "").split("|") if a]
    birth = row.get("birth_date", "")
    return WatchlistEntry(
        row["entry_id"],
        tuple(names),
        PartialDate.parse(birth) if birth else None,
        row.get("nationality") or None,
        (row.get("sex") or None),  # type: ignore[arg-type]
        row.get("category", ""),
    )


_PERSON_HEADER = [
    "entry_id", "full_name", "surname", "given_names", "aliases", "birth_date", "nationality", "sex",
    "category", "action", "note",
]  # fmt: skip


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return buffer.getvalue().encode()


def _scripted_queries() -> list[tuple[str, _DemoTraveller]]:
    from corredor.border.demo import SCRIPTED

    return [
        (s.key, _DemoTraveller(s.surname.upper(), s.given_names.upper(), s.birth_date, s.sex, s.nationality))
        for s in SCRIPTED
    ]


def _random_people(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Unrelated alerts: names of the region's naming traditions, drawn at random."""
    from corredor.border.demo import NAME_POOLS

    categories = ["wanted"] * 4 + ["refused_entry"] * 5 + ["notify_on_arrival"] * 2 + ["missing_person"]
    nationalities = [
        "NIC",
        "HND",
        "GTM",
        "SLV",
        "COL",
        "VEN",
        "MEX",
        "CUB",
        "HTI",
        "DOM",
        "ECU",
        "CHN",
        "IND",
    ]
    pools = {"HND": "CA", "GTM": "CA", "SLV": "CA", "DOM": "CUB"}
    rows = []
    for number in range(count):
        nationality = rng.choice(nationalities)
        pool = NAME_POOLS[pools.get(nationality, nationality)]
        sex = rng.choice("MF")
        given = rng.choice(pool.male if sex == "M" else pool.female)
        surname = rng.choice(pool.surnames)
        if rng.random() < pool.two_surnames:
            surname = f"{surname} {rng.choice(pool.surnames)}"
        precision = rng.random()
        born = date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        birth = (
            str(born.year)
            if precision < 0.2
            else (born.isoformat()[:7] if precision < 0.35 else born.isoformat())
        )
        rows.append(
            {
                "entry_id": f"N-{2015 + number % 10}-{rng.randint(10000, 99999)}",
                "surname": surname,
                "given_names": given,
                "birth_date": birth,
                "nationality": nationality,
                "sex": sex,
                "category": rng.choice(categories),
            }
        )
    return rows


def seed(*, rng: random.Random, travellers: Sequence[Any]) -> str:
    """Create the demo's two watchlists and their alerts (nothing when they exist); a line saying what.

    `travellers` are the demo's travellers (border Traveller rows, or border.demo Person objects).
    """
    from corredor.screening import services
    from corredor.screening.models import Watchlist

    if Watchlist.objects.filter(code__in=[NATIONAL, INTERPOL]).exists():
        return "Screening: the demo watchlists are already there."
    people = sorted(_demo_travellers(travellers), key=lambda t: (t.surname, t.given_names, str(t.birth_date)))
    national = services.watchlist_create(
        user=None,
        code=NATIONAL,
        name="Lista nacional de alertas",
        owner="Dirección General de Migración y Extranjería",
        source="national",
    )
    interpol = services.watchlist_create(
        user=None,
        code=INTERPOL,
        name="INTERPOL (demo): notificaciones y SLTD",
        owner="OCN INTERPOL",
        source="interpol",
    )
    national_rows: list[dict[str, str]] = []
    interpol_rows: list[dict[str, str]] = [dict(_SCRIPTED_HIT_ALERT)]
    matched: list[_DemoTraveller] = []
    adults = [p for p in people if p.birth_date and p.birth_date.year <= date.today().year - 25]
    minors = [p for p in people if p.birth_date and p.birth_date.year >= date.today().year - 14]
    rng.shuffle(adults)
    rng.shuffle(minors)

    def take(pool: list[_DemoTraveller]) -> _DemoTraveller | None:
        while pool:
            person = pool.pop()
            if person not in matched:
                return person
        return None

    # A traveller refused entry, listed under a spelling variant of the surname, the birth year only.
    person = take(adults)
    if person is not None:
        row = {
            "entry_id": f"DGME-IMP-{rng.randint(1000, 9999)}",
            "surname": _title(person.surname),
            "given_names": _title(person.given_names),
            "birth_date": str(person.birth_date.year) if person.birth_date else "",
            "nationality": person.nationality,
            "sex": person.sex,
            "category": "refused_entry",
            "note": "Impedimento de ingreso por 10 años (resolución 2023-0417): expulsado por fraude.",
        }
        for variant in _variants(person.surname):
            candidate = {**row, "surname": _title(variant)}
            if _matches(_entry(candidate), person):
                row = candidate
                break
        national_rows.append(row)
        matched.append(person)
    # A missing child: a protective alert, exact details (the family's report).
    child = take(minors)
    if child is not None:
        national_rows.append(
            {
                "entry_id": f"PANI-{rng.randint(1000, 9999)}",
                "full_name": _title(f"{child.given_names} {child.surname}"),
                "birth_date": child.birth_date.isoformat() if child.birth_date else "",
                "nationality": child.nationality,
                "sex": child.sex,
                "category": "missing_child",
                "note": "Denuncia de la madre: sustracción por un familiar; puede viajar con un adulto que no es su padre ni su madre.",  # noqa: E501
            }
        )
        matched.append(child)
    # Notify on arrival: given names and surnames in the other order, as a partner's list writes them.
    person = take(adults)
    if person is not None:
        national_rows.append(
            {
                "entry_id": f"NOT-{rng.randint(100, 999)}",
                "full_name": _title(f"{person.given_names} {person.surname}"),
                "birth_date": person.birth_date.isoformat() if person.birth_date else "",
                "nationality": person.nationality,
                "category": "notify_on_arrival",
                "action": "Decidir como de costumbre y avisar a la Policía de Migración (ext. 4410).",
            }
        )
        matched.append(person)
    # Random alerts: kept only when they match no demo traveller and no scripted one (but the hit).
    queries = [t for t in people if t not in matched] + [
        t for key, t in _scripted_queries() if key != "watchlist_hit"
    ]
    candidates = _random_people(rng, 60)
    index = ScreeningIndex.build([_entry({**row, "entry_id": str(i)}) for i, row in enumerate(candidates)])
    hitting: set[int] = set()
    for query in queries:
        for hit in index.screen_persons(query.as_query(), threshold=DEFAULT_THRESHOLD * 0.9):
            hitting.add(int(hit.entry_id))
    unrelated = [row for i, row in enumerate(candidates) if i not in hitting]
    national_rows += unrelated[: len(unrelated) // 2]
    interpol_rows += unrelated[len(unrelated) // 2 :]
    # Stolen and lost documents: one is a demo traveller's passport.
    documents = []
    # The stolen document is a passport (two MRZ lines, as the summary's label says), whatever the draw.
    from corredor.border.models import TravelDocument

    passports = set(
        TravelDocument.objects.filter(document_code__startswith="P").values_list("issuing_state_id", "number")
    )
    with_documents = [p for p in people if p.documents and p not in matched and p.documents[0] in passports]
    if with_documents:
        owner = rng.choice(with_documents)
        state, number = owner.documents[0]
        documents.append(
            {
                "entry_id": "SLTD-0000001",
                "issuing_state": state,
                "document_type": "P",
                "number": number,
                "reason": "stolen",
                "date": "2024-11-02",
            }
        )
    taken = {number for p in people for _, number in p.documents}
    for i in range(2, 14):
        number = f"{rng.choice('ABCGKNPR')}{rng.randint(10_000_000, 99_999_999)}"
        if number in taken:
            continue
        documents.append(
            {
                "entry_id": f"SLTD-{i:07d}",
                "issuing_state": rng.choice(["NIC", "HND", "COL", "VEN", "MEX", "USA", "ESP", "CRI", "D"]),
                "document_type": rng.choice(["P", "P", "I"]),
                "number": number,
                "reason": rng.choice(["stolen", "stolen", "lost", "revoked"]),
                "date": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    reports = [
        services.watchlist_import(
            user=None,
            watchlist=national,
            data=_csv(_PERSON_HEADER, national_rows),
            filename="demo-nacional.csv",
        ),
        services.watchlist_import(
            user=None,
            watchlist=interpol,
            data=_csv(_PERSON_HEADER, interpol_rows),
            filename="demo-interpol.csv",
        ),
        services.watchlist_import(
            user=None,
            watchlist=interpol,
            data=_csv(["entry_id", "issuing_state", "document_type", "number", "reason", "date"], documents),
            filename="demo-sltd.csv",
        ),
    ]
    for report in reports:
        if not report.ok:
            raise RuntimeError(
                f"demo watchlist import failed: {'; '.join(str(e) for e in report.errors[:5])}"
            )
    persons = reports[0].created + reports[1].created
    lines = [
        f"Screening: 2 watchlists, {persons} person alerts ({len(matched) + 1} match demo travellers, "
        f"one of them a missing child), {reports[2].created} document alerts "
        f"({1 if with_documents else 0} a demo traveller's passport)."
    ]
    to_try = [
        ("A missing child (a protective alert)", child),
        ("A passport reported stolen (a document alert)", owner if with_documents else None),
    ]
    for label, traveller in to_try:
        mrz = _mrz_of(traveller) if traveller is not None else ""
        if mrz:
            lines.append(f"  {label}: scan at the desk to meet the hit:")
            lines.extend(f"    {line}" for line in mrz.split("\n"))
    return "\n".join(lines)


def _mrz_of(traveller: _DemoTraveller) -> str:
    """The MRZ of the traveller's first document as recorded (the demo's documents carry one)."""
    from corredor.border.models import TravelDocument

    if not traveller.documents:
        return ""
    state, number = traveller.documents[0]
    document = TravelDocument.objects.filter(issuing_state_id=state, number=number).first()
    return document.mrz.strip() if document is not None else ""
