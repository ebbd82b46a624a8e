"""A provider's appointments and clients as CSV, and everything held about one client as JSON.

The CSV is read from the table one page of the API's own paged queries at a time and written out
as it is read, so memory holds one page of records and the text. A Lambda answer is at most 6 MB
and is sent whole, so the text is held to MAX_CSV_BYTES: past that the export is a 422 asking for
a shorter range, never a truncated file that looks complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.ids import is_id
from chalicelib.domain.integrations import csv_rows
from chalicelib.domain.provider import Provider
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.integrations.ports import NoticeHistory, SentNotice
from chalicelib.services.shared import Page

MAX_EXPORT_DAYS = 366
MAX_CSV_BYTES = 5_000_000
PAGE_SIZE = 100
MAX_CLIENT_APPOINTMENTS = 2000  # one client's record: far more than any real client holds

T = TypeVar("T")


class ExportTooLargeError(ValidationError):
    code = "export_too_large"


@dataclass
class ClientRecord:
    """A data-subject access request: the client, its appointments, the emails about them."""

    client: Client
    appointments: list[Appointment] = field(default_factory=list)
    notices: dict[str, list[SentNotice]] = field(default_factory=dict)  # appointment id -> emails
    complete: bool = True  # False: more than MAX_CLIENT_APPOINTMENTS, the latest ones given


def check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        detail = {"field": "to", "code": "before_from", "message": "to must be after from"}
        raise ValidationError("The range ends before it starts.", [detail])
    if end - start > timedelta(days=MAX_EXPORT_DAYS):
        message = f"an export covers at most {MAX_EXPORT_DAYS} days; export the rest separately"
        raise ValidationError(
            "The range is too long.", [{"field": "to", "code": "range_too_long", "message": message}]
        )


def _pages(read: Callable[[str | None], Page[T]]) -> Iterator[T]:
    cursor: str | None = None
    while True:
        page = read(cursor)
        yield from page.items
        cursor = page.next_cursor
        if cursor is None:
            return


def _csv(header: tuple[str, ...], rows: Iterator[list[str]]) -> str:
    """The file: the byte order mark, the header, the rows; at most MAX_CSV_BYTES of UTF-8."""
    parts = [csv_rows.BOM, csv_rows.csv_lines([header])]
    size = sum(len(p.encode()) for p in parts)
    for row in rows:
        line = csv_rows.csv_lines([row])
        size += len(line.encode())
        if size > MAX_CSV_BYTES:
            raise ExportTooLargeError(
                f"The export would exceed {MAX_CSV_BYTES // 1_000_000} MB; export a shorter range."
            )
        parts.append(line)
    return "".join(parts)


def appointments_csv(provider: Provider, start: datetime, end: datetime, repo: BookingRepository) -> str:
    """Appointments starting in [start, end), by start, every status."""
    check_range(start, end)
    found = _pages(lambda c: repo.list_appointments(provider.id, start, end, None, None, PAGE_SIZE, c))
    zone = provider.timezone
    return _csv(csv_rows.APPOINTMENT_COLUMNS, (csv_rows.appointment_row(a, zone) for a in found))


def clients_csv(provider: Provider, repo: ClientRepository) -> str:
    """Every client, oldest first (erased ones as the anonymous record erasure left)."""
    found = _pages(lambda c: repo.list_clients(provider.id, PAGE_SIZE, c))
    zone = provider.timezone
    return _csv(csv_rows.CLIENT_COLUMNS, (csv_rows.client_row(c, zone) for c in found))


def client_record(
    provider_id: str, client_id: str, clients: ClientRepository, history: NoticeHistory
) -> ClientRecord:
    if not is_id(client_id):
        raise NotFoundError("No such client.")
    client = clients.get_client(provider_id, client_id)
    if client is None:
        raise NotFoundError("No such client.")
    record = ClientRecord(client)
    for appointment in _pages(
        lambda c: clients.list_client_appointments(provider_id, client_id, PAGE_SIZE, c)
    ):
        record.appointments.append(appointment)
        record.notices[appointment.id] = history.notices_of(appointment.id)
        if len(record.appointments) >= MAX_CLIENT_APPOINTMENTS:
            record.complete = False
            break
    return record
