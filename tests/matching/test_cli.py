"""screen_cli: ``corredor screen --watchlist FILE.csv [--threshold T]``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from corredor.matching.cli import screen_cli
from corredor.matching.score import DEFAULT_THRESHOLD

WATCHLIST = """entry_id,full_name,surname,given_names,aliases,birth_date,nationality,sex,category
W1,,García López,José Luis,Pepe el Toro,1985-03-12,México,M,wanted
W2,Jean-Baptiste Pierre-Louis,,,,1990,HT,male,refused entry
W3,,de la Cruz Hernández,María Guadalupe,,,mex,F,missing child
"""


@pytest.fixture
def watchlist(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(WATCHLIST, encoding="utf-8")
    return path


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = screen_cli(argv, io.StringIO(stdin), stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def queries(*items: object) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)


def test_one_line_per_query_in_order(watchlist: Path) -> None:
    status, out, err = run(
        ["--watchlist", str(watchlist)],
        queries(
            {
                "id": "a",
                "surname": "GARSIA",
                "given_names": "PEPE LUIS",
                "birth_date": "1985-12-03",
                "nationality": "MEX",
                "sex": "M",
            },
            {"id": 2, "full_name": "PIERRE LOUIS<<JEANBAPTISTE", "birth_date": "1990-06-01"},
            {"id": "c", "full_name": "Juan Pérez"},
            {
                "id": "d",
                "surname": "DELACRUZ HERNANDEZ",
                "given_names": "MARIA LUPE",
                "document_number": "X1",
                "issuing_state": "MEX",
            },
        ),
    )
    assert status == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2, "c", "d"]
    first = lines[0]["hits"][0]
    assert list(first) == ["entry_id", "score", "reasons"]
    assert first["entry_id"] == "W1" and DEFAULT_THRESHOLD <= first["score"] <= 1
    assert "surname GARCIA ≈ GARSIA (sounds the same)" in first["reasons"]
    assert lines[1]["hits"][0]["entry_id"] == "W2"
    assert lines[2]["hits"] == []
    # A name common among those who cross (the shipped table), listed without a birth date: shown
    # for review as a possible match, not a blocking hit.
    assert lines[3]["hits"] == [] and lines[3]["possible"][0]["entry_id"] == "W3"
    assert "a common name with little else to confirm it" in lines[3]["possible"][0]["reasons"]


def test_bad_query_lines_get_an_error_and_screening_goes_on(watchlist: Path) -> None:
    status, out, _ = run(
        ["--watchlist", str(watchlist)],
        queries(
            "not json",
            [1, 2],
            {"id": 3, "surname": "X", "birth_date": "1985-13-01"},
            {"id": 4, "surname": "X", "nationality": "Narnia"},
            {"id": 5},
            {"surname": 7},
            {"id": 7, "surname": "X", "colour": "blue"},
            {"id": 8, "full_name": "José Luis García López"},
        ),
    )
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == {"id": None, "line": 1, "error": "not JSON: Expecting value at column 1"}
    assert lines[1]["error"] == "a query must be a JSON object" and lines[1]["line"] == 2
    # Attributes fail open: ignored with a warning, the name still screened.
    assert lines[2] == {
        "id": 3,
        "hits": [],
        "warnings": [
            "birth_date: birth date '1985-13-01' is not a real date (month 13 does not exist); ignored"
        ],
    }
    assert lines[3]["id"] == 4 and "hits" in lines[3]
    assert lines[3]["warnings"] == [
        "nationality: nationality 'Narnia' is not a known country; kept as written, treated as unknown"
    ]
    assert lines[4]["error"].startswith("give a name")
    assert lines[5] == {"id": None, "error": "surname must be text, not int", "line": 6}
    assert lines[6]["error"] == "unknown field(s): colour"
    # José Luis García López without a birth date: one of the most common names at this border.
    assert lines[7]["hits"] == [] and lines[7]["possible"][0]["entry_id"] == "W1"


def test_threshold(watchlist: Path) -> None:
    query = queries({"id": 1, "surname": "GARCIA", "given_names": "MARIA"})
    _, out, _ = run(["--watchlist", str(watchlist), "--threshold", "0"], query)
    low = json.loads(out)["hits"]
    _, out, _ = run(["--watchlist", str(watchlist)], query)
    assert low and json.loads(out)["hits"] == []
    assert all(hit["score"] >= 0 for hit in low)
    status, out, err = run(["--watchlist", str(watchlist), "--threshold", "1.5"])
    assert status == 2 and out == "" and "between 0 and 1" in err


def test_a_bad_watchlist_is_refused_whole_with_located_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(WATCHLIST + "W4,,,,,1985-02-30,,,\nW1,Ana,,,,,,,\n", encoding="utf-8")
    status, out, err = run(["--watchlist", str(path)], queries({"id": 1, "full_name": "Ana"}))
    assert status == 2
    assert out == ""
    assert f"{path}: line 5, column full_name: give full_name, or surname and given_names" in err
    assert f"{path}: line 6, column entry_id: entry_id 'W1' already on line 2" in err
    assert "2 error(s); nothing screened" in err


def test_bad_attributes_in_the_list_and_the_queries_fail_open(tmp_path: Path) -> None:
    path = tmp_path / "real.csv"
    path.write_text(
        WATCHLIST
        + "U1,MUTHANNA HARITH SALMAN AL-DARI,,,,1969-06-16,Ivory Coast,,\n"
        + "U2,ABDUL ROSYID RIDHO BA'ASYIR,,,,1974-01-32,Hong Kong,,\n"
        + "U3,Hans Friedrich Baumgartner,,,,1957,Narnia,Q,\n",
        encoding="utf-8",
    )
    status, out, err = run(
        ["--watchlist", str(path)],
        queries(
            {"id": "a", "full_name": "MUTHANNA HARITH SALMAN AL-DARI", "birth_date": "1969-7-16",
             "nationality": "South Korea"},
            {"id": "b", "full_name": "ABDUL ROSYID RIDHO BA'ASYIR", "birth_date": "1974-01-32",
             "nationality": "Taiwan", "sex": "Q"},
            {"id": "c", "full_name": "Hans Friedrich Baumgartner", "birth_date": 1957,
             "nationality": "Turkey"},
        ),
    )  # fmt: skip
    assert status == 0
    assert f"{path}: warning: line 6, column birth_date: birth date '1974-01-32' is not a real date" in err
    assert "line 7, column nationality: nationality 'Narnia' is not a known country" in err
    assert "line 7, column sex: 'Q' is not a sex" in err
    a, b, c = (json.loads(line) for line in out.splitlines())
    assert a["hits"][0]["entry_id"] == "U1" and "warnings" not in a
    assert b["hits"][0]["entry_id"] == "U2"
    assert [w.split(":")[0] for w in b["warnings"]] == ["birth_date", "sex"]
    assert c["hits"][0]["entry_id"] == "U3" and c["warnings"] == ["birth_date: 1957 is not text; ignored"]


def test_missing_file_and_missing_option(tmp_path: Path) -> None:
    status, out, err = run(["--watchlist", str(tmp_path / "nope.csv")])
    assert status == 2 and out == "" and "no such file" in err
    status, _, err = run([])
    assert status == 2 and "--watchlist" in err


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(WATCHLIST.encode("latin-1"))
    status, _, err = run(["--watchlist", str(path)])
    assert status == 2 and "not UTF-8" in err
