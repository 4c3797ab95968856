"""The one error boundary: an ApplicationError or a refusal becomes a page, an htmx fragment, JSON or a
command's exit status, and a refusal's audit row is written after the rollback."""

import contextlib
import io
import sqlite3

import pytest
from django.db import OperationalError, connection, transaction
from django.test import TransactionTestCase, override_settings

from corredor.core.errors import Busy, PermissionDenied, busy_from
from corredor.core.management.base import EXIT_BUSY, EXIT_INPUT, EXIT_REFUSED, ApplicationCommand
from corredor.core.models import AuditEntry, Role, User
from corredor.core.permissions import refuse
from tests.personas import PersonaTestCase


def denied_rows(username: str = "alice"):
    return AuditEntry.objects.filter(action="denied", username=username, object_id="boundary:test")


class RefuseTests(PersonaTestCase):
    def test_outside_a_transaction_the_refusal_is_audited_at_once(self) -> None:
        error = refuse(self.alice, "No.", "boundary:test")
        assert isinstance(error, PermissionDenied) and error.status == 403
        assert error.audited
        assert denied_rows("system").count() == 1  # no request: the system acts

    def test_inside_a_transaction_the_audit_waits_for_the_boundary(self) -> None:
        with pytest.raises(PermissionDenied) as caught, transaction.atomic():
            raise refuse(self.alice, "No.", "boundary:test")
        assert not caught.value.audited
        assert not denied_rows("system").exists()

    def test_the_old_private_name_still_works(self) -> None:
        from corredor.core.permissions import _refuse

        assert _refuse is refuse


@override_settings(ROOT_URLCONF="tests.core.boundary_urls")
class PageBoundaryTests(PersonaTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_a_refusal_in_an_atomic_service_is_a_403_page_and_audited_after_the_rollback(self) -> None:
        response = self.client.get("/boundary/refused")
        assert response.status_code == 403
        assert "text/html" in response["Content-Type"]
        assert b"Only testers may do this." in response.content
        assert b'id="error-slot"' in response.content  # a full page, in the base layout
        assert not User.objects.filter(username="ghost").exists()  # the write was rolled back
        assert denied_rows().count() == 1  # ... and the refusal still audited, once
        assert denied_rows().get().summary == "Only testers may do this."

    def test_under_an_outer_atomic_block_too(self) -> None:
        response = self.client.get("/boundary/refused-nested")
        assert response.status_code == 403
        assert not User.objects.filter(username="ghost").exists()
        assert denied_rows().count() == 1

    def test_an_application_error_is_a_page_with_its_status_message_and_detail(self) -> None:
        response = self.client.get("/boundary/conflict")
        assert response.status_code == 409
        text = response.content.decode()
        assert "The traveller is already in the country." in text
        assert "Open stay since 2024-01-01." in text
        assert not User.objects.filter(username="ghost").exists()
        assert not AuditEntry.objects.filter(action="denied").exists()  # not a refusal

    def test_htmx_gets_a_fragment_retargeted_to_the_error_slot(self) -> None:
        response = self.client.get("/boundary/refused", headers={"HX-Request": "true"})
        assert response.status_code == 403
        assert response["HX-Retarget"] == "#error-slot"
        assert response["HX-Reswap"] == "innerHTML"
        text = response.content.decode()
        assert "Only testers may do this." in text
        assert "<html" not in text  # a fragment, not a page
        assert denied_rows().count() == 1

    def test_a_page_may_name_its_own_error_slot(self) -> None:
        headers = {"HX-Request": "true", "X-Error-Target": "#desk-error"}
        response = self.client.get("/boundary/conflict", headers=headers)
        assert response.status_code == 409
        assert response["HX-Retarget"] == "#desk-error"

    def test_a_target_that_is_not_a_plain_id_falls_back_to_the_default_slot(self) -> None:
        headers = {"HX-Request": "true", "X-Error-Target": "body > main, #x"}
        response = self.client.get("/boundary/conflict", headers=headers)
        assert response["HX-Retarget"] == "#error-slot"

    @override_settings(LANGUAGE_CODE="en")  # the message asserted is the English one
    def test_a_locked_database_is_503_try_again_and_nothing_recorded(self) -> None:
        response = self.client.get("/boundary/locked")
        assert response.status_code == 503
        assert response["Retry-After"]
        assert b"Nothing was recorded" in response.content
        assert not User.objects.filter(username="ghost").exists()

    def test_a_locked_database_at_the_desk_is_a_fragment_htmx_will_swap(self) -> None:
        response = self.client.get("/boundary/locked", headers={"HX-Request": "true"})
        assert response.status_code == 503
        assert response["HX-Retarget"] == "#error-slot"
        assert response["X-Corredor-Error"] == "503"  # corredor.js swaps 5xx answers only with this mark

    def test_any_other_database_error_stays_a_server_error(self) -> None:
        self.client.raise_request_exception = False
        response = self.client.get("/boundary/broken")
        assert response.status_code == 500

    def test_a_plain_view_under_api_answers_json(self) -> None:
        response = self.client.get("/api/boundary-plain/refused")
        assert response.status_code == 403
        assert response.json() == {"message": "Only testers may do this.", "detail": None}
        assert denied_rows().count() == 1


@override_settings(ROOT_URLCONF="tests.core.boundary_urls")
class ApiBoundaryTests(PersonaTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_a_refusal_is_json_with_its_status_and_audited_after_the_rollback(self) -> None:
        response = self.client.post("/api/boundary/refused")
        assert response.status_code == 403
        assert response.json() == {"message": "Only testers may do this.", "detail": None}
        assert not User.objects.filter(username="ghost").exists()
        assert denied_rows().count() == 1

    @override_settings(LANGUAGE_CODE="en")  # the message asserted is the English one
    def test_a_locked_database_is_a_json_503(self) -> None:
        response = self.client.post("/api/boundary/locked")
        assert response.status_code == 503
        assert "Nothing was recorded" in response.json()["message"]
        assert response["Retry-After"]
        assert not User.objects.filter(username="ghost").exists()

    def test_any_other_database_error_stays_a_server_error_without_a_trace(self) -> None:
        self.client.raise_request_exception = False
        response = self.client.get("/api/boundary/broken")
        assert response.status_code == 500
        assert b"Traceback" not in response.content and b"nowhere" not in response.content


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
@override_settings(ROOT_URLCONF="tests.core.boundary_urls")
class RealLockTests(TransactionTestCase):
    """Another connection holds SQLite's write lock (as a long import did): the desk's write answers 503
    "try again", the API's too, nothing half-written; once the lock is gone the same request succeeds."""

    # The reference data the migrations load must be there for the tests that run after this one.
    serialized_rollback = True

    @override_settings(LANGUAGE_CODE="en")  # the message asserted is the English one
    def test_a_write_while_another_connection_holds_the_lock(self) -> None:
        database = connection.get_connection_params()["database"]
        holder = sqlite3.connect(database, uri=True, timeout=0.1)
        try:
            holder.execute("BEGIN IMMEDIATE")
            holder.execute(
                "INSERT INTO django_session (session_key, session_data, expire_date)"
                " VALUES ('holder', '', '2030-01-01')"
            )
            page = self.client.post("/boundary/write", headers={"HX-Request": "true"})
            api = self.client.post("/api/boundary/write")
        finally:
            holder.rollback()
            holder.close()
        assert page.status_code == 503
        assert "Nothing was recorded" in page.content.decode()
        assert api.status_code == 503
        assert "Nothing was recorded" in api.json()["message"]
        assert not User.objects.filter(username="ghost").exists()
        assert self.client.post("/boundary/write").status_code == 201


class WriteThenFail(ApplicationCommand):
    help = "test command"
    outcome = "refuse"

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            User.objects.create(username="ghost", role=Role.ANALYST)
            if self.outcome == "refuse":
                raise refuse(None, "Only testers may run this.", "boundary:test")
            if self.outcome == "locked":
                raise OperationalError("database is locked")
            from corredor.core.errors import ApplicationError

            raise ApplicationError(
                "Row 3: the birth date is in the future.", detail=[{"row": 3, "message": "x"}]
            )


def run_command(outcome: str) -> tuple[int, str]:
    command = WriteThenFail()
    command.outcome = outcome
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
        command.run_from_argv(["corredor", "writethenfail"])
    return int(exited.value.code), err.getvalue()


class CommandBoundaryTests(PersonaTestCase):
    def test_a_refusal_exits_77_with_the_message_and_is_audited_after_the_rollback(self) -> None:
        status, err = run_command("refuse")
        assert status == EXIT_REFUSED
        assert err.strip() == "Only testers may run this."
        assert not User.objects.filter(username="ghost").exists()
        assert AuditEntry.objects.filter(action="denied", object_id="boundary:test").count() == 1

    def test_bad_input_exits_65_with_the_message_and_its_detail(self) -> None:
        status, err = run_command("invalid")
        assert status == EXIT_INPUT
        assert err.splitlines() == ["Row 3: the birth date is in the future.", "  3: x"]

    def test_a_locked_database_exits_75_try_again(self) -> None:
        status, err = run_command("locked")
        assert status == EXIT_BUSY
        assert "Nothing was recorded" in err

    def test_through_call_command_the_error_itself_propagates(self) -> None:
        command = WriteThenFail()
        with pytest.raises(Busy):
            command.outcome = "locked"
            command.execute(
                stdout=io.StringIO(), stderr=io.StringIO(), no_color=True, force_color=False, skip_checks=True
            )


def test_busy_is_only_for_lock_errors() -> None:
    assert isinstance(busy_from(OperationalError("database is locked")), Busy)
    assert busy_from(OperationalError("no such table: x")) is None
    assert busy_from(ValueError("database is locked")) is None
