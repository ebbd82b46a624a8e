"""Operational documents: health and the local issuer's key set."""

from __future__ import annotations

from typing import Any

from chalicelib.api.schemas.base import ErrorInfo, Strict


class HealthResponse(Strict):
    status: str
    checks: dict[str, str]
    error: ErrorInfo | None = None


class JwksResponse(Strict):
    keys: list[dict[str, Any]]
