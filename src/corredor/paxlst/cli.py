"""``corredor paxlst parse FILE`` and ``corredor paxlst build``: PAXLST between files, JSON and EDIFACT.

The streams are parameters so that the Django management command, tests and any
other caller decide where text goes; nothing here touches ``sys.stdout``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from corredor.clitools import CliExit, StreamArgumentParser
from corredor.paxlst.model import Message, PaxlstError, Separators, message_from_json
from corredor.paxlst.reader import read_paxlst
from corredor.paxlst.writer import write_paxlst

__all__ = ["paxlst_cli"]

# Exit statuses, as documented in the command's help.
EXIT_OK = 0
EXIT_NOT_PAXLST = 1
EXIT_USAGE = 2


def _parser(stdout: TextIO, stderr: TextIO) -> StreamArgumentParser:
    parser = StreamArgumentParser(
        prog="corredor paxlst",
        description="Read or write UN/EDIFACT PAXLST passenger and crew lists.",
        stdout=stdout,
        stderr=stderr,
    )
    commands = parser.add_subparsers(dest="command", metavar="{parse,build}")
    parse = commands.add_parser(
        "parse",
        help="read a PAXLST file, print its lists and warnings as one JSON object",
        description=(
            'Read a PAXLST interchange and print one JSON object: {"messages": [...], "warnings": [...]}. '
            "Exit status: 0 read (with or without warnings), 1 the file cannot be read as PAXLST "
            "(one line on standard error says why and where), 2 the file cannot be opened."
        ),
        stdout=stdout,
        stderr=stderr,
    )
    parse.add_argument("file", metavar="FILE", help="the file to read; - for standard input")
    parse.add_argument(
        "--no-join", action="store_true", help="print the parts of multi-part messages separately"
    )
    parse.add_argument("--compact", action="store_true", help="print the JSON on one line")
    build = commands.add_parser(
        "build",
        help="read lists as JSON (the shape parse prints) on standard input, write a PAXLST interchange",
        description=(
            'Read {"messages": [...]}, one message object or an array of them from standard input and '
            "write one PAXLST interchange to standard output. Exit status: 0 written, 2 bad JSON or "
            "fields (nothing is written)."
        ),
        stdout=stdout,
        stderr=stderr,
    )
    build.add_argument("--sender", help="UNB sender (default: the message's, else the carrier)")
    build.add_argument("--recipient", help="UNB recipient (default: the message's, else API)")
    build.add_argument("--version", help="directory to write, such as D02B, D05B or D12B")
    build.add_argument("--una", default=":+.? '", help='the six service characters (default ":+.? \'")')
    build.add_argument("--part-size", type=int, default=None, help="persons per part of a multi-part message")
    build.add_argument("--line-breaks", action="store_true", help="a line break after each segment")
    return parser


def _read_input(path: str, stdin: TextIO) -> bytes | str:
    if path == "-":
        buffer = getattr(stdin, "buffer", None)
        return buffer.read() if buffer is not None else stdin.read()
    with open(path, "rb") as handle:
        return handle.read()


def _run_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        data = _read_input(args.file, stdin)
    except OSError as error:
        stderr.write(f"cannot read {args.file}: {error.strerror or error}\n")
        return EXIT_USAGE
    try:
        result = read_paxlst(data, join=not args.no_join)
    except PaxlstError as error:
        stderr.write(f"{args.file}: {error}\n")
        return EXIT_NOT_PAXLST
    indent = None if args.compact else 2
    stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=indent) + "\n")
    return EXIT_OK


def _messages(value: Any) -> list[Message]:
    if isinstance(value, dict) and "messages" in value:
        value = value["messages"]
    records = value if isinstance(value, list) else [value]
    if not records:
        raise ValueError("no message in the JSON")
    return [message_from_json(record, where=f"messages[{index}]") for index, record in enumerate(records)]


def _run_build(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        value = json.loads(stdin.read())
    except json.JSONDecodeError as error:
        stderr.write(f"standard input is not valid JSON: {error}\n")
        return EXIT_USAGE
    try:
        separators = Separators.from_una(args.una)
        messages = _messages(value)
        text = write_paxlst(
            messages,
            sender=args.sender,
            recipient=args.recipient,
            version=args.version,
            separators=separators,
            max_persons_per_part=args.part_size,
            line_breaks=args.line_breaks,
        )
    except ValueError as error:
        stderr.write(f"{error}\n")
        return EXIT_USAGE
    stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def paxlst_cli(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``corredor paxlst`` with the arguments that follow ``paxlst``, such as ``["parse", "list.edi"]``.

    ``parse`` exits 0 when the file was read (warnings or not), 1 when it cannot be read as
    PAXLST (a one-line located error on ``stderr``, naming another message type such as
    CUSRES), 2 when it cannot be opened; ``build`` exits 0, or 2 on bad JSON or fields.
    Returns the exit status.
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
