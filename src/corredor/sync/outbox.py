"""A post's outbox: database triggers on every outbound model add a row to `sync_outboxentry` in the same
transaction as the record's own insert or update, whatever wrote it (a service, a bulk insert, a queryset
update). So no record can be committed without its outbox row, and no outbox row without its record.

Triggers are installed at a post only (after `migrate` in CORREDOR_MODE=post, and by `corredor sync enrol`);
central writes no outbox.
"""

from typing import Any

from django.db import connection as default_connection

from corredor.sync.registry import outbound_models

TABLE = "sync_outboxentry"


def _names(label: str) -> tuple[str, str]:
    safe = label.replace(".", "_")
    return f"sync_outbox_{safe}_ins", f"sync_outbox_{safe}_upd"


def outbox_triggers_drop(connection: Any = None) -> None:
    connection = connection or default_connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for entry in outbound_models():
            table = entry.model._meta.db_table
            for name in _names(entry.label):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))


def outbox_triggers_create(connection: Any = None) -> None:
    """(Re)install the outbox triggers of every registered outbound model."""
    connection = connection or default_connection
    outbox_triggers_drop(connection)
    with connection.cursor() as cursor:
        for entry in outbound_models():
            meta = entry.model._meta
            table, pk = meta.db_table, meta.pk.column
            insert, update = _names(entry.label)
            if connection.vendor == "sqlite":
                for name, event in ((insert, "INSERT"), (update, "UPDATE")):
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
                        f"INSERT INTO {TABLE} (model_label, object_pk, created_at) "
                        f"VALUES ('{entry.label}', NEW.{pk}, strftime('%Y-%m-%d %H:%M:%f', 'now')); END"
                    )
            elif connection.vendor == "postgresql":
                function = f"{insert}_fn"
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
                    f"INSERT INTO {TABLE} (model_label, object_pk, created_at) "
                    f"VALUES ('{entry.label}', NEW.{pk}::text, now()); RETURN NULL; END; $$ LANGUAGE plpgsql"
                )
                for name, event in ((insert, "INSERT"), (update, "UPDATE")):
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION {function}()"
                    )
            else:  # pragma: no cover
                raise RuntimeError(f"no outbox triggers for {connection.vendor}")


def outbox_triggers_installed(connection: Any = None) -> bool:
    connection = connection or default_connection
    entries = outbound_models()
    if not entries:
        return True
    name = _names(entries[0].label)[0]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=%s", [name])
        else:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname=%s", [name])
        return cursor.fetchone() is not None
