"""A provider's clients: who booked, found by email, erasable on request."""

from __future__ import annotations

from dataclasses import dataclass

ERASED_NAME = "Erased client"


@dataclass(frozen=True)
class ClientDetails:
    """What a person gives when booking."""

    name: str
    email: str
    phone: str = ""

    @property
    def email_key(self) -> str:
        return self.email.strip().lower()


@dataclass(frozen=True)
class Client:
    id: str
    provider_id: str
    name: str
    email: str | None
    phone: str = ""
    notes: str = ""
    timezone: str = ""
    erased: bool = False
    created_at: str = ""
    updated_at: str = ""
