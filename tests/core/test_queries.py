"""`core.queries.matching`: the rows whose field holds one of many values (an array parameter on
PostgreSQL, an IN list elsewhere), the same answer on both."""

import uuid

from django.test import TestCase

from corredor.core.models import Country, Tombstone
from corredor.core.queries import matching


class MatchingTests(TestCase):
    def test_uuids_given_as_text_or_uuid_and_the_other_fields_equal(self) -> None:
        kept = [uuid.uuid4() for _ in range(3)]
        for pk in kept:
            Tombstone.objects.create(model_label="border.crossing", object_id=pk)
        other = Tombstone.objects.create(model_label="border.stay", object_id=uuid.uuid4())
        asked = [str(kept[0]), kept[1], uuid.uuid4(), str(other.object_id)]
        found = matching(Tombstone, "object_id", asked, ["object_id"], model_label="border.crossing")
        assert {row[0] for row in found} == {kept[0], kept[1]}

    def test_text_keys_and_several_columns(self) -> None:
        # A value longer than the column is not cut to fit: "CRIX" is not "CRI".
        found = matching(Country, "code", ["CRI", "NIC", "CRIX", "Q9Q"], ["code", "pk"])
        assert sorted(found) == [("CRI", "CRI"), ("NIC", "NIC")]

    def test_nothing_asked_nothing_found(self) -> None:
        assert matching(Country, "code", [], ["code"]) == []
