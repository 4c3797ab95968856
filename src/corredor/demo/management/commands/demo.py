"""`corredor demo --travellers N [--seed S] [--if-empty] [--year-end DATE]`: a synthetic demo year."""

import importlib
import inspect
import random
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO, cast

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from corredor.border.demo import (
    SCRIPTED,
    DemoError,
    DemoLogin,
    demo_load,
    demo_logins_existing,
    demo_users_ensure,
)
from corredor.border.models import Crossing, Traveller
from corredor.clitools import ProgressBar
from corredor.core.audit import Actor, acting_as
from corredor.core.models import BorderPost, Role

# Apps that add to the demo (a watchlist, today's flights, the statistics), in order: the watchlist first,
# so that the passenger lists are screened against it when they arrive, and the statistics last, so that
# their extract holds everything. Each module has `seed(...) -> str` taking what it needs (see _run_seeder).
DEMO_SEEDERS = [
    "corredor.screening.demo",
    "corredor.manifests.demo",
    "corredor.protection.demo",
    "corredor.infohub.demo",
    "corredor.displacement.demo",
    "corredor.statistics.demo",
]


def _app_seeders() -> list[Callable[..., str]]:
    seeders = []
    for module_name in DEMO_SEEDERS:
        if apps.is_installed(module_name.rsplit(".", 1)[0]):
            seeders.append(importlib.import_module(module_name).seed)
    return seeders


def _run_seeder(seed: Callable[..., str], *, seed_value: int) -> str:
    # Seeders take what they need of: a random generator, the time now, and the demo's travellers.
    offered: dict[str, Any] = {"rng": random.Random(seed_value), "now": timezone.now()}
    wanted = inspect.signature(seed).parameters
    if "travellers" in wanted:
        offered["travellers"] = list(Traveller.objects.order_by("created_at", "id")[:20000])
    return seed(**{name: value for name, value in offered.items() if name in wanted})


class Command(BaseCommand):
    help = "Load a realistic synthetic year of crossings for the deploying country, with demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--travellers", type=int, default=20000, help="how many travellers (default 20,000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds crossings"
        )
        parser.add_argument(
            "--year-end", dest="year_end", help="last day of the year, YYYY-MM-DD (default today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year_end = (
                date.fromisoformat(options["year_end"]) if options["year_end"] else timezone.localdate()
            )
        except ValueError:
            raise CommandError(
                f"--year-end must be a date YYYY-MM-DD, not {options['year_end']!r}."
            ) from None
        if options["travellers"] < 0:
            raise CommandError("--travellers cannot be negative.")
        with acting_as(Actor(username="cli", role="", origin="corredor demo")):
            try:
                if options["if_empty"] and Crossing.objects.exists():
                    self.stdout.write("The database already holds crossings: no demo data loaded.")
                    self._print_logins(demo_logins_existing())
                    return
                # The bar redraws its line in place: it writes to the raw stream under Django's wrapper.
                raw_stderr = cast(TextIO, self.stderr._out)
                progress = ProgressBar("demo", stream=raw_stderr) if options["travellers"] else None
                load = demo_load(
                    travellers=options["travellers"],
                    seed=options["seed"],
                    year_end=year_end,
                    progress=progress,
                )
                logins = demo_users_ensure()
                extras = [_run_seeder(seed, seed_value=options["seed"]) for seed in _app_seeders()]
            except DemoError as exc:
                raise CommandError(str(exc)) from None
        rate = load.crossings / load.seconds if load.seconds else 0
        self.stdout.write(
            f"Demo year {load.year_start} to {load.year_end}: {load.travellers:,} travellers, "
            f"{load.documents:,} documents, {load.crossings:,} crossings ({load.refused:,} refused, "
            f"{load.referred:,} referred), {load.stays:,} stays, in {load.seconds:.1f} s "
            f"({rate:,.0f} crossings/s)."
        )
        for summary in extras:
            self.stdout.write(summary)
        self._print_logins(logins)
        self._print_scripted()

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            return
        posts = {post.code: post.name_en for post in BorderPost.objects.all()}
        self.stdout.write("\nDemo logins (the password is the username, unless changed since):")
        for login in logins:
            where = f" at {login.post} ({posts.get(login.post, '')})" if login.post else ""
            with translation.override("en"):
                role = str(Role(login.role).label)
            self.stdout.write(f"  {login.username:<12} {role}{where}")
        if settings.CORREDOR_REQUIRE_2FA:
            self.stdout.write(
                "Supervisors, watchlist managers, auditors and administrators enrol an authenticator app at "
                "their first login (or: corredor twofactor codes USERNAME prints recovery codes; "
                "CORREDOR_REQUIRE_2FA=0 turns it off for a trial)."
            )
        self.stdout.write("API token for the officer: corredor token create oficial")

    def _print_scripted(self) -> None:
        self.stdout.write("\nTravellers to try at the desk (paste the MRZ):")
        for scripted in SCRIPTED:
            self.stdout.write(f"\n  {scripted.label}:")
            for line in scripted.mrz().split("\n"):
                self.stdout.write(f"    {line}")
