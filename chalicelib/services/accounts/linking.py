"""Which provider a verified sign-in reaches: its own, or an imported one it claimed.

The import makes a provider for each old user and records the user's Google subjects; the first
id token whose ``identities`` carry one of them (Cognito verified that Google account) claims
that provider: the sign-in is linked to it once, and from then on every call of that Cognito user
reaches its data. An email never links anything: a second Google account with the same email
gets a provider of its own. A sign-in that reaches no import is linked to its own provider, so
each later call reads one item; an import made after a provider's first sign-in is therefore
not claimed by it (docs/import.md says what to do then).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from chalicelib.domain.provider import Identity
from chalicelib.observability import logger
from chalicelib.services.accounts.ports import SignInLinks
from chalicelib.services.shared import Clock

CACHE_SECONDS = 60.0  # how stale a container may be about a link after DELETE /me elsewhere
CACHE_SIZE = 4096


class LinkCache:
    """Links already read, per container: a link only changes when its provider is deleted."""

    def __init__(
        self,
        seconds: float = CACHE_SECONDS,
        size: int = CACHE_SIZE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seconds = seconds
        self._size = size
        self._monotonic = monotonic
        self._links: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, own_id: str) -> str | None:
        with self._lock:
            found = self._links.get(own_id)
            if found is None or found[1] <= self._monotonic():
                self._links.pop(own_id, None)
                return None
            return found[0]

    def put(self, own_id: str, provider_id: str) -> None:
        with self._lock:
            self._links[own_id] = (provider_id, self._monotonic() + self._seconds)
            self._links.move_to_end(own_id)
            while len(self._links) > self._size:
                self._links.popitem(last=False)

    def forget(self, own_id: str) -> None:
        with self._lock:
            self._links.pop(own_id, None)


@dataclasses.dataclass
class Linking:
    links: SignInLinks
    clock: Clock
    cache: LinkCache = dataclasses.field(default_factory=LinkCache)

    def resolve(self, identity: Identity) -> Identity:
        """``identity`` with the provider it reaches (``linked_provider_id`` when not its own)."""
        own = identity.own_provider_id
        provider_id = self.cache.get(own) or self.links.linked_provider(own)
        if provider_id is None:
            provider_id = self._first_link(identity)
        if provider_id is not None:
            self.cache.put(own, provider_id)
        if provider_id in (None, own):
            return identity
        return dataclasses.replace(identity, linked_provider_id=provider_id)

    def _first_link(self, identity: Identity) -> str | None:
        """The first call of a sign-in: claim an import of its Google account, else link it to its
        own provider. Only an id token links: an access token carries no ``identities``, and
        linking it to its own provider would keep its user from ever claiming the import."""
        if identity.token_use != "id":
            return None
        own = identity.own_provider_id
        for subject in identity.google_subjects:
            imported = self.links.imported_for(subject)
            if imported is None or imported.claimed_by not in (None, own):
                continue
            if self.links.claim(own, subject, imported.provider_id, self.clock.stamp()):
                logger.info("Imported provider claimed", extra={"provider_id": imported.provider_id})
                return imported.provider_id
            # Lost a race: to this sign-in's other call (the link says where), or to another
            # sign-in of the same Google account (the account is taken: this one goes on).
            linked = self.links.linked_provider(own)
            if linked is not None:
                return linked
        if not identity.may_sign_up:  # no provider of its own to link to (the sign-up policy)
            return None
        if self.links.link_own(own, self.clock.stamp()):
            return own
        return self.links.linked_provider(own)

    def forget(self, identity: Identity) -> None:
        """After the sign-in's provider is deleted: this container reads the link again."""
        self.cache.forget(identity.own_provider_id)
