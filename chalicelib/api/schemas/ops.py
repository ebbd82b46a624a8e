"""Operational documents: health, the local issuer's key set, the dashboard's sign-in settings."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.api.schemas.base import ErrorInfo, Strict


class HealthResponse(Strict):
    status: str
    checks: dict[str, str]
    error: ErrorInfo | None = None


class JwksResponse(Strict):
    keys: list[dict[str, Any]]


class WebConfigOut(Strict):
    """What the dashboard needs to sign in: the dev login locally, Cognito's hosted UI elsewhere."""

    stage: str
    sign_in: Literal["dev_login", "hosted_ui", "unavailable"]
    cognito_domain: str | None
    client_id: str | None
    identity_provider: str | None
    scopes: str
