"""Passenger lists in a real browser: an airline's API sends the list of a flight about to land at SJO;
the post's supervisor sees the flight, its counts and the hit to prepare for, and adjudicates it; the
officer at the desk sees that the traveller was expected on the flight; the flight's page reconciles the
list with the arrivals (not yet presented, presented without being on the list)."""

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from corredor.paxlst import Flight, Leg, Message, Person, write_paxlst
from tests.browser.helpers import decide, log_in, mrz_lines, no_server_error, ready, scan
from tests.manifests import passenger as listed_passenger

pytestmark = pytest.mark.browser

FLIGHT = "CM7710"


@dataclass(frozen=True)
class Sent:
    """What the airline's API answered for the list it sent."""

    body: bytes
    status: int
    receipt: dict[str, Any]
    arrival: datetime  # local time at SJO


def passenger(
    surname: str, given_names: str, nationality: str, sex: str, born: date, number: str, seat: str
) -> Person:
    """A passenger boarding at Panama for San José, with a passport of their nationality."""
    person = listed_passenger(
        surname, given_names, number=number, nationality=nationality, birth_date=born, sex=sex
    )
    person.embarkation, person.debarkation, person.seat = "PTY", "SJO", seat
    person.booking_references = [f"Q{number[-5:]}"]
    return person


# Who is on the list: one who will present, one the watchlist knows (notify on arrival), one who won't.
WHITE = ("WHITE", "ANNA MARIE", "USA", "F", date(1990, 6, 1), "561234567", "12A")
OKONKWO = ("OKONKWO", "CHIDI EMEKA", "NGA", "M", date(1975, 8, 19), "A09876543", "14C")
PEREZ = ("PEREZ GOMEZ", "LUCIA", "COL", "F", date(1985, 11, 3), "AB7654321", "20F")


def post_list(server: str, token: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{server}/api/v1/manifests/messages",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/edifact"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def sent(server: str, carrier_token: str) -> Sent:
    """The airline closes flight CM7710 from Panama, landing at SJO in an hour, and its API sends the
    passenger list."""
    arrival = datetime.now(ZoneInfo("America/Costa_Rica")).replace(tzinfo=None, second=0, microsecond=0)
    arrival += timedelta(hours=1)
    departure = arrival - timedelta(minutes=15)  # 1 h 15 min, and Panama is an hour ahead
    message = Message(
        list_type="passenger",
        flight=Flight(
            carrier="CM",
            number="7710",
            legs=[
                Leg(
                    departure_airport="PTY",
                    departure_time=departure,
                    arrival_airport="SJO",
                    arrival_time=arrival,
                )
            ],
        ),
        persons=[passenger(*person) for person in (WHITE, OKONKWO, PEREZ)],
        reporting_party="CM API DESK",
        reference="CM7710P",
    )
    body = write_paxlst(message).encode("ascii")
    status, receipt = post_list(server, carrier_token, body)
    return Sent(body, status, receipt, arrival)


def test_the_airline_list_is_received_and_screened(sent: Sent, server: str, carrier_token: str) -> None:
    assert sent.status == 201, sent.receipt
    assert sent.receipt["status"] == "stored"
    (received,) = sent.receipt["lists"]
    assert received["flight"]["designator"] == FLIGHT
    assert received["flight"]["post"] == "SJO"
    assert received["persons"] == 3
    assert received["screening"] == {"clear": 2, "hit": 1, "not_screened": 0}
    # The same list again (a retry after a time-out) changes nothing.
    status, again = post_list(server, carrier_token, sent.body)
    assert status == 200 and again["status"] == "duplicate", again


def test_supervisor_prepares_for_the_flight_and_adjudicates_its_hit(
    new_page: Callable[[], Any], sent: Sent, server: str, results_dir: Path
) -> None:
    supervisor = new_page()
    log_in(supervisor, server, "supervisor", language="en")
    supervisor.locator("header.top nav a", has_text="Flights").click()
    expect(supervisor.locator("h1")).to_contain_text("Flights · SJO")
    row = supervisor.locator(f"tr[data-flight='{FLIGHT}']")
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(f"{sent.arrival:%H:%M}")
    expect(cells.nth(2)).to_have_text("PTY → SJO")
    expect(cells.nth(3)).to_have_text("3")  # passengers
    expect(cells.nth(4)).to_have_text("0")  # crew
    expect(row.locator("xpath=../../thead/tr/th").nth(6)).to_have_text("Hits to prepare for")
    expect(cells.nth(6)).to_have_text("1")
    expect(cells.nth(8)).to_have_text("Expected")
    expect(row).to_have_class(re.compile(r"\bwarn\b"))
    supervisor.screenshot(path=str(results_dir / "manifests-flights.png"), full_page=True)

    row.locator("a", has_text=FLIGHT).click()
    expect(supervisor.locator("h1")).to_contain_text(f"{FLIGHT} · PTY → SJO")
    hits = supervisor.locator("#hits tbody tr")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("OKONKWO, CHIDI EMEKA")
    expect(hits.first).to_contain_text("NGA A09876543")
    expect(hits.first.locator("td").last).to_have_text("Open")
    people = supervisor.locator("#people tbody tr")
    expect(people).to_have_count(3)
    expect(people.nth(1)).to_contain_text("Hit")
    supervisor.screenshot(path=str(results_dir / "manifests-flight.png"), full_page=True)

    # The same adjudication as at the desk: it is the man the liaison office asked about.
    flight_page = supervisor.url
    hits.first.locator("a").click()
    supervisor.wait_for_url(re.compile(r"/screening/hits/[0-9a-f-]{36}/$"))
    expect(supervisor.locator("h1")).to_contain_text("Notify on arrival")
    expect(supervisor.locator(".cols .card").first).to_contain_text("A09876543")
    supervisor.get_by_label("True match").check()
    supervisor.get_by_label("Reason").fill("Same passport and birth date as the liaison office's request.")
    with supervisor.expect_navigation():
        supervisor.get_by_role("button", name="Record the verdict").click()
    expect(supervisor.locator("p.status[data-verdict='true_match']")).to_contain_text("True match")

    supervisor.goto(flight_page)
    expect(supervisor.locator("#hits tbody tr").first.locator("td").last).to_have_text("True match")
    # The hit as it reads now, in the reader's language (not as stored when the list arrived).
    link = supervisor.locator("#hits tbody tr").first.locator("a")
    expect(link).to_contain_text("Notify on arrival")
    expect(link).not_to_contain_text("Open")
    # Confirmed, it is still one to prepare for (it read "to adjudicate", which it no longer is).
    supervisor.goto("/flights/")
    expect(supervisor.locator(f"tr[data-flight='{FLIGHT}'] td").nth(6)).to_have_text("1")
    no_server_error(supervisor)


def test_officer_sees_expected_on_flight_and_the_flight_reconciles(
    new_page: Callable[[], Any], sent: Sent, server: str, results_dir: Path
) -> None:
    surname, given, nationality, sex, born, number, _seat = WHITE
    officer = new_page()
    log_in(officer, server, "officer", language="en")
    scan(officer, mrz_lines(number, surname, given, nationality, birth_date=born, sex=sex))
    expected = officer.locator("#result .notice[data-source='manifests']")
    expect(expected).to_have_count(1)
    expect(expected.locator("strong")).to_have_text(f"Expected on flight {FLIGHT}")
    expect(expected).to_contain_text(f"Scheduled to arrive {sent.arrival:%H:%M} from PTY")
    expect(expected).to_contain_text("Seat 12A")
    expect(expected).to_contain_text("Pre-arrival screening: no hit.")
    officer.screenshot(path=str(results_dir / "manifests-desk-expected.png"), full_page=True)
    assert decide(officer, "Enter") == 200
    expect(officer.locator("#result [data-recorded]")).to_contain_text("Admitted")

    # The man the watchlist knows: expected too, with the pre-arrival hit beside the desk's own.
    surname, given, nationality, sex, born, number, _seat = OKONKWO
    scan(officer, mrz_lines(number, surname, given, nationality, birth_date=born, sex=sex))
    expected = officer.locator("#result .notice[data-source='manifests']")
    expect(expected.locator("strong")).to_have_text(f"Expected on flight {FLIGHT}")
    expect(expected).to_have_attribute("data-level", "warning")
    expect(expected).to_contain_text("Pre-arrival screening: 1 hit")
    expect(officer.locator("#result .notice[data-source='screening']")).to_contain_text("Notify on arrival")
    officer.screenshot(path=str(results_dir / "manifests-desk-hit.png"), full_page=True)
    officer.keyboard.press("Escape")

    # Someone who names the flight but is not on its list.
    officer.locator("#mrz").click()
    scan(officer, mrz_lines("C01990077", "RIVAS", "TOMAS", "NIC", birth_date=date(1992, 9, 9), sex="M"))
    expect(officer.locator("#result .notice[data-source='manifests']")).to_have_count(0)
    officer.get_by_label("Flight / vehicle / vessel").fill("cm 7710")
    ready(officer)
    with officer.expect_response(re.compile(r"/desk/record/$")) as recorded:
        officer.locator("#decision button[value='entry']").click()
    assert recorded.value.status == 200

    supervisor = new_page()
    log_in(supervisor, server, "supervisor", language="en")
    supervisor.goto("/flights/")
    supervisor.locator(f"tr[data-flight='{FLIGHT}'] a", has_text=FLIGHT).click()
    reconciliation = supervisor.locator("#reconciliation")
    totals = reconciliation.locator("p.totals strong")
    expect(totals).to_have_text(["1", "2", "1"])
    waiting, unlisted = reconciliation.locator(".cols > div").all()
    expect(waiting.locator("h3")).to_have_text("On the list, not yet presented")
    expect(waiting.locator("tbody tr")).to_have_count(2)
    expect(waiting).to_contain_text("OKONKWO, CHIDI EMEKA")
    expect(waiting).to_contain_text("PEREZ GOMEZ, LUCIA")
    expect(waiting).not_to_contain_text("WHITE")
    expect(unlisted.locator("tbody tr")).to_have_count(1)
    expect(unlisted).to_contain_text("RIVAS")
    expect(unlisted).to_contain_text("C01990077")
    presented = supervisor.locator("#people tbody tr", has_text="WHITE, ANNA MARIE")
    expect(presented.locator("td").last.locator("a")).to_be_visible()
    supervisor.screenshot(path=str(results_dir / "manifests-reconciliation.png"), full_page=True)
    no_server_error(supervisor)
