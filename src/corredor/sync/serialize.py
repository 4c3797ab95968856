"""Rows as plain JSON data and back, for every model the registry names: one field per column (foreign keys
by their key), many-to-many fields as lists of keys. Values keep their meaning exactly: times as ISO 8601
with their offset, dates, UUIDs and decimals as text."""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)


def _internal_type(f: models.Field[Any, Any]) -> str:
    target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
    return str(target.get_internal_type())


def columns(model: type[models.Model], exclude: Iterable[str] = ()) -> list[models.Field[Any, Any]]:
    """The model's columns that travel (every concrete field but the excluded and binary ones)."""
    skip = set(exclude)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and f.attname not in skip and not isinstance(f, models.BinaryField)
    ]


def m2m_fields(model: type[models.Model], exclude: Iterable[str] = ()) -> list[Any]:
    skip = set(exclude)
    return [f for f in model._meta.many_to_many if f.name not in skip]


def key_text(value: Any) -> str:
    """A primary key as text, the same on every database (a UUID with its dashes)."""
    return str(value)


def key_of(model: type[models.Model], raw: Any) -> str:
    """The key as text from a value as any database stores it (SQLite keeps a UUID as 32 hex digits)."""
    return key_text(model._meta.pk.to_python(raw))


def payloads(
    queryset: models.QuerySet[Any], exclude: Iterable[str] = (), *, chunk_size: int = 2000
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key as text, payload) for each row, streamed."""
    model = queryset.model
    fields = columns(model, exclude)
    names = [f.attname for f in fields]
    many = m2m_fields(model, exclude)
    pk_name = model._meta.pk.attname
    rows = queryset.order_by(pk_name).values_list(*names)
    batch: list[tuple[Any, ...]] = []

    def flush(batch: list[tuple[Any, ...]]) -> Iterator[tuple[str, dict[str, Any]]]:
        related: dict[str, dict[Any, list[str]]] = {}
        if many:
            pks = [row[names.index(pk_name)] for row in batch]
            for m2m in many:
                through = m2m.remote_field.through
                source = m2m.m2m_field_name()
                target = m2m.m2m_reverse_field_name()
                found: dict[Any, list[str]] = {}
                for a, b in through.objects.filter(**{f"{source}__in": pks}).values_list(
                    f"{source}_id", f"{target}_id"
                ):
                    found.setdefault(a, []).append(key_text(b))
                related[m2m.name] = found
        for row in batch:
            data = {
                name: value if as_is else _plain(value)
                for name, value, as_is in zip(names, row, plain, strict=True)
            }
            pk = row[names.index(pk_name)]
            for name, found in related.items():
                data[name] = sorted(found.get(pk, []))
            yield key_text(pk), data

    # Columns whose values are plain JSON already (text, numbers, booleans) are taken as they are.
    plain = [_PLAIN_TYPES.__contains__(_internal_type(f)) for f in fields]
    for row in rows.iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def digest(payload: dict[str, Any] | None) -> str:
    if payload is None:
        return ""
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def instance(model: type[models.Model], payload: dict[str, Any]) -> models.Model:
    """A model instance (not saved) from a payload; fields absent from the payload keep their defaults."""
    values: dict[str, Any] = {}
    for f in columns(model):
        if f.attname in payload:
            raw = payload[f.attname]
            values[f.attname] = None if raw is None else f.to_python(raw)
    return model(**values)


def m2m_values(model: type[models.Model], payload: dict[str, Any]) -> dict[str, list[Any]]:
    return {f.name: payload[f.name] for f in model._meta.many_to_many if f.name in payload}


def pk_value(model: type[models.Model], text: str) -> Any:
    return model._meta.pk.to_python(text)


# --- writing plain rows -------------------------------------------------------------------------------------

# Column types whose plain JSON value (text, number, boolean) the database takes as it is: PostgreSQL casts
# text to uuid, date and timestamptz itself (psycopg sends text untyped); SQLite keeps UUIDs as 32 hex digits
# and times as naive UTC text, so there those go through the field's own conversion.
_AS_IS = {
    "postgresql": _PLAIN_TYPES
    | {"DateField", "DateTimeField", "DecimalField", "FloatField", "TimeField", "UUIDField"},
    "sqlite": _PLAIN_TYPES | {"DateField"},
}


def _converter(f: models.Field[Any, Any], connection: Any) -> Any:
    if _internal_type(f) in _AS_IS.get(connection.vendor, frozenset()):
        return None

    def convert(raw: Any) -> Any:
        if raw is None:
            return None
        return f.get_db_prep_save(f.to_python(raw) if isinstance(raw, str) else raw, connection)

    return convert


def rows_write(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    upsert: bool = False,
    conflict_on: tuple[str, ...] = (),
) -> None:
    """Insert plain rows (values by column attname, as they travelled): one statement per 500 rows, or one
    COPY on PostgreSQL where no conflict is handled; with `upsert`, a row whose key (the primary key, or the
    columns `conflict_on`) is already there has the columns it carries updated. The ORM's bulk_create
    builds a model instance and prepares every value in Python, which was most of a sync's time.

    Every row carries the same columns (the first row's); a column none carries gets its default on insert
    (an `auto_now` time: now) and is left alone on update. Rows of differing shapes go through the ORM."""
    if not rows:
        return
    from django.db import connection
    from django.db.models.constants import OnConflict

    pk = model._meta.pk
    keys = [model._meta.get_field(name) for name in conflict_on] or [pk]
    every = [f for f in model._meta.concrete_fields if not isinstance(f, models.BinaryField)]
    carried = [f for f in every if f.attname in rows[0]]
    names = [f.attname for f in carried]
    if any(len(row) < len(names) or any(n not in row for n in names) for row in rows) or (
        upsert and any(k.attname not in rows[0] for k in keys)  # type: ignore[union-attr]
    ):
        objects = [instance(model, row) for row in rows]
        if upsert:
            model._default_manager.bulk_create(
                objects,
                batch_size=500,
                update_conflicts=True,
                unique_fields=[k.name for k in keys],
                update_fields=[f.name for f in carried if not f.primary_key and f not in keys],
            )
        else:
            model._default_manager.bulk_create(objects, batch_size=500, ignore_conflicts=ignore_conflicts)
        return
    blank = model()  # the defaults of the columns no row carries
    fixed = [
        (f, f.get_db_prep_save(f.pre_save(blank, True), connection))
        for f in every
        if f.attname not in rows[0] and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    fields = carried + [f for f, _ in fixed]
    tail = [value for _, value in fixed]
    converters = [_converter(f, connection) for f in carried]
    quote = connection.ops.quote_name
    on_conflict = OnConflict.UPDATE if upsert else OnConflict.IGNORE if ignore_conflicts else None
    updated = [f for f in carried if not f.primary_key and f not in keys]
    suffix = (
        connection.ops.on_conflict_suffix_sql(
            fields,
            on_conflict,
            [f.column for f in updated],
            [k.column for k in keys],  # type: ignore[union-attr]
        )
        if on_conflict is not None and (updated or not upsert)
        else ""
    )
    if upsert and not updated:
        on_conflict = OnConflict.IGNORE
        suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    if on_conflict is None and connection.vendor == "postgresql":
        # PostgreSQL's COPY: no statement to build and parse (psycopg spends longer merging the parameters
        # of a 500-row INSERT into its text than the server spends storing the rows).
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(statement) as copy,
        ):
            pairs = list(zip(names, converters, strict=True))
            for row in rows:
                copy.write_row([row[n] if c is None else c(row[n]) for n, c in pairs] + tail)
        return
    head = connection.ops.insert_statement(on_conflict=on_conflict)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params: list[Any] = []
            for row in chunk:
                for name, convert in zip(names, converters, strict=True):
                    value = row[name]
                    params.append(value if convert is None else convert(value))
                params.extend(tail)
            cursor.execute(
                f"{head} {quote(model._meta.db_table)} ({columns}) VALUES "
                + ", ".join([one] * len(chunk))
                + f" {suffix or ''}",
                params,
            )
