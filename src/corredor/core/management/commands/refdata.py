"""`corredor refdata load [--country CRI]`: the border posts and stay rules Corredor ships for a country."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.core import reference
from corredor.core.models import BorderPost, StayRule


class Command(BaseCommand):
    help = "Load the shipped border posts and stay rules of the deploying country."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["load"])
        parser.add_argument("--country", default=settings.CORREDOR_COUNTRY)

    def handle(self, *args: Any, **options: Any) -> None:
        country = options["country"].upper()
        if country not in reference.POSTS:
            raise CommandError(
                f"Corredor ships no border posts for {country}; known: {', '.join(sorted(reference.POSTS))}. "
                "Add posts and rules in the admin."
            )
        posts, rules = reference.load_posts_and_rules(
            country=country, post_model=BorderPost, rule_model=StayRule
        )
        self.stdout.write(f"{country}: {posts} border posts, {rules} stay rules")
