"""One method per access pattern; storage failures become domain errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from pynamodb.exceptions import PutError, PynamoDBConnectionError
from pynamodb.models import Model

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.models import (
    Interval,
    Item,
    ProviderItem,
    ScheduleItem,
    ServiceItem,
    SlugItem,
)
from chalicelib.domain.catalog import Availability, Service, WeeklyInterval
from chalicelib.domain.errors import ConflictError, DependencyUnavailableError
from chalicelib.domain.provider import BookingPolicy, Provider
from chalicelib.services.ports import HealthProbe, ProviderRepository

HEALTH_PK = "HEALTH"
UNAVAILABLE_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "ResourceNotFoundException",
}
ModelT = TypeVar("ModelT", bound=Model)
F = TypeVar("F", bound=Callable[..., Any])


def _is_condition_failure(error: PynamoDBConnectionError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


def _is_unavailable(error: PynamoDBConnectionError) -> bool:
    cause = error.cause
    if isinstance(cause, BotocoreConnectionError | HTTPClientError):
        return True
    return isinstance(cause, ClientError) and error.cause_response_code in UNAVAILABLE_CODES


def storage_errors(method: F) -> F:
    """Connection failures and throttling become DependencyUnavailableError (503)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PynamoDBConnectionError as error:
            if _is_unavailable(error):
                raise DependencyUnavailableError("The database is not answering.") from error
            raise

    return wrapper  # type: ignore[return-value]


def _translate_all(cls: type[Any]) -> type[Any]:
    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("_"):
            setattr(cls, name, storage_errors(member))
    return cls


def get_or_none(model: type[ModelT], pk: str, sk: str, consistent_read: bool = False) -> ModelT | None:
    try:
        return model.get(pk, sk, consistent_read=consistent_read)
    except model.DoesNotExist:
        return None


@_translate_all
class DynamoRepository(ProviderRepository, HealthProbe):
    # -- health ---------------------------------------------------------------
    def check(self) -> None:
        get_or_none(Item, HEALTH_PK, HEALTH_PK)

    # -- providers ------------------------------------------------------------
    def get_provider(self, provider_id: str) -> Provider | None:
        item = get_or_none(ProviderItem, keys.provider_pk(provider_id), keys.PROFILE, consistent_read=True)
        return None if item is None else _provider_from_item(item)

    def create_provider(self, provider: Provider) -> bool:
        try:
            _provider_to_item(provider).save(condition=ProviderItem.PK.does_not_exist())
        except PutError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def claim_slug(self, slug: str, provider_id: str) -> None:
        try:
            SlugItem(keys.slug_pk(slug), keys.SLUG, provider_id=provider_id).save(
                condition=SlugItem.PK.does_not_exist()
            )
        except PutError as error:
            if _is_condition_failure(error):
                raise ConflictError(f"The slug '{slug}' is taken.") from error
            raise

    # -- catalog --------------------------------------------------------------
    def put_service(self, service: Service) -> None:
        ServiceItem(
            keys.provider_pk(service.provider_id),
            keys.service_sk(service.id),
            service_id=service.id,
            provider_id=service.provider_id,
            name=service.name,
            description=service.description,
            duration_minutes=service.duration_minutes,
            price=str(service.price),
            currency=service.currency,
            category_id=service.category_id,
            visible=service.visible,
            buffer_before_minutes=service.buffer_before_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            created_at=service.created_at,
            updated_at=service.updated_at,
        ).save()

    def list_services(self, provider_id: str) -> list[Service]:
        items = ServiceItem.query(
            keys.provider_pk(provider_id),
            ServiceItem.SK.startswith(keys.service_sk("")),
        )
        return [_service_from_item(item) for item in items]

    def put_availability(self, provider_id: str, availability: Availability) -> None:
        ScheduleItem(
            keys.provider_pk(provider_id),
            keys.SCHEDULE,
            provider_id=provider_id,
            timezone=availability.timezone,
            weekly=[
                Interval(day=w.day, start=w.start, end=w.end)  # type: ignore[no-untyped-call]
                for w in availability.weekly
            ],
            updated_at=availability.updated_at,
        ).save()

    def get_availability(self, provider_id: str) -> Availability | None:
        item = get_or_none(ScheduleItem, keys.provider_pk(provider_id), keys.SCHEDULE)
        if item is None:
            return None
        weekly = [WeeklyInterval(day=w.day or "", start=w.start, end=w.end) for w in item.weekly]
        return Availability(timezone=item.timezone, weekly=weekly, updated_at=item.updated_at)


def _provider_to_item(p: Provider) -> ProviderItem:
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
    )


def _provider_from_item(item: ProviderItem) -> Provider:
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
    )


def _service_from_item(item: ServiceItem) -> Service:
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
