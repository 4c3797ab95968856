"""Request signing with a device's key (HMAC-SHA256 over method, path, the post's timestamp and the body's
hash). The timestamp is signed but never compared with central's clock: a post whose clock is hours off
still syncs (central records the difference). A replayed push stores nothing twice (ingest is idempotent
by id) and a replayed pull shows only what the post may see."""

import hashlib
import hmac
import secrets

DEVICE_HEADER = "X-Corredor-Device"
TIME_HEADER = "X-Corredor-Time"
SIGNATURE_HEADER = "X-Corredor-Signature"


def new_key() -> str:
    return secrets.token_hex(32)


def signature(key: str, *, method: str, path: str, timestamp: str, body: bytes) -> str:
    """The request's signature: hex HMAC-SHA256 of `METHOD\\npath?query\\ntimestamp\\nsha256(body)`."""
    message = "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()])
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def signature_valid(key: str, given: str, *, method: str, path: str, timestamp: str, body: bytes) -> bool:
    expected = signature(key, method=method, path=path, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, given or "")
