"""What every booking decision shares: which days to read, the slot rules, the busy time read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from chalicelib.domain.booking import blocks
from chalicelib.domain.booking.appointments import (
    PENDING,
    Appointment,
    DailyLimitError,
    OutsideHoursError,
    SlotUnavailableError,
    TooFarAheadError,
    TooSoonError,
    answer_deadline,
    booked_at,
)
from chalicelib.domain.booking.service_rules import NO_CAPS, DayCaps, full_days, is_full, local_day, rules_for
from chalicelib.domain.slots import engine
from chalicelib.domain.slots.days import DayPlan
from chalicelib.domain.slots.engine import Busy, SlotRules
from chalicelib.domain.slots.timeline import as_utc
from chalicelib.services.booking.ports import BookingSnapshot, DayCounts

MAX_ATTEMPTS = 4
# Any zone is within 14 h of UTC and buffers add at most 8 h: two days either side cover both.
MARGIN = timedelta(days=2)


def days_between(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def days_around(start: datetime) -> list[str]:
    day = as_utc(start).date()
    return days_between(day - MARGIN, day + MARGIN)


def count_days(start: datetime) -> list[str]:
    """The provider's local dates ``start`` may fall on, whatever her zone (within 14 h of UTC)."""
    day = as_utc(start).date()
    return days_between(day - timedelta(days=1), day + timedelta(days=1))


def counts_read(snapshot: BookingSnapshot, moving: Appointment | None = None) -> DayCounts:
    """The day counts read, less the place of ``moving`` (a rescheduled appointment keeps its own)."""
    read = snapshot.counts or DayCounts()
    counts = DayCounts(dict(read.totals), dict(read.of_service))
    if moving is not None and moving.counted:
        day = moving.counted_day
        counts.totals[day] = counts.totals.get(day, 0) - 1
        if snapshot.service is not None and moving.service_id == snapshot.service.id:
            counts.of_service[day] = counts.of_service.get(day, 0) - 1
    return counts


def check_day(snapshot: BookingSnapshot, start: datetime, moving: Appointment | None = None) -> str:
    """The local date ``start`` counts under; DailyLimitError when that date is full already."""
    day = local_day(start, snapshot.provider.timezone)
    caps = rules_for(snapshot.provider.policy, snapshot.service).caps
    counts = counts_read(snapshot, moving)
    if is_full(day, counts.totals, counts.of_service, caps):
        raise DailyLimitError("This day is fully booked; pick another day.")
    return day


REFUSALS: dict[str, tuple[type[SlotUnavailableError], str]] = {
    engine.TOO_SOON: (TooSoonError, "This time is too soon to book; pick a later slot."),
    engine.TOO_FAR_AHEAD: (TooFarAheadError, "This time is too far ahead to book yet; pick an earlier slot."),
    engine.TAKEN: (SlotUnavailableError, "This time is already taken; pick another slot."),
    engine.OUTSIDE_HOURS: (OutsideHoursError, "This time is outside the bookable hours; pick another slot."),
}


def admit(
    snapshot: BookingSnapshot,
    now: datetime,
    start: datetime,
    duration: int,
    buffers: tuple[int, int],
    override: bool,
    moving: Appointment | None = None,
) -> tuple[str, DayCaps]:
    """The local date ``start`` counts under and the caps its write is held to, if it may be
    booked (a booking, or ``moving`` rescheduled); else the 409 that says why, in the order
    docs/api.md gives: too_soon, too_far_ahead, daily_limit, then taken or outside_hours. With
    ``override`` (the provider's own booking) only another appointment's time refuses it."""
    if override:
        check_free(snapshot, start, duration, buffers, moving)
        return local_day(start, snapshot.provider.timezone), NO_CAPS
    rules = slot_rules(snapshot, now, busy_read(snapshot, moving), duration, buffers, moving)
    reason = engine.unbookable_reason(rules, start)
    if reason in (engine.TOO_SOON, engine.TOO_FAR_AHEAD):
        _refuse(reason)
    day = check_day(snapshot, start, moving)  # before the hours: a full day is closed in the rules
    if reason is not None:
        _refuse(reason)
    return day, rules_for(snapshot.provider.policy, snapshot.service).caps


def _refuse(reason: str) -> None:
    error, message = REFUSALS[reason]
    raise error(message)


def check_free(
    snapshot: BookingSnapshot,
    start: datetime,
    duration: int,
    buffers: tuple[int, int],
    moving: Appointment | None = None,
) -> None:
    """The provider's override: no hours, notice, window or cap, but never over another
    appointment's time (buffers included): 409 ``taken`` then, as for anybody."""
    candidate = Busy(start, start + timedelta(minutes=duration), buffers[0], buffers[1])
    if engine.conflicts(candidate, busy_read(snapshot, moving)):
        _refuse(engine.TAKEN)


def slot_rules(
    snapshot: BookingSnapshot,
    now: datetime,
    busy: Iterable[Busy],
    duration: int,
    buffers: tuple[int, int],
    moving: Appointment | None = None,
) -> SlotRules:
    """The slot rules of the snapshot's service: its own hours and rules where it has them, the
    profile's otherwise; time off, date overrides and full days close dates."""
    service = snapshot.service
    rules = rules_for(snapshot.provider.policy, service)
    own_hours = service is not None and service.hours is not None
    overrides = {
        date.fromisoformat(day): [(r.start, r.end) for r in ranges]
        for day, ranges in snapshot.overrides.items()
    }
    counts = counts_read(snapshot, moving)
    full = full_days(counts.totals, counts.of_service, rules.caps)
    return SlotRules(
        timezone=snapshot.provider.timezone,
        weekly=service.hours if service is not None and service.hours is not None else snapshot.weekly,
        overrides=DayPlan(overrides, snapshot.time_off, full, own_hours),
        # The provider's calendars are busy time like appointments (theirs have no buffers).
        busy=[*busy, *snapshot.calendar_busy.busy(now)],
        duration_minutes=duration,
        buffer_before_minutes=buffers[0],
        buffer_after_minutes=buffers[1],
        slot_interval_minutes=rules.slot_interval_minutes,
        min_notice_minutes=rules.min_notice_minutes,
        max_advance_days=rules.max_advance_days,
        now=now,
    )


def busy_read(snapshot: BookingSnapshot, moving: Appointment | None = None) -> list[Busy]:
    """The busy time read: the day summaries, less the minutes of ``moving`` (an appointment
    being rescheduled frees its own), plus what day ledgers from before block items still hold."""
    days = snapshot.busy_days
    if moving is not None and moving.active and moving.time_blocks:
        days = blocks.without(days, blocks.pieces(moving.busy()))
    found = blocks.busy_from_masks(days)
    excluding = None if moving is None else moving.id
    for ledger in snapshot.ledgers.values():
        found.extend(ledger.entries(excluding=excluding))
    return found


def answer_by(
    snapshot: BookingSnapshot, status: str, start: datetime, requested_at: datetime
) -> datetime | None:
    """When a request at ``start`` (made at ``requested_at``) is declined if still unanswered,
    by the minimum notice of its service (or the profile's) and the profile's expiry; None for a
    booking that is not a request."""
    if status != PENDING:
        return None
    policy = snapshot.provider.policy
    notice = rules_for(policy, snapshot.service).min_notice_minutes
    return answer_deadline(start, requested_at, notice, policy.approval_expires_hours)


def moved_answer_by(snapshot: BookingSnapshot, moved: Appointment, now: datetime) -> datetime | None:
    """The deadline of a request moved to a new time: counted from when it was first made."""
    return answer_by(snapshot, moved.status, moved.start, booked_at(moved) or now)
