"""Proof of work: a solved challenge of this server, unexpired, counts; nothing else does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.booking.challenge import MAX_NUMBER, VALID_FOR, Proof, ProofError, issue, solve, verify

pytestmark = pytest.mark.unit

KEY = b"k" * 32
NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def solved(number: int = 1234) -> Proof:
    made = issue(KEY, NOW, number=number)
    return Proof(made.algorithm, made.challenge, solve(made), made.salt, made.signature)


def test_a_solved_challenge_verifies_and_tells_its_expiry() -> None:
    proof = solved()
    assert proof.number == 1234
    assert verify(KEY, proof, NOW) == int((NOW + VALID_FOR).timestamp())


def test_the_secret_number_is_at_most_maxnumber() -> None:
    made = issue(KEY, NOW)
    assert made.maxnumber == MAX_NUMBER
    assert 0 <= solve(made) <= MAX_NUMBER


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"number": 1235}, "invalid"),  # not the answer
        ({"signature": "0" * 64}, "invalid"),  # not signed here
        ({"algorithm": "SHA-1"}, "invalid"),
        ({"salt": "other?expires=9999999999"}, "invalid"),  # the salt is bound to the challenge
    ],
)
def test_anything_but_the_answer_to_a_challenge_signed_here_is_refused(
    change: dict[str, object], code: str
) -> None:
    with pytest.raises(ProofError) as raised:
        verify(KEY, replace(solved(), **change), NOW)  # type: ignore[arg-type]
    assert raised.value.code == code


def test_another_servers_key_does_not_verify() -> None:
    with pytest.raises(ProofError):
        verify(b"x" * 32, solved(), NOW)


def test_an_expired_challenge_is_refused() -> None:
    with pytest.raises(ProofError) as raised:
        verify(KEY, solved(), NOW + VALID_FOR + timedelta(seconds=1))
    assert raised.value.code == "expired"
