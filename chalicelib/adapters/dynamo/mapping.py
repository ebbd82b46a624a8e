"""Items <-> domain objects. Numbers come back from DynamoDB as floats in pynamodb: cast them."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import (
    CategoryItem,
    ClientEmailItem,
    ClientItem,
    Interval,
    OverrideItem,
    ProviderItem,
    ServiceItem,
)
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Category, DateOverride, Service, TimeRange, WeeklyInterval
from chalicelib.domain.money import format_price
from chalicelib.domain.provider import BookingPolicy, Provider


def provider_to_item(p: Provider) -> ProviderItem:
    return ProviderItem(
        keys.provider_pk(p.id),
        keys.PROFILE,
        provider_id=p.id,
        email=p.email,
        name=p.name,
        timezone=p.timezone,
        slug=p.slug,
        min_notice_minutes=p.policy.min_notice_minutes,
        max_advance_days=p.policy.max_advance_days,
        slot_interval_minutes=p.policy.slot_interval_minutes,
        cancellation_notice_minutes=p.policy.cancellation_notice_minutes,
        reminder_offsets_minutes=list(p.policy.reminder_offsets_minutes),
        created_at=p.created_at,
        updated_at=p.updated_at,
        booking_challenge=p.booking_challenge,
    )


def provider_from_item(item: ProviderItem) -> Provider:
    return Provider(
        id=item.provider_id,
        email=item.email,
        name=item.name,
        timezone=item.timezone,
        slug=item.slug,
        policy=BookingPolicy(
            min_notice_minutes=int(item.min_notice_minutes),
            max_advance_days=int(item.max_advance_days),
            slot_interval_minutes=int(item.slot_interval_minutes),
            cancellation_notice_minutes=int(item.cancellation_notice_minutes),
            reminder_offsets_minutes=[int(m) for m in item.reminder_offsets_minutes],
        ),
        created_at=item.created_at,
        updated_at=item.updated_at,
        booking_challenge=bool(item.booking_challenge),
    )


def category_to_item(c: Category) -> CategoryItem:
    return CategoryItem(
        keys.provider_pk(c.provider_id),
        keys.category_sk(c.id),
        category_id=c.id,
        provider_id=c.provider_id,
        name=c.name,
        position=c.position,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def category_from_item(item: CategoryItem) -> Category:
    return Category(
        id=item.category_id,
        provider_id=item.provider_id,
        name=item.name,
        position=int(item.position),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def service_to_item(s: Service) -> ServiceItem:
    return ServiceItem(
        keys.provider_pk(s.provider_id),
        keys.service_sk(s.id),
        service_id=s.id,
        provider_id=s.provider_id,
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


def service_from_item(item: ServiceItem) -> Service:
    return Service(
        id=item.service_id,
        provider_id=item.provider_id,
        name=item.name,
        description=item.description,
        duration_minutes=int(item.duration_minutes),
        price=Decimal(item.price),
        currency=item.currency,
        category_id=item.category_id,
        visible=item.visible,
        buffer_before_minutes=int(item.buffer_before_minutes),
        buffer_after_minutes=int(item.buffer_after_minutes),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def weekly_to_items(weekly: list[WeeklyInterval]) -> list[Interval]:
    return [Interval(day=w.day, start=w.start, end=w.end) for w in weekly]  # type: ignore[no-untyped-call]


def weekly_from_items(items: list[Interval]) -> list[WeeklyInterval]:
    return [WeeklyInterval(day=w.day or "", start=w.start, end=w.end) for w in items]


def ranges_to_items(ranges: list[TimeRange]) -> list[Interval]:
    return [Interval(start=r.start, end=r.end) for r in ranges]  # type: ignore[no-untyped-call]


def override_from_item(item: OverrideItem) -> DateOverride:
    ranges = [TimeRange(start=r.start, end=r.end) for r in item.intervals]
    return DateOverride(day=item.date, intervals=ranges, updated_at=item.updated_at)


def client_to_item(c: Client) -> ClientItem:
    """An erased client gets no GSI1 keys: it drops out of the name search index."""
    searchable = not c.erased
    return ClientItem(
        keys.provider_pk(c.provider_id),
        keys.client_sk(c.id),
        GSI1PK=keys.clients_gsi1pk(c.provider_id) if searchable else None,
        GSI1SK=keys.client_name_gsi1sk(c.name, c.id) if searchable else None,
        client_id=c.id,
        provider_id=c.provider_id,
        name=c.name,
        email=c.email,
        phone=c.phone,
        notes=c.notes,
        timezone=c.timezone,
        erased=c.erased,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def client_email_to_item(c: Client, email: str) -> ClientEmailItem:
    """The claim that makes ``email`` this client's, among the provider's clients."""
    return ClientEmailItem(
        keys.provider_pk(c.provider_id),
        keys.client_email_sk(email),
        provider_id=c.provider_id,
        client_id=c.id,
    )


def client_from_item(item: ClientItem) -> Client:
    return Client(
        id=item.client_id,
        provider_id=item.provider_id,
        name=item.name,
        email=item.email,
        phone=item.phone,
        notes=item.notes,
        timezone=item.timezone,
        erased=bool(item.erased),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )
