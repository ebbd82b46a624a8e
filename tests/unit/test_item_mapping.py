"""Each domain object comes back from its item as it went in, through DynamoDB's own JSON.

The samples set every field to something other than its default: a field the mapping forgot
would come back as the default and fail the round trip. A field added to a domain class without a
sample value fails ``test_the_samples_leave_no_field_at_its_default``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.adapters.dynamo import models
from chalicelib.adapters.dynamo.booking_items import (
    appointment_from_item,
    appointment_to_item,
    state_from_image,
)
from chalicelib.adapters.dynamo.client_items import client_from_item, client_to_item
from chalicelib.adapters.dynamo.profile_items import (
    category_from_item,
    category_to_item,
    provider_from_item,
    provider_to_item,
    service_from_item,
    service_to_item,
)
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Category, Service
from chalicelib.domain.provider import BookingPolicy, Provider

pytestmark = pytest.mark.unit
START = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)

PROVIDER = Provider(
    id="p1",
    email="pat@example.com",
    name="Pat",
    timezone="Europe/Lisbon",
    slug="pat-studio",
    policy=BookingPolicy(
        min_notice_minutes=90,
        max_advance_days=14,
        slot_interval_minutes=15,
        cancellation_notice_minutes=120,
        reminder_offsets_minutes=[2880],
    ),
    created_at="2027-01-01T00:00:00Z",
    updated_at="2027-01-02T00:00:00Z",
    booking_challenge=True,
    google_subjects=["104593457227384756123"],
)
CATEGORY = Category("c1", "p1", "Massage", position=3, created_at="2027-01-01T00:00:00Z", updated_at="x")
SERVICE = Service(
    id="s1",
    provider_id="p1",
    name="Deep tissue",
    duration_minutes=50,
    price=Decimal("45.50"),
    currency="EUR",
    description="Firm pressure",
    category_id="c1",
    visible=False,
    buffer_before_minutes=5,
    buffer_after_minutes=10,
    created_at="2027-01-01T00:00:00Z",
    updated_at="2027-01-02T00:00:00Z",
)
CLIENT = Client(
    id="k1",
    provider_id="p1",
    name="Casey",
    email="casey@example.com",
    phone="+351 912 345 678",
    notes="prefers mornings",
    timezone="Europe/London",
    erased=True,
    created_at="2027-01-01T00:00:00Z",
    updated_at="2027-01-02T00:00:00Z",
)
APPOINTMENT = Appointment(
    id="a1",
    provider_id="p1",
    service_id="s1",
    service_name="Deep tissue",
    start=START,
    end=START + timedelta(minutes=50),
    status="cancelled",
    client_id="k1",
    client_timezone="Europe/London",
    price=Decimal("45.50"),
    currency="EUR",
    buffer_before_minutes=5,
    buffer_after_minutes=10,
    notes="first visit",
    provider_notes="bring towel",
    cancel_reason="ill",
    source="provider",
    sequence=2,
    revision=4,
    created_at="2027-01-01T00:00:00Z",
    updated_at="2027-01-02T00:00:00Z",
    time_blocks=True,
    contact_name="Casey C.",
    contact_email="casey@example.org",
    contact_phone="+44 20 7946 0000",
)


def stored(item: models.Item) -> Any:
    """The item as a read gives it back: serialized to DynamoDB JSON, decoded by its type."""
    return models.Item.from_raw_data(item.serialize())


@pytest.mark.parametrize(
    ("sample", "to_item", "from_item"),
    [
        (PROVIDER, provider_to_item, provider_from_item),
        (CATEGORY, category_to_item, category_from_item),
        (SERVICE, service_to_item, service_from_item),
        (CLIENT, client_to_item, client_from_item),
        (APPOINTMENT, appointment_to_item, appointment_from_item),
    ],
    ids=["provider", "category", "service", "client", "appointment"],
)
def test_an_object_comes_back_from_its_item_as_it_was(sample: Any, to_item: Any, from_item: Any) -> None:
    assert from_item(stored(to_item(sample))) == sample


@pytest.mark.parametrize("sample", [PROVIDER, PROVIDER.policy, CATEGORY, SERVICE, CLIENT, APPOINTMENT])
def test_the_samples_leave_no_field_at_its_default(sample: Any) -> None:
    for field in dataclasses.fields(sample):
        default = field.default_factory() if callable(field.default_factory) else field.default
        assert getattr(sample, field.name) != default, f"{type(sample).__name__}.{field.name}"


def test_a_stream_image_of_an_appointment_reads_as_its_state() -> None:
    image = appointment_to_item(APPOINTMENT).serialize()
    state = state_from_image(image)
    assert state is not None
    assert (state.appointment_id, state.provider_id, state.client_id) == ("a1", "p1", "k1")
    assert (state.start, state.end, state.status, state.sequence) == (
        APPOINTMENT.start,
        APPOINTMENT.end,
        "cancelled",
        2,
    )
    assert (state.service_name, state.client_timezone, state.cancel_reason, state.contact_name) == (
        "Deep tissue",
        "Europe/London",
        "ill",
        "Casey C.",
    )
    assert state.source == "provider"
    assert state_from_image(client_to_item(CLIENT).serialize()) is None, "other items are not appointments"


def test_an_erased_client_leaves_the_name_index() -> None:
    searchable = client_to_item(dataclasses.replace(CLIENT, erased=False))
    assert (searchable.GSI1PK, searchable.GSI1SK) == ("PROVIDER#p1#CLIENTS", "casey#k1")
    erased = client_to_item(CLIENT).serialize()
    assert "GSI1PK" not in erased and "GSI1SK" not in erased
