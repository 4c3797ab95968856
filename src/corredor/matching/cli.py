"""``corredor screen --watchlist FILE.csv [--threshold T]``: screen JSON travellers against a CSV list.

The index is built from the file (no database). Each line of standard input is one JSON
object — ``id`` and any of ``full_name``, ``surname``, ``given_names``, ``birth_date``,
``nationality``, ``sex``, ``document_number``, ``issuing_state`` — and each gets one line
on standard output, in the same order::

    {"id": ..., "hits": [{"entry_id": ..., "score": 0.93, "reasons": ["surname GARCIA matches", ...]}]}

Hits are best first and at or above the threshold (default: the desk's,
:data:`corredor.matching.score.DEFAULT_THRESHOLD`). ``"possible"`` lists possible matches
(identical or nearly identical names that do not reach the threshold, shown for review, not
blocking) in the same shape. A line that cannot be read gets ``{"id": ..., "error": "..."}``
(``"line"`` too when it has no id) and screening goes on.

Attributes fail open, in queries and in the list: a birth date, sex or nationality that cannot
be used (``1974-01-32``, ``Q``, ``Narnia``) is ignored with a warning and the name is still
screened; lenient readings are taken (``1969-7-16``, ``Ivory Coast``, ``circa 1957``). A query's
warnings come back in its line (``"warnings": [...]``); the list's go to standard error with
their line and column. A watchlist is refused as a whole only for errors that leave an entry
unusable (no name, no or duplicate entry_id, a broken row, a bad header): every error on
standard error, with its line and column, exit status 2, nothing on standard output.

The streams are parameters so that the Django command and tests choose where text goes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from corredor.clitools import CliExit, StreamArgumentParser
from corredor.matching.attributes import read_birth_date, read_nationality, read_sex
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.index import ScreeningIndex
from corredor.matching.records import Name, PersonHit, Traveller
from corredor.matching.score import DEFAULT_THRESHOLD
from corredor.matching.watchlist_csv import parse_watchlist_csv

if TYPE_CHECKING:
    pass

__all__ = ["EXIT_OK", "EXIT_USAGE", "screen_cli", "traveller_from_json"]

EXIT_OK = 0
EXIT_USAGE = 2  # bad arguments or a watchlist that cannot be used

_QUERY_FIELDS = frozenset(
    {
        "id",
        "full_name",
        "surname",
        "given_names",
        "birth_date",
        "nationality",
        "sex",
        "document_number",
        "issuing_state",
    }
)


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _text(query: dict[str, Any], key: str) -> str:
    value = query.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text, not {type(value).__name__}")
    return value


def traveller_from_json(query: dict[str, Any], warnings: list[str] | None = None) -> Traveller:
    """A :class:`Traveller` from one decoded query object; ValueError says which field is wrong.

    Birth date, nationality and sex fail open: a value that cannot be used is left unknown and
    a message appended to ``warnings``; only a query without a usable name or document, an
    unknown field or a name that is not text is refused.
    """
    unknown = sorted(set(query) - _QUERY_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    name = Name(_text(query, "full_name"), _text(query, "surname"), _text(query, "given_names"))
    notes: list[str] = [] if warnings is None else warnings
    birth = read_birth_date(_attribute(query, "birth_date", notes))
    nationality = read_nationality(_attribute(query, "nationality", notes))
    sex = read_sex(_attribute(query, "sex", notes))
    for key, read in (("birth_date", birth), ("nationality", nationality), ("sex", sex)):
        if read.warning:
            notes.append(f"{key}: {read.warning}")
    document_number = _text(query, "document_number").strip()
    if not (name.full_name.strip() or name.surname.strip() or name.given_names.strip() or document_number):
        raise ValueError("give a name (full_name, or surname and given_names) or a document_number")
    return Traveller(
        name,
        birth.value,
        nationality.value,
        sex.value,
        document_number,
        _text(query, "issuing_state").strip(),
    )


def _attribute(query: dict[str, Any], key: str, warnings: list[str]) -> str:
    value = query.get(key)
    if value is None or isinstance(value, str):
        return value or ""
    warnings.append(f"{key}: {json.dumps(value)} is not text; ignored")
    return ""


def _screen_line(index: ScreeningIndex, line: str, number: int, threshold: float) -> dict[str, Any]:
    try:
        query = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "line": number, "error": f"not JSON: {error.msg} at column {error.colno}"}
    if not isinstance(query, dict):
        return {"id": None, "line": number, "error": "a query must be a JSON object"}
    identifier = query.get("id")
    warnings: list[str] = []
    try:
        traveller = traveller_from_json(query, warnings)
    except ValueError as error:
        out: dict[str, Any] = {"id": identifier, "error": str(error)}
        if identifier is None:
            out["line"] = number
        return out
    result = index.screen(traveller, threshold=threshold)
    answer: dict[str, Any] = {"id": identifier, "hits": [_hit(hit) for hit in result.persons]}
    if result.possible:
        answer["possible"] = [_hit(hit) for hit in result.possible]
    if warnings:
        answer["warnings"] = warnings
    return answer


def _hit(hit: PersonHit) -> dict[str, Any]:
    return {"entry_id": hit.entry_id, "score": round(hit.score, 4), "reasons": [str(r) for r in hit.reasons]}


def screen_cli(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``screen`` with ``argv`` (without the program name); returns the exit status."""
    parser = StreamArgumentParser(
        stdout=stdout,
        stderr=stderr,
        prog="corredor screen",
        description="Screen travellers (JSON lines on standard input) against a watchlist CSV.",
    )
    parser.add_argument("--watchlist", required=True, metavar="FILE.csv", help="the watchlist (see docs)")
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help=f"lowest score shown, 0 to 1 (default {DEFAULT_THRESHOLD}, the desk's)",
    )
    try:
        args = parser.parse_args(list(argv))
    except CliExit as done:
        return done.status
    try:
        with open(args.watchlist, encoding="utf-8-sig", newline="") as handle:
            parsed = parse_watchlist_csv(handle)
    except FileNotFoundError:
        stderr.write(f"corredor screen: {args.watchlist}: no such file\n")
        return EXIT_USAGE
    except UnicodeDecodeError as error:
        stderr.write(f"corredor screen: {args.watchlist}: not UTF-8 text (byte {error.start})\n")
        return EXIT_USAGE
    except OSError as error:
        stderr.write(f"corredor screen: {args.watchlist}: {error.strerror}\n")
        return EXIT_USAGE
    if parsed.errors:
        for problem in parsed.errors:
            stderr.write(f"{args.watchlist}: {problem}\n")
        stderr.write(f"corredor screen: {len(parsed.errors)} error(s); nothing screened\n")
        return EXIT_USAGE
    for problem in parsed.warnings:
        stderr.write(f"{args.watchlist}: warning: {problem}; ignored, the entry is screened on its name\n")
    # No traveller records here: how common names are among those who cross comes from the
    # shipped table, not only from the list (see corredor.matching.frequencies).
    index = ScreeningIndex.build(parsed.entries, population=NameFrequencies.shipped())
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        stdout.write(json.dumps(_screen_line(index, line, number, args.threshold), ensure_ascii=False) + "\n")
        stdout.flush()
    return EXIT_OK


def main() -> None:
    """``python -m corredor.matching.cli``: the command on the real streams."""
    sys.exit(screen_cli(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))


if __name__ == "__main__":
    main()
