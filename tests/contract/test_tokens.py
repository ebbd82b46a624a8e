"""TokenIssuer and TokenVerifier: a token issued for an email verifies as that person.

Run against the local stage's issuer with the verifier the app uses in AWS, and the in-memory pair.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.adapters.jwt import CognitoStyleVerifier, JwksCache
from chalicelib.adapters.local_issuer import LocalIssuer
from chalicelib.adapters.memory.shared import MemoryTokens
from chalicelib.domain.errors import AuthenticationError
from chalicelib.services.shared import TokenIssuer, TokenVerifier

pytestmark = pytest.mark.contract
ISSUER, CLIENT = "http://127.0.0.1:8000/local-issuer", "local-client"


@pytest.fixture(params=["memory", "local"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[TokenIssuer, TokenVerifier]:
    if request.param == "memory":
        tokens = MemoryTokens()
        return tokens, tokens
    issuer = LocalIssuer(str(tmp_path), ISSUER, CLIENT)
    return issuer, CognitoStyleVerifier(ISSUER, CLIENT, JwksCache(issuer.jwks))


def test_an_id_token_names_the_person_and_an_access_token_only_the_subject(
    pair: tuple[TokenIssuer, TokenVerifier],
) -> None:
    issuer, verifier = pair
    tokens = issuer.issue("pat@example.com", "Pat")
    assert (tokens.token_type, tokens.expires_in > 0) == ("Bearer", True)
    person = verifier.verify(tokens.id_token)
    assert (person.email, person.name, person.token_use) == ("pat@example.com", "Pat", "id")
    access = verifier.verify(tokens.access_token)
    assert (access.sub, access.email, access.token_use) == (person.sub, None, "access")


def test_the_same_email_signs_in_as_the_same_subject(pair: tuple[TokenIssuer, TokenVerifier]) -> None:
    issuer, verifier = pair
    first = verifier.verify(issuer.issue("pat@example.com", "Pat").id_token)
    again = verifier.verify(issuer.issue("PAT@example.com", "Pat").id_token)
    other = verifier.verify(issuer.issue("sam@example.com", "Sam").id_token)
    assert first.sub == again.sub != other.sub


def test_anything_else_is_refused(pair: tuple[TokenIssuer, TokenVerifier]) -> None:
    issuer, verifier = pair
    token = issuer.issue("pat@example.com", "Pat").id_token
    for forged in ("", "not-a-token", token[:-4] + "AAAA"):
        with pytest.raises(AuthenticationError):
            verifier.verify(forged)


def test_a_google_sign_in_carries_its_subject_and_is_its_own_user_whatever_the_email(
    pair: tuple[TokenIssuer, TokenVerifier],
) -> None:
    issuer, verifier = pair
    g1, g2 = "108204892240000000001", "108204892240000000002"
    google = verifier.verify(issuer.issue("pat@example.com", "Pat", google_sub=g1).id_token)
    other = verifier.verify(issuer.issue("pat@example.com", "Pat", google_sub=g2).id_token)
    plain = verifier.verify(issuer.issue("pat@example.com", "Pat").id_token)
    assert google.google_subjects == (g1,)
    assert plain.google_subjects == ()
    assert len({google.sub, other.sub, plain.sub}) == 3  # one email, three users
    again = verifier.verify(issuer.issue("new@example.com", "Pat", google_sub=g1).id_token)
    assert again.sub == google.sub  # a Google account is one user, whatever email it shows now
    access = verifier.verify(issuer.issue("pat@example.com", "Pat", google_sub=g1).access_token)
    assert (access.sub, access.google_subjects) == (google.sub, ())  # as Cognito: only id tokens say
