"""One old user's rows -> one ImportedUser and its UserReport: every row read is imported or refused.

Converted in dependency order (the user, its accounts and page, categories, services, hours,
clients, then appointments, which need their service and client). When the user itself is refused
(an unknown zone, say), every row of it is refused with it, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping

from importer.convert.appointments import appointments, conflicts
from importer.convert.catalog import categories, services
from importer.convert.clients import clients
from importer.convert.common import Context, cascade
from importer.convert.hours import weekly_hours
from importer.convert.provider import convert_user, google_subjects, page_slug
from importer.records import ImportedUser, Origin
from importer.report import Reason, UserReport
from importer.rows import Row, TableStream
from importer.schema import CHILDREN

__all__ = ["Context", "convert", "refuse_user"]


def convert(
    row: Row, key: str, streams: Mapping[str, TableStream], context: Context
) -> tuple[ImportedUser | None, UserReport]:
    report = UserReport(old_id=key)
    owner = convert_user(row, key, report, context)
    if owner is None:
        refuse_rows(key, streams, report, "its user was refused (see the users row)")
        return None, report

    subjects = google_subjects(streams["accounts"].take(key), key, report, context)
    slug, page = page_slug(streams["scheduling_pages"].take(key), key, report, context, owner.provider.id)
    owner.provider.slug = slug
    found_categories = categories(streams["service_categories"].take(key), owner, report, context)
    found_services = services(streams["services"].take(key), owner, found_categories, report, context)
    hours = weekly_hours(streams["availability"].take(key), owner, report)
    found_clients = clients(streams["clients"].take(key), owner, report, context)
    origins: dict[str, Origin] = {}
    for table, records in (
        ("service_categories", found_categories),
        ("services", found_services),
        ("clients", found_clients),
    ):
        origins.update({record.id: Origin(table, old) for old, record in records.items()})
    found = appointments(
        streams["appointments"].take(key), owner, found_services, found_clients, report, context, origins
    )
    user = ImportedUser(
        old_id=key,
        provider=owner.provider,
        google_subjects=tuple(subjects),
        accounts=subjects,
        page=page,
        categories=list(found_categories.values()),
        services=list(found_services.values()),
        availability=hours,
        clients=list(found_clients.values()),
        appointments=found,
        conflicts=conflicts(found, report, origins),
        origins=origins,
    )
    return user, report


def refuse_rows(key: str, streams: Mapping[str, TableStream], report: UserReport, message: str) -> None:
    for table in CHILDREN:
        cascade(report, table.name, streams[table.name].take(key), message)


def refuse_user(row_id: str | None, report: UserReport, message: str, code: str) -> None:
    """A users row that cannot be anyone's (no id, or the id of the user before it)."""
    report.refused_user = True
    report.refuse("users", row_id, [Reason(code, message, "id")])
