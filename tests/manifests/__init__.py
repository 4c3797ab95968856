"""Passenger lists for the manifests tests: made with the PAXLST core, for flights to Costa Rica's posts."""

import datetime
import random
import zoneinfo
from typing import Any
from unittest import mock

from django.utils import timezone

from corredor.paxlst import Document, Message, Person, make_flight, write_paxlst

COSTA_RICA = zoneinfo.ZoneInfo("America/Costa_Rica")

#: Runs a test as if the screening app were not installed, whether it is or not.
without_screening = mock.patch("corredor.manifests.screening_adapter.screening_installed", return_value=False)


def local(moment: datetime.datetime) -> datetime.datetime:
    """A time as the list gives it: local at the post, without a zone."""
    return timezone.localtime(moment, COSTA_RICA).replace(tzinfo=None, second=0, microsecond=0)


def passenger(
    surname: str,
    given_names: str,
    *,
    number: str,
    nationality: str = "USA",
    birth_date: datetime.date = datetime.date(1985, 5, 17),
    sex: str = "F",
    reference: str | None = None,
) -> Person:
    """One passenger with a passport of their nationality."""
    return Person(
        role="passenger",
        surname=surname,
        given_names=given_names,
        sex=sex,  # type: ignore[arg-type]
        birth_date=birth_date,
        nationality=nationality,
        booking_references=["ABC123"],
        passenger_reference=reference or f"REF{number}",
        documents=[
            Document(
                type="P", number=number, issuing_state=nationality, expiry_date=datetime.date(2033, 1, 1)
            )
        ],
    )


def flight_list(
    *,
    carrier: str = "CM",
    number: str = "412",
    origin: str = "PTY",
    destination: str = "SJO",
    arrival: datetime.datetime | None = None,
    passengers: int = 5,
    extra: list[Person] | None = None,
    seed: int = 7,
) -> Message:
    """A passenger list of `passengers` made-up people (and `extra` ones), arriving at `arrival` (aware;
    default in an hour)."""
    arrival = arrival or timezone.now() + datetime.timedelta(hours=1)
    duration = datetime.timedelta(hours=1, minutes=20)
    message = make_flight(
        random.Random(seed), carrier, number, origin, destination, local(arrival) - duration, passengers,
        duration=duration,
    )  # fmt: skip
    message.persons.extend(extra or [])
    return message


def edifact(message: Message | list[Message], **kwargs: Any) -> bytes:
    """The interchange's bytes, as a carrier sends them."""
    return write_paxlst(message, **kwargs).encode("latin-1")
