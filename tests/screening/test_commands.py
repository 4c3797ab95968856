"""`corredor watchlist create|import|list` and `corredor screen`."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from corredor.core.errors import ApplicationError
from corredor.screening.models import PersonAlert, Watchlist
from tests.screening import ScreeningTestCase


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("watchlist", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class WatchlistCommandTests(ScreeningTestCase):
    def test_create_import_and_list(self) -> None:
        run("create", "ptn-hnd", "--name", "Honduras", "--source", "partner")
        assert Watchlist.objects.get(code="ptn-hnd").source == "partner"
        path = Path(self.tmp) / "h.csv"
        path.write_text("Id;Apellidos;Nombres;Tipo\nH1;Mejía;Olvin;buscado\n", encoding="utf-8")
        mapping = json.dumps(
            {"Id": "entry_id", "Apellidos": "surname", "Nombres": "given_names", "Tipo": "category"}
        )
        out, err = run("import", str(path), "--watchlist", "ptn-hnd", "--mapping", mapping)
        assert "1 new" in out and "100.0%" in err
        assert PersonAlert.objects.get(external_id="H1").watchlist.code == "ptn-hnd"
        out, _ = run("list")
        assert "ptn-hnd" in out and "nat" in out

    def test_a_bad_file_prints_every_located_problem_and_imports_nothing(self) -> None:
        path = Path(self.tmp) / "bad.csv"
        path.write_text("entry_id,surname,birth_date,category\nB1,Mora,1980,wanted\nB2,Soto,1980-1-1,spy\n")
        with pytest.raises(CommandError, match="1 problems: nothing imported"):
            run("import", str(path), "--watchlist", "nat")
        assert not PersonAlert.objects.filter(external_id="B1").exists()

    def test_errors_for_people(self) -> None:
        with pytest.raises(CommandError, match="no watchlist 'nope'"):
            run("import", __file__, "--watchlist", "nope")
        with pytest.raises(CommandError, match="No such file"):
            run("import", "/nonexistent.csv", "--watchlist", "nat")
        with pytest.raises(ApplicationError, match="already a watchlist"):
            run("create", "nat", "--name", "Again")

    def setUp(self) -> None:
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        self.tmp = self._dir.name

    def tearDown(self) -> None:
        self._dir.cleanup()


def test_screen_reads_queries_and_writes_one_json_line_each(tmp_path: Path) -> None:
    watchlist = tmp_path / "list.csv"
    watchlist.write_text(
        "entry_id,full_name,surname,given_names,aliases,birth_date,nationality,sex,category\n"
        "W1,,García López,José,,1982,NIC,M,wanted\n"
    )
    queries = (
        '{"id": "q1", "surname": "GARCIA LOPEZ", "given_names": "PEPE", "birth_date": "1982-05-02"}\n'
        '{"id": "q2", "full_name": "Ana Soto"}\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "corredor.cli", "screen", "--watchlist", str(watchlist)],
        input=queries,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stderr
    assert [line["id"] for line in lines] == ["q1", "q2"]
    # A nickname on a common name with nothing else to confirm it is a possible match (shown for review)
    # since the matching core's possible-match tier; a hit when more agrees.
    found = [h["entry_id"] for h in lines[0]["hits"] + lines[0].get("possible", [])]
    assert found == ["W1"] and lines[1]["hits"] == [] and not lines[1].get("possible")
