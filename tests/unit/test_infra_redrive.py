"""infra/redrive.py's plumbing: queues from the stack's outputs, the deployed alias invoked."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from infra.redrive import ReplayError, check_answer, event_for, lambda_invoker, queues_of, sns_event

pytestmark = pytest.mark.unit


def test_each_failure_queue_is_paired_with_its_function_from_the_outputs() -> None:
    outputs = {
        "OutboxConsumerFailureQueueUrl": "https://sqs/q1",
        "OutboxConsumerName": "scheduler-prod-OutboxConsumer-abc",
        "ReminderSweepFailureQueueUrl": "https://sqs/q2",
        "ReminderSweepName": "scheduler-prod-ReminderSweep-def",
        "TableName": "scheduler-prod",
    }
    assert queues_of(outputs) == {
        "OutboxConsumer": ("https://sqs/q1", "scheduler-prod-OutboxConsumer-abc"),
        "ReminderSweep": ("https://sqs/q2", "scheduler-prod-ReminderSweep-def"),
    }


class FakeLambda:
    def __init__(self, payload: Any, error: str | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.payload, self.error = payload, error

    def invoke(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        answer: dict[str, Any] = {"Payload": io.BytesIO(json.dumps(self.payload).encode())}
        if self.error:
            answer["FunctionError"] = self.error
        return answer


def test_the_live_alias_is_invoked_and_waited_for() -> None:
    client = FakeLambda({"batchItemFailures": []})
    invoke = lambda_invoker(client, {"OutboxConsumer": "fn-name"})
    assert invoke("OutboxConsumer", {"Records": []}) == {"batchItemFailures": []}
    (call,) = client.calls
    assert (call["FunctionName"], call["Qualifier"], call["InvocationType"]) == (
        "fn-name",
        "live",
        "RequestResponse",
    )
    assert json.loads(call["Payload"]) == {"Records": []}


def test_a_function_error_or_records_failing_again_is_not_a_replay() -> None:
    invoke = lambda_invoker(FakeLambda({"errorMessage": "boom"}, error="Unhandled"), {"ReminderSweep": "fn"})
    with pytest.raises(ReplayError, match="failed again"):
        invoke("ReminderSweep", {})
    with pytest.raises(ReplayError, match="1 record"):
        check_answer("OutboxConsumer", {"batchItemFailures": [{"itemIdentifier": "1"}]})


def test_events_are_rebuilt_from_each_kind_of_message() -> None:
    scheduled = {"source": "aws.events", "detail-type": "Scheduled Event"}
    assert event_for(scheduled, streams=None) == scheduled
    assert event_for({"requestPayload": scheduled, "requestContext": {}}, streams=None) == scheduled
    envelope = {"Type": "Notification", "Message": "{}", "MessageId": "m"}
    assert event_for(envelope, streams=None) == sns_event(envelope)
