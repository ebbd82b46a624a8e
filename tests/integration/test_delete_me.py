"""DELETE /me on DynamoDB Local: clients are told, the data goes, the slug is free, a retry finishes.

The stream consumer is run over the table's real stream after the deletion has finished, the
worst case: the provider's items are gone by the time it writes the cancellation emails.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.jobs import outbox
from chalicelib.services.accounts import erase
from chalicelib.services.accounts.erase import EraseSources, erase_me
from chalicelib.services.accounts.ports import ErasedItems, ProviderEraser
from chalicelib.services.notifications.ports import Party
from devtools.streams import StreamPoller
from tests.api import Api, booking_body, unique
from tests.client_builders import make_appointment, make_client
from tests.integration.test_google_linking import google_subject, imported, sign_in
from tests.notify_support import FixedClock, RecordingMailer, make_jobs

pytestmark = pytest.mark.integration
CONFIRM = {"confirm": "DELETE"}


def mentions(ddb: Any, table: str, needle: str) -> list[dict[str, Any]]:
    """Every item of the table with ``needle`` in a key or a string value (a test may Scan)."""
    found, kwargs = [], {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        found += [i for i in page["Items"] if needle in json.dumps(i, default=str)]
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def kept_context(ddb: Any, table: str, appointment_id: str) -> dict[str, Any]:
    key = {"PK": {"S": f"NOTIFY#{appointment_id}"}, "SK": {"S": "CONTEXT"}}
    item: dict[str, Any] = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    return item


def furnished(http: Any, container: bootstrap.Container) -> tuple[Api, str, list[str]]:
    """A provider with a page, hours, an override, future bookings of two clients, a past one."""
    api = Api(http)
    service = api.bookable("Europe/Paris")
    assert api.put("/availability/overrides/2030-01-01", {"intervals": []}).status == 200
    day = datetime.now(UTC).date() + timedelta(days=4)
    future = []
    for n, email in enumerate(("one@client.example", "two@client.example")):
        reply = api.post("/appointments", booking_body(service["id"], f"{day}T1{n}:00:00+00:00", email))
        assert reply.status == 201, reply
        future.append(reply.json["id"])
    past = make_client(container.repo, api.id, email="old@client.example")
    make_appointment(api.id, past.id, datetime.now(UTC) - timedelta(days=400), status="completed").save()
    return api, service["slug"], future


@pytest.mark.parametrize(
    "body",
    [None, {}, {"confirm": "delete"}, {"confirm": "yes"}, {"confirm": ["DELETE"]}, {**CONFIRM, "extra": 1}],
)
def test_without_the_exact_confirmation_nothing_is_deleted(
    http: Any, container: bootstrap.Container, body: Any
) -> None:
    api = Api(http)
    slug = unique("keep")
    assert api.patch("/me", {"slug": slug}).status == 200
    reply = api.call("DELETE", "/me", raw="" if body is None else json.dumps(body))
    assert reply.status in (400, 422), reply
    assert api.get("/me").json["slug"] == slug


def test_future_bookings_are_cancelled_with_emails_and_only_what_those_emails_need_stays(
    http: Any, container: bootstrap.Container, ddb_client: Any, ddb_endpoint: str, local_env: dict[str, str]
) -> None:
    api, slug, future = furnished(http, container)
    table = local_env["TABLE_NAME"]
    assert len(mentions(ddb_client, table, api.id)) > 10
    mailer = RecordingMailer()
    jobs = make_jobs(container.settings, mailer, FixedClock(datetime.now(UTC)), lambda _: None)
    stream = StreamPoller(ddb_client, ddb_endpoint, table, lambda rs: outbox.handle_records(rs, jobs.outbox))

    reply = api.call("DELETE", "/me", {**CONFIRM, "reason": "Moving abroad"})

    assert reply.status == 204, reply
    assert mentions(ddb_client, table, api.id) == [], "no item names the provider any more"
    kept = [kept_context(ddb_client, table, a) for a in future]
    assert [k["client_email"]["S"] for k in kept] == ["one@client.example", "two@client.example"]
    in_three_days = (datetime.now(UTC) + timedelta(days=3)).timestamp()
    assert all(abs(int(k["expires_at"]["N"]) - in_three_days) < 120 for k in kept), "kept 3 days, TTL'd"
    assert Api(http, anonymous=True).get(f"/public/{slug}").status == 404
    assert Api(http).patch("/me", {"slug": slug}).status == 200, "another provider may take the slug"

    stream.drain()  # the consumer, after the provider's items are gone

    for client in ("one@client.example", "two@client.example"):
        [email] = mailer.to(client)
        assert "cancel" in email.subject.lower()
        assert "Moving abroad" in email.text
    assert mailer.to("old@client.example") == []
    markers = mentions(ddb_client, table, api.id)
    assert markers and {i["type"]["S"] for i in markers} == {"notification"}, "the emails' markers: ids only"
    assert all(i["PK"]["S"] in {f"NOTIFY#{a}" for a in future} for i in markers)
    again = api.get("/me")
    assert (again.json["slug"], api.get("/services").json["items"]) == (None, []), "a fresh start"


def test_a_deletion_stopped_halfway_is_finished_by_the_next_call(
    http: Any, container: bootstrap.Container, ddb_client: Any, local_env: dict[str, str], monkeypatch: Any
) -> None:
    api, slug, future = furnished(http, container)
    identity = container.verifier.verify(api.headers["Authorization"].removeprefix("Bearer "))
    identity = container.linking.resolve(identity)
    sources = EraseSources(container.repo, container.repo, container.repo, Failing(container.eraser))

    with pytest.raises(RuntimeError, match="stopped"):
        erase_me(identity, "", sources, container.clock)
    assert Api(http, anonymous=True).get(f"/public/{slug}").status == 404, "the page went first"
    listed = api.get("/appointments").json["items"]
    assert [a for a in listed if a["status"] in ("pending", "confirmed")] == [], (
        "cancelled before anything went"
    )
    assert all(kept_context(ddb_client, local_env["TABLE_NAME"], a) for a in future)

    monkeypatch.setattr(erase, "BUDGET_SECONDS", 0.0)
    partial = api.call("DELETE", "/me", CONFIRM)
    assert partial.status == 202, partial
    assert partial.json["status"] == "erasing" and "again" in partial.json["message"]
    monkeypatch.undo()
    assert api.call("DELETE", "/me", CONFIRM).status == 204
    assert mentions(ddb_client, local_env["TABLE_NAME"], api.id) == []
    assert all(kept_context(ddb_client, local_env["TABLE_NAME"], a) for a in future)
    assert api.call("DELETE", "/me", CONFIRM).status == 204, "nothing left: still done"


def test_an_imported_provider_deleted_goes_with_its_google_records_and_the_account_starts_afresh(
    http: Any, container: bootstrap.Container, ddb_client: Any, local_env: dict[str, str]
) -> None:
    subject, email = google_subject(), f"ana-{uuid.uuid4().hex[:8]}@example.com"
    old = imported(container, subject, email)
    ana = sign_in(http, email, subject)
    assert ana.get("/me").json["id"] == old["id"]

    assert ana.call("DELETE", "/me", CONFIRM).status == 204

    assert mentions(ddb_client, local_env["TABLE_NAME"], f"GOOGLE#{subject}") == []
    assert mentions(ddb_client, local_env["TABLE_NAME"], old["id"]) == []
    assert kept_context(ddb_client, local_env["TABLE_NAME"], old["appointment"])["client_name"] == {
        "S": "Rui Client"
    }
    fresh = sign_in(http, email, subject)
    me = fresh.get("/me").json
    assert me["id"] != old["id"] and fresh.get("/services").json["items"] == []


class Failing(ProviderEraser):
    """The real eraser, stopping after its first page, as a call cut short would."""

    def __init__(self, inner: ProviderEraser) -> None:
        self.inner = inner

    def keep_notice_context(self, appointment: Any, provider: Party, client: Party, until: datetime) -> None:
        self.inner.keep_notice_context(appointment, provider, client, until)

    def release_slug(self, provider: Any) -> None:
        self.inner.release_slug(provider)

    def erase_items(self, provider_id: str, limit: int, now: datetime) -> ErasedItems:
        self.inner.erase_items(provider_id, 2, now)
        raise RuntimeError("stopped")

    def erase_profile(self, provider_id: str, own_id: str) -> None:
        raise AssertionError("never reached")
