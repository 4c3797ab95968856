"""Reads that bulk loaders share."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL


def matching(
    model: type[models.Model], name: str, values: Iterable[Any], select: Sequence[str], **equal: Any
) -> list[tuple[Any, ...]]:
    """The `select` columns of the rows whose field `name` holds one of `values` (and whose other fields are
    as `equal` says). On PostgreSQL one array parameter carries the values (`= ANY`): a list of a thousand
    values in an IN costs Django and psycopg more than the query costs the server."""
    wanted = list(values)
    if not wanted:
        return []
    queryset = model._default_manager.filter(**equal)
    if connection.vendor != "postgresql":
        return list(queryset.filter(**{f"{name}__in": wanted}).values_list(*select))
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)  # a column, not a reverse relation
    target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(str(f.column))}"
    # The column's type without its length: a cast to varchar(3) would cut "CRIX" to "CRI" and match it.
    kind = re.sub(r"\(\d+\)$", "", str(target.db_type(connection)))
    condition = RawSQL(
        f"{column} = ANY(CAST(%s AS {kind}[]))",
        ([str(v) if isinstance(v, uuid.UUID) else v for v in wanted],),
        output_field=models.BooleanField(),
    )
    return list(queryset.filter(condition).values_list(*select))
