"""The account use cases on the in-memory stores: links and their cache, the export, the erasure."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from chalicelib.adapters.memory.accounts import MemoryProviderEraser, MemorySignInLinks
from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.domain.booking.appointments import CANCELLED, Appointment
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity
from chalicelib.services.accounts.erase import EraseSources, erase_me
from chalicelib.services.accounts.export import ExportSources, export_page
from chalicelib.services.accounts.linking import LinkCache, Linking
from chalicelib.services.catalog.providers import update_me
from chalicelib.services.shared import Page
from tests.services.conftest import MONDAY_10, World

pytestmark = pytest.mark.unit
GOOGLE = "108204892240000000001"


class CountingLinks(MemorySignInLinks):
    reads = 0

    def linked_provider(self, own_id: str) -> str | None:
        self.reads += 1
        return super().linked_provider(own_id)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_link_is_read_once_a_minute_per_container_and_forgotten_on_request(world: World) -> None:
    links, ticks = CountingLinks(world.table), Ticks()
    linking = Linking(links, world.clock, LinkCache(seconds=60, monotonic=ticks))
    who = world.identity()
    assert linking.resolve(who) == who  # first call: linked to its own provider
    reads = links.reads
    linking.resolve(who)
    assert links.reads == reads, "cached"
    ticks.now = 61
    linking.resolve(who)
    assert links.reads == reads + 1, "read again after a minute"
    linking.forget(who)
    linking.resolve(who)
    assert links.reads == reads + 2


def test_the_cache_keeps_the_latest_links_only() -> None:
    cache = LinkCache(size=2)
    for own in ("a", "b", "c"):
        cache.put(own, own.upper())
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, "B", "C")


def test_a_google_sign_in_reaches_its_import_and_an_access_token_writes_no_link(world: World) -> None:
    imported = world.repo.get_provider(world.provider("Old")[1].id)
    assert imported is not None
    world.table.google[GOOGLE] = imported.id
    linking = Linking(MemorySignInLinks(world.table), world.clock)
    person = dataclasses.replace(world.identity(), google_subjects=(GOOGLE,))

    access = dataclasses.replace(person, token_use="access", google_subjects=())
    assert linking.resolve(access).provider_id == access.own_provider_id
    assert world.table.sign_ins == {}, "an access token links nothing"
    resolved = linking.resolve(person)
    assert (resolved.provider_id, resolved.linked_provider_id) == (imported.id, imported.id)
    assert linking.resolve(access).provider_id == imported.id, "then its access tokens follow"
    other = dataclasses.replace(world.identity(), google_subjects=(GOOGLE,))
    assert linking.resolve(other).provider_id == other.own_provider_id, "claimed already"


def test_the_export_comes_section_by_section_a_record_a_page(world: World) -> None:
    who, provider, service = world.provider()
    world.book(provider, service)
    sources = ExportSources(world.repo, world.repo, world.repo)
    pages, cursor = [], None
    while True:
        page = export_page(who, cursor, 1, sources, world.clock)
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    filled = [next(s for s in ("services", "clients", "appointments") if getattr(p, s)) for p in pages[:3]]
    assert filled == ["services", "clients", "appointments"]
    assert [p.first for p in pages] == [True] + [False] * (len(pages) - 1)
    assert pages[0].availability is not None and pages[0].availability.timezone == "Europe/Lisbon"


class Lagging(MemoryRepository):
    """An index that has not caught up: the listing misses the newest bookings."""

    def list_appointments(
        self,
        provider_id: str,
        start_from: datetime,
        start_to: datetime,
        status: str | None,
        client_id: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Appointment]:
        return Page([], None)


def test_an_erasure_cut_short_resumes_and_every_client_hears_even_of_a_booking_the_list_missed(
    world: World,
) -> None:
    who, provider, service = world.provider()
    provider = update_me(who, {"slug": "closing-soon"}, world.repo, world.clock)
    listed = world.book(provider, service, email="listed@example.com")
    world.drain()
    world.mailer.sent.clear()
    ticks = Ticks()
    eraser = MemoryProviderEraser(world.table)
    sources = EraseSources(world.repo, world.repo, world.repo, eraser)

    stopped = erase_me(who, "", sources, world.clock, budget_seconds=0, monotonic=ticks)
    assert not stopped.done
    assert "closing-soon" not in world.table.slugs, "the page went first"
    missed = world.book(provider, service, MONDAY_10.replace(hour=14), email="missed@example.com")
    lagging = EraseSources(world.repo, Lagging(world.table), world.repo, eraser)

    done = erase_me(who, "Closing", lagging, world.clock)

    assert done.done and done.cancelled == 2
    assert world.repo.get_provider(provider.id) is None
    assert not any(key[0] == provider.id for key in world.table.appointments)
    world.drain()  # the consumer, after the provider is gone
    told = {m.to for m in world.mailer.sent if "cancel" in m.subject.lower()}
    assert {"listed@example.com", "missed@example.com"} <= told
    assert {listed.appointment.id, missed.appointment.id} <= set(world.table.notice_contexts)


def test_erasing_a_provider_without_a_profile_only_clears_its_link(world: World) -> None:
    who = world.identity()
    links = MemorySignInLinks(world.table)
    assert links.link_own(who.own_provider_id, "now")
    sources = EraseSources(world.repo, world.repo, world.repo, MemoryProviderEraser(world.table))
    assert erase_me(who, "", sources, world.clock).done
    assert world.table.sign_ins == {}


def test_a_linked_sign_in_never_makes_a_profile_from_its_token(world: World) -> None:
    from chalicelib.domain.errors import NotFoundError
    from chalicelib.services.catalog.providers import get_or_create_me

    linked = Identity(new_id().lower(), "a@example.com", "A", "id", linked_provider_id=new_id())
    with pytest.raises(NotFoundError):
        get_or_create_me(linked, world.repo, world.clock)
    assert world.table.providers == {}


def test_cancelled_appointments_are_not_cancelled_again(world: World) -> None:
    who, provider, service = world.provider()
    booked = world.book(provider, service)
    world.repo.save_change(booked.appointment, booked.appointment.with_status(CANCELLED, datetime.now(), ""))
    sources = EraseSources(world.repo, world.repo, world.repo, MemoryProviderEraser(world.table))
    assert erase_me(who, "", sources, world.clock).cancelled == 0


def test_a_sign_in_the_sign_up_policy_leaves_out_still_claims_its_import_but_links_nothing_else(
    world: World,
) -> None:
    imported = world.provider("Old")[1]
    world.table.google[GOOGLE] = imported.id
    linking = Linking(MemorySignInLinks(world.table), world.clock)
    outsider = dataclasses.replace(world.identity(), may_sign_up=False)
    assert linking.resolve(outsider) == outsider
    assert world.table.sign_ins == {}, "no provider of its own to link"
    old_user = dataclasses.replace(world.identity(), may_sign_up=False, google_subjects=(GOOGLE,))
    assert linking.resolve(old_user).provider_id == imported.id, "the import was made for this user"
