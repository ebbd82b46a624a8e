"""What the account use cases need: which provider a sign-in reaches, and a provider's data whole."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.booking.appointments import Appointment
from chalicelib.domain.provider import Provider
from chalicelib.services.clients.ports import NoticeKeeper
from chalicelib.services.notifications.ports import Party


@dataclass(frozen=True)
class ImportedAccount:
    """A provider the import made for an old user's Google account, and the sign-in that claimed it."""

    provider_id: str
    claimed_by: str | None = None  # the own provider id of the sign-in holding it (None: unclaimed)


class SignInLinks(abc.ABC):
    """Sign-ins are known by their own provider id (``Identity.own_provider_id``)."""

    @abc.abstractmethod
    def linked_provider(self, own_id: str) -> str | None:
        """The provider the sign-in was linked to (its own id when it is its own); None: never."""

    @abc.abstractmethod
    def imported_for(self, google_subject: str) -> ImportedAccount | None:
        """The imported provider of that Google account, if the import made one."""

    @abc.abstractmethod
    def claim(self, own_id: str, google_subject: str, provider_id: str, now: str) -> bool:
        """Link the sign-in to the imported ``provider_id`` and mark the account claimed, at once;
        False (nothing written) when the account is claimed, the sign-in is linked already, or the
        import no longer gives that account to ``provider_id``."""

    @abc.abstractmethod
    def link_own(self, own_id: str, now: str) -> bool:
        """Link the sign-in to its own provider; False when it was linked already."""


@dataclass
class ErasedItems:
    erased: int  # 0 with nothing active: only the profile is left
    active: list[Appointment] = field(default_factory=list)


class ProviderEraser(NoticeKeeper):
    """Erases a provider's data, in pieces small enough for one call each."""

    @abc.abstractmethod
    def keep_notice_context(
        self, appointment: Appointment, provider: Party, client: Party, until: datetime
    ) -> None:
        """Keep what the emails about ``appointment`` need beside it (not with the provider's
        data) until ``until``: the stream consumer still writes them once the provider is gone."""

    @abc.abstractmethod
    def release_slug(self, provider: Provider) -> None:
        """Give up the provider's slug: its page is gone, another provider may claim it."""

    @abc.abstractmethod
    def erase_items(self, provider_id: str, limit: int, now: datetime) -> ErasedItems:
        """Erase up to ``limit`` of the provider's items other than its profile, with what hangs
        off its appointments elsewhere (booking references, manage links, and the notification
        items of those that have ended). An appointment still pending or confirmed that has not
        ended is never erased: it is handed back, to be cancelled (and its client told) first,
        and while one is, nothing but appointments is erased (its busy time must stay)."""

    @abc.abstractmethod
    def erase_profile(self, provider_id: str, own_id: str) -> None:
        """Last: the profile, the import's records of the provider's Google accounts, and the link
        of the sign-in ``own_id`` (so a retry until then still reaches this provider)."""
