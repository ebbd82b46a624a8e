"""Notifications in memory: the table's changes, what notices read, the ledger of each email,
suppressed addresses, and a mailer that keeps what it sends."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.adapters.memory.table import Marker, OnTable, fresh
from chalicelib.domain.booking.appointments import Appointment, iso_z
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.errors import MailerUnavailableError
from chalicelib.domain.notifications.delivery import Claim, ClaimState, NotificationKey, address_hash
from chalicelib.domain.notifications.policy import change_policy_of
from chalicelib.services.integrations.ports import NoticeHistory, SentNotice
from chalicelib.services.notifications.ports import (
    AppointmentChange,
    ChangeReader,
    Mailer,
    NoticeContext,
    NoticeSource,
    NotificationLedger,
    Party,
    StreamRecord,
    provider_party,
)

if TYPE_CHECKING:
    from chalicelib.domain.notifications.mail import OutgoingEmail

LINK_KEPT_AFTER_END = timedelta(days=30)
SENDING, RETRY, SENT, FAILED, SUPPRESSED = "sending", "retry", "sent", "failed", "suppressed"
FINAL = frozenset({SENT, FAILED, SUPPRESSED})


class MemoryChanges(ChangeReader):
    """Records of MemoryTable.stream: images that hold the appointment as it was written."""

    def change(self, record: StreamRecord) -> AppointmentChange | None:
        old = (record.old_image or {}).get("appointment")
        new = (record.new_image or {}).get("appointment")
        if old is None and new is None:
            return None
        return AppointmentChange(fresh(old), fresh(new))


class MemoryNotices(OnTable, NoticeSource):
    def appointment(self, provider_id: str, appointment_id: str) -> Appointment | None:
        return fresh(self.table.appointments.get((provider_id, appointment_id)))

    def context(self, appointment: Appointment) -> NoticeContext | None:
        provider = self.table.providers.get(appointment.provider_id)
        if provider is None:  # erased: what its cancelled appointments kept, if this one did
            return fresh(self.table.notice_contexts.get(appointment.id))
        client = self.table.clients.get((appointment.provider_id, appointment.client_id))
        party = (
            Party(client.name, client.email, client.timezone, client.erased)
            if client
            else Party(ERASED_NAME, None, "", erased=True)
        )
        kept = self.table.notice_contexts.get(appointment.id)
        if party.erased and kept is not None:
            party = kept.client  # erased with upcoming appointments: told of their end
        return NoticeContext(
            provider=provider_party(provider),
            client=party,
            reminder_offsets=list(provider.policy.reminder_offsets_minutes),
            sealed_token=self.table.manage_links.get(appointment.id),
            change_policy=change_policy_of(provider.policy),
        )

    def keep_link(self, appointment: Appointment) -> None:
        if appointment.id in self.table.manage_links:
            self.table.link_expiry[appointment.id] = int((appointment.end + LINK_KEPT_AFTER_END).timestamp())


def marker_key(key: NotificationKey) -> tuple[str, str, int, str, int | None]:
    """What tells one email from another (as the marker's item key does: not the provider)."""
    return (key.appointment_id, key.kind.value, key.sequence, key.recipient.value, key.offset_minutes)


class MemoryLedger(OnTable, NotificationLedger):
    """Claims with leases compared to the second, as stored instants are."""

    def claim(self, key: NotificationKey, now: datetime, lease: timedelta) -> Claim:
        with self.table.lock:
            marker = self.table.markers.get(marker_key(key))
            if marker is None:
                self.table.markers[marker_key(key)] = Marker(SENDING, 0, iso_z(now + lease))
                return Claim(ClaimState.CLAIMED, 0)
            lapsed = marker.status == SENDING and (marker.lease_until or "") < iso_z(now)
            if marker.status == RETRY or lapsed:
                marker.status, marker.lease_until = SENDING, iso_z(now + lease)
                return Claim(ClaimState.CLAIMED, marker.rounds)
            if marker.status in FINAL:
                return Claim(ClaimState.DONE, marker.rounds)
            return Claim(ClaimState.BUSY)

    def _finish(self, key: NotificationKey, status: str, failed_round: bool = False) -> Marker:
        marker = self.table.markers.get(marker_key(key))
        if marker is None:
            raise LookupError("no such notification: it was never claimed")
        marker.status, marker.lease_until = status, None
        marker.rounds += 1 if failed_round else 0
        return marker

    def mark_sent(self, key: NotificationKey, now: datetime, message_id: str) -> None:
        with self.table.lock:
            self._finish(key, SENT).message_id = message_id

    def mark_retry(self, key: NotificationKey, now: datetime, reason: str) -> None:
        with self.table.lock:
            self._finish(key, RETRY, failed_round=True).reason = reason

    def mark_failed(self, key: NotificationKey, now: datetime, reason: str) -> None:
        with self.table.lock:
            self._finish(key, FAILED, failed_round=True).reason = reason

    def mark_suppressed(self, key: NotificationKey, now: datetime) -> None:
        with self.table.lock:
            self._finish(key, SUPPRESSED)

    def is_suppressed(self, address: str) -> bool:
        return address_hash(address) in self.table.suppressed

    def suppress(self, address: str, reason: str, detail: str, feedback_id: str, now: datetime) -> None:
        self.table.suppressed[address_hash(address)] = reason


class MemoryNoticeHistory(OnTable, NoticeHistory):
    def notices_of(self, appointment_id: str) -> list[SentNotice]:
        """By kind, offset, sequence and recipient, as the markers' sort keys order them."""
        found = [(k, m) for k, m in self.table.markers.items() if k[0] == appointment_id]
        found.sort(key=lambda pair: (pair[0][1], pair[0][4] or 0, pair[0][2], pair[0][3]))
        return [SentNotice(k[1], k[3], k[2], k[4], m.status) for k, m in found]


class MemoryMailer(Mailer):
    """Keeps every message; unavailable for the next ``failures`` sends when told so."""

    def __init__(self, failures: int = 0) -> None:
        self.sent: list[OutgoingEmail] = []
        self.failures = failures

    def send(self, message: OutgoingEmail) -> str:
        if self.failures > 0:
            self.failures -= 1
            raise MailerUnavailableError("The mail service is not answering.", [{"reason": "Throttling"}])
        self.sent.append(message)
        return f"memory-{len(self.sent)}"
