"""The public page read: the slug claim, then the profile with its catalog."""

from __future__ import annotations

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import get_or_none, translate_all
from chalicelib.adapters.dynamo.mapping import (
    category_from_item,
    provider_from_item,
    service_from_item,
)
from chalicelib.adapters.dynamo.models import CategoryItem, Item, ProviderItem, ServiceItem, SlugItem
from chalicelib.services.catalog.ports import Catalog


@translate_all
class PublicStore:
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
