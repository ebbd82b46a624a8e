"""API keys, webhooks and exports: what their routes take and answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from chalicelib.api.schemas.appointments import AppointmentOut
from chalicelib.api.schemas.base import Patch, Strict
from chalicelib.api.schemas.booking import Day, Instant
from chalicelib.api.schemas.clients import ClientOut
from chalicelib.domain.integrations.webhooks import EventName

if TYPE_CHECKING:
    from chalicelib.domain.integrations.api_keys import ApiKey
    from chalicelib.domain.integrations.webhooks import Webhook
    from chalicelib.services.integrations.exports import ClientRecord
    from chalicelib.services.integrations.ports import DeliveryAttempt, SentNotice
    from chalicelib.services.integrations.webhooks import TestSend

Scope = Literal["read", "write"]


class ApiKeyCreate(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: list[Scope] = Field(min_length=1, max_length=2, description='["read"] or ["read", "write"]')


class ApiKeyOut(Strict):
    id: str
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    scopes: list[str]
    created_at: str
    last_used_at: str | None = Field(description="Recorded at most once a minute; null: never used.")

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=sorted(key.scopes),
            created_at=key.created_at,
            last_used_at=key.last_used_at,
        )


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself: shown this once, never stored.")

    @classmethod
    def made(cls, key: ApiKey, text: str) -> ApiKeyCreated:
        return cls(**ApiKeyOut.of(key).model_dump(), key=text)


class ApiKeyList(Strict):
    items: list[ApiKeyOut]


class AppointmentsExportQuery(Strict):
    from_: Instant | Day = Field(
        alias="from", description="An instant, or a date from its start in the provider's zone."
    )
    to: Instant | Day = Field(
        description="An instant (excluded), or a date up to its end; at most 366 days after from."
    )
    format: Literal["csv"] = "csv"


class ClientsExportQuery(Strict):
    format: Literal["csv"] = "csv"


class SentNoticeOut(Strict):
    kind: str
    recipient: str
    sequence: int
    offset_minutes: int | None = Field(description="A reminder's minutes before the start; else null.")
    status: str

    @classmethod
    def of(cls, notice: SentNotice) -> SentNoticeOut:
        return cls(
            kind=notice.kind,
            recipient=notice.recipient,
            sequence=notice.sequence,
            offset_minutes=notice.offset_minutes,
            status=notice.status,
        )


class ClientAppointmentRecord(AppointmentOut):
    notices: list[SentNoticeOut] = Field(description="The emails about it the ledger still holds.")


class ClientRecordOut(Strict):
    """Everything held about one client (a data-subject access request)."""

    exported_at: str
    client: ClientOut
    appointments: list[ClientAppointmentRecord] = Field(description="Latest start first.")
    complete: bool = Field(description="false: the client has more appointments than one answer holds.")

    @classmethod
    def of(cls, record: ClientRecord, provider_zone: str, exported_at: str) -> ClientRecordOut:
        appointments = [
            ClientAppointmentRecord(
                **AppointmentOut.of(a, provider_zone, record.client).model_dump(),
                notices=[SentNoticeOut.of(n) for n in record.notices.get(a.id, [])],
            )
            for a in record.appointments
        ]
        return cls(
            exported_at=exported_at,
            client=ClientOut.of(record.client),
            appointments=appointments,
            complete=record.complete,
        )


WebhookEvent = EventName  # the domain's one list
WebhookUrl = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
WebhookDescription = Annotated[str, StringConstraints(max_length=200)]
Events = Annotated[
    list[WebhookEvent], Field(min_length=1, max_length=8, description="At least one, each once.")
]


class WebhookCreate(Strict):
    url: WebhookUrl = Field(
        description="https (http and loopback on the local stage only); a public address."
    )
    events: Events
    description: WebhookDescription = ""


class WebhookUpdate(Patch):
    url: WebhookUrl | None = None
    events: Events | None = None
    description: WebhookDescription | None = None
    enabled: StrictBool | None = Field(
        None,
        description="true turns a disabled endpoint back on (its failures forgotten); false turns it off.",
    )


class WebhookOut(Strict):
    id: str
    url: str
    events: list[str]
    description: str
    created_at: str
    updated_at: str
    previous_secret_until: str | None = Field(
        description="After a rotation: until when the old secret still signs beside the new one; else null."
    )
    enabled: bool = Field(description="false: nothing is sent to it until it is turned on again.")
    disabled_at: str | None = Field(description="When it was turned off; null while enabled.")
    disabled_reason: Literal["failing", "by_provider"] | None = Field(
        description="failing: every attempt failed for 3 days; by_provider: turned off by its owner."
    )
    failing_since: str | None = Field(
        description="Since when every attempt has failed; null when the last one was delivered."
    )

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookOut:
        return cls(
            id=webhook.id,
            url=webhook.url,
            events=list(webhook.events),
            description=webhook.description,
            created_at=webhook.created_at,
            updated_at=webhook.updated_at,
            previous_secret_until=webhook.previous_until,
            enabled=webhook.enabled,
            disabled_at=webhook.disabled_at,
            disabled_reason=webhook.disabled_reason,
            failing_since=webhook.failing_since,
        )


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_...): shown this once, never listed again.")

    @classmethod
    def made(cls, webhook: Webhook, secret: str) -> WebhookCreated:
        return cls(**WebhookOut.of(webhook).model_dump(), secret=secret)


class WebhookList(Strict):
    items: list[WebhookOut]


class WebhookTestError(Strict):
    code: str = Field(description="The outbound guard's reason: timeout, connect, private_address, dns, ...")
    message: str


class WebhookTestResult(Strict):
    event_id: str = Field(description="The webhook-id header the test event carried.")
    status_code: int | None = Field(description="The endpoint's HTTP status; null when nothing came back.")
    duration_ms: float
    response_body: str = Field(description="The first 1 KB of the endpoint's answer.")
    error: WebhookTestError | None = Field(description="Why nothing came back; null when it answered.")

    @classmethod
    def of(cls, sent: TestSend) -> WebhookTestResult:
        error = None
        if sent.error_code is not None:
            error = WebhookTestError(code=sent.error_code, message=sent.error_message or "")
        return cls(
            event_id=sent.event_id,
            status_code=sent.status_code,
            duration_ms=sent.duration_ms,
            response_body=sent.response_body,
            error=error,
        )


class WebhookDelivery(Strict):
    id: str = Field(description="The delivery's id: the webhook-id its event carries; retry it by this.")
    event_type: str
    status: Literal["delivered", "failed", "pending"]
    attempt: int = Field(description="1 for the first send, then one more for each retry.")
    duration_ms: float
    response_code: int | None = Field(description="The endpoint's HTTP status; null when nothing came back.")
    response_body: str = Field(description="The first 1 KB of the endpoint's answer, or why it was not sent.")
    at: str = Field(description="When this attempt was made: UTC, ISO 8601 with Z.")

    @classmethod
    def of(cls, attempt: DeliveryAttempt) -> WebhookDelivery:
        return cls(
            id=attempt.event_id,
            event_type=attempt.event_type,
            status=attempt.status,
            attempt=attempt.attempt,
            duration_ms=attempt.duration_ms,
            response_code=attempt.response_code,
            response_body=attempt.response_body,
            at=attempt.at,
        )


class WebhookDeliveryList(Strict):
    items: list[WebhookDelivery] = Field(description="The last 100 attempts, newest first.")
