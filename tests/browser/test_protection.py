"""Protection in a real browser: an officer screens a child travelling alone at the desk (ticking
"unaccompanied" makes Refer the default), refers her to the child protection agency with consent; the
caseworker accepts, plans and closes; the officer sees the referral's status, never the case; an assisted
return departs from the officer's post and its exit appears on the traveller; the consent form prints in
es, en, fr and ht; the pages read in Spanish."""

import random
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Site
from tests.browser.helpers import log_in, mrz_lines, no_server_error, ready, scan

pytestmark = pytest.mark.browser

SETUP = """
from corredor.core.models import User
from corredor.protection import demo, services
providers = demo.directory_ensure()
for username, role, code in {users!r}:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role)
        user.set_password({password!r})
        user.save()
    services.membership_set(user=None, member=user, provider=providers[code])
"""

# A return due to leave from SJO today: a traveller entered, the IOM caseworker arranged the travel.
RETURN = """
from django.utils import timezone
from corredor.border import services as border
from corredor.border.documents import document_input_from_mrz
from corredor.core.models import User
from corredor.protection import services
from corredor.protection.consent import consent_terms
officer = User.objects.get(username="officer")
oim = User.objects.get(username="bt-oim")
document, _ = document_input_from_mrz({mrz!r})
crossing = border.crossing_record(officer=officer, post_code="SJO", direction="entry", decision="admitted",
    document=document, stay_category="tourist", stay_days=30).crossing
providers = {{p.code: p for p in services.ServiceProvider.objects.all()}}
t = services.referral_from_desk(officer=officer, crossing=crossing, provider=providers["oim"], service="avrr",
    consent=consent_terms(given=True, data=["identity", "documents"], purpose="retorno", override_reason=""),
    indicators=[], child=False)
services.transition_accept(user=oim, transition_id=t.pk)
a = services.avrr_apply(user=oim, case_id=t.case_id, destination="HND")
services.avrr_assess(user=oim, avrr_id=a.pk, eligible=True, note="Voluntario")
services.avrr_arrange(user=oim, avrr_id=a.pk, travel_date=timezone.localdate(), post_code="SJO",
    transport_reference="CM394", travel_documents="pasaporte", partner_id=providers["camr-hnd"].pk)
"""


@pytest.fixture(scope="module")
def agencies(site: Site) -> Iterator[None]:
    users = [
        ("bt-caseworker", "caseworker", "pani"),
        ("bt-manager", "case_manager", "pani"),
        ("bt-oim", "caseworker", "oim"),
    ]
    site.corredor("shell", "-c", SETUP.format(users=users, password=PASSWORD))
    yield


def test_a_child_referred_at_the_desk_is_accepted_planned_and_closed(
    new_page: Callable[[], Any], server: str, agencies: None, results_dir: Path
) -> None:
    number = f"C{random.randint(1000000, 9999999)}"
    lines = mrz_lines(number, "MEJIA CASTRO", "DILCIA MARISOL", "HND", birth_date=date(2014, 5, 18))
    officer = new_page()
    log_in(officer, server, "officer", language="en")
    officer.goto("/desk/")
    scan(officer, lines)
    ready(officer)
    notice = officer.locator("#result .notice[data-source='protection']")
    expect(notice).to_contain_text("A child: ask the vulnerability screening below.")
    panel = officer.locator("#protection-panel")
    expect(panel).to_have_attribute("open", "")
    refer = officer.locator("#decision button[value='refer']")
    expect(refer).not_to_have_attribute("data-default", "")
    panel.get_by_label("Unaccompanied or separated child").check()
    expect(refer).to_have_attribute("data-default", "")
    panel.get_by_label("Refer to").select_option(
        label="Patronato Nacional de la Infancia (PANI) (Child protection agency, San José)"
    )
    panel.get_by_label("The person consents to the referral").check()
    officer.screenshot(path=str(results_dir / "protection-desk-screening.png"), full_page=True)
    with officer.expect_response(re.compile(r"/desk/record/$")) as recorded:
        refer.click()
    assert recorded.value.status == 200
    expect(officer.locator("[data-recorded]")).to_contain_text("Referred")

    officer.goto("/protection/referrals/")
    row = officer.locator("#referrals tbody tr", has_text="MEJIA CASTRO").first
    expect(row).to_contain_text("Patronato Nacional")
    expect(row.locator("td[data-status]")).to_have_attribute("data-status", "in_progress")

    worker = new_page()
    log_in(worker, server, "bt-caseworker", language="en")
    worker.goto("/protection/")
    expect(worker.locator("h1")).to_have_text("My cases")
    worker.locator("nav.tabs a", has_text="Shared with me").click()
    shared = worker.locator("#shared tbody tr").first
    expect(shared).to_contain_text("•••")  # names hidden by default
    shared.locator("a").click()
    expect(worker.locator("#shared-identity")).to_contain_text("MEJIA CASTRO")
    worker.locator("#accept").click()
    expect(worker.locator("#case-status")).to_have_attribute("data-status", "open")
    worker.locator("#event-kind").select_option("plan")
    worker.locator("#event-text").fill("Albergue del PANI; búsqueda de la madre en San José.")
    worker.locator("#event-save").click()
    expect(worker.locator("#events li[data-kind='plan']")).to_contain_text("búsqueda de la madre")
    worker.locator("#close-reason").fill("Reunificada con su madre")
    worker.locator("#close-case").click()
    expect(worker.locator("#case-status")).to_have_attribute("data-status", "closed")
    worker.screenshot(path=str(results_dir / "protection-case-closed.png"), full_page=True)
    case_url = worker.url

    # The officer sees the status, never the case.
    officer.goto("/protection/referrals/")
    row = officer.locator("#referrals tbody tr", has_text="MEJIA CASTRO").first
    expect(row.locator("td[data-status]")).to_have_attribute("data-status", "accepted")
    response = officer.goto(case_url)
    assert response is not None and response.status == 403
    no_server_error(officer)


def test_an_assisted_return_departs_as_an_exit(
    new_page: Callable[[], Any], server: str, site: Site, agencies: None
) -> None:
    number = f"R{random.randint(1000000, 9999999)}"
    lines = mrz_lines(number, "PAZ LOBO", "JOSE ANTONIO", "HND", birth_date=date(1985, 3, 9), sex="M")
    site.corredor("shell", "-c", RETURN.format(mrz="\n".join(lines)))
    officer = new_page()
    log_in(officer, server, "officer", language="en")
    officer.goto("/protection/departures/")
    row = officer.locator("#departures tbody tr", has_text="PAZ LOBO").first
    row.get_by_role("button", name="Record the departure (exit)").click()
    row = officer.locator("#departures tbody tr", has_text="PAZ LOBO").first
    row.get_by_role("link", name="Exit recorded").click()
    expect(officer.locator("body")).to_contain_text("Exit")
    no_server_error(officer)


def test_the_consent_form_and_the_pages_in_four_languages(
    new_page: Callable[[], Any], server: str, agencies: None
) -> None:
    officer = new_page()
    log_in(officer, server, "officer", language="en")
    for language, title in (
        ("es", "Consentimiento informado para una referencia"),
        ("en", "Informed consent to a referral"),
        ("fr", "Consentement éclairé à une orientation"),
        ("ht", "Konsantman eklere pou yon referans"),
    ):
        officer.goto(f"/protection/consent-form/?lang={language}")
        expect(officer.locator("#consent-form h1")).to_have_text(title)
        expect(officer.locator("#consent-form")).to_have_attribute("lang", language)
    for language, heading in (
        ("es", "Mis casos"),
        ("fr", "Mes dossiers"),
        ("ht", "Ka mwen yo"),
        ("en", "My cases"),
    ):
        worker = new_page()
        log_in(worker, server, "bt-manager", language=language)
        worker.goto("/protection/cases/")
        expect(worker.locator("h1")).to_have_text(heading)
        no_server_error(worker)
