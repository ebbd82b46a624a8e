"""Abuse-limit counters, proof-of-work challenges and work done once per key, in memory."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from chalicelib.adapters.idempotency import IdempotencyInProgressError
from chalicelib.adapters.memory.table import OnTable
from chalicelib.domain.booking.limits import Limit, refusal
from chalicelib.domain.errors import RateLimitedError, ValidationError
from chalicelib.services.booking.ports import ChallengeStore, OncePerKey, RateLimiter


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


IN_PROGRESS = object()


class MemoryOnce(OnTable, OncePerKey):
    """The first answer per key, kept (as JSON, as the table keeps it) for the same request."""

    def run(
        self, key: str, request: dict[str, Any], work: Callable[[], dict[str, Any]], context: Any
    ) -> dict[str, Any]:
        with self.table.lock:
            found = self.table.once.get(key)
            if found is None:
                self.table.once[key] = (request, IN_PROGRESS)
        if found is not None:
            asked, answer = found
            if asked != request:
                raise ValidationError(
                    "This Idempotency-Key was used with a different request body.",
                    [
                        {
                            "field": "Idempotency-Key",
                            "code": "key_reused",
                            "message": "already used with another body",
                        }
                    ],
                )
            if answer is IN_PROGRESS:
                raise IdempotencyInProgressError(
                    "A request with this Idempotency-Key is still in progress; retry shortly."
                )
            return cast(dict[str, Any], json.loads(str(answer)))
        try:
            answer = work()
        except BaseException:
            with self.table.lock:
                del self.table.once[key]  # nothing was kept: asking again runs the work again
            raise
        with self.table.lock:
            self.table.once[key] = (request, json.dumps(answer, default=str))
        return answer
