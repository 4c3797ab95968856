"""The sample messages in ``data/`` and small helpers the PAXLST tests share."""

from __future__ import annotations

from pathlib import Path

from corredor.paxlst import ParseWarning

DATA = Path(__file__).parent / "data"


def sample(name: str) -> bytes:
    """The bytes of ``data/<name>``."""
    return (DATA / name).read_bytes()


def codes(warnings: list[ParseWarning]) -> list[str]:
    """The warning codes, in order."""
    return [warning.code for warning in warnings]


def envelope(body: str, *, una: str = "UNA:+.? '", syntax: str = "UNOA") -> str:
    """``body`` (UNH ... UNT, one segment a line) inside UNA/UNB ... UNZ."""
    return f"{una}\nUNB+{syntax}:4+SENDER+RECEIVER+250314:0930+1'\n{body}UNZ+1+1'\n"


def minimal(persons: str = "", *, tdt: str = "TDT+20+AM650+++AM'\n", bgm: str = "BGM+745'\n") -> str:
    """A small PAXLST message around ``persons`` segments; the UNT count is right."""
    segments = (
        "UNH+1+PAXLST:D:05B:UN:IATA'\n"
        + bgm
        + tdt
        + "LOC+125+MAD'\nDTM+189:2503141205:201'\nLOC+87+MEX'\nDTM+232:2503141830:201'\n"
        + persons
    )
    count = segments.count("'\n") + 1
    return envelope(f"{segments}UNT+{count}+1'\n")
