"""Coverage-guided fuzzing of the PAXLST reader with atheris (libFuzzer), under a time budget.

    python -m tests.paxlst.fuzz_atheris [SECONDS] [libFuzzer options ...]

runs the reader on inputs that libFuzzer mutates from the sample messages (tests/paxlst/data/*.edi and a
generated multi-part list), for SECONDS (default 60) of wall time. The property is the reader's contract:
``read_paxlst`` (tolerant, and with ``complete=True`` as lists are received) and ``read_cusres`` either
return or raise their documented ``PaxlstError`` whose text is one line; any other exception is a crash,
which libFuzzer reports with the input that caused it (written to ./crash-*). Exit status 0 when the budget
ran out without a crash.

Why atheris beside the Hypothesis properties (tests/paxlst/test_fuzz.py): Hypothesis explores what the
strategies describe; libFuzzer follows the reader's branches and finds the inputs no strategy thought of.
atheris is Linux x86_64 only (a dev dependency there); elsewhere this says so and exits 0.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _corpus(folder: Path) -> None:
    from corredor.paxlst import make_flight, write_paxlst

    for path in sorted(DATA.glob("*.edi")):
        (folder / path.name).write_bytes(path.read_bytes())
    message = make_flight(
        random.Random(1), "AM", "650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), 6
    )
    (folder / "generated.edi").write_bytes(write_paxlst(message, max_persons_per_part=3).encode())


def one_input(data: bytes) -> None:
    """The property for one input: a result or a one-line PaxlstError, from each reader."""
    from corredor.paxlst import PaxlstError, read_cusres, read_paxlst

    for complete in (False, True):
        try:
            result = read_paxlst(data, today=datetime.date(2025, 3, 14), complete=complete)
        except PaxlstError as error:
            if not str(error) or "\n" in str(error):
                raise AssertionError(f"a PaxlstError must be one line of text: {str(error)!r}") from error
        else:
            result.as_json()
    with contextlib.suppress(PaxlstError):
        read_cusres(data)


def main(argv: list[str]) -> int:
    try:
        import atheris
    except ImportError:
        print("atheris is not installed (Linux x86_64 only): pip install atheris", file=sys.stderr)
        return 0
    seconds = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 60
    options = [arg for arg in argv[1:] if arg.startswith("-")]
    with atheris.instrument_imports():
        import corredor.paxlst  # noqa: F401  (instrumented for coverage guidance)
    with tempfile.TemporaryDirectory(prefix="paxlst-corpus-") as corpus:
        _corpus(Path(corpus))
        atheris.Setup(
            [argv[0], f"-max_total_time={seconds}", "-rss_limit_mb=2048", *options, corpus],
            one_input,
        )
        atheris.Fuzz()  # exits the process: 0 when the time ran out, non-zero with a crash
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
