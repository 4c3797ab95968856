"""Rounds, assessments, flows, registration and their permissions, through the services and selectors."""

import datetime
from unittest.mock import patch

import pytest

from corredor.core.errors import ApplicationError, Conflict, PermissionDenied
from corredor.core.models import AuditEntry
from corredor.displacement import selectors, services
from corredor.displacement.models import AdminArea, AreaAssessment, FlowCount, Household, Individual
from tests.displacement.helpers import EmergencyTestCase, counts, new_id


class Areas(EmergencyTestCase):
    def test_hxl_areas_make_a_tree(self) -> None:
        assert AdminArea.objects.get(pcode="CR501").parent_id == "CR5"
        assert AdminArea.objects.get(pcode="CR5").parent_id == "CRI"
        assert AdminArea.objects.get(pcode="CR5").level == 1

    def test_bad_area_file_is_located_and_writes_nothing(self) -> None:
        before = AdminArea.objects.count()
        bad = "a,b\n#adm1+code,#adm1+name\nCR9,Nueve\n,Vacío\n" + "X" * 25 + ",Long\n"
        with pytest.raises(ApplicationError) as caught:
            services.admin_areas_import(user=self.cora, data=bad.encode())
        assert [d["line"] for d in caught.value.detail] == [4, 5]
        assert AdminArea.objects.count() == before

    def test_shapes_attach_by_pcode_all_or_nothing(self) -> None:
        square = {"type": "Polygon", "coordinates": [[[-85, 10], [-84, 10], [-84, 11], [-85, 10]]]}
        good = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"ADM1_PCODE": "CR5"}, "geometry": square}],
        }
        import json

        bad = {
            "type": "FeatureCollection",
            "features": [
                *good["features"],
                {"type": "Feature", "properties": {"pcode": "ZZ9"}, "geometry": square},
            ],
        }
        with pytest.raises(ApplicationError):
            services.admin_shapes_import(user=self.cora, data=json.dumps(bad).encode())
        assert AdminArea.objects.get(pcode="CR5").shape is None
        assert services.admin_shapes_import(user=self.cora, data=json.dumps(good).encode()) == 1
        assert AdminArea.objects.get(pcode="CR5").shape == square

    def test_only_coordinators_set_up_events(self) -> None:
        for persona in (self.enzo, self.ana, self.alice, self.sam):
            with pytest.raises(PermissionDenied) as caught:
                services.round_open(user=persona, event=self.event, reporting_date=datetime.date(2026, 10, 9))
            # Inside the service's transaction the refusal's audit row is the boundary's to write.
            assert caught.value.what == "displacement:coordinate"
        assert self.event.rounds.count() == 1


class Rounds(EmergencyTestCase):
    def test_round_to_round_change(self) -> None:
        services.area_assessment_submit(
            user=self.enzo,
            round=self.round1,
            area_pcode="CR501",
            reason="natural_disaster",
            shelter_type="site",
            counts=counts(households=30, females_adults=50, males_adults=40, females_children=10),
            client_uuid=new_id(),
        )
        round2 = services.round_open(
            user=self.cora, event=self.event, reporting_date=datetime.date(2026, 10, 12)
        )
        services.area_assessment_submit(
            user=self.eva,
            round=round2,
            area_pcode="CR501",
            reason="natural_disaster",
            shelter_type="site",
            counts=counts(females_adults=30, males_adults=30),
            client_uuid=new_id(),
        )
        services.area_assessment_submit(
            user=self.eva,
            round=round2,
            area_pcode="CR701",
            reason="natural_disaster",
            shelter_type="host_family",
            counts=counts(males_elderly=15),
            client_uuid=new_id(),
        )
        figures = selectors.rounds_figures(user=self.ana, event=self.event)
        assert [(f.number, f.individuals, f.change) for f in figures] == [(1, 100, None), (2, 75, -25)]
        assert figures[1].change_percent == -25.0
        assert (figures[0].females, figures[0].males, figures[0].households) == (60, 40, 30)
        areas = {a.pcode: a for a in selectors.round_areas(user=self.ana, event=self.event, round=round2)}
        assert (areas["CR501"].individuals, areas["CR501"].previous) == (60, 100)
        assert areas["CR701"].previous is None

    def test_the_same_submission_twice_is_stored_once(self) -> None:
        sent = new_id()
        for _ in range(2):
            services.area_assessment_submit(
                user=self.enzo,
                round=self.round1,
                area_pcode="CR701",
                reason="conflict",
                shelter_type="site",
                counts=counts(males_adults=5),
                client_uuid=sent,
            )
        assert AreaAssessment.objects.count() == 1
        with pytest.raises(Conflict):
            services.area_assessment_submit(
                user=self.eva,
                round=self.round1,
                area_pcode="CR701",
                reason="conflict",
                shelter_type="site",
                counts=counts(),
                client_uuid=sent,
            )

    def test_bad_counts_name_their_field(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            services.area_assessment_submit(
                user=self.enzo,
                round=self.round1,
                area_pcode="CR701",
                reason="conflict",
                shelter_type="site",
                counts={"males_adults": "many", "females_adults": -3},
                client_uuid=new_id(),
            )
        assert {d["field"] for d in caught.value.detail} == {"males_adults", "females_adults"}
        assert not AreaAssessment.objects.exists()

    def test_closed_round_takes_nothing(self) -> None:
        self.round1.closed = True
        self.round1.save()
        with pytest.raises(Conflict):
            services.site_assessment_submit(
                user=self.enzo,
                round=self.round1,
                site=self.site_a,
                counts=counts(),
                needs={},
                client_uuid=new_id(),
            )

    def test_site_needs_and_site_manager_sees_own_sites(self) -> None:
        services.site_assessment_submit(
            user=self.enzo,
            round=self.round1,
            site=self.site_a,
            counts=counts(females_adults=100, males_adults=100),
            needs={"wash": 3, "food": 2},
            client_uuid=new_id(),
        )
        needs = {n.site.code: n for n in selectors.sites_needs(user=self.cora, event=self.event)}
        assert needs["ALB-1"].needs["wash"] == 3 and needs["ALB-1"].occupancy_percent == 50.0
        assert needs["ALB-2"].round_number is None
        assert [n.site.code for n in selectors.sites_needs(user=self.sam, event=self.event)] == ["ALB-1"]
        with pytest.raises(ApplicationError):
            services.site_assessment_submit(
                user=self.enzo,
                round=self.round1,
                site=self.site_b,
                counts=counts(),
                needs={"wash": 7},
                client_uuid=new_id(),
            )

    def test_enumerator_sees_only_what_they_collected(self) -> None:
        services.site_assessment_submit(
            user=self.enzo,
            round=self.round1,
            site=self.site_a,
            counts=counts(),
            needs={},
            client_uuid=new_id(),
        )
        services.site_assessment_submit(
            user=self.eva,
            round=self.round1,
            site=self.site_b,
            counts=counts(),
            needs={},
            client_uuid=new_id(),
        )
        mine = selectors.collected_by_me(user=self.enzo, event=self.event)
        assert [a.site.code for a in mine["sites"]] == ["ALB-1"]
        with pytest.raises(PermissionDenied):
            selectors.rounds_figures(user=self.enzo, event=self.event)
        with pytest.raises(PermissionDenied):
            selectors.collected_by_me(user=self.ana, event=self.event)


class Flows(EmergencyTestCase):
    def test_counts_and_crossings(self) -> None:
        from corredor.border.models import Crossing

        point = services.flow_point_create(
            user=self.cora,
            event=self.event,
            code="FMP-PBL",
            name="Peñas Blancas",
            kind="border_crossing",
            area_pcode="CR501",
            border_post_code="PBL",
        )
        day = datetime.date(2026, 10, 6)
        cells = [
            {
                "direction": "incoming",
                "sex": "F",
                "age_group": "adults",
                "nationality": "nic",
                "transport": "foot",
                "people": 12,
            },
            {
                "direction": "outgoing",
                "sex": "M",
                "age_group": "children",
                "nationality": "CRI",
                "transport": "bus",
                "people": 3,
            },
        ]
        sent = new_id()
        services.flow_counts_submit(
            user=self.enzo, point=point, counted_on=day, cells=cells, client_uuid=sent
        )
        services.flow_counts_submit(
            user=self.enzo, point=point, counted_on=day, cells=cells, client_uuid=sent
        )
        assert FlowCount.objects.count() == 2
        _record_crossings(self.bob, day)
        days = selectors.flows_by_day(user=self.cora, point=point, days=2, until=day)
        assert (days[-1].incoming, days[-1].outgoing) == (12, 3)
        assert (days[-1].crossings_entry, days[-1].crossings_exit) == (2, 1)
        assert days[0].crossings_entry == 0
        assert selectors.flow_breakdown(user=self.ana, point=point, field="nationality") == [
            ("NIC", 12),
            ("CRI", 3),
        ]
        assert Crossing.objects.filter(post_id="PBL").count() == 3

    def test_bad_cells_are_located(self) -> None:
        point = services.flow_point_create(
            user=self.cora,
            event=self.event,
            code="FMP-2",
            name="Terminal",
            kind="bus_terminal",
            area_pcode="CR701",
        )
        with pytest.raises(ApplicationError) as caught:
            services.flow_counts_submit(
                user=self.enzo,
                point=point,
                counted_on=datetime.date(2026, 10, 6),
                cells=[
                    {
                        "direction": "up",
                        "sex": "F",
                        "age_group": "adults",
                        "nationality": "NIC",
                        "transport": "foot",
                        "people": 1,
                    }
                ],
                client_uuid=new_id(),
            )
        assert caught.value.detail[0]["field"] == "cells[0].direction"
        with pytest.raises(ApplicationError):
            services.flow_point_create(
                user=self.cora,
                event=self.event,
                code="FMP-3",
                name="X",
                kind="border_crossing",
                area_pcode="CR701",
                border_post_code="NOPE",
            )


def _record_crossings(officer: object, day: datetime.date) -> None:
    """Two entries and an exit at the officer's post (PBL), through the desk's own service."""
    from tests.factories import CrossingFactory, noon

    for direction in ("entry", "entry", "exit"):
        CrossingFactory(officer=officer, direction=direction, occurred_at=noon(day, "America/Costa_Rica"))


class Registration(EmergencyTestCase):
    def _register(
        self, user: object, site: object, reference: str, *members: tuple[str, str, str, str]
    ) -> Household:
        return services.household_register(
            user=user,
            site=site,
            reference=reference,
            members=[
                services.MemberIn(surname=s, given_names=g, sex=x, birth_date=b) for s, g, x, b in members
            ],
            client_uuid=new_id(),
        )

    def test_a_few_people_are_compared_with_their_blocks_only_and_find_the_same(self) -> None:
        import random

        rng = random.Random(5)
        surnames, given = ["Joseph", "Jozef", "Pierre", "Mora"], ["Marie", "Mari", "Jean", "Ana", "Anna"]
        for n in range(12):
            people = [
                (
                    rng.choice(surnames),
                    rng.choice(given),
                    rng.choice("FM"),
                    rng.choice(["1990", "1984", "1984-03-02"]),
                )
                for _ in range(3)
            ]
            self._register(self.cora, self.site_a, f"HH-{n}", *people)
        assert Individual.objects.exclude(name_sound="").count() == 36
        query = [
            ("Joseph", "Mary", "1984-03-02", "F"),
            ("Mora", "Ana", "", "M"),
            ("Pierre", "Jon", "1984", "M"),
        ]
        few = services.duplicates_find(event=self.event, people=query)
        with patch.object(services, "FEW_PEOPLE", 0):  # the whole event read, as a big import does
            whole = services.duplicates_find(event=self.event, people=query)
        assert few == whole and any(few)

    def test_duplicates_are_found_by_the_name_matcher(self) -> None:
        first = self._register(
            self.enzo,
            self.site_a,
            "HH-1",
            ("Joseph", "Marie Rose", "F", "1984-03-02"),
            ("Joseph", "Wilner", "M", "2012"),
        )
        second = self._register(
            self.eva,
            self.site_b,
            "HH-2",
            ("JOSEPH", "Mari Rose", "F", "1984-03-02"),
            ("Pierre", "Frantz", "M", "1990-01-01"),
        )
        marie = first.members.get(given_names="Marie Rose")
        again = second.members.get(given_names="Mari Rose")
        assert again.duplicate_of_id == marie.pk and again.duplicate_score >= 0.85
        assert second.members.get(given_names="Frantz").duplicate_of_id is None
        assert first.members.get(given_names="Wilner").age_group == "children"
        # Each write is in the audit log (the household and each member), without the person's name.
        entries = AuditEntry.objects.filter(object_type="displacement.individual", action="create")
        assert entries.count() == 4 and not entries.filter(summary__icontains="Joseph").exists()

    def test_who_sees_which_households(self) -> None:
        self._register(self.enzo, self.site_a, "HH-A", ("Mora", "Ana", "F", "1990"))
        self._register(self.eva, self.site_b, "HH-B", ("Rojas", "Luis", "M", "1980"))
        assert [h.reference for h in selectors.households_list(user=self.cora, event=self.event)] == [
            "HH-A",
            "HH-B",
        ]
        assert [h.reference for h in selectors.households_list(user=self.enzo, event=self.event)] == ["HH-A"]
        assert [h.reference for h in selectors.households_list(user=self.sam, event=self.event)] == ["HH-A"]
        reads = AuditEntry.objects.filter(action="read", object_type="displacement.household")
        assert reads.count() == 3
        for persona in (self.ana, self.alice):
            with pytest.raises(PermissionDenied):
                selectors.households_list(user=persona, event=self.event)
        assert AuditEntry.objects.filter(action="denied", object_id="displacement:registration").count() == 2
        other = Household.objects.get(reference="HH-B")
        with pytest.raises(PermissionDenied):
            selectors.household_get(user=self.enzo, household_id=other.pk)
        assert selectors.household_get(user=self.cora, household_id=other.pk) == other

    def test_site_manager_registers_only_at_own_sites(self) -> None:
        with pytest.raises(PermissionDenied):
            self._register(self.sam, self.site_b, "HH-S", ("Mora", "Ana", "F", "1990"))
        assert not Household.objects.exists()

    def test_bad_member_is_located(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            self._register(
                self.enzo, self.site_a, "HH-X", ("Mora", "Ana", "F", "1990"), ("", "Luis", "Q", "19-90")
            )
        assert {d["field"] for d in caught.value.detail} == {
            "members[1].surname",
            "members[1].sex",
            "members[1].birth_date",
        }
        assert not Household.objects.exists() and not Individual.objects.exists()

    def test_registration_counts_are_aggregates_for_analysts(self) -> None:
        self._register(
            self.enzo, self.site_a, "HH-A", ("Mora", "Ana", "F", "1990"), ("Mora", "Luis", "M", "1992")
        )
        assert selectors.registration_counts(user=self.ana, event=self.event) == [
            ("ALB-1", "Albergue Liberia", 1, 1, 0)
        ]


class Retention(EmergencyTestCase):
    def test_households_are_purged_after_their_event_ended_and_stay_gone(self) -> None:
        from django.conf import settings
        from django.test import override_settings

        from corredor.core import retention
        from corredor.core.models import Tombstone
        from corredor.core.retention import purge_run
        from tests.displacement.test_kobo import KOBO

        # The policy is registered when a period is set (none by default); here, two years.
        retention.retention_register(services.HOUSEHOLD_RETENTION)
        self.addCleanup(retention._policies.pop, "displacement_household", None)
        days = {**settings.CORREDOR_RETENTION_DAYS, "displacement_household": 730}
        self.enterContext(override_settings(CORREDOR_RETENTION_DAYS=days))

        services.registration_import(user=self.cora, event=self.event, data=KOBO.encode(), file_name="k.csv")
        services.area_assessment_submit(
            user=self.enzo, round=self.round1, area_pcode="CR501", reason="natural_disaster",
            shelter_type="site", counts=counts(females_adults=9), client_uuid=new_id(),
        )  # fmt: skip
        with pytest.raises(ApplicationError):
            services.event_end(user=self.cora, event=self.event, ended_on=datetime.date(2020, 1, 1))
        services.event_end(user=self.cora, event=self.event, ended_on=datetime.date(2026, 11, 1))
        assert [r.due for r in purge_run(dry_run=True) if r.policy.name == "displacement_household"] == [0]
        later = datetime.datetime(2029, 1, 1, tzinfo=datetime.UTC)
        (report,) = [
            r for r in purge_run(dry_run=False, now=later) if r.policy.name == "displacement_household"
        ]
        assert report.due == 2 and report.removed["displacement.individual"] == 3
        assert not Household.objects.exists() and not Individual.objects.exists()
        assert AreaAssessment.objects.count() == 1  # figures hold no one's data: they stay
        assert Tombstone.objects.filter(model_label="displacement.individual").count() == 3
        # The same export again does not bring them back.
        with pytest.raises(ApplicationError) as caught:
            services.registration_import(
                user=self.cora, event=self.event, data=KOBO.encode(), file_name="k.csv"
            )
        assert {d["line"] for d in caught.value.detail} == {2, 3, 4}
        assert not Individual.objects.exists()
