from __future__ import annotations

import json

import pytest

from chalicelib.jobs.feedback import sns_messages
from chalicelib.services.notifications.feedback import parse

pytestmark = pytest.mark.unit


def event(kind_field: str, kind: str, body: dict[str, object]) -> str:
    return json.dumps({kind_field: kind, **body, "mail": {"destination": ["x@example.com"]}})


def test_a_hard_bounce_names_its_addresses() -> None:
    message = event(
        "eventType",
        "Bounce",
        {
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "NoEmail",
                "feedbackId": "f1",
                "bouncedRecipients": [{"emailAddress": "a@example.com"}, {"status": "5.1.1"}],
            }
        },
    )
    feedback = parse(message)
    assert feedback is not None
    assert (feedback.addresses, feedback.reason, feedback.detail) == (
        ("a@example.com",),
        "bounce",
        "Permanent/NoEmail",
    )


def test_a_soft_bounce_suppresses_nothing() -> None:
    message = event("eventType", "Bounce", {"bounce": {"bounceType": "Transient", "bouncedRecipients": []}})
    assert parse(message) is None


def test_a_complaint_in_the_notification_format_is_understood() -> None:
    message = event(
        "notificationType",
        "Complaint",
        {
            "complaint": {
                "complaintFeedbackType": "abuse",
                "complainedRecipients": [{"emailAddress": "b@example.com"}],
            }
        },
    )
    feedback = parse(message)
    assert (
        feedback is not None and feedback.reason == "complaint" and feedback.addresses == ("b@example.com",)
    )


@pytest.mark.parametrize(
    "message", ["", "not json", "[]", '{"eventType": "Delivery"}', '{"eventType": "Reject"}']
)
def test_anything_else_is_ignored(message: str) -> None:
    assert parse(message) is None


def test_every_sns_record_is_read() -> None:
    assert sns_messages({"Records": [{"Sns": {"Message": "a"}}, {"Sns": {"Message": "b"}}]}) == ["a", "b"]
