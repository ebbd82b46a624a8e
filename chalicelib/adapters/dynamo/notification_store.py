"""The notification ledger on the table: one marker item per email, and suppressed addresses.

See docs/notifications.md for the item layout and docs/access-patterns.md for the requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, is_condition_failure, translate_all
from chalicelib.adapters.dynamo.notify_items import NotificationItem, SuppressionItem
from chalicelib.domain.booking.appointments import iso_z
from chalicelib.domain.notifications.delivery import Claim, ClaimState, NotificationKey, address_hash
from chalicelib.services.integrations.ports import NoticeHistory, SentNotice
from chalicelib.services.notifications.ports import NotificationLedger

SENDING, RETRY, SENT, FAILED, SUPPRESSED = "sending", "retry", "sent", "failed", "suppressed"
FINAL = frozenset({SENT, FAILED, SUPPRESSED})
KEEP_SENT = timedelta(days=14)  # well past the stream's 24 h and any retry of a reminder
KEEP_FAILED = timedelta(days=30)  # long enough for someone to look


def epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def marker_keys(key: NotificationKey) -> tuple[str, str]:
    sk = keys.sent_sk(key.kind.value, key.sequence, key.recipient.value, key.offset_minutes)
    return keys.notify_pk(key.appointment_id), sk


@translate_all
class NotificationStore(NotificationLedger):
    def claim(self, key: NotificationKey, now: datetime, lease: timedelta) -> Claim:
        pk, sk = marker_keys(key)
        marker = NotificationItem(
            pk,
            sk,
            appointment_id=key.appointment_id,
            provider_id=key.provider_id,
            kind=key.kind.value,
            recipient=key.recipient.value,
            sequence=key.sequence,
            status=SENDING,
            rounds=0,
            lease_until=iso_z(now + lease),
            updated_at=iso_z(now),
        )
        try:
            marker.save(condition=NotificationItem.PK.does_not_exist())
            return Claim(ClaimState.CLAIMED, 0)
        except PutError as error:
            if not is_condition_failure(error):
                raise
        retake = (NotificationItem.status == RETRY) | (
            (NotificationItem.status == SENDING) & (NotificationItem.lease_until < iso_z(now))
        )
        try:
            marker.update(
                actions=[
                    NotificationItem.status.set(SENDING),
                    NotificationItem.lease_until.set(iso_z(now + lease)),
                    NotificationItem.updated_at.set(iso_z(now)),
                ],
                condition=retake,
            )
            return Claim(ClaimState.CLAIMED, int(marker.rounds))
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
        current = get_or_none(NotificationItem, pk, sk, consistent_read=True)
        if current is not None and current.status in FINAL:
            return Claim(ClaimState.DONE, int(current.rounds))
        return Claim(ClaimState.BUSY)

    def _finish(self, key: NotificationKey, now: datetime, *actions: object) -> None:
        pk, sk = marker_keys(key)
        NotificationItem(pk, sk).update(
            actions=[
                NotificationItem.updated_at.set(iso_z(now)),
                NotificationItem.lease_until.remove(),
                *actions,  # type: ignore[list-item]
            ],
            condition=NotificationItem.PK.exists(),
        )

    def mark_sent(self, key: NotificationKey, now: datetime, message_id: str) -> None:
        self._finish(
            key,
            now,
            NotificationItem.status.set(SENT),
            NotificationItem.message_id.set(message_id),
            NotificationItem.expires_at.set(epoch(now + KEEP_SENT)),
        )

    def mark_retry(self, key: NotificationKey, now: datetime, reason: str) -> None:
        self._finish(
            key,
            now,
            NotificationItem.status.set(RETRY),
            NotificationItem.rounds.add(1),
            NotificationItem.reason.set(reason),
        )

    def mark_failed(self, key: NotificationKey, now: datetime, reason: str) -> None:
        _, sk = marker_keys(key)
        self._finish(
            key,
            now,
            NotificationItem.status.set(FAILED),
            NotificationItem.rounds.add(1),
            NotificationItem.reason.set(reason),
            NotificationItem.GSI1PK.set(keys.FAILED_NOTIFICATIONS),
            NotificationItem.GSI1SK.set(keys.failed_gsi1sk(iso_z(now), key.appointment_id, sk)),
            NotificationItem.expires_at.set(epoch(now + KEEP_FAILED)),
        )

    def mark_suppressed(self, key: NotificationKey, now: datetime) -> None:
        self._finish(
            key,
            now,
            NotificationItem.status.set(SUPPRESSED),
            NotificationItem.expires_at.set(epoch(now + KEEP_SENT)),
        )

    # -- suppression ----------------------------------------------------------------------
    def is_suppressed(self, address: str) -> bool:
        pk = keys.suppression_pk(address_hash(address))
        return get_or_none(SuppressionItem, pk, keys.SUPPRESSION) is not None

    def suppress(self, address: str, reason: str, detail: str, feedback_id: str, now: datetime) -> None:
        SuppressionItem(
            keys.suppression_pk(address_hash(address)),
            keys.SUPPRESSION,
            reason=reason,
            detail=detail,
            feedback_id=feedback_id,
            created_at=iso_z(now),
        ).save()


@translate_all
class DynamoNoticeHistory(NoticeHistory):
    def notices_of(self, appointment_id: str) -> list[SentNotice]:
        """The markers of the appointment's partition (one Query; reminders are beside them)."""
        found = NotificationItem.query(
            keys.notify_pk(appointment_id), NotificationItem.SK.startswith(keys.SENT_PREFIX)
        )
        return [_sent_notice(item) for item in found if isinstance(item, NotificationItem)]


def _sent_notice(item: NotificationItem) -> SentNotice:
    parts = item.SK.split("#")  # SENT#<kind>[#<offset>]#<sequence>#<recipient>
    offset = int(parts[2]) if len(parts) == 5 else None
    return SentNotice(item.kind, item.recipient, int(item.sequence), offset, item.status)
