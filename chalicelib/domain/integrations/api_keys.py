"""API keys: a provider's credential for programs (a CRM, a script, Zapier), with scopes.

A key is ``sk_<stage word>_`` and 32 random bytes, url-safe base64: recognisable in a leaked log
or a secret scanner, and the stage word tells a test key from a live one. Only the SHA-256 of the
text is kept: a key is 256 random bits, so a fast hash is enough (nothing to guess), and the
table alone never lets anyone call the API. The first characters are kept to tell keys apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.errors import ValidationError

KEY_MARK = "sk_"
STAGE_WORDS = {"prod": "live", "dev": "dev", "local": "local"}
RANDOM_BYTES = 32
SHOWN_CHARS = 12  # the prefix a listing shows: ``sk_live_AbCd``
MAX_KEY_CHARS = 80  # longer is no key of ours: refused before hashing
MAX_KEYS = 20  # per provider
READ, WRITE = "read", "write"
SCOPE_SETS = (frozenset({READ}), frozenset({READ, WRITE}))
# A use is recorded at most once a minute per key: calls stay reads, not one write each.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiKey:
    id: str
    provider_id: str
    name: str
    prefix: str
    scopes: frozenset[str]
    created_at: str
    key_hash: str
    last_used_at: str | None = None


@dataclass(frozen=True)
class KeyGrant:
    """What a key's lookup says on each call: whom it acts for, and what it may do."""

    key_hash: str
    key_id: str
    provider_id: str
    scopes: frozenset[str]
    last_used_at: str | None = None


def key_prefix(stage: str) -> str:
    return f"{KEY_MARK}{STAGE_WORDS.get(stage, stage)}_"


def looks_like_key(token: str) -> bool:
    """Whether a bearer token is meant as an API key (a JWT starts ``eyJ``, never ``sk_``)."""
    return token.startswith(KEY_MARK)


def shown_prefix(text: str) -> str:
    return text[:SHOWN_CHARS]


def checked_scopes(scopes: list[str]) -> frozenset[str]:
    """``["read"]`` or ``["read", "write"]`` (in any order); anything else is a 422."""
    chosen = frozenset(scopes)
    if len(chosen) != len(scopes) or chosen not in SCOPE_SETS:
        detail = {
            "field": "scopes",
            "code": "invalid_scopes",
            "message": 'must be ["read"] or ["read", "write"]',
        }
        raise ValidationError("The scopes are not one of the allowed sets.", [detail])
    return chosen


def due_for_touch(last_used_at: str | None, now: datetime) -> bool:
    if last_used_at is None:
        return True
    return datetime.fromisoformat(last_used_at) <= now - TOUCH_EVERY
