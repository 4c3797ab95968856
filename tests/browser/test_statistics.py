"""Statistics in a real browser: an analyst reaches the dashboard, reads the charts and their tables,
filters and drills down, downloads a table as CSV, reads the monthly bulletin and the international
context; an officer is refused the figures, a supervisor sees their own post's."""

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTEXT_AVAILABLE, SHARED_DATA
from tests.browser.helpers import log_in, no_server_error

pytestmark = pytest.mark.browser

# The first dashboard of a fresh server process reads the extract and warms DuckDB.
SLOW = 20000


def kpi(page: Any, label: str) -> str:
    """The value of a key figure, as shown."""
    box = page.locator(".kpi", has=page.locator(".kpi-label", has_text=re.compile(f"^{label}$")))
    return str(box.locator(".kpi-value").inner_text())


def as_int(shown: str) -> int:
    return int(shown.replace(",", "").replace("\u202f", "").replace(" ", "").replace(".", ""))


def wait_swapped(page: Any) -> None:
    expect(page.locator("#dashboard")).not_to_have_class(re.compile(r"htmx-(request|swapping|settling)"))


def test_analyst_reads_the_dashboard_and_drills_down(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "analyst", language="en")
    # An analyst's home is the dashboard.
    expect(page.locator("h1")).to_have_text("Migration statistics", timeout=SLOW)
    assert page.url.rstrip("/").endswith("/statistics")
    expect(page.locator(".subnav a[aria-current='page']")).to_have_text("Dashboard")
    entries = as_int(kpi(page, "Entries"))
    assert entries > 100

    # Every chart is an SVG drawn from the data, with its table and its downloads.
    cards = page.locator("section.chart-card")
    assert cards.count() >= 6
    for card in cards.all():
        svg = card.locator(".chart svg")
        expect(svg).to_be_visible()
        assert svg.locator("rect, path, circle, polyline").count() > 0, card.get_attribute("id")
        table = card.locator("details table").first
        expect(table).to_be_hidden()
        card.locator("details summary").click()
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() > 0, card.get_attribute("id")
        expect(card.get_by_role("link", name="CSV", exact=True)).to_have_attribute(
            "href", re.compile("format=csv")
        )
    # Nationalities are listed by name, so their table lists the largest first (not by ISO code).
    shown = page.locator("#nationalities details table tbody tr:not(.total) td.num:not(.withheld)")
    values = [as_int(v) for v in shown.all_text_contents()]
    assert len(values) > 5 and values == sorted(values, reverse=True)
    # The trend's table adds up to the key figure.
    trend_total = page.locator("#trend details table").first.locator("tr.total td.num")
    expect(trend_total).to_have_text(kpi(page, "Entries"))
    page.screenshot(path=str(results_dir / "statistics-dashboard.png"), full_page=True)
    page.locator("#trend").screenshot(path=str(results_dir / "statistics-trend.png"))
    page.locator("#nationalities").screenshot(path=str(results_dir / "statistics-nationalities.png"))

    # Drill down: a nationality's bar shows that nationality's figures.
    bar = page.locator("#nationalities .chart svg a").nth(1)
    label, value = bar.locator("text").all_text_contents()[:2]
    bar.click()
    wait_swapped(page)
    chip = page.locator(".active-filters .chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(f"Nationality: {label}")
    expect(page.locator(".kpi-value").first).to_have_text(value)
    assert "nationality=" in page.url
    page.screenshot(path=str(results_dir / "statistics-drilldown.png"), full_page=True)

    # Remove the filter, then ask for women only through the form.
    chip.locator("a").click()
    wait_swapped(page)
    expect(page.locator(".active-filters .chip")).to_have_count(0)
    # The breakdowns (and so the drill-down) cover the whole months that have ended: without the filter the
    # page keeps that range, which holds the nationality's figure and no more than the first page's range.
    assert "to=" in page.url and as_int(value) < as_int(kpi(page, "Entries")) <= entries
    expect(page.locator("#trend details table").first.locator("tr.total td.num")).to_have_text(
        kpi(page, "Entries")
    )
    page.get_by_label("Sex").select_option("F")
    page.get_by_role("button", name="Show").click()
    wait_swapped(page)
    expect(page.locator(".active-filters .chip")).to_contain_text("Sex: Women")
    women = as_int(kpi(page, "Entries"))
    assert 0 < women < entries
    no_server_error(page)


def test_analyst_downloads_a_chart_table_as_csv(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "analyst", language="en")
    expect(page.locator("h1")).to_have_text("Migration statistics", timeout=SLOW)
    card = page.locator("#nationalities")
    first_bar = card.locator(".chart svg a").first
    country, shown = first_bar.locator("text").all_text_contents()[:2]
    with page.expect_download() as downloading:
        card.get_by_role("link", name="CSV", exact=True).click()
    download = downloading.value
    assert re.fullmatch(
        r"corredor-entries-nationality-sex-age_band-[0-9-]+\.csv", download.suggested_filename
    )
    target = results_dir / download.suggested_filename
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows and set(rows[0]) == {"nationality", "sex", "age_band", "entries", "flag"}
    # The file agrees with the chart: the top nationality's total is the bar's value.
    totals = {r["nationality"]: r["entries"] for r in rows if r["sex"] == "_T" and r["age_band"] == "_T"}
    assert as_int(shown) in {as_int(v) for v in totals.values() if v}, (country, shown)
    # Small cells are withheld, not published: empty with a flag.
    withheld = [r for r in rows if r["flag"] == "confidential"]
    assert withheld and all(r["entries"] == "" for r in withheld)
    assert all(as_int(r["entries"]) >= 5 or as_int(r["entries"]) == 0 for r in rows if r["entries"])


def test_analyst_reads_the_monthly_bulletin(page: Any, server: str, results_dir: Path) -> None:
    log_in(page, server, "analyst", language="en")
    expect(page.locator("h1")).to_have_text("Migration statistics", timeout=SLOW)
    pdf_link = page.locator(".subnav").get_by_role("link", name="PDF", exact=True).get_attribute("href")
    with page.expect_navigation():
        page.locator(".subnav").get_by_role("link", name="Migration statistics bulletin").click()
    assert "/statistics/bulletin/" in page.url
    expect(page.locator("header.cover h1")).to_have_text("Migration statistics bulletin")
    expect(page.locator("header.cover")).to_contain_text("Costa Rica")
    expect(page.locator("ul.highlights li").first).to_be_visible()
    figures = page.locator("table.kpis tbody tr")
    expect(figures.first.locator("td").first).to_have_text("Entries")
    assert as_int(figures.first.locator("td.big").inner_text()) > 0
    charts = page.locator("figure img.chart, figure svg")
    assert charts.count() >= 6
    for chart in charts.all():
        assert chart.evaluate("e => e.getBoundingClientRect().width") > 100
    expect(page.locator("h2", has_text="Methodology")).to_be_visible()
    page.screenshot(path=str(results_dir / "statistics-bulletin.png"), full_page=True)

    # The same bulletin as a PDF, for the minister.
    response = page.request.get(pdf_link)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    # A month with no records yet says so, as a page.
    refused = page.goto("/statistics/bulletin/?month=2099-01")
    assert refused is not None and refused.status == 400
    expect(page.locator(".error-box")).to_contain_text("there is no bulletin for 2099-01 yet")


def test_context_page_shows_the_imported_international_data(
    page: Any, server: str, results_dir: Path
) -> None:
    log_in(page, server, "analyst", language="en")
    page.goto("/statistics/context/", timeout=SLOW)
    expect(page.locator("h1")).to_have_text("International context: Costa Rica")
    if not CONTEXT_AVAILABLE:
        # No shared data folder beside this clone: each card says how to import its dataset.
        notes = page.locator(".not-imported")
        expect(notes.first).to_contain_text("has not been imported")
        expect(page.locator("main")).to_contain_text("corredor stats import undesa-stock FILE")
        expect(page.locator("main")).to_contain_text("corredor stats import missing-migrants FILE")
        no_server_error(page)
        pytest.skip(f"the rest needs the public datasets in {SHARED_DATA} (CORREDOR_SHARED_DATA)")
    expect(page.locator(".error-box")).to_have_count(0)
    stock = page.locator("section.chart-card").first
    expect(stock.locator("h2")).to_contain_text("2019 (UN DESA)")
    assert as_int(stock.locator(".kpi-value").inner_text()) > 100_000
    expect(stock.locator(".chart svg")).to_be_visible()
    stock.locator("details summary").click()
    expect(stock.locator("details table")).to_contain_text("Nicaragua")
    missing = page.locator("section.chart-card.wide")
    expect(missing.locator(".chart.map svg")).to_be_visible()
    assert missing.locator(".chart.map svg circle").count() > 5
    # The map's place names are in the reader's language (they were Spanish on every page).
    places = missing.locator(".chart.map svg > text").all_text_contents()
    assert {"Mexico", "United States", "The Caribbean"} <= set(places), places
    # ... and drawn after the circles, so that none covers them.
    tags = missing.locator(".chart.map svg").evaluate("svg => [...svg.children].map(e => e.tagName)")
    assert max(i for i, t in enumerate(tags) if t == "circle") < tags.index("text")
    expect(page.locator("main")).to_contain_text("undesa_migrant_stock_2019_od_wide_region_excerpt.csv")
    expect(page.locator("main")).to_contain_text("iom_missing_migrants_2014_2021.json")
    page.screenshot(path=str(results_dir / "statistics-context.png"), full_page=True)

    # Another country of the corridor, chosen from the list.
    page.get_by_label("Country").select_option("MEX")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text("International context: Mexico")
    no_server_error(page)


def test_officer_is_refused_the_statistics_and_a_supervisor_sees_only_the_post(
    new_page: Any, server: str, results_dir: Path
) -> None:
    officer = new_page()
    log_in(officer, server, "officer", language="en")
    expect(officer.locator("header.top nav a", has_text="Statistics")).to_have_count(0)
    for url in ("/statistics/", "/statistics/explore/", "/statistics/context/", "/statistics/bulletin/"):
        response = officer.goto(url)
        assert response is not None and response.status == 403, url
        expect(officer.locator(".error-box[data-status='403']")).to_contain_text(
            "Statistics are for analysts, supervisors and administrators."
        )
    download = officer.request.get("/statistics/download/?measure=entries&by=nationality&format=csv")
    assert download.status == 403
    officer.screenshot(path=str(results_dir / "statistics-officer-refused.png"), full_page=True)

    supervisor = new_page()
    log_in(supervisor, server, "supervisor", language="en")
    supervisor.locator("header.top nav a", has_text="Statistics").click()
    expect(supervisor.locator("h1")).to_have_text("Migration statistics · SJO", timeout=SLOW)
    expect(supervisor.locator("#f-post")).to_have_count(0)
    posts = supervisor.locator("#posts details table").first.locator("tbody tr:not(.total) td:first-child")
    expect(posts).to_have_text(["SJO"])
    supervisor.goto("/statistics/bulletin/")
    expect(supervisor.locator("header.cover")).to_contain_text("border post SJO")
    response = supervisor.goto("/statistics/?post=LIR")
    assert response is not None and response.status == 403
    expect(supervisor.locator(".error-box")).to_contain_text(
        "You supervise post SJO and see its figures only."
    )
