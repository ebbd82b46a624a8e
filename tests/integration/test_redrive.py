"""Failed events end in their SQS queue and `infra.redrive` replays them once (DynamoDB Local, moto SQS).

The stream side is played by tests/stream_mapping.py with the packaged template's own retry count
and filters; the queue is moto's (server mode); the consumer is the real one on DynamoDB Local.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import boto3
import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.notice_reader import NoticeReader
from chalicelib.adapters.dynamo.notification_store import NotificationStore
from chalicelib.config import Settings
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.errors import DependencyUnavailableError
from chalicelib.jobs import feedback, outbox
from chalicelib.services.notifications.ports import NoticeContext
from devtools.streams import streams_client
from infra.failures import queue_name
from infra.finalize import STREAM_FILTERS, STREAM_RETRY_ATTEMPTS
from infra.redrive import redrive
from tests.notify_support import (
    CLIENT_EMAIL,
    PROVIDER_EMAIL,
    Book,
    FixedClock,
    Jobs,
    RecordingMailer,
    at,
    make_jobs,
)
from tests.stream_mapping import EventSourceMapping

pytestmark = pytest.mark.integration
BATCH_SIZE = 25  # app.py's outbox_consumer


class TableDown(NoticeReader):
    """The table does not answer the consumer's reads (an outage longer than every retry)."""

    def context(self, appointment: Appointment) -> NoticeContext | None:
        raise DependencyUnavailableError("DynamoDB did not answer.")


def consumer(jobs: Jobs) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What app.outbox_consumer answers Lambda for an event."""

    def handle(event: dict[str, Any]) -> dict[str, Any]:
        failed = outbox.handle_records(event["Records"], jobs.outbox)
        return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}

    return handle


@dataclass
class World:
    jobs: Jobs
    down: Jobs
    mailer: RecordingMailer
    book: Book
    stream_arn: str


@pytest.fixture
def world(ddb_client: Any, settings_for: Callable[..., Settings], fresh_table: str) -> Iterator[World]:
    settings = settings_for(TABLE_NAME=fresh_table, PUBLIC_BASE_URL="https://book.example.com")
    bootstrap.reset(bootstrap.build(settings))
    clock = FixedClock(at("2027-03-01T12:00:00+00:00"))
    mailer = RecordingMailer()
    jobs = make_jobs(settings, mailer, clock, lambda _: None)
    down = make_jobs(settings, mailer, clock, lambda _: None)
    down.outbox = replace(down.outbox, source=TableDown())
    arn = str(ddb_client.describe_table(TableName=fresh_table)["Table"]["LatestStreamArn"])
    yield World(jobs, down, mailer, Book(jobs), arn)
    bootstrap.reset()


@pytest.fixture(scope="module")
def sqs(moto_endpoint: str) -> Any:
    return boto3.client(
        "sqs",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # pragma: allowlist secret
    )


@pytest.fixture
def queue(sqs: Any) -> str:
    name = f"{queue_name('dev', 'OutboxConsumer')}-{uuid.uuid4().hex[:8]}"
    return str(sqs.create_queue(QueueName=name)["QueueUrl"])


def bodies(sqs: Any, queue: str) -> list[dict[str, Any]]:
    page = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in page.get("Messages", [])]


def held(sqs: Any, queue: str) -> int:
    """Messages the queue still holds, visible or taken by a replay that has not deleted them."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=names)["Attributes"]
    return sum(int(attributes[name]) for name in names)


def test_a_record_failing_every_retry_ends_in_the_queue_and_the_redrive_delivers_it_once(
    world: World, sqs: Any, queue: str, ddb_endpoint: str
) -> None:
    streams = streams_client(ddb_endpoint)
    world.book.appointment(world.book.provider(), at("2027-03-15T13:00:00+00:00"))
    mapping = EventSourceMapping(
        streams,
        world.stream_arn,
        consumer(world.down),
        sqs,
        queue,
        BATCH_SIZE,
        STREAM_RETRY_ATTEMPTS,
        STREAM_FILTERS["Filters"],
    )
    mapping.run()

    assert mapping.invocations == 1 + STREAM_RETRY_ATTEMPTS
    assert world.mailer.sent == []
    [kept] = bodies(sqs, queue)
    info = kept["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1 and info["startSequenceNumber"] == info["endSequenceNumber"]
    assert kept["requestContext"]["condition"] == "RetryAttemptsExhausted"

    def invoke(function_id: str, event: dict[str, Any]) -> dict[str, Any]:
        assert function_id == "OutboxConsumer"
        return consumer(world.jobs)(event)

    report = redrive(sqs, queue, "OutboxConsumer", invoke, streams)

    assert (report.replayed, report.failed, report.expired) == (1, [], [])
    assert len(world.mailer.to(CLIENT_EMAIL)) == 1
    assert len(world.mailer.to(PROVIDER_EMAIL)) == 1
    assert held(sqs, queue) == 0

    # The same failure delivered again (or a second redrive of it): nothing goes out twice.
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(kept))
    again = redrive(sqs, queue, "OutboxConsumer", invoke, streams)
    assert again.replayed == 1
    assert len(world.mailer.sent) == 2
    assert held(sqs, queue) == 0


def test_a_replay_that_fails_again_keeps_its_message(
    world: World, sqs: Any, queue: str, ddb_endpoint: str
) -> None:
    streams = streams_client(ddb_endpoint)
    world.book.appointment(world.book.provider(), at("2027-03-16T13:00:00+00:00"))
    mapping = EventSourceMapping(
        streams, world.stream_arn, consumer(world.down), sqs, queue, BATCH_SIZE, 0, STREAM_FILTERS["Filters"]
    )
    mapping.run()
    report = redrive(sqs, queue, "OutboxConsumer", lambda _, event: consumer(world.down)(event), streams)
    assert report.replayed == 0
    assert report.failed and "failed again" in report.failed[0]
    assert held(sqs, queue) == 1
    assert world.mailer.sent == []


def test_records_gone_from_the_stream_are_reported_expired_and_kept(
    sqs: Any, queue: str, ddb_endpoint: str, world: World
) -> None:
    gone = {
        "DDBStreamBatchInfo": {
            "shardId": "shardId-00000000000000000000-00000000",
            "startSequenceNumber": "000000000000000000100",
            "endSequenceNumber": "000000000000000000100",
            "streamArn": world.stream_arn,
        }
    }
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(gone))

    def never(_: str, __: dict[str, Any]) -> None:
        raise AssertionError("nothing to invoke for records that are gone")

    report = redrive(sqs, queue, "OutboxConsumer", never, streams_client(ddb_endpoint))
    assert report.replayed == 0 and len(report.expired) == 1
    assert held(sqs, queue) == 1


def test_undelivered_sns_notifications_and_dead_letters_go_back_as_the_events_the_function_takes(
    sqs: Any, queue: str, world: World
) -> None:
    bounce = {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bouncedRecipients": [{"emailAddress": "gone@client.example"}],
            "feedbackId": "f-1",
        },
    }
    envelope = {
        "Type": "Notification",
        "MessageId": "m-1",
        "TopicArn": "arn:aws:sns:us-east-1:1:t",
        "Message": json.dumps(bounce),
    }
    scheduled = {"version": "0", "source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(envelope))
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(scheduled))
    events: list[dict[str, Any]] = []
    store = NotificationStore()

    def invoke(_: str, event: dict[str, Any]) -> None:
        events.append(event)
        world.jobs.feedback.handle(feedback.sns_messages(event))

    report = redrive(sqs, queue, "EmailFeedback", invoke, streams=None)
    assert report.replayed == 2
    sns = next(e for e in events if "Records" in e)
    assert sns["Records"][0]["EventSource"] == "aws:sns"
    assert sns["Records"][0]["Sns"]["Message"] == json.dumps(bounce)
    assert scheduled in events
    assert store.is_suppressed("gone@client.example")
