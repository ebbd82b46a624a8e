"""API keys and exports: what their routes take and answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.api.schemas.appointments import AppointmentOut
from chalicelib.api.schemas.base import Strict
from chalicelib.api.schemas.booking import Day, Instant
from chalicelib.api.schemas.clients import ClientOut

if TYPE_CHECKING:
    from chalicelib.domain.integrations.api_keys import ApiKey
    from chalicelib.services.integrations.exports import ClientRecord
    from chalicelib.services.integrations.ports import SentNotice

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
