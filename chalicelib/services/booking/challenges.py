"""Proof of work on public booking, for providers who turn it on (``booking_challenge``)."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.booking import challenge as pow_
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.provider import Provider
from chalicelib.services.booking.ports import ChallengeStore
from chalicelib.services.shared import Clock

ProofCheck = Callable[[Provider], None]


def issue(store: ChallengeStore, clock: Clock) -> pow_.Challenge:
    return pow_.issue(store.key(), clock.now())


def _refused(code: str, message: str) -> ValidationError:
    return ValidationError(
        "This booking page asks for a solved challenge.",
        [{"field": "proof", "code": code, "message": message}],
    )


def proof_check(proof: pow_.Proof | None, store: ChallengeStore, clock: Clock) -> ProofCheck:
    """What booking runs once it has read the provider: nothing unless the provider asks for it."""

    def check(provider: Provider) -> None:
        if not provider.booking_challenge:
            return
        if proof is None:
            raise _refused("required", "solve a challenge from GET /public/{slug}/challenge first")
        try:
            expiry = pow_.verify(store.key(), proof, clock.now())
        except pow_.ProofError as error:
            raise _refused(error.code, error.message) from error
        if not store.use(proof.challenge, expiry):
            raise _refused("used", "this challenge has been used; solve a new one")

    return check
