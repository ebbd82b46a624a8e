"""Which stream records are a client's erasure (the client.erased webhook): only the write that
turns a client erased, never a restore of an erased one, never any other item."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamo.notice_reader import StreamImages
from chalicelib.adapters.dynamo.table import RESTORED_ATTRIBUTE
from chalicelib.services.notifications.ports import ClientErased, StreamRecord

CLIENT: dict[str, Any] = {
    "type": {"S": "client"},
    "client_id": {"S": "C1"},
    "provider_id": {"S": "P1"},
    "name": {"S": "Inês Sousa"},
    "updated_at": {"S": "2026-01-01T00:00:00Z"},
}
ERASED: dict[str, Any] = {
    **CLIENT,
    "name": {"S": "Erased"},
    "erased": {"BOOL": True},
    "updated_at": {"S": "2026-02-01T10:00:00Z"},
}


def erasure(old: dict[str, Any] | None, new: dict[str, Any] | None) -> ClientErased | None:
    return StreamImages().client_erased(StreamRecord("1", old, new))


def test_the_write_that_erases_a_client_is_its_erasure_with_ids_and_time_only() -> None:
    assert erasure(CLIENT, ERASED) == ClientErased("P1", "C1", "2026-02-01T10:00:00Z")


def test_other_writes_are_not() -> None:
    assert erasure(None, CLIENT) is None, "a new client"
    assert erasure(CLIENT, {**CLIENT, "name": {"S": "Inês S."}}) is None, "a change"
    assert erasure(ERASED, {**ERASED, "updated_at": {"S": "2026-03-01T00:00:00Z"}}) is None, "erased before"
    assert erasure(ERASED, None) is None, "the provider's account deleted"
    assert erasure(None, {**ERASED, "type": {"S": "client_key"}}) is None, "another item"
    restored = {**ERASED, RESTORED_ATTRIBUTE: {"S": "2026-04-01T00:00:00Z"}}
    assert erasure(None, restored) is None, "a restore brings back what was sent already"
    assert erasure(CLIENT, {**ERASED, "client_id": {"S": ""}}) is None, "not a client as the app writes it"
