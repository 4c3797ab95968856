"""Retention (issue 11): `corredor purge` removes a traveller's file when its period has ended (EU
Entry/Exit System defaults), audited, leaving tombstones that stop the records coming back."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from corredor.border.models import Crossing, Stay, TravelDocument, Traveller
from corredor.core.audit import audit_verify
from corredor.core.models import AuditEntry, Tombstone
from corredor.core.retention import PurgedRecord, purge_run, purged_ids, retention_policies
from tests.factories import DocumentInputFactory, record
from tests.personas import PersonaTestCase

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


class RetentionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Left in 2020: three years have passed by NOW.
        cls.left = DocumentInputFactory()
        record(cls.alice, cls.left, on=date(2020, 1, 10))
        cls.left_exit = record(cls.alice, cls.left, on=date(2020, 2, 1), direction="exit").crossing
        # Entered in 2020 and never left: five years have not passed by NOW.
        cls.stayed = DocumentInputFactory()
        cls.stayed_entry = record(cls.alice, cls.stayed, on=date(2020, 3, 1)).crossing
        # Crossed last month.
        cls.recent = DocumentInputFactory()
        record(cls.alice, cls.recent, on=date(2024, 5, 1))

    def test_border_registers_its_policy(self) -> None:
        # Other apps register theirs too (protection's closed cases): the border's is among them.
        assert "border.traveller" in [p.model for p in retention_policies()]

    def test_dry_run_counts_and_removes_nothing(self) -> None:
        before = (Traveller.objects.count(), Crossing.objects.count(), AuditEntry.objects.count())
        reports = purge_run(dry_run=True, now=NOW)
        assert [(r.policy.model, r.due) for r in reports if r.policy.model.startswith("border.")] == [
            ("border.traveller", 1)
        ]
        assert (Traveller.objects.count(), Crossing.objects.count(), AuditEntry.objects.count()) == before

    def test_purge_removes_the_file_whose_period_ended_and_only_that(self) -> None:
        gone = self.left_exit.traveller_id
        documents = set(TravelDocument.objects.filter(traveller_id=gone).values_list("pk", flat=True))
        crossings = set(Crossing.objects.filter(traveller_id=gone).values_list("pk", flat=True))
        stays = set(Stay.objects.filter(traveller_id=gone).values_list("pk", flat=True))
        assert len(crossings) == 2 and len(stays) == 1
        [report] = [r for r in purge_run(dry_run=False, now=NOW) if r.policy.model == "border.traveller"]
        assert report.due == 1
        assert report.removed["border.crossing"] == 2 and report.removed["border.traveller"] == 1
        assert not Traveller.objects.filter(pk=gone).exists()
        assert not Crossing.objects.filter(pk__in=crossings).exists()
        # The entry without exit (five years) and the recent traveller are kept.
        assert Traveller.objects.filter(pk=self.stayed_entry.traveller_id).exists()
        assert Traveller.objects.count() == 2
        # Tombstones for every removed record; one audit entry naming what went; the chain is whole.
        for label, ids in (
            ("border.traveller", {gone}),
            ("border.traveldocument", documents),
            ("border.crossing", crossings),
            ("border.stay", stays),
        ):
            assert purged_ids(label, ids) == {str(i) for i in ids}, label
        entry = AuditEntry.objects.get(action="purge")
        assert entry.object_id == str(gone) and "2 border.crossing" in entry.summary
        assert audit_verify()[1] == []

    def test_the_entry_without_exit_goes_after_five_years(self) -> None:
        later = datetime(2025, 3, 2, tzinfo=UTC)
        purge_run(dry_run=False, now=later)
        assert not Traveller.objects.filter(pk=self.stayed_entry.traveller_id).exists()

    @override_settings(CORREDOR_RETENTION_DAYS={"crossing": 0, "entry_without_exit": 0, "traveller": 0})
    def test_zero_keeps_for_ever(self) -> None:
        assert purge_run(dry_run=True, now=datetime(2040, 1, 1, tzinfo=UTC))[0].due == 0

    def test_a_purged_record_cannot_come_back(self) -> None:
        crossing_id = self.left_exit.pk
        traveller = Traveller.objects.get(pk=self.left_exit.traveller_id)
        purge_run(dry_run=False, now=NOW)
        # An offline post's copy of the traveller, written again with its original id.
        traveller._state.adding = True
        with pytest.raises(PurgedRecord) as refused:
            traveller.save()
        assert refused.value.status == 410 and str(traveller.pk) in refused.value.message
        assert Tombstone.objects.filter(model_label="border.crossing", object_id=crossing_id).exists()

    @time_machine.travel(datetime(2026, 1, 15, tzinfo=UTC), tick=False)
    def test_the_command(self) -> None:
        out = io.StringIO()
        call_command("purge", "--dry-run", stdout=out)
        assert "border.traveller: " in out.getvalue() and "nothing removed" in out.getvalue()
        out = io.StringIO()
        call_command("purge", stdout=out)  # in 2026 both 2020 files are past their periods
        assert "border.traveller: 2 purged" in out.getvalue()
        assert Traveller.objects.count() == 1
