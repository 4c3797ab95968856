"""Adjudication by supervisors (audited; others refused), a cleared traveller not stopped again unless the
alert or their data changes, and the batch screening that passenger lists call."""

import datetime
from typing import Any
from unittest import mock

import pytest

from corredor.core.audit import acting_as, actor_for
from corredor.core.errors import ApplicationError, NotFound, PermissionDenied
from corredor.core.models import AuditEntry
from corredor.matching.records import Name, PartialDate, Traveller
from corredor.screening import index_cache, services
from corredor.screening.models import Hit
from tests.factories import SupervisorFactory, record
from tests.screening import ScreeningTestCase, stolen_document, wanted_document
from tests.screening.test_desk import scan_notices


def adjudicate_over_http(user: object, hit_id: object, body: dict[str, str]) -> Any:
    """The adjudication through the API, so through the error boundary (which audits refusals)."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client.post(f"/api/v1/screening/hits/{hit_id}/adjudication", body, content_type="application/json")


class AdjudicationTests(ScreeningTestCase):
    def referred_hit(self, **document: object) -> Hit:
        crossing = record(self.alice, wanted_document(**document), decision="referred").crossing
        return Hit.objects.get(crossing=crossing)

    def test_a_supervisor_adjudicates_and_the_verdict_is_audited(self) -> None:
        hit = self.referred_hit()
        with acting_as(actor_for(self.sofia, "test")):
            services.hit_adjudicate(
                user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="Different father's name."
            )
        hit.refresh_from_db()
        assert (hit.status, hit.adjudicated_by, hit.adjudication_reason) == (
            "false_match",
            self.sofia,
            "Different father's name.",
        )
        assert hit.adjudicated_at is not None
        entry = AuditEntry.objects.filter(
            object_type="screening.hit", object_id=str(hit.pk), action="update"
        ).get()
        assert entry.username == "sofia" and "false_match" in entry.summary

    def test_officers_analysts_and_supervisors_of_other_posts_are_refused_and_audited(self) -> None:
        hit = self.referred_hit()
        elsewhere = SupervisorFactory(username="pablo", border_post_id="PBL")
        for user in (self.alice, self.ana, elsewhere):
            with pytest.raises(PermissionDenied):
                services.hit_adjudicate(user=user, hit_id=hit.pk, verdict="false_match", reason="x")
        # The service is one transaction: its refusal is audited by the error boundary after the rollback.
        for user in (self.alice, self.ana, elsewhere):
            assert (
                adjudicate_over_http(user, hit.pk, {"verdict": "false_match", "reason": "x"}).status_code
                == 403
            )
        assert AuditEntry.objects.filter(action="denied").count() == 3
        hit.refresh_from_db()
        assert hit.status == "open"

    def test_an_administrator_adjudicates_anywhere(self) -> None:
        hit = self.referred_hit()
        assert (
            services.hit_adjudicate(
                user=self.admin, hit_id=hit.pk, verdict="true_match", reason="Confirmed by fingerprints."
            ).status
            == "true_match"
        )

    def test_a_verdict_needs_a_reason_and_is_given_once(self) -> None:
        hit = self.referred_hit()
        with pytest.raises(ApplicationError, match="reason"):
            services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="  ")
        with pytest.raises(ApplicationError, match="verdict"):
            services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="maybe", reason="x")
        services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="x")
        with pytest.raises(ApplicationError) as twice:
            services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="true_match", reason="y")
        assert twice.value.status == 409
        with pytest.raises(NotFound):
            services.hit_adjudicate(
                user=self.sofia,
                hit_id="6b0c2c5e-0000-4000-8000-000000000000",
                verdict="true_match",
                reason="y",
            )


class ClearedTravellerTests(ScreeningTestCase):
    def clear(self, **document: object) -> Hit:
        crossing = record(self.alice, wanted_document(**document), decision="referred").crossing
        hit = Hit.objects.get(crossing=crossing)
        return services.hit_adjudicate(
            user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="Other person."
        )

    def test_a_cleared_traveller_is_admitted_and_the_desk_shows_a_small_info_line(self) -> None:
        self.clear()
        (notice,) = scan_notices(wanted_document())
        assert notice.level == "info" and notice.title.startswith("Previously cleared by sofia on ")
        assert notice.lines[0].endswith("(Other person).")
        crossing = record(self.alice, wanted_document()).crossing
        assert crossing.screening_outcome == "cleared"
        assert not Hit.objects.filter(crossing=crossing).exists()

    def test_a_changed_alert_stops_the_cleared_traveller_again(self) -> None:
        self.clear()
        self.import_csv(
            "entry_id,surname,given_names,birth_date,nationality,sex,category,note\n"
            "W-WANTED,Pérez Castillo,Juan Carlos,1980-02-03,NIC,M,wanted,New warrant of 2025.\n"
        )
        with pytest.raises(ApplicationError, match="Refer"):
            record(self.alice, wanted_document())
        (notice,) = scan_notices(wanted_document())
        assert notice.level == "danger"

    def test_changed_traveller_data_stops_the_cleared_traveller_again(self) -> None:
        self.clear()
        with pytest.raises(ApplicationError, match="Refer"):
            record(self.alice, wanted_document(number="B1112223"))  # a new passport

    def test_a_confirmed_match_keeps_stopping_admission(self) -> None:
        crossing = record(self.alice, wanted_document(), decision="referred").crossing
        hit = Hit.objects.get(crossing=crossing)
        services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="true_match", reason="It is him.")
        with pytest.raises(ApplicationError, match="Refer"):
            record(self.alice, wanted_document())
        (notice,) = scan_notices(wanted_document())
        assert any(line.startswith("Confirmed as the listed person by sofia") for line in notice.lines)

    def test_one_verdict_closes_the_other_open_hits_of_the_same_identity(self) -> None:
        first = Hit.objects.get(crossing=record(self.alice, wanted_document(), decision="referred").crossing)
        second = Hit.objects.get(crossing=record(self.alice, wanted_document(), decision="refused").crossing)
        services.hit_adjudicate(
            user=self.sofia, hit_id=first.pk, verdict="false_match", reason="Other person."
        )
        second.refresh_from_db()
        assert second.status == "false_match"


def passenger(
    surname: str, given: str, born: datetime.date, nationality: str, number: str = "", sex: str | None = None
) -> Traveller:
    return Traveller(
        Name(surname=surname, given_names=given),
        PartialDate.from_date(born),
        nationality,
        sex,
        number,
        nationality,  # type: ignore[arg-type]
    )


class ScreenSubjectsTests(ScreeningTestCase):
    def subjects(self) -> list[tuple[str, Traveller]]:
        return [
            ("p1", passenger("PEREZ CASTILLO", "JUAN CARLOS", datetime.date(1980, 2, 3), "NIC")),
            ("p2", passenger("SOLANO", "ELENA", datetime.date(1988, 4, 4), "CRI")),
            ("p3", passenger("LOPEZ", "ANA", datetime.date(1990, 1, 9), "NIC", "C00123456")),
        ]

    def many(self, times: int) -> list[tuple[str, Traveller]]:
        return [(f"{ref}-{n}", traveller) for n in range(times) for ref, traveller in self.subjects()]

    def test_a_batch_gets_hits_per_reference_stored_as_manifest_hits(self) -> None:
        found = services.screen_subjects(subjects=self.subjects(), source="manifest", post_code="SJO")
        assert set(found) == {"p1", "p2", "p3"} and found["p2"] == []
        (wanted,) = found["p1"]
        assert (wanted.source, wanted.source_ref, wanted.post_id, wanted.crossing_id) == (
            "manifest",
            "p1",
            "SJO",
            None,
        )
        assert wanted.person_alert.external_id == "W-WANTED" and wanted.pk is not None
        assert [h.kind for h in found["p3"]] == ["document"]
        assert Hit.objects.count() == 2
        assert AuditEntry.objects.filter(object_type="screening.hit", object_id="manifest").exists()

    def test_a_batch_looks_once_whether_the_alerts_changed(self) -> None:
        # The first screening builds the index; what is counted is the look at whether it is current.
        services.screen_subjects(subjects=self.subjects()[:1], source="manifest", post_code="SJO")
        with mock.patch.object(index_cache, "_state", wraps=index_cache._state) as looked:
            found = services.screen_subjects(subjects=self.many(5), source="manifest", post_code="SJO")
        assert looked.call_count == 1
        assert len(found) == 15 and [h.person_alert.external_id for h in found["p1-4"]] == ["W-WANTED"]

    def test_screening_the_same_list_again_stores_nothing_twice(self) -> None:
        first = services.screen_subjects(subjects=self.subjects(), source="manifest", post_code="SJO")
        again = services.screen_subjects(subjects=self.subjects(), source="manifest", post_code="SJO")
        assert Hit.objects.count() == 2 and again["p1"][0].pk == first["p1"][0].pk

    def test_alerts_already_cleared_for_the_same_identity_are_skipped(self) -> None:
        (hit,) = services.screen_subjects(subjects=self.subjects()[:1], source="manifest", post_code="SJO")[
            "p1"
        ]
        services.hit_adjudicate(user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="Other person.")
        assert services.screen_subjects(subjects=self.subjects()[:1], source="manifest", post_code="SJO") == {
            "p1": []
        }

    def test_a_document_cleared_at_the_desk_is_not_a_manifest_hit(self) -> None:
        crossing = record(self.alice, stolen_document(), decision="referred").crossing
        hit = Hit.objects.get(crossing=crossing)
        services.hit_adjudicate(
            user=self.sofia, hit_id=hit.pk, verdict="false_match", reason="Recovered; reissued."
        )
        # The same identity as the passenger list gives it, with the accents the MRZ drops.
        traveller = passenger("López", "Ana", datetime.date(1990, 1, 9), "NIC", "C00123456", "F")
        assert services.screen_subjects(subjects=[("x", traveller)], source="manifest", post_code="SJO") == {
            "x": []
        }
        other_sex = passenger("López", "Ana", datetime.date(1990, 1, 9), "NIC", "C00123456", "M")
        assert (
            len(
                services.screen_subjects(subjects=[("y", other_sex)], source="manifest", post_code="SJO")["y"]
            )
            == 1
        )

    def test_an_unknown_post_or_source_is_refused(self) -> None:
        with pytest.raises(NotFound):
            services.screen_subjects(subjects=self.subjects(), source="manifest", post_code="XXX")
        with pytest.raises(ApplicationError):
            services.screen_subjects(subjects=self.subjects(), source="radio", post_code="SJO")


class HitScopeTests(ScreeningTestCase):
    """The same wanted traveller referred at SJO (alice, supervised by sofia) and at PBL (bob, supervised by
    pablo): a post's verdict holds at that post; only an administrator's holds at every post."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pablo = SupervisorFactory(username="pablo", border_post_id="PBL")

    def setUp(self) -> None:
        self.at_sjo = Hit.objects.get(
            crossing=record(self.alice, wanted_document(), decision="referred").crossing
        )
        self.at_pbl = Hit.objects.get(
            crossing=record(self.bob, wanted_document(), decision="referred").crossing
        )

    def test_one_posts_verdict_does_not_close_another_posts_hit(self) -> None:
        services.hit_adjudicate(
            user=self.sofia, hit_id=self.at_sjo.pk, verdict="false_match", reason="Not him."
        )
        self.at_sjo.refresh_from_db()
        self.at_pbl.refresh_from_db()
        assert (self.at_sjo.status, self.at_sjo.verdict_scope) == ("false_match", "post")
        assert self.at_pbl.status == "open" and self.at_pbl.adjudicated_by is None
        # Cleared at SJO: admitted there. Still stopped at PBL until pablo decides.
        assert record(self.alice, wanted_document()).crossing.screening_outcome == "cleared"
        with pytest.raises(ApplicationError, match="Refer"):
            record(self.bob, wanted_document())
        entry = AuditEntry.objects.filter(object_type="screening.hit", object_id=str(self.at_sjo.pk)).first()
        assert entry is not None and "holds at post SJO" in entry.summary

    def test_a_supervisor_cannot_adjudicate_another_posts_hit_nor_give_a_national_verdict(self) -> None:
        with pytest.raises(PermissionDenied):
            services.hit_adjudicate(user=self.sofia, hit_id=self.at_pbl.pk, verdict="false_match", reason="x")
        with pytest.raises(PermissionDenied, match="administrator"):
            services.hit_adjudicate(
                user=self.sofia, hit_id=self.at_sjo.pk, verdict="false_match", reason="x", scope="national"
            )
        response = adjudicate_over_http(
            self.sofia, self.at_sjo.pk, {"verdict": "false_match", "reason": "x", "scope": "national"}
        )
        assert response.status_code == 403 and "administrator" in response.json()["message"]
        assert Hit.objects.filter(status="open").count() == 2
        assert AuditEntry.objects.filter(action="denied", object_id="national_verdict").exists()

    def test_an_administrators_national_verdict_holds_at_every_post(self) -> None:
        services.hit_adjudicate(
            user=self.admin, hit_id=self.at_sjo.pk, verdict="false_match", reason="Checked.", scope="national"
        )
        self.at_pbl.refresh_from_db()
        assert (self.at_pbl.status, self.at_pbl.verdict_scope) == ("false_match", "national")
        assert record(self.bob, wanted_document()).crossing.screening_outcome == "cleared"
        assert record(self.alice, wanted_document()).crossing.screening_outcome == "cleared"

    def test_an_administrators_verdict_is_for_the_post_unless_national_is_chosen(self) -> None:
        services.hit_adjudicate(user=self.admin, hit_id=self.at_pbl.pk, verdict="true_match", reason="Him.")
        self.at_sjo.refresh_from_db()
        assert self.at_sjo.status == "open"

    def test_the_api_takes_the_scope_and_refuses_a_supervisors_national_verdict(self) -> None:
        from django.test import Client

        client = Client()
        client.force_login(self.sofia)
        response = client.post(
            f"/api/v1/screening/hits/{self.at_sjo.pk}/adjudication",
            {"verdict": "false_match", "reason": "x", "scope": "national"},
            content_type="application/json",
        )
        assert response.status_code == 403
        response = client.post(
            f"/api/v1/screening/hits/{self.at_sjo.pk}/adjudication",
            {"verdict": "false_match", "reason": "Not him."},
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["verdict_scope"] == "post"
        self.at_pbl.refresh_from_db()
        assert self.at_pbl.status == "open"
