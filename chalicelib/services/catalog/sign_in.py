"""Signing in on the local stage, where the app's own issuer gives tokens for any email."""

from __future__ import annotations

from chalicelib.services.shared import TokenIssuer, Tokens


def dev_tokens(email: str, name: str, issuer: TokenIssuer) -> Tokens:
    """Tokens for ``email``; without a ``name``, the email's local part stands for one."""
    return issuer.issue(email=email, name=name or email.split("@")[0])
