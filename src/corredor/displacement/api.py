"""Displacement: the API's router (mounted at /api/v1/displacement/)."""

from ninja import Router

router = Router(tags=["displacement"])
