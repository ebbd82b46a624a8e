"""What notifications read: appointments from stream images or the table, and the people involved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, translate_all
from chalicelib.adapters.dynamo.booking_items import AppointmentItem, ManageLinkItem, state_from_item
from chalicelib.adapters.dynamo.client_items import ClientItem
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.notification_store import epoch
from chalicelib.adapters.dynamo.profile_items import ProviderItem
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.notifications.changes import AppointmentState
from chalicelib.services.notifications.delivery import Party


@dataclass(frozen=True)
class NoticeContext:
    provider: Party
    client: Party
    reminder_offsets: list[int]
    sealed_token: str | None


@translate_all
class NoticeReader:
    def appointment(self, provider_id: str, appointment_id: str) -> AppointmentState | None:
        pk, sk = keys.provider_pk(provider_id), keys.appointment_sk(appointment_id)
        return read_as(AppointmentItem, pk, sk, state_from_item)

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
