"""The audit trail: every write and read of personal data, logins, refusals; a hash chain that shows
tampering; `corredor audit verify`; API tokens from `corredor token`."""

import io
import itertools
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client

from corredor.core.audit import Actor, acting_as, audit_verify, audit_write
from corredor.core.management.commands.audit import Command as AuditCommand
from corredor.core.models import ApiToken, AuditEntry
from tests.factories import PASSWORD, DocumentInputFactory, record
from tests.personas import PersonaTestCase

TABLE = AuditEntry._meta.db_table


def delete_raw(entry_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry_id])


class AuditTrailTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with acting_as(Actor(username="alice", role="officer", origin="10.1.2.3")):
            cls.recorded = record(cls.alice, DocumentInputFactory(), on=date(2024, 3, 1))

    def test_recording_a_crossing_writes_create_entries(self) -> None:
        crossing = self.recorded.crossing
        entry = AuditEntry.objects.get(object_type="border.crossing", object_id=str(crossing.pk))
        assert (entry.action, entry.username, entry.role, entry.origin) == (
            "create",
            "alice",
            "officer",
            "10.1.2.3",
        )
        assert "entry admitted at SJO" in entry.summary
        for object_type, pk in (
            ("border.traveller", crossing.traveller_id),
            ("border.traveldocument", crossing.document_id),
            ("border.stay", self.recorded.stay.pk),  # type: ignore[union-attr]
        ):
            assert AuditEntry.objects.filter(
                action="create", object_type=object_type, object_id=str(pk)
            ).exists()

    def test_each_crossing_write_is_one_create_entry(self) -> None:
        before = AuditEntry.objects.filter(object_type="border.crossing").count()
        doc = DocumentInputFactory()
        for day in (2, 3, 4):
            record(self.alice, doc, on=date(2024, 4, day), direction="entry" if day % 2 == 0 else "exit")
        assert AuditEntry.objects.filter(object_type="border.crossing", action="create").count() == before + 3

    def test_the_chain_verifies(self) -> None:
        count, problems = audit_verify()
        assert problems == []
        assert count == AuditEntry.objects.count() > 0
        entries = list(AuditEntry.objects.order_by("id"))
        assert entries[0].prev_hash == ""
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))

    def test_an_update_in_sql_is_refused_by_the_database(self) -> None:
        entry = AuditEntry.objects.order_by("id").first()
        assert entry is not None
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["nothing happened", entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary
        assert audit_verify()[1] == []

    def test_a_deleted_middle_entry_breaks_the_chain(self) -> None:
        ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
        assert len(ids) >= 3
        middle = ids[len(ids) // 2]
        delete_raw(middle)
        count, problems = audit_verify()
        assert count == len(ids) - 1
        following = ids[ids.index(middle) + 1]
        assert problems == [
            f"entry {following}: does not follow the entry before it (one removed or reordered)"
        ]

    def test_a_forged_entry_is_found(self) -> None:
        last = AuditEntry.objects.order_by("-id").first()
        assert last is not None
        forged = AuditEntry(action="read", username="mallory", prev_hash=last.entry_hash, entry_hash="0" * 64)
        forged.save()
        _count, problems = audit_verify()
        assert problems == [f"entry {forged.pk}: content changed after it was written"]

    def test_entries_cannot_be_changed_or_deleted_through_the_orm(self) -> None:
        entry = AuditEntry.objects.order_by("id").first()
        assert entry is not None
        entry.summary = "changed"
        with pytest.raises(RuntimeError, match="append-only"):
            entry.save()
        with pytest.raises(RuntimeError, match="append-only"):
            entry.delete()
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_audit_write_names_the_actor(self) -> None:
        entry = audit_write(action="export", object_type="border.stay", object_id="overstays", summary="csv")
        assert (entry.username, entry.origin) == ("system", "system")
        with acting_as(Actor(username="sofia", role="supervisor", origin="10.0.0.1")):
            entry = audit_write(action="export", summary="csv")
        assert (entry.username, entry.role, entry.origin) == ("sofia", "supervisor", "10.0.0.1")
        assert entry.prev_hash == AuditEntry.objects.exclude(pk=entry.pk).order_by("-id").first().entry_hash  # type: ignore[union-attr]


class LoginAuditTests(PersonaTestCase):
    def test_login_and_failed_login_are_audited(self) -> None:
        client = Client()
        response = client.post(
            "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
        )
        assert response.status_code == 302
        login = AuditEntry.objects.get(action="login")
        assert (login.username, login.role, login.origin, login.object_id) == (
            "alice",
            "officer",
            "192.0.2.10",
            str(self.alice.pk),
        )

        response = Client().post(
            "/login/", {"username": "alice", "password": "guess"}, REMOTE_ADDR="192.0.2.99"
        )
        assert response.status_code == 200  # the form again, with an error
        failed = AuditEntry.objects.get(action="login_failed")
        assert (failed.username, failed.origin) == ("alice", "192.0.2.99")
        assert "guess" not in failed.summary
        assert audit_verify()[1] == []


class AuditCommandTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        record(cls.alice, DocumentInputFactory(), on=date(2024, 3, 1))

    def test_verify_reports_an_intact_log(self) -> None:
        out = io.StringIO()
        call_command("audit", "verify", stdout=out)
        assert out.getvalue().strip() == f"audit log intact: {AuditEntry.objects.count()} entries"

    def test_verify_fails_on_a_broken_chain(self) -> None:
        ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
        delete_raw(ids[1])
        err = io.StringIO()
        with pytest.raises(CommandError, match=r"1 problems in \d+ audit entries"):
            call_command("audit", "verify", stderr=err)
        assert f"entry {ids[2]}" in err.getvalue()

    def test_exit_status(self) -> None:
        # As `corredor audit verify` runs it; closing the connections would end the test's transaction.
        with mock.patch.object(connections, "close_all"):
            AuditCommand(stdout=io.StringIO(), stderr=io.StringIO()).run_from_argv(
                ["corredor", "audit", "verify"]
            )
            ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
            delete_raw(ids[1])
            with pytest.raises(SystemExit) as exited:
                AuditCommand(stdout=io.StringIO(), stderr=io.StringIO()).run_from_argv(
                    ["corredor", "audit", "verify"]
                )
        assert exited.value.code == 1


class TokenCommandTests(PersonaTestCase):
    def test_token_create_prints_a_token_that_authenticates(self) -> None:
        out = io.StringIO()
        call_command("token", "create", "alice", stdout=out)
        key = out.getvalue().strip()
        assert len(key) >= 32
        stored = ApiToken.objects.get(user=self.alice)
        assert stored.key_hash == ApiToken.hash_key(key) and key not in (stored.key_hash, stored.prefix)
        response = Client().get("/api/v1/crossings", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200
        ApiToken.objects.filter(pk=stored.pk).update(last_used_at=None)
        Client().get("/api/v1/crossings", headers={"Authorization": f"Bearer {key}"})
        assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None

        call_command("token", "revoke", key[:8], stdout=io.StringIO())
        response = Client().get("/api/v1/crossings", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401

    def test_token_for_an_unknown_user_is_refused(self) -> None:
        with pytest.raises(CommandError, match="nobody"):
            call_command("token", "create", "nobody", stdout=io.StringIO())
        assert ApiToken.objects.count() == 0

    def test_api_actions_are_audited_under_the_tokens_user(self) -> None:
        out = io.StringIO()
        call_command("token", "create", "sofia", stdout=out)
        key = out.getvalue().strip()
        Client().get("/api/v1/crossings", headers={"Authorization": f"Bearer {key}"})
        entry = AuditEntry.objects.filter(object_type="border.crossing", action="read").latest("id")
        assert (entry.username, entry.role) == ("sofia", "supervisor")
