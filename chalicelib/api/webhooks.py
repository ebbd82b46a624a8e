"""Webhook endpoints: managed by the signed-in provider only (scope ``account``), never by an API
key: a leaked key must not be able to send her clients' data to an address of its choosing."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.api.auth import Caller
from chalicelib.api.contract import ACCOUNT_SCOPE, Operation
from chalicelib.api.http import no_content, parse, read_json, render, route

bp = Blueprint(__name__)
TAG = "integrations"
MANY = "/webhooks"
ONE = f"{MANY}/{{webhook_id}}"


@route(
    bp,
    MANY,
    op=Operation(
        "Add a webhook endpoint; its signing secret is answered this once; at most 10",
        TAG,
        body="WebhookCreate",
        response="WebhookCreated",
        status=201,
        scope=ACCOUNT_SCOPE,
        errors=(409,),
    ),
    methods=["POST"],
)
def create_webhook(caller: Caller) -> Response:
    from chalicelib.api.schemas import WebhookCreate, WebhookCreated
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    body = parse(WebhookCreate, read_json(bp.current_request))
    made, secret = webhooks.create_webhook(
        caller.provider_id, body.url, list(body.events), body.description, container().webhooks
    )
    return render(WebhookCreated.made(made, secret), 201)


@route(
    bp,
    MANY,
    op=Operation(
        "The webhook endpoints (never their secrets)", TAG, response="WebhookList", scope=ACCOUNT_SCOPE
    ),
    methods=["GET"],
)
def list_webhooks(caller: Caller) -> Response:
    from chalicelib.api.schemas import WebhookList, WebhookOut
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    found = webhooks.list_webhooks(caller.provider_id, container().webhooks.store)
    return render(WebhookList(items=[WebhookOut.of(w) for w in found]))


@route(
    bp,
    ONE,
    op=Operation("One webhook endpoint (never its secret)", TAG, response="WebhookOut", scope=ACCOUNT_SCOPE),
    methods=["GET"],
)
def get_webhook(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.api.schemas import WebhookOut
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    return render(
        WebhookOut.of(webhooks.get_webhook(caller.provider_id, webhook_id, container().webhooks.store))
    )


@route(
    bp,
    ONE,
    op=Operation(
        "Change a webhook's url, events or description (each checked as when added), or turn it off or on",
        TAG,
        body="WebhookUpdate",
        response="WebhookOut",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["PATCH"],
)
def update_webhook(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.api.schemas import WebhookOut, WebhookUpdate
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    body = parse(WebhookUpdate, read_json(bp.current_request))
    updated = webhooks.update_webhook(caller.provider_id, webhook_id, body.changes(), container().webhooks)
    return render(WebhookOut.of(updated))


@route(
    bp,
    ONE,
    op=Operation(
        "Delete a webhook endpoint: nothing is sent to it any more", TAG, status=204, scope=ACCOUNT_SCOPE
    ),
    methods=["DELETE"],
)
def delete_webhook(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    webhooks.delete_webhook(caller.provider_id, webhook_id, container().webhooks.store)
    return no_content()


@route(
    bp,
    f"{ONE}/rotate-secret",
    op=Operation(
        "A new signing secret, answered this once; the old one keeps signing beside it for 24 h",
        TAG,
        response="WebhookCreated",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["POST"],
)
def rotate_webhook_secret(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.api.schemas import WebhookCreated
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    rotated, secret = webhooks.rotate_secret(caller.provider_id, webhook_id, container().webhooks)
    return render(WebhookCreated.made(rotated, secret))


@route(
    bp,
    f"{ONE}/test",
    op=Operation(
        "Send a signed webhook.test event now; the endpoint's status, the time taken, its first 1 KB",
        TAG,
        response="WebhookTestResult",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["POST"],
)
def test_webhook(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.api.schemas import WebhookTestResult
    from chalicelib.bootstrap import container
    from chalicelib.services.integrations import webhooks

    sent = webhooks.send_test(caller.provider_id, webhook_id, container().webhooks)
    return render(WebhookTestResult.of(sent))


@route(
    bp,
    f"{ONE}/deliveries",
    op=Operation(
        "The endpoint's last 100 delivery attempts, newest first: status, time, answer code, first 1 KB",
        TAG,
        response="WebhookDeliveryList",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["GET"],
)
def list_webhook_deliveries(caller: Caller, webhook_id: str) -> Response:
    from chalicelib.api.schemas import WebhookDelivery, WebhookDeliveryList
    from chalicelib.bootstrap import container

    found = container().webhook_deliveries.log(caller.provider_id, webhook_id)
    return render(WebhookDeliveryList(items=[WebhookDelivery.of(a) for a in found]))


@route(
    bp,
    f"{ONE}/deliveries/{{delivery_id}}/retry",
    op=Operation(
        "Send one delivery again now (the same webhook-id and body, signed anew); the attempt it made",
        TAG,
        response="WebhookDelivery",
        scope=ACCOUNT_SCOPE,
    ),
    methods=["POST"],
)
def retry_webhook_delivery(caller: Caller, webhook_id: str, delivery_id: str) -> Response:
    from chalicelib.api.schemas import WebhookDelivery
    from chalicelib.bootstrap import container

    sent = container().webhook_deliveries.retry(caller.provider_id, webhook_id, delivery_id)
    return render(WebhookDelivery.of(sent))
