"""HMAC signatures of partner webhooks."""

import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    # Compare bytes: a forged header may hold non-ASCII characters.
    return hmac.compare_digest(sign(secret, body).encode(), (signature or "").encode())
