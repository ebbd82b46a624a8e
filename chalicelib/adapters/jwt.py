"""Token verification with pyjwt, as strict as AWS's own verifier for Cognito tokens.

RS256 only, ``kid`` required, signature, exact ``iss``, ``token_use``, ``aud`` (id token) or
``client_id`` (access token), ``exp``/``nbf`` with a small leeway. Keys come from a JWKS that is
cached, refetched at most once per cooldown on an unknown ``kid``, and kept when a fetch fails.

A good signature does not make the claims safe to use: each claim used must have the type RFC
7519 gives it (``exp``, ``iat``, ``nbf``: NumericDate, a JSON number), be bounded in length, and
hold no control character (an email with CR/LF would reach mail headers).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import jwt
from aws_lambda_powertools import Logger

from chalicelib.domain.errors import AuthenticationError, DependencyUnavailableError
from chalicelib.domain.provider import GOOGLE_SUBJECT, Identity
from chalicelib.services.shared import TokenVerifier

logger = Logger(child=True)

JwksFetcher = Callable[[], dict[str, Any]]

ALGORITHM = "RS256"
MAX_LEEWAY_SECONDS = 5
MAX_TOKEN_CHARS = 8192  # Cognito's tokens are 1-2 KB
MAX_SUB = 128
MAX_EMAIL = 254  # RFC 5321's limit for a path
MAX_NAME_CLAIM = 1000  # the profile keeps the first 100 characters (the PATCH /me rule)
NUMERIC_DATES = ("exp", "iat", "nbf", "auth_time")
# ``identities``: one entry per identity provider linked to the Cognito user (a handful at most).
MAX_IDENTITIES = 10
MAX_IDENTITIES_CHARS = 4096
MAX_PROVIDER_NAME_CLAIM = 32  # Cognito's limit for an identity provider's name
MAX_USER_ID_CLAIM = 1000
GOOGLE_PROVIDER_NAME = "Google"  # the name Cognito requires for its Google identity provider
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
JWKS_COOLDOWN_SECONDS = 30.0
JWKS_TIMEOUT_SECONDS = 3.0


class JwksFetchError(Exception):
    """The JWKS endpoint did not give a usable key set."""


def http_jwks_fetcher(url: str, timeout: float = JWKS_TIMEOUT_SECONDS) -> JwksFetcher:
    def fetch() -> dict[str, Any]:
        import requests  # only token-checking requests pay for this import

        try:
            response = requests.get(url, timeout=timeout)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as error:
            raise JwksFetchError(str(error)) from error
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise JwksFetchError("JWKS document has no 'keys' list")
        return data

    return fetch


class JwksCache:
    """Signing keys by ``kid``; at most one fetch per cooldown, last good keys kept."""

    def __init__(
        self,
        fetch: JwksFetcher,
        cooldown_seconds: float = JWKS_COOLDOWN_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._cooldown = cooldown_seconds
        self._monotonic = monotonic
        self._keys: dict[str, Any] = {}
        self._last_attempt: float | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def key_for(self, kid: str) -> Any:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            key = self._keys.get(kid)
            if key is None and self._may_fetch():
                self._refresh()
                key = self._keys.get(kid)
        if key is None:
            if not self._keys:
                raise DependencyUnavailableError("Signing keys are not available.")
            raise AuthenticationError("The token was signed by an unknown key.")
        return key

    def _may_fetch(self) -> bool:
        now = self._monotonic()
        if self._last_attempt is not None and now - self._last_attempt < self._cooldown:
            return False
        self._last_attempt = now
        return True

    def _refresh(self) -> None:
        self.fetch_count += 1
        try:
            document = self._fetch()
            key_set = jwt.PyJWKSet.from_dict(document)
        except (JwksFetchError, jwt.PyJWKSetError, jwt.InvalidKeyError) as error:
            logger.warning("JWKS fetch failed; keeping the last good keys", extra={"error": str(error)})
            return
        keys = {k.key_id: k for k in key_set.keys if k.key_id and k.algorithm_name == ALGORITHM}
        if keys:
            self._keys = keys


class CognitoStyleVerifier(TokenVerifier):
    def __init__(
        self,
        issuer: str,
        client_id: str,
        keys: JwksCache,
        leeway_seconds: int = MAX_LEEWAY_SECONDS,
    ) -> None:
        if not issuer or not client_id:
            raise ValueError("issuer and client_id are required")
        self._issuer = issuer
        self._client_id = client_id
        self._keys = keys
        self._leeway = min(leeway_seconds, MAX_LEEWAY_SECONDS)

    def verify(self, token: str) -> Identity:
        if len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationError("The token is too long.")
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.InvalidTokenError, RecursionError) as error:
            raise AuthenticationError("The token is malformed.") from error
        if header.get("alg") != ALGORITHM:
            raise AuthenticationError("The token algorithm is not allowed.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("The token has no key id.")
        signing_key = self._keys.key_for(kid)
        claims = self._decode(token, signing_key)
        return self._identity(claims)

    def _decode(self, token: str, signing_key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=signing_key,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as error:
            raise AuthenticationError("The token has expired.") from error
        except (jwt.InvalidTokenError, RecursionError) as error:
            raise AuthenticationError("The token is not valid.") from error
        for name in NUMERIC_DATES:  # pyjwt would take "1767225600" (a string) for a date
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise AuthenticationError(f"The token's {name} is not a NumericDate.")
        return claims

    def _identity(self, claims: dict[str, Any]) -> Identity:
        token_use = claims.get("token_use")
        if token_use == "id":
            audience = claims.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self._client_id not in audiences:
                raise AuthenticationError("The token is for another application.")
        elif token_use == "access":
            if claims.get("client_id") != self._client_id:
                raise AuthenticationError("The token is for another application.")
        else:
            raise AuthenticationError("The token use is not accepted.")
        sub = _text_claim(claims, "sub", MAX_SUB)
        if sub is None:
            raise AuthenticationError("The token has no subject.")
        id_token = token_use == "id"
        return Identity(
            sub=sub,
            email=_text_claim(claims, "email", MAX_EMAIL) if id_token else None,
            name=_text_claim(claims, "name", MAX_NAME_CLAIM) if id_token else None,
            token_use=token_use,
            google_subjects=google_subjects(claims.get("identities")) if id_token else (),
        )


def google_subjects(identities: Any) -> tuple[str, ...]:
    """The Google subjects of a Cognito id token's ``identities`` claim (absent: none).

    Cognito puts there one object per identity provider linked to the user, ``userId`` being the
    subject at that provider: a list of objects in the id token, the same list as JSON text in
    the user's ``identities`` attribute (which a pre-token-generation trigger may copy). Both are
    read; anything else about the claim refuses the token, since it decides whose data is reached.
    """
    found: list[str] = []
    for entry in _identity_entries(identities):
        provider = _text_claim(entry, "providerName", MAX_PROVIDER_NAME_CLAIM)
        user_id = _text_claim(entry, "userId", MAX_USER_ID_CLAIM)
        if provider != GOOGLE_PROVIDER_NAME:
            continue
        if user_id is None or not GOOGLE_SUBJECT.fullmatch(user_id):
            raise AuthenticationError("The token's Google identity has no valid userId.")
        if user_id not in found:
            found.append(user_id)
    return tuple(found)


def _identity_entries(identities: Any) -> list[dict[str, Any]]:
    if identities is None:
        return []
    if isinstance(identities, str):
        if len(identities) > MAX_IDENTITIES_CHARS:
            raise AuthenticationError("The token's identities claim is too long.")
        try:
            identities = json.loads(identities)
        except (ValueError, RecursionError) as error:
            raise AuthenticationError("The token's identities claim is not a JSON list.") from error
    if not isinstance(identities, list) or len(identities) > MAX_IDENTITIES:
        raise AuthenticationError(f"The token's identities claim is not a list of at most {MAX_IDENTITIES}.")
    if not all(isinstance(entry, dict) for entry in identities):
        raise AuthenticationError("An entry of the token's identities claim is not an object.")
    return identities


def _text_claim(claims: dict[str, Any], name: str, longest: int) -> str | None:
    """A string claim, or None when absent; anything else about it refuses the token."""
    if name not in claims:
        return None
    value = claims[name]
    if not isinstance(value, str) or not value or len(value) > longest:
        raise AuthenticationError(f"The token's {name} is not a string of 1 to {longest} characters.")
    if _CONTROL.search(value):
        raise AuthenticationError(f"The token's {name} holds a control character.")
    return value
