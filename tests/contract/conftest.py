"""One contract per port, run against the in-memory stores and the DynamoDB ones.

Every test of this folder runs twice: ``memory`` (chalicelib/adapters/memory) and ``dynamodb``
(chalicelib/adapters/dynamo on the session's DynamoDB Local table). What passes on both is what
the services may rely on; a fake that drifts from the table fails here first. The DynamoDB
variant shares the session table with other tests, so each test makes providers (and subjects,
addresses, challenges) of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.account_store import DynamoProviderEraser, DynamoSignInLinks
from chalicelib.adapters.dynamo.challenge_store import DynamoChallengeStore
from chalicelib.adapters.dynamo.limit_store import DynamoRateLimiter
from chalicelib.adapters.dynamo.notice_reader import NoticeReader
from chalicelib.adapters.dynamo.notification_store import NotificationStore
from chalicelib.adapters.dynamo.profile_items import google_to_item, provider_to_item
from chalicelib.adapters.dynamo.reminder_store import ReminderStore
from chalicelib.adapters.dynamo.repository import DynamoRepository
from chalicelib.adapters.memory.accounts import MemoryProviderEraser, MemorySignInLinks
from chalicelib.adapters.memory.guards import MemoryChallengeStore, MemoryRateLimiter
from chalicelib.adapters.memory.notifications import MemoryLedger, MemoryNotices
from chalicelib.adapters.memory.reminders import MemoryReminders
from chalicelib.adapters.memory.repository import MemoryRepository
from chalicelib.adapters.memory.table import MemoryTable
from chalicelib.domain.booking.appointments import CONFIRMED, Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.ids import new_id
from chalicelib.domain.provider import Provider
from chalicelib.services.accounts.ports import ProviderEraser, SignInLinks
from chalicelib.services.booking.ports import ChallengeStore, RateLimiter
from chalicelib.services.notifications.ports import NoticeSource, NotificationLedger, ReminderQueue

Repository = DynamoRepository | MemoryRepository
STAMP = "2031-01-01T00:00:00Z"
# Far enough ahead that no appointment made here is in the past while the suite runs.
MONDAY = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@dataclass
class Stores:
    kind: str
    repo: Repository
    limiter: RateLimiter
    challenges: ChallengeStore
    ledger: NotificationLedger
    notices: NoticeSource
    links: SignInLinks
    eraser: ProviderEraser
    table: MemoryTable | None = None  # the memory variant's

    def imported(self, *google_subjects: str) -> Provider:
        """A provider as the import writes it: its profile holding the old user's Google
        subjects, and the import's record of each subject (``GOOGLE#<subject>`` / ``GOOGLE``)."""
        provider = Provider(
            id=new_id(), email="old@example.com", name="Imported", created_at=STAMP, updated_at=STAMP
        )
        provider.google_subjects = list(google_subjects)
        if self.table is not None:
            self.table.providers[provider.id] = provider
            self.table.google.update({subject: provider.id for subject in google_subjects})
            return provider
        provider_to_item(provider).save()
        for subject in google_subjects:
            google_to_item(subject, provider.id).save()
        return provider

    def provider(self, slug: str | None = None, timezone: str = "Europe/Lisbon") -> Provider:
        """A new provider profile (with ``slug`` claimed, when given)."""
        provider = Provider(
            id=new_id(),
            email="pat@example.com",
            name="Pat",
            timezone=timezone,
            created_at=STAMP,
            updated_at=STAMP,
        )
        assert self.repo.create_provider(provider)
        if slug is not None:
            provider = self.repo.update_profile(provider, {}, STAMP, new_slug=slug)
        return provider

    def category(self, provider: Provider, name: str = "Massage", position: int = 0) -> Category:
        category = Category(new_id(), provider.id, name, position, created_at=STAMP, updated_at=STAMP)
        self.repo.add_category(category)
        return category

    def service(self, provider: Provider, name: str = "Session", **fields: object) -> Service:
        values: dict[str, object] = {"duration_minutes": 60, "price": Decimal("40.00"), "currency": "EUR"}
        values.update(fields)
        service = Service(new_id(), provider.id, name, created_at=STAMP, updated_at=STAMP, **values)  # type: ignore[arg-type]
        self.repo.add_service(service)
        return service

    def client(self, provider: Provider, name: str = "Casey", email: str | None = None) -> Client:
        client_id = new_id()
        client = Client(
            client_id,
            provider.id,
            name,
            email if email is not None else f"{client_id.lower()}@example.com",
            created_at=STAMP,
            updated_at=STAMP,
        )
        self.repo.create_client(client)
        return client


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def appointment(
    provider: Provider,
    client: Client,
    start: datetime = MONDAY,
    minutes: int = 60,
    service_id: str | None = None,
    **fields: object,
) -> Appointment:
    """An appointment as booking.book makes it (not yet stored)."""
    values: dict[str, object] = {
        "id": new_id(),
        "provider_id": provider.id,
        "service_id": service_id or new_id(),
        "service_name": "Session",
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "status": CONFIRMED,
        "client_id": client.id,
        "client_timezone": "Europe/London",
        "price": Decimal("40.00"),
        "currency": "EUR",
        "created_at": STAMP,
        "updated_at": STAMP,
        "time_blocks": True,
        "contact_name": client.name,
        "contact_email": client.email or "",
    }
    values.update(fields)
    return Appointment(**values)  # type: ignore[arg-type]


def book(
    stores: Stores, a: Appointment, client: Client, is_new: bool = False, **kwargs: object
) -> Appointment:
    """Store ``a`` as the booking transaction does (token hash ``hash-<id>``, sealed ``sealed-<id>``)."""
    stores.repo.add_appointment(a, f"hash-{a.id}", f"sealed-{a.id}", client, is_new, **kwargs)  # type: ignore[arg-type]
    return a


def new_client(provider: Provider, email: str | None = None, name: str = "Robin") -> Client:
    """A client not stored yet, as a first booking brings it."""
    client_id = new_id()
    address = email if email is not None else f"{client_id.lower()}@example.com"
    return Client(client_id, provider.id, name, address, created_at=STAMP, updated_at=STAMP)


@pytest.fixture(params=["memory", "dynamodb"])
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        table = MemoryTable()
        yield Stores(
            "memory",
            MemoryRepository(table),
            MemoryRateLimiter(table),
            MemoryChallengeStore(table),
            MemoryLedger(table),
            MemoryNotices(table),
            MemorySignInLinks(table),
            MemoryProviderEraser(table),
            table,
        )
        return
    container: bootstrap.Container = request.getfixturevalue("container")  # binds the models to the table
    assert isinstance(container.repo, DynamoRepository)
    yield Stores(
        "dynamodb",
        container.repo,
        DynamoRateLimiter(),
        DynamoChallengeStore(),
        NotificationStore(),
        NoticeReader(),
        DynamoSignInLinks(),
        DynamoProviderEraser(),
    )


@pytest.fixture(params=["memory", "dynamodb"])
def queue(request: pytest.FixtureRequest) -> Iterator[ReminderQueue]:
    """The reminder queue on a table of its own: the sweep's bookmark is one per table."""
    if request.param == "memory":
        yield MemoryReminders()
        return
    settings_for = request.getfixturevalue("settings_for")
    bootstrap.reset(bootstrap.build(settings_for(TABLE_NAME=request.getfixturevalue("fresh_table"))))
    yield ReminderStore()
    bootstrap.reset()
