"""Who may become a provider: anyone (``open``) or the emails and domains of an allowlist.

The same policy is checked twice: by Cognito's pre-sign-up trigger, before a user exists in the
pool, and by the app when a token's owner has no profile yet (so a user added to the pool by hand,
or one that signed up before the allowlist, still cannot create a provider unless allowed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OPEN = "open"
ALLOWLIST = "allowlist"
MODES = (OPEN, ALLOWLIST)
MAX_ENTRIES = 500


@dataclass(frozen=True)
class SignUpPolicy:
    mode: str = OPEN
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, mode: str, entries: Iterable[str]) -> SignUpPolicy:
        """``entries``: addresses (``pat@example.com``) and domains (``example.com`` or ``@example.com``)."""
        mode = mode.strip().lower() or OPEN
        if mode not in MODES:
            raise ValueError(f"SIGNUP_POLICY={mode!r}: use {' or '.join(MODES)}")
        cleaned = [entry.strip().lower() for entry in entries if entry.strip()]
        if len(cleaned) > MAX_ENTRIES:
            raise ValueError(f"SIGNUP_ALLOWLIST has {len(cleaned)} entries; at most {MAX_ENTRIES}")
        emails = {entry for entry in cleaned if not entry.startswith("@") and "@" in entry}
        domains = {entry.lstrip("@") for entry in cleaned if entry not in emails}
        for value in (*emails, *domains):
            if value.count("@") > 1 or not _domain(value.rsplit("@", 1)[-1]):
                raise ValueError(f"SIGNUP_ALLOWLIST entry {value!r} is neither an address nor a domain")
        return cls(mode, frozenset(emails), frozenset(domains))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SignUpPolicy:
        return cls.parse(env.get("SIGNUP_POLICY", OPEN), env.get("SIGNUP_ALLOWLIST", "").split(","))

    def allows(self, email: str | None) -> bool:
        if self.mode == OPEN:
            return True
        address = (email or "").strip().lower()
        local, at, domain = address.rpartition("@")
        if not at or not local or "@" in local or not _domain(domain):
            return False
        return address in self.emails or domain in self.domains


def _domain(value: str) -> bool:
    labels = value.split(".")
    return len(labels) >= 2 and all(label and label.replace("-", "").isalnum() for label in labels)
