"""`corredor manifests import-folder`: each file received once, unreadable files set aside with the error;
`corredor manifests carrier`."""

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from corredor.core.errors import ApplicationError
from corredor.manifests.management.commands.manifests import Command as ManifestsCommand
from corredor.manifests.models import CarrierAccount, ManifestList, ManifestMessage
from tests.manifests import edifact, flight_list, passenger
from tests.personas import PersonaTestCase


def run(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("manifests", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return out.getvalue(), err.getvalue(), code


class ImportFolderTests(PersonaTestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.folder = Path(self.tmp.name)

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def drop(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)

    def test_good_bad_and_duplicate_files(self) -> None:
        good = edifact(flight_list(passengers=3))
        self.drop("a-good.edi", good)
        self.drop("b-other-flight.edi", edifact(flight_list(number="100", passengers=2)))
        self.drop(
            "c-bad.edi", b"UNA:+.? 'UNB+UNOA:4+X+Y+250101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'"
        )
        self.drop("d-again.edi", good)
        self.drop("e-uploading.edi.part", good)
        out, err, code = run("import-folder", str(self.folder))
        assert code == 1
        assert "a-good.edi: stored CM412" in out and "passenger v1 (3 people)" in out
        assert "c-bad.edi: REJECTED: The message cannot be read as PAXLST: segment" in out
        assert "d-again.edi: duplicate CM412" in out
        assert "4 file(s): 2 stored, 1 duplicate, 1 rejected." in out
        assert "rejected" in err
        assert sorted(p.name for p in (self.folder / "received").iterdir()) == [
            "a-good.edi",
            "b-other-flight.edi",
            "d-again.edi",
        ]
        error = (self.folder / "rejected" / "c-bad.edi.error.txt").read_text()
        assert "names no flight" in error and '"tag"' in error
        assert (self.folder / "e-uploading.edi.part").exists()
        assert ManifestList.objects.count() == 2 and ManifestMessage.objects.count() == 2
        assert ManifestMessage.objects.get(filename="a-good.edi").source == "folder"

    def test_each_file_is_processed_once(self) -> None:
        self.drop("list.edi", edifact(flight_list()))
        run("import-folder", str(self.folder))
        out, _err, code = run("import-folder", str(self.folder))
        assert code == 0 and "0 file(s)" in out
        assert ManifestList.objects.count() == 1

    def test_the_same_name_again_is_archived_beside_the_first(self) -> None:
        archive = self.folder / "done"
        message = flight_list()
        self.drop("list.edi", edifact(message))
        run("import-folder", str(self.folder), "--archive", str(archive))
        message.persons.append(passenger("LATE", "BOOKING", number="X6000001"))
        self.drop("list.edi", edifact(message))
        out, _err, _code = run("import-folder", str(self.folder), "--archive", str(archive))
        assert "replaced CM412" in out and "+1 -0 ~0" in out
        assert len(list(archive.iterdir())) == 2

    def test_a_missing_folder(self) -> None:
        with pytest.raises(Exception, match="is not a folder"):
            call_command("manifests", "import-folder", str(self.folder / "nope"))


class CarrierCommandTests(PersonaTestCase):
    def test_a_carrier_account(self) -> None:
        out, _err, _code = run("carrier", "copa", "cm", "--name", "Copa Airlines")
        assert "copa may send lists for CM" in out
        account = CarrierAccount.objects.get()
        assert (account.carrier, account.user.role, account.user.has_usable_password()) == (
            "CM",
            "carrier",
            False,
        )

    def test_a_bad_carrier_code(self) -> None:
        with pytest.raises(ApplicationError, match="designator"):
            call_command("manifests", "carrier", "copa", "C")

    def test_a_bad_carrier_code_from_the_shell_is_a_message_and_exit_status_65(self) -> None:
        # Through the error boundary of the command line (ApplicationCommand), as `corredor manifests` runs.
        err = io.StringIO()
        with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_:
            ManifestsCommand().run_from_argv(["corredor", "manifests", "carrier", "copa", "C"])
        assert exit_.value.code == 65
        assert "designator" in err.getvalue() and "Traceback" not in err.getvalue()
