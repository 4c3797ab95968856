"""MRZ parses per second: `corredor.icao.parse_mrz` over a mix of TD1, TD2 and TD3 zones. Pure Python."""

import random
import time
from datetime import date, timedelta

from corredor.icao import build_mrz, parse_mrz

_SURNAMES = (
    "García López",
    "Pierre",
    "da Silva",
    "Müller",
    "Nguyen",
    "Jean-Baptiste",
    "Gebremedhin",
    "O'Brien",
)
_GIVEN = ("María José", "Wilner", "João Pedro", "Jürgen", "Emily", "Guerline", "Tesfay", "Rajesh Kumar")
_STATES = ("MEX", "HTI", "BRA", "D", "USA", "NIC", "ERI", "IND", "CRI", "PAN", "VEN", "CAN")
_FORMATS = ("TD1", "TD2", "TD3")


def sample_mrzs(count: int, *, seed: int = 1) -> list[str]:
    """`count` valid zones, a third of each format, some with long (TD1/TD2 overflow) document numbers."""
    rng = random.Random(seed)
    zones = []
    for index in range(count):
        fmt = _FORMATS[index % 3]
        state = rng.choice(_STATES)
        digits = 12 if fmt != "TD3" and rng.random() < 0.2 else 8
        zones.append(
            build_mrz(
                {
                    "issuing_state": state,
                    "nationality": state,
                    "surname": rng.choice(_SURNAMES),
                    "given_names": rng.choice(_GIVEN),
                    "document_number": "X" + "".join(rng.choice("0123456789") for _ in range(digits)),
                    "birth_date": date(1950, 1, 1) + timedelta(days=rng.randint(0, 25000)),
                    "expiry_date": date(2027, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                    "sex": rng.choice("MF"),
                },
                format=fmt,
            )
        )
    return zones


def parses_per_second(zones: list[str], *, seconds: float = 2.0) -> tuple[float, int]:
    """Parse the zones over and over for about `seconds`; (parses per second, parses done)."""
    for zone in zones[:100]:  # warm up, and make sure the sample is what it claims to be
        if not parse_mrz(zone).valid:
            raise RuntimeError(f"the benchmark built an invalid MRZ:\n{zone}")
    done = 0
    started = time.perf_counter()
    while True:
        for zone in zones:
            parse_mrz(zone)
        done += len(zones)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed, done
