"""Write-back: each appointment change, from the change stream, on the provider's CalDAV
calendars marked ``write``.

Run by the stream consumer after the emails of the same change, so a calendar server that fails
(DependencyUnavailableError) makes the stream run the record again while the emails, marked in
the notification ledger, are not sent twice. The writes are idempotent by themselves: the
resource name comes from the UID, a PUT writes the appointment as it is now, and a DELETE of an
event already gone is done, so running a change again leaves the calendar as once.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.calendars.feed import event_document, resource_name
from chalicelib.domain.calendars.write_back import WriteAction, decide
from chalicelib.domain.errors import DependencyUnavailableError, DomainError
from chalicelib.observability import logger
from chalicelib.services.calendars.connections import seal_context
from chalicelib.services.calendars.ports import CalendarStore, CalendarWriter, WriteTarget, WriteTargets
from chalicelib.services.shared import LinkSealer


@dataclass
class StoredWriteTargets(WriteTargets):
    """The provider's CalDAV calendars marked ``write``, read from the store, their app password
    opened with the sealer only for the write. One whose password no longer opens is left out
    (logged with its id), so it cannot hold back the others or the stream."""

    store: CalendarStore
    sealer: LinkSealer

    def targets(self, provider_id: str) -> list[WriteTarget]:
        found: list[WriteTarget] = []
        for calendar in self.store.calendars(provider_id):
            if not calendar.write or calendar.type != "caldav":
                continue
            if calendar.url is None or calendar.username is None or calendar.sealed_password is None:
                continue
            try:
                password = self.sealer.open(seal_context(calendar.id), calendar.sealed_password)
            except DependencyUnavailableError:
                raise
            except DomainError as error:
                logger.warning(
                    "Calendar password did not open", extra={"calendar_id": calendar.id, "code": error.code}
                )
                continue
            found.append(WriteTarget(calendar.id, calendar.url, calendar.username, password))
        return found


@dataclass
class WriteBack:
    targets: WriteTargets
    writer: CalendarWriter

    def apply(self, old: Appointment | None, new: Appointment | None) -> None:
        action = decide(old, new)
        current = new or old
        if action is WriteAction.NONE or current is None:
            return
        name = resource_name(current.id)
        for target in self.targets.targets(current.provider_id):
            fields = {"appointment_id": current.id, "calendar_id": target.calendar_id, "action": action.value}
            try:
                if action is WriteAction.PUT:
                    self.writer.put(target, name, event_document(current))
                else:
                    self.writer.delete(target, name)
            except DependencyUnavailableError:
                raise
            except DomainError as error:
                # Refused for good (a revoked password): retrying cannot help; the others go on.
                logger.warning("Calendar write-back refused", extra={**fields, "code": error.code})
                continue
            logger.info("Calendar written back", extra=fields)
