"""The sign-up policy: who may become a provider, as Cognito's trigger and the app both check it."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from chalicelib.domain.signup import SignUpPolicy
from chalicelib.jobs import signup

pytestmark = pytest.mark.unit

CLINIC = SignUpPolicy.parse("allowlist", ["owner@example.org", "@clinic.example", "school.example"])


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("owner@example.org", True),
        ("OWNER@Example.ORG", True),
        ("someone@clinic.example", True),
        ("teacher@school.example", True),
        ("other@example.org", False),
        ("someone@sub.clinic.example", False),  # a domain does not cover its subdomains
        ("someone@clinic.example.evil.test", False),
        ("x@evil.test@clinic.example", False),
        ("clinic.example", False),
        ("@clinic.example", False),
        ("", False),
        (None, False),
    ],
)
def test_an_allowlist_admits_its_addresses_and_domains_only(email: str | None, allowed: bool) -> None:
    assert CLINIC.allows(email) is allowed


def test_open_admits_anyone_even_without_an_address() -> None:
    policy = SignUpPolicy.from_env({})
    assert policy.mode == "open"
    assert policy.allows("anyone@anywhere.example") and policy.allows(None)


def test_an_empty_allowlist_admits_nobody() -> None:
    assert not SignUpPolicy.from_env({"SIGNUP_POLICY": "allowlist", "SIGNUP_ALLOWLIST": ""}).allows(
        "a@b.example"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"SIGNUP_POLICY": "invite-only"},
        {"SIGNUP_POLICY": "allowlist", "SIGNUP_ALLOWLIST": "not a domain"},
        {"SIGNUP_POLICY": "allowlist", "SIGNUP_ALLOWLIST": "a@b@c.example"},
        {"SIGNUP_POLICY": "allowlist", "SIGNUP_ALLOWLIST": ",".join(f"d{n}.example" for n in range(501))},
    ],
)
def test_a_policy_that_cannot_be_read_stops_the_start(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="SIGNUP_"):
        SignUpPolicy.from_env(env)


def cognito_event(email: Any) -> dict[str, Any]:
    return {
        "version": "1",
        "triggerSource": "PreSignUp_ExternalProvider",
        "userPoolId": "us-east-1_example",
        "userName": "google_1234567890",
        "request": {"userAttributes": {"email": email, "email_verified": "true"}},
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


ENV = {"SIGNUP_POLICY": "allowlist", "SIGNUP_ALLOWLIST": "clinic.example"}


def test_the_trigger_lets_an_allowed_address_through_unchanged() -> None:
    event = cognito_event("pat@clinic.example")
    assert signup.lambda_handler(event, ENV) == cognito_event("pat@clinic.example")


@pytest.mark.parametrize(
    "event", [cognito_event("pat@gmail.example"), cognito_event(42), {"request": "x"}, {}]
)
def test_the_trigger_refuses_anyone_else_and_logs_no_address(
    event: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    refused = pytest.raises(signup.SignUpRefusedError, match="by invitation")
    with caplog.at_level(logging.INFO, logger="scheduler"), refused:
        signup.lambda_handler(event, ENV)
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    assert "Sign-up checked" in logged and "'allowed': False" in logged
    assert "gmail" not in logged
