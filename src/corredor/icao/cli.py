"""``corredor mrz parse`` and ``corredor mrz build``: MRZs between standard input and output.

The streams are parameters so that the Django management command, tests and any
other caller decide where text goes; nothing here touches ``sys.stdout``.
"""

from __future__ import annotations

import argparse
import datetime
import json
from typing import Any, TextIO

from corredor.clitools import CliExit, StreamArgumentParser
from corredor.icao.build import FORMATS, build_mrz
from corredor.icao.mrz import parse_mrz_blocks

__all__ = ["mrz_cli"]

# Exit statuses, as documented in the command's help.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _iso_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


_iso_date.__name__ = "date"  # argparse names the type in its error message


def _format_name(text: str) -> str:
    return text.strip().upper().replace("-", "")


_format_name.__name__ = "format"


def _parser(stdout: TextIO, stderr: TextIO) -> StreamArgumentParser:
    parser = StreamArgumentParser(
        prog="corredor mrz",
        description="Read or write ICAO Doc 9303 machine-readable zones.",
        stdout=stdout,
        stderr=stderr,
    )
    commands = parser.add_subparsers(dest="command", metavar="{parse,build}")
    parse = commands.add_parser(
        "parse",
        help="read MRZs (separated by blank lines) from standard input, write one JSON object per line",
        description=(
            "Read MRZs from standard input, separated by blank lines, and write one JSON object per MRZ, "
            "one per line. Exit status: 0 every MRZ is valid, 1 some MRZ is not, 2 no MRZ in the input."
        ),
        stdout=stdout,
        stderr=stderr,
    )
    parse.add_argument(
        "--today",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date that decides centuries and expiry (default: the system date)",
    )
    build = commands.add_parser(
        "build",
        help="read JSON objects of fields from standard input, write their MRZs",
        description=(
            "Read one JSON object of fields, or several (one per line), from standard input and write each "
            "MRZ, with a blank line between MRZs. Exit status: 0 written, 2 bad JSON or fields (nothing "
            "is written)."
        ),
        stdout=stdout,
        stderr=stderr,
    )
    build.add_argument(
        "--format",
        type=_format_name,
        choices=FORMATS,
        default=None,
        help="the layout to write; overrides a 'format' key in the JSON (default there, else TD3)",
    )
    return parser


def _json_records(text: str) -> list[Any]:
    """Decode every JSON value in ``text``: one object, objects one per line, or an array of them."""
    decoder = json.JSONDecoder()
    records: list[Any] = []
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return records
        value, index = decoder.raw_decode(text, index)
        records.extend(value if isinstance(value, list) else [value])


def _run_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    results = parse_mrz_blocks(stdin.read(), today=args.today)
    if not results:
        stderr.write("No MRZ on standard input: it is empty or holds only whitespace.\n")
        return EXIT_USAGE
    for result in results:
        stdout.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
    return EXIT_OK if all(result.valid for result in results) else EXIT_INVALID


def _run_build(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        records = _json_records(stdin.read())
    except json.JSONDecodeError as error:
        stderr.write(f"Standard input is not valid JSON: {error}.\n")
        return EXIT_USAGE
    if not records:
        stderr.write("No JSON object of fields on standard input.\n")
        return EXIT_USAGE
    zones: list[str] = []
    failures: list[str] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            failures.append(f"Record {number} is {type(record).__name__}, not a JSON object of fields.")
            continue
        layout = args.format or record.get("format") or "TD3"
        if not isinstance(layout, str):
            failures.append(f"Record {number}: format must be text such as TD3.")
            continue
        try:
            zones.append(build_mrz(record, format=layout))
        except ValueError as error:
            failures.append(f"Record {number}: {error}")
    if failures:
        # All or nothing: a partial batch of zones on stdout would look like a complete one.
        stderr.write("\n".join(failures) + "\n")
        return EXIT_USAGE
    stdout.write("\n\n".join(zones) + "\n")
    return EXIT_OK


def mrz_cli(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``corredor mrz`` with the arguments that follow ``mrz``, such as ``["build", "--format", "TD1"]``.

    ``parse`` exits 0 when every MRZ is valid, 1 when any is not, 2 when the input
    holds none; ``build`` exits 0, or 2 on bad JSON or fields. Returns the exit status.
    """
    parser = _parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except CliExit as exit_request:
        return exit_request.status
    if args.command == "parse":
        return _run_parse(args, stdin, stdout, stderr)
    if args.command == "build":
        return _run_build(args, stdin, stdout, stderr)
    parser.print_usage(stderr)
    return EXIT_USAGE
