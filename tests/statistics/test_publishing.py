"""Publishing: the dashboards, exports and API for the roles that may see them (refused otherwise, and
audited), files that carry disclosure control in every format, the bulletin in Spanish and English."""

import base64
import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import dateformat, translation

from corredor.border.models import Traveller
from corredor.core.models import AuditEntry
from corredor.statistics import disclosure, exports, selectors
from corredor.statistics.bulletin import bulletin_context, bulletin_write
from corredor.statistics.engine import TOTAL, Engine
from tests.statistics import StatisticsTestCase


def client_for(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


class DashboardAccess(StatisticsTestCase):
    def test_analyst_sees_aggregates_with_charts_tables_and_downloads(self) -> None:
        response = client_for(self.ana).get("/statistics/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<svg") >= 7 and "<table" in html and "format=xlsx" in html
        # Aggregates only: no traveller's name appears anywhere on the page.
        surnames = set(Traveller.objects.values_list("surname", flat=True)[:200])
        assert not [s for s in surnames if len(s) > 3 and f">{s}<" in html]

    def test_drill_down_by_nationality_and_month(self) -> None:
        client = client_for(self.ana)
        response = client.get("/statistics/", {"nationality": "NIC"})
        assert response.status_code == 200
        assert "Nicaragua" in response.content.decode()
        engine = Engine()
        start, _ = engine.default_range()
        daily = client.get(
            "/statistics/",
            {"from": start.isoformat(), "to": start.replace(day=28).isoformat(), "period": "day"},
        )
        assert daily.status_code == 200

    def test_officer_is_refused_and_the_refusal_audited(self) -> None:
        before = AuditEntry.objects.filter(action="denied").count()
        for url in ("/statistics/", "/statistics/download/?measure=entries&by=sex", "/statistics/context/"):
            assert client_for(self.alice).get(url).status_code == 403
        assert client_for(self.aud).get("/statistics/").status_code == 403
        assert AuditEntry.objects.filter(action="denied").count() == before + 4
        # The bulletin too, whatever the month asked: the role is checked before the records are read, so a
        # refusal says nothing of their dates.
        for month in ("", "?month=2999-01", "?month=1999-01&format=pdf"):
            response = client_for(self.alice).get(f"/statistics/bulletin/{month}")
            assert response.status_code == 403, month
            assert "records" not in response.content.decode()
        assert AuditEntry.objects.filter(action="denied").count() == before + 7

    def test_supervisor_sees_her_own_post_only(self) -> None:
        client = client_for(self.sofia)
        response = client.get("/statistics/")
        assert response.status_code == 200
        assert client.get("/statistics/", {"post": "PBL"}).status_code == 403
        download = client.get("/statistics/download/", {"measure": "entries", "by": "post", "format": "csv"})
        rows = list(csv.reader(io.StringIO(download.content.decode())))
        assert {row[0] for row in rows[1:]} <= {"SJO", TOTAL}

    def test_download_is_protected_and_audited(self) -> None:
        before = AuditEntry.objects.filter(action="export").count()
        response = client_for(self.ana).get(
            "/statistics/download/", {"measure": "entries", "by": "nationality,sex", "format": "csv"}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        published = [int(r["entries"]) for r in rows if r["entries"] != ""]
        assert not [v for v in published if 0 < v < 5]
        assert any(r["flag"] == "confidential" and r["entries"] == "" for r in rows)
        entry = AuditEntry.objects.filter(action="export").order_by("-id").first()
        assert AuditEntry.objects.filter(action="export").count() == before + 1
        assert entry.username == "ana" and "K=5" in entry.summary and "nationality,sex" in entry.summary

    def test_a_smaller_k_is_refused_through_the_web_and_the_api(self) -> None:
        client = client_for(self.ana)
        assert client.get("/statistics/download/", {"measure": "entries", "min_cell": "2"}).status_code == 400
        assert (
            client.get("/api/v1/statistics/table", {"measure": "entries", "min_cell": 2}).status_code == 400
        )

    def test_explore_and_context_pages(self) -> None:
        client = client_for(self.ana)
        page = client.get("/statistics/explore/", {"measure": "travellers", "by": ["month", "region"]})
        assert page.status_code == 200 and "withheld" in page.content.decode()
        assert client.get("/statistics/context/").status_code == 200

    def test_a_table_of_nationalities_lists_the_largest_first(self) -> None:
        response = client_for(self.ana).get("/statistics/")
        card = next(c for c in response.context["cards"] if c.id == "nationalities")
        rows = card.tables[0]["rows"]
        assert rows[-1]["total"] and not any(r["total"] for r in rows[:-1])
        shown = [r for r in rows[:-1] if not r["withheld"]]
        values = [int(r["value"].replace(",", "")) for r in shown]
        assert len(values) > 10 and values == sorted(values, reverse=True)
        # Withheld ones come after every published one, and show no value.
        withheld = [i for i, r in enumerate(rows[:-1]) if r["withheld"]]
        assert all(i >= len(shown) for i in withheld)
        assert all(rows[i]["value"] == "—" for i in withheld)

    def test_nationalities_crossed_with_another_dimension_are_listed_by_name(self) -> None:
        response = client_for(self.ana).get(
            "/statistics/explore/", {"measure": "entries", "by": ["nationality", "sex"]}
        )
        names = [r["labels"][0] for r in response.context["table"]["rows"] if r["labels"][0] != "Total"]
        in_order = list(dict.fromkeys(names))
        assert len(in_order) > 10 and in_order == sorted(in_order, key=lambda n: n.casefold())
        assert "Nicaragua" in in_order and "NIC" not in in_order

    def test_the_overstay_rate_says_what_it_is_computed_for(self) -> None:
        response = client_for(self.ana).get("/statistics/")
        card = next(c for c in response.context["cards"] if c.id == "overstay-rate")
        assert "Of the stays whose authorised end fell in the period" in card.note
        assert "no authorised stay ended has no rate" in card.note

    def test_the_month_the_records_begin_in_is_left_out_of_the_trend_and_the_table_marks_it(self) -> None:
        engine = Engine()
        start = engine.first_day.replace(day=1)
        response = client_for(self.ana).get(
            "/statistics/", {"from": (start - timedelta(days=70)).isoformat(), "to": engine.last_day}
        )
        card = next(c for c in response.context["cards"] if c.id == "trend")
        months = [r["labels"][0] for r in card.tables[0]["rows"]]
        # Months before the records are not there at all (not zeros); the first is marked incomplete.
        assert months[0] == f"{start:%Y-%m}" + ("*" if engine.first_day.day > 1 else "")
        if engine.first_day.day > 1:
            assert "is incomplete (the records begin on" in card.note
            assert f">{start:%b %Y}<" not in card.svg

    def test_context_page_says_which_dataset_is_not_imported_and_how_to_import_it(self) -> None:
        html = client_for(self.ana).get("/statistics/context/").content.decode()
        for dataset in ("undesa-stock", "unhcr-bilateral", "missing-migrants"):
            assert f"corredor stats import {dataset} FILE" in html
        assert "“UNHCR refugees and asylum seekers” has not been imported" in html
        assert "Refugees and asylum seekers hosted (UNHCR)" in html
        assert "—" not in re.sub(r"<(?!h2)[^>]*>", "", " ".join(re.findall(r"<h2>.*?</h2>", html)))


class ApiAccess(StatisticsTestCase):
    def test_table_catalogue_and_files(self) -> None:
        client = client_for(self.ana)
        table = client.get("/api/v1/statistics/table", {"measure": "entries", "by": "post,sex"}).json()
        assert table["min_cell"] == 5 and table["by"] == ["post", "sex"]
        values = [c["value"] for c in table["cells"] if not c["suppressed"]]
        assert not [v for v in values if 0 < v < 5]
        assert all(c["value"] is None for c in table["cells"] if c["suppressed"])
        catalogue = client.get("/api/v1/statistics/catalogue").json()
        assert "overstay_rate" in [m["code"] for m in catalogue["measures"]]
        sdmx = client.get(
            "/api/v1/statistics/export", {"measure": "entries", "by": "month,sex", "format": "sdmx-csv"}
        )
        assert sdmx.status_code == 200 and sdmx.content.startswith(
            b"DATAFLOW,MEASURE,SEX,TIME_PERIOD,OBS_VALUE,CONF_STATUS"
        )

    def test_officer_is_refused(self) -> None:
        response = client_for(self.bob).get("/api/v1/statistics/table", {"measure": "entries"})
        assert response.status_code == 403
        assert "message" in response.json()

    def test_external_figures(self) -> None:
        assert (
            client_for(self.ana).get("/api/v1/statistics/external", {"dataset": "undesa-stock"}).json() == []
        )
        assert client_for(self.ana).get("/api/v1/statistics/external", {"dataset": "nope"}).status_code == 400


class ExportFormats(StatisticsTestCase):
    def protected(self) -> object:
        return Engine().table("entries", by=["month", "nationality", "sex", "age_band"]).protect(5)

    def test_every_published_cell_is_zero_or_at_least_k_and_margins_protect_the_rest(self) -> None:
        result = self.protected()
        published = result.values[result.status == disclosure.PUBLISHED]
        assert not ((published > 0) & (published < 5)).any()
        assert (result.status == disclosure.PRIMARY).any()
        # Every primary cell has a hypercube of withheld cells: another table agrees with all published.
        protection = disclosure.protect(result.values, margin_axes=result.margin_axes, k=5)
        for cell, corners in list(protection.witnesses.items())[:200]:
            other = disclosure.perturb(result.values, corners, 1)
            assert other.min() >= 0 and other[cell] != result.values[cell]
            assert np.array_equal(other[protection.status == 0], result.values[protection.status == 0])

    def test_csv_hxl_sdmx_and_xlsx(self) -> None:
        result = self.protected()
        with translation.override("en"):
            hxl = exports.write_hxl(result).decode().splitlines()
            sdmx = list(csv.reader(io.StringIO(exports.write_sdmx_csv(result).decode())))
            xlsx = exports.write_xlsx(result)
        tags = hxl[1].split(",")
        assert tags[:3] == ["#date+month", "#country+code", "#country+name"]
        assert "#affected+entries+f+age18_29+adults" in tags and "#affected+entries+m" in tags
        assert "#affected+entries+f+age0_11+children" in tags
        assert sdmx[0] == [
            "DATAFLOW",
            "MEASURE",
            "CITIZENSHIP",
            "SEX",
            "AGE",
            "TIME_PERIOD",
            "OBS_VALUE",
            "CONF_STATUS",
        ]
        statuses = {row[-1] for row in sdmx[1:]}
        assert statuses <= {"F", "C", "D"} and "C" in statuses
        assert all(row[-2] == "" for row in sdmx[1:] if row[-1] in ("C", "D"))
        assert {row[4] for row in sdmx[1:]} >= {"Y18T29", "Y_GE60", "_T"}
        assert xlsx[:2] == b"PK"
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(xlsx))
        assert book.sheetnames == ["data", "notes"]

    def test_an_unprotected_table_is_never_written(self) -> None:
        with pytest.raises(ValueError):
            exports.write_csv(Engine().table("entries", by=["sex"]))

    def test_export_command_writes_a_file_and_the_audit_log(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "entries.csv"
            call_command(
                "stats",
                "export",
                "--measure",
                "entries",
                "--by",
                "month,post,sex",
                "--format",
                "hxl",
                "--min-cell",
                "10",
                "--out",
                str(out),
                stderr=io.StringIO(),
            )
            lines = out.read_text().splitlines()
        assert lines[1].startswith("#date+month,#loc+name+code,#affected+entries+f")
        entry = AuditEntry.objects.filter(action="export").order_by("-id").first()
        assert entry.username == "cli" and "K=10" in entry.summary

    def test_export_command_to_standard_output(self) -> None:
        out = io.StringIO()
        call_command(
            "stats", "export", "--measure", "refusals", "--by", "quarter", "--format", "csv", stdout=out
        )
        assert out.getvalue().startswith("quarter,refusals,flag")


def bulletin_svg(image: str) -> str:
    """The SVG inside one of the bulletin's <img> charts."""
    found = re.search(r"base64,([A-Za-z0-9+/=]+)", image)
    assert found
    return base64.b64decode(found.group(1)).decode()


class Bulletin(StatisticsTestCase):
    def month(self) -> str:
        return f"{Engine().last_day.replace(day=1) - timedelta(days=1):%Y-%m}"

    def test_map_place_names_follow_the_bulletin_language(self) -> None:
        with translation.override("es"):
            spanish = bulletin_svg(bulletin_context(month=self.month())["svg"]["map"])
        with translation.override("en"):
            english = bulletin_svg(bulletin_context(month=self.month())["svg"]["map"])
        assert ">Estados Unidos<" in spanish and ">El Caribe<" in spanish and ">USA<" not in spanish
        assert ">United States<" in english and ">The Caribbean<" in english and "México" not in english

    def test_the_trend_starts_where_the_records_do(self) -> None:
        engine = Engine()
        with translation.override("en"):
            context = bulletin_context(month=self.month(), engine=engine)
        trend = bulletin_svg(context["svg"]["trend"])
        first = engine.first_day
        first_whole = first if first.day == 1 else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        found = re.search(r"<desc>Entries: (\w+ \d+) ([\d,]+)", trend)
        before = (first_whole - timedelta(days=1)).replace(day=1)
        with translation.override("en"):  # the months' names as the bulletin wrote them, whatever ran before
            expected, earlier = dateformat.format(first_whole, "M y"), dateformat.format(before, "M y")
        assert found and found.group(1) == expected
        assert int(found.group(2).replace(",", "")) > 0
        assert earlier not in trend
        if first.day > 1:
            assert "is incomplete (the records begin on" in context["trend_note"]

    def test_top_nationalities_are_those_with_entries_largest_first_and_none_withheld(self) -> None:
        month = self.month()
        with translation.override("en"):
            context = bulletin_context(month=month)
        shown = [int(r["value"].replace(",", "")) for r in context["nationality_rows"]]
        first, last = selectors.month_range(month)
        result = Engine().table("entries", by=["nationality"], date_from=first, date_to=last).protect(5)
        published = sorted((v for _c, v in result.series() if v), reverse=True)
        assert shown == published[: len(shown)] and all(v > 0 for v in shown)
        withheld = [c for c, v in result.series() if v is None]
        names = {r["name"] for r in context["nationality_rows"]}
        with translation.override("en"):
            assert not names & {exports.label("nationality", c) for c in withheld}

    def test_bulletin_in_spanish_and_english(self) -> None:
        import tempfile

        engine = Engine()
        month = f"{engine.last_day.replace(day=1) - timedelta(days=1):%Y-%m}"
        try:
            import weasyprint  # noqa: F401
        except OSError as missing:  # WeasyPrint imports but cannot find Pango (Debian: libpango-1.0-0)
            pytest.skip(f"WeasyPrint cannot load its system libraries: {missing}")
        with tempfile.TemporaryDirectory() as folder:
            es = bulletin_write(month=month, lang="es", out_dir=Path(folder), pdf=False)
            en = bulletin_write(month=month, lang="en", out_dir=Path(folder), pdf=True)
            spanish = es.html.read_text()
            english = en.html.read_text()
            pdf = en.pdf.read_bytes()
        assert "Boletín de estadísticas migratorias" in spanish and "Metodología" in spanish
        assert "Migration statistics bulletin" in english and "The month in brief" in english
        assert english.count('<img class="chart"') >= 8
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000

    def test_bulletin_in_french_and_haitian_creole_names_posts_in_that_language(self) -> None:
        import tempfile

        from corredor.core.models import BorderPost

        engine = Engine()
        month = f"{engine.last_day.replace(day=1) - timedelta(days=1):%Y-%m}"
        with tempfile.TemporaryDirectory() as folder:
            call_command(
                "bulletin",
                "--month",
                month,
                "--lang",
                "ht",
                "--out",
                folder,
                "--html-only",
                stdout=io.StringIO(),
            )
            kreyol = next(Path(folder).glob("*-ht.html")).read_text()
            french = bulletin_write(month=month, lang="fr", out_dir=Path(folder), pdf=False).html.read_text()
        assert '<html lang="ht"' in kreyol and '<html lang="fr"' in french
        assert "Aeropuerto" not in french  # the Spanish names are for Spanish readers only
        for lang, page in (("fr", french), ("ht", kreyol)):
            with translation.override(lang):
                assert BorderPost.objects.get(code="SJO").name in page

    def test_bulletin_command_and_a_month_without_records(self) -> None:
        from corredor.core.errors import ApplicationError

        with self.assertRaises(ApplicationError):
            call_command("bulletin", "--month", "2999-01", "--html-only", stdout=io.StringIO())
        with self.assertRaises(ApplicationError):
            call_command("bulletin", "--month", "May 2025", "--html-only", stdout=io.StringIO())
        before = Engine().first_day.replace(day=1) - timedelta(days=1)
        with self.assertRaisesRegex(ApplicationError, "The records begin on"):
            call_command(
                "bulletin", "--month", f"{before:%Y-%m}", "--lang", "en", "--html-only", stdout=io.StringIO()
            )
