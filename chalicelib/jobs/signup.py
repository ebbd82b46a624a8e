"""Cognito's pre-sign-up trigger: refuse, before the user exists, anyone the policy leaves out.

Cognito calls it for every new user of the pool, Google sign-ins included
(``PreSignUp_ExternalProvider``); raising refuses the sign-up and the hosted UI shows the message.
"""

from __future__ import annotations

import os
from typing import Any

from chalicelib.domain.errors import SignUpNotAllowedError
from chalicelib.domain.signup import SignUpPolicy
from chalicelib.services.catalog.providers import admit

REFUSED = "Sign-up is by invitation on this service: ask its operator to add your address."


class SignUpRefusedError(Exception):
    """Raised to Cognito, which refuses the sign-up and shows the message."""


def _field(value: dict[str, Any], name: str) -> dict[str, Any]:
    inner = value.get(name)
    return inner if isinstance(inner, dict) else {}


def lambda_handler(event: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    policy = SignUpPolicy.from_env(os.environ if env is None else env)
    email = _field(_field(event, "request"), "userAttributes").get("email")
    try:
        admit(policy, email if isinstance(email, str) else None, str(event.get("triggerSource", "")))
    except SignUpNotAllowedError:
        raise SignUpRefusedError(REFUSED) from None
    return event
