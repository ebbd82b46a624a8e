"""What notifications read: appointment changes from the stream, appointments and the people involved."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, translate_all
from chalicelib.adapters.dynamo.booking_items import (
    LINK_KEPT_AFTER_END,
    AppointmentItem,
    ManageLinkItem,
    appointment_from_image,
    appointment_from_item,
)
from chalicelib.adapters.dynamo.client_items import ClientItem
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.notification_store import epoch
from chalicelib.adapters.dynamo.notify_items import NoticeContextItem
from chalicelib.adapters.dynamo.profile_items import ProviderItem, provider_from_item
from chalicelib.adapters.dynamo.table import IMPORTED_ATTRIBUTE, RESTORED_ATTRIBUTE
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.notifications.policy import change_policy_of
from chalicelib.services.notifications.ports import (
    AppointmentChange,
    ChangeReader,
    ClientErased,
    NoticeContext,
    NoticeSource,
    Party,
    StreamRecord,
    provider_party,
)


class StreamImages(ChangeReader):
    """Stream records of the table (DynamoDB JSON images) as appointment changes."""

    def change(self, record: StreamRecord) -> AppointmentChange | None:
        if self._is_restore_write(record) or self._is_import_write(record):
            return None
        old, new = appointment_from_image(record.old_image), appointment_from_image(record.new_image)
        return None if old is None and new is None else AppointmentChange(old, new)

    def client_erased(self, record: StreamRecord) -> ClientErased | None:
        new, old = record.new_image or {}, record.old_image or {}
        if new.get("type", {}).get("S") != "client" or self._is_restore_write(record):
            return None
        if not new.get("erased", {}).get("BOOL") or old.get("erased", {}).get("BOOL"):
            return None
        provider_id, client_id = new.get("provider_id", {}).get("S"), new.get("client_id", {}).get("S")
        if not provider_id or not client_id:
            return None
        return ClientErased(provider_id, client_id, new.get("updated_at", {}).get("S", ""))

    @staticmethod
    def _stamped(record: StreamRecord, attribute: str) -> bool:
        new = (record.new_image or {}).get(attribute)
        return new is not None and new != (record.old_image or {}).get(attribute)

    @classmethod
    def _is_restore_write(cls, record: StreamRecord) -> bool:
        """A write by infra.restore (a new ``restored_at``): the state it brings back was notified already."""
        return cls._stamped(record, RESTORED_ATTRIBUTE)

    @classmethod
    def _is_import_write(cls, record: StreamRecord) -> bool:
        """A write by the import (a new ``imported_at``): it wrote the reminders itself, and an
        appointment booked in the old app gets no confirmation here (``changes.plan`` says so too)."""
        return cls._stamped(record, IMPORTED_ATTRIBUTE)


@translate_all
class NoticeReader(NoticeSource):
    def appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        pk, sk = keys.provider_pk(provider_id), keys.appointment_sk(appointment_id)
        return read_as(AppointmentItem, pk, sk, appointment_from_item)

    def context(self, appointment: Appointment) -> NoticeContext | None:
        """Provider, client and sealed link in one BatchGetItem; without a provider profile, the
        context kept when the provider was erased, else None. An erased client's party is the
        one kept when its upcoming appointments were cancelled before the erasure, if any."""
        pk = keys.provider_pk(appointment.provider_id)
        wanted = [
            (pk, keys.PROFILE),
            (pk, keys.client_sk(appointment.client_id)),
            (keys.booking_pk(appointment.id), keys.MANAGE_LINK),
            (keys.notify_pk(appointment.id), keys.NOTICE_CONTEXT),
        ]
        found = {(item.PK, item.SK): item for item in Item.batch_get(wanted, consistent_read=True)}
        provider = found.get(wanted[0])
        if not isinstance(provider, ProviderItem):
            kept = found.get(wanted[3])
            return kept_context(kept) if isinstance(kept, NoticeContextItem) else None
        client = found.get(wanted[1])
        link = found.get(wanted[2])
        kept = found.get(wanted[3])
        profile = provider_from_item(provider)
        party = (
            Party(client.name, client.email, client.timezone, client.erased)
            if isinstance(client, ClientItem)
            else Party(ERASED_NAME, None, "", erased=True)
        )
        if party.erased and isinstance(kept, NoticeContextItem):
            party = kept_context(kept).client  # erased with upcoming appointments: told of their end
        return NoticeContext(
            provider=provider_party(profile),
            client=party,
            reminder_offsets=[int(m) for m in provider.reminder_offsets_minutes or []],
            sealed_token=link.sealed_token if isinstance(link, ManageLinkItem) else None,
            change_policy=change_policy_of(profile.policy),
        )

    def keep_link(self, appointment: Appointment) -> None:
        """A moved appointment keeps its sealed link until a while after its new end."""
        link = ManageLinkItem(keys.booking_pk(appointment.id), keys.MANAGE_LINK)
        until = appointment.end + LINK_KEPT_AFTER_END
        try:
            link.update(
                actions=[ManageLinkItem.expires_at.set(epoch(until))], condition=ManageLinkItem.PK.exists()
            )
        except UpdateError as error:
            if not is_condition_failure(error):
                raise


def kept_context(item: NoticeContextItem) -> NoticeContext:
    """What an erased provider's appointment still needs for its emails (no link, no reminders)."""
    return NoticeContext(
        provider=Party(
            item.provider_name, item.provider_email, item.provider_timezone, language=item.provider_language
        ),
        client=Party(item.client_name, item.client_email, item.client_timezone),
        reminder_offsets=[],
        sealed_token=None,
    )
