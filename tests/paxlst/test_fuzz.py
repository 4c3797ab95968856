"""Whatever arrives, the reader answers with a result or a PaxlstError, never another exception; a list cut
anywhere before its end is refused when read as lists are received (``complete=True``).

The default suite runs up to a hundred examples per property; the fuzz run (``HYPOTHESIS_PROFILE=fuzz``,
see tests/conftest.py) ten times each property's own count. ``python -m tests.paxlst.fuzz_atheris SECONDS``
fuzzes the reader with libFuzzer.
"""

from __future__ import annotations

import contextlib
import datetime
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corredor.paxlst import PaxlstError, make_flight, read_cusres, read_paxlst, write_paxlst
from tests.paxlst import fuzz_atheris
from tests.paxlst.samples import DATA

SAMPLES = [path.read_bytes() for path in sorted(DATA.glob("*.edi"))]
GENERATED = write_paxlst(
    make_flight(random.Random(1), "AM", "650", "MAD", "MEX", datetime.datetime(2025, 3, 14, 12, 5), 12),
    max_persons_per_part=5,
).encode()
SAMPLES.append(GENERATED)
# Characters that matter to EDIFACT, more likely than in plain random bytes.
_SPECIAL = st.sampled_from(
    [b"'", b"+", b":", b"?", b"\n", b" ", b"UNA", b"UNB", b"UNH", b"UNT", b"UNZ", b"\xc3", b"\x00"]
)


def _reads_or_refuses(data: bytes | str) -> None:
    for complete in (False, True):
        try:
            result = read_paxlst(data, complete=complete)
        except PaxlstError as error:
            assert str(error)
            assert "\n" not in str(error)
            continue
        result.as_json()  # what the command prints must be printable


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _reads_or_refuses(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text(data: str) -> None:
    _reads_or_refuses(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="UNABHTZGEDOCLMS+:?' \n0123456789", max_size=300))
def test_arbitrary_edifact_looking_text(data: str) -> None:
    _reads_or_refuses("UNB+UNOA:4+A+B+250101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'" + data)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.sampled_from(SAMPLES), st.data())
def test_damaged_real_messages(sample: bytes, data: st.DataObject) -> None:
    damaged = bytearray(sample)
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        position = data.draw(st.integers(min_value=0, max_value=len(damaged)))
        action = data.draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
        if action == "delete":
            del damaged[position : position + data.draw(st.integers(min_value=1, max_value=20))]
        elif action == "insert":
            damaged[position:position] = data.draw(_SPECIAL | st.binary(min_size=1, max_size=5))
        elif action == "replace" and position < len(damaged):
            damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            damaged = damaged[:position]
    _reads_or_refuses(bytes(damaged))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_cusres_reader_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(PaxlstError):
        read_cusres(b"UNA:+.? 'UNB+UNOA:4+A+B+250101:0000+1'UNH+1+CUSRES:D:05B:UN:IATA'" + data)


# Whole lists as carriers send them: one message, or parts of two, with line breaks or without.
_WHOLE = [
    write_paxlst(
        make_flight(
            random.Random(seed), "CM", "412", "PTY", "SJO", datetime.datetime(2025, 3, 14, 6, 5), size
        ),
        max_persons_per_part=part,
        line_breaks=breaks,
    )
    for seed, size, part, breaks in ((1, 8, None, True), (2, 12, 5, False), (3, 3, None, False))
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_WHOLE), st.data())
def test_a_list_cut_anywhere_before_its_unz_is_refused_as_received(text: str, data: st.DataObject) -> None:
    assert read_paxlst(text, complete=True).messages  # whole, it is read
    end = text.rindex("UNZ")
    cut = data.draw(st.integers(min_value=text.index("UNH") + 1, max_value=end))
    with pytest.raises(PaxlstError) as raised:
        read_paxlst(text[:cut], complete=True)
    assert raised.value.segment is not None  # the tag too, unless the cut falls inside it


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_WHOLE), st.data())
def test_a_wrong_unt_count_is_refused_as_received(text: str, data: st.DataObject) -> None:
    unts = [index for index in range(len(text)) if text.startswith("UNT+", index)]
    at = data.draw(st.sampled_from(unts)) + 4
    count = int(text[at : text.index("+", at)])
    wrong = data.draw(st.integers(min_value=0, max_value=10_000).filter(lambda value: value != count))
    damaged = text[:at] + str(wrong) + text[text.index("+", at) :]
    with pytest.raises(PaxlstError, match="UNT counts"):
        read_paxlst(damaged, complete=True)


def test_the_atheris_property_holds_on_the_samples() -> None:
    # The harness's property, run once on each seed input (the harness itself runs under libFuzzer).
    for sample in [*SAMPLES, *(text.encode() for text in _WHOLE)]:
        fuzz_atheris.one_input(sample)
        fuzz_atheris.one_input(sample[: len(sample) // 2])
