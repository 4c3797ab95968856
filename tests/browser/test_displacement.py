"""Emergencies in a real browser: the collection form keeps working with the network cut (submissions
queue on the device and are sent when the link returns), and the event's map draws without any tile server."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Site
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

EVENT = "demo-huracan-cri"
SETUP = """
import random
from datetime import date
from corredor.core.models import User
from corredor.displacement.demo import hurricane_seed
hurricane_seed(random.Random(3), date.today())
for username, role in (("bt.enumerator", "enumerator"), ("bt.coordinator", "emergency_coordinator")):
    user = User(username=username, role=role)
    user.set_password({password!r})
    user.save()
"""
COUNT = """
from corredor.displacement.models import AreaAssessment, FlowCount, SiteAssessment
print("stored", AreaAssessment.objects.filter(collected_by__username="bt.enumerator").count(),
      SiteAssessment.objects.filter(collected_by__username="bt.enumerator").count(),
      FlowCount.objects.filter(collected_by__username="bt.enumerator").count())
"""


@pytest.fixture(scope="module")
def emergency(site: Site) -> Site:
    site.corredor("shell", "-c", SETUP.format(password=PASSWORD))
    return site


def _stored(site: Site) -> tuple[int, int, int]:
    output = site.corredor("shell", "-c", COUNT).splitlines()
    line = next(line for line in output if line.startswith("stored"))
    _label, areas, sites, flows = line.split()
    return int(areas), int(sites), int(flows)


def test_offline_form_queues_and_sends_when_the_link_returns(emergency: Site, page: Any, server: str) -> None:
    log_in(page, server, "bt.enumerator")
    page.goto(f"/emergencies/{EVENT}/collect/")
    queue = page.locator("#dp-queue")
    expect(queue).to_have_attribute("data-pending", "0")
    page.context.set_offline(True)
    area = page.locator("#area-form")
    area.locator("select[name=area_pcode]").select_option("CR704")
    area.locator("input[name=females_adults]").fill("12")
    area.locator("input[name=males_children]").fill("7")
    area.locator("button[type=submit]").click()
    site_form = page.locator("#site-form")
    site_form.locator("select[name=site_code]").select_option("ALB-LIM")
    site_form.locator("input[name=females_adults]").fill("40")
    site_form.locator("select[name=need_wash]").select_option("3")
    site_form.locator("button[type=submit]").click()
    flow = page.locator("#flow-form")
    flow.locator("select[name=direction]").select_option("outgoing")
    flow.locator("input[name=nationality]").fill("NIC")
    flow.locator("input[name=people]").fill("23")
    flow.locator("input[name=next_location]").fill("Rivas")
    flow.locator("button[type=submit]").click()
    # Kept on the device, not sent: the server has nothing from this enumerator.
    expect(queue).to_have_attribute("data-pending", "3")
    expect(page.locator("#dp-pending li")).to_have_count(3)
    assert _stored(emergency) == (0, 0, 0)
    stored_in_browser = page.evaluate(
        "JSON.parse(localStorage.getItem('corredor.displacement.queue')).length"
    )
    assert stored_in_browser == 3
    # The link returns: the page sends what it kept, by itself.
    page.context.set_offline(False)
    expect(queue).to_have_attribute("data-pending", "0", timeout=15000)
    assert _stored(emergency) == (1, 1, 1)
    # What the enumerator collected is on their page (and only that).
    page.goto(f"/emergencies/{EVENT}/")
    expect(page.locator("main")).to_contain_text("Talamanca")


def test_map_draws_offline_from_stored_shapes(emergency: Site, page: Any, server: str) -> None:
    outside: list[str] = []
    page.on(
        "request", lambda request: None if request.url.startswith(server) else outside.append(request.url)
    )
    log_in(page, server, "bt.coordinator")
    page.goto(f"/emergencies/{EVENT}/map/")
    box = page.locator("#dp-map")
    expect(box).to_have_attribute("data-features", "5")  # Costa Rica's outline, three sites, a flow point
    expect(page.locator("#dp-map path.leaflet-interactive").first).to_be_visible()
    page.locator("#dp-round").select_option("1")
    expect(box).to_have_attribute("data-features", "5")
    assert outside == []
    page.goto(f"/emergencies/{EVENT}/flows/FMP-PBL/")
    # A point at a border post: the post's recorded crossings in two columns beside the counts.
    expect(page.locator("#flow-days tr[data-day]")).to_have_count(14)
    expect(page.locator("#flow-days thead th")).to_have_count(5)


BAD_KOBO = (
    "group_hh/household_ref;group_hh/site_code;group_member/surname;group_member/given_names;group_member/sex;"
    "group_member/birth_date;group_member/vulnerabilities;group_hh/consent_referral;_uuid\n"
    "HH-B1;ALB-LIB;Joseph;Marie;F;1984-02-30;;yes;0b9f1b8e-1d7c-4c38-9f3c-1d2f3a4b5c6d\n"
    "HH-B1;ALB-LIB;Joseph;Wilner;M;2015;;yes;1c9f1b8e-1d7c-4c38-9f3c-1d2f3a4b5c6d\n"
)
HOUSEHOLDS = """
from corredor.displacement.models import Household
print("households", Household.objects.filter(reference__startswith="HH-B").count())
"""


def _households(site: Site) -> int:
    line = next(
        line
        for line in site.corredor("shell", "-c", HOUSEHOLDS).splitlines()
        if line.startswith("households")
    )
    return int(line.split()[1])


def test_a_kobo_export_with_a_wrong_date_is_refused_with_its_row_and_column(
    emergency: Site, page: Any, server: str
) -> None:
    log_in(page, server, "bt.coordinator", language="en")
    page.goto(f"/emergencies/{EVENT}/imports/")
    page.locator("#file").set_input_files(
        files=[{"name": "kobo.csv", "mimeType": "text/csv", "buffer": BAD_KOBO.encode()}]
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    emergency.corredor("work", "--once")  # the background worker
    page.reload()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "rejected")
    row = page.locator("#import-errors tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("birth_date")
    expect(row.locator("td").nth(2)).to_contain_text("1984-02-30")
    assert _households(emergency) == 0  # all or nothing: the good row was not imported either


def test_registration_with_a_wrong_date_shows_the_member_and_field_in_spanish(
    emergency: Site, page: Any, server: str
) -> None:
    log_in(page, server, "bt.enumerator", language="es")
    page.goto(f"/emergencies/{EVENT}/register/")
    page.locator("input[name=reference]").fill("HH-B2")
    page.locator("input[name=surname_0]").fill("Joseph")
    page.locator("input[name=given_names_0]").fill("Marie")
    page.locator("select[name=sex_0]").select_option("F")
    page.locator("input[name=birth_date_0]").fill("1984-02-30")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    error = page.locator('#register-errors li[data-field="members[0].birth_date"]')
    expect(error).to_contain_text("Persona 1, fecha de nacimiento")
    expect(page.locator("input[name=surname_0]")).to_have_value("Joseph")  # what was typed is kept
    assert _households(emergency) == 0
