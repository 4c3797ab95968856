"""``corredor paxlst parse FILE`` and ``corredor paxlst build``, through paxlst_cli with string streams."""

from __future__ import annotations

import io
import json
from pathlib import Path

from corredor.paxlst import paxlst_cli
from tests.paxlst.samples import DATA


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = paxlst_cli(argv, io.StringIO(stdin), stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def test_parse_prints_one_json_object_and_exits_0() -> None:
    status, out, err = _run(["parse", str(DATA / "d02b_passengers.edi")])

    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["warnings"] == []
    [message] = data["messages"]
    assert (message["message_type"], message["list_type"]) == ("PAXLST", "passenger")
    assert message["flight"]["carrier"] == "AM"
    assert message["persons"][0]["surname"] == "O'BRIEN"


def test_warnings_still_exit_0_and_carry_segment_tag_and_message() -> None:
    status, out, _ = _run(["parse", "--compact", str(DATA / "sloppy_utf8.edi")])

    assert status == 0
    assert len(out.splitlines()) == 1
    warnings = json.loads(out)["warnings"]
    assert warnings
    assert all(set(warning) == {"segment", "tag", "message"} for warning in warnings)
    assert {
        "segment": 33,
        "tag": "UNT",
        "message": "UNT counts 29 segments, but the message has 31",
    } in warnings


def test_a_cusres_file_is_refused_by_name_in_one_line() -> None:
    status, out, err = _run(["parse", str(DATA / "cusres_response.edi")])

    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "this is a CUSRES message, not PAXLST" in err
    assert "segment 4 (UNH)" in err


def test_a_file_that_is_not_edifact(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_text("<PassengerList/>")

    status, _, err = _run(["parse", str(path)])

    assert status == 1
    assert "not an EDIFACT interchange" in err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    status, _, err = _run(["parse", str(tmp_path / "nothing.edi")])

    assert status == 2
    assert "cannot read" in err


def test_standard_input_with_a_dash() -> None:
    status, out, _ = _run(["parse", "-"], stdin=(DATA / "d05b_crew.edi").read_text())

    assert status == 0
    assert json.loads(out)["messages"][0]["list_type"] == "crew"


def test_no_join_prints_the_parts() -> None:
    status, out, _ = _run(["parse", "--no-join", str(DATA / "multipart_d05b.edi")])

    assert status == 0
    assert len(json.loads(out)["messages"]) == 3


def test_build_writes_what_parse_reads(tmp_path: Path) -> None:
    _, parsed, _ = _run(["parse", str(DATA / "d12b_passengers.edi")])

    status, edifact, err = _run(["build", "--una", "|^.\\ ~", "--line-breaks"], stdin=parsed)

    assert (status, err) == (0, "")
    assert edifact.startswith("UNA|^.\\ ~\nUNB^UNOA|4^UAAPIS^CRDGME^")
    path = tmp_path / "built.edi"
    path.write_text(edifact)
    _, reparsed, _ = _run(["parse", str(path)])
    before, after = json.loads(parsed), json.loads(reparsed)
    assert after["warnings"] == []
    for message in (before["messages"][0], after["messages"][0]):
        for person in message["persons"]:
            person.pop("segment")
    assert after["messages"][0]["persons"] == before["messages"][0]["persons"]
    assert after["messages"][0]["flight"] == before["messages"][0]["flight"]


def test_build_explains_bad_input_and_writes_nothing() -> None:
    status, out, err = _run(["build"], stdin="{not json")
    assert (status, out) == (2, "")
    assert "not valid JSON" in err

    status, out, err = _run(
        ["build"], stdin=json.dumps({"list_type": "passenger", "flight": {"carrier": "AM"}})
    )
    assert (status, out) == (2, "")
    assert "messages[0].flight.number is required" in err

    bad_date = {
        "flight": {"carrier": "AM", "number": "1"},
        "persons": [{"surname": "X", "birth_date": "1980-13-01"}],
    }
    status, out, err = _run(["build"], stdin=json.dumps(bad_date))
    assert (status, out) == (2, "")
    assert "messages[0].persons[0].birth_date must be a date" in err


def test_usage_errors_exit_2() -> None:
    assert _run([])[0] == 2
    assert _run(["parse"])[0] == 2
