"""Sync: URLs."""

from django.urls import URLPattern, URLResolver, path

from corredor.sync import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sync/", views.sync_status, name="sync-status"),
]
