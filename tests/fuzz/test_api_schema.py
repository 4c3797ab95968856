"""The API fuzzed against its own OpenAPI schema (schemathesis): for every operation, generated requests,
valid and invalid, never get a server error, and every answer the schema describes matches it.

Runs in `make test-fuzz` only (marked `fuzz`), within FUZZ_SECONDS in all: the budget is shared out over
the operations, so the run's length is bounded whatever their number. Requests act as an administrator
(every operation reachable) on Costa Rica's reference data, through Django's WSGI application in the test
database. Every operation is tried even when an earlier one fails; the failure lists each operation with
what went wrong, so one run reports every 500 at once.
"""

import itertools
import os
import time
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import response_schema_conformance

from corredor.core.management.commands.token import token_create
from tests.factories import AdministratorFactory, DocumentInputFactory, OfficerFactory, record
from tests.personas import load_reference

pytestmark = pytest.mark.fuzz

BUDGET_SECONDS = float(os.environ.get("FUZZ_SECONDS", "120"))
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_API_EXAMPLES", "200"))


@pytest.fixture
def wsgi_application(db: None) -> Iterator[WSGIHandler]:
    # As Django's test client does: the end of a request must not close the test database's connection
    # (that would roll back the test's transaction and drop the in-memory database).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def no_server_fault(ctx: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """No 500 and no other server fault. A 503 that says why in the API's error shape (the database busy,
    statistics not extracted yet) is an answer, not a fault."""
    if response.status_code < 500:
        return
    if response.status_code == 503:
        try:
            if "message" in response.json():
                return
        except ValueError:
            pass
    raise AssertionError(f"server fault {response.status_code}: {response.text[:300]}")


class _OutOfTime(Exception):
    """Raised inside the test to end Hypothesis' run when the operation's share of the budget is spent:
    returning early would still let it generate (and pay for) every remaining example."""


def _only_out_of_time(error: BaseException) -> bool:
    if isinstance(error, BaseExceptionGroup):
        return all(_only_out_of_time(inner) for inner in error.exceptions)
    return isinstance(error, _OutOfTime)


def fuzz_operation(
    operation: object, mode: GenerationMode, check: object, token: str, seconds: float
) -> None:
    """Send generated requests to one operation until its examples or its share of the budget run out."""
    stop_at = time.monotonic() + seconds

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        # No shrinking: it has no time bound, and the first failing request is reported as sent.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))  # type: ignore[attr-defined]
    def run(case: schemathesis.Case) -> None:
        if time.monotonic() > stop_at:
            raise _OutOfTime
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[check])  # type: ignore[list-item]

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:
        if not _only_out_of_time(error):
            raise


def test_no_server_error_and_answers_match_the_schema(wsgi_application: WSGIHandler) -> None:
    load_reference("CRI")
    officer = OfficerFactory(username="fuzz-officer", border_post_id="SJO")
    for surname in ("FUZZ", "PRUEBA", "NUNEZ"):
        record(officer, DocumentInputFactory(surname=surname))
    call_command("stats", "refresh", verbosity=0)  # the statistics operations answer from the extract
    token = token_create(user=AdministratorFactory(username="fuzz-admin"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_application)
    operations = [result.ok() for result in schema.get_all_operations()]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    # One check at a time: Hypothesis stops at an operation's first failure, and a schema mismatch must
    # not hide a 500 on the same operation.
    checks = [no_server_fault, response_schema_conformance]
    share = BUDGET_SECONDS / (len(operations) * len(modes) * len(checks))
    failures: list[str] = []
    for operation, mode, check in itertools.product(operations, modes, checks):
        try:
            fuzz_operation(operation, mode, check, token, share)
        except (Exception, BaseExceptionGroup) as error:  # schemathesis' FailureGroup is a BaseException
            failures.append(f"{operation.label} ({mode.value}, {check.__name__}):\n{error}")
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)
