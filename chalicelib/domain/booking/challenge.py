"""Proof of work for public booking, in the ALTCHA scheme (self-hosted: no third party).

The server picks a secret number ``n`` at most ``maxnumber`` and a salt that carries its expiry,
and gives out ``challenge = SHA-256(salt + n)`` signed with an HMAC of its own key. The browser
finds ``n`` by trying 0, 1, 2, ... (``maxnumber / 2`` hashes on average); the server checks the
answer with one hash and one HMAC, and each challenge books at most once (replay protection is
the store's: chalicelib/adapters/dynamo/challenge_store.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs

ALGORITHM = "SHA-256"
MAX_NUMBER = 50_000  # 25,000 hashes on average in the browser: see docs/api.md for the time it takes
VALID_FOR = timedelta(minutes=10)


@dataclass(frozen=True)
class Challenge:
    algorithm: str
    challenge: str  # hex SHA-256 of salt + number
    maxnumber: int
    salt: str  # random hex, then "?expires=<epoch seconds>"
    signature: str  # hex HMAC-SHA256 of the challenge


@dataclass(frozen=True)
class Proof:
    """What the browser sends back: the challenge it was given and the number it found."""

    algorithm: str
    challenge: str
    number: int
    salt: str
    signature: str


class ProofError(Exception):
    """Why a proof does not count; ``code`` is the field error's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _hash(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def _sign(key: bytes, challenge: str) -> str:
    return hmac.new(key, challenge.encode(), hashlib.sha256).hexdigest()


def issue(key: bytes, now: datetime, maxnumber: int = MAX_NUMBER, number: int | None = None) -> Challenge:
    secret = secrets.randbelow(maxnumber + 1) if number is None else number
    salt = f"{secrets.token_hex(12)}?expires={int((now + VALID_FOR).timestamp())}"
    challenge = _hash(salt, secret)
    return Challenge(ALGORITHM, challenge, maxnumber, salt, _sign(key, challenge))


def expires_at(salt: str) -> int | None:
    _, _, query = salt.partition("?")
    values = parse_qs(query).get("expires", [])
    return int(values[0]) if len(values) == 1 and values[0].isdigit() else None


def verify(key: bytes, proof: Proof, now: datetime) -> int:
    """The proof's expiry (epoch seconds) if it is a solved, unexpired challenge of this server."""
    if proof.algorithm != ALGORITHM:
        raise ProofError("invalid", f"the algorithm must be {ALGORITHM}")
    if not hmac.compare_digest(_sign(key, proof.challenge), proof.signature):
        raise ProofError("invalid", "this challenge was not issued here")
    if not hmac.compare_digest(_hash(proof.salt, proof.number), proof.challenge):
        raise ProofError("invalid", "the number does not solve the challenge")
    expiry = expires_at(proof.salt)
    if expiry is None or expiry < now.timestamp():
        raise ProofError("expired", "the challenge has expired; ask for a new one")
    return expiry


def solve(challenge: Challenge) -> int:
    """What the browser does (tests and benchmarks use it): the first number that hashes right."""
    for number in range(challenge.maxnumber + 1):
        if _hash(challenge.salt, number) == challenge.challenge:
            return number
    raise ValueError("no number up to maxnumber solves this challenge")
