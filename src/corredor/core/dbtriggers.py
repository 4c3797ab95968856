"""The database triggers that make the audit log append-only (refusing UPDATE, DELETE and, on PostgreSQL,
TRUNCATE). Installed by migration 0004; taken off and put back only by `corredor flush`, which empties
every table by design (and whose effect on the audit log an exported head shows)."""

from typing import Any

TABLE = "core_auditentry"
_ROW_TRIGGERS = (("core_auditentry_no_update", "UPDATE"), ("core_auditentry_no_delete", "DELETE"))


def audit_triggers_drop(connection: Any) -> None:
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for name, _event in _ROW_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {TABLE}" if postgres else ""))
        if postgres:
            cursor.execute(f"DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON {TABLE}")


def audit_triggers_create(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, event in _ROW_TRIGGERS:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON {TABLE} "
                    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
            )
            audit_triggers_drop(connection)
            for name, event in _ROW_TRIGGERS:
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {TABLE} "
                    "FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()"
                )
            cursor.execute(
                f"CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON {TABLE} "
                "FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse()"
            )
