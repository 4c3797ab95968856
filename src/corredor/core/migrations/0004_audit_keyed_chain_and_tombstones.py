"""The audit chain becomes keyed (HMAC-SHA256 with CORREDOR_AUDIT_KEY) and numbered without gaps; the
database refuses DELETE as it already refused UPDATE. Existing entries are numbered in their order and
re-keyed once, here: the operator who migrates holds the key. Also the tombstones retention leaves."""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _drop_triggers(schema_editor):  # type: ignore[no-untyped-def]
    postgres = schema_editor.connection.vendor == "postgresql"
    for name in ("core_auditentry_no_update", "core_auditentry_no_delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON core_auditentry" if postgres else ""))


def _create_triggers(schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for name, event in (("core_auditentry_no_update", "UPDATE"), ("core_auditentry_no_delete", "DELETE")):
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON core_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_auditentry_refuse() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        for name, event in (("core_auditentry_no_update", "UPDATE"), ("core_auditentry_no_delete", "DELETE")):
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON core_auditentry "
                "FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse()"
            )
        # TRUNCATE skips row triggers; refuse it too.
        schema_editor.execute(
            "CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse()"
        )


def number_and_key(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEntry = apps.get_model("core", "AuditEntry")
    _drop_triggers(schema_editor)
    key = settings.CORREDOR_AUDIT_KEY.encode()
    previous = ""
    for sequence, entry in enumerate(AuditEntry.objects.order_by("id").iterator(), start=1):
        content = {
            "sequence": sequence,
            "at": entry.at.isoformat(),
            "username": entry.username,
            "role": entry.role,
            "origin": entry.origin,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "summary": entry.summary,
        }
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False)
        entry_hash = hmac.new(key, (previous + payload).encode(), hashlib.sha256).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(sequence=sequence, prev_hash=previous, entry_hash=entry_hash)
        previous = entry_hash


def protect(apps, schema_editor):  # type: ignore[no-untyped-def]
    _create_triggers(schema_editor)


def unprotect(apps, schema_editor):  # type: ignore[no-untyped-def]
    _drop_triggers(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_carrier_role")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(null=True, verbose_name="sequence"),
        ),
        migrations.RunPython(number_and_key, unprotect),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(choices=[("read", "read"), ("create", "create"), ("update", "update"), ("delete", "delete"), ("login", "login"), ("login_failed", "failed login"), ("logout", "logout"), ("denied", "refused"), ("export", "export"), ("bulk", "bulk load"), ("purge", "purge (retention)")], max_length=20, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
        migrations.RunPython(protect, unprotect),
        migrations.CreateModel(
            name="Tombstone",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model_label", models.CharField(max_length=100, verbose_name="record type")),
                ("object_id", models.UUIDField(verbose_name="record")),
                ("purged_at", models.DateTimeField(default=timezone.now, verbose_name="purged at")),
            ],
            options={"verbose_name": "tombstone", "verbose_name_plural": "tombstones"},
        ),
        migrations.AddConstraint(
            model_name="tombstone",
            constraint=models.UniqueConstraint(fields=("model_label", "object_id"), name="tombstone_unique_record"),
        ),
    ]
