"""TransactWriteItems with named actions, so a cancelled transaction says which condition failed.

Two kinds of failure are not answers and are retried here:

- TransactionConflict: another transaction was touching one of the items at that instant (in
  AWS; DynamoDB Local runs transactions one at a time). Nothing was written; the same writes are
  sent again after a jittered, growing pause, for up to CONFLICT_BUDGET_SECONDS.
- no answer at all (a timeout, a dropped connection): the outcome is unknown. The writes are sent
  again with the same ClientRequestToken, which DynamoDB applies at most once (an earlier success
  answers success), while the first failure came quickly enough; otherwise it is a 503 with the
  outcome unknown, which an Idempotency-Key lets the client resolve (docs/api.md).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.item import connection
from chalicelib.domain.errors import ConcurrentChangeError, DependencyUnavailableError

CONDITION_FAILED = "ConditionalCheckFailed"
THROTTLED = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
# pynamodb sends condition checks, then deletes, puts and updates, whatever the call order.
KIND_ORDER = ("check", "delete", "put", "update")
CONFLICT = "TransactionConflict"
CONFLICT_BUDGET_SECONDS = 3.0
FIRST_PAUSE_SECONDS = 0.02
LONGEST_PAUSE_SECONDS = 0.4
# Resend a write that got no answer only if that took less than this (a fast failure such as a
# reset connection); a slow one has used up the request's time already.
RESEND_WITHIN_SECONDS = 2.5
IN_PROGRESS = "TransactionInProgressException"  # the same token is still being applied


class TransactionCancelledError(Exception):
    """Conditions failed; ``failed`` maps each failed action's label to its old item, if any."""

    def __init__(self, failed: dict[str, dict[str, Any] | None]) -> None:
        super().__init__(f"transaction cancelled by: {', '.join(failed)}")
        self.failed = failed


class Transaction:
    """Collects labelled actions; ``commit`` raises TransactionCancelledError, ConcurrentChangeError or
    DependencyUnavailableError."""

    def __init__(self) -> None:
        self._actions: list[tuple[str, str, Callable[[TransactWrite], None]]] = []

    def check(self, label: str, model: type[Model], pk: str, sk: str, condition: Condition) -> None:
        self._actions.append(
            ("check", label, lambda w: w.condition_check(model, pk, sk, condition=condition))
        )

    def put(self, label: str, item: Model, condition: Condition | None = None) -> None:
        self._actions.append(("put", label, lambda w: w.save(item, condition=condition)))

    def update(self, label: str, item: Model, actions: list[Action], condition: Condition | None) -> None:
        self._actions.append(
            (
                "update",
                label,
                lambda w: w.update(item, actions=actions, condition=condition, return_values="ALL_OLD"),
            )
        )

    def delete(self, label: str, item: Model, condition: Condition | None = None) -> None:
        self._actions.append(("delete", label, lambda w: w.delete(item, condition=condition)))

    def commit(self) -> None:
        started = time.monotonic()
        pause = FIRST_PAUSE_SECONDS
        token = str(uuid.uuid4())
        resent = False
        while True:
            try:
                self._send(token)
                return
            except _Unanswered as unanswered:
                if resent or time.monotonic() - started > RESEND_WITHIN_SECONDS:
                    raise DependencyUnavailableError(
                        "The database did not answer; the change may or may not have been made."
                    ) from unanswered.__cause__
                resent = True  # same token: DynamoDB applies it at most once
                time.sleep(FIRST_PAUSE_SECONDS)
            except _Conflict as conflict:
                if time.monotonic() - started + pause > CONFLICT_BUDGET_SECONDS:
                    raise ConcurrentChangeError(
                        "A concurrent change touched the same data; try again."
                    ) from conflict.__cause__
                time.sleep(random.uniform(pause / 2, pause))  # noqa: S311 - jitter, not a secret
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
                token = str(uuid.uuid4())  # nothing was written: this is a new attempt

    def _send(self, token: str) -> None:
        ordered = sorted(self._actions, key=lambda action: KIND_ORDER.index(action[0]))
        try:
            # botocore's own retry of a lost answer resends the same token: applied at most once.
            with TransactWrite(connection=connection(), client_request_token=token) as write:
                for _, _, add in self._actions:
                    add(write)
        except TransactWriteError as error:
            cause = error.cause
            if not isinstance(cause, ClientError):
                if isinstance(cause, BotoCoreError):
                    raise _Unanswered() from error
                raise
            code = error.cause_response_code
            if code == IN_PROGRESS:
                raise _Unanswered() from error
            if code != "TransactionCanceledException":
                raise
            reasons = error.cancellation_reasons
            codes = {r.code for r in reasons if r is not None} - {CONDITION_FAILED}
            if codes & THROTTLED:
                raise DependencyUnavailableError("The database is busy; try again shortly.") from error
            if codes == {CONFLICT}:
                raise _Conflict() from error
            if codes:
                raise ConcurrentChangeError(
                    "A concurrent change touched the same data; try again."
                ) from error
            failed = {
                label: reason.raw_item
                for (_, label, _), reason in zip(ordered, reasons, strict=False)
                if reason is not None
            }
            raise TransactionCancelledError(failed) from error


class _Conflict(Exception):
    """TransactionConflict only: nothing was written, the same writes may be sent again."""


class _Unanswered(Exception):
    """No answer: the outcome is unknown until the same token is sent again."""
