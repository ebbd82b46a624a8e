"""The proof-of-work key and the challenges already used (chalicelib/domain/booking/challenge.py).

The HMAC key is made once per table (a conditional Put, so every Lambda instance ends up with the
same one) and kept in the table: whoever can read the table could sign challenges, which only
spares them the work. A used challenge is a Put with ``attribute_not_exists`` that expires with it.
"""

from __future__ import annotations

import base64
import secrets
import threading

from pynamodb.exceptions import PutError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.guard_items import ChallengeKeyItem, UsedChallengeItem
from chalicelib.services.booking.ports import ChallengeStore


@translate_all
class DynamoChallengeStore(ChallengeStore):
    def __init__(self) -> None:
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def key(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = self._load_or_make()
        return self._key

    def _load_or_make(self) -> bytes:
        item = get_or_none(
            ChallengeKeyItem, keys.CHALLENGE_KEY_PK, keys.CHALLENGE_KEY_SK, consistent_read=True
        )
        if item is None:
            made = ChallengeKeyItem(
                keys.CHALLENGE_KEY_PK,
                keys.CHALLENGE_KEY_SK,
                secret=base64.b64encode(secrets.token_bytes(32)).decode(),
            )
            try:
                made.save(condition=ChallengeKeyItem.PK.does_not_exist())
                item = made
            except PutError as error:  # another instance made it first: use theirs
                if not is_condition_failure(error):
                    raise
                item = get_or_none(ChallengeKeyItem, keys.CHALLENGE_KEY_PK, keys.CHALLENGE_KEY_SK, True)
        if item is None:
            raise RuntimeError("the challenge key could not be read back")
        return base64.b64decode(item.secret)

    def use(self, challenge: str, expires_epoch: int) -> bool:
        used = UsedChallengeItem(
            keys.used_challenge_pk(challenge), keys.USED_CHALLENGE, expires_at=expires_epoch
        )
        try:
            used.save(condition=UsedChallengeItem.PK.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
