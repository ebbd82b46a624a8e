"""Use cases for a provider's categories and services. Ids of others are simply not found."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chalicelib.domain.catalog import (
    Category,
    Service,
    location_problems,
    question_problems,
    visibility_changes,
)
from chalicelib.domain.errors import NotFoundError, ServiceInUseError, ValidationError
from chalicelib.domain.ids import is_id
from chalicelib.domain.money import normalize_price
from chalicelib.domain.provider import Identity
from chalicelib.services.catalog.ports import CatalogStore
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import Changes, Clock, IdGenerator, Page


def _require_id(value: str, what: str) -> str:
    if not is_id(value):
        raise NotFoundError(f"No such {what}.")
    return value


def _prices_normalized(fields: dict[str, Any]) -> dict[str, Any]:
    if isinstance(fields.get("price"), Decimal):
        fields["price"] = normalize_price(fields["price"])
    return fields


def _service_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A service's fields checked (location, questions) and made consistent (price, visibility)."""
    problems = location_problems(fields.get("location")) + question_problems(fields.get("questions") or [])
    if problems:
        raise ValidationError("The service is not valid.", problems)
    return visibility_changes(_prices_normalized(dict(fields)))


# -- categories ---------------------------------------------------------------
def create_category(
    identity: Identity, fields: dict[str, Any], repo: CatalogStore, clock: Clock, ids: IdGenerator
) -> Category:
    get_or_create_me(identity, repo, clock)  # the profile holds the category counter
    now = clock.stamp()
    category = Category(ids.new_id(), identity.provider_id, created_at=now, updated_at=now, **fields)
    repo.add_category(category)
    return category


def get_category(provider_id: str, category_id: str, repo: CatalogStore) -> Category:
    found = repo.get_category(provider_id, _require_id(category_id, "category"))
    if found is None:
        raise NotFoundError("No such category.")
    return found


def list_categories(provider_id: str, limit: int, cursor: str | None, repo: CatalogStore) -> Page[Category]:
    return repo.list_categories(provider_id, limit, cursor)


def update_category(
    provider_id: str, category_id: str, changes: Changes, repo: CatalogStore, clock: Clock
) -> Category:
    _require_id(category_id, "category")
    return repo.update_category(provider_id, category_id, {**changes, "updated_at": clock.stamp()})


def delete_category(provider_id: str, category_id: str, repo: CatalogStore) -> None:
    repo.delete_category(provider_id, _require_id(category_id, "category"))


# -- services -----------------------------------------------------------------
def create_service(
    identity: Identity, fields: dict[str, Any], repo: CatalogStore, clock: Clock, ids: IdGenerator
) -> Service:
    get_or_create_me(identity, repo, clock)  # the profile holds the service counter
    now = clock.stamp()
    service = Service(
        ids.new_id(), identity.provider_id, created_at=now, updated_at=now, **_service_fields(fields)
    )
    repo.add_service(service)
    return service


def get_service(provider_id: str, service_id: str, repo: CatalogStore) -> Service:
    found = repo.get_service(provider_id, _require_id(service_id, "service"))
    if found is None:
        raise NotFoundError("No such service.")
    return found


def list_services(provider_id: str, limit: int, cursor: str | None, repo: CatalogStore) -> Page[Service]:
    return repo.list_services(provider_id, limit, cursor)


def update_service(
    provider_id: str, service_id: str, changes: Changes, repo: CatalogStore, clock: Clock
) -> Service:
    _require_id(service_id, "service")
    fields = {**_service_fields(dict(changes)), "updated_at": clock.stamp()}
    return repo.update_service(provider_id, service_id, fields)


def delete_service(provider_id: str, service_id: str, repo: CatalogStore, clock: Clock) -> None:
    """Refused (409) while future appointments use it: hide it (visibility hidden) instead."""
    _require_id(service_id, "service")
    if repo.get_service(provider_id, service_id) is None:
        raise NotFoundError("No such service.")
    if repo.has_future_appointments(provider_id, service_id, clock.now()):
        raise ServiceInUseError(
            "This service has upcoming appointments. Hide it (visibility: hidden) so nobody books it, "
            "and delete it once those appointments are past or cancelled."
        )
    repo.delete_service(provider_id, service_id)
