"""The ``identities`` claim decides whose data a sign-in reaches: it is read strictly.

Cognito writes one entry per identity provider linked to the user: a list of objects in the id
token, the same list as JSON text in the user's attribute. Only the Google entry's ``userId``
(a Google subject, digits) is taken; a claim of any other shape refuses the token.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.adapters.jwt import MAX_IDENTITIES, CognitoStyleVerifier, JwksCache
from chalicelib.domain.errors import AuthenticationError
from tests.tokens import CLIENT_ID, ISSUER, SigningKey, access_claims, id_claims, jwks

pytestmark = pytest.mark.unit
SUBJECT = "108204892240000000001"


def google(user_id: Any = SUBJECT, **extra: Any) -> dict[str, Any]:
    return {
        "userId": user_id,
        "providerName": "Google",
        "providerType": "Google",
        "issuer": None,
        "primary": "true",
        "dateCreated": "1642699117273",
        **extra,
    }


@pytest.fixture
def key() -> SigningKey:
    return SigningKey("key-1")


@pytest.fixture
def verifier(key: SigningKey) -> CognitoStyleVerifier:
    return CognitoStyleVerifier(ISSUER, CLIENT_ID, JwksCache(lambda: jwks(key)))


@pytest.mark.parametrize(
    "identities",
    [
        [google()],
        json.dumps([google()]),  # the user attribute's form, as a trigger may copy it
        [{"userId": "x@corp.example", "providerName": "Okta", "providerType": "OIDC"}, google()],
        [google(), google()],  # the same account twice is one
    ],
)
def test_the_google_subject_is_read_from_either_form(
    verifier: CognitoStyleVerifier, key: SigningKey, identities: Any
) -> None:
    assert verifier.verify(key.sign(id_claims(identities=identities))).google_subjects == (SUBJECT,)


def test_no_claim_or_only_other_providers_mean_no_google_subject(
    verifier: CognitoStyleVerifier, key: SigningKey
) -> None:
    assert verifier.verify(key.sign(id_claims())).google_subjects == ()
    saml = [{"userId": "ana", "providerName": "Corp", "providerType": "SAML"}]
    assert verifier.verify(key.sign(id_claims(identities=saml))).google_subjects == ()
    assert verifier.verify(key.sign(id_claims(identities=[]))).google_subjects == ()


def test_an_access_token_s_identities_are_not_read(verifier: CognitoStyleVerifier, key: SigningKey) -> None:
    """Cognito puts them in id tokens only: an access token claiming one is not believed."""
    token = key.sign(access_claims(identities=[google()]))
    assert verifier.verify(token).google_subjects == ()


@pytest.mark.parametrize(
    ("identities", "message"),
    [
        ({"userId": SUBJECT, "providerName": "Google"}, "not a list"),
        ("not json", "not a JSON list"),
        ('{"userId": "1"}', "not a list"),
        ("[" * 4097, "identities claim is too long"),
        (json.dumps([[[[[[["deep"]]]]]]]), "not an object"),
        ([google()] * (MAX_IDENTITIES + 1), "at most"),
        (["Google"], "not an object"),
        ([google(user_id="1082-0489")], "no valid userId"),
        ([google(user_id="")], "userId is not a string"),
        ([google(user_id=108204892240000000001)], "userId is not a string"),
        ([google(user_id="1" * 256)], "no valid userId"),
        ([google(user_id="١٢٣")], "no valid userId"),  # digits of another script are not Google's
        ([google(user_id=SUBJECT + "\n")], "control character"),
        ([{"providerName": "Google"}], "no valid userId"),
        ([google(providerName=["Google"])], "providerName is not a string"),
        ([google(providerName="G" * 33)], "providerName is not a string"),
    ],
)
def test_any_other_shape_refuses_the_token(
    verifier: CognitoStyleVerifier, key: SigningKey, identities: Any, message: str
) -> None:
    with pytest.raises(AuthenticationError, match=message):
        verifier.verify(key.sign(id_claims(identities=identities)))
