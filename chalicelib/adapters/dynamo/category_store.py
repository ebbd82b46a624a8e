"""Categories; deleting one leaves its services uncategorised."""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import (
    count_under,
    get_or_none,
    is_condition_failure,
    set_actions,
    translate_all,
)
from chalicelib.adapters.dynamo.mapping import (
    category_from_item,
    category_to_item,
)
from chalicelib.adapters.dynamo.models import CategoryItem, ProviderItem, ServiceItem
from chalicelib.adapters.dynamo.paging import prefix_range, query_page
from chalicelib.adapters.dynamo.profile_store import profile_key
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.catalog import MAX_CATEGORIES, Category
from chalicelib.domain.errors import LimitReachedError, NotFoundError
from chalicelib.services.shared import Changes, Page

CATEGORY_FIELDS = frozenset({"name", "position", "updated_at"})


@translate_all
class CategoryStore:
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
        item = get_or_none(CategoryItem, pk, sk, consistent_read=True)
        return None if item is None else category_from_item(item)

    def list_categories(self, provider_id: str, limit: int, cursor: str | None) -> Page[Category]:
        low, high = prefix_range(keys.CATEGORY_PREFIX)
        pk = keys.provider_pk(provider_id)
        return query_page(CategoryItem, pk, low, high, limit, cursor, category_from_item)

    def update_category(self, provider_id: str, category_id: str, changes: Changes) -> Category:
        item = CategoryItem(keys.provider_pk(provider_id), keys.category_sk(category_id))
        actions = set_actions(CategoryItem, changes, CATEGORY_FIELDS)
        try:
            item.update(actions, condition=CategoryItem.PK.exists())
        except UpdateError as error:
            if is_condition_failure(error):
                raise NotFoundError("No such category.") from error
            raise
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
