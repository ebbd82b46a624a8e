"""The JWKS is fetched over real HTTP with requests; failures keep the last good keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.adapters.jwt import (
    JWKS_TIMEOUT_SECONDS,
    CognitoStyleVerifier,
    JwksCache,
    JwksFetchError,
    http_jwks_fetcher,
)
from chalicelib.domain.errors import AuthenticationError
from tests.support import JwksServer
from tests.tokens import CLIENT_ID, ISSUER, SigningKey, id_claims, jwks

pytestmark = pytest.mark.integration


@pytest.fixture
def key() -> SigningKey:
    return SigningKey("http-key")


@pytest.fixture
def server(key: SigningKey) -> Iterator[JwksServer]:
    running = JwksServer(jwks(key))
    yield running
    running.stop()


def test_the_timeout_is_at_most_three_seconds() -> None:
    assert JWKS_TIMEOUT_SECONDS <= 3


def test_keys_are_fetched_over_http_once_and_cached(server: JwksServer, key: SigningKey) -> None:
    verifier = CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(http_jwks_fetcher(server.url)))
    for _ in range(5):
        assert verifier.verify(key.sign(id_claims())).email == "pat@example.com"
    assert server.hits == 1


def test_endpoint_down_after_warm_fetch_keeps_verifying(server: JwksServer, key: SigningKey) -> None:
    cache = JwksCache(http_jwks_fetcher(server.url), cooldown_seconds=0)
    verifier = CognitoStyleVerifier(ISSUER, CLIENT_ID, cache)
    verifier.verify(key.sign(id_claims()))
    server.stop()
    with pytest.raises(AuthenticationError):
        verifier.verify(SigningKey("rotated").sign(id_claims()))  # refetch fails: connection refused
    assert cache.fetch_count == 2
    assert verifier.verify(key.sign(id_claims())).sub == "0f3c5e1a-provider"


def test_a_slow_endpoint_times_out_instead_of_hanging(server: JwksServer) -> None:
    server.delay = 1.0
    with pytest.raises(JwksFetchError):
        http_jwks_fetcher(server.url, timeout=0.2)()


def test_a_non_json_answer_is_a_fetch_error(server: JwksServer) -> None:
    server.document = b"<html>oops</html>"
    with pytest.raises(JwksFetchError):
        http_jwks_fetcher(server.url)()


def test_a_document_without_keys_is_a_fetch_error(server: JwksServer) -> None:
    server.document = {"nothing": []}
    with pytest.raises(JwksFetchError, match="keys"):
        http_jwks_fetcher(server.url)()
