"""Signed requests from a test device, and a post's records as it would push them."""

import json
from typing import Any

from django.test import Client
from django.utils import timezone

from corredor.sync import serialize, signing
from corredor.sync.models import Device


def signed(client: Client, device: Device, method: str, path: str, body: Any = None, *, key: str = "") -> Any:
    data = json.dumps(body).encode() if body is not None else b""
    timestamp = timezone.now().isoformat()
    headers = {
        "HTTP_X_CORREDOR_DEVICE": device.id,
        "HTTP_X_CORREDOR_TIME": timestamp,
        "HTTP_X_CORREDOR_SIGNATURE": signing.signature(
            key or device.key, method=method, path=path, timestamp=timestamp, body=data
        ),
    }
    if method == "GET":
        return client.get(path, **headers)
    return client.post(path, data=data, content_type="application/json", **headers)


def as_pushed(*objects: Any) -> list[dict[str, Any]]:
    """The records as a post's outbox sends them."""
    out = []
    for obj in objects:
        model = type(obj)
        for pk, payload in serialize.payloads(model._default_manager.filter(pk=obj.pk)):
            out.append({"model": model._meta.label_lower, "pk": pk, "payload": payload})
    return out


def forget(*objects: Any) -> None:
    """Remove rows as if central had never received them (children first)."""
    for obj in objects:
        type(obj)._default_manager.filter(pk=obj.pk)._raw_delete(type(obj)._default_manager.db)
