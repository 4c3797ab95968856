"""The international datasets: country names to ISO codes, the three readers with located errors, imports
that are all or nothing and never double, and the `stats import` / `stats query external` commands on the
real public files."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from corredor.core.errors import ApplicationError
from corredor.statistics import external
from corredor.statistics.countrynames import country_label, iso3_from_name
from corredor.statistics.models import MigrantStock, MissingMigrantIncident, RefugeeFigure
from corredor.statistics.regions import (
    CARIBBEAN,
    EUROPE,
    MESOAMERICA,
    NORTH_AMERICA,
    OTHER,
    SOUTH_AMERICA,
    region_of,
)
from corredor.statistics.services import dataset_import
from tests.statistics import shared_data

DATA = shared_data()
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the public datasets folder {DATA} is absent (set CORREDOR_SHARED_DATA)"
)
UNDESA = "undesa_migrant_stock_2019_od_wide_region_excerpt.csv"
UNHCR = "unhcr_refugees_asylum_bilateral_1995_2015.csv"
MMP = "iom_missing_migrants_2014_2021.json"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bolivia (Plurinational State of)", "BOL"),
        ("China, Hong Kong SAR", "HKG"),
        ("China, Macao Special Administrative Region", "MAC"),
        ("Côte d'Ivoire", "CIV"),
        ("Côte d&#039;Ivoire", "CIV"),
        ("Curaçao", "CUW"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("United States of America", "USA"),
        ("Dem. People's Republic of Korea", "PRK"),
        ("Türkiye", "TUR"),
        ("Channel Islands", "CHI"),
        ("  mexico ", "MEX"),
        ("NIC", "NIC"),
        ("Narnia", None),
    ],
)
def test_country_names_map_to_iso_codes(name: str, code: str | None) -> None:
    assert iso3_from_name(name) == code


def test_regions_of_the_americas_and_beyond() -> None:
    assert region_of("USA") == NORTH_AMERICA
    assert region_of("CRI") == region_of("GTM") == MESOAMERICA
    assert region_of("HTI") == region_of("CUB") == CARIBBEAN
    assert region_of("VEN") == SOUTH_AMERICA
    assert region_of("D") == region_of("DEU") == EUROPE
    assert region_of("XXA") == OTHER
    import pycountry

    unplaced = {c.alpha_3 for c in pycountry.countries if region_of(c.alpha_3) == OTHER}
    assert unplaced <= {"ATA"}, unplaced


def test_short_country_labels() -> None:
    assert country_label("VEN", "es") == "Venezuela"
    assert country_label("BOL", "en") == "Bolivia"


def test_wide_layout_errors_are_located() -> None:
    data = (
        b"Year,Dest,Mexico,Narnia\n2019,United States of America,12,3\n2019,Atlantis,1,2\n20x9,Mexico,1,1\n"
    )
    with pytest.raises(external.ImportFailed) as failure:
        external.read_undesa_stock(data)
    assert [(p.line, p.column) for p in failure.value.problems] == [(4, 1)]  # the bad year: fatal
    assert "line 4, column 1 (Year)" in str(failure.value)
    # Unknown countries are reported with their line and column, not fatal.
    parsed = external.read_undesa_stock(data.replace(b"20x9", b"2019"))
    where = {(p.line, p.column) for p in parsed.unknown}
    assert where == {(1, 4), (3, 2)}  # the unknown origin's header cell, the unknown destination
    assert "line 1, column 4 (Narnia): unknown country of origin 'Narnia'" in [str(p) for p in parsed.unknown]
    assert parsed.rows == [
        {"origin": "MEX", "destination": "USA", "year": 2019, "value": 12},
        {"origin": "MEX", "destination": "MEX", "year": 2019, "value": 1},
    ]


def test_long_layout_and_values_not_available() -> None:
    data = (
        b"year,origin,destination,value\n2019,Mexico,United States of America,11489684\n"
        b"2019,Bolivia (Plurinational State of),CRI,..\n2019,World,CRI,400000\n"
    )
    parsed = external.read_undesa_stock(data)
    assert parsed.rows == [{"origin": "MEX", "destination": "USA", "year": 2019, "value": 11489684}]
    assert parsed.skipped == {"not available": 1, "aggregate rows": 1}


def test_unhcr_bad_number_is_located() -> None:
    data = b"year,orig,dest,refugees,asylum_seekers\n2015,NIC,CRI,452,27\n2015,VEN,CRI,many,3\n"
    with pytest.raises(external.ImportFailed) as failure:
        external.read_unhcr_bilateral(data)
    assert [(p.line, p.column, p.field) for p in failure.value.problems] == [(3, 4, "refugees")]


def test_missing_migrants_json_errors_are_located() -> None:
    data = (
        b'[{"web_id": "2019.MMP1", "number_dead": "2", "location_coodinates": "8.5, -77.5"},\n'
        b' {"web_id": "2019.MMP2", "number_dead": "two", "location_coodinates": "8.5, -77.5"}]'
    )
    with pytest.raises(external.ImportFailed) as failure:
        external.read_missing_migrants(data)
    problem = failure.value.problems[0]
    assert (problem.line, problem.column, problem.field) == (2, 2, "number_dead")
    with pytest.raises(external.ImportFailed) as broken:
        external.read_missing_migrants(b'[{"web_id": "a"},\n {"web_id": ]')
    assert broken.value.problems[0].line == 2


def test_missing_migrants_corrections_and_csv() -> None:
    data = (
        b"Incident ID,Reported Date,Number of Dead,Minimum Estimated Number of Missing,"
        b"Country of Incident,Coordinates\n"
        b'2020.MMP9,2020-05-02,3,-1,Panama,"8.1, -77.7"\n'
        b"2020.MMP10,2020-06-01,,2,,\n"
    )
    rows = external.read_missing_migrants(data).rows
    assert [(r["country"], r["dead"], r["missing"], r["year"]) for r in rows] == [
        ("PAN", 3, -1, 2020),
        ("", 0, 2, 2020),
    ]
    assert rows[0]["latitude"] == 8.1 and rows[0]["longitude"] == -77.7


class ImportTest(TestCase):
    def test_bad_file_leaves_nothing_behind(self) -> None:
        good = b"Year,Dest,Mexico\n2019,United States of America,5\n2019,Canada,oops\n"
        with self.assertRaises(ApplicationError) as raised:
            dataset_import(dataset="undesa-stock", data=good, file_name="bad.csv")
        assert raised.exception.detail == [
            {"line": 3, "column": 3, "field": "Mexico", "message": "not a number of migrants: 'oops'"}
        ]
        assert MigrantStock.objects.count() == 0

    def test_the_same_file_twice_doubles_nothing(self) -> None:
        data = b"year,orig,dest,refugees,asylum_seekers\n2015,NIC,CRI,452,27\n2015,,CRI,3,0\n"
        first = dataset_import(dataset="unhcr-bilateral", data=data, file_name="u.csv")
        second = dataset_import(dataset="unhcr-bilateral", data=data, file_name="u.csv")
        assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
        assert "0 created, 0 updated, 2 unchanged (nothing changed)" in second.summary()
        assert RefugeeFigure.objects.count() == 2
        changed = dataset_import(
            dataset="unhcr-bilateral", data=data.replace(b"452", b"460"), file_name="u.csv"
        )
        assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
        assert RefugeeFigure.objects.get(origin="NIC").refugees == 460
        incidents = (
            b'[{"web_id": "2019.MMP1", "number_dead": "2"}, {"web_id": "2019.MMP1", "number_missing": "3"}]'
        )
        dataset_import(dataset="missing-migrants", data=incidents, file_name="m.json")
        again = dataset_import(dataset="missing-migrants", data=incidents, file_name="m.json")
        assert MissingMigrantIncident.objects.count() == 2  # the source's ids repeat; both records kept once
        assert (again.created, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)

    def test_command_reports_located_problems(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bad.csv"
            path.write_bytes(b"Year,Dest,Mexico\n2019,Narnia,1\n")
            with self.assertRaises(ApplicationError) as raised, translation.override("en"):
                call_command("stats", "import", "undesa-stock", str(path))
            # Nothing importable at all: refused, saying what was not understood and where.
        assert "line 2, column 2 (Dest): unknown country of destination 'Narnia'" in str(raised.exception)
        assert "no figure to import" in str(raised.exception)


@needs_data
class RealDatasetsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("stats", "import", "undesa-stock", str(DATA / UNDESA), stdout=io.StringIO())
        call_command("stats", "import", "missing-migrants", str(DATA / MMP), stdout=io.StringIO())
        # UNHCR: the region's destinations only (the whole file is the same format, ten times longer).
        lines = (DATA / UNHCR).read_text().splitlines()
        region = [lines[0]] + [
            line for line in lines[1:] if line.split(",")[2] in {"CRI", "MEX", "PAN", "USA"}
        ]
        dataset_import(dataset="unhcr-bilateral", data="\n".join(region).encode(), file_name=UNHCR)

    def query(self, *args: str) -> list[dict[str, object]]:
        out = io.StringIO()
        call_command("stats", "query", "external", *args, "--format", "json", stdout=out)
        return json.loads(out.getvalue())

    def test_mexico_born_residents_of_the_usa_in_2019(self) -> None:
        rows = self.query(
            "--dataset", "undesa-stock", "--origin", "MEX", "--destination", "USA", "--year", "2019"
        )
        assert rows == [{"origin": "MEX", "destination": "USA", "year": 2019, "value": 11_489_684}]

    def test_importing_the_real_file_again_doubles_nothing(self) -> None:
        before = MigrantStock.objects.count()
        out = io.StringIO()
        call_command("stats", "import", "undesa-stock", str(DATA / UNDESA), stdout=out)
        assert MigrantStock.objects.count() == before > 50_000
        assert f"0 created, 0 updated, {before:,} unchanged (nothing changed)" in out.getvalue()
        assert (
            self.query(
                "--dataset", "undesa-stock", "--origin", "MEX", "--destination", "USA", "--year", "2019"
            )[0]["value"]
            == 11_489_684
        )

    def test_unhcr_value_is_refugees_plus_asylum_seekers(self) -> None:
        rows = self.query(
            "--dataset", "unhcr-bilateral", "--origin", "NIC", "--destination", "CRI", "--year", "2015"
        )
        assert rows == [{"origin": "NIC", "destination": "CRI", "year": 2015, "value": 452 + 27}]

    def test_missing_migrants_by_country_of_incident(self) -> None:
        rows = self.query("--dataset", "missing-migrants", "--destination", "MEX", "--year", "2021")
        expected = sum(
            i.dead + i.missing for i in MissingMigrantIncident.objects.filter(country="MEX", year=2021)
        )
        assert rows == [{"origin": "", "destination": "MEX", "year": 2021, "value": expected}]
        assert expected > 0
        assert self.query("--dataset", "missing-migrants", "--origin", "MEX") == []
        every = self.query("--dataset", "missing-migrants")
        assert sum(r["value"] for r in every) == sum(
            i.dead + i.missing for i in MissingMigrantIncident.objects.exclude(year__isnull=True)
        )
        assert {r["origin"] for r in every} == {""}
