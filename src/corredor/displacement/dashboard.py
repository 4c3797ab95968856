"""The registration dashboard on DuckDB, as the statistics do: a Parquet extract of the registered individuals
(no names: event, site, sex, age group, vulnerabilities, duplicate flag, household), refreshed when the
registrations change, and queried with DuckDB so that an event with a million registered people answers in
well under a second.

The extract lives in DATA_DIR/displacement/individuals.parquet beside a small JSON stamp of what it holds
(the counts of individuals and households and the newest registration): `dashboard_data` refreshes it first
when the stamp no longer matches the database, the import refreshes it after its commit, and
`corredor displacement extract` refreshes it by hand.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max

from corredor.displacement import permissions
from corredor.displacement.models import Event, Household, Individual, Site

BATCH = 50_000


def extract_dir() -> Path:
    return Path(settings.DATA_DIR) / "displacement"


def _stamp() -> dict[str, Any]:
    newest = Household.objects.aggregate(newest=Max("received_at"))["newest"]
    return {
        "individuals": Individual.objects.count(),
        "households": Household.objects.count(),
        "newest": newest.isoformat() if newest else "",
    }


@dataclass(frozen=True)
class ExtractResult:
    rows: int
    seconds: float

    def summary(self) -> str:
        return f"Registration extract: {self.rows:,} individuals in {self.seconds:.1f} s."


def extract_refresh() -> ExtractResult:
    """Write the extract anew (to a temporary file, then moved into place: a reader never sees half)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.monotonic()
    folder = extract_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    schema = pa.schema(
        [
            ("event_id", pa.string()),
            ("site", pa.string()),
            ("household_id", pa.string()),
            ("sex", pa.string()),
            ("age_group", pa.string()),
            ("vulnerabilities", pa.string()),
            ("duplicate", pa.bool_()),
        ]
    )
    temporary = folder / f"individuals.parquet.{os.getpid()}.tmp"
    rows = 0
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}

    def flush(writer: Any) -> None:
        if columns["sex"]:
            writer.write_table(pa.table(columns, schema=schema))
            for values in columns.values():
                values.clear()

    # One plain SQL join read in chunks (no model row per individual): the ids come as the database keeps
    # them and are written in the one form the dashboard asks for.
    from django.db import connection

    individual, household, site = (
        connection.ops.quote_name(model._meta.db_table) for model in (Individual, Household, Site)
    )
    sql = (
        f"SELECT h.event_id, s.code, i.household_id, i.sex, i.age_group, i.vulnerabilities, "
        f"i.duplicate_of_id FROM {individual} i JOIN {household} h ON h.id = i.household_id "
        f"JOIN {site} s ON s.id = h.site_id"
    )
    events: dict[Any, str] = {}
    vulnerable: dict[Any, str] = {}
    with pq.ParquetWriter(temporary, schema, compression="zstd") as writer, connection.cursor() as cursor:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(10_000):
            for event_id, site_code, household_id, sex, age_group, vulnerabilities, duplicate in chunk:
                if event_id not in events:
                    events[event_id] = str(uuid.UUID(str(event_id)))
                # JSON text on SQLite, a list on PostgreSQL.
                listed = vulnerabilities if isinstance(vulnerabilities, str) else tuple(vulnerabilities or ())
                if listed not in vulnerable:
                    names = json.loads(listed) if isinstance(listed, str) else listed
                    vulnerable[listed] = " ".join(names or ())
                columns["event_id"].append(events[event_id])
                columns["site"].append(site_code)
                columns["household_id"].append(str(household_id))
                columns["sex"].append(sex)
                columns["age_group"].append(age_group)
                columns["vulnerabilities"].append(vulnerable[listed])
                columns["duplicate"].append(duplicate is not None)
            rows += len(chunk)
            if len(columns["sex"]) >= BATCH:
                flush(writer)
        flush(writer)
    os.replace(temporary, folder / "individuals.parquet")
    (folder / "individuals.json").write_text(json.dumps(stamp))
    return ExtractResult(rows, time.monotonic() - started)


def extract_fresh() -> bool:
    stamp_file = extract_dir() / "individuals.json"
    if not stamp_file.is_file() or not (extract_dir() / "individuals.parquet").is_file():
        return False
    try:
        return bool(json.loads(stamp_file.read_text()) == _stamp())
    except ValueError:
        return False


@dataclass
class Dashboard:
    """An event's registrations at a glance (aggregates only)."""

    individuals: int = 0
    households: int = 0
    duplicates: int = 0
    by_sex_age: dict[tuple[str, str], int] = field(default_factory=dict)
    by_site: list[tuple[str, int, int]] = field(default_factory=list)
    by_vulnerability: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0


def dashboard_data(*, user: Any, event: Event) -> Dashboard:
    """Registered individuals of an event by sex and age group, by site (with households) and by
    vulnerability, and how many are possible duplicates: DuckDB over the extract (refreshed if stale)."""
    import duckdb

    permissions.permit_aggregates(user)
    checking = time.perf_counter()
    fresh = extract_fresh()
    # The time a person waits on a fresh extract: the check, then the queries (a refresh is timed apart).
    checked = time.perf_counter() - checking
    if not fresh:
        extract_refresh()
    started = time.perf_counter() - checked
    path = str(extract_dir() / "individuals.parquet").replace("'", "''")
    connection = duckdb.connect()
    try:
        # The event's id is a UUID (hex and dashes): safe inside the view's text, which takes no parameters.
        event_id = str(uuid.UUID(str(event.pk)))
        connection.execute(
            f"CREATE TEMP VIEW r AS SELECT * FROM read_parquet('{path}') WHERE event_id = '{event_id}'"
        )
        # One scan for the counts by site, sex and age group (the totals are their sums), one for the
        # households by site (a household is at one site), one for the vulnerabilities.
        cells = connection.execute(
            "SELECT site, sex, age_group, count(*), count(*) FILTER (WHERE duplicate) FROM r GROUP BY ALL"
        ).fetchall()
        households_at = dict(
            connection.execute("SELECT site, count(DISTINCT household_id) FROM r GROUP BY site").fetchall()
        )
        people_at: dict[str, int] = {}
        by_sex_age: dict[tuple[str, str], int] = {}
        board = Dashboard()
        for site, sex, age, people, duplicates in cells:
            people_at[site] = people_at.get(site, 0) + int(people)
            by_sex_age[(sex, age)] = by_sex_age.get((sex, age), 0) + int(people)
            board.individuals += int(people)
            board.duplicates += int(duplicates)
        board.households = sum(int(n) for n in households_at.values())
        board.by_sex_age = dict(sorted(by_sex_age.items()))
        board.by_site = [
            (site, people_at[site], int(households_at.get(site, 0))) for site in sorted(people_at)
        ]
        board.by_vulnerability = [
            (name, int(n))
            for name, n in connection.execute(
                "SELECT v, count(*) FROM (SELECT unnest(string_split(vulnerabilities, ' ')) AS v FROM r) "
                "WHERE v <> '' GROUP BY v ORDER BY count(*) DESC, v"
            ).fetchall()
        ]
    finally:
        connection.close()
    board.seconds = time.perf_counter() - started
    return board
