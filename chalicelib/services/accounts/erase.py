"""DELETE /me: a provider's data erased, after its clients were told of their cancelled bookings.

In order, each step safe to run again, so a call stopped anywhere (out of time, a failure) is
finished by the next one:

1. the slug is released: the public page is gone, nobody books any more;
2. every future appointment still pending or confirmed is cancelled through the provider's own
   cancellation path, so the stream consumer emails the client (and the provider) as it always
   does; beforehand, what that email needs (both names, emails and zones) is kept beside the
   appointment for ``NOTICE_CONTEXT_KEPT``, since the provider's data is gone by the time the
   consumer may get to it (docs/api.md, "DELETE /me", lists what stays and for how long);
3. the provider's items are erased, a page at a time, with what hangs off its appointments (an
   active appointment the listing missed is cancelled then, never erased uncancelled);
4. last, the profile and the sign-in's link: until then a retry reaches the same provider.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.domain.booking.actors import Actor
from chalicelib.domain.booking.appointments import Appointment, InvalidTransitionError
from chalicelib.domain.booking.clients import ERASED_NAME
from chalicelib.domain.errors import ConcurrentChangeError
from chalicelib.domain.languages import provider_language
from chalicelib.domain.provider import Identity, Provider
from chalicelib.observability import logger
from chalicelib.services.accounts.export import LATEST
from chalicelib.services.accounts.ports import ProviderEraser
from chalicelib.services.booking import appointment_changes
from chalicelib.services.booking.ports import BookingRepository
from chalicelib.services.catalog.ports import ProviderRepository
from chalicelib.services.clients.ports import ClientRepository
from chalicelib.services.notifications.ports import Party
from chalicelib.services.shared import Clock

# Long enough for the stream's retries (24 h) and a redrive of its failure queue after a weekend.
NOTICE_CONTEXT_KEPT = timedelta(days=3)
BUDGET_SECONDS = 10.0  # of one call; the API's function may run 20 s
PAGE = 100
# Without a reason given, none: each cancellation records the provider as its author
# (``cancelled_by``), and its emails say so in their recipient's language.
DEFAULT_REASON = ""


@dataclass
class Erasure:
    done: bool
    cancelled: int = 0
    erased: int = 0


@dataclass(frozen=True)
class EraseSources:
    providers: ProviderRepository
    bookings: BookingRepository
    clients: ClientRepository
    eraser: ProviderEraser


def erase_me(
    identity: Identity,
    reason: str,
    sources: EraseSources,
    clock: Clock,
    budget_seconds: float | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> Erasure:
    """As far as the budget (``BUDGET_SECONDS``) goes; ``done`` once nothing of the provider is left."""
    provider = sources.providers.get_provider(identity.provider_id)
    budget = BUDGET_SECONDS if budget_seconds is None else budget_seconds
    run = _Run(sources, clock, reason or DEFAULT_REASON, monotonic() + budget, monotonic)
    if provider is not None and not run.erase(provider):
        return run.erasure
    sources.eraser.erase_profile(identity.provider_id, identity.own_provider_id)
    logger.info("Provider erased", extra={"provider_id": identity.provider_id})
    run.erasure.done = True
    return run.erasure


@dataclass
class _Run:
    sources: EraseSources
    clock: Clock
    reason: str
    deadline: float
    monotonic: Callable[[], float]
    erasure: Erasure = field(default_factory=lambda: Erasure(done=False))

    def out_of_time(self) -> bool:
        return self.monotonic() >= self.deadline

    def erase(self, provider: Provider) -> bool:
        """Everything but the profile; False when the deadline came first."""
        self.sources.eraser.release_slug(provider)
        if not self.cancel_future(provider):
            return False
        while not self.out_of_time():
            page = self.sources.eraser.erase_items(provider.id, PAGE, self.clock.now())
            self.erasure.erased += page.erased
            # Booked after the listing above (it reads an index that lags): cancelled the same way.
            for appointment in page.active:
                if self.cancel(appointment, provider):
                    self.erasure.cancelled += 1
            if page.erased == 0 and not page.active:
                return True
        return False

    def cancel_future(self, provider: Provider) -> bool:
        cursor: str | None = None
        bookings = self.sources.bookings
        while not self.out_of_time():
            page = bookings.list_appointments(provider.id, self.clock.now(), LATEST, None, None, PAGE, cursor)
            for appointment in page.items:
                if appointment.active and self.cancel(appointment, provider):
                    self.erasure.cancelled += 1
            if page.next_cursor is None:
                return True
            cursor = page.next_cursor
        return False

    def cancel(self, appointment: Appointment, provider: Provider) -> bool:
        client = self.sources.clients.get_client(provider.id, appointment.client_id)
        self.sources.eraser.keep_notice_context(
            appointment,
            Party(provider.name, provider.email, provider.timezone, language=provider_language(provider)),
            Party(client.name, client.email, client.timezone, client.erased)
            if client
            else Party(ERASED_NAME, None, "", erased=True),
            self.clock.now() + NOTICE_CONTEXT_KEPT,
        )
        by, bookings = Actor.provider(provider.id), self.sources.bookings
        current: Appointment | None = appointment
        for _ in range(2):  # the list is read from an index: the stored state may be newer
            if current is None or not current.active:
                return False
            try:
                appointment_changes.cancel(current, self.reason, by, provider.policy, bookings, self.clock)
                return True
            except (ConcurrentChangeError, InvalidTransitionError):
                current = bookings.get_appointment(provider.id, appointment.id)
        raise ConcurrentChangeError("The calendar kept changing; send DELETE /me again.")
