"""The border's reads: overstays (derived, never typed in), who is in the country, the stay the rules allow,
a traveller's record (audited, refused to analysts)."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from corredor.border import selectors, services
from corredor.border.models import Stay
from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import ApplicationError, PermissionDenied
from corredor.core.models import AuditEntry, BorderPost, StayCategory, StayRule
from tests.factories import DocumentInputFactory, OfficerFactory, record
from tests.personas import PersonaTestCase, load_reference

JAN_1 = date(2024, 1, 1)
LAST_DAY = date(2024, 1, 30)  # of a 30-day stay from 1 January


def rows_by_surname(as_of: date, **kwargs: object) -> dict[str, int]:
    return {row.surname: row.days_over for row in selectors.overstay_rows(as_of=as_of, **kwargs)}  # type: ignore[arg-type]


class OverstayTests(PersonaTestCase):
    """Nine travellers who entered on 1 January 2024 with 30 days (until 30 January) or otherwise."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        cls.docs = {}

        def entry(surname: str, officer=None, **kwargs):  # type: ignore[no-untyped-def]
            doc = cls.docs[surname] = DocumentInputFactory(surname=surname)
            kwargs.setdefault("stay_days", 30)
            return record(officer or cls.alice, doc, on=JAN_1, **kwargs)

        def leave(surname: str, on: date, doc: object = None) -> None:
            record(cls.alice, doc or cls.docs[surname], on=on, direction="exit")

        cls.stayer = entry("STAYER")
        cls.leaver = entry("LEAVER")
        leave("LEAVER", date(2024, 1, 25))
        cls.late_leaver = entry("LATELEAVER")
        leave("LATELEAVER", date(2024, 2, 15))
        cls.resident = entry("RESIDENT", stay_category="resident", stay_days=None)
        cls.refused = entry("REFUSED", decision="refused", stay_days=None)
        cls.at_pbl = entry("ATPBL", officer=cls.bob)
        # Entered on one passport, left on the renewed one (same identity, so the same traveller).
        cls.renewer = entry("RENEWER")
        old = cls.docs["RENEWER"]
        renewed = DocumentInputFactory(
            number="R0000001",
            surname=old.surname,
            given_names=old.given_names,
            birth_date=old.birth_date,
            nationality=old.nationality,
        )
        leave("RENEWER", date(2024, 1, 20), doc=renewed)
        cls.extended = entry("EXTENDED")
        services.stay_extend(
            officer=cls.sofia,
            stay_id=cls.extended.stay.pk,
            authorised_until=date(2024, 3, 1),
            reason="hospital",
        )
        # Refused at a later attempt to enter: the refusal does not end the earlier stay.
        cls.refused_later = entry("REFUSEDLATER")
        record(cls.alice, cls.docs["REFUSEDLATER"], on=date(2024, 1, 10), decision="refused")

    def test_not_an_overstay_on_the_last_authorised_day(self) -> None:
        assert rows_by_surname(LAST_DAY) == {}

    def test_an_overstay_from_the_day_after(self) -> None:
        assert rows_by_surname(LAST_DAY + timedelta(days=1)) == {
            "STAYER": 1,
            "ATPBL": 1,
            "REFUSEDLATER": 1,
            "LATELEAVER": 1,
        }

    def test_an_exit_clears_the_overstay_from_its_day(self) -> None:
        assert rows_by_surname(date(2024, 2, 14))["LATELEAVER"] == 15
        assert "LATELEAVER" not in rows_by_surname(date(2024, 2, 15))

    def test_extension_is_respected(self) -> None:
        assert "EXTENDED" not in rows_by_surname(date(2024, 3, 1))
        assert rows_by_surname(date(2024, 3, 2))["EXTENDED"] == 1

    def test_open_ended_refused_and_departed_never_overstay(self) -> None:
        rows = rows_by_surname(date(2025, 1, 1))
        assert set(rows) == {"STAYER", "ATPBL", "EXTENDED", "REFUSEDLATER"}

    def test_row_says_who_where_and_until_when(self) -> None:
        (row,) = [r for r in selectors.overstay_rows(as_of=date(2024, 2, 9)) if r.surname == "STAYER"]
        stayer = self.stayer.crossing
        assert row.traveller_id == stayer.traveller_id
        assert row.document == f"{stayer.document.issuing_state_id} {stayer.document.number}"
        assert (row.entry_post, row.entered_on, row.category) == ("SJO", JAN_1, "tourist")
        assert (row.authorised_until, row.days_over) == (LAST_DAY, 10)
        assert row.nationality == "NIC"

    def test_post_filter(self) -> None:
        as_of = date(2024, 2, 1)
        assert set(rows_by_surname(as_of, post="SJO")) == {"STAYER", "REFUSEDLATER", "LATELEAVER"}
        assert set(rows_by_surname(as_of, post="PBL")) == {"ATPBL"}

    def test_overstay_list_is_audited(self) -> None:
        before = AuditEntry.objects.filter(action="read", object_id="overstays").count()
        selectors.overstay_rows(as_of=date(2024, 2, 1))
        assert AuditEntry.objects.filter(action="read", object_id="overstays").count() == before + 1

    def test_supervisor_sees_own_posts_overstays_only(self) -> None:
        rows = selectors.overstays(user=self.sofia, as_of=date(2024, 2, 1), post="PBL")
        assert {r.surname for r in rows} == {"STAYER", "REFUSEDLATER", "LATELEAVER"}

    def test_administrator_sees_any_post(self) -> None:
        assert {r.surname for r in selectors.overstays(user=self.admin, as_of=date(2024, 2, 1))} == {
            "STAYER",
            "ATPBL",
            "REFUSEDLATER",
            "LATELEAVER",
        }
        assert {
            r.surname for r in selectors.overstays(user=self.admin, as_of=date(2024, 2, 1), post="PBL")
        } == {"ATPBL"}

    def test_officer_and_analyst_cannot_list_overstays(self) -> None:
        for user in (self.alice, self.ana, self.aud):
            with pytest.raises(PermissionDenied):
                selectors.overstays(user=user, as_of=date(2024, 2, 1))

    def test_traveller_status(self) -> None:
        status = selectors.traveller_status(traveller=self.stayer.crossing.traveller, as_of=date(2024, 2, 9))
        assert status.in_country is True
        assert status.current_stay == self.stayer.stay
        assert (status.authorised_until, status.overstay_days) == (LAST_DAY, 10)
        assert status.last_crossing == self.stayer.crossing

        leaver = selectors.traveller_status(traveller=self.leaver.crossing.traveller, as_of=date(2024, 2, 9))
        assert (leaver.in_country, leaver.overstay_days, leaver.current_stay) == (False, 0, None)
        assert leaver.last_crossing is not None and leaver.last_crossing.direction == "exit"

        # Before the exit, the late leaver was in the country.
        before_exit = selectors.traveller_status(
            traveller=self.late_leaver.crossing.traveller, as_of=date(2024, 1, 20)
        )
        assert (before_exit.in_country, before_exit.overstay_days) == (True, 0)

        resident = selectors.traveller_status(
            traveller=self.resident.crossing.traveller, as_of=date(2030, 1, 1)
        )
        assert (resident.in_country, resident.authorised_until, resident.overstay_days) == (True, None, 0)

        refused = selectors.traveller_status(
            traveller=self.refused.crossing.traveller, as_of=date(2024, 1, 2)
        )
        assert (refused.in_country, refused.last_crossing) == (False, None)

    def test_in_country(self) -> None:
        present = {
            s.traveller.surname for s in selectors.in_country(user=self.sofia, as_of=date(2024, 1, 26))
        }
        assert present == {"STAYER", "LATELEAVER", "RESIDENT", "ATPBL", "EXTENDED", "REFUSEDLATER"}
        assert "LEAVER" in {s.traveller.surname for s in selectors.in_country(user=self.sofia, as_of=JAN_1)}
        with pytest.raises(PermissionDenied):
            selectors.in_country(user=self.alice)

    def test_crossings_list_officer_sees_own_post_only(self) -> None:
        def posts(user: object, **filters: object) -> set[str]:
            page = selectors.crossings_page(user=user, filters=selectors.CrossingFilters(**filters))  # type: ignore[arg-type]
            return {c.post_id for c in page.items}

        assert posts(self.bob) == {"PBL"}
        assert posts(self.admin) == {"SJO", "PBL"}
        with pytest.raises(PermissionDenied):
            posts(self.bob, post="SJO")
        with pytest.raises(PermissionDenied):
            posts(self.ana)


class TravellerReadTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.recorded = record(cls.alice, DocumentInputFactory(surname="LECTOR"), on=JAN_1)

    def test_traveller_get_returns_the_record_and_writes_a_read_entry(self) -> None:
        traveller_id = self.recorded.crossing.traveller_id
        with acting_as(actor_for(self.alice, "10.0.0.7")):
            history = selectors.traveller_get(user=self.alice, traveller_id=traveller_id, purpose="desk SJO")
        assert history.traveller.surname == "LECTOR"
        assert [c.pk for c in history.crossings] == [self.recorded.crossing.pk]
        assert [s.pk for s in history.stays] == [self.recorded.stay.pk]  # type: ignore[union-attr]
        assert len(history.documents) == 1
        entry = AuditEntry.objects.filter(action="read", object_id=str(traveller_id)).get()
        assert (entry.username, entry.role, entry.origin, entry.summary) == (
            "alice",
            "officer",
            "10.0.0.7",
            "desk SJO",
        )

    def test_analyst_and_auditor_are_refused_personal_data(self) -> None:
        traveller_id = self.recorded.crossing.traveller_id
        for user in (self.ana, self.aud):
            with acting_as(actor_for(user, "test")), pytest.raises(PermissionDenied) as caught:
                selectors.traveller_get(user=user, traveller_id=traveller_id)
            assert caught.value.status == 403
        assert not AuditEntry.objects.filter(action="read", object_id=str(traveller_id)).exists()
        assert AuditEntry.objects.filter(action="denied", username="ana", object_id="personal_data").exists()

    def test_unknown_traveller_is_not_found(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            selectors.traveller_get(user=self.alice, traveller_id="00000000-0000-0000-0000-000000000000")
        assert caught.value.status == 404

    def test_search_by_document_number_and_by_name(self) -> None:
        number = self.recorded.crossing.document.number
        assert [t.surname for t in selectors.traveller_search(user=self.alice, query=number)] == ["LECTOR"]
        assert [t.surname for t in selectors.traveller_search(user=self.alice, query="lector")] == ["LECTOR"]
        assert selectors.traveller_search(user=self.alice, query="NOBODY") == []
        with pytest.raises(PermissionDenied):
            selectors.traveller_search(user=self.ana, query="LECTOR")


class StayAllowanceTests(PersonaTestCase):
    def test_most_specific_rule_applies(self) -> None:
        tourist = StayCategory.objects.get(code="tourist")
        assert selectors.stay_rule_for(nationality="USA", category=tourist).days_per_entry == 180  # type: ignore[union-attr]
        assert selectors.stay_rule_for(nationality="NIC", category=tourist).days_per_entry == 90  # type: ignore[union-attr]
        business = StayCategory.objects.get(code="business")
        assert selectors.stay_rule_for(nationality="USA", category=business).days_per_entry == 30  # type: ignore[union-attr]

    def test_category_without_a_rule_uses_its_default_days(self) -> None:
        student = StayCategory.objects.get(code="student")
        allowance = selectors.stay_allowance(
            traveller=None, nationality="NIC", category=student, entry_date=JAN_1
        )
        assert (allowance.days, allowance.authorised_until) == (365, date(2024, 12, 30))

    def test_two_90_day_stays_use_up_180_in_365(self) -> None:
        doc = DocumentInputFactory(surname="VIAJERA")
        first = record(self.alice, doc, on=date(2024, 1, 1))
        assert first.stay is not None and first.stay.granted_days == 90
        record(self.alice, doc, on=date(2024, 3, 30), direction="exit")  # 90 days present
        second = record(self.alice, doc, on=date(2024, 5, 1))
        assert second.stay is not None and second.stay.granted_days == 90
        record(self.alice, doc, on=date(2024, 7, 29), direction="exit")  # another 90

        tourist = StayCategory.objects.get(code="tourist")
        traveller = first.crossing.traveller
        allowance = selectors.stay_allowance(
            traveller=traveller, nationality="NIC", category=tourist, entry_date=date(2024, 9, 1)
        )
        assert allowance.days == 0
        stays_before = Stay.objects.count()
        with pytest.raises(ApplicationError) as caught:
            record(self.alice, doc, on=date(2024, 9, 1))
        assert "No days of stay are left" in caught.value.message
        assert "180 en 365" in caught.value.message  # names the rule
        assert caught.value.detail == {"field": "stay_days"}
        assert Stay.objects.count() == stays_before
        # The officer refuses the entry instead.
        refused = record(self.alice, doc, on=date(2024, 9, 1), decision="refused", stay_category=None)
        assert refused.stay is None

        # A year after the first stay ended, its days have left the window; the second stay's remain.
        later = selectors.stay_allowance(
            traveller=traveller, nationality="NIC", category=tourist, entry_date=date(2025, 3, 31)
        )
        assert later.days == 90

    def test_the_window_limits_a_stay_to_what_is_left(self) -> None:
        doc = DocumentInputFactory(surname="CASI")
        record(self.alice, doc, on=date(2024, 1, 1))
        record(self.alice, doc, on=date(2024, 3, 30), direction="exit")  # 90 days
        record(self.alice, doc, on=date(2024, 5, 1), stay_days=60)
        record(self.alice, doc, on=date(2024, 6, 29), direction="exit")  # 60 days: 150 in the window
        third = record(self.alice, doc, on=date(2024, 8, 1))
        assert third.stay is not None
        assert third.stay.granted_days == 30
        assert third.stay.authorised_until == date(2024, 8, 30)

    def test_refused_entries_and_stays_elsewhere_do_not_use_the_window(self) -> None:
        doc = DocumentInputFactory(surname="RECHAZADA")
        for month in (1, 3, 5, 7):
            record(self.alice, doc, on=date(2024, month, 1), decision="refused", stay_category=None)
        assert record(self.alice, doc, on=date(2024, 9, 1)).stay.granted_days == 90  # type: ignore[union-attr]


@override_settings(CORREDOR_COUNTRY="GTM")
class CommonAreaTests(PersonaTestCase):
    """Guatemala, a member of the CA-4 area: days in Guatemala, El Salvador, Honduras and Nicaragua add up."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_reference("GTM")
        cls.gabriela = OfficerFactory(username="gabriela", border_post_id="GUA")
        BorderPost.objects.create(
            code="HNDX", kind="land", country_id="HND", name_es="Frontera HND", name_en="HND border"
        )
        cls.hector = OfficerFactory(username="hector", border_post_id="HNDX")

    def test_honduran_entering_30_days_after_entering_the_area_gets_60_days(self) -> None:
        doc = DocumentInputFactory(nationality="HND", surname="LOPEZ")
        recorded = record(self.gabriela, doc, on=date(2024, 4, 30), area_entered_on=date(2024, 3, 31))
        assert recorded.stay is not None
        assert recorded.stay.granted_days == 60
        assert recorded.stay.authorised_until == date(2024, 6, 28)
        assert recorded.stay.area_entered_on == date(2024, 3, 31)
        with pytest.raises(ApplicationError, match="common area"):
            record(
                self.gabriela,
                DocumentInputFactory(nationality="HND"),
                on=date(2024, 4, 30),
                area_entered_on=date(2024, 3, 31),
                stay_days=61,
            )

    def test_honduran_coming_straight_to_guatemala_gets_90_days(self) -> None:
        recorded = record(self.gabriela, DocumentInputFactory(nationality="HND"), on=date(2024, 4, 30))
        assert recorded.stay is not None and recorded.stay.granted_days == 90

    def test_area_days_do_not_shorten_a_stay_under_a_rule_without_a_common_area(self) -> None:
        recorded = record(
            self.gabriela,
            DocumentInputFactory(nationality="MEX"),
            on=date(2024, 4, 30),
            area_entered_on=date(2024, 3, 31),
        )
        assert recorded.stay is not None and recorded.stay.granted_days == 90

    def test_stays_at_posts_of_other_member_countries_count_in_the_window(self) -> None:
        # A rule whose window runs across the area: 90 days per entry, 180 in any 365 anywhere in CA-4.
        StayRule.objects.create(
            name="CA-4, El Salvador: 180 en 365 en el área",
            category_id="tourist",
            nationality_id="SLV",
            days_per_entry=90,
            window_days=180,
            window_length=365,
            common_area_id="CA4",
        )
        in_area = DocumentInputFactory(nationality="SLV", surname="MEMBER")
        elsewhere = DocumentInputFactory(nationality="SLV", surname="OUTSIDE")
        for first, last in ((date(2024, 1, 1), date(2024, 3, 30)), (date(2024, 5, 1), date(2024, 7, 29))):
            record(self.hector, in_area, on=first)  # at the Honduran post
            record(self.hector, in_area, on=last, direction="exit")
            record(self.alice, elsewhere, on=first)  # at a Costa Rican post: outside the area
            record(self.alice, elsewhere, on=last, direction="exit")
        with pytest.raises(ApplicationError, match="No days of stay are left"):
            record(self.gabriela, in_area, on=date(2024, 9, 1))
        recorded = record(self.gabriela, elsewhere, on=date(2024, 9, 1))
        assert recorded.stay is not None and recorded.stay.granted_days == 90
