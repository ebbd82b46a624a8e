"""Our rules, as the API applies them: every imported value goes through the API's own request models.

So a 7-minute service, a 101-character name or an unknown zone is refused here with the very words
the API would answer, and the bounds live in one place (chalicelib.api.schemas, chalicelib.domain).
The models also trim surrounding spaces, as the API does; such a trim is reported as a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, EmailStr, TypeAdapter, ValidationError

from chalicelib.api.schemas.appointments import AppointmentPatch
from chalicelib.api.schemas.availability import WeeklyIn
from chalicelib.api.schemas.booking import ClientIn, Instant
from chalicelib.api.schemas.catalog import CategoryCreate, ServiceCreate
from chalicelib.api.schemas.clients import ClientPatch
from chalicelib.api.schemas.provider import ProviderPatch
from importer.report import Reason, shown

# Old columns whose values are personal data: the report names them, never quotes them.
PERSONAL = frozenset(
    {
        "users.name",
        "users.email",
        "clients.name",
        "clients.email",
        "clients.phone",
        "clients.notes",
        "appointments.notes",
        "accounts.provider_account_id",
    }
)
# Problems imported as they are (a form here would refuse them; nothing here depends on them):
# a phone written otherwise than the one phone rule (domain/phones.py) allows is still a phone.
KEPT_AS_IS = frozenset({("phone", "invalid_phone")})

EMAIL: TypeAdapter[str] = TypeAdapter(EmailStr)
INSTANT: TypeAdapter[Any] = TypeAdapter(Instant)

PROVIDER = ProviderPatch
CATEGORY = CategoryCreate
SERVICE = ServiceCreate
CLIENT = ClientIn
CLIENT_NOTES = ClientPatch
APPOINTMENT_NOTES = AppointmentPatch
WEEKLY = WeeklyIn


def value_of(column: str, value: object) -> str | None:
    return None if column in PERSONAL else shown(value)


@dataclass
class Checked:
    """What a model made of one row's values, and what it refused or let through as it was."""

    values: dict[str, Any] = field(default_factory=dict)
    refused: list[Reason] = field(default_factory=list)
    kept: list[Reason] = field(default_factory=list)
    changed: list[Reason] = field(default_factory=list)


def check(model: type[BaseModel], data: Mapping[str, Any], table: str, columns: Mapping[str, str]) -> Checked:
    """Validate ``data`` (our field names) with ``model``; reasons name the old ``columns``."""
    checked = Checked()
    try:
        values = model.model_validate(dict(data)).model_dump()
    except ValidationError as error:
        problems = _problems(error)
        kept = {name for name, (code, _) in problems.items() if (name, code) in KEPT_AS_IS}
        for name, (code, message) in problems.items():
            column = columns.get(name, name)
            value = value_of(f"{table}.{column}", data.get(name))
            if name in kept:
                checked.kept.append(Reason(code, f"{message}; kept as it was", column, value))
            else:
                checked.refused.append(Reason(code, message, column, value))
        if checked.refused:
            return checked
        values = model.model_validate({k: v for k, v in data.items() if k not in kept}).model_dump()
        values.update({name: data[name] for name in kept})
    checked.values = {name: values[name] for name in data}
    for name, before in data.items():
        after = checked.values[name]
        if isinstance(before, str) and isinstance(after, str) and before != after:
            column = columns.get(name, name)
            message = (
                "surrounding spaces removed" if before.strip() == after else "written as this service does"
            )
            full = f"{table}.{column}"
            checked.changed.append(
                Reason("normalised", message, column, value_of(full, before), value_of(full, after))
            )
    return checked


def _problems(error: ValidationError) -> dict[str, tuple[str, str]]:
    problems: dict[str, tuple[str, str]] = {}
    for item in error.errors(include_url=False, include_input=False):
        name = str(item["loc"][0]) if item["loc"] else "value"
        problems.setdefault(name, (item["type"], item["msg"]))
    return problems


def email_problem(value: str) -> str | None:
    try:
        EMAIL.validate_python(value)
    except ValidationError as error:
        return str(error.errors(include_url=False, include_input=False)[0]["msg"])
    return None


def instant_problem(value: object) -> str | None:
    try:
        INSTANT.validate_python(value)
    except ValidationError as error:
        return str(error.errors(include_url=False, include_input=False)[0]["msg"])
    return None
