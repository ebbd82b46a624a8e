"""One imported user -> the items this service would hold for the same data, built in memory.

Every item comes from the adapters' own builders (chalicelib/adapters/dynamo/*_items.py,
busy_build.py, reminder_store.reminder_items): the import writes what the API would have
written, and a new field in a mapping reaches the import with no change here.

What depends on when the import runs (a manage link's token, the reminders still ahead) is built
per appointment, only for appointments that are being written (``dependents``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.booking_items import (
    LINK_KEPT_AFTER_END,
    BookingRefItem,
    appointment_to_item,
    manage_link_item,
)
from chalicelib.adapters.dynamo.bulk import Key, Raw, key_of, serialized
from chalicelib.adapters.dynamo.busy_build import busy_time_items
from chalicelib.adapters.dynamo.client_items import (
    client_email_to_item,
    client_to_item,
    search_key_item,
    search_key_sks,
)
from chalicelib.adapters.dynamo.count_items import day_count_items
from chalicelib.adapters.dynamo.profile_items import (
    category_to_item,
    google_to_item,
    provider_to_item,
    schedule_to_item,
    service_to_item,
    slug_to_item,
)
from chalicelib.adapters.dynamo.reminder_store import reminder_items
from chalicelib.adapters.dynamo.table import IMPORTED_ATTRIBUTE
from chalicelib.domain.booking.appointments import Appointment, iso_z, parse_z
from chalicelib.domain.booking.service_rules import COUNTED_SINCE, local_day
from chalicelib.domain.ids import secret_hash
from chalicelib.domain.notifications.reminders import planned_reminders
from chalicelib.domain.provider import Provider
from chalicelib.services.shared import LinkSealer
from importer.records import ImportedUser, Origin

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

STAMPS = frozenset({"created_at", "updated_at"})
R = TypeVar("R", bound="DataclassInstance")


@dataclass
class Built:
    item: Raw
    origin: Origin | None  # the old row it comes from; None for derived items (busy time)
    ignore: frozenset[str] = frozenset()  # attributes a later run may differ in (not a change)

    @property
    def kind(self) -> str:
        return str(self.item["type"]["S"])


@dataclass
class Planned:
    """A user's items, in the groups the writer orders its writes by."""

    provider: Provider
    origin: Origin  # the users row
    counts: tuple[int, int]  # categories, services: the profile's counters (caps)
    slug: Built | None = None
    google: list[Built] = field(default_factory=list)
    partition: dict[Key, Built] = field(default_factory=dict)  # PROVIDER#<id>: catalog, clients, busy
    appointments: dict[Key, Built] = field(default_factory=dict)
    records: dict[str, Appointment] = field(default_factory=dict)  # appointment id -> record
    loose: frozenset[str] = frozenset()  # the profile's stamps the old row could not give

    @property
    def pk(self) -> str:
        return keys.provider_pk(self.provider.id)

    @property
    def profile(self) -> Built:
        """The profile with every slug and Google subject the old user had."""
        return profile_item(self, self.provider.slug, self.provider.google_subjects)


def profile_item(planned: Planned, slug: str | None, subjects: list[str]) -> Built:
    """The profile item, with the slug and Google subjects its claims could be written for."""
    item = provider_to_item(replace(planned.provider, slug=slug, google_subjects=subjects))
    item.category_count, item.service_count = planned.counts
    return Built(serialized(item), planned.origin, planned.loose)


def _filled(stamp: str, now: str) -> tuple[str, bool]:
    """A stamp the old row could not give is the import's own time (and not compared later)."""
    return (stamp, False) if stamp else (now, True)


def _stamped(record: R, now: str) -> tuple[R, frozenset[str]]:
    created, filled = _filled(getattr(record, "created_at", ""), now)
    updated, filled_too = _filled(getattr(record, "updated_at", ""), created)
    loose = STAMPS if filled or filled_too else frozenset()
    return replace(record, created_at=created, updated_at=updated), loose


def plan_user(user: ImportedUser, now: datetime) -> Planned:
    stamp = iso_z(now)
    provider, loose = _stamped(replace(user.provider, google_subjects=list(user.google_subjects)), stamp)
    planned = Planned(
        provider=provider,
        origin=Origin("users", user.old_id),
        counts=(len(user.categories), len(user.services)),
        loose=loose,
    )
    if provider.slug is not None:
        planned.slug = Built(serialized(slug_to_item(provider.slug, provider.id)), user.page)
    for subject in provider.google_subjects:
        origin = Origin("accounts", user.accounts.get(subject, user.old_id))
        planned.google.append(Built(serialized(google_to_item(subject, provider.id)), origin))
    _catalog(planned, user, stamp)
    _appointments(planned, user, stamp)
    return planned


def _add(into: dict[Key, Built], built: Built) -> None:
    into[key_of(built.item)] = built


def _catalog(planned: Planned, user: ImportedUser, stamp: str) -> None:
    for category in user.categories:
        kept, loose = _stamped(category, stamp)
        _add(planned.partition, Built(serialized(category_to_item(kept)), user.origins[category.id], loose))
    for service in user.services:
        offered, loose = _stamped(service, stamp)
        _add(planned.partition, Built(serialized(service_to_item(offered)), user.origins[service.id], loose))
    if user.availability is not None and user.availability.weekly:
        schedule = schedule_to_item(
            planned.provider.id, user.availability.weekly, planned.provider.updated_at
        )
        _add(planned.partition, Built(serialized(schedule), Origin("availability", user.old_id)))
    for client in user.clients:
        person, loose = _stamped(client, stamp)
        origin = user.origins[client.id]
        _add(planned.partition, Built(serialized(client_to_item(person)), origin, loose))
        for sk in sorted(search_key_sks(person)):  # what the name and phone searches read
            _add(planned.partition, Built(serialized(search_key_item(person, sk)), origin))
        if client.email:
            _add(planned.partition, Built(serialized(client_email_to_item(client, client.email)), origin))


def _counted_under(appointment: Appointment, zone: str, since: datetime) -> str:
    """The local date a booking of it would have been counted under, for one that can still
    matter: starting from two days before the import on, as migration 0003 counts (no booking can
    land on an earlier date, and counting two years of history would double the items written).
    An earlier one is left uncounted, as an appointment from before day counts."""
    if appointment.start < since:
        return ""
    try:
        return local_day(appointment.start, zone)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return ""


def _appointments(planned: Planned, user: ImportedUser, stamp: str) -> None:
    busy = busy_time_items(planned.provider.id, user.appointments)
    zone = planned.provider.timezone
    since = parse_z(stamp) - COUNTED_SINCE
    counted = [replace(a, counted_day=_counted_under(a, zone, since)) for a in user.appointments]
    derived = [*busy.blocks, *busy.days, *busy.ledgers, *day_count_items(planned.provider.id, counted)]
    for block in derived:
        _add(planned.partition, Built(serialized(block), None))
    for appointment in counted:
        record, loose = _stamped(replace(appointment, time_blocks=appointment.id in busy.held), stamp)
        raw = serialized(appointment_to_item(record))
        raw[IMPORTED_ATTRIBUTE] = {"S": stamp}
        _add(planned.appointments, Built(raw, user.origins[appointment.id], loose | {IMPORTED_ATTRIBUTE}))
        planned.records[record.id] = record


def dependents(planned: Planned, appointment: Appointment, sealer: LinkSealer, now: datetime) -> list[Raw]:
    """What a booking of this appointment would have left beside it, as of ``now``: its booking
    reference and sealed manage link while a link would still be kept (until 30 days after its
    end), and the reminders still ahead of an active one."""
    found: list[Raw] = []
    if appointment.end + LINK_KEPT_AFTER_END > now:
        token = secrets.token_urlsafe(32)  # as a booking makes one; stored hashed and sealed only
        ref = BookingRefItem(
            keys.booking_pk(appointment.id),
            keys.BOOKING,
            provider_id=appointment.provider_id,
            token_hash=secret_hash(token),
        )
        booked_at = parse_z(appointment.created_at) if appointment.created_at else now
        sealed = sealer.seal(appointment.id, token)
        found += [
            serialized(ref),
            serialized(manage_link_item(appointment.id, sealed, appointment.end, booked_at)),
        ]
    if appointment.active:
        offsets = planned.provider.policy.reminder_offsets_minutes
        ahead = planned_reminders(appointment.start, offsets, now)
        if ahead:
            found += [serialized(item) for item in reminder_items(appointment, ahead, now)]
    return found
