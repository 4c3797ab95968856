"""The audit trail: every write and read of personal data, logins, refusals; a hash chain that shows
tampering; `corredor audit verify`; API tokens from `corredor token`."""

import io
import itertools
import json
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.test import Client

from corredor.core.audit import Actor, acting_as, audit_verify, audit_write
from corredor.core.management.commands.audit import Command as AuditCommand
from corredor.core.models import ApiToken, AuditEntry
from tests.factories import PASSWORD, DocumentInputFactory, record
from tests.personas import PersonaTestCase

TABLE = AuditEntry._meta.db_table


def without_triggers() -> None:
    """What someone who can write the database can do: take the append-only triggers off (the test's
    transaction puts them back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")


def delete_raw(entry_id: int) -> None:
    without_triggers()
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
        middle_sequence = AuditEntry.objects.get(pk=middle).sequence
        delete_raw(middle)
        count, problems = audit_verify()
        assert count == len(ids) - 1
        following = middle_sequence + 1
        assert problems == [
            f"entry {following}: entries {middle_sequence} to {middle_sequence} are missing",
            f"entry {following}: does not follow the entry before it (one removed or reordered)",
        ]

    def test_a_forged_entry_is_found(self) -> None:
        last = AuditEntry.objects.order_by("-id").first()
        assert last is not None
        forged = AuditEntry(
            sequence=last.sequence + 1,
            action="read",
            username="mallory",
            prev_hash=last.entry_hash,
            entry_hash="0" * 64,
        )
        forged.save()
        _count, problems = audit_verify()
        assert problems == [f"entry {forged.sequence}: content changed after it was written (or another key)"]

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
        with pytest.raises(CommandError, match=r"2 problems in \d+ audit entries"):
            call_command("audit", "verify", stderr=err)
        assert "entry 3: entries 2 to 2 are missing" in err.getvalue()

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


class KeyedChainTests(PersonaTestCase):
    """What someone who can write the database (but has not the audit key) can do to the chain, and how
    `corredor audit verify` catches each."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(6):
            audit_write(action="read", object_type="border.crossing", object_id=f"c{n}", summary=f"read {n}")

    def export_head(self) -> str:
        path = Path(self.tmp.name) / "head.json"
        call_command("audit", "head", "--export", str(path), stdout=io.StringIO())
        return str(path)

    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def verify_fails(self, *args: str) -> str:
        err = io.StringIO()
        with pytest.raises(CommandError, match="problems in"):
            call_command("audit", "verify", *args, stdout=io.StringIO(), stderr=err)
        return err.getvalue()

    def test_the_database_refuses_delete(self) -> None:
        entry = AuditEntry.objects.order_by("-sequence").first()
        assert entry is not None
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_deleting_the_newest_entries_fails_against_the_exported_head(self) -> None:
        head_file = self.export_head()
        out = io.StringIO()
        call_command("audit", "verify", "--head", head_file, stdout=out)
        assert "present" in out.getvalue()
        newest = list(AuditEntry.objects.order_by("-sequence").values_list("id", flat=True)[:2])
        without_triggers()
        AuditEntry.objects.filter(pk__in=newest).delete()  # the rest of the chain is still whole
        assert audit_verify()[1] == []
        problems = self.verify_fails("--head", head_file)
        assert "is gone" in problems and "entries removed from the end" in problems

    def test_deleting_one_entry_and_rehashing_the_rest_fails(self) -> None:
        # The attacker knows the algorithm but not the key: they re-chain with the key they guess.
        entries = list(AuditEntry.objects.order_by("sequence"))
        victim = entries[len(entries) // 2]
        without_triggers()
        AuditEntry.objects.filter(pk=victim.pk).delete()
        previous = ""
        for sequence, entry in enumerate((e for e in entries if e.pk != victim.pk), start=1):
            entry.sequence, entry.prev_hash = sequence, previous
            entry.entry_hash = entry.compute_hash(b"a-guessed-key")
            AuditEntry.objects.filter(pk=entry.pk).update(
                sequence=-sequence, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
            )
            previous = entry.entry_hash
        AuditEntry.objects.update(sequence=-F("sequence"))
        problems = self.verify_fails()
        assert "content changed after it was written" in problems
        # With the real key (an insider who has it) the chain would pass: that is what the head is for.

    def test_editing_an_entry_fails(self) -> None:
        entry = AuditEntry.objects.get(object_id="c3")
        without_triggers()
        AuditEntry.objects.filter(pk=entry.pk).update(username="someone-else")
        problems = self.verify_fails()
        assert f"entry {entry.sequence}: content changed" in problems

    def test_a_renumbered_chain_fails(self) -> None:
        newest = AuditEntry.objects.order_by("-sequence").first()
        assert newest is not None
        without_triggers()
        AuditEntry.objects.filter(pk=newest.pk).update(sequence=newest.sequence + 5)
        problems = self.verify_fails()
        assert "are missing" in problems

    def test_a_head_file_changed_by_hand_is_refused(self) -> None:
        head_file = Path(self.export_head())
        data = json.loads(head_file.read_text())
        data["sequence"] -= 2
        head_file.write_text(json.dumps(data))
        assert "signature does not match" in self.verify_fails("--head", str(head_file))

    def test_a_head_file_that_is_not_one_says_so(self) -> None:
        bad = Path(self.tmp.name) / "bad.json"
        bad.write_text("{}")
        with pytest.raises(CommandError, match="not an exported audit head"):
            call_command("audit", "verify", "--head", str(bad), stdout=io.StringIO())

    def test_another_key_does_not_verify(self) -> None:
        with self.settings(CORREDOR_AUDIT_KEY="another-key"):
            assert "content changed" in self.verify_fails()

    def test_sequence_counts_without_gaps(self) -> None:
        sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
