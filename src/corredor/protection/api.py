"""Protection: the API's router (mounted at /api/v1/protection/)."""

from ninja import Router

router = Router(tags=["protection"])
