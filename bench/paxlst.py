"""Benchmark: pure parse time of a 500-passenger PAXLST list (``corredor.paxlst.read_paxlst``).

``run()`` returns a dict for ``python -m bench`` to print and store. The list is made by
``make_flight`` with a fixed seed and written by ``write_paxlst``, so every run parses the
same bytes; the time is the median over many parses of those bytes (decoding included,
as the receiving endpoint gets bytes).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from typing import Any

from corredor.paxlst import make_flight, read_paxlst, write_paxlst

PASSENGERS = 500


def run(quick: bool = False) -> dict[str, Any]:
    """Parse a 500-passenger list N times (5 quick, 51 full); return the median and spread in milliseconds."""
    rng = random.Random(500)
    message = make_flight(
        rng,
        "AM",
        "0650",
        "MAD",
        "MEX",
        datetime.datetime(2025, 3, 14, 12, 5),
        PASSENGERS,
        duration=datetime.timedelta(hours=11, minutes=25),
    )
    data = write_paxlst(message, line_breaks=True).encode("ascii")
    runs = 5 if quick else 51
    result = read_paxlst(data)  # warm-up, and the check that the bench measures a real parse
    persons = len(result.messages[0].persons)
    if persons != PASSENGERS or result.warnings:
        raise RuntimeError(
            f"the benchmark list read back as {persons} persons with {len(result.warnings)} warnings"
        )
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        read_paxlst(data)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "name": "paxlst_parse_500",
        "description": "parse a 500-passenger PAXLST list (bytes to messages, pure Python)",
        "runs": runs,
        "median_ms": round(statistics.median(timings), 3),
        "min_ms": round(min(timings), 3),
        "max_ms": round(max(timings), 3),
        "bytes": len(data),
        "segments": data.count(b"'\n"),
        "persons": persons,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
