"""Reads of reference data."""

from django.db.models import QuerySet

from corredor.core.models import BorderPost, Country, StayCategory


def country_exists(*, code: str) -> bool:
    return Country.objects.filter(code=code).exists()


def posts_active() -> QuerySet[BorderPost]:
    return BorderPost.objects.filter(active=True).order_by("code")


def stay_categories_active() -> QuerySet[StayCategory]:
    return StayCategory.objects.filter(active=True)
