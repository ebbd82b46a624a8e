"""Categories and services: what a provider may send, what the API answers."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

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
from chalicelib.api.schemas.provider import AdvanceDays, Notice, PerDay, SlotInterval
from chalicelib.api.schemas.service_details import (
    LocationIn,
    LocationOut,
    QuestionOut,
    Questions,
    Visibility,
)
from chalicelib.domain.catalog import HIDDEN, Category, Service
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


APPROVAL = (
    "A client's booking is a pending request that holds its time until the provider confirms or "
    "declines it (or the sweep declines it, unanswered)."
)
VISIBLE = "The older form of `visibility`: true is public, false hidden."
RULE = "null: the profile's"


def _agreeing(model: Any) -> Any:
    """``visible`` and ``visibility`` sent together must say the same."""
    both = {"visible", "visibility"} <= model.model_fields_set and model.visibility is not None
    if both and model.visible is not None and model.visible != (model.visibility != HIDDEN):
        raise PydanticCustomError("visibility_mismatch", "visible and visibility disagree; send visibility")
    return model


def _domain(fields: dict[str, Any], model: Any) -> dict[str, Any]:
    """Fields with the location and the questions as domain values."""
    if "location" in fields:
        fields["location"] = None if model.location is None else model.location.domain()
    if "questions" in fields:
        fields["questions"] = [q.domain() for q in model.questions or []]
    return fields


class ServiceCreate(Strict):
    name: ServiceName
    description: Description = ""
    duration_minutes: Duration
    price: Price
    currency: Currency
    category_id: ItemId | None = None
    visible: StrictBool = Field(True, description=VISIBLE)
    visibility: Visibility | None = Field(
        None, description="public: listed on the page; unlisted: bookable through its own link; hidden."
    )
    buffer_before_minutes: Buffer = 0
    buffer_after_minutes: Buffer = 0
    location: LocationIn | None = None
    questions: Questions = Field(default_factory=list)
    min_notice_minutes: Notice | None = Field(None, description=RULE)
    max_advance_days: AdvanceDays | None = Field(None, description=RULE)
    slot_interval_minutes: SlotInterval | None = Field(None, description=RULE)
    max_per_day: PerDay | None = Field(
        None, description="this service's appointments a day; null: no own cap"
    )
    requires_approval: StrictBool = Field(False, description=APPROVAL)

    @model_validator(mode="after")
    def _agree(self) -> ServiceCreate:
        return _agreeing(self)  # type: ignore[no-any-return]

    def domain_fields(self) -> dict[str, Any]:
        fields = self.model_dump()
        if fields["visibility"] is None:
            del fields["visibility"]
        return _domain(fields, self)


class ServicePatch(Patch):
    # null: uncategorise, no location, back to the profile's rules
    NULLABLE: ClassVar[frozenset[str]] = frozenset(
        {
            "category_id",
            "location",
            "min_notice_minutes",
            "max_advance_days",
            "slot_interval_minutes",
            "max_per_day",
        }
    )

    name: ServiceName | None = None
    description: Description | None = None
    duration_minutes: Duration | None = None
    price: Price | None = None
    currency: Currency | None = None
    category_id: ItemId | None = None
    visible: StrictBool | None = Field(None, description=VISIBLE)
    visibility: Visibility | None = None
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None
    location: LocationIn | None = None
    questions: Questions | None = None
    min_notice_minutes: Notice | None = None
    max_advance_days: AdvanceDays | None = None
    slot_interval_minutes: SlotInterval | None = None
    max_per_day: PerDay | None = None
    requires_approval: StrictBool | None = Field(None, description=APPROVAL)

    @model_validator(mode="after")
    def _agree(self) -> ServicePatch:
        return _agreeing(self)  # type: ignore[no-any-return]

    def changes(self) -> dict[str, Any]:
        return _domain(super().changes(), self)


class ServiceOut(Strict):
    id: str
    name: str
    description: str
    duration_minutes: int
    price: PriceText
    currency: str
    category_id: str | None
    visible: bool = Field(description=VISIBLE)
    visibility: str
    buffer_before_minutes: int
    buffer_after_minutes: int
    location: LocationOut | None
    questions: list[QuestionOut]
    min_notice_minutes: int | None
    max_advance_days: int | None
    slot_interval_minutes: int | None
    max_per_day: int | None
    requires_approval: bool = Field(description=APPROVAL)
    own_hours: bool = Field(description="It has its own weekly hours (GET /services/{id}/availability).")
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
            visibility=s.visibility,
            buffer_before_minutes=s.buffer_before_minutes,
            buffer_after_minutes=s.buffer_after_minutes,
            location=LocationOut.of(s.location),
            questions=[QuestionOut.of(q) for q in s.questions],
            min_notice_minutes=s.min_notice_minutes,
            max_advance_days=s.max_advance_days,
            slot_interval_minutes=s.slot_interval_minutes,
            max_per_day=s.max_per_day,
            requires_approval=s.requires_approval,
            own_hours=s.hours is not None,
            created_at=s.created_at,
            updated_at=s.updated_at,
        )


class ServicePage(Strict):
    items: list[ServiceOut]
    next_cursor: str | None
