"""A provider's own items and their mapping: the profile, its slug claim, the catalog, the hours.

Numbers come back from DynamoDB as floats in pynamodb: the mappings cast them (base.Fields).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import Fields
from chalicelib.adapters.dynamo.brand_items import BrandAttributes, brand_from_item, brand_to_item
from chalicelib.adapters.dynamo.item import Item
from chalicelib.domain.catalog import (
    Category,
    DateOverride,
    Location,
    Question,
    Service,
    TimeRange,
    WeeklyInterval,
)
from chalicelib.domain.money import format_price
from chalicelib.domain.provider import BookingPolicy, Provider


class ProviderItem(BrandAttributes, Item, discriminator="provider"):
    provider_id = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    timezone = UnicodeAttribute()
    slug = UnicodeAttribute(null=True)
    min_notice_minutes = NumberAttribute()
    max_advance_days = NumberAttribute()
    slot_interval_minutes = NumberAttribute()
    cancellation_notice_minutes = NumberAttribute()
    reminder_offsets_minutes = ListAttribute[float](of=NumberAttribute)  # type: ignore[arg-type]
    booking_challenge = BooleanAttribute(default=False)  # public bookings need a proof of work
    max_per_day = NumberAttribute(null=True)  # absent: no cap
    approval_expires_hours = NumberAttribute(null=True)  # absent: requests do not expire by age
    change_grace_minutes = NumberAttribute(null=True)  # absent (older profiles): the default
    # Kept by the same transactions that add or delete categories and services (caps).
    category_count = NumberAttribute(default=0)
    service_count = NumberAttribute(default=0)
    # Set on imported providers only (their old Google sign-ins); each also has a GoogleItem.
    google_subjects = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    embed_origins = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class SlugItem(Item, discriminator="slug"):
    provider_id = UnicodeAttribute()


class GoogleItem(Item, discriminator="google"):
    """GOOGLE#<Google subject> / GOOGLE: the provider that Google account signs in as.

    Written by the import for each Google subject of an old user (conditionally: one provider per
    subject), so a sign-in carrying that subject finds its imported provider with one GetItem.
    """

    provider_id = UnicodeAttribute()


class CategoryItem(Item, discriminator="category"):
    category_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    position = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class LocationMap(MapAttribute[str, Any]):
    type = UnicodeAttribute()
    value = UnicodeAttribute()


class QuestionMap(MapAttribute[str, Any]):
    key = UnicodeAttribute()
    label = UnicodeAttribute()
    type = UnicodeAttribute()
    required = BooleanAttribute(default=False)
    options = ListAttribute[str](of=UnicodeAttribute, null=True)  # type: ignore[arg-type]


class Interval(MapAttribute[str, Any]):
    day = UnicodeAttribute(null=True)
    start = UnicodeAttribute()
    end = UnicodeAttribute()


class ServiceItem(Item, discriminator="service"):
    service_id = UnicodeAttribute()
    provider_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    duration_minutes = NumberAttribute()
    price = UnicodeAttribute()  # a decimal string: never a float on the way in or out
    currency = UnicodeAttribute()
    category_id = UnicodeAttribute(null=True)
    visible = BooleanAttribute()  # written with visibility, for code that reads only this
    visibility = UnicodeAttribute(null=True)  # absent on older items: read from visible
    buffer_before_minutes = NumberAttribute(default=0)
    buffer_after_minutes = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    location = LocationMap(null=True)  # type: ignore[no-untyped-call]
    questions = ListAttribute[QuestionMap](of=QuestionMap, null=True)
    min_notice_minutes = NumberAttribute(null=True)  # the rules: absent means the profile's
    max_advance_days = NumberAttribute(null=True)
    slot_interval_minutes = NumberAttribute(null=True)
    max_per_day = NumberAttribute(null=True)
    hours = ListAttribute[Interval](of=Interval, null=True)  # its own weekly hours
    requires_approval = BooleanAttribute(null=True)  # absent: false


class ScheduleItem(Item, discriminator="schedule"):
    provider_id = UnicodeAttribute()
    # The zone lives on the profile (one source of truth); older items may still carry one.
    timezone = UnicodeAttribute(null=True)
    weekly: ListAttribute[Interval] = ListAttribute(of=Interval)
    updated_at = UnicodeAttribute()


class OverrideItem(Item, discriminator="override"):
    provider_id = UnicodeAttribute()
    date = UnicodeAttribute()
    intervals: ListAttribute[Interval] = ListAttribute(of=Interval)
    updated_at = UnicodeAttribute()


def profile_key(provider_id: str) -> ProviderItem:
    """The profile item's key only: for updates and checks that name it."""
    return ProviderItem(keys.provider_pk(provider_id), keys.PROFILE)


PROVIDER = Fields(
    "provider_id",
    ("email", "name", "timezone", "slug", "created_at", "updated_at"),
    flags=("booking_challenge",),
)
POLICY = Fields(
    None,
    (),
    numbers=(
        "min_notice_minutes",
        "max_advance_days",
        "slot_interval_minutes",
        "cancellation_notice_minutes",
    ),
    optional=("max_per_day", "approval_expires_hours", "change_grace_minutes"),
)
CATEGORY = Fields("category_id", ("provider_id", "name", "created_at", "updated_at"), numbers=("position",))
SERVICE = Fields(
    "service_id",
    ("provider_id", "name", "description", "currency", "category_id", "created_at", "updated_at"),
    numbers=("duration_minutes", "buffer_before_minutes", "buffer_after_minutes"),
    flags=("visible", "requires_approval"),
    optional=("min_notice_minutes", "max_advance_days", "slot_interval_minutes", "max_per_day"),
)


def provider_to_item(p: Provider) -> ProviderItem:
    return ProviderItem(
        keys.provider_pk(p.id),
        keys.PROFILE,
        **PROVIDER.to_item(p),
        **POLICY.to_item(p.policy),
        reminder_offsets_minutes=list(p.policy.reminder_offsets_minutes),
        google_subjects=list(p.google_subjects) or None,
        embed_origins=list(p.embed_origins) or None,
        **brand_to_item(p),
    )


def provider_from_item(item: ProviderItem) -> Provider:
    fields = POLICY.from_item(item)
    if fields["change_grace_minutes"] is None:  # a profile from before the grace period
        del fields["change_grace_minutes"]
    policy = BookingPolicy(**fields, reminder_offsets_minutes=[int(m) for m in item.reminder_offsets_minutes])
    subjects, embed = [str(s) for s in item.google_subjects or []], [str(o) for o in item.embed_origins or []]
    own = {**PROVIDER.from_item(item), **brand_from_item(item)}
    return Provider(**own, policy=policy, google_subjects=subjects, embed_origins=embed)


def slug_to_item(slug: str, provider_id: str) -> SlugItem:
    """The claim that gives ``slug`` to one provider (Put only if new, or still that provider's)."""
    return SlugItem(keys.slug_pk(slug), keys.SLUG, provider_id=provider_id)


def google_to_item(subject: str, provider_id: str) -> GoogleItem:
    return GoogleItem(keys.google_pk(subject), keys.GOOGLE, provider_id=provider_id)


def category_to_item(c: Category) -> CategoryItem:
    return CategoryItem(keys.provider_pk(c.provider_id), keys.category_sk(c.id), **CATEGORY.to_item(c))


def category_from_item(item: CategoryItem) -> Category:
    return Category(**CATEGORY.from_item(item))


def service_to_item(s: Service) -> ServiceItem:
    return ServiceItem(
        keys.provider_pk(s.provider_id),
        keys.service_sk(s.id),
        **SERVICE.to_item(s),
        **service_details_to_item(s.location, s.questions),
        visibility=s.visibility,
        price=format_price(s.price),
        hours=None if s.hours is None else weekly_to_items(s.hours),
    )


def location_to_item(location: Location | None) -> LocationMap | None:
    return None if location is None else LocationMap(type=location.type, value=location.value)  # type: ignore[no-untyped-call]


def questions_to_item(questions: list[Question]) -> list[QuestionMap] | None:
    return [
        QuestionMap(
            key=q.key, label=q.label, type=q.type, required=q.required, options=list(q.options) or None
        )  # type: ignore[no-untyped-call]
        for q in questions
    ] or None


def service_details_to_item(location: Location | None, questions: list[Question]) -> dict[str, Any]:
    """The attributes of a service's location and questions (absent when there are none)."""
    return {"location": location_to_item(location), "questions": questions_to_item(questions)}


def service_from_item(item: ServiceItem) -> Service:
    location = None if item.location is None else Location(item.location.type, item.location.value)
    questions = [
        Question(q.key, q.label, q.type, bool(q.required), tuple(q.options or ()))
        for q in item.questions or []
    ]
    return Service(
        **SERVICE.from_item(item),
        price=Decimal(item.price),
        visibility=item.visibility or "",
        location=location,
        questions=questions,
        hours=None if item.hours is None else weekly_from_items(item.hours),
    )


def schedule_to_item(provider_id: str, weekly: list[WeeklyInterval], updated_at: str) -> ScheduleItem:
    return ScheduleItem(
        keys.provider_pk(provider_id),
        keys.SCHEDULE,
        provider_id=provider_id,
        weekly=weekly_to_items(weekly),
        updated_at=updated_at,
    )


def weekly_to_items(weekly: list[WeeklyInterval]) -> list[Interval]:
    return [Interval(day=w.day, start=w.start, end=w.end) for w in weekly]  # type: ignore[no-untyped-call]


def weekly_from_items(items: list[Interval]) -> list[WeeklyInterval]:
    return [WeeklyInterval(day=w.day or "", start=w.start, end=w.end) for w in items]


def ranges_to_items(ranges: list[TimeRange]) -> list[Interval]:
    return [Interval(start=r.start, end=r.end) for r in ranges]  # type: ignore[no-untyped-call]


def ranges_from_items(items: list[Interval]) -> list[TimeRange]:
    return [TimeRange(start=r.start, end=r.end) for r in items]


def override_from_item(item: OverrideItem) -> DateOverride:
    return DateOverride(
        day=item.date, intervals=ranges_from_items(item.intervals), updated_at=item.updated_at
    )


def service_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """An update's changes with the location and questions as the item holds them."""
    converted = dict(changes)
    if "location" in converted:
        converted["location"] = location_to_item(converted["location"])
    if "questions" in converted:
        converted["questions"] = questions_to_item(converted["questions"] or [])
    return converted
