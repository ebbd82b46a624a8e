"""Who calls a protected route, established by the route itself before its handler runs.

A route declares ``auth`` (and optionally a ``scope``) on its ``Operation``; ``route()`` calls
``caller_of`` and hands the result to the handler. A new kind of credential (an API key) is a new
branch in ``caller_of`` that answers a ``Caller`` with the scopes it was granted: the handlers do
not change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.errors import AuthenticationError, PermissionDeniedError

if TYPE_CHECKING:
    from chalice.app import Request

    from chalicelib.domain.provider import Identity

# What a signed-in provider holds: every scope a route may ask for.
ANY_SCOPE = "*"


class MissingScopeError(PermissionDeniedError):
    code = "insufficient_scope"


@dataclass(frozen=True)
class Caller:
    """The provider a protected call acts for, and what its credential lets it do.

    ``identity`` holds the claims the provider's profile is created from on its first call.
    """

    provider_id: str
    scopes: frozenset[str]
    identity: Identity

    def allows(self, scope: str | None) -> bool:
        return scope is None or ANY_SCOPE in self.scopes or scope in self.scopes


def bearer_token(request: Request) -> str:
    header = str(request.headers.get("authorization", ""))
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("A bearer token is required (Authorization: Bearer <token>).")
    return token.strip()


def caller_of(request: Request, scope: str | None = None) -> Caller:
    """The verified caller of ``request``; 401 without a valid credential, 403 without ``scope``."""
    from chalicelib.domain.integrations.api_keys import looks_like_key

    token = bearer_token(request)
    return require(with_key(token) if looks_like_key(token) else signed_in(token), scope)


def with_key(text: str) -> Caller:
    """A program calling with an API key: the provider that made it, within the key's scopes.

    Its identity is linked to that provider, so nothing is ever created from it: a key of a
    provider gone is refused with the provider (its lookup is erased with it).
    """
    from chalicelib.bootstrap import container
    from chalicelib.domain.provider import Identity
    from chalicelib.services.integrations.api_keys import authenticate

    c = container()
    grant = authenticate(text, c.api_keys, c.clock)
    identity = Identity(
        sub=f"api-key:{grant.key_id}",
        email=None,
        name=None,
        token_use="api_key",
        may_sign_up=False,
        linked_provider_id=grant.provider_id,
    )
    return Caller(grant.provider_id, grant.scopes, identity)


def signed_in(token: str) -> Caller:
    """A provider signed in with a token of the stage's issuer: it may do everything."""
    from chalicelib.bootstrap import container

    c = container()
    identity = c.verifier.verify(token)
    # Whether the stage's sign-up policy lets this caller become a provider (checked only when
    # they have no profile yet).
    identity = dataclasses.replace(identity, may_sign_up=c.settings.signup.allows(identity.email))
    # The provider it reaches: its own, or an imported one its Google account claimed.
    identity = c.linking.resolve(identity)
    return Caller(identity.provider_id, frozenset({ANY_SCOPE}), identity)


def require(caller: Caller, scope: str | None) -> Caller:
    if not caller.allows(scope):
        raise MissingScopeError(f"This credential does not allow '{scope}'.")
    return caller
