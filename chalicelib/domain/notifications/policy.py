"""What a client's email says about changing the booking: the provider's cancellation policy, and,
inside its window, that it cannot be changed online and how to reach the provider instead.

The words are the ``email.*`` messages of the catalogs (chalicelib/i18n), in the recipient's
language (``Words``; English when none is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.notifications.wording import ENGLISH, Words
from chalicelib.domain.provider import BookingPolicy

DAY, HOUR = 1440, 60


@dataclass(frozen=True)
class ChangePolicy:
    """The provider's rules for a client's changes, as her profile had them when the email went."""

    notice_minutes: int  # cancellation_notice_minutes
    grace_minutes: int  # change_grace_minutes


@dataclass(frozen=True)
class PolicyText:
    paragraph: str
    link_text: str  # what the manage link is called


def duration(minutes: int, words: Words = ENGLISH) -> str:
    """``24 hours``, ``2 days``, ``90 minutes``: whole days from two days up, whole hours, else minutes."""
    if minutes >= 2 * DAY and minutes % DAY == 0:
        return words.count("email.duration.days", minutes // DAY)
    if minutes >= HOUR and minutes % HOUR == 0:
        return words.count("email.duration.hours", minutes // HOUR)
    return words.count("email.duration.minutes", minutes)


def change_policy_text(
    policy: ChangePolicy,
    start: datetime,
    booked_at: datetime | None,
    now: datetime,
    provider: str,
    provider_email: str,
    when: str,
    words: Words = ENGLISH,
) -> PolicyText:
    """The policy as it stands at ``now``: free changes up to the notice, or, inside it, that the
    booking cannot be changed online (but during the grace minutes after booking) and whom to ask.
    ``when``: the end of the grace period as the recipient reads times (used only while it runs)."""
    if now + timedelta(minutes=policy.notice_minutes) <= start:
        if policy.notice_minutes == 0:
            return PolicyText(words("email.policy.until_start"), words("email.link.change"))
        free = words("email.policy.free", notice=duration(policy.notice_minutes, words))
        return PolicyText(free, words("email.link.change"))
    contact = (
        words("email.policy.contact_email", provider=provider, email=provider_email)
        if provider_email
        else words("email.policy.contact", provider=provider)
    )
    locked = words("email.policy.locked", notice=duration(policy.notice_minutes, words))
    grace_ends = None if booked_at is None else booked_at + timedelta(minutes=policy.grace_minutes)
    if grace_ends is not None and policy.grace_minutes > 0 and now < grace_ends < start:
        grace = words("email.policy.grace", grace=duration(policy.grace_minutes, words), when=when)
        return PolicyText(f"{locked} {contact} {grace}", words("email.link.correct"))
    return PolicyText(f"{locked} {contact}", words("email.link.view"))


def grace_end(policy: ChangePolicy, booked_at: datetime | None) -> datetime | None:
    return None if booked_at is None else booked_at + timedelta(minutes=policy.grace_minutes)


def change_policy_of(policy: BookingPolicy) -> ChangePolicy:
    return ChangePolicy(policy.cancellation_notice_minutes, policy.change_grace_minutes)
