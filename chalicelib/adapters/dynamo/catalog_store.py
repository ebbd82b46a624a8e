"""The catalog: categories, services, and the public page read (slug claim, then the profile
with its catalog). Deleting a category leaves its services uncategorised; a service is checked
for future appointments before a delete."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.operand import Path

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import (
    get_or_none,
    is_condition_failure,
    read_as,
    set_actions,
    translate_all,
    update_existing,
)
from chalicelib.adapters.dynamo.models import Item
from chalicelib.adapters.dynamo.paging import prefix_page, prefix_range
from chalicelib.adapters.dynamo.profile_items import (
    CategoryItem,
    ProviderItem,
    ServiceItem,
    SlugItem,
    category_from_item,
    category_to_item,
    profile_key,
    provider_from_item,
    service_changes,
    service_from_item,
    service_to_item,
    weekly_to_items,
)
from chalicelib.adapters.dynamo.table import GSI1
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, iso_z
from chalicelib.domain.catalog import (
    CATEGORY_CHANGES,
    MAX_CATEGORIES,
    MAX_SERVICES,
    SERVICE_CHANGES,
    Category,
    Service,
    WeeklyInterval,
)
from chalicelib.domain.errors import LimitReachedError, NotFoundError, ValidationError
from chalicelib.services.catalog.ports import Catalog, CatalogRepository
from chalicelib.services.shared import Changes, Page


def count_under(attribute: NumberAttribute, cap: int) -> Condition:
    """The profile exists and the counter is below ``cap`` (absent counts as zero)."""
    condition: Condition = ProviderItem.PK.exists() & ((attribute < cap) | attribute.does_not_exist())
    return condition


def _unknown_category(category_id: str) -> ValidationError:
    detail = {"field": "category_id", "code": "unknown_category", "message": "No such category."}
    return ValidationError(f"Category {category_id} does not exist.", [detail])


@translate_all
class DynamoCatalog(CatalogRepository):
    def add_category(self, category: Category) -> None:
        tx = Transaction()
        tx.put("category", category_to_item(category), CategoryItem.PK.does_not_exist())
        tx.update(
            "profile",
            profile_key(category.provider_id),
            [ProviderItem.category_count.add(1)],
            count_under(ProviderItem.category_count, MAX_CATEGORIES),
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:
            raise LimitReachedError(f"A provider can have at most {MAX_CATEGORIES} categories.") from error

    def get_category(self, provider_id: str, category_id: str) -> Category | None:
        pk, sk = keys.provider_pk(provider_id), keys.category_sk(category_id)
        return read_as(CategoryItem, pk, sk, category_from_item)

    def list_categories(self, provider_id: str, limit: int, cursor: str | None) -> Page[Category]:
        pk = keys.provider_pk(provider_id)
        return prefix_page(CategoryItem, pk, keys.CATEGORY_PREFIX, limit, cursor, category_from_item)

    def update_category(self, provider_id: str, category_id: str, changes: Changes) -> Category:
        item = CategoryItem(keys.provider_pk(provider_id), keys.category_sk(category_id))
        actions = set_actions(CategoryItem, changes, CATEGORY_CHANGES)
        update_existing(item, actions, "No such category.")
        return category_from_item(item)

    def delete_category(self, provider_id: str, category_id: str) -> None:
        pk = keys.provider_pk(provider_id)
        tx = Transaction()
        tx.delete("category", CategoryItem(pk, keys.category_sk(category_id)), CategoryItem.PK.exists())
        tx.update(
            "profile",
            profile_key(provider_id),
            [ProviderItem.category_count.add(-1)],
            ProviderItem.PK.exists(),
        )
        try:
            tx.commit()
        except TransactionCancelledError as error:
            raise NotFoundError("No such category.") from error
        # After the delete, no new service can reference it (their write checks it exists), so
        # this strongly consistent read sees every service still pointing at it.
        low, high = prefix_range(keys.SERVICE_PREFIX)
        pointing = ServiceItem.query(
            pk,
            ServiceItem.SK.between(low, high),
            filter_condition=ServiceItem.category_id == category_id,
            consistent_read=True,
        )
        for service in pointing:
            try:
                service.update(
                    [ServiceItem.category_id.remove()], condition=ServiceItem.category_id == category_id
                )
            except UpdateError as error:  # moved to another category meanwhile: leave it there
                if not is_condition_failure(error):
                    raise

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
        return read_as(ServiceItem, pk, sk, service_from_item)

    def list_services(self, provider_id: str, limit: int, cursor: str | None) -> Page[Service]:
        pk = keys.provider_pk(provider_id)
        return prefix_page(ServiceItem, pk, keys.SERVICE_PREFIX, limit, cursor, service_from_item)

    def update_service(self, provider_id: str, service_id: str, changes: Changes) -> Service:
        pk = keys.provider_pk(provider_id)
        item = ServiceItem(pk, keys.service_sk(service_id))
        actions = set_actions(ServiceItem, service_changes(changes), SERVICE_CHANGES)
        category_id = changes.get("category_id")
        if category_id is None:
            update_existing(item, actions, "No such service.")
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

    def set_service_hours(
        self, provider_id: str, service_id: str, weekly: list[WeeklyInterval] | None, now: str
    ) -> Service:
        item = ServiceItem(keys.provider_pk(provider_id), keys.service_sk(service_id))
        hours = (
            ServiceItem.hours.remove() if weekly is None else ServiceItem.hours.set(weekly_to_items(weekly))
        )
        update_existing(item, [hours, ServiceItem.updated_at.set(now)], "No such service.")
        return service_from_item(item)

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
        start = iso_z(now)
        wanted = (Path("service_id") == service_id) & Path("status").is_in(*ACTIVE_STATUSES)
        table = Item._get_connection()
        last_key = None
        while True:
            page = table.query(
                keys.calendar_gsi1pk(provider_id),
                range_key_condition=Path("GSI1SK") >= start,
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

    def get_catalog_by_slug(self, slug: str) -> Catalog | None:
        """Two requests: GetItem on the slug claim, one Query on ``begins_with(SK, "PROFILE")``."""
        claim = get_or_none(SlugItem, keys.slug_pk(slug), keys.SLUG)
        if claim is None:
            return None
        catalog: Catalog | None = None
        categories, services = [], []
        for item in Item.query(keys.provider_pk(claim.provider_id), Item.SK.startswith(keys.CATALOG_PREFIX)):
            if isinstance(item, ProviderItem):
                catalog = Catalog(provider_from_item(item))
            elif isinstance(item, CategoryItem):
                categories.append(category_from_item(item))
            elif isinstance(item, ServiceItem):
                services.append(service_from_item(item))
        if catalog is None or catalog.provider.slug != slug:
            return None
        catalog.categories, catalog.services = categories, services
        return catalog
