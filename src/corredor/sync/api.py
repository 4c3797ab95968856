"""Sync: the API's router (mounted at /api/v1/sync/)."""

from ninja import Router

router = Router(tags=["sync"])
