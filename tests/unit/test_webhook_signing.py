"""Webhook signatures: what the public Standard Webhooks library verifies, and what it refuses."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from chalicelib.domain.integrations import webhook_signing as signing

BODY = b'{"type":"webhook.test","timestamp":"2031-01-01T00:00:00Z","data":{}}'


def signed(secrets: list[str], body: bytes = BODY) -> dict[str, str]:
    return signing.sign(secrets, "msg_2yZ1", int(time.time()), body).as_dict()


def test_a_new_secret_is_whsec_and_the_base64_of_32_random_bytes() -> None:
    secret = signing.new_secret(os.urandom)
    assert secret.startswith("whsec_") and len(signing.secret_key(secret)) == 32
    assert signing.new_secret(os.urandom) != secret


def test_the_library_verifies_a_message_signed_with_one_secret() -> None:
    secret = signing.new_secret(os.urandom)
    headers = signed([secret])

    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-signature"].startswith("v1,") and " " not in headers["webhook-signature"]
    assert Webhook(secret).verify(BODY, headers) == {
        "type": "webhook.test",
        "timestamp": "2031-01-01T00:00:00Z",
        "data": {},
    }


def test_during_a_rotation_either_secret_verifies_and_a_third_does_not() -> None:
    new, old = signing.new_secret(os.urandom), signing.new_secret(os.urandom)
    headers = signed([new, old])

    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(BODY, headers)
    Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret(os.urandom)).verify(BODY, headers)


def test_a_tampered_body_an_other_id_or_an_old_timestamp_is_refused() -> None:
    secret = signing.new_secret(os.urandom)
    headers = signed([secret])

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"{}", b'{"x":1}'), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "msg_other"})
    stale = signing.sign([secret], "msg_2yZ1", int(time.time()) - 3600, BODY).as_dict()
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, stale)


def test_the_old_secret_is_in_force_only_until_the_overlap_ends() -> None:
    now = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)
    until = (now + timedelta(hours=1)).isoformat()

    assert signing.secrets_in_force("new", "old", until, now) == ["new", "old"]
    assert signing.secrets_in_force("new", "old", until, now + timedelta(hours=1)) == ["new"]
    assert signing.secrets_in_force("new", None, None, now) == ["new"]
    with pytest.raises(ValueError):
        signing.sign([], "msg", 0, BODY)
