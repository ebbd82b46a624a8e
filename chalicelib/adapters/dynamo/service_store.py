"""Services, and the appointment check before a delete."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.operand import Path

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import (
    count_under,
    get_or_none,
    is_condition_failure,
    set_actions,
    translate_all,
)
from chalicelib.adapters.dynamo.mapping import (
    service_from_item,
    service_to_item,
)
from chalicelib.adapters.dynamo.models import CategoryItem, Item, ProviderItem, ServiceItem
from chalicelib.adapters.dynamo.paging import prefix_range, query_page
from chalicelib.adapters.dynamo.profile_store import profile_key
from chalicelib.adapters.dynamo.table import GSI1
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES
from chalicelib.domain.catalog import MAX_SERVICES, Service
from chalicelib.domain.errors import LimitReachedError, NotFoundError, ValidationError
from chalicelib.services.shared import Changes, Page

SERVICE_FIELDS = frozenset(
    {
        "name",
        "description",
        "duration_minutes",
        "price",
        "currency",
        "category_id",
        "visible",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "updated_at",
    }
)


def _unknown_category(category_id: str) -> ValidationError:
    detail = {"field": "category_id", "code": "unknown_category", "message": "No such category."}
    return ValidationError(f"Category {category_id} does not exist.", [detail])


@translate_all
class ServiceStore:
    def add_service(self, service: Service) -> None:
        pk = keys.provider_pk(service.provider_id)
        tx = Transaction()
        if service.category_id is not None:
            tx.check(
                "category", CategoryItem, pk, keys.category_sk(service.category_id), CategoryItem.PK.exists()
            )
        tx.put("service", service_to_item(service), ServiceItem.PK.does_not_exist())
        tx.update(
            "profile",
            profile_key(service.provider_id),
            [ProviderItem.service_count.add(1)],
            count_under(ProviderItem.service_count, MAX_SERVICES),
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if "category" in error.failed:
                raise _unknown_category(str(service.category_id)) from error
            raise LimitReachedError(f"A provider can have at most {MAX_SERVICES} services.") from error

    def get_service(self, provider_id: str, service_id: str) -> Service | None:
        pk, sk = keys.provider_pk(provider_id), keys.service_sk(service_id)
        item = get_or_none(ServiceItem, pk, sk, consistent_read=True)
        return None if item is None else service_from_item(item)

    def list_services(self, provider_id: str, limit: int, cursor: str | None) -> Page[Service]:
        low, high = prefix_range(keys.SERVICE_PREFIX)
        pk = keys.provider_pk(provider_id)
        return query_page(ServiceItem, pk, low, high, limit, cursor, service_from_item)

    def update_service(self, provider_id: str, service_id: str, changes: Changes) -> Service:
        pk = keys.provider_pk(provider_id)
        item = ServiceItem(pk, keys.service_sk(service_id))
        actions = set_actions(ServiceItem, changes, SERVICE_FIELDS)
        category_id = changes.get("category_id")
        if category_id is None:
            try:
                item.update(actions, condition=ServiceItem.PK.exists())
            except UpdateError as error:
                if is_condition_failure(error):
                    raise NotFoundError("No such service.") from error
                raise
            return service_from_item(item)
        tx = Transaction()
        tx.check("category", CategoryItem, pk, keys.category_sk(category_id), CategoryItem.PK.exists())
        tx.update("service", item, actions, ServiceItem.PK.exists())
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if "service" in error.failed:
                raise NotFoundError("No such service.") from error
            raise _unknown_category(category_id) from error
        updated = self.get_service(provider_id, service_id)
        if updated is None:
            raise NotFoundError("No such service.")
        return updated

    def delete_service(self, provider_id: str, service_id: str) -> None:
        tx = Transaction()
        tx.delete(
            "service",
            ServiceItem(keys.provider_pk(provider_id), keys.service_sk(service_id)),
            ServiceItem.PK.exists(),
        )
        tx.update(
            "profile",
            profile_key(provider_id),
            [ProviderItem.service_count.add(-1)],
            ProviderItem.PK.exists(),
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:
            raise NotFoundError("No such service.") from error

    def has_future_appointments(self, provider_id: str, service_id: str, now: datetime) -> bool:
        """Any pending or confirmed appointment of this service starting at or after ``now``.

        Reads the provider's calendar index (GSI1) from ``now`` on, keys only, page by page,
        and stops at the first match. The index is eventually consistent: an appointment booked
        in the last instant may be missed, which the booking's own checks must cover.
        """
        start = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        wanted = (Path("service_id") == service_id) & Path("status").is_in(*ACTIVE_STATUSES)
        table = Item._get_connection()
        last_key = None
        while True:
            page = table.query(
                keys.calendar_gsi1pk(provider_id),
                range_key_condition=Path("GSI1SK") >= keys.calendar_from(start),
                filter_condition=wanted,
                index_name=GSI1,
                attributes_to_get=["PK", "SK"],
                exclusive_start_key=last_key,
            )
            if page.get("Items"):
                return True
            last_key = page.get("LastEvaluatedKey")
            if not last_key:
                return False
