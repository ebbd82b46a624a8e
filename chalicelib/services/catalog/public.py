"""The public scheduling page: what anyone may see of a provider, found by slug."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.domain.brand import DEFAULT_LANGUAGE
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
    # Brand (domain/brand.py): the provider's default language and how the page presents them.
    language: str = DEFAULT_LANGUAGE
    headline: str = ""
    about: str = ""
    accent_color: str | None = None
    challenge_required: bool = False  # bookings need a solved proof-of-work challenge
    service: Service | None = None  # the one service asked for, if clients may book it (listed or not)
    # The cancellation policy the page states before booking.
    cancellation_notice_minutes: int = 0
    change_grace_minutes: int = 0


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


def _bookable(catalog: Catalog, service_id: str | None) -> Service | None:
    """The catalog's service of that id if clients may book it (public or unlisted), else None."""
    if service_id is None or not is_id(service_id):
        return None
    found = next((s for s in catalog.services if s.id == service_id), None)
    return found if found is not None and found.visible else None


def public_service(slug: str, service_id: str, repo: CatalogRepository) -> Service:
    """One service clients may book, listed or not (its own link); a hidden one is a 404."""
    found = _bookable(_catalog(slug, repo), service_id)
    if found is None:
        raise NotFoundError("No such service on this page.")
    return found


def public_page(slug: str, repo: CatalogRepository, service_id: str | None = None) -> PublicPage:
    """The page; with ``service_id``, that service too, unlisted or not (None when not bookable),
    so a page opened on a service's link reads both in one go."""
    catalog = _catalog(slug, repo)
    provider = catalog.provider
    return PublicPage(
        slug,
        provider.name,
        provider.timezone,
        group_visible(catalog.categories, catalog.services),
        challenge_required=provider.booking_challenge,
        language=provider.language,
        headline=provider.headline,
        about=provider.about,
        accent_color=provider.accent_color,
        service=_bookable(catalog, service_id),
        cancellation_notice_minutes=provider.policy.cancellation_notice_minutes,
        change_grace_minutes=provider.policy.change_grace_minutes,
    )


def embed_origins(slug: str, repo: CatalogRepository) -> list[str]:
    """The origins whose pages may frame this booking page; none for an address with no page."""
    catalog = repo.get_catalog_by_slug(slug) if re.fullmatch(SLUG_PATTERN, slug) else None
    return [] if catalog is None else list(catalog.provider.embed_origins)
