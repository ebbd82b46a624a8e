"""The use cases on the in-memory stores: no database, so each test takes milliseconds.

The fakes answer as the DynamoDB stores do (tests/contract/ runs both against one contract);
these tests are about what the services decide with those answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.adapters.memory.notifications import MemoryChanges, MemoryLedger, MemoryMailer, MemoryNotices
from chalicelib.adapters.memory.reminders import MemoryReminders
from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.adapters.memory.shared import MemoryLinkSealer, MovableClock
from chalicelib.adapters.memory.table import MemoryTable
from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.clients import ClientDetails
from chalicelib.domain.catalog import Service, WeeklyInterval
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Identity, Provider
from chalicelib.services.booking import booking
from chalicelib.services.booking.approval import Unanswered
from chalicelib.services.booking.booking import Booked, BookingRequest
from chalicelib.services.catalog import availability, catalog, providers
from chalicelib.services.notifications.delivery import Delivery
from chalicelib.services.notifications.notices import ManageLinks, Notifier
from chalicelib.services.notifications.outbox import Outbox
from chalicelib.services.notifications.reminders import ReminderSweep
from chalicelib.services.shared import SortableIds

# Saturday noon in Lisbon (UTC+0 until the end of March): Monday 09:00-17:00 is bookable.
NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
MONDAY_10 = datetime(2031, 3, 3, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
BASE_URL = "https://book.example.com"


@dataclass
class World:
    table: MemoryTable = field(default_factory=MemoryTable)
    clock: MovableClock = field(default_factory=lambda: MovableClock(NOW))
    ids: SortableIds = field(default_factory=SortableIds)
    sealer: MemoryLinkSealer = field(default_factory=MemoryLinkSealer)
    mailer: MemoryMailer = field(default_factory=MemoryMailer)
    drained: int = 0  # how many records of the change stream the consumer has had

    @property
    def repo(self) -> MemoryRepository:
        return MemoryRepository(self.table)

    def identity(self, name: str = "Pat") -> Identity:
        return Identity(sub=new_id().lower(), email=f"{name.lower()}@example.com", name=name, token_use="id")

    def provider(self, name: str = "Pat") -> tuple[Identity, Provider, Service]:
        """A provider open Monday 09:00-17:00 in Lisbon, with one visible 60-minute service."""
        who = self.identity(name)
        providers.get_or_create_me(who, self.repo, self.clock)
        weekly = [WeeklyInterval("mon", "09:00", "17:00")]
        availability.replace_weekly(who, weekly, "Europe/Lisbon", self.repo, self.clock)
        fields = {"name": "Session", "duration_minutes": 60, "price": Decimal("40"), "currency": "EUR"}
        service = catalog.create_service(who, fields, self.repo, self.clock, self.ids)
        profile = self.repo.get_provider(who.provider_id)
        assert profile is not None
        return who, profile, service

    def book(
        self,
        provider: Provider,
        service: Service,
        start: datetime = MONDAY_10,
        email: str = "robin@example.com",
        by: Actor | None = None,
        name: str = "Robin",
        notes: str = "",
        answers: dict[str, object] | None = None,
        language: str | None = None,
        **kwargs: object,
    ) -> Booked:
        details = ClientDetails(name, email, "+44 20 0000")
        request = BookingRequest(
            service.id, start, details, "Europe/London", notes, answers or {}, language=language
        )
        return booking.book(
            provider.id,
            request,
            self.repo,
            self.clock,
            self.ids,
            self.sealer,
            by or Actor.client(),
            **kwargs,  # type: ignore[arg-type]
        )

    def notifier(self) -> Notifier:
        delivery = Delivery(MemoryLedger(self.table), self.mailer, self.clock, sleep=lambda _: None)
        return Notifier(delivery, ManageLinks(BASE_URL, self.sealer))

    def outbox(self) -> Outbox:
        return Outbox(
            MemoryChanges(), MemoryNotices(self.table), MemoryReminders(self.table), self.notifier()
        )

    def drain(self) -> None:
        """Hand every write since the last drain to the consumer, as the stream does."""
        assert self.outbox().handle(self.table.stream[self.drained :]) == [], "nothing to retry"
        self.drained = len(self.table.stream)

    def sweep(self) -> ReminderSweep:
        unanswered = Unanswered(self.repo, self.clock)
        return ReminderSweep(
            MemoryReminders(self.table), MemoryNotices(self.table), self.notifier(), unanswered
        )


@pytest.fixture
def world() -> World:
    return World()
