"""app.py's event handlers called as Lambda calls them, on the local stage's real wiring."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.notification_store import NotificationStore
from chalicelib.adapters.files import FileMailer

pytestmark = pytest.mark.functional


def test_the_local_stage_mails_to_files_and_builds_the_mailer_once(container: bootstrap.Container) -> None:
    assert isinstance(container.mailer, FileMailer)
    assert container.mailer is container.mailer


def test_the_stream_handler_answers_with_partial_batch_failures(container: bootstrap.Container) -> None:
    from app import outbox_consumer

    other_item = {
        "eventID": "1",
        "eventName": "INSERT",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/s",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_800_000_000,
            "Keys": {"PK": {"S": "SLUG#x"}, "SK": {"S": "SLUG"}},
            "NewImage": {"PK": {"S": "SLUG#x"}, "SK": {"S": "SLUG"}, "type": {"S": "slug"}},
            "SequenceNumber": "100",
            "SizeBytes": 10,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }
    assert outbox_consumer({"Records": [other_item]}, None) == {"batchItemFailures": []}


def test_the_scheduled_sweep_runs_and_reports(container: bootstrap.Container) -> None:
    from app import reminder_sweep

    event = {
        "version": "0",
        "account": "000000000000",
        "region": "us-east-1",
        "detail": {},
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "time": "2027-03-01T12:00:00Z",
        "id": "e1",
        "resources": [],
    }
    report: dict[str, Any] = reminder_sweep(event, None)
    assert report["finished"] is True


def test_a_complaint_through_sns_suppresses_the_address(container: bootstrap.Container) -> None:
    from app import email_feedback

    message = {
        "eventType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": "grumpy@example.com"}], "feedbackId": "f9"},
    }
    record: dict[str, Any] = {
        "Sns": {"Message": json.dumps(message), "Subject": None, "MessageAttributes": {}}
    }
    email_feedback({"Records": [record]}, None)
    assert NotificationStore().is_suppressed("Grumpy@Example.com")
