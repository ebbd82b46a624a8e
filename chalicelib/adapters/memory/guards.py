"""Abuse-limit counters and proof-of-work challenges, in memory."""

from __future__ import annotations

import secrets
from datetime import datetime

from chalicelib.adapters.memory.table import OnTable
from chalicelib.domain.booking.limits import Limit, refusal
from chalicelib.domain.errors import RateLimitedError
from chalicelib.services.booking.ports import ChallengeStore, RateLimiter


class MemoryRateLimiter(OnTable, RateLimiter):
    """Fixed windows: an attempt counts while the window's count is below the limit."""

    def hit(self, name: str, subject: str, limit: Limit, now: datetime) -> None:
        key = (name, subject, limit.window(now))
        with self.table.lock:
            hits = self.table.limit_hits.get(key, 0)
            if hits >= limit.count:
                raise RateLimitedError(refusal(name), limit.retry_after(now))
            self.table.limit_hits[key] = hits + 1


class MemoryChallengeStore(OnTable, ChallengeStore):
    """One signing key per table, made on first use; a challenge is used once."""

    def key(self) -> bytes:
        with self.table.lock:
            if self.table.challenge_key is None:
                self.table.challenge_key = secrets.token_bytes(32)
            return self.table.challenge_key

    def use(self, challenge: str, expires_epoch: int) -> bool:
        with self.table.lock:
            if challenge in self.table.used_challenges:
                return False
            self.table.used_challenges[challenge] = expires_epoch
            return True
