"""Shared bases and field types. Bounds come from the domain, so docs and checks agree."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ValidationInfo

from chalicelib.domain import money
from chalicelib.domain.ids import ID_PATTERN
from chalicelib.domain.phones import MAX_PHONE, PHONE_RULE, is_phone
from chalicelib.domain.provider import MAX_SLUG_INPUT, SLUG_PATTERN, normalise_slug
from chalicelib.domain.slots import hours
from chalicelib.domain.slots.timezones import is_iana_zone


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _drop_null(schema: dict[str, Any], model: type[Any]) -> None:
    """A left-out field means "unchanged"; null is only documented where it is accepted."""
    nullable: frozenset[str] = getattr(model, "NULLABLE", frozenset())
    for name, prop in schema.get("properties", {}).items():
        if name in nullable or "anyOf" not in prop:
            continue
        kept = [branch for branch in prop.pop("anyOf") if branch != {"type": "null"}]
        prop.pop("default", None)
        if len(kept) == 1:
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


class Patch(Strict):
    """Partial update: fields left out stay as they are; null is refused unless NULLABLE says so."""

    model_config = ConfigDict(json_schema_extra=_drop_null)
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise PydanticCustomError("not_null", "may not be null; leave the field out to keep it unchanged")
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


def _zone(name: str) -> str:
    if not is_iana_zone(name):
        raise PydanticCustomError("unknown_timezone", "must be an IANA time zone such as Europe/Paris")
    return name


def _currency(code: str) -> str:
    if not money.is_currency(code):
        raise PydanticCustomError("unknown_currency", "must be an ISO 4217 currency code such as EUR")
    return code


def _whole(value: Any) -> Any:
    """JSON has one kind of number: 611 and 611.0 are the same integer; 611.5 and "611" are not."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("int_type", "must be a whole number")
    if isinstance(value, int):
        return value
    try:
        whole = int(value)
    except (OverflowError, ValueError) as error:  # inf, nan
        raise PydanticCustomError("int_type", "must be a whole number") from error
    if whole != value:
        raise PydanticCustomError("int_from_fraction", "must be a whole number, without a fraction")
    return whole


# A body integer: 611 and 611.0 yes; 611.5, "611", true no (query strings are text, read as int).
# Written ``Annotated[int, Field(<bounds>), WHOLE]``: bounds before it, so that the OpenAPI
# document shows them as minimum/maximum.
WHOLE = BeforeValidator(_whole)


def _no_float(value: Any) -> Any:
    if isinstance(value, bool | float):
        raise PydanticCustomError("decimal_type", 'must be a decimal number or a string such as "25.00"')
    return value


Timezone = Annotated[str, Field(max_length=64, examples=["Europe/Paris"]), AfterValidator(_zone)]


def _slug(value: Any) -> Any:
    """Normalised by the domain's one rule; 422 only when nothing valid is left."""
    if not isinstance(value, str):
        return value  # the str schema answers the type error
    slug = normalise_slug(value) if len(value) <= MAX_SLUG_INPUT else value
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise PydanticCustomError(
            "invalid_slug",
            "must leave 3 to 40 letters, digits or dashes once lower-cased and accents removed",
        )
    return slug


def _phone(value: str) -> str:
    if value and not is_phone(value):
        raise PydanticCustomError("invalid_phone", f"must be {PHONE_RULE}")
    return value


Slug = Annotated[
    str,
    BeforeValidator(_slug),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 3,
            "maxLength": MAX_SLUG_INPUT,
            "examples": ["studio-ana"],
            "description": (
                f"Stored as {SLUG_PATTERN}: lower-cased, accents transliterated, spaces and other "
                "characters made dashes (`Inês Café` -> `ines-cafe`)."
            ),
        }
    ),
]
# The one phone rule (domain/phones.py), kept as written; empty clears it where a phone is optional.
Phone = Annotated[
    str,
    Field(max_length=MAX_PHONE, examples=["+351 912 345 678"], description=f"Empty, or {PHONE_RULE}."),
    AfterValidator(_phone),
]
ItemId = Annotated[str, Field(pattern=ID_PATTERN, examples=["01J9Z8Q4W2M7X3K5N6P8R0T2V4"])]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"]), AfterValidator(_currency)]
Price = Annotated[
    Decimal,
    Field(ge=0, le=int(money.MAX_PRICE), decimal_places=2, max_digits=7, examples=["25.00"]),
    BeforeValidator(_no_float),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": int(money.MAX_PRICE)},
                {"type": "string", "pattern": r"^[0-9]{1,5}(\.[0-9]{1,2})?$"},
            ],
            "description": "0 to 10000 with at most 2 decimals; a string keeps it exact.",
            "examples": ["25.00"],
        }
    ),
]
PriceText = Annotated[str, Field(pattern=r"^[0-9]{1,5}\.[0-9]{2}$", examples=["25.00"])]
StartTime = Annotated[str, Field(pattern=hours.START_PATTERN, examples=["09:00"])]
EndTime = Annotated[str, Field(pattern=hours.END_PATTERN, examples=["17:00"])]
DateText = Annotated[str, Field(pattern=hours.DATE_PATTERN, examples=["2026-05-01"])]
Duration = Annotated[int, Field(ge=5, le=480, multiple_of=5), WHOLE]
Buffer = Annotated[int, Field(ge=0, le=240, multiple_of=5), WHOLE]


class ListQuery(Strict):
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, min_length=1, max_length=1024)


class FieldError(Strict):
    field: str
    code: str
    message: str


class ErrorInfo(Strict):
    code: str
    message: str
    details: list[FieldError] | None = None


class ErrorResponse(Strict):
    error: ErrorInfo
