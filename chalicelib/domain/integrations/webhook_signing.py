"""Signing a webhook per the Standard Webhooks specification: pure, no I/O.

A secret is ``whsec_`` and the base64 of random bytes (32 here; the specification asks for 24 to
64). A message carries three headers: ``webhook-id`` (the event's id, the same on every retry so a
receiver can drop duplicates), ``webhook-timestamp`` (Unix seconds, so a receiver refuses old
replays) and ``webhook-signature``: ``v1,<base64 of HMAC-SHA256 of "{id}.{timestamp}.{body}">``,
one per secret in force, space separated. While a secret is being rotated both the new and the
old one sign, so a receiver holding either verifies. The ``standardwebhooks`` and ``svix``
libraries verify what this module signs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

SECRET_MARK = "whsec_"
SECRET_BYTES = 32
VERSION = "v1"
# How long an old secret keeps signing after a rotation, alongside the new one.
ROTATION_OVERLAP = timedelta(hours=24)


def new_secret(random_bytes: Callable[[int], bytes]) -> str:
    """A fresh signing secret: ``whsec_`` + base64 of :data:`SECRET_BYTES` random bytes."""
    return SECRET_MARK + base64.b64encode(random_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key a ``whsec_`` secret stands for."""
    return base64.b64decode(secret.removeprefix(SECRET_MARK))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of the message with ``secret``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{VERSION},{base64.b64encode(digest).decode('ascii')}"


@dataclass(frozen=True)
class SignedHeaders:
    message_id: str
    timestamp: int
    signatures: str  # space separated, the newest secret's first

    def as_dict(self) -> dict[str, str]:
        return {
            "webhook-id": self.message_id,
            "webhook-timestamp": str(self.timestamp),
            "webhook-signature": self.signatures,
        }


def sign(secrets: Sequence[str], message_id: str, timestamp: int, body: bytes) -> SignedHeaders:
    """The three headers of a message signed with every secret in force (at least one)."""
    if not secrets:
        raise ValueError("a webhook is signed with at least one secret")
    joined = " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)
    return SignedHeaders(message_id, timestamp, joined)


def secrets_in_force(
    current: str, previous: str | None, previous_until: str | None, now: datetime
) -> list[str]:
    """The current secret, and the one it replaced while the rotation's overlap lasts."""
    if previous is None or previous_until is None or datetime.fromisoformat(previous_until) <= now:
        return [current]
    return [current, previous]
