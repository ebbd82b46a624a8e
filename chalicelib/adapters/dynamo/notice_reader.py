"""What notifications read: appointments from stream images or the table, and the people involved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.models import (
    AppointmentItem,
    ClientItem,
    Item,
    ManageLinkItem,
    ProviderItem,
)
from chalicelib.adapters.dynamo.notification_store import epoch
from chalicelib.domain.booking.appointments import parse_z
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.notifications.changes import AppointmentState
from chalicelib.services.notifications.delivery import Party

APPOINTMENT_TYPE = "appointment"


@dataclass(frozen=True)
class NoticeContext:
    provider: Party
    client: Party
    reminder_offsets: list[int]
    sealed_token: str | None


def state_from_item(item: AppointmentItem) -> AppointmentState:
    return AppointmentState(
        appointment_id=item.appointment_id,
        provider_id=item.provider_id,
        client_id=item.client_id,
        service_name=item.service_name,
        start=parse_z(item.start),
        end=parse_z(item.end),
        status=item.status,
        sequence=int(item.sequence),
        client_timezone=item.client_timezone,
        cancel_reason=item.cancel_reason,
        contact_name=item.contact_name or "",
    )


def state_from_image(image: dict[str, Any] | None) -> AppointmentState | None:
    """An appointment from a stream image (DynamoDB JSON); None for any other item."""
    if not image or image.get("type", {}).get("S") != APPOINTMENT_TYPE:
        return None
    return state_from_item(AppointmentItem.from_raw_data(image))


@translate_all
class NoticeReader:
    def appointment(self, provider_id: str, appointment_id: str) -> AppointmentState | None:
        item = get_or_none(
            AppointmentItem, keys.provider_pk(provider_id), keys.appointment_sk(appointment_id), True
        )
        return None if item is None else state_from_item(item)

    def context(self, state: AppointmentState) -> NoticeContext | None:
        """Provider, client and sealed link in one BatchGetItem; None without a provider profile."""
        pk = keys.provider_pk(state.provider_id)
        wanted = [
            (pk, keys.PROFILE),
            (pk, keys.client_sk(state.client_id)),
            (keys.booking_pk(state.appointment_id), keys.MANAGE_LINK),
        ]
        found = {(item.PK, item.SK): item for item in Item.batch_get(wanted, consistent_read=True)}
        provider = found.get(wanted[0])
        if not isinstance(provider, ProviderItem):
            return None
        client = found.get(wanted[1])
        link = found.get(wanted[2])
        return NoticeContext(
            provider=Party(provider.name, provider.email, provider.timezone),
            client=(
                Party(client.name, client.email, client.timezone)
                if isinstance(client, ClientItem)
                else Party(ERASED_NAME, None, "")
            ),
            reminder_offsets=[int(m) for m in provider.reminder_offsets_minutes or []],
            sealed_token=link.sealed_token if isinstance(link, ManageLinkItem) else None,
        )

    def keep_link_until(self, appointment_id: str, until: datetime) -> None:
        """A moved appointment keeps its sealed link until a while after its new end."""
        link = ManageLinkItem(keys.booking_pk(appointment_id), keys.MANAGE_LINK)
        try:
            link.update(
                actions=[ManageLinkItem.expires_at.set(epoch(until))], condition=ManageLinkItem.PK.exists()
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
