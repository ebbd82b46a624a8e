"""service_categories -> Category (their order kept); services -> Service (prices exact, in cents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.domain.catalog import MAX_CATEGORIES, MAX_SERVICES, Category, Service
from importer import rules, values
from importer.convert.common import Context, old_id, read, refuse_missing_id, stamps
from importer.convert.provider import Owner
from importer.records import stamp
from importer.report import Reason, UserReport, shown
from importer.rows import Row

MAX_POSITION = 9999  # the largest position the API takes (api.schemas.catalog.Position)
EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class _Draft:
    row_id: str
    order: int
    created: datetime | None
    name: str
    changed: list[Reason]

    def sort_key(self) -> tuple[int, datetime, str]:
        return (self.order, self.created or EARLIEST, self.row_id)


def categories(
    rows: Iterable[Row], owner: Owner, report: UserReport, context: Context
) -> dict[str, Category]:
    """Old category id -> Category, positions in the old sort order (renumbered only if out of range)."""
    table = "service_categories"
    drafts = sorted(_drafts(rows, report), key=_Draft.sort_key)
    renumber = any(not 0 <= d.order <= MAX_POSITION for d in drafts)
    found: dict[str, Category] = {}
    for index, draft in enumerate(drafts):
        if index >= MAX_CATEGORIES:
            message = f"the user has more than {MAX_CATEGORIES} categories, the most this service keeps"
            report.refuse(table, draft.row_id, [Reason("too_many_categories", message)])
            continue
        position = index if renumber else draft.order
        if position != draft.order:
            message = "out of the range 0-9999, so the categories are numbered 0, 1, 2... in their order"
            reason = Reason("position_renumbered", message, "sort_order", str(draft.order), str(position))
            draft.changed.append(reason)
        report.accept(table, draft.row_id, draft.changed, [])
        found[draft.row_id] = Category(
            id=context.new_id(table, draft.row_id, draft.created),
            provider_id=owner.provider.id,
            name=draft.name,
            position=position,
            created_at=stamp(draft.created),
            updated_at=stamp(draft.created),
        )
    return found


def _drafts(rows: Iterable[Row], report: UserReport) -> Iterator[_Draft]:
    table = "service_categories"
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        conversions = {"name": values.required_text, "sort_order": values.whole_number}
        read_values, problems = read(row, table, conversions)
        times, changed = stamps(row, table, ("created_at",))
        checked = rules.check(rules.CATEGORY, {"name": read_values.get("name", "")}, table, {})
        if problems or checked.refused:
            report.refuse(table, row_id, problems + checked.refused)
            continue
        name = checked.values["name"]
        yield _Draft(row_id, read_values["sort_order"], times["created_at"], name, changed + checked.changed)


SERVICE_COLUMNS = {"duration_minutes": "duration", "visible": "is_visible", "currency": "users.currency"}
SERVICE_CONVERSIONS = {
    "name": values.required_text,
    "description": values.text,
    "duration": values.whole_number,
    "price": values.price,
    "is_visible": values.flag,
}


def services(
    rows: Iterable[Row],
    owner: Owner,
    found_categories: dict[str, Category],
    report: UserReport,
    context: Context,
) -> dict[str, Service]:
    """Old service id -> Service; a service whose values our rules refuse is refused, with its reasons."""
    table = "services"
    found: dict[str, Service] = {}
    for row in rows:
        row_id = old_id(row)
        if row_id is None:
            refuse_missing_id(report, table)
            continue
        service = _service(row, row_id, owner, found_categories, report, context)
        if service is None:
            continue
        if len(found) >= MAX_SERVICES:
            message = f"the user has more than {MAX_SERVICES} services, the most this service keeps"
            report.refuse(table, row_id, [Reason("too_many_services", message)])
            continue
        found[row_id] = service[0]
        report.accept(table, row_id, service[1], [])
    return found


def _service(
    row: Row,
    row_id: str,
    owner: Owner,
    found_categories: dict[str, Category],
    report: UserReport,
    context: Context,
) -> tuple[Service, list[Reason]] | None:
    table = "services"
    read_values, problems = read(row, table, SERVICE_CONVERSIONS)
    times, changed = stamps(row, table, ("created_at", "updated_at"))
    if problems:
        report.refuse(table, row_id, problems)
        return None
    price, rounded = read_values["price"]
    data = {
        "name": read_values["name"],
        "description": read_values["description"] or "",
        "duration_minutes": read_values["duration"],
        "price": price,
        "currency": owner.currency,
        "visible": read_values["is_visible"],
    }
    checked = rules.check(rules.SERVICE, data, table, SERVICE_COLUMNS)
    if checked.refused:
        report.refuse(table, row_id, checked.refused)
        return None
    if rounded:
        written = shown(row.get("price"))
        message = "a float in the old database; stored exactly, in cents"
        changed.append(Reason("price_in_cents", message, "price", written, f"{price:.2f}"))
    category_id = _category(row.get("category_id"), found_categories, changed)
    created = times["created_at"]
    service = Service(
        id=context.new_id(table, row_id, created),
        provider_id=owner.provider.id,
        name=checked.values["name"],
        duration_minutes=checked.values["duration_minutes"],
        price=checked.values["price"],
        currency=checked.values["currency"],
        description=checked.values["description"],
        category_id=category_id,
        visible=checked.values["visible"],
        created_at=stamp(created),
        updated_at=stamp(times["updated_at"] or created),
    )
    return service, changed + checked.changed


def _category(old: object, found_categories: dict[str, Category], changed: list[Reason]) -> str | None:
    if old is None:
        return None
    category = found_categories.get(old) if isinstance(old, str) else None
    if category is None:
        message = "its category was refused or is not this user's; imported without a category"
        changed.append(Reason("category_dropped", message, "category_id", shown(old), None))
        return None
    return category.id
