"""TransactWriteItems with named actions, so a cancelled transaction says which condition failed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.models import connection
from chalicelib.domain.errors import ConcurrentChangeError, DependencyUnavailableError

CONDITION_FAILED = "ConditionalCheckFailed"
THROTTLED = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
# pynamodb sends condition checks, then deletes, puts and updates, whatever the call order.
KIND_ORDER = ("check", "delete", "put", "update")


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

    def update(self, label: str, item: Model, actions: list[Action], condition: Condition) -> None:
        self._actions.append(
            (
                "update",
                label,
                lambda w: w.update(item, actions=actions, condition=condition, return_values="ALL_OLD"),
            )
        )

    def delete(self, label: str, item: Model, condition: Condition) -> None:
        self._actions.append(("delete", label, lambda w: w.delete(item, condition=condition)))

    def commit(self) -> None:
        ordered = sorted(self._actions, key=lambda action: KIND_ORDER.index(action[0]))
        try:
            # A token per commit: botocore's own retry of a lost answer then cannot apply it twice.
            with TransactWrite(connection=connection(), client_request_token=str(uuid.uuid4())) as write:
                for _, _, add in self._actions:
                    add(write)
        except TransactWriteError as error:
            if error.cause_response_code != "TransactionCanceledException":
                raise
            reasons = error.cancellation_reasons
            codes = {r.code for r in reasons if r is not None} - {CONDITION_FAILED}
            if codes & THROTTLED:
                raise DependencyUnavailableError("The database is busy; try again shortly.") from error
            if codes:
                # TransactionConflict: another transaction touched these items just now. Whoever
                # decided on what they read must read again (ConcurrentChangeError is retried).
                raise ConcurrentChangeError(
                    "A concurrent change touched the same data; try again."
                ) from error
            failed = {
                label: reason.raw_item
                for (_, label, _), reason in zip(ordered, reasons, strict=False)
                if reason is not None
            }
            raise TransactionCancelledError(failed) from error
