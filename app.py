"""The Chalice app: wiring only. Logic lives in chalicelib/services and chalicelib/domain."""

from __future__ import annotations

import os
from typing import Any

from chalice import Chalice, Rate
from chalice.app import CloudWatchEvent, DynamoDBEvent, SNSEvent

from chalicelib.api import (
    api_keys,
    appointments,
    availability,
    bookings,
    calendars,
    catalog,
    clients,
    dev,
    exports,
    feeds,
    health,
    me,
    openapi,
    pages,
    public,
    time_off,
    webhooks,
)
from chalicelib.api.cors import install_preflight
from chalicelib.api.middleware import make_http_middleware
from chalicelib.bootstrap import settings
from chalicelib.config import LOCAL_STAGE, require_stage

# No stage, no start: a missing STAGE must never fall into ``local`` (which mints dev tokens).
STAGE = require_stage()

app = Chalice(app_name="scheduler")
app.api.binary_types = []  # every response is text; keeps Chalice from base64 surprises

for blueprint in (
    exports.bp,
    api_keys.bp,
    webhooks.bp,
    bookings.bp,
    appointments.bp,
    health.bp,
    me.bp,
    catalog.bp,
    availability.bp,
    time_off.bp,
    calendars.bp,
    clients.bp,
    public.bp,
    feeds.bp,
    openapi.bp,
    dev.bp,
    pages.bp,
):
    app.register_blueprint(blueprint)

install_preflight(app, settings)
app.register_middleware(make_http_middleware(settings), "http")

# Placeholders: infra/finalize.py points them at the stack's table stream and feedback topic.
TABLE_STREAM_PLACEHOLDER = "arn:aws:dynamodb:us-east-1:000000000000:table/scheduler/stream/placeholder"
EMAIL_FEEDBACK_TOPIC_PLACEHOLDER = "scheduler-email-feedback"


# The jobs are imported inside their handlers: the API function never loads them.
@app.on_dynamodb_record(stream_arn=TABLE_STREAM_PLACEHOLDER, batch_size=25, name="outbox_consumer")
def outbox_consumer(event: DynamoDBEvent) -> dict[str, Any]:
    from chalicelib.jobs import outbox

    return outbox.lambda_handler(event.to_dict())


@app.schedule(
    Rate(5, unit=Rate.MINUTES),
    name="reminder_sweep",
    description="Send the reminders and webhook retries due",
)
def reminder_sweep(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.jobs import reminders

    return reminders.lambda_handler(event.to_dict())


@app.schedule(Rate(10, unit=Rate.MINUTES), name="calendar_sync", description="Read the connected calendars")
def calendar_sync(event: CloudWatchEvent) -> dict[str, Any]:
    from chalicelib.jobs import calendars

    return calendars.lambda_handler(event.to_dict())


@app.on_sns_message(topic=EMAIL_FEEDBACK_TOPIC_PLACEHOLDER, name="email_feedback")
def email_feedback(event: SNSEvent) -> None:
    from chalicelib.jobs import feedback

    feedback.lambda_handler(event.to_dict())


@app.lambda_function(name="pre_sign_up")
def pre_sign_up(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cognito's pre-sign-up trigger (infra/finalize.py wires it to the user pool)."""
    from chalicelib.jobs import signup

    return signup.lambda_handler(event)


if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and STAGE != LOCAL_STAGE:
    # X-Ray only inside Lambda: the import costs ~0.5 s, which local runs and tests never pay.
    from chalicelib.tracing import traced_handler

    app.register_middleware(traced_handler())
