"""The public scheduling page: what anyone may see of a provider, found by slug."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.ids import is_id
from chalicelib.domain.provider import SLUG_PATTERN
from chalicelib.services.catalog.ports import Catalog, CatalogRepository


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
    """Listed (public) services by category (position, then name); empty groups left out;
    uncategorised last. Unlisted services are booked through their own link only.

    A service pointing at a category that no longer exists counts as uncategorised.
    """
    ordered = sorted(categories, key=lambda c: (c.position, c.name.casefold(), c.id))
    groups = {c.id: ServiceGroup(c) for c in ordered}
    loose = ServiceGroup(None)
    for service in sorted(services, key=lambda s: (s.name.casefold(), s.id)):
        if service.listed:
            groups.get(service.category_id or "", loose).services.append(service)
    return [g for g in [*groups.values(), loose] if g.services]


def _catalog(slug: str, repo: CatalogRepository) -> Catalog:
    missing = NotFoundError("No scheduling page has this address.")
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise missing
    catalog = repo.get_catalog_by_slug(slug)
    if catalog is None:
        raise missing
    return catalog


def public_service(slug: str, service_id: str, repo: CatalogRepository) -> Service:
    """One service clients may book, listed or not (its own link); a hidden one is a 404."""
    catalog = _catalog(slug, repo)
    found = next((s for s in catalog.services if s.id == service_id), None) if is_id(service_id) else None
    if found is None or not found.visible:
        raise NotFoundError("No such service on this page.")
    return found


def public_page(slug: str, repo: CatalogRepository) -> PublicPage:
    catalog = _catalog(slug, repo)
    provider = catalog.provider
    return PublicPage(
        slug,
        provider.name,
        provider.timezone,
        group_visible(catalog.categories, catalog.services),
        challenge_required=provider.booking_challenge,
    )
