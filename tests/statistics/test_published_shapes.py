"""The complete official files' shapes import whole (issue 10 item 4): aggregates recognised, skipped and
counted; unknown values reported with their line, not fatal; a second import of the same file changes
nothing and says so."""

import io

from django.core.management import call_command
from django.test import TestCase

from corredor.statistics import external
from corredor.statistics.models import ExternalImport, MigrantStock, MissingMigrantIncident, RefugeeFigure
from corredor.statistics.services import dataset_import
from tests.statistics import published_shapes as shapes

COUNTRIES = {iso for _name, _code, iso in shapes.UNDESA_COUNTRIES}
ORIGINS = COUNTRIES - {"XKX"}  # the 2019 fixture has no Kosovo column


def test_micronesia_the_region_is_not_micronesia_the_country() -> None:
    assert external._place("Micronesia", "954") == ("aggregate", None)
    assert external._place("Micronesia") == ("aggregate", None)
    assert external._place("Micronesia (Fed. States of)", "583") == ("country", "FSM")
    assert external._place("Micronesia (Fed. States of)") == ("country", "FSM")
    assert external._place("Other North") == ("aggregate", None)
    assert external._place("Sub-Saharan Africa", "947") == ("aggregate", None)
    assert external._place("State of Palestine*", "275") == ("country", "PSE")
    assert external._place("Channel Islands", "830") == ("country", "CHI")
    assert external._place("Narnia") == ("unknown", None)


def test_undesa_2019_published_table_reads_whole() -> None:
    parsed = external.read_undesa_stock(shapes.undesa_2019())
    years = 3
    assert parsed.skipped["aggregate rows"] == years * len(shapes.UNDESA_AGGREGATES)
    assert parsed.skipped["aggregate columns"] == len(shapes.ORIGIN_AGGREGATES)
    assert parsed.skipped["title lines"] == 6 and parsed.skipped["notes and headings"] == 3
    assert parsed.unknown == []
    assert {row["destination"] for row in parsed.rows} == COUNTRIES
    assert {row["origin"] for row in parsed.rows} == ORIGINS
    # Every cell of a country row is a figure or not available ("..", "-"): nothing lost.
    cells = years * len(COUNTRIES) * len(ORIGINS)
    assert len(parsed.rows) + parsed.skipped["not available"] == cells
    assert {row["value"] for row in parsed.rows} == {1234, 56}


def test_undesa_2020_layout_by_year_reads_whole() -> None:
    parsed = external.read_undesa_stock(shapes.undesa_2020())
    assert parsed.unknown == []
    assert parsed.skipped["columns by sex (not imported)"] == 6
    assert {row["year"] for row in parsed.rows} == {1990, 2000, 2020}
    assert {row["destination"] for row in parsed.rows} == COUNTRIES
    assert {row["origin"] for row in parsed.rows} == COUNTRIES
    # Rows with an aggregate on either side: destination groups x every origin, World and Micronesia.
    aggregate_rows = 6 * (2 + len(COUNTRIES)) + len(COUNTRIES) * 2
    assert parsed.skipped["aggregate rows"] == aggregate_rows


def test_unknown_values_are_reported_with_their_line_not_fatal() -> None:
    parsed = external.read_undesa_stock(shapes.undesa_2019(unknown="Narnia"))
    assert [p.message for p in parsed.unknown] == ["unknown country of destination 'Narnia'"] * 3
    assert all(p.column == 3 for p in parsed.unknown)
    assert {row["destination"] for row in parsed.rows} == COUNTRIES
    unhcr = external.read_unhcr_bilateral(shapes.unhcr_data_finder(unknown="ZZ9"))
    assert [str(p) for p in unhcr.unknown] == [
        "line 12, column 3 (Country of origin (ISO)): unknown country code 'ZZ9'"
    ]
    incidents = external.read_missing_migrants(shapes.missing_migrants(unknown="Atlantis"))
    assert [(p.line, p.column) for p in incidents.unknown] == [(81, 18)]
    assert incidents.rows[-1]["country"] == "" and incidents.rows[-1]["dead"] == 1  # kept, no country


def test_unhcr_data_finder_download_reads_whole() -> None:
    parsed = external.read_unhcr_bilateral(shapes.unhcr_data_finder())
    got = {
        (r["year"], r["origin"], r["destination"]): (r["refugees"], r["asylum_seekers"]) for r in parsed.rows
    }
    assert got == {
        (2022, "VEN", "CRI"): (4523, 27120),
        (2022, "NIC", "CRI"): (12345, 170000),
        (2022, "TIB", "IND"): (72312, 0),
        (2022, "", "MEX"): (150, 1200),
        (2023, "HTI", "MEX"): (5301, 90112),
    }
    assert parsed.skipped["title lines"] == 3
    assert parsed.skipped["not available"] == 2  # "-" and "*" (withheld) only


def test_missing_migrants_every_year_with_mixed_unknown() -> None:
    parsed = external.read_missing_migrants(shapes.missing_migrants())
    assert {row["year"] for row in parsed.rows} == set(range(2014, 2025))
    assert parsed.skipped == {"HXL hashtag row": 1}
    assert parsed.noted == {"incidents without a country: Mixed/Unknown": 11}
    assert len(parsed.rows) == 11 * 7 + 1
    assert {row["country"] for row in parsed.rows} == {"MEX", "USA", "PAN", "", "LBY", "CIV", "TUR"}
    assert parsed.rows[-1]["missing"] == -2  # the correction is kept, so that sums come out right


class PublishedFilesImportTest(TestCase):
    def test_each_imports_whole_and_a_second_import_changes_nothing(self) -> None:
        files = [
            ("undesa-stock", shapes.undesa_2019(), MigrantStock),
            ("undesa-stock", shapes.undesa_2020(), MigrantStock),
            ("unhcr-bilateral", shapes.unhcr_data_finder(), RefugeeFigure),
            ("missing-migrants", shapes.missing_migrants(), MissingMigrantIncident),
        ]
        for dataset, data, model in files:
            MigrantStock.objects.all().delete()
            first = dataset_import(dataset=dataset, data=data, file_name=f"{dataset}.csv")
            assert first.created == first.rows == model.objects.count() > 0, first.summary()
            count = model.objects.count()
            second = dataset_import(dataset=dataset, data=data, file_name=f"{dataset}.csv")
            assert (second.created, second.updated, second.removed) == (0, 0, 0)
            assert second.unchanged == first.rows
            assert f"0 created, 0 updated, {first.rows:,} unchanged (nothing changed)" in second.summary()
            assert model.objects.count() == count
        record = ExternalImport.objects.order_by("-pk").first()
        assert record is not None and record.unchanged == record.rows and record.created == 0
        assert record.report["skipped"]["HXL hashtag row"] == 1

    def test_aggregates_counted_in_the_command_report(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "UN_MigrantStockByOriginAndDestination_2019.csv"
            path.write_bytes(shapes.undesa_2019(unknown="Narnia"))
            out = io.StringIO()
            call_command("stats", "import", "undesa-stock", str(path), stdout=out)
        report = out.getvalue()
        aggregates = 3 * len(shapes.UNDESA_AGGREGATES) + len(shapes.ORIGIN_AGGREGATES)
        assert f"{aggregates:,} skipped as aggregates" in report
        assert "3 unknown: line 80, column 3" in report
        assert not MigrantStock.objects.filter(destination="FSM", origin="FSM").exclude(value__in=[56, 1234])

    def test_a_revised_incident_file_updates_and_removes(self) -> None:
        data = shapes.missing_migrants(years=range(2020, 2022))
        dataset_import(dataset="missing-migrants", data=data, file_name="mmp.csv")
        revised = data.replace(b"Drowning", b"Violence", 1).replace(b"2021.MMP00014", b"2021.MMP00099")
        result = dataset_import(dataset="missing-migrants", data=revised, file_name="mmp.csv")
        assert (result.created, result.updated, result.removed) == (1, 1, 1)
        assert MissingMigrantIncident.objects.count() == 15
