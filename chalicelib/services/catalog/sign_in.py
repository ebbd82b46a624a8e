"""Signing in on the local stage, where the app's own issuer gives tokens for any email."""

from __future__ import annotations

from chalicelib.services.shared import TokenIssuer, Tokens


def dev_tokens(email: str, name: str, issuer: TokenIssuer, google_sub: str | None = None) -> Tokens:
    """Tokens for ``email`` (and the Google account ``google_sub``, when given); without a
    ``name``, the email's local part stands for one."""
    return issuer.issue(email=email, name=name or email.split("@")[0], google_sub=google_sub)
