"""Named personas, so that permission tests read like the spec:

- alice: border officer at post SJO (Juan Santamaría airport)
- bob: border officer at post PBL (Peñas Blancas land crossing)
- sofia: supervisor at SJO
- ana: analyst (aggregates only: refused travellers' personal data)
- aud: auditor (reads the audit log)
- admin: administrator

`PersonaTestCase` loads Costa Rica's border posts and stay rules and makes the personas once per class.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase

from corredor.border.models import BorderPolicy, RefusalGround
from corredor.border.reference import load_border_reference
from corredor.core.errors import ApplicationError
from corredor.core.middleware import audit_after_rollback
from corredor.core.models import BorderPost, Country, StayRule
from corredor.core.reference import load_posts_and_rules
from tests.factories import (
    AdministratorFactory,
    AnalystFactory,
    AuditorFactory,
    OfficerFactory,
    SupervisorFactory,
)


def load_reference(country: str = "CRI") -> None:
    """The border posts and stay rules Corredor ships for `country` (countries and categories come with
    the migrations)."""
    load_posts_and_rules(country=country, post_model=BorderPost, rule_model=StayRule)
    # Refusal grounds and border policies: a database flushed by an earlier TransactionTestCase lost them.
    load_border_reference(ground_model=RefusalGround, policy_model=BorderPolicy, country_model=Country)


class PersonaTestCase(TestCase):
    """A TestCase with Costa Rica's posts and rules and the six personas, made once per class."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_reference("CRI")
        cls.alice = OfficerFactory(username="alice", border_post_id="SJO")
        cls.bob = OfficerFactory(username="bob", border_post_id="PBL")
        cls.sofia = SupervisorFactory(username="sofia", border_post_id="SJO")
        cls.ana = AnalystFactory(username="ana")
        cls.aud = AuditorFactory(username="aud")
        cls.admin = AdministratorFactory(username="admin")


@contextmanager
def at_the_boundary() -> Iterator[None]:
    """What the error boundary (middleware, API handler, command base) does around a service that a test
    calls directly: a refusal's audit row, left to the boundary by the service's rolled-back transaction,
    is written on the way out; the error goes on to the test."""
    try:
        yield
    except ApplicationError as error:
        audit_after_rollback(error)
        raise
