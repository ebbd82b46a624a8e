"""Failed events are kept, never dropped: one SQS failure queue per event-driven function.

- the table-stream consumer: the event source mapping's on-failure destination. After its retries
  (or once a record is older than ``MAX_RECORD_AGE_SECONDS``) Lambda puts there a description of
  the batch (shard and sequence-number range), not the records; ``infra.redrive`` reads them back;
- the scheduled and SNS-triggered functions (invoked asynchronously): their dead-letter queue,
  which receives the event itself after Lambda's own retries;
- the SNS subscription's redrive policy and the schedule rule's dead-letter queue: what SNS or
  EventBridge could not deliver to the function at all.

Every queue keeps messages 14 days, is encrypted (SQS-managed keys) and has an alarm as soon as
it holds anything. The stack outputs each queue's URL and its function, for the redrive command.
"""

from __future__ import annotations

from typing import Any

from infra.monitoring import event_types, functions
from infra.roles import failure_queue_id

RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum
MAX_RECORD_AGE_SECONDS = 6 * 3600  # the stream keeps records 24 h: the redrive has 18 h left to read them
ASYNC_RETRY_ATTEMPTS = 2
MAX_EVENT_AGE_SECONDS = 6 * 3600
ASYNC_TYPES = {"Schedule", "SNS"}
TOPIC = {"Ref": "AlarmTopic"}


def _slug(function_id: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in function_id).lstrip("-")


def queue_name(stage: str, function_id: str) -> str:
    return f"scheduler-{stage}-{_slug(function_id)}-failures"


def _queue(stage: str, function_id: str) -> dict[str, Any]:
    return {
        "Type": "AWS::SQS::Queue",
        "DeletionPolicy": "Retain" if stage == "prod" else "Delete",
        "UpdateReplacePolicy": "Retain" if stage == "prod" else "Delete",
        "Properties": {
            "QueueName": queue_name(stage, function_id),
            "MessageRetentionPeriod": RETENTION_SECONDS,
            "SqsManagedSseEnabled": True,
            # Longer than a redrive of one message takes, so two redrives cannot take the same one.
            "VisibilityTimeout": 300,
        },
    }


def _depth_alarm(stage: str, function_id: str, queue_id: str) -> dict[str, Any]:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"scheduler-{stage}-{_slug(function_id)}-failures",
            "AlarmDescription": f"Events that {function_id} could not handle wait in "
            f"{queue_name(stage, function_id)}. See docs/operations.md#failed-events.",
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}],
            "Statistic": "Maximum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [TOPIC],
            "OKActions": [TOPIC],
        },
    }


def _queue_policy(queue_id: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {
            "Queues": [{"Ref": queue_id}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
        },
    }


def _sns_may_send(queue_id: str, topics: list[Any]) -> dict[str, Any]:
    return {
        "Sid": "UndeliveredNotifications",
        "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
        "Condition": {"ArnEquals": {"aws:SourceArn": topics}},
    }


def _events_may_send(queue_id: str, rules: list[str]) -> dict[str, Any]:
    return {
        "Sid": "UndeliveredScheduledEvents",
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
        # SAM names each schedule's rule <function><event>.
        "Condition": {"ArnEquals": {"aws:SourceArn": [{"Fn::GetAtt": [rule, "Arn"]} for rule in rules]}},
    }


def _wire(function: dict[str, Any], queue_arn: dict[str, Any]) -> list[Any]:
    """Point the function's events at its queue; returns the SNS topics it subscribes to."""
    properties = function["Properties"]
    kinds = event_types(function)
    if kinds & ASYNC_TYPES:
        properties["DeadLetterQueue"] = {"Type": "SQS", "TargetArn": queue_arn}
        properties["EventInvokeConfig"] = {
            "MaximumRetryAttempts": ASYNC_RETRY_ATTEMPTS,
            "MaximumEventAgeInSeconds": MAX_EVENT_AGE_SECONDS,
        }
    topics: list[Any] = []
    for event in (properties.get("Events") or {}).values():
        event_properties = event.setdefault("Properties", {})
        if event.get("Type") == "DynamoDB":
            event_properties["DestinationConfig"] = {"OnFailure": {"Destination": queue_arn}}
            event_properties["MaximumRecordAgeInSeconds"] = MAX_RECORD_AGE_SECONDS
        elif event.get("Type") == "SNS":
            event_properties["RedrivePolicy"] = {"deadLetterTargetArn": queue_arn}
            topics.append(event_properties["Topic"])
        elif event.get("Type") == "Schedule":
            # EventBridge could not invoke the function at all (permission gone, function deleted).
            event_properties["DeadLetterConfig"] = {"Arn": queue_arn}
    return topics


def _schedule_rules(function_id: str, function: dict[str, Any]) -> list[str]:
    events = function["Properties"].get("Events") or {}
    return [
        f"{function_id}{name}" for name, event in sorted(events.items()) if event.get("Type") == "Schedule"
    ]


def add_failure_queues(stage: str, template: dict[str, Any]) -> None:
    resources = template["Resources"]
    outputs = template.setdefault("Outputs", {})
    for function_id, function in sorted(functions(template).items()):
        kinds = event_types(function)
        if not kinds & (ASYNC_TYPES | {"DynamoDB"}):
            continue
        queue_id = failure_queue_id(function_id)
        resources[queue_id] = _queue(stage, function_id)
        resources[f"{queue_id}DepthAlarm"] = _depth_alarm(stage, function_id, queue_id)
        topics = _wire(function, {"Fn::GetAtt": [queue_id, "Arn"]})
        statements = [_sns_may_send(queue_id, topics)] if topics else []
        rules = _schedule_rules(function_id, function)
        if rules:
            statements.append(_events_may_send(queue_id, rules))
        if statements:
            resources[f"{queue_id}Policy"] = _queue_policy(queue_id, statements)
        outputs[f"{queue_id}Url"] = {
            "Description": f"Failed events of {function_id} (make redrive)",
            "Value": {"Ref": queue_id},
        }
        outputs[f"{function_id}Name"] = {"Value": {"Ref": function_id}}


def failure_queues(template: dict[str, Any]) -> dict[str, str]:
    """function id -> its failure queue's logical id, for what the template has."""
    resources = template["Resources"]
    return {fn: failure_queue_id(fn) for fn in functions(template) if failure_queue_id(fn) in resources}
