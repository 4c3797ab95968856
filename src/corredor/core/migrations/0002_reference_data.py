"""Countries (ISO 3166 and ICAO codes, names in three languages), stay categories and common areas.
Also makes the audit log refuse UPDATE at the database level: it is append-only for everyone."""

from django.db import migrations

from corredor.core import reference


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    reference.load_countries(apps.get_model("core", "Country"))
    reference.load_categories_and_areas(apps.get_model("core", "StayCategory"), apps.get_model("core", "CommonArea"))


def protect_audit_log(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()"
        )


def unprotect_audit_log(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update" + (
        " ON core_auditentry" if schema_editor.connection.vendor == "postgresql" else ""
    ))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(protect_audit_log, unprotect_audit_log),
    ]
