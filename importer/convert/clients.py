"""clients -> Client: names, emails and phones as a booking would have recorded them."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.domain.booking.clients import Client, ClientDetails
from importer import rules, values
from importer.convert.common import Context, old_id, read, refuse_missing_id, stamps
from importer.convert.provider import Owner
from importer.records import stamp
from importer.report import Reason, UserReport
from importer.rows import Row

CONVERSIONS = {
    "name": values.required_text,
    "email": values.required_text,
    "phone": values.text,
    "notes": values.text,
}


def clients(rows: Iterable[Row], owner: Owner, report: UserReport, context: Context) -> dict[str, Client]:
    """Old client id -> Client. Two clients of one user with one email (in any case) cannot both be ours."""
    table = "clients"
    found: dict[str, Client] = {}
    emails: dict[str, str] = {}  # email key -> old client id
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        read_values, problems = read(row, table, CONVERSIONS)
        times, changed = stamps(row, table, ("created_at", "updated_at"))
        if problems:
            report.refuse(table, row_id, problems)
            continue
        person = {
            "name": read_values["name"],
            "email": read_values["email"],
            "phone": read_values["phone"] or "",
        }
        checked = rules.check(rules.CLIENT, person, table, {})
        notes = rules.check(rules.CLIENT_NOTES, {"notes": read_values["notes"] or ""}, table, {})
        refused = checked.refused + notes.refused
        key = ClientDetails("", str(checked.values.get("email", "")), "").email_key
        if not refused and key in emails:
            message = f"client {emails[key]} of this user has the same email; merge the two in the old app"
            refused = [Reason("email_taken", message, "email")]
        if refused:
            report.refuse(table, row_id, refused)
            continue
        emails[key] = row_id
        report.accept(table, row_id, changed + checked.changed + notes.changed, checked.kept)
        created = times["created_at"]
        found[row_id] = Client(
            id=context.new_id(table, row_id, created),
            provider_id=owner.provider.id,
            name=checked.values["name"],
            email=checked.values["email"],
            phone=checked.values["phone"],
            notes=notes.values["notes"],
            created_at=stamp(created),
            updated_at=stamp(times["updated_at"] or created),
        )
    return found
