"""appointments -> Appointment, one row at a time as they stream in; then their conflicts.

An old appointment has no price, zone or service name of its own: it takes them from its service
and its provider, as the old app showed it. Its notes become the provider's private notes (the old
app's notes were the provider's; our ``notes`` are words a client wrote and may be shown to them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, Appointment, iso_z
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Service
from chalicelib.domain.languages import provider_language
from importer import rules, values
from importer.convert.common import Context, old_id, read, refuse_missing_id, stamps
from importer.convert.provider import Owner
from importer.records import IMPORT_SOURCE, Conflict, Origin, stamp
from importer.report import ConflictSide, Reason, UserReport, shown
from importer.rows import Row

CONVERSIONS = {
    "start_time": values.instant,
    "end_time": values.instant,
    "status": values.appointment_status,
    "notes": values.text,
}


def appointments(
    rows: Iterable[Row],
    owner: Owner,
    found_services: dict[str, Service],
    found_clients: dict[str, Client],
    report: UserReport,
    context: Context,
    origins: dict[str, Origin],
) -> list[Appointment]:
    table = "appointments"
    found: list[Appointment] = []
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        service = found_services.get(str(row.get("service_id")))
        client = found_clients.get(str(row.get("client_id")))
        read_values, problems = read(row, table, CONVERSIONS)
        problems = _parents(row, service, client) or problems or _times(read_values)
        notes = rules.check(rules.APPOINTMENT_NOTES, {"notes": read_values.get("notes") or ""}, table, {})
        if problems or notes.refused or service is None or client is None:
            report.refuse(table, row_id, problems + notes.refused)
            continue
        times, changed = stamps(row, table, ("created_at", "updated_at"))
        start, end = read_values["start_time"], read_values["end_time"]
        changed += _whole_seconds(row, start, end) + notes.changed
        kept = _length(start, end, service)
        created = times["created_at"]
        found.append(
            Appointment(
                id=context.new_id(table, row_id, created),
                provider_id=owner.provider.id,
                service_id=service.id,
                service_name=service.name,
                start=start.replace(microsecond=0),
                end=end.replace(microsecond=0),
                status=read_values["status"],
                client_id=client.id,
                client_timezone=owner.provider.timezone,
                # Who the booking is for, as a booking records the details its client gave.
                contact_name=client.name,
                contact_email=(client.email or "").strip().lower(),
                contact_phone=client.phone or "",
                price=service.price,
                currency=service.currency,
                provider_notes=notes.values["notes"],
                source=IMPORT_SOURCE,
                language=provider_language(owner.provider),  # the old app kept none: the provider's
                created_at=stamp(created),
                updated_at=stamp(times["updated_at"] or created),
            )
        )
        origins[found[-1].id] = Origin(table, row_id)
        report.accept(table, row_id, changed, kept)
    return found


def _parents(row: Row, service: Service | None, client: Client | None) -> list[Reason]:
    problems = []
    if service is None:
        message = "its service was refused or is not one of this user's services"
        problems.append(Reason("service_not_imported", message, "service_id", shown(row.get("service_id"))))
    if client is None:
        message = "its client was refused or is not one of this user's clients"
        problems.append(Reason("client_not_imported", message, "client_id", shown(row.get("client_id"))))
    return problems


def _times(read_values: dict[str, datetime]) -> list[Reason]:
    problems = []
    for column in ("start_time", "end_time"):
        problem = rules.instant_problem(read_values[column])
        if problem:
            problems.append(Reason("time_out_of_range", problem, column, read_values[column].isoformat()))
    if not problems and read_values["end_time"] <= read_values["start_time"]:
        problems.append(Reason("ends_before_start", "ends before it starts (or as it starts)", "end_time"))
    return problems


def _whole_seconds(row: Row, start: datetime, end: datetime) -> list[Reason]:
    changed = []
    for column, instant in (("start_time", start), ("end_time", end)):
        if instant.microsecond:
            message = "had a fraction of a second; times here are kept to the second"
            changed.append(
                Reason(
                    "time_truncated",
                    message,
                    column,
                    instant.isoformat(),
                    instant.replace(microsecond=0).isoformat(),
                )
            )
    return changed


def _length(start: datetime, end: datetime, service: Service) -> list[Reason]:
    minutes = (end - start).total_seconds() / 60
    if minutes == service.duration_minutes:
        return []
    message = (
        f"lasts {minutes:g} minutes and its service {service.duration_minutes}; "
        "kept as it was: the appointment keeps its own times"
    )
    return [Reason("length_differs", message, "end_time")]


def conflicts(found: list[Appointment], report: UserReport, origins: dict[str, Origin]) -> list[Conflict]:
    """Groups of active (pending or confirmed) appointments that overlap: all of them are imported.

    In start order, an appointment starting before the latest end seen so far overlaps the one
    that ends then, so each group is a chain of overlaps; touching appointments do not overlap.
    Linear after the sort, however many appointments overlap (a list of pairs would be quadratic).
    """
    active = sorted((a for a in found if a.status in ACTIVE_STATUSES), key=lambda a: (a.start, a.end, a.id))
    groups: list[list[Appointment]] = []
    latest_end = None
    for appointment in active:
        if latest_end is not None and appointment.start < latest_end:
            groups[-1].append(appointment)
            latest_end = max(latest_end, appointment.end)
        else:
            groups.append([appointment])
            latest_end = appointment.end
    found_conflicts = []
    for group in groups:
        if len(group) < 2:
            continue
        found_conflicts.append(Conflict(tuple(a.id for a in group)))
        report.conflicts.append([_side(a, origins) for a in group])
    return found_conflicts


def _side(appointment: Appointment, origins: dict[str, Origin]) -> ConflictSide:
    return ConflictSide(
        old_id=origins[appointment.id].old_id,
        new_id=appointment.id,
        start=iso_z(appointment.start),
        end=iso_z(appointment.end),
        status=appointment.status,
    )
