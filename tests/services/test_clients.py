"""The client use cases on the in-memory stores: search, history, edits and erasure."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.adapters.memory.accounts import MemoryProviderEraser
from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import ERASED_NAME, ClientErasedError
from chalicelib.domain.errors import NotFoundError
from chalicelib.services.booking import appointment_changes
from chalicelib.services.clients import clients
from tests.services.conftest import HOUR, MONDAY_10, World

pytestmark = pytest.mark.unit


def test_clients_come_from_bookings_and_are_found_by_name_or_email(world: World) -> None:
    _, provider, service = world.provider()
    robin = world.book(provider, service).appointment.client_id
    sam = world.book(provider, service, MONDAY_10 + 2 * HOUR, email="sam@example.org", name="Sam").appointment
    everyone = clients.list_clients(provider.id, None, 10, None, world.repo)
    assert len(everyone.items) == 2
    by_email = clients.list_clients(provider.id, "robin@", 10, None, world.repo)
    assert [c.id for c in by_email.items] == [robin]
    by_name = clients.list_clients(provider.id, "ROB", 10, None, world.repo)
    assert [c.id for c in by_name.items] == [robin]
    assert [c.id for c in clients.list_clients(provider.id, "sa", 10, None, world.repo).items] == [
        sam.client_id
    ]


def test_a_clients_history_counts_visits_and_names_the_next_one(world: World) -> None:
    _, provider, service = world.provider()
    first = world.book(provider, service).appointment
    world.book(provider, service, MONDAY_10 + 3 * HOUR)
    appointment_changes.cancel(
        first, "", Actor.provider(provider.id), provider.policy, world.repo, world.clock
    )
    detail = clients.get_client(provider.id, first.client_id, world.repo, world.clock)
    assert (detail.history.counts["cancelled"], detail.history.counts["confirmed"]) == (1, 1)
    assert detail.history.next_start == MONDAY_10 + 3 * HOUR
    listed = clients.list_client_appointments(provider.id, first.client_id, 10, None, world.repo)
    assert [a.start for a in listed.items] == [MONDAY_10 + 3 * HOUR, MONDAY_10], "latest first"


def test_erasure_anonymises_the_client_and_clears_its_appointment_texts(world: World) -> None:
    _, provider, service = world.provider()
    booked = world.book(provider, service, notes="knee injury").appointment
    cancel = clients.UpcomingCancel(world.repo, world.repo, MemoryProviderEraser(world.table), True)
    clients.erase_client(provider.id, booked.client_id, world.repo, world.clock, cancel)
    record = clients.get_client(provider.id, booked.client_id, world.repo, world.clock).client
    assert (record.name, record.email, record.erased) == (ERASED_NAME, None, True)
    stored = world.repo.get_appointment(provider.id, booked.id)
    assert stored is not None and (stored.notes, stored.contact_email) == ("", "")
    clients.erase_client(provider.id, booked.client_id, world.repo, world.clock)  # again: finishes, no error
    with pytest.raises(ClientErasedError):
        clients.update_client(provider.id, booked.client_id, {"name": "Back"}, world.repo, world.clock)
    assert clients.list_clients(provider.id, "robin@", 10, None, world.repo).items == []
    again = world.book(provider, service, MONDAY_10 + 4 * HOUR)
    assert again.appointment.client_id != booked.client_id, "the freed email makes a new client"


def test_edits_reach_only_the_providers_own_live_clients(world: World) -> None:
    _, provider, service = world.provider("Ana")
    other, _, _ = world.provider("Bo")
    client_id = world.book(provider, service).appointment.client_id
    world.clock.advance(timedelta(minutes=5))
    edited = clients.update_client(
        provider.id, client_id, {"notes": "prefers mornings"}, world.repo, world.clock
    )
    assert (edited.notes, edited.updated_at) == ("prefers mornings", "2031-03-01T12:05:00Z")
    with pytest.raises(NotFoundError):
        clients.update_client(other.provider_id, client_id, {"notes": "mine"}, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        clients.get_client(other.provider_id, client_id, world.repo, world.clock)
    with pytest.raises(NotFoundError):
        clients.erase_client(other.provider_id, client_id, world.repo, world.clock)


def test_an_erasure_with_upcoming_appointments_is_refused_unless_they_are_cancelled_first(
    world: World,
) -> None:
    _, provider, service = world.provider()
    first = world.book(provider, service, email="robin@example.com").appointment
    world.book(provider, service, MONDAY_10 + 2 * HOUR, email="robin@example.com")
    world.drain()
    world.mailer.sent.clear()
    with pytest.raises(clients.HasUpcomingError, match="2 upcoming appointments"):
        clients.erase_client(provider.id, first.client_id, world.repo, world.clock)
    assert not clients.get_client(provider.id, first.client_id, world.repo, world.clock).client.erased

    unasked = clients.UpcomingCancel(world.repo, world.repo, MemoryProviderEraser(world.table), False)
    with pytest.raises(clients.HasUpcomingError):
        clients.erase_client(provider.id, first.client_id, world.repo, world.clock, unasked)
    cancel = clients.UpcomingCancel(world.repo, world.repo, MemoryProviderEraser(world.table), True)
    assert clients.erase_client(provider.id, first.client_id, world.repo, world.clock, cancel) == 2
    world.drain()  # the consumer runs after the client's data is gone

    assert clients.get_client(provider.id, first.client_id, world.repo, world.clock).client.erased
    listed = clients.list_client_appointments(provider.id, first.client_id, 10, None, world.repo).items
    assert {a.status for a in listed} == {"cancelled"}
    to_client = [m for m in world.mailer.sent if m.to == "robin@example.com"]
    to_provider = [m for m in world.mailer.sent if m.to == provider.email]
    assert len(to_client) == 2 and len(to_provider) == 2, "both sides told, from the kept context"
    assert all("cancel" in m.subject.lower() for m in to_client + to_provider)
    assert clients.erase_client(provider.id, first.client_id, world.repo, world.clock, cancel) == 0, "again"


class LaggingIndex(MemoryRepository):
    """The client's upcoming appointments as a lagging index may answer: none yet."""

    def upcoming_client_appointments(
        self, provider_id: str, client_id: str, now: datetime, consistent: bool = False
    ) -> list[Appointment]:
        return (
            super().upcoming_client_appointments(provider_id, client_id, now, consistent)
            if consistent
            else []
        )


def test_an_appointment_the_index_has_not_shown_yet_is_cancelled_once_the_client_is_erased(
    world: World,
) -> None:
    _, provider, service = world.provider()
    booked = world.book(provider, service, email="robin@example.com").appointment
    world.drain()
    world.mailer.sent.clear()
    repo = LaggingIndex(world.table)
    unasked = clients.UpcomingCancel(repo, repo, MemoryProviderEraser(world.table), False)

    assert clients.erase_client(provider.id, booked.client_id, repo, world.clock, unasked) == 1
    world.drain()

    stored = world.repo.get_appointment(provider.id, booked.id)
    assert stored is not None and stored.status == "cancelled", "never left confirmed for nobody"
    assert [m.to for m in world.mailer.sent if "cancel" in m.subject.lower()].count("robin@example.com") == 1
