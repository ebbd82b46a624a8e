"""Item ids: 26 characters of Crockford base32, time-ordered (the ULID layout).

Time order makes a provider's list pages come back in creation order for free.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # pragma: allowlist secret
ID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"


def new_id(now_ms: int | None = None) -> str:
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    value = (millis << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


def secret_hash(secret: str) -> str:
    """What the table keeps of a secret it must recognise (a manage token, a feed token, an API
    key, an idempotency key): SHA-256, hex. A dump of the table reveals none of them."""
    return hashlib.sha256(secret.encode()).hexdigest()
