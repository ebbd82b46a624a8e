"""Each domain object comes back from its item as it went in, through DynamoDB's own JSON.

The samples set every field to something other than its default: a field the mapping forgot
would come back as the default and fail the round trip. A field added to a domain class without a
sample value fails ``test_the_samples_leave_no_field_at_its_default``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.adapters.dynamo import models
from chalicelib.adapters.dynamo.booking_items import (
    AppointmentItem,
    appointment_from_image,
    appointment_from_item,
    appointment_to_item,
)
from chalicelib.adapters.dynamo.client_items import client_from_item, client_to_item
from chalicelib.adapters.dynamo.profile_items import (
    ProviderItem,
    ServiceItem,
    category_from_item,
    category_to_item,
    provider_from_item,
    provider_to_item,
    service_from_item,
    service_to_item,
)
from chalicelib.adapters.dynamo.time_off_items import TimeOffItem, time_off_from_map, time_off_to_map
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.booking.clients import Client
from chalicelib.domain.catalog import Category, Location, Question, Service, TimeOff, WeeklyInterval
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
        max_per_day=6,
        approval_expires_hours=48,
        change_grace_minutes=15,
    ),
    created_at="2027-01-01T00:00:00Z",
    updated_at="2027-01-02T00:00:00Z",
    booking_challenge=True,
    google_subjects=["104593457227384756123"],
    embed_origins=["https://studio.example", "https://xn--caf-dma.pt:8443"],
    language="pt",
    headline="Massagem terapêutica em Lisboa",
    about="Line one.\n\n<b>not markup</b>",
    accent_color="#1f6feb",
    photo="01J9Z8Q4W2M7X3K5N6P8R0T2V4",
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
    location=Location("video", "https://meet.example.com/ana"),
    questions=[
        Question("health", "Anything we should know?", "long_text", required=True),
        Question("pressure", "Pressure", "choice", options=("light", "firm")),
    ],
    min_notice_minutes=120,
    max_advance_days=30,
    slot_interval_minutes=20,
    max_per_day=3,
    requires_approval=True,
    hours=[WeeklyInterval("sat", "09:00", "12:00")],
)
TIME_OFF = TimeOff("t1", date(2027, 8, 2), date(2027, 8, 8), "holiday", "2027-01-01T00:00:00Z")
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
    location=Location("address", "Rua Augusta 10, Lisboa"),
    answers=(Answer("health", "Anything we should know?", "sore back"), Answer("consent", "I agree", True)),
    counted_day="2027-03-15",
    notify_client=False,
    auto_declined=True,
    answer_by=datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
    language="pt",
    cancelled_by="provider",
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


def test_time_off_comes_back_from_its_map_as_it_was() -> None:
    item = TimeOffItem("PROVIDER#p1", "TIMEOFF", provider_id="p1", ranges=[time_off_to_map(TIME_OFF)])
    again = stored(item)
    assert [time_off_from_map(m) for m in again.ranges] == [TIME_OFF]


def test_a_service_stored_before_visibility_and_rules_reads_with_their_defaults() -> None:
    raw = service_to_item(SERVICE).serialize()
    for name in ("visibility", "location", "questions", "min_notice_minutes", "max_per_day", "hours"):
        raw.pop(name)
    raw["visible"] = {"BOOL": True}
    old = service_from_item(ServiceItem.from_raw_data(raw))
    assert (old.visibility, old.visible, old.location, old.questions, old.hours) == (
        "public",
        True,
        None,
        [],
        None,
    )
    assert (old.min_notice_minutes, old.max_per_day) == (None, None)
    raw["visible"] = {"BOOL": False}
    assert service_from_item(ServiceItem.from_raw_data(raw)).visibility == "hidden"


def test_an_appointment_stored_before_locations_answers_and_counts_reads_without_them() -> None:
    raw = appointment_to_item(APPOINTMENT).serialize()
    for name in ("location", "answers", "counted_day"):
        raw.pop(name)
    old = appointment_from_item(AppointmentItem.from_raw_data(raw))
    assert (old.location, old.answers, old.counted_day) == (None, (), "")


def test_an_appointment_stored_before_languages_and_who_cancelled_reads_english_and_unknown() -> None:
    raw = appointment_to_item(APPOINTMENT).serialize()
    assert (raw["language"], raw["cancelled_by"]) == ({"S": "pt"}, {"S": "provider"})
    for name in ("language", "cancelled_by"):
        raw.pop(name)
    old = appointment_from_item(AppointmentItem.from_raw_data(raw))
    assert (old.language, old.cancelled_by) == ("en", "")


def test_a_profile_stored_before_request_expiry_and_grace_reads_with_their_defaults() -> None:
    raw = provider_to_item(PROVIDER).serialize()
    for name in ("approval_expires_hours", "change_grace_minutes"):
        raw.pop(name)
    old = provider_from_item(ProviderItem.from_raw_data(raw))
    assert (old.policy.approval_expires_hours, old.policy.change_grace_minutes) == (None, 10)
    raw = appointment_to_item(APPOINTMENT).serialize()
    raw.pop("answer_by")
    assert appointment_from_item(AppointmentItem.from_raw_data(raw)).answer_by is None


def test_a_profile_stored_before_brands_reads_with_the_default_brand() -> None:
    raw = provider_to_item(PROVIDER).serialize()
    for name in ("language", "headline", "about", "accent_color"):
        raw.pop(name)
    old = provider_from_item(ProviderItem.from_raw_data(raw))
    assert (old.language, old.headline, old.about, old.accent_color) == ("en", "", "", None)


@pytest.mark.parametrize("sample", [PROVIDER, PROVIDER.policy, CATEGORY, SERVICE, CLIENT, APPOINTMENT])
def test_the_samples_leave_no_field_at_its_default(sample: Any) -> None:
    for field in dataclasses.fields(sample):
        default = field.default_factory() if callable(field.default_factory) else field.default
        assert getattr(sample, field.name) != default, f"{type(sample).__name__}.{field.name}"


def test_a_stream_image_of_an_appointment_reads_as_the_appointment() -> None:
    image = appointment_to_item(APPOINTMENT).serialize()
    assert appointment_from_image(image) == APPOINTMENT
    assert appointment_from_image(client_to_item(CLIENT).serialize()) is None, (
        "other items are not appointments"
    )
    assert appointment_from_image(None) is None


def test_an_erased_client_leaves_the_name_index() -> None:
    searchable = client_to_item(dataclasses.replace(CLIENT, erased=False))
    assert (searchable.GSI1PK, searchable.GSI1SK) == ("PROVIDER#p1#CLIENTS", "casey#k1")
    erased = client_to_item(CLIENT).serialize()
    assert "GSI1PK" not in erased and "GSI1SK" not in erased


def _import_items() -> list[models.Item]:
    """One item of every kind the import writes, every optional attribute set where it can be."""
    from chalicelib.adapters.dynamo.booking_items import BookingRefItem, manage_link_item
    from chalicelib.adapters.dynamo.busy_build import busy_time_items
    from chalicelib.adapters.dynamo.client_items import client_email_to_item, search_key_item, search_key_sks
    from chalicelib.adapters.dynamo.count_items import day_count_items
    from chalicelib.adapters.dynamo.profile_items import google_to_item, schedule_to_item, slug_to_item
    from chalicelib.adapters.dynamo.reminder_store import reminder_items
    from chalicelib.domain.notifications.reminders import planned_reminders

    active = dataclasses.replace(APPOINTMENT, status="confirmed")
    searchable = dataclasses.replace(CLIENT, erased=False)
    overlapping = dataclasses.replace(active, id="a2")
    busy = busy_time_items("p1", [active, overlapping])
    weekly = [WeeklyInterval("mon", "09:00", "17:00")]
    return [
        provider_to_item(PROVIDER),
        category_to_item(CATEGORY),
        service_to_item(SERVICE),
        client_to_item(CLIENT),
        client_to_item(dataclasses.replace(CLIENT, erased=False)),
        client_email_to_item(CLIENT, "casey@example.org"),
        *(search_key_item(searchable, sk) for sk in sorted(search_key_sks(searchable))),
        appointment_to_item(APPOINTMENT),
        appointment_to_item(dataclasses.replace(APPOINTMENT, location=None, answers=(), counted_day="")),
        schedule_to_item("p1", weekly, "2027-01-01T00:00:00Z"),
        slug_to_item("pat-studio", "p1"),
        google_to_item("1234567890", "p1"),
        BookingRefItem("BOOKING#a1", "BOOKING", provider_id="p1", token_hash="h"),
        manage_link_item("a1", "sealed", START, START - timedelta(days=3)),
        *busy.blocks,
        *busy.days,
        *busy.ledgers,
        *day_count_items("p1", [active]),
        *reminder_items(active, planned_reminders(START, [1440, 60], START - timedelta(days=3)), START),
    ]


def test_the_imports_serialization_is_pynamodbs() -> None:
    from chalicelib.adapters.dynamo.bulk import serialized

    items = _import_items()
    kinds = {item.serialize()["type"]["S"] for item in items}
    assert {"block", "busy_day", "ledger", "day_count", "reminder", "manage_link", "client_key"} <= kinds
    for item in items:
        assert serialized(item) == item.serialize(), type(item).__name__


def test_the_imports_serialization_refuses_a_missing_attribute_as_pynamodb_does() -> None:
    from pynamodb.exceptions import AttributeNullError

    from chalicelib.adapters.dynamo.bulk import serialized

    item = appointment_to_item(APPOINTMENT)
    item.status = None
    with pytest.raises(AttributeNullError):
        item.serialize()
    with pytest.raises(AttributeNullError):
        serialized(item)


def _values(container: Any) -> dict[str, Any]:
    """An item's or a map's values, maps as their type and values (maps compare by identity)."""
    from pynamodb.attributes import MapAttribute

    return {
        name: (type(value), _values(value)) if isinstance(value, MapAttribute) else value
        for name, value in container.attribute_values.items()
    }


def _subclasses(cls: type[models.Item]) -> list[type[models.Item]]:
    return [cls, *(found for sub in cls.__subclasses__() for found in _subclasses(sub))]


@pytest.mark.parametrize("user_instantiated", [True, False])
def test_an_item_starts_with_the_defaults_pynamodb_gives_it(user_instantiated: bool) -> None:
    from pynamodb.attributes import AttributeContainer

    _import_items()  # every module with item classes imported
    classes = _subclasses(models.Item)
    assert len(classes) > 20
    for cls in classes:
        ours = cls(_user_instantiated=user_instantiated)
        theirs = cls.__new__(cls)
        theirs.attribute_values = {}
        theirs._set_discriminator()
        AttributeContainer._set_defaults(theirs, _user_instantiated=user_instantiated)
        assert _values(ours) == _values(theirs), cls.__name__


def test_an_item_takes_its_attributes_as_pynamodb_does() -> None:
    from pynamodb.attributes import AttributeContainer

    item = appointment_to_item(APPOINTMENT)
    again = AppointmentItem.__new__(AppointmentItem)
    again.attribute_values = {}
    again._set_discriminator()
    AttributeContainer._set_defaults(again)
    AttributeContainer._set_attributes(again, **item.attribute_values)
    assert _values(item) == _values(again)
    assert item.serialize() == again.serialize()
    with pytest.raises(ValueError, match="not_an_attribute"):
        AppointmentItem("PK", "SK", not_an_attribute=1)
