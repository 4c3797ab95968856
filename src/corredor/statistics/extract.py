"""The Parquet extract of the operational tables that the analytics engine (DuckDB) reads.

`extract_refresh` streams the rows created since the last refresh out of the database (a server-side
cursor on PostgreSQL, chunked reads on SQLite: `QuerySet.iterator`), writes them with pyarrow as a new
part file, and rebuilds the derived table of stays (spells) with DuckDB. Only what statistics need is
extracted: no names, no document numbers, no birth dates (the age at the crossing instead).

Layout under the statistics directory (CORREDOR_STATS_DIR, default DATA_DIR/statistics):

    manifest.json                  the part files in use, the watermarks and the data's last day
    crossings/part-000001.parquet  one row per crossing (corrected ones included; the engine drops them)
    stay_changes/part-...parquet   extensions and changes of status
    derived/spells-<n>.parquet     one row per admitted entry: who, where, the stay, the day they left
    derived/events-<n>.parquet     the crossings that count (corrections applied), in day order

Incremental by creation time: a refresh reads the rows created after the watermark less
CORREDOR_STATS_LATE_DAYS (records from offline posts keep the time they were made at the post and arrive
later), and drops those already extracted by id. Readers take the file list from the manifest, which is
replaced atomically, so a refresh never shows them half a part. `--full` rebuilds everything.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from corredor.icao import country_to_alpha3

BATCH_ROWS = 50_000
COMPACT_AFTER_PARTS = 16

CROSSING_SCHEMA = pa.schema(
    [
        ("id", pa.binary(16)),
        ("traveller_id", pa.binary(16)),
        ("corrects_id", pa.binary(16)),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("day", pa.date32()),
        ("direction", pa.string()),
        ("decision", pa.string()),
        ("post", pa.string()),
        ("post_kind", pa.string()),
        ("nationality", pa.string()),
        ("sex", pa.string()),
        ("age", pa.int16()),
        ("stay_category", pa.string()),
        ("authorised_until", pa.date32()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        # The legal ground of a refusal of entry (border's RefusalGround code), empty otherwise.
        ("refusal_ground", pa.string()),
    ]
)
# Raised when the crossings' columns change: an extract written under another version is rebuilt whole.
SCHEMA_VERSION = 2

STAY_CHANGE_SCHEMA = pa.schema(
    [
        ("id", pa.binary(16)),
        ("entry_id", pa.binary(16)),
        ("category", pa.string()),
        ("authorised_until", pa.date32()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)

SCHEMAS = {"crossings": CROSSING_SCHEMA, "stay_changes": STAY_CHANGE_SCHEMA}


def stats_dir() -> Path:
    """Where the extract lives: CORREDOR_STATS_DIR (setting or environment), else DATA_DIR/statistics."""
    configured = getattr(settings, "CORREDOR_STATS_DIR", None) or os.environ.get("CORREDOR_STATS_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "statistics"


def late_days() -> int:
    configured = getattr(settings, "CORREDOR_STATS_LATE_DAYS", None)
    if configured is None:
        configured = os.environ.get("CORREDOR_STATS_LATE_DAYS") or 30
    return int(configured)


# --- the manifest -----------------------------------------------------------------------------------------


@dataclass
class Manifest:
    """What the engine reads: the part files of each table, the derived spells, the data's last day."""

    parts: dict[str, list[str]] = field(default_factory=lambda: {"crossings": [], "stay_changes": []})
    watermarks: dict[str, str | None] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    spells: str | None = None
    events: str | None = None
    first_day: str | None = None
    last_day: str | None = None
    refreshed_at: str | None = None
    sequence: int = 0
    schema_version: int = 1  # manifests written before the version was kept: 1

    @classmethod
    def load(cls, root: Path) -> Manifest | None:
        path = root / "manifest.json"
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text()))

    def save(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f"manifest.json.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self.__dict__, indent=1, sort_keys=True))
        os.replace(tmp, root / "manifest.json")

    def paths(self, root: Path, table: str) -> list[str]:
        return [str(root / name) for name in self.parts.get(table, [])]

    def next_name(self, prefix: str) -> str:
        self.sequence += 1
        return f"{prefix}-{self.sequence:06d}.parquet"


# --- reading rows out of the database -----------------------------------------------------------------------


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return max(0, min(years, 130))


def _uuid_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value.bytes
    return uuid.UUID(str(value)).bytes


def _crossing_rows(since: datetime | None) -> Iterator[tuple[Any, ...]]:
    from corredor.border.models import Crossing
    from corredor.core.models import BorderPost

    posts = {
        code: (kind, zoneinfo.ZoneInfo(tz))
        for code, kind, tz in BorderPost.objects.values_list("code", "kind", "timezone")
    }
    nationality_codes: dict[str, str] = {}
    qs = Crossing.objects.order_by()
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    columns = (
        "id",
        "traveller_id",
        "corrects_id",
        "occurred_at",
        "direction",
        "decision",
        "post_id",
        "document__nationality_id",
        "document__sex",
        "document__birth_date",
        "stay__category_id",
        "stay__authorised_until",
        "created_at",
        "refusal_ground",
    )
    default_zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for (
        crossing_id,
        traveller_id,
        corrects_id,
        occurred_at,
        direction,
        decision,
        post,
        nationality,
        sex,
        birth,
        category,
        until,
        created_at,
        refusal_ground,
    ) in qs.values_list(*columns).iterator(chunk_size=10_000):
        kind, zone = posts.get(post, ("", default_zone))
        day = occurred_at.astimezone(zone).date()
        code = nationality_codes.get(nationality)
        if code is None:
            code = nationality_codes[nationality] = country_to_alpha3(nationality) or nationality
        yield (
            _uuid_bytes(crossing_id),
            _uuid_bytes(traveller_id),
            _uuid_bytes(corrects_id),
            occurred_at,
            day,
            direction,
            decision,
            post,
            kind,
            code,
            sex or "X",
            _age(birth, day),
            category,
            until,
            created_at,
            refusal_ground or None,
        )


def _stay_change_rows(since: datetime | None) -> Iterator[tuple[Any, ...]]:
    from corredor.border.models import StayChange

    qs = StayChange.objects.order_by()
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    for change_id, entry_id, category, until, created_at in qs.values_list(
        "id", "stay__entry_id", "category_id", "authorised_until", "created_at"
    ).iterator(chunk_size=10_000):
        yield (_uuid_bytes(change_id), _uuid_bytes(entry_id), category, until, created_at)


ROW_SOURCES: dict[str, Callable[[datetime | None], Iterator[tuple[Any, ...]]]] = {
    "crossings": _crossing_rows,
    "stay_changes": _stay_change_rows,
}


def write_parquet(rows: Iterable[tuple[Any, ...]], schema: pa.Schema, path: Path) -> tuple[int, Any]:
    """Write rows (tuples in the schema's column order) in batches; answer the row count and the largest
    `created_at` seen."""
    names = schema.names
    created_index = names.index("created_at")
    count = 0
    newest = None
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            columns = list(zip(*batch, strict=True))
            arrays = [pa.array(columns[i], type=schema.field(i).type) for i in range(len(names))]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            batch.clear()

        for row in rows:
            batch.append(row)
            created = row[created_index]
            if newest is None or created > newest:
                newest = created
            if len(batch) >= BATCH_ROWS:
                count += len(batch)
                flush()
        if batch:
            count += len(batch)
            flush()
    return count, newest


# --- the refresh ------------------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    added: dict[str, int]
    total: dict[str, int]
    full: bool
    seconds: float
    last_day: str | None

    def summary(self) -> str:
        added = ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in self.added.items())
        total = ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in self.total.items())
        kind = "full" if self.full else "incremental"
        return f"{kind} refresh: added {added}; the extract holds {total} (in {self.seconds:.1f} s)"


def _duck() -> Any:
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET preserve_insertion_order = false")
    return connection


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def extract_refresh(*, full: bool = False, root: Path | None = None) -> RefreshResult:
    """Bring the extract up to date with the database (everything anew with `full`)."""
    root = root or stats_dir()
    root.mkdir(parents=True, exist_ok=True)
    # One refresh at a time (cron may start the next while one runs): the second waits.
    with open(root / ".refresh.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _refresh(root, full=full)


def _refresh(root: Path, *, full: bool) -> RefreshResult:
    from corredor.statistics.models import ExtractState

    started = time.perf_counter()
    manifest = Manifest.load(root)
    states = {state.table: state for state in ExtractState.objects.all()}
    if manifest is None or manifest.schema_version != SCHEMA_VERSION:
        full = True  # no extract yet, or one whose files have other columns
    elif not full:
        # The database and the files must tell the same story, or the extract is rebuilt.
        for table in SCHEMAS:
            state = states.get(table)
            db_mark = state.watermark.isoformat() if state and state.watermark else None
            if db_mark != manifest.watermarks.get(table):
                full = True
    if full or manifest is None:
        manifest = Manifest(sequence=(manifest.sequence if manifest else 0), schema_version=SCHEMA_VERSION)
    added: dict[str, int] = {}
    for table, schema in SCHEMAS.items():
        state = states.get(table)
        watermark = None if full or state is None else state.watermark
        since = watermark - timedelta(days=late_days()) if watermark else None
        staged = root / table / f"staged-{os.getpid()}.parquet.tmp"
        count, newest = write_parquet(ROW_SOURCES[table](since), schema, staged)
        kept = 0
        if count:
            name = manifest.next_name(f"{table}/part")
            final = root / name
            existing = manifest.paths(root, table)
            if since is not None and existing:
                connection = _duck()
                kept = connection.execute(
                    f"COPY (SELECT s.* FROM read_parquet('{staged}') s WHERE NOT EXISTS ("
                    f"SELECT 1 FROM read_parquet({_sql_list(existing)}) p "
                    f"WHERE p.created_at > ? AND p.id = s.id)) TO '{final}.tmp' "
                    "(FORMAT parquet, COMPRESSION zstd)",
                    [since],
                ).fetchone()[0]
                connection.close()
                staged.unlink()
                if kept:
                    os.replace(f"{final}.tmp", final)
                else:
                    Path(f"{final}.tmp").unlink()
            else:
                kept = count
                os.replace(staged, final)
            if kept:
                manifest.parts.setdefault(table, []).append(name)
        else:
            staged.unlink(missing_ok=True)
        added[table] = kept
        if newest is not None and (watermark is None or newest > watermark):
            watermark = newest
        manifest.watermarks[table] = watermark.isoformat() if watermark else None
        manifest.rows[table] = (0 if full else manifest.rows.get(table, 0)) + kept
        if len(manifest.parts.get(table, [])) > COMPACT_AFTER_PARTS:
            _compact(root, manifest, table)
        with transaction.atomic():
            ExtractState.objects.update_or_create(
                table=table,
                defaults={
                    "watermark": watermark,
                    "rows": manifest.rows[table],
                    "parts": len(manifest.parts.get(table, [])),
                    "refreshed_at": timezone.now(),
                },
            )
    _build_spells(root, manifest)
    from corredor.statistics.protection import snapshot_write  # protection's referrals and cases, whole

    snapshot_write(root, manifest)
    manifest.refreshed_at = timezone.now().isoformat()
    manifest.save(root)
    _collect_garbage(root, manifest)
    return RefreshResult(
        added=added,
        total=dict(manifest.rows),
        full=full,
        seconds=time.perf_counter() - started,
        last_day=manifest.last_day,
    )


def _compact(root: Path, manifest: Manifest, table: str) -> None:
    name = manifest.next_name(f"{table}/part")
    connection = _duck()
    connection.execute(
        f"COPY (SELECT * FROM read_parquet({_sql_list(manifest.paths(root, table))})) TO '{root / name}.tmp' "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    connection.close()
    os.replace(f"{root / name}.tmp", root / name)
    manifest.parts[table] = [name]


SPELLS_SQL = """
WITH raw AS (SELECT * FROM read_parquet({crossings})),
corrected AS (SELECT DISTINCT corrects_id AS id FROM raw WHERE corrects_id IS NOT NULL),
admitted AS (
    SELECT r.* FROM raw r ANTI JOIN corrected c ON r.id = c.id WHERE r.decision = 'admitted'
),
ordered AS (
    SELECT *, lead(day) OVER (PARTITION BY traveller_id ORDER BY occurred_at, id) AS left_day
    FROM admitted
),
changes AS (
    SELECT entry_id, category, authorised_until FROM (
        SELECT *, row_number() OVER (PARTITION BY entry_id ORDER BY created_at DESC, id DESC) AS n
        FROM {stay_changes}
    ) WHERE n = 1
)
SELECT o.traveller_id, o.id AS entry_id, o.day AS entry_day, o.left_day, o.post, o.post_kind,
       o.nationality, {region} AS region, o.sex, o.age,
       coalesce(ch.category, o.stay_category) AS stay_category,
       CASE WHEN ch.entry_id IS NULL THEN o.authorised_until ELSE ch.authorised_until END AS until
FROM ordered o LEFT JOIN changes ch ON ch.entry_id = o.id
WHERE o.direction = 'entry'
"""


EVENTS_SQL = """
WITH raw AS (SELECT * FROM read_parquet({crossings})),
corrected AS (SELECT DISTINCT corrects_id AS id FROM raw WHERE corrects_id IS NOT NULL)
SELECT r.day, r.traveller_id, r.direction, r.decision, r.post, r.post_kind, r.nationality, {region} AS region,
       r.sex, r.age, r.stay_category, r.refusal_ground
FROM raw r ANTI JOIN corrected c ON r.id = c.id
ORDER BY r.day
"""


def region_sql(column: str) -> str:
    """The region of a nationality code, as SQL (see regions.py); stored with the derived tables."""
    from corredor.statistics import regions

    by_region: dict[str, list[str]] = {}
    for code, region in regions.REGION_OF.items():
        by_region.setdefault(region, []).append(code)
    branches = " ".join(
        f"WHEN {column} IN ({', '.join(repr(c) for c in sorted(codes))}) THEN '{region}'"
        for region, codes in by_region.items()
    )
    return f"CASE {branches} ELSE '{regions.OTHER}' END"


def _empty_stay_changes() -> str:
    return (
        "(SELECT NULL::BLOB AS id, NULL::BLOB AS entry_id, NULL::VARCHAR AS category, "
        "NULL::DATE AS authorised_until, NULL::TIMESTAMPTZ AS created_at WHERE false)"
    )


def build_spells(root: Path, manifest: Manifest) -> None:
    """Rebuild the derived spells table (one row per admitted entry, the stay as extended, the day the
    traveller next crossed) and the data's first and last day. Public for the benchmark."""
    _build_spells(root, manifest)


def _build_spells(root: Path, manifest: Manifest) -> None:
    crossings = manifest.paths(root, "crossings")
    old = manifest.spells
    if not crossings:
        manifest.spells = manifest.events = None
        manifest.first_day = manifest.last_day = None
        return
    changes = manifest.paths(root, "stay_changes")
    stay_changes = f"read_parquet({_sql_list(changes)})" if changes else _empty_stay_changes()
    name = manifest.next_name("derived/spells")
    events = manifest.next_name("derived/events")
    (root / "derived").mkdir(parents=True, exist_ok=True)
    connection = _duck()
    sql = SPELLS_SQL.format(
        crossings=_sql_list(crossings), stay_changes=stay_changes, region=region_sql("o.nationality")
    )
    connection.execute(f"COPY ({sql}) TO '{root / name}.tmp' (FORMAT parquet, COMPRESSION zstd)")
    # The crossings that count (corrections applied), in day order with only what queries read: every
    # query then scans one file, skipping the row groups outside its dates.
    connection.execute(
        f"COPY ({EVENTS_SQL.format(crossings=_sql_list(crossings), region=region_sql('r.nationality'))}) "
        f"TO '{root / events}.tmp' "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)"
    )
    first, last = connection.execute(
        f"SELECT min(day), max(day) FROM read_parquet({_sql_list(crossings)})"
    ).fetchone()
    connection.close()
    os.replace(f"{root / name}.tmp", root / name)
    os.replace(f"{root / events}.tmp", root / events)
    manifest.spells = name
    manifest.events = events
    manifest.first_day = first.isoformat() if first else None
    manifest.last_day = last.isoformat() if last else None
    del old


def _collect_garbage(root: Path, manifest: Manifest) -> None:
    """Remove part files the manifest no longer names (a reader that opened them keeps reading them)."""
    in_use = {name for names in manifest.parts.values() for name in names}
    in_use |= {name for name in (manifest.spells, manifest.events) if name}
    for folder in ("crossings", "stay_changes", "derived"):
        for path in (root / folder).glob("*.parquet"):
            if f"{folder}/{path.name}" not in in_use:
                path.unlink(missing_ok=True)
