"""SignInLinks and ProviderEraser: a sign-in's link, the one claim of an imported provider, and a
provider's data erased without an active appointment going uncancelled."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.booking.appointments import CANCELLED
from chalicelib.domain.ids import new_id
from chalicelib.services.accounts.ports import ImportedAccount
from chalicelib.services.notifications.ports import Party
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book, unique

pytestmark = pytest.mark.contract


def subject() -> str:
    return str(uuid.uuid4().int)[:21]  # 21 digits, as Google's


def test_a_sign_in_links_to_its_own_provider_once(stores: Stores) -> None:
    own = new_id()
    assert stores.links.linked_provider(own) is None
    assert stores.links.link_own(own, STAMP)
    assert not stores.links.link_own(own, STAMP), "the second finds the first"
    assert stores.links.linked_provider(own) == own


def test_an_imported_google_account_is_claimed_by_one_sign_in_only(stores: Stores) -> None:
    google = subject()
    provider = stores.imported(google)
    first, second = new_id(), new_id()
    assert stores.links.imported_for(google) == ImportedAccount(provider.id, None)

    assert stores.links.claim(first, google, provider.id, STAMP)

    assert stores.links.imported_for(google) == ImportedAccount(provider.id, first)
    assert stores.links.linked_provider(first) == provider.id
    assert not stores.links.claim(second, google, provider.id, STAMP), "claimed already"
    assert stores.links.linked_provider(second) is None, "nothing of the refused claim was written"
    assert not stores.links.claim(first, google, provider.id, STAMP)
    assert stores.links.imported_for(subject()) is None


def test_a_claim_is_refused_whole_when_the_sign_in_is_linked_or_the_import_says_otherwise(
    stores: Stores,
) -> None:
    google = subject()
    provider = stores.imported(google)
    linked = new_id()
    assert stores.links.link_own(linked, STAMP)
    assert not stores.links.claim(linked, google, provider.id, STAMP)
    assert stores.links.imported_for(google) == ImportedAccount(provider.id, None), "still unclaimed"
    assert stores.links.linked_provider(linked) == linked

    stranger = new_id()
    assert not stores.links.claim(stranger, google, new_id(), STAMP), "not the provider the import made"
    assert stores.links.linked_provider(stranger) is None


def test_erasing_hands_back_active_future_appointments_and_takes_everything_else(stores: Stores) -> None:
    provider = stores.provider(slug=unique("erase"))
    client = stores.client(provider)
    service = stores.service(provider)
    stores.category(provider)
    future = book(stores, appointment(provider, client, service_id=service.id), client)
    long_ago = MONDAY - timedelta(days=900)
    past = book(stores, appointment(provider, client, long_ago, service_id=service.id), client)
    now = MONDAY - timedelta(days=30)

    first = stores.eraser.erase_items(provider.id, 100, now)
    assert [a.id for a in first.active] == [future.id]  # never erased while active
    assert stores.eraser.erase_items(provider.id, 100, now).erased == 0, "nothing else while it is"
    assert stores.repo.get_appointment(provider.id, past.id) is None
    assert stores.repo.get_booking_ref(past.id) is None
    assert stores.repo.get_client(provider.id, client.id) is not None

    # Cancelled (its busy time is still there to free), then everything goes, a page at a time.
    stores.repo.save_change(future, future.with_status(CANCELLED, now, "closing"))
    rounds = 0
    while stores.eraser.erase_items(provider.id, 3, now).erased:
        rounds += 1
        assert rounds < 100
    assert stores.repo.get_appointment(provider.id, future.id) is None
    assert stores.repo.get_client(provider.id, client.id) is None
    assert stores.repo.get_service(provider.id, service.id) is None
    assert stores.repo.list_categories(provider.id, 10, None).items == []
    assert stores.repo.get_provider(provider.id) is not None, "the profile goes last"


def test_a_released_slug_is_free_and_the_profile_goes_with_the_imports_records(stores: Stores) -> None:
    google, slug = subject(), unique("slug")
    provider = stores.imported(google)
    provider = stores.repo.update_profile(provider, {}, STAMP, new_slug=slug)
    own = new_id()
    assert stores.links.claim(own, google, provider.id, STAMP)

    stores.eraser.release_slug(provider)
    stores.eraser.release_slug(provider)  # again, as a retry would: nothing more to do

    assert stores.repo.get_catalog_by_slug(slug) is None
    assert stores.repo.get_provider(provider.id).slug is None  # type: ignore[union-attr]
    other = stores.provider(slug=slug)
    assert other.slug == slug
    stores.eraser.erase_profile(provider.id, own)
    stores.eraser.erase_profile(provider.id, own)
    assert stores.repo.get_provider(provider.id) is None
    assert stores.links.linked_provider(own) is None
    assert stores.links.imported_for(google) is None


def test_a_kept_notice_context_stands_in_for_an_erased_provider(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    kept = book(stores, appointment(provider, client), client)
    bare = book(stores, appointment(provider, client, MONDAY + timedelta(days=1)), client)
    parties = (Party("Pat", "pat@example.com", "Europe/Lisbon"), Party("Casey", client.email, "Europe/Paris"))
    stores.eraser.keep_notice_context(kept, *parties, MONDAY)
    stores.eraser.erase_profile(provider.id, new_id())

    context = stores.notices.context(kept)
    assert context is not None
    assert (context.provider, context.client) == parties
    assert (context.reminder_offsets, context.sealed_token) == ([], None)
    assert stores.notices.context(bare) is None


def test_erasing_takes_the_providers_calendars_their_busy_days_and_the_feed(stores: Stores) -> None:
    from chalicelib.adapters.dynamo.feed_store import DynamoFeedTokens
    from chalicelib.adapters.memory.feeds import MemoryFeedTokens
    from chalicelib.domain.calendars import Calendar
    from chalicelib.services.calendars.ports import FeedTokens, StoredFeed

    provider = stores.provider(slug=unique("cals"))
    calendar = Calendar(
        new_id(),
        provider.id,
        "caldav",
        "https://dav.example.com/",
        STAMP,
        write=True,
        url="https://dav.example.com/cal/",
        username="pat",
        sealed_password="sealed",
    )
    stores.repo.add_calendar(calendar)
    day = MONDAY.date().isoformat()
    stores.repo.replace_busy(provider.id, calendar.id, {day: [(600, 660)]}, [day])
    feeds: FeedTokens = MemoryFeedTokens(stores.table) if stores.table is not None else DynamoFeedTokens()
    feed = StoredFeed(provider.id, uuid.uuid4().hex, "sealed-token", STAMP)
    assert feeds.create(feed)

    rounds = 0
    while stores.eraser.erase_items(provider.id, 2, MONDAY).erased:
        rounds += 1
        assert rounds < 100
    assert stores.repo.calendars(provider.id) == []
    assert stores.repo.calendar_busy_days(provider.id, day, day) == {}
    assert feeds.feed_of(provider.id) is None
    assert feeds.provider_for(feed.token_hash) is None, "the old feed URL opens nothing"
