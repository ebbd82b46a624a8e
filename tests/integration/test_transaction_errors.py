"""What a cancelled or unanswered transaction means to its caller, for what DynamoDB Local never does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys, tx
from chalicelib.adapters.dynamo.models import LedgerItem, dynamodb_client
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.errors import ConcurrentChangeError, DependencyUnavailableError
from chalicelib.domain.ids import new_id

pytestmark = pytest.mark.integration


@pytest.fixture
def stubbed(container: bootstrap.Container) -> Iterator[Stubber]:
    with Stubber(dynamodb_client()) as stubber:
        yield stubber


def cancelled(stubber: Stubber, *codes: str) -> None:
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        service_message="Transaction cancelled",
        http_status_code=400,
        response_meta={},
        modeled_fields={"CancellationReasons": [{"Code": code} for code in codes]},
    )


def transaction() -> Transaction:
    write = Transaction()
    item = LedgerItem(
        keys.provider_pk(new_id()), keys.day_sk("2027-01-01"), provider_id="P", day="2027-01-01"
    )
    write.put("ledger", item, LedgerItem.PK.does_not_exist())
    return write


def test_a_transaction_conflict_is_sent_again_and_then_succeeds(stubbed: Any) -> None:
    cancelled(stubbed, "TransactionConflict")
    cancelled(stubbed, "None", "TransactionConflict")
    stubbed.add_response("transact_write_items", {})
    transaction().commit()
    stubbed.assert_no_pending_responses()


def test_conflicts_that_last_past_the_budget_are_a_concurrent_change(
    stubbed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tx, "CONFLICT_BUDGET_SECONDS", 0.05)
    for _ in range(20):
        cancelled(stubbed, "TransactionConflict")
    with pytest.raises(ConcurrentChangeError):
        transaction().commit()


@contextmanager
def unanswered(times: int) -> Iterator[list[str]]:
    """The first ``times`` sends of TransactWriteItems time out; yields each send's token."""
    tokens: list[str] = []

    def before_send(request: Any, **_: Any) -> None:
        tokens.append(json.loads(request.body)["ClientRequestToken"])
        if len(tokens) <= times:
            raise ReadTimeoutError(endpoint_url=request.url)

    events = dynamodb_client().meta.events
    events.register("before-send.dynamodb.TransactWriteItems", before_send, unique_id="unanswered")
    try:
        yield tokens
    finally:
        events.unregister("before-send.dynamodb.TransactWriteItems", unique_id="unanswered")


def test_a_write_without_an_answer_is_sent_again_with_the_same_token(container: bootstrap.Container) -> None:
    attempts = container.settings.dynamodb_max_attempts
    with unanswered(times=attempts) as tokens:
        transaction().commit()  # botocore's tries time out; the resend is answered
    assert len(tokens) == attempts + 1
    assert len(set(tokens)) == 1, "one token: DynamoDB applies the write at most once"


def test_a_write_that_stays_unanswered_is_a_503_not_a_500(container: bootstrap.Container) -> None:
    attempts = container.settings.dynamodb_max_attempts
    with unanswered(times=2 * attempts) as tokens, pytest.raises(DependencyUnavailableError):
        transaction().commit()
    assert len(set(tokens)) == 1


def test_throttling_is_a_dependency_failure_not_a_conflict(stubbed: Any) -> None:
    cancelled(stubbed, "ThrottlingError")
    with pytest.raises(DependencyUnavailableError):
        transaction().commit()


def test_a_failed_condition_names_the_action(stubbed: Any) -> None:
    cancelled(stubbed, "ConditionalCheckFailed")
    with pytest.raises(TransactionCancelledError) as raised:
        transaction().commit()
    assert set(raised.value.failed) == {"ledger"}
