"""Imports never block the desk and never show half a list (staged rows, made live in one short step), and
the job runner: `corredor work` claims queued imports, marks dead ones failed and expires abandoned ones."""

import datetime
import io
import threading
import time
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from corredor.border.models import Crossing
from corredor.core.models import AuditEntry
from corredor.matching.records import Name, Traveller
from corredor.screening import selectors, services
from corredor.screening.hooks import traveller_of
from corredor.screening.models import ImportJob, ImportStatus, PersonAlert, ScreeningState, Watchlist
from tests.factories import OfficerFactory, record
from tests.personas import load_reference
from tests.screening import ScreeningTestCase, clean_document, wanted_document


def persons_csv(count: int, *, start: int = 0, surname: str = "Mora") -> str:
    rows = "".join(f"B{n},{surname},Luis {n},wanted\n" for n in range(start, start + count))
    return "entry_id,surname,given_names,category\n" + rows


def live_list() -> dict[str, tuple[Any, ...]]:
    """The person alerts as every reader sees them: id -> (name, version, removed)."""
    return {
        a.external_id: (a.surname, a.given_names, a.version, a.removed_at is not None)
        for a in PersonAlert.objects.filter(staged_for__isnull=True)
    }


class StagedImportTests(ScreeningTestCase):
    def test_readers_see_the_list_before_until_the_import_is_made_live(self) -> None:
        before = live_list()
        seen: list[tuple[dict[str, Any], int, str]] = []
        # The file changes W-WANTED, adds 30 alerts and (full mode) removes the three others.
        text = persons_csv(30) + "W-WANTED,Pérez Castillo,Juan Carlos Segundo,wanted\n"

        def look(done: int, total: int) -> None:
            if done > total // 2 and done < total:  # staging, between two batches
                search = selectors.person_alerts_search(user=self.wendy, watchlist=self.watchlist)
                screened = selectors.screening_run(traveller=traveller_of(wanted_document()))
                seen.append(
                    (
                        live_list(),
                        search.count(),
                        screened.persons[0].alert.given_names if screened.persons else "",
                    )
                )

        with mock.patch.object(services, "STAGE_BATCH", 10):
            report = self.import_csv(text, mode="full", progress=look)
        assert report.ok and (report.created, report.updated, report.removed) == (30, 1, 3)
        assert len(seen) >= 2
        for listed, searched, screened_name in seen:
            assert listed == before and searched == 4 and screened_name == "Juan Carlos"
        after = live_list()
        assert after["W-WANTED"][1:3] == ("Juan Carlos Segundo", 2) and after["W-REFUSED"][3]
        assert len([k for k, v in after.items() if not v[3]]) == 31
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()
        screened = selectors.screening_run(traveller=traveller_of(wanted_document()))
        assert [m.alert.given_names for m in screened.persons] == ["Juan Carlos Segundo"]

    def test_an_import_that_fails_half_way_leaves_the_list_as_it_was(self) -> None:
        before = live_list()
        sequence = ScreeningState.objects.values_list("sequence", flat=True).get()
        real_bulk_create = PersonAlert.objects.bulk_create
        calls = [0]

        def failing(objs: Any, *args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == 3:
                raise OSError("disk full")
            return real_bulk_create(objs, *args, **kwargs)

        text = persons_csv(50) + "W-WANTED,Pérez Castillo,Juan Carlos Segundo,wanted\n"
        with (
            mock.patch.object(services, "STAGE_BATCH", 10),
            mock.patch.object(PersonAlert.objects, "bulk_create", side_effect=failing),
            self.assertRaises(OSError),
        ):
            self.import_csv(text, mode="full")
        assert live_list() == before
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()
        job = ImportJob.objects.filter(filename="file.csv").get()
        assert job.status == "failed" and "disk full" in job.error
        assert ScreeningState.objects.values_list("sequence", flat=True).get() == sequence

    def test_an_entry_added_by_hand_while_the_file_was_staged_refuses_the_import_cleanly(self) -> None:
        def add_by_hand(done: int, total: int) -> None:
            if (
                done > total // 2
                and not PersonAlert.objects.filter(external_id="B3", staged_for=None).exists()
            ):
                PersonAlert.objects.create(
                    watchlist=self.watchlist, external_id="B3", surname="Otro", category="wanted"
                )

        with (
            mock.patch.object(services, "STAGE_BATCH", 2),
            self.assertRaises(services.ApplicationError) as refused,
        ):
            self.import_csv(persons_csv(6), progress=add_by_hand)
        assert refused.exception.status == 409 and "Import the file again" in refused.exception.message
        assert not PersonAlert.objects.filter(external_id__in=["B0", "B1"]).exists()
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()


class BigActivationTests(ScreeningTestCase):
    """Above FLIP_AT_ACTIVATION new alerts, activation writes one row (the job), whatever the file's size:
    the new alerts are visible at once, every index rebuilds, and staged_for is cleared afterwards."""

    def test_a_big_import_is_made_live_by_one_row_and_settled_afterwards(self) -> None:
        traveller = Traveller(
            Name(surname="QUESADA VILLALOBOS", given_names="MARTA"), None, None, None, "", ""
        )
        assert selectors.screening_run(traveller=traveller).persons == []  # this process's index is built
        statements: list[str] = []
        with (
            mock.patch.object(services, "FLIP_AT_ACTIVATION", 5),
            mock.patch.object(services, "STAGE_BATCH", 4),
            mock.patch.object(services, "_settle", return_value=0),
        ):
            real_activate = services._activate

            def watched(*args: Any, **kwargs: Any) -> None:
                with CaptureQueriesContext(connection) as queries:
                    real_activate(*args, **kwargs)
                statements.extend(q["sql"] for q in queries.captured_queries)

            with mock.patch.object(services, "_activate", side_effect=watched):
                report = self.import_csv(persons_csv(11) + "B11,Quesada Villalobos,Marta,wanted\n")
        assert report.ok and report.created == 12
        job = ImportJob.objects.get(filename="file.csv")
        assert job.activated and job.activated_seq is not None
        # No statement of the activation touched the new alerts' rows.
        assert not [q for q in statements if q.startswith("UPDATE") and "screening_personalert" in q]
        staged = PersonAlert.objects.filter(staged_for=job)
        assert staged.count() == 12  # not settled yet (settling was held back) ...
        # ... yet every reader sees them: searches, counts, the index (rebuilt), the list of an import.
        search = selectors.person_alerts_search(user=self.wendy, watchlist=self.watchlist, query="Luis")
        assert search.count() == 11
        assert selectors.watchlists_list(user=self.wendy).get(code="nat").persons == 16
        assert [m.alert.external_id for m in selectors.screening_run(traveller=traveller).persons] == ["B11"]
        # A second import sees them as listed (changes them, adds nothing twice).
        again = self.import_csv(persons_csv(11, surname="Mora Segundo"))
        assert again.ok and (again.created, again.updated) == (0, 11)
        # The worker's reaper settles an activated job's rows; it never deletes them.
        services.import_jobs_reap()
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()
        assert PersonAlert.objects.filter(external_id__startswith="B", removed_at__isnull=True).count() == 12

    def test_a_big_import_refuses_an_entry_added_by_hand_meanwhile(self) -> None:
        def add_by_hand(done: int, total: int) -> None:
            if (
                done > total // 2
                and not PersonAlert.objects.filter(external_id="B3", staged_for=None).exists()
            ):
                PersonAlert.objects.create(
                    watchlist=self.watchlist, external_id="B3", surname="Otro", category="wanted"
                )

        with (
            mock.patch.object(services, "FLIP_AT_ACTIVATION", 5),
            mock.patch.object(services, "STAGE_BATCH", 4),
            self.assertRaises(services.ApplicationError) as refused,
        ):
            self.import_csv(persons_csv(12), progress=add_by_hand)
        assert refused.exception.status == 409
        assert not PersonAlert.objects.filter(external_id="B0").exists()
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()


class DeskDuringImportTests(TransactionTestCase):
    """A real second connection (a thread) records a crossing while an import is between two batches."""

    def test_a_crossing_is_recorded_while_a_big_import_runs(self) -> None:
        load_reference("CRI")
        officer = OfficerFactory(username="olga", border_post_id="SJO")
        watchlist = Watchlist.objects.create(code="big", name="Big list", owner="DGME")
        outcome: dict[str, Any] = {}
        timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 20)

        def desk() -> None:
            started = time.perf_counter()
            try:
                outcome["crossing"] = record(officer, clean_document()).crossing.pk
            except Exception as error:  # the failure the test reports
                outcome["error"] = repr(error)
            finally:
                outcome["waited"] = time.perf_counter() - started
                connection.close()

        def progress(done: int, total: int) -> None:
            if done > total // 2 and done < total and "waited" not in outcome:
                thread = threading.Thread(target=desk)
                thread.start()
                thread.join(timeout + 5)

        # A "big" file for the test's scale: staged in batches, made live by one row, then settled.
        with (
            mock.patch.object(services, "STAGE_BATCH", 100),
            mock.patch.object(services, "FLIP_AT_ACTIVATION", 500),
        ):
            report = services.watchlist_import(
                user=None,
                watchlist=watchlist,
                data=persons_csv(1000).encode(),
                filename="big.csv",
                progress=progress,
            )
        assert report.ok and report.created == 1000
        assert "error" not in outcome, outcome.get("error")
        assert outcome["waited"] < timeout
        assert Crossing.objects.filter(pk=outcome["crossing"]).exists()
        assert PersonAlert.objects.filter(watchlist=watchlist, removed_at__isnull=True).count() == 1000
        assert ImportJob.objects.get(filename="big.csv").activated_seq is not None
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()  # settled


class WorkerTests(ScreeningTestCase):
    def queued(self, text: str = "entry_id,surname,category\nQ1,Mora,wanted\n") -> ImportJob:
        job = services.import_job_create(
            user=self.wendy, watchlist=self.watchlist, data=text.encode(), filename="q.csv"
        )
        return services.import_job_start(
            user=self.wendy, job=job, mapping=job.mapping, mode="incremental", kind="persons"
        )

    def test_a_queued_import_is_claimed_once(self) -> None:
        job = self.queued()
        claimed = services.import_job_claim("worker-a")
        assert claimed is not None and claimed.pk == job.pk and claimed.status == "running"
        assert services.import_job_claim("worker-b") is None  # the conditional UPDATE found it taken
        assert ImportJob.objects.get(pk=job.pk).worker == "worker-a"

    def test_the_worker_runs_it_and_the_audit_names_who_uploaded(self) -> None:
        job = self.queued()
        out = io.StringIO()
        call_command("work", "--once", stdout=out)
        assert "1 jobs run" in out.getvalue()
        job = ImportJob.objects.get(pk=job.pk)
        assert job.status == "done" and job.finished_at is not None and job.heartbeat_at is not None
        assert PersonAlert.objects.filter(external_id="Q1", removed_at__isnull=True).exists()
        entry = AuditEntry.objects.filter(object_type="screening.watchlist", summary__contains="q.csv").get()
        assert entry.username == "wendy" and entry.origin == "corredor work"

    def test_an_import_killed_mid_run_is_marked_failed_and_its_staged_rows_go(self) -> None:
        job = self.queued()
        assert services.import_job_claim("host:4242") is not None
        # What a kill -9 half way leaves: staged rows, 43%, and a heartbeat that stopped.
        PersonAlert.objects.create(
            watchlist=self.watchlist,
            external_id="Q1",
            surname="Mora",
            category="wanted",
            staged_for=job,
            removed_at=timezone.now(),
        )
        stopped = timezone.now() - datetime.timedelta(minutes=10)
        ImportJob.objects.filter(pk=job.pk).update(done=43, total=100, heartbeat_at=stopped)
        before = live_list()
        call_command("work", "--once", stdout=io.StringIO())
        job = ImportJob.objects.get(pk=job.pk)
        assert job.status == "failed" and job.finished
        assert "host:4242" in job.error and "43%" in job.error and "Nothing was imported" in job.error
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists() and live_list() == before
        assert bytes(job.data) == b""

    def test_a_running_import_with_a_recent_heartbeat_is_left_alone(self) -> None:
        job = self.queued()
        services.import_job_claim("host:1")
        assert services.import_jobs_reap() == 0
        assert ImportJob.objects.get(pk=job.pk).status == "running"

    def test_a_reaped_import_stops_writing(self) -> None:
        job = self.queued(persons_csv(20))
        claimed = services.import_job_claim("host:2")
        assert claimed is not None
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)  # a worker found it dead
        with mock.patch.object(services, "STAGE_BATCH", 5):
            services.import_job_run(claimed)
        assert not PersonAlert.objects.filter(external_id__startswith="B").exists()
        assert not PersonAlert.objects.filter(staged_for__isnull=False).exists()
        assert ImportJob.objects.get(pk=job.pk).status == "failed"

    def test_an_abandoned_upload_expires(self) -> None:
        job = services.import_job_create(
            user=self.wendy, watchlist=self.watchlist, data=b"entry_id,surname,category\n", filename="x.csv"
        )
        recent = services.import_job_create(
            user=self.wendy, watchlist=self.watchlist, data=b"entry_id,surname,category\n", filename="y.csv"
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
        assert services.import_jobs_reap() == 1
        job = ImportJob.objects.get(pk=job.pk)
        assert job.status == "expired" and bytes(job.data) == b"" and job.finished
        assert ImportJob.objects.get(pk=recent.pk).status == "pending"
        html = self.client_for_wendy().get(f"/screening/imports/{job.pk}/status/").content.decode()
        assert 'data-status="expired"' in html and "never confirmed" in html

    def client_for_wendy(self) -> Any:
        from django.test import Client

        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(self.wendy)
        return client
