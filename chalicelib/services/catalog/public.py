"""The public scheduling page: what anyone may see of a provider, found by slug."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.provider import SLUG_PATTERN
from chalicelib.services.catalog.ports import CatalogRepository


@dataclass
class ServiceGroup:
    category: Category | None  # None: the services without a category
    services: list[Service] = field(default_factory=list)


@dataclass
class PublicPage:
    slug: str
    name: str
    timezone: str
    groups: list[ServiceGroup]
    challenge_required: bool = False  # bookings need a solved proof-of-work challenge


def group_visible(categories: list[Category], services: list[Service]) -> list[ServiceGroup]:
    """Visible services by category (position, then name); empty groups left out; uncategorised last.

    A service pointing at a category that no longer exists counts as uncategorised.
    """
    ordered = sorted(categories, key=lambda c: (c.position, c.name.casefold(), c.id))
    groups = {c.id: ServiceGroup(c) for c in ordered}
    loose = ServiceGroup(None)
    for service in sorted(services, key=lambda s: (s.name.casefold(), s.id)):
        if service.visible:
            groups.get(service.category_id or "", loose).services.append(service)
    return [g for g in [*groups.values(), loose] if g.services]


def public_page(slug: str, repo: CatalogRepository) -> PublicPage:
    missing = NotFoundError("No scheduling page has this address.")
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise missing
    catalog = repo.get_catalog_by_slug(slug)
    if catalog is None:
        raise missing
    provider = catalog.provider
    return PublicPage(
        slug,
        provider.name,
        provider.timezone,
        group_visible(catalog.categories, catalog.services),
        challenge_required=provider.booking_challenge,
    )
