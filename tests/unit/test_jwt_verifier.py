"""The verifier accepts exactly what AWS's verifier accepts for a Cognito app client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import threading
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from chalicelib.adapters.jwt import CognitoStyleVerifier, JwksCache, JwksFetchError
from chalicelib.domain.errors import AuthenticationError, DependencyUnavailableError
from tests.tokens import CLIENT_ID, ISSUER, SigningKey, access_claims, id_claims, jwks

pytestmark = pytest.mark.unit


class CountingJwks:
    """A JWKS source that counts fetches and can be switched off."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = list(keys)
        self.calls = 0
        self.down = False

    def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.down:
            raise JwksFetchError("connection refused")
        return jwks(*self.keys)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def key() -> SigningKey:
    return SigningKey("key-1")


@pytest.fixture
def source(key: SigningKey) -> CountingJwks:
    return CountingJwks(key)


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def verifier(source: CountingJwks, clock: FakeMonotonic) -> CognitoStyleVerifier:
    return CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(source, monotonic=clock))


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def test_valid_id_token_gives_the_identity(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    identity = verifier.verify(key.sign(id_claims()))
    assert identity.sub == "0f3c5e1a-provider"
    assert identity.email == "pat@example.com"
    assert identity.token_use == "id"


def test_valid_access_token_gives_the_identity(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    identity = verifier.verify(key.sign(access_claims()))
    assert identity.sub == "0f3c5e1a-provider"
    assert identity.token_use == "access"
    assert identity.email is None


def test_alg_none_is_rejected(verifier: CognitoStyleVerifier) -> None:
    token = _unsigned({"alg": "none", "kid": "key-1", "typ": "JWT"}, id_claims())
    with pytest.raises(AuthenticationError, match="algorithm"):
        verifier.verify(token)


def test_hs256_signed_with_the_public_key_is_rejected(
    verifier: CognitoStyleVerifier, key: SigningKey
) -> None:
    public_pem = key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"key-1","typ":"JWT"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps(id_claims()).encode()).rstrip(b"=")
    signature = hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest()
    token = b".".join([header, payload, base64.urlsafe_b64encode(signature).rstrip(b"=")]).decode()
    with pytest.raises(AuthenticationError, match="algorithm"):
        verifier.verify(token)


def test_signature_from_another_key_with_a_known_kid_is_rejected(verifier: CognitoStyleVerifier) -> None:
    impostor = SigningKey("key-1")
    with pytest.raises(AuthenticationError, match="not valid"):
        verifier.verify(impostor.sign(id_claims()))


def test_tampered_payload_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    header, _, signature = key.sign(id_claims()).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(id_claims(sub="someone-else")).encode()).rstrip(b"=")
    with pytest.raises(AuthenticationError):
        verifier.verify(f"{header}.{forged.decode()}.{signature}")


def test_missing_kid_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    token = jwt.encode(id_claims(), key.private, algorithm="RS256")
    with pytest.raises(AuthenticationError, match="key id"):
        verifier.verify(token)


def test_unknown_kid_refetches_once_then_is_rejected(
    verifier: CognitoStyleVerifier, source: CountingJwks, key: SigningKey, clock: FakeMonotonic
) -> None:
    verifier.verify(key.sign(id_claims()))
    assert source.calls == 1
    clock.now += 45  # keys were loaded a while ago
    stranger = SigningKey("key-unknown")
    with pytest.raises(AuthenticationError, match="unknown key"):
        verifier.verify(stranger.sign(id_claims()))
    assert source.calls == 2
    with pytest.raises(AuthenticationError, match="unknown key"):
        verifier.verify(stranger.sign(id_claims()))
    assert source.calls == 2, "a second unknown kid inside the cooldown must not refetch"


def test_rotated_key_is_picked_up_after_the_cooldown(
    verifier: CognitoStyleVerifier, source: CountingJwks, key: SigningKey, clock: FakeMonotonic
) -> None:
    verifier.verify(key.sign(id_claims()))
    rotated = SigningKey("key-2")
    source.keys.append(rotated)
    clock.now += 31
    assert verifier.verify(rotated.sign(id_claims())).sub == "0f3c5e1a-provider"
    assert source.calls == 2


def test_expired_token_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    now = int(time.time())
    with pytest.raises(AuthenticationError, match="expired"):
        verifier.verify(key.sign(id_claims(iat=now - 3600, exp=now - 30)))


def test_expiry_within_the_five_second_leeway_is_accepted(
    verifier: CognitoStyleVerifier, key: SigningKey
) -> None:
    now = int(time.time())
    assert verifier.verify(key.sign(id_claims(iat=now - 3600, exp=now - 2))).token_use == "id"


def test_leeway_is_never_more_than_five_seconds(source: CountingJwks, key: SigningKey) -> None:
    lenient = CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(source), leeway_seconds=600)
    now = int(time.time())
    with pytest.raises(AuthenticationError, match="expired"):
        lenient.verify(key.sign(id_claims(iat=now - 3600, exp=now - 60)))


def test_not_before_in_the_future_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(id_claims(nbf=int(time.time()) + 120)))


def test_wrong_issuer_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(id_claims(iss=ISSUER + "-other")))


def test_issuer_must_match_exactly_not_by_prefix(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(id_claims(iss=ISSUER + "/")))


def test_id_token_for_another_audience_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError, match="another application"):
        verifier.verify(key.sign(id_claims(aud="another-client")))


def test_access_token_of_another_client_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError, match="another application"):
        verifier.verify(key.sign(access_claims(client_id="another-client")))


def test_token_use_mismatch_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    # An id token relabelled as an access token has no client_id: refused.
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(id_claims(token_use="access")))
    # An access token relabelled as an id token has no aud: refused.
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(access_claims(token_use="id")))


def test_other_token_uses_are_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    with pytest.raises(AuthenticationError, match="use"):
        verifier.verify(key.sign(id_claims(token_use="refresh")))


def test_token_without_token_use_is_rejected(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    claims = id_claims()
    del claims["token_use"]
    with pytest.raises(AuthenticationError):
        verifier.verify(key.sign(claims))


def test_garbage_is_rejected(verifier: CognitoStyleVerifier) -> None:
    for garbage in ("garbage", "a.b.c", "", "Bearer x"):
        with pytest.raises(AuthenticationError):
            verifier.verify(garbage)


def test_jwks_down_after_a_warm_fetch_still_verifies(
    verifier: CognitoStyleVerifier, source: CountingJwks, key: SigningKey, clock: FakeMonotonic
) -> None:
    verifier.verify(key.sign(id_claims()))
    source.down = True
    clock.now += 60
    with pytest.raises(AuthenticationError):  # unknown kid: refetch fails, old keys kept
        verifier.verify(SigningKey("key-new").sign(id_claims()))
    assert source.calls == 2
    assert verifier.verify(key.sign(id_claims())).sub == "0f3c5e1a-provider"


def test_no_keys_at_all_is_a_dependency_failure(source: CountingJwks, key: SigningKey) -> None:
    source.down = True
    cold = CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(source))
    with pytest.raises(DependencyUnavailableError):
        cold.verify(key.sign(id_claims()))


def test_thousand_random_kids_cause_at_most_one_fetch_per_cooldown(
    verifier: CognitoStyleVerifier, source: CountingJwks, key: SigningKey, clock: FakeMonotonic
) -> None:
    rng = random.Random(7)
    tokens = [
        jwt.encode(id_claims(), key.private, algorithm="RS256", headers={"kid": f"kid-{rng.getrandbits(64)}"})
        for _ in range(1000)
    ]
    rejected = 0
    for index, token in enumerate(tokens):
        if index == 500:
            clock.now += 30  # one cooldown later: one more fetch is allowed
        try:
            verifier.verify(token)
        except AuthenticationError:
            rejected += 1
    assert rejected == 1000
    assert source.calls == 2


def test_concurrent_unknown_kids_share_one_fetch(source: CountingJwks, key: SigningKey) -> None:
    verifier = CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(source))
    tokens = [
        jwt.encode(id_claims(), key.private, algorithm="RS256", headers={"kid": f"random-{i}"})
        for i in range(200)
    ]
    errors: list[Exception] = []

    def attempt(chunk: list[str]) -> None:
        for token in chunk:
            try:
                verifier.verify(token)
            except (AuthenticationError, DependencyUnavailableError) as error:
                errors.append(error)

    threads = [threading.Thread(target=attempt, args=(tokens[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 200
    assert source.calls == 1
