"""Information hub: the API's router (mounted at /api/v1/infohub/)."""

from ninja import Router

router = Router(tags=["infohub"])
