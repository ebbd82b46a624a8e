"""The rows of the CSV exports: which columns, how a record fills them, and cells made safe.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab or
carriage return let one slip past a check on the first visible character), so a client named
``=HYPERLINK(...)`` could put a link or a command in the provider's sheet. Such a cell is written
with a leading apostrophe, which spreadsheets show as text and do not run. Times are written in
the provider's zone with their offset (``2026-12-01T10:00:00+01:00``), so a sheet reads them as
the provider's wall clock and a program still knows the instant.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.booking.appointments import Appointment, parse_z
from chalicelib.domain.booking.clients import Client

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8's byte order mark: Excel reads a CSV as UTF-8 (accents right) only when it begins with one.
BOM = "\ufeff"

APPOINTMENT_COLUMNS = (
    "id",
    "status",
    "start",
    "end",
    "service_id",
    "service_name",
    "client_id",
    "client_name",
    "client_email",
    "client_phone",
    "client_timezone",
    "language",
    "price",
    "currency",
    "location",
    "answers",
    "notes",
    "provider_notes",
    "cancel_reason",
    "cancelled_by",
    "source",
    "created_at",
    "updated_at",
)
CLIENT_COLUMNS = ("id", "name", "email", "phone", "timezone", "notes", "erased", "created_at", "updated_at")


def safe_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it without running it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def local_time(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).isoformat()


def local_stamp(stamp: str, zone: str) -> str:
    """A stored ``iso_z`` stamp in the provider's zone; empty stays empty."""
    return local_time(parse_z(stamp), zone) if stamp else ""


def _answer_text(value: str | bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def appointment_row(a: Appointment, zone: str) -> list[str]:
    answers = "; ".join(f"{answer.label}: {_answer_text(answer.value)}" for answer in a.answers)
    location = f"{a.location.type}: {a.location.value}" if a.location else ""
    cells = (
        a.id,
        a.status,
        local_time(a.start, zone),
        local_time(a.end, zone),
        a.service_id,
        a.service_name,
        a.client_id,
        a.contact_name,
        a.contact_email,
        a.contact_phone,
        a.client_timezone,
        a.language,
        str(a.price),
        a.currency,
        location,
        answers,
        a.notes,
        a.provider_notes,
        a.cancel_reason,
        a.cancelled_by,
        a.source,
        local_stamp(a.created_at, zone),
        local_stamp(a.updated_at, zone),
    )
    return [safe_cell(cell) for cell in cells]


def client_row(c: Client, zone: str) -> list[str]:
    cells = (
        c.id,
        c.name,
        c.email or "",
        c.phone,
        c.timezone,
        c.notes,
        "yes" if c.erased else "no",
        local_stamp(c.created_at, zone),
        local_stamp(c.updated_at, zone),
    )
    return [safe_cell(cell) for cell in cells]


def csv_lines(rows: Iterable[list[str]] | Iterable[tuple[str, ...]]) -> str:
    """Rows as CSV text (every cell quoted when it must be, CRLF line ends as RFC 4180 says)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
