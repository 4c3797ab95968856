"""mrz_cli: ``corredor mrz parse`` and ``corredor mrz build``."""

from __future__ import annotations

import io
import json

from corredor.icao import mrz_cli
from tests.icao.test_parse import JSON_KEYS
from tests.icao.test_specimens import SPECIMEN_TD1, SPECIMEN_TD3, replace_at


def run(argv: list[str], stdin: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = mrz_cli(argv, io.StringIO(stdin), stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def test_parse_valid_zones_exit_0_one_json_object_per_line() -> None:
    status, out, err = run(["parse", "--today", "2025-06-01"], f"{SPECIMEN_TD3}\n\n{SPECIMEN_TD1}\n")
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert list(first) == JSON_KEYS
    assert first["document_number"] == "L898902C3"
    assert first["birth_date"] == "1974-08-12"
    assert second["format"] == "TD1"
    assert all(list(problem) == ["code", "message", "field"] for problem in first["warnings"])


def test_parse_exits_1_when_any_zone_is_invalid() -> None:
    broken = replace_at(SPECIMEN_TD3, 2, 10, "3")
    status, out, _ = run(["parse"], f"{SPECIMEN_TD1}\n\n{broken}\n\nnonsense\n")
    assert status == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["valid"] for r in results] == [True, False, False]
    assert results[1]["errors"][0]["code"] == "check_digit"
    assert results[2]["errors"][0]["code"] == "layout"


def test_parse_writes_non_ascii_as_is() -> None:
    status, out, _ = run(["parse"], replace_at(SPECIMEN_TD3, 1, 7, "É"))
    assert status == 1
    assert "'É'" in out


def test_parse_exits_2_without_any_zone() -> None:
    for stdin in ["", "  \n\n\t \n"]:
        status, out, err = run(["parse"], stdin)
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert "No MRZ" in err


def test_build_one_object() -> None:
    fields = json.loads(run(["parse"], SPECIMEN_TD3)[1])
    status, out, err = run(["build"], json.dumps(fields))
    assert (status, err) == (0, "")
    assert out == SPECIMEN_TD3 + "\n"


def test_build_several_objects_one_per_line_with_blank_lines_between() -> None:
    td3 = json.loads(run(["parse"], SPECIMEN_TD3)[1])
    td1 = json.loads(run(["parse"], SPECIMEN_TD1)[1])
    status, out, _ = run(["build"], json.dumps(td3) + "\n" + json.dumps(td1) + "\n")
    assert status == 0
    assert out == f"{SPECIMEN_TD3}\n\n{SPECIMEN_TD1}\n"


def test_build_format_option_overrides_the_json() -> None:
    td3 = json.loads(run(["parse"], SPECIMEN_TD3)[1])
    td3["optional_data"] = ""
    status, out, _ = run(["build", "--format", "td2"], json.dumps(td3, indent=2))
    assert status == 0
    assert [len(line) for line in out.splitlines()] == [36, 36]


def test_build_bad_json_exits_2_and_writes_nothing() -> None:
    status, out, err = run(["build"], '{"surname": ')
    assert (status, out) == (2, "")
    assert "not valid JSON" in err


def test_build_bad_fields_exit_2_and_write_nothing() -> None:
    good = json.dumps(json.loads(run(["parse"], SPECIMEN_TD3)[1]))
    status, out, err = run(["build"], good + '\n{"issuing_state": "MEX", "sex": "Q"}\n')
    assert (status, out) == (2, "")
    assert err.startswith("Record 2: ")
    assert "document_number is required" in err


def test_build_without_input_or_with_a_non_object() -> None:
    assert run(["build"], "  ")[0] == 2
    status, _, err = run(["build"], "[1]")
    assert status == 2
    assert "not a JSON object" in err


def test_usage_errors_and_help() -> None:
    status, out, err = run([], "")
    assert status == 2
    assert "usage: corredor mrz" in err
    status, _, err = run(["frobnicate"], "")
    assert status == 2
    assert "invalid choice" in err
    status, _, err = run(["build", "--format", "TD9"], "")
    assert status == 2
    status, out, _ = run(["parse", "--help"], "")
    assert status == 0
    assert "Exit status" in out
