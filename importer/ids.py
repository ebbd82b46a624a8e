"""New ids for old rows, the same on every run: the app's id format (chalicelib.domain.ids).

An id here is 26 characters of Crockford base32 in the ULID layout: 48 bits of milliseconds, then
80 bits. For an imported row the milliseconds are the old row's ``created_at`` (so lists that come
back in id order come back in the old creation order, as they do for rows made here) and the 80
bits are the start of HMAC-SHA256 keyed by the namespace over the old table and the old id. The
same old row therefore always gets the same id, whichever database (SQLite or its PostgreSQL copy,
which keeps the ids) it is read from. A row without a readable ``created_at`` uses 0 ms.

The namespace keeps apart two separate old installations imported into one table whose ids could
collide (hand-made ids such as "1"); Prisma's cuids do not collide in practice.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from chalicelib.domain.ids import ALPHABET

DEFAULT_NAMESPACE = "old-app"
MAX_MILLIS = (1 << 48) - 1


def derive_id(table: str, old_id: str, created: datetime | None, namespace: str = DEFAULT_NAMESPACE) -> str:
    millis = 0 if created is None else int(created.timestamp() * 1000)
    millis = min(max(millis, 0), MAX_MILLIS)
    message = f"{table}\0{old_id}".encode()
    digest = hmac.new(namespace.encode(), message, hashlib.sha256).digest()
    value = (millis << 80) | int.from_bytes(digest[:10], "big")
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))
