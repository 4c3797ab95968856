"""Django's `flush` (empty every table), which the audit log's append-only triggers would otherwise stop
halfway: they are taken off for the flush and put back after it. Emptying the database empties the audit
log too, by design; `corredor audit verify --head` then shows that the exported head is gone. (Django's
TransactionTestCase empties the test database with this command between tests.) What the migrations
load (countries, stay categories, common areas) is loaded again: the database is left as a fresh
`corredor migrate` leaves it, not without the reference data every record points at."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from corredor.core import reference
from corredor.core.dbtriggers import audit_triggers_create, audit_triggers_drop
from corredor.core.models import CommonArea, Country, StayCategory


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        audit_triggers_drop(connection)
        try:
            super().handle(**options)
        finally:
            audit_triggers_create(connection)
        reference.load_countries(Country)
        reference.load_categories_and_areas(StayCategory, CommonArea)
