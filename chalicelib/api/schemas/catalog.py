"""Categories and services: what a provider may send, what the API answers."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool

from chalicelib.api.schemas.base import (
    WHOLE,
    Buffer,
    Currency,
    Duration,
    ItemId,
    Patch,
    Price,
    PriceText,
    Strict,
)
from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.money import format_price

CategoryName = Annotated[str, Field(min_length=1, max_length=60)]
Position = Annotated[int, Field(ge=0, le=9999), WHOLE]
ServiceName = Annotated[str, Field(min_length=1, max_length=100)]
Description = Annotated[str, Field(max_length=500)]


class CategoryCreate(Strict):
    name: CategoryName
    position: Position = 0


class CategoryPatch(Patch):
    name: CategoryName | None = None
    position: Position | None = None


class CategoryOut(Strict):
    id: str
    name: str
    position: int
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, c: Category) -> CategoryOut:
        return cls(
            id=c.id, name=c.name, position=c.position, created_at=c.created_at, updated_at=c.updated_at
        )


class CategoryPage(Strict):
    items: list[CategoryOut]
    next_cursor: str | None


class ServiceCreate(Strict):
    name: ServiceName
    description: Description = ""
    duration_minutes: Duration
    price: Price
    currency: Currency
    category_id: ItemId | None = None
    visible: StrictBool = True
    buffer_before_minutes: Buffer = 0
    buffer_after_minutes: Buffer = 0


class ServicePatch(Patch):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"category_id"})  # null: uncategorise

    name: ServiceName | None = None
    description: Description | None = None
    duration_minutes: Duration | None = None
    price: Price | None = None
    currency: Currency | None = None
    category_id: ItemId | None = None
    visible: StrictBool | None = None
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None


class ServiceOut(Strict):
    id: str
    name: str
    description: str
    duration_minutes: int
    price: PriceText
    currency: str
    category_id: str | None
    visible: bool
    buffer_before_minutes: int
    buffer_after_minutes: int
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, s: Service) -> ServiceOut:
        return cls(
            id=s.id,
            name=s.name,
            description=s.description,
            duration_minutes=s.duration_minutes,
            price=format_price(s.price),
            currency=s.currency,
            category_id=s.category_id,
            visible=s.visible,
            buffer_before_minutes=s.buffer_before_minutes,
            buffer_after_minutes=s.buffer_after_minutes,
            created_at=s.created_at,
            updated_at=s.updated_at,
        )


class ServicePage(Strict):
    items: list[ServiceOut]
    next_cursor: str | None
