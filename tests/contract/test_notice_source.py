"""NoticeSource: what notices read besides the change: the appointment, the people, the link."""

from __future__ import annotations

import pytest

from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.ids import new_id
from chalicelib.domain.notifications.policy import ChangePolicy
from chalicelib.services.notifications.ports import NoticeContext, Party
from tests.contract.conftest import MONDAY, STAMP, Stores, appointment, book, new_client

pytestmark = pytest.mark.contract


def test_an_appointment_is_read_as_stored(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client), client)
    assert stores.notices.appointment(provider.id, booked.id) == booked
    assert stores.notices.appointment(stores.provider().id, booked.id) is None
    assert stores.notices.appointment(provider.id, new_id()) is None


def test_the_context_names_provider_and_client_with_the_sealed_link(stores: Stores) -> None:
    provider = stores.repo.update_profile(stores.provider(), {"reminder_offsets_minutes": [2880, 60]}, STAMP)
    client = new_client(provider, email="robin@example.com")
    booked = book(stores, appointment(provider, client), client, is_new=True)
    assert stores.notices.context(booked) == NoticeContext(
        provider=Party("Pat", "pat@example.com", "Europe/Lisbon"),
        client=Party(client.name, "robin@example.com", client.timezone),
        reminder_offsets=[2880, 60],
        sealed_token=f"sealed-{booked.id}",
        change_policy=ChangePolicy(notice_minutes=1440, grace_minutes=10),
    )
    stores.notices.keep_link(booked.moved_to(booked.start, STAMP))


def test_an_erased_client_is_named_as_erased_and_has_no_address(stores: Stores) -> None:
    provider = stores.provider()
    client = stores.client(provider)
    booked = book(stores, appointment(provider, client), client)
    stores.repo.erase_client(client, STAMP)
    context = stores.notices.context(booked)
    assert context is not None and context.client == Party(ERASED_NAME, None, "", erased=True)
    stranger = appointment(provider, new_client(provider))
    missing = stores.notices.context(stranger)
    assert missing is not None and (missing.client, missing.sealed_token) == (
        Party(ERASED_NAME, None, "", erased=True),
        None,
    )
    stores.notices.keep_link(stranger)  # no link kept: nothing to do


def test_an_erased_clients_party_is_the_one_kept_when_its_appointment_was_cancelled_first(
    stores: Stores,
) -> None:
    provider = stores.provider()
    client = stores.client(provider, "Casey Kept", email="kept@example.com")
    booked = book(stores, appointment(provider, client), client)
    kept = Party("Casey Kept", "kept@example.com", "Europe/Lisbon")
    stores.eraser.keep_notice_context(booked, Party(provider.name, provider.email, "UTC"), kept, MONDAY)
    live = stores.notices.context(booked)
    assert live is not None and live.client.name == "Casey Kept" and not live.client.erased
    stores.repo.erase_client(client, STAMP)
    context = stores.notices.context(booked)
    assert context is not None and context.client == kept, "told of the cancellation after the erasure"
    assert context.provider.name == provider.name, "the provider's own profile still answers"


def test_without_a_profile_there_is_no_context(stores: Stores) -> None:
    provider = stores.provider()
    orphan = appointment(provider, new_client(provider), provider_id=new_id())
    assert stores.notices.context(orphan) is None


def test_the_providers_party_carries_her_brand_for_the_emails(stores: Stores) -> None:
    changes = {"headline": "Sports massage in Lisbon", "accent_color": "#7a1fa2", "language": "pt"}
    provider = stores.repo.update_profile(stores.provider(), changes, STAMP)
    client = stores.client(provider)
    context = stores.notices.context(book(stores, appointment(provider, client), client))
    assert context is not None
    party = context.provider
    assert (party.name, party.language, party.headline, party.accent_color) == (
        "Pat",
        "pt",
        "Sports massage in Lisbon",
        "#7a1fa2",
    )
    assert party.photo is getattr(provider, "photo", None)
