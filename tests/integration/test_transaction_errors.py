"""What a cancelled transaction means to its caller, for the reasons DynamoDB Local never gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import LedgerItem, dynamodb_client
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.errors import ConcurrentChangeError, DependencyUnavailableError

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
    tx = Transaction()
    item = LedgerItem(keys.provider_pk("P"), keys.day_sk("2027-01-01"), provider_id="P", day="2027-01-01")
    tx.put("ledger", item, LedgerItem.PK.does_not_exist())
    return tx


def test_a_transaction_conflict_is_a_concurrent_change_to_read_again(stubbed: Any) -> None:
    cancelled(stubbed, "TransactionConflict")
    with pytest.raises(ConcurrentChangeError):
        transaction().commit()


def test_throttling_is_a_dependency_failure_not_a_conflict(stubbed: Any) -> None:
    cancelled(stubbed, "ThrottlingError")
    with pytest.raises(DependencyUnavailableError):
        transaction().commit()


def test_a_failed_condition_names_the_action(stubbed: Any) -> None:
    cancelled(stubbed, "ConditionalCheckFailed")
    with pytest.raises(TransactionCancelledError) as raised:
        transaction().commit()
    assert set(raised.value.failed) == {"ledger"}
