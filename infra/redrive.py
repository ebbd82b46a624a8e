"""Replay what failed: each failure queue's messages go back through the function that failed.

    python -m infra.redrive --stack scheduler-prod                    # every queue of the stack
    python -m infra.redrive --stack scheduler-prod --function OutboxConsumer --max 50
    python -m infra.redrive --stack scheduler-prod --dry-run          # list, replay nothing

What a queue holds, and how it is replayed (the function's ``live`` alias is invoked and waited for):

- stream consumer: Lambda's description of a batch that failed every retry (shard and range of
  sequence numbers, not the records). The records are read again from the table's stream, which
  keeps them 24 hours, and handed over in the shape Lambda uses. Past 24 hours they are gone: the
  message stays, reported as expired, and docs/operations.md says how to find what it covered;
- reminder sweep, feedback handler: the event itself (Lambda's dead-letter queue, or EventBridge's
  when the schedule could not invoke the function);
- feedback handler: SNS notifications SNS could not deliver, wrapped again as an SNS event.

A message is deleted only once its replay succeeded. Replays are safe to repeat: every email has
its sent marker, a reminder its claim, a suppression its key, so nothing goes out twice.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devtools.streams import as_lambda_record

ALIAS = "live"
MAX_PAGES = 1000  # GetRecords calls per batch range: a range is one shard's few records


class ReplayError(Exception):
    """The replay did not succeed; the message stays in its queue."""


class ExpiredRecordsError(ReplayError):
    """The stream no longer has the records of this batch (older than 24 hours)."""


@dataclass
class RedriveReport:
    replayed: int = 0
    failed: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)


Invoke = Callable[[str, dict[str, Any]], Any]  # (function id, event) -> the function's answer


def read_batch(streams: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of a failed stream batch, ``startSequenceNumber`` to ``endSequenceNumber``."""
    from botocore.exceptions import ClientError

    start, end = info["startSequenceNumber"], int(info["endSequenceNumber"])
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=info["streamArn"],
            ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=start,
        )["ShardIterator"]
        records: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            page = streams.get_records(ShardIterator=iterator, Limit=100)
            for record in page.get("Records", []):
                if int(record["dynamodb"]["SequenceNumber"]) > end:
                    return records
                records.append(as_lambda_record(record, info["streamArn"]))
            iterator = page.get("NextShardIterator")
            if iterator is None or (records and int(records[-1]["dynamodb"]["SequenceNumber"]) >= end):
                return records
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in {"TrimmedDataAccessException", "ExpiredIteratorException", "ResourceNotFoundException"}:
            raise ExpiredRecordsError(
                f"{code}: records {start}..{end} are no longer in the stream"
            ) from error
        raise
    return records


def sns_event(envelope: dict[str, Any], subscription_arn: str = "") -> dict[str, Any]:
    """An SNS notification as SNS hands it to a Lambda function."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "Sns": envelope,
            }
        ]
    }


def event_for(body: dict[str, Any], streams: Any) -> dict[str, Any]:
    """The event to hand the function again, from a failure queue message body."""
    if "DDBStreamBatchInfo" in body:
        return {"Records": read_batch(streams, body["DDBStreamBatchInfo"])}
    if "requestPayload" in body:  # an on-failure destination record of an asynchronous invocation
        payload: dict[str, Any] = body["requestPayload"]
        return payload
    if body.get("Type") == "Notification" and "Message" in body:  # SNS could not deliver it
        return sns_event(body)
    return body  # a dead-letter queue keeps the event itself


def check_answer(function_id: str, answer: Any) -> None:
    if isinstance(answer, dict) and answer.get("batchItemFailures"):
        raise ReplayError(f"{function_id} reported {len(answer['batchItemFailures'])} record(s) failed again")


def redrive(
    sqs: Any,
    queue_url: str,
    function_id: str,
    invoke: Invoke,
    streams: Any,
    limit: int = 100,
    dry_run: bool = False,
) -> RedriveReport:
    report = RedriveReport()
    seen = 0
    while seen < limit:
        page = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(10, limit - seen),
            WaitTimeSeconds=1,
            VisibilityTimeout=30 if dry_run else 300,  # a replay holds its message until it is done
        )
        messages = page.get("Messages", [])
        if not messages:
            break
        for message in messages:
            seen += 1
            if dry_run:
                report.failed.append(f"{message['MessageId']}: not replayed (dry run)")
                continue
            try:
                event = event_for(json.loads(message["Body"]), streams)
                check_answer(function_id, invoke(function_id, event))
            except ExpiredRecordsError as error:
                report.expired.append(f"{message['MessageId']}: {error}")
                continue
            except (ReplayError, ValueError) as error:
                report.failed.append(f"{message['MessageId']}: {error}")
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            report.replayed += 1
    return report


def lambda_invoker(lambda_client: Any, names: dict[str, str]) -> Invoke:
    """Invoke the deployed function's alias and wait for its answer (same code, role and settings)."""

    def invoke(function_id: str, event: dict[str, Any]) -> Any:
        answer = lambda_client.invoke(
            FunctionName=names[function_id],
            Qualifier=ALIAS,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        payload = answer["Payload"].read()
        if answer.get("FunctionError"):
            raise ReplayError(f"{function_id} failed again: {payload[:300]!r}")
        return json.loads(payload) if payload else None

    return invoke


def queues_of(outputs: dict[str, str]) -> dict[str, tuple[str, str]]:
    """function id -> (its failure queue URL, its function name), from the stack's outputs."""
    suffix = "FailureQueueUrl"
    return {
        key.removesuffix(suffix): (url, outputs[f"{key.removesuffix(suffix)}Name"])
        for key, url in outputs.items()
        if key.endswith(suffix)
    }


def main(argv: list[str] | None = None) -> int:
    import boto3

    from infra.release import stack_outputs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--function", help="only this function's queue (OutboxConsumer, ReminderSweep, ...)")
    parser.add_argument("--max", type=int, default=100, help="messages per queue")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    queues = queues_of(stack_outputs(boto3.client("cloudformation"), args.stack))
    if args.function:
        queues = {args.function: queues[args.function]}
    invoke = lambda_invoker(boto3.client("lambda"), {fn: name for fn, (_, name) in queues.items()})
    sqs, streams = boto3.client("sqs"), boto3.client("dynamodbstreams")
    problems = 0
    for function_id, (url, _) in sorted(queues.items()):
        report = redrive(sqs, url, function_id, invoke, streams, args.max, args.dry_run)
        print(f"{function_id}: replayed {report.replayed}")  # noqa: T201
        for line in report.failed + report.expired:
            print(f"  kept: {line}")  # noqa: T201
        problems += len(report.failed) + len(report.expired)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
