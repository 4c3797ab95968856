"""UN/EDIFACT PAXLST passenger and crew lists: read, write, and answer with CUSRES.

Pure Python, no Django. The ``manifests`` app, the ``corredor paxlst`` command, the demo
and the benchmarks use this API:

- :func:`read_paxlst` (bytes or text of a file) -> :class:`ParseResult` with the
  :class:`Message` lists (multi-part messages joined) and :class:`ParseWarning` values;
  raises :class:`PaxlstError` (located) only when the file cannot be read as PAXLST.
- :func:`join_parts` joins parts of a multi-part list that arrived in separate files.
- :func:`write_paxlst` writes messages as an interchange (tests, demo, simulators).
- :func:`write_cusres` / :func:`read_cusres`: the interactive API response per passenger.
- :func:`make_flight` / :func:`make_crew_list`: realistic made-up lists.
- :func:`message_as_json` / :func:`message_from_json`: the JSON the command prints and reads.
"""

from corredor.paxlst.cli import paxlst_cli
from corredor.paxlst.cusres import (
    DECISION_CODES,
    BoardingDecision,
    BoardingResponse,
    CusresMessage,
    read_cusres,
    write_cusres,
)
from corredor.paxlst.generate import make_crew_list, make_flight
from corredor.paxlst.model import (
    DEFAULT_SEPARATORS,
    Address,
    Document,
    Flight,
    Leg,
    Message,
    ParseResult,
    ParseWarning,
    PaxlstError,
    Person,
    Separators,
    message_as_json,
    message_from_json,
)
from corredor.paxlst.reader import join_parts, read_paxlst
from corredor.paxlst.writer import choose_syntax, interchange_encoding, write_paxlst

__all__ = [
    "DECISION_CODES",
    "DEFAULT_SEPARATORS",
    "Address",
    "BoardingDecision",
    "BoardingResponse",
    "CusresMessage",
    "Document",
    "Flight",
    "Leg",
    "Message",
    "ParseResult",
    "ParseWarning",
    "PaxlstError",
    "Person",
    "Separators",
    "choose_syntax",
    "interchange_encoding",
    "join_parts",
    "make_crew_list",
    "make_flight",
    "message_as_json",
    "message_from_json",
    "paxlst_cli",
    "read_cusres",
    "read_paxlst",
    "write_cusres",
    "write_paxlst",
]
