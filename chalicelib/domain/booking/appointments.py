"""Appointments: what was booked, its state machine, and the time it keeps busy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.provider import BookingPolicy
from chalicelib.domain.slots.timeline import Busy

PENDING = "pending"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
COMPLETED = "completed"
NO_SHOW = "no_show"
DECLINED = "declined"  # a pending request the provider (or the sweep, unanswered) turned down
STATUSES = (PENDING, CONFIRMED, CANCELLED, COMPLETED, NO_SHOW, DECLINED)
# Statuses that still hold a slot. cancelled, completed, no_show and declined do not.
ACTIVE_STATUSES = (PENDING, CONFIRMED)
# Statuses that count toward a day's cap (max_per_day): every booking that was not called off.
COUNTED_STATUSES = (PENDING, CONFIRMED, COMPLETED, NO_SHOW)

# Which status may follow which. Completed and no-show are for appointments that have begun.
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({CONFIRMED, CANCELLED, DECLINED}),
    CONFIRMED: frozenset({CANCELLED, COMPLETED, NO_SHOW}),
    CANCELLED: frozenset(),
    COMPLETED: frozenset({NO_SHOW}),
    NO_SHOW: frozenset({COMPLETED}),
    DECLINED: frozenset(),
}
NEEDS_STARTED = frozenset({COMPLETED, NO_SHOW})
# Appointment.source: booked on the public page, by the provider, or imported from the old app.
PUBLIC, PROVIDER, IMPORTED = "public", "provider", "import"


class InvalidTransitionError(ConflictError):
    code = "invalid_transition"


class SlotUnavailableError(ConflictError):
    """The time overlaps another pending or confirmed appointment (a real overlap); the
    subclasses say which other rule keeps a start from being bookable."""

    code = "taken"


class OutsideHoursError(SlotUnavailableError):
    """Not the start of a slot in the hours open that day (hours, overrides, time off, interval)."""

    code = "outside_hours"


class TooSoonError(SlotUnavailableError):
    """Inside the minimum notice, or already past."""

    code = "too_soon"


class TooFarAheadError(SlotUnavailableError):
    """Past the booking window (max_advance_days)."""

    code = "too_far_ahead"


class DailyLimitError(ConflictError):
    """The day has as many appointments as the service or the provider takes in one day."""

    code = "daily_limit"


class NotPendingError(InvalidTransitionError):
    """Confirming or declining an appointment that is no longer (or never was) a request."""

    code = "not_pending"


class TooLateToChangeError(ConflictError):
    code = "too_late_to_change"


class BookingKeyTakenError(ConflictError):
    """An Idempotency-Key has made its booking already (its answer is given again)."""

    code = "booking_key_taken"


def iso_z(instant: datetime) -> str:
    """The stored form of an instant: UTC, seconds, ``Z`` (sorts as time in keys)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_z(text: str) -> datetime:
    """Read a stored instant back (fromisoformat: ~10x faster than strptime, which matters per slot read)."""
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class Appointment:
    id: str
    provider_id: str
    service_id: str
    service_name: str
    start: datetime
    end: datetime
    status: str
    client_id: str
    client_timezone: str
    price: Decimal
    currency: str
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    notes: str = ""
    provider_notes: str = ""
    cancel_reason: str = ""
    source: str = "public"
    sequence: int = 0  # calendar SEQUENCE: raised when the time changes
    revision: int = 0  # raised by every write: the guard against writes from a stale copy
    created_at: str = ""
    updated_at: str = ""
    # True once its busy time is held by block items (docs/access-patterns.md); False for an
    # appointment from before them, whose busy time is still in a day ledger until migrated.
    time_blocks: bool = False
    # Who booked it, as they gave it on this booking (the stored client is never rewritten by a
    # booking): name, email and phone of this appointment's contact.
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    # Where it takes place and the intake answers, as the service had them when it was booked.
    location: Location | None = None
    answers: tuple[Answer, ...] = ()
    # The provider's local date it is counted under for max_per_day; "" for appointments from
    # before those counts (until migration 0003 counts them).
    counted_day: str = ""
    # False: the provider booked it without telling the client; no email or reminder goes to
    # them, for this appointment's whole life (the provider's own emails still go).
    notify_client: bool = True
    # Declined by the sweep because nobody answered the request in time (not by the provider).
    auto_declined: bool = False
    # A pending request's: when the sweep declines it if the provider has not answered by then
    # (``answer_deadline``); None for anything else.
    answer_by: datetime | None = None
    # The language its client's emails and reminders are written in (chalicelib/i18n.LANGUAGES).
    language: str = "en"
    # Who cancelled it (an Actor's role: client, provider, system); "" while not cancelled, and
    # for a cancellation from before this was kept.
    cancelled_by: str = ""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def counted(self) -> bool:
        """Whether it takes one of its day's places (chalicelib/domain/booking/service_rules.py)."""
        return bool(self.counted_day) and self.status in COUNTED_STATUSES

    @property
    def conflict(self) -> bool:
        """Active, yet its busy time is kept in day ledgers, not in block items of its own: it
        overlaps another appointment that holds those minutes (imported from an app that allowed
        double bookings), or was booked before block items and migration 0001 has not moved it.
        Its time stays busy all the same, until it is cancelled, moved, completed or a no-show."""
        return self.active and not self.time_blocks

    def busy(self) -> Busy:
        return Busy(self.start, self.end, self.buffer_before_minutes, self.buffer_after_minutes)

    def ledger_days(self) -> list[str]:
        return ledger_days(self.busy())

    def changed(self, now: str, **changes: object) -> Appointment:
        """The next revision of this appointment: every stored change goes through here."""
        return replace(self, **changes, revision=self.revision + 1, updated_at=now)  # type: ignore[arg-type]

    def moved_to(self, start: datetime, now: str) -> Appointment:
        """At its new time it holds block items of its own, whatever held its old time."""
        length = self.end - self.start
        return self.changed(
            now, start=start, end=start + length, sequence=self.sequence + 1, time_blocks=True
        )

    def with_status(self, status: str, now: datetime, reason: str = "") -> Appointment:
        if status == self.status:
            raise InvalidTransitionError(f"The appointment is already {status}.")
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransitionError(f"A {self.status} appointment cannot become {status}.")
        if status in NEEDS_STARTED and now < self.start:
            raise InvalidTransitionError(f"An appointment can be marked {status} once it has begun.")
        return self.changed(iso_z(now), status=status, cancel_reason=reason)


def ledger_days(busy: Busy) -> list[str]:
    """UTC dates (YYYY-MM-DD) that the appointment, buffers included, touches (its day ledgers,
    for appointments from before block items)."""
    padded = busy.padded()
    first: date = padded.start.astimezone(UTC).date()
    last_instant = max(padded.end - timedelta(microseconds=1), padded.start)
    last: date = last_instant.astimezone(UTC).date()
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def change_deadline(appointment: Appointment, policy: BookingPolicy) -> datetime:
    """Until when its client may cancel or move it online: the start less the cancellation
    notice, or, when that is earlier, the end of the grace period after it was booked (never
    past its start). A booking made inside the notice so still lets its client fix a mistake."""
    deadline = appointment.start - timedelta(minutes=policy.cancellation_notice_minutes)
    booked = booked_at(appointment)
    if booked is None or policy.change_grace_minutes <= 0:
        return deadline
    grace_ends = min(booked + timedelta(minutes=policy.change_grace_minutes), appointment.start)
    return max(deadline, grace_ends)


def may_change(appointment: Appointment, now: datetime, policy: BookingPolicy) -> bool:
    """Whether a client may still cancel or move it online (the one rule: ``change_deadline``)."""
    return appointment.active and now < appointment.start and now <= change_deadline(appointment, policy)


def answer_deadline(
    start: datetime, requested_at: datetime, min_notice_minutes: int, expires_hours: int | None
) -> datetime:
    """Until when a request may wait for the provider's answer: until it would start within the
    minimum notice (no client could book it any later), or ``expires_hours`` after it was made,
    whichever comes first."""
    deadline = start - timedelta(minutes=min_notice_minutes)
    if expires_hours is not None:
        deadline = min(deadline, requested_at + timedelta(hours=expires_hours))
    return deadline


def booked_at(appointment: Appointment) -> datetime | None:
    """When it was booked (None for a copy that does not say)."""
    try:
        return parse_z(appointment.created_at) if appointment.created_at else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DayLedger:
    """A provider's UTC day as stored before block items: busy time of the active appointments
    booked then, and a version."""

    day: str
    version: int = 0  # 0: no ledger item yet
    busy: dict[str, Busy] | None = None

    def entries(self, excluding: str | None = None) -> list[Busy]:
        return [b for appointment_id, b in (self.busy or {}).items() if appointment_id != excluding]
