"""Fixed-window counters in the table, so a limit holds across every Lambda instance.

One item per limit, subject and window: ``LIMIT#<name>#<sha256 of subject>`` / ``WINDOW#<start>``.
An attempt is one UpdateItem that ADDs 1 only while the count is below the limit (so a refused
attempt writes nothing); the item expires through the table's TTL a window after it ends.
Subjects are hashed: client addresses and emails never appear in a key.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, translate_all
from chalicelib.adapters.dynamo.guard_items import LimitItem
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.booking.limits import Limit, refusal
from chalicelib.domain.errors import RateLimitedError
from chalicelib.services.booking.ports import RateLimiter


@translate_all
class DynamoRateLimiter(RateLimiter):
    def hit(self, name: str, subject: str, limit: Limit, now: datetime) -> None:
        window = limit.window(now)
        digest = hashlib.sha256(f"{name}:{subject}".encode()).hexdigest()
        item = LimitItem(keys.limit_pk(name, digest), keys.limit_window_sk(window))
        condition = LimitItem.hits.does_not_exist() | (LimitItem.hits < limit.count)
        try:
            item.update(
                actions=[
                    Item.type.set(LimitItem),
                    LimitItem.hits.add(1),
                    LimitItem.expires_at.set(window + 2 * limit.seconds),
                ],
                condition=condition,
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
            raise RateLimitedError(refusal(name), limit.retry_after(now)) from error
