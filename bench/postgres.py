"""A scratch PostgreSQL database for a benchmark that runs on a server (protection, sync)."""

from __future__ import annotations

import os
from collections.abc import Callable


def scratch_database(url: str, label: str) -> tuple[str, Callable[[], None]]:
    """A database of its own on the PostgreSQL server of `url` (made empty now), and how to drop it."""
    import psycopg

    name = f"corredor_{label}bench_{os.getpid()}"

    def admin(sql: str) -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    admin(f"DROP DATABASE IF EXISTS {name}")
    admin(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name, lambda: admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
