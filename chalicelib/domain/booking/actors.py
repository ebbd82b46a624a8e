"""Who acts on a booking: a client (on the public page, or through their manage link), the
provider, or the system itself. What each may do follows from the role, never from a flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.booking.appointments import Appointment, may_change
from chalicelib.domain.catalog import Service
from chalicelib.domain.provider import BookingPolicy


class Role(StrEnum):
    CLIENT = "client"
    PROVIDER = "provider"
    SYSTEM = "system"


# Appointment.source: who booked it, as stored and shown (imports write their own, "import").
SOURCES = {Role.CLIENT: "public", Role.PROVIDER: "provider", Role.SYSTEM: "system"}


@dataclass(frozen=True)
class Actor:
    role: Role
    provider_id: str = ""  # the provider acting (PROVIDER)
    manage_token: str = ""  # the client's manage token, once they have a booking (CLIENT)

    @classmethod
    def client(cls, manage_token: str = "") -> Actor:
        return cls(Role.CLIENT, manage_token=manage_token)

    @classmethod
    def provider(cls, provider_id: str) -> Actor:
        return cls(Role.PROVIDER, provider_id=provider_id)

    @classmethod
    def system(cls) -> Actor:
        """The service itself (maintenance, tools): bound by neither visibility nor notice."""
        return cls(Role.SYSTEM)

    @property
    def source(self) -> str:
        return SOURCES[self.role]

    def may_book(self, service: Service) -> bool:
        """A client books public and unlisted services; a hidden one is the provider's to book."""
        return service.visible or self.role is not Role.CLIENT

    def asks_approval(self, service: Service) -> bool:
        """A client's booking of a service that requires approval is a request; the provider's
        own booking is confirmed at once."""
        return service.requires_approval and self.role is Role.CLIENT

    @property
    def may_override(self) -> bool:
        """Only the provider books past her own rules (``override_rules``) or without telling
        the client (``notify_client``); a client's request asking for either is not obeyed."""
        return self.role is Role.PROVIDER

    @property
    def must_answer(self) -> bool:
        """A client answers a service's required questions; the provider booking for someone
        may leave them out (what is answered is checked all the same)."""
        return self.role is Role.CLIENT

    def acts_for(self, appointment: Appointment) -> bool:
        """A provider acts on its own calendar only."""
        return self.role is not Role.PROVIDER or appointment.provider_id == self.provider_id

    def may_change(self, appointment: Appointment, now: datetime, policy: BookingPolicy) -> bool:
        """A client cancels or moves a booking only while the provider's notice (or the grace
        period after booking) allows it."""
        if self.role is not Role.CLIENT:
            return True
        return may_change(appointment, now, policy)
