"""ProviderRepository: profiles, and slugs each claimed by one provider at a time."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import ConcurrentChangeError, ConflictError, NotFoundError, SlugTakenError
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Provider
from tests.contract.conftest import STAMP, Stores, unique

pytestmark = pytest.mark.contract


def test_a_profile_is_created_once_and_read_back(stores: Stores) -> None:
    provider = stores.provider()
    assert stores.repo.get_provider(provider.id) == provider
    again = Provider(id=provider.id, email="other@example.com", name="Other", created_at="x", updated_at="x")
    assert not stores.repo.create_provider(again), "a second create finds the first"
    assert stores.repo.get_provider(provider.id) == provider
    assert stores.repo.get_provider(new_id()) is None


def test_a_profile_update_changes_only_what_it_names(stores: Stores) -> None:
    provider = stores.provider()
    changes = {"name": "Studio Pat", "min_notice_minutes": 120, "reminder_offsets_minutes": [2880, 60]}
    updated = stores.repo.update_profile(provider, changes, "2031-02-01T00:00:00Z")
    assert (updated.name, updated.policy.min_notice_minutes) == ("Studio Pat", 120)
    assert updated.policy.reminder_offsets_minutes == [2880, 60]
    assert (updated.timezone, updated.email, updated.created_at) == (provider.timezone, provider.email, STAMP)
    assert updated.updated_at == "2031-02-01T00:00:00Z"
    assert stores.repo.get_provider(provider.id) == updated


def test_the_photo_version_is_set_replaced_and_cleared_only_from_what_was_read(stores: Stores) -> None:
    provider = stores.provider()
    assert provider.photo is None
    first, second = new_id(), new_id()
    assert stores.repo.replace_photo(provider.id, None, first, STAMP).photo == first
    with pytest.raises(ConcurrentChangeError):  # a second confirmation that read "no photo"
        stores.repo.replace_photo(provider.id, None, second, STAMP)
    replaced = stores.repo.replace_photo(provider.id, first, second, "2031-02-01T00:00:00Z")
    assert (replaced.photo, replaced.name, replaced.updated_at) == (
        second,
        provider.name,
        "2031-02-01T00:00:00Z",
    )
    assert stores.repo.get_provider(provider.id) == replaced
    with pytest.raises(ConcurrentChangeError):
        stores.repo.replace_photo(provider.id, first, None, STAMP)
    assert stores.repo.replace_photo(provider.id, second, None, STAMP).photo is None
    assert stores.repo.get_provider(provider.id).photo is None  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        stores.repo.replace_photo(new_id(), None, first, STAMP)
    with pytest.raises(ValueError, match="not profile fields"):
        stores.repo.update_profile(provider, {"photo": first}, STAMP)


def test_an_update_of_a_missing_profile_or_field_is_refused(stores: Stores) -> None:
    ghost = Provider(id=new_id(), email=None, name="Ghost")
    with pytest.raises(NotFoundError):
        stores.repo.update_profile(ghost, {"name": "Boo"}, STAMP)
    with pytest.raises(ValueError, match="not profile fields"):
        stores.repo.update_profile(stores.provider(), {"email": "new@example.com"}, STAMP)


def test_a_slug_belongs_to_one_provider_and_moving_it_releases_the_old_one(stores: Stores) -> None:
    first, second = unique("first"), unique("second")
    ana = stores.provider(slug=first)
    assert ana.slug == first and stores.repo.provider_id_for_slug(first) == ana.id
    bob = stores.provider()
    with pytest.raises(SlugTakenError):
        stores.repo.update_profile(bob, {}, STAMP, new_slug=first)
    assert stores.repo.get_provider(bob.id) == bob, "a refused claim changes nothing"

    moved = stores.repo.update_profile(ana, {"name": "Ana"}, STAMP, new_slug=second)
    assert (moved.slug, moved.name) == (second, "Ana")
    assert stores.repo.provider_id_for_slug(first) is None
    assert stores.repo.update_profile(bob, {}, STAMP, new_slug=first).slug == first, (
        "the old slug is free again"
    )


def test_a_slug_move_from_a_stale_profile_is_refused(stores: Stores) -> None:
    ana = stores.provider(slug=unique("ana"))
    stale = Provider(**{**ana.__dict__, "slug": None})
    with pytest.raises(ConflictError):
        stores.repo.update_profile(stale, {}, STAMP, new_slug=unique("late"))
    assert stores.repo.get_provider(ana.id) == ana
