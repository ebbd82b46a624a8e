"""Provider profiles and slug claims."""

from __future__ import annotations

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.base import is_condition_failure, read_as, translate_all, update_existing
from chalicelib.adapters.dynamo.profile_items import (
    ProviderItem,
    SlugItem,
    profile_key,
    provider_from_item,
    provider_to_item,
    slug_to_item,
)
from chalicelib.adapters.dynamo.tx import Transaction, TransactionCancelledError
from chalicelib.domain.errors import ConcurrentChangeError, ConflictError, NotFoundError, SlugTakenError
from chalicelib.domain.provider import PROFILE_CHANGES, Provider
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.shared import Changes


@translate_all
class DynamoProviders(ProviderRepository):
    def get_provider(self, provider_id: str) -> Provider | None:
        return read_as(ProviderItem, keys.provider_pk(provider_id), keys.PROFILE, provider_from_item)

    def create_provider(self, provider: Provider) -> bool:
        try:
            provider_to_item(provider).save(condition=ProviderItem.PK.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def update_profile(
        self, provider: Provider, changes: Changes, now: str, new_slug: str | None = None
    ) -> Provider:
        unknown = set(changes) - PROFILE_CHANGES
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        actions = [getattr(ProviderItem, name).set(value) for name, value in changes.items()]
        actions.append(ProviderItem.updated_at.set(now))
        item = profile_key(provider.id)
        if new_slug is None or new_slug == provider.slug:
            update_existing(item, actions, "The provider profile does not exist.")
            return provider_from_item(item)
        self._move_slug(provider, item, actions, new_slug)
        moved = self.get_provider(provider.id)
        if moved is None:
            raise NotFoundError("The provider profile does not exist.")
        return moved

    def replace_photo(self, provider_id: str, old: str | None, new: str | None, now: str) -> Provider:
        item = profile_key(provider_id)
        seen = ProviderItem.photo == old if old else ProviderItem.photo.does_not_exist()
        action = ProviderItem.photo.remove() if new is None else ProviderItem.photo.set(new)
        try:
            item.update([action, ProviderItem.updated_at.set(now)], condition=ProviderItem.PK.exists() & seen)
        except UpdateError as error:
            if not is_condition_failure(error):
                raise
            if self.get_provider(provider_id) is None:
                raise NotFoundError("The provider profile does not exist.") from error
            raise ConcurrentChangeError("The photo changed meanwhile; read the profile again.") from error
        return provider_from_item(item)

    def _move_slug(self, provider: Provider, item: ProviderItem, actions: list[Action], slug: str) -> None:
        """Claim the new slug, update the profile, release the old slug: all or nothing."""
        old = provider.slug
        unchanged = ProviderItem.slug == old if old else ProviderItem.slug.does_not_exist()
        tx = Transaction()
        tx.put(
            "claim",
            slug_to_item(slug, provider.id),
            SlugItem.PK.does_not_exist(),
        )
        tx.update(
            "profile", item, [*actions, ProviderItem.slug.set(slug)], ProviderItem.PK.exists() & unchanged
        )
        if old:
            tx.delete("release", SlugItem(keys.slug_pk(old), keys.SLUG), SlugItem.provider_id == provider.id)
        try:
            tx.commit()
        except TransactionCancelledError as error:
            if "claim" in error.failed:
                raise SlugTakenError(f"The slug '{slug}' is taken.") from error
            raise ConflictError("The profile changed while saving; read it again and retry.") from error
