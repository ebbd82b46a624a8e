"""A good signature is not enough: claims are data, checked for type, length and content."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import pytest

from chalicelib.adapters.jwt import CognitoStyleVerifier, JwksCache
from chalicelib.domain.errors import AuthenticationError
from chalicelib.domain.ids import is_id
from chalicelib.domain.provider import Identity, provider_id_for
from chalicelib.services.catalog.providers import get_or_create_me
from chalicelib.services.shared import SystemClock
from tests.tokens import CLIENT_ID, ISSUER, SigningKey, id_claims, jwks

pytestmark = pytest.mark.unit


@pytest.fixture
def key() -> SigningKey:
    return SigningKey("key-1")


@pytest.fixture
def verifier(key: SigningKey) -> CognitoStyleVerifier:
    return CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(lambda: jwks(key)))


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": str(int(time.time()) + 3600)},  # NumericDate is a JSON number, not a string
        {"iat": str(int(time.time()))},
        {"nbf": True},
        {"exp": int(time.time()) + 3600.5, "iat": "0"},
    ],
)
def test_dates_that_are_not_json_numbers_are_refused(
    verifier: CognitoStyleVerifier, key: SigningKey, claims: dict[str, Any]
) -> None:
    with pytest.raises(AuthenticationError, match="NumericDate"):
        verifier.verify(key.sign(id_claims(**claims)))


def test_fractional_numeric_dates_are_fine(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    assert verifier.verify(key.sign(id_claims(exp=time.time() + 3600.25))).email == "pat@example.com"


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"sub": "s" * 3000}, "sub is not a string"),
        ({"sub": ""}, "sub is not a string"),
        ({"sub": 12345}, "not valid"),  # pyjwt itself wants a string subject
        ({"sub": "line\nbreak"}, "sub holds a control character"),
        ({"email": "pat@example.com\r\nBcc: victim@example.com"}, "email holds a control character"),
        ({"email": ["pat@example.com"]}, "email is not a string"),
        ({"email": "p" * 300 + "@example.com"}, "email is not a string"),
        ({"name": "Pat\u2028Smith"}, "name holds a control character"),
        ({"name": "n" * 2_000}, "name is not a string"),
        ({"name": "n" * 10_000}, "too long"),
    ],
)
def test_claims_that_could_break_keys_or_headers_refuse_the_token(
    verifier: CognitoStyleVerifier, key: SigningKey, claims: dict[str, Any], message: str
) -> None:
    with pytest.raises(AuthenticationError, match=message):
        verifier.verify(key.sign(id_claims(**claims)))


def test_a_deeply_nested_header_is_a_malformed_token_not_a_crash(verifier: CognitoStyleVerifier) -> None:
    nested = "[" * 5000 + "]" * 5000
    header = base64.urlsafe_b64encode(f'{{"alg":"RS256","kid":"key-1","x":{nested}}}'.encode()).rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps(id_claims()).encode()).rstrip(b"=")
    with pytest.raises(AuthenticationError):
        verifier.verify(f"{header.decode()}.{payload.decode()}.c2ln")


def test_an_oversized_token_is_refused_before_it_is_parsed(verifier: CognitoStyleVerifier) -> None:
    with pytest.raises(AuthenticationError, match="too long"):
        verifier.verify("a" * 9000)


def test_a_uuid_subject_is_its_own_provider_id_so_stored_providers_keep_theirs() -> None:
    sub = str(uuid.uuid4())
    assert provider_id_for(sub) == sub


@pytest.mark.parametrize(
    "sub", ["user#PROFILE", "Google_1234567890", "a" * 128, "ÄÖÜ", str(uuid.uuid4()).upper()]
)
def test_any_other_subject_becomes_a_hash_that_cannot_break_a_key(sub: str) -> None:
    derived = provider_id_for(sub)
    assert is_id(derived) and "#" not in derived
    assert derived == provider_id_for(sub), "stable: the same subject finds the same provider"
    assert derived != provider_id_for(sub + "x")


class OneProviderRepo:
    """Just enough of a provider repository to see what would be stored."""

    def __init__(self) -> None:
        self.created: list[Any] = []

    def get_provider(self, provider_id: str) -> None:
        return None

    def create_provider(self, provider: Any) -> bool:
        self.created.append(provider)
        return True


def test_a_long_name_from_the_token_is_cut_to_the_profile_rule() -> None:
    repo = OneProviderRepo()
    identity = Identity(sub="user#1", email="pat@example.com", name="Pat " * 200, token_use="id")
    provider = get_or_create_me(identity, repo, SystemClock())  # type: ignore[arg-type]
    assert len(provider.name) <= 100 and provider.name.startswith("Pat Pat")
    assert provider.id == provider_id_for("user#1") and "#" not in provider.id
