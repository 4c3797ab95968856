"""DTM's published figures: the reader on the real Haiti file, and the import's totals against the file's own
national (admin 0) rows; bad input is refused with located errors and nothing is written."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from hypothesis import given
from hypothesis import strategies as st

from corredor.core.errors import ApplicationError
from corredor.core.models import AuditEntry
from corredor.displacement import dtm, selectors, services
from corredor.displacement.models import AdminArea, Event, PublishedFigure, Round

REAL = Path(settings.CORREDOR_SHARED_DATA) / "dtm_haiti_idps_admin0_2_hxl.csv"
needs_real = pytest.mark.skipif(not REAL.is_file(), reason="the shared data folder is absent")

HEADER = (
    "id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,admin2Name,admin2Pcode,adminLevel,"
    "numPresentIdpInd,reportingDate,yearReportingDate,monthReportingDate,roundNumber,displacementReason,"
    "numberMales,numberFemales,idpOriginAdmin1Name,idpOriginAdmin1Pcode,assessmentType,operationStatus\n"
    "#id+code,#operation+name,#country+name,#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,"
    "#adm+level,#affected+idps,#date+reported,#date+year+reported,#date+month+reported,#round+code,"
    "#cause+type,#affected+idps+m,#affected+idps+f,#adm1+name+origin,#adm1+code+origin,#assessment+type,"
    "#operation+status\n"
)
TAIL = "2020-01-31T00:00:00,2020,1,1,Natural disaster"
NA = "Not available,Not available,SA,Active"
GOOD = HEADER + (
    f",Storm,Haiti,HTI,,,,,0,100,{TAIL},40,60,{NA}\n"
    f"7,Storm,Haiti,HTI,Ouest,HT01,,,1,100,{TAIL},,,{NA}\n"
    f"8,Storm,Haiti,HTI,Ouest,HT01,Port-Au-Prince,HT0111,2,70,{TAIL},30,40,{NA}\n"
    f"9,Storm,Haiti,HTI,Ouest,HT01,Delmas,HT0112,2,30,{TAIL},10,20,{NA}\n"
)


@needs_real
def test_real_file_reads_without_errors_and_its_levels_add_up() -> None:
    table = dtm.read_table(REAL.read_text(encoding="utf-8"))
    assert table.errors == []
    assert len(table.figures) == 1733
    assert dtm.level_problems(table.figures) == []
    totals = {(t.operation, t.round_number): t for t in dtm.round_totals(table.figures)}
    assert len(totals) == 57
    assert all(total.consistent for total in totals.values())
    assert totals[("Haiti Earthquake", 1)].published == 1_068_882
    assert totals[("Countrywide monitoring", 10)].published == 1_287_593
    # The file's oddities are warnings with their line, not errors.
    assert any(w.line == 721 and w.column == "id" for w in table.warnings)
    assert any(w.line == 34 and "partial breakdown" in w.message for w in table.warnings)


@needs_real
class RealImport(TestCase):
    def test_import_reproduces_dtms_published_totals(self) -> None:
        result = services.dtm_import(user=None, data=REAL.read_bytes(), file_name=REAL.name)
        assert (result.events, result.rounds, result.figures) == (5, 57, 1733)
        quake = Event.objects.get(code="dtm-hti-haiti-earthquake")
        assert quake.source == "dtm" and quake.kind == "earthquake"
        figures = {f.number: f for f in selectors.rounds_figures(user=None, event=quake)}
        assert figures[1].individuals == 1_068_882
        assert figures[2].individuals == 806_377
        assert figures[2].change == 806_377 - 1_068_882
        assert figures[33].individuals == 34_508
        monitoring = Event.objects.get(code="dtm-hti-countrywide-monitoring")
        assert {f.number: f.individuals for f in selectors.rounds_figures(user=None, event=monitoring)}[
            10
        ] == 1_287_593
        # Every round: what is stored at admin 2 adds up to what DTM published at admin 0.
        for round in Round.objects.filter(event__source="dtm"):
            by_level = {
                level: sum(
                    PublishedFigure.objects.filter(round=round, admin_level=level).values_list(
                        "individuals", flat=True
                    )
                )
                for level in (0, 1, 2)
            }
            assert by_level[0] == by_level[1] == by_level[2] > 0, round
        # Areas come from the file: admin 2 inside admin 1 inside the country.
        assert AdminArea.objects.get(pcode="HT0111").parent_id == "HT01"
        assert AdminArea.objects.get(pcode="HT01").parent_id == "HTI"
        assert AuditEntry.objects.filter(action="bulk", object_type="displacement.publishedfigure").exists()

    def test_importing_twice_changes_nothing(self) -> None:
        services.dtm_import(user=None, data=REAL.read_bytes())
        services.dtm_import(user=None, data=REAL.read_bytes())
        assert PublishedFigure.objects.count() == 1733
        assert Round.objects.filter(event__source="dtm").count() == 57

    def test_command_prints_the_totals(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command("displacement", "import-dtm", str(REAL), "--totals", stdout=out)
        text = out.getvalue()
        assert "57 of 57 rounds" in text
        assert "Haiti Earthquake,1,2010-11-30,1068882,1068882,1068882" in text


@needs_real
class NationalBesideDtm(TestCase):
    def test_a_national_round_shows_dtms_latest_published_figure_by_p_code(self) -> None:
        import csv
        import datetime
        import io
        import uuid

        services.dtm_import(user=None, data=REAL.read_bytes(), file_name=REAL.name)
        # DTM's latest admin 2 rows for Port-au-Prince (HT0111) up to 2024-01-01, from the file.
        rows = [r for r in csv.DictReader(io.StringIO(REAL.read_text("utf-8-sig"))) if r["adminLevel"] == "2"]
        rows = [r for r in rows if r["admin2Pcode"] == "HT0111" and r["reportingDate"][:10] <= "2024-01-01"]
        latest = max((r["reportingDate"][:10], int(r["roundNumber"])) for r in rows)
        want = sum(
            int(r["numPresentIdpInd"])
            for r in rows
            if (r["reportingDate"][:10], int(r["roundNumber"])) == latest
        )
        event = services.event_create(
            user=None, code="ht-2024", name="Violence 2024", kind="violence", country_code="HTI",
            started_on=datetime.date(2023, 12, 1),
        )  # fmt: skip
        round = services.round_open(user=None, event=event, reporting_date=datetime.date(2024, 1, 1))
        from corredor.core.models import Role, User

        enumerator = User.objects.create_user("enum.ht", role=Role.ENUMERATOR)
        services.area_assessment_submit(
            user=enumerator, round=round, area_pcode="HT0111", reason="insecurity",
            shelter_type="host_family",
            counts={"households": 10, "females_adults": 30, "males_adults": 20}, client_uuid=uuid.uuid4(),
        )  # fmt: skip
        (area,) = selectors.round_areas(user=None, event=event, round=round)
        assert (area.pcode, area.individuals, area.dtm) == ("HT0111", 50, want)
        assert str(latest[1]) in area.dtm_round and latest[0] in area.dtm_round


class BadInput(TestCase):
    def test_small_file_imports(self) -> None:
        result = services.dtm_import(user=None, data=GOOD.encode())
        assert result.totals[0].consistent and result.totals[0].published == 100

    def test_bad_rows_are_located_and_nothing_is_written(self) -> None:
        bad = GOOD.replace(",70,2020", ",seventy,2020").replace(
            "HTI,Ouest,HT01,Delmas,HT0112,2", "HTI,Ouest,HT01,Delmas,,2"
        )
        with pytest.raises(ApplicationError) as caught:
            services.dtm_import(user=None, data=bad.encode())
        detail = caught.value.detail
        assert {(d["line"], d["field"]) for d in detail} == {(5, "numPresentIdpInd"), (6, "admin2Pcode")}
        assert "nothing was imported" in caught.value.message
        assert (
            not Event.objects.exists()
            and not AdminArea.objects.exists()
            and not PublishedFigure.objects.exists()
        )

    def test_missing_columns(self) -> None:
        with pytest.raises(ApplicationError) as caught:
            services.dtm_import(user=None, data=b"operation,adminLevel\nStorm,0\n")
        assert "numPresentIdpInd" in caught.value.detail[0]["field"]

    def test_levels_that_do_not_add_up_are_warned_at_the_admin0_line(self) -> None:
        off = GOOD.replace(",30,2020", ",31,2020")
        result = services.dtm_import(user=None, data=off.encode())
        assert any(w.line == 3 and "admin 2 rows add up to 101" in w.message for w in result.warnings)
        assert not result.totals[0].consistent

    def test_hashtag_only_file(self) -> None:
        tags_only = GOOD.split("\n", 1)[1]
        table = dtm.read_table(tags_only)
        assert table.errors == [] and len(table.figures) == 4

    def test_refused_to_an_analyst(self) -> None:
        from corredor.core.errors import PermissionDenied
        from tests.factories import AnalystFactory

        with pytest.raises(PermissionDenied):
            services.dtm_import(user=AnalystFactory(username="ana"), data=GOOD.encode())
        assert not Event.objects.exists()


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_round_totals_count_each_person_once(values: list[int]) -> None:
    """However the admin 2 figures split, the round's total is the admin 0 figure, not three times it."""
    from datetime import date

    rows = [
        dtm.Figure(
            1,
            "Op",
            1,
            date(2020, 1, 1),
            0,
            ("HTI", "Haiti"),
            ("", ""),
            ("", ""),
            sum(values),
            None,
            None,
            "conflict",
            "",
            "BA",
            "",
        )
    ]
    rows.append(
        dtm.Figure(
            2,
            "Op",
            1,
            date(2020, 1, 1),
            1,
            ("HTI", "Haiti"),
            ("HT01", "Ouest"),
            ("", ""),
            sum(values),
            None,
            None,
            "conflict",
            "",
            "BA",
            "",
        )
    )
    rows += [
        dtm.Figure(
            3 + n,
            "Op",
            1,
            date(2020, 1, 1),
            2,
            ("HTI", "Haiti"),
            ("HT01", "Ouest"),
            (f"HT01{n:02d}", "x"),
            v,
            None,
            None,
            "conflict",
            "",
            "BA",
            "",
        )
        for n, v in enumerate(values)
    ]
    (total,) = dtm.round_totals(rows)
    assert total.published == total.admin1 == total.admin2 == sum(values)
    assert dtm.level_problems(rows) == []
