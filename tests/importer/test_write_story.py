"""The story written into DynamoDB Local from SQLite and from a real PostgreSQL, then read through
the app: the provider's page, slots blocked by imported appointments (overlaps included), no
booking over them, the provider's appointments, clients and history, and conflicts resolved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.appointments import ACTIVE_STATUSES, iso_z, parse_z
from importer.pipeline import open_reader
from importer.source import parse_source
from tests.busy_support import minutes_held_by_blocks, minutes_in_day_summaries, query_all
from tests.importer.checks import Outcome, assert_every_row_accounted_for, refused_codes
from tests.importer.conftest import MakeDatabase
from tests.importer.fixture import story, write_sqlite
from tests.importer.writing import LISBON, TableApi, lisbon, story_with_soon, table_api, write_import

pytestmark = pytest.mark.integration
MINUTE = timedelta(minutes=1)
ANA_GOOGLE = "104593457227384756123"  # her accounts row (tests/importer/fixture.py)


@pytest.fixture
def api(local_env: dict[str, str], fresh_table: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TableApi]:
    with table_api(local_env, fresh_table, monkeypatch) as table:
        # Someone here has the slug "demo" already: Bob's old page had it.
        token = table.sign_in_as("someone-else-here", "someone@example.com")
        assert table.call("GET", "/me", token=token)[0] == 200
        assert table.call("PATCH", "/me", {"slug": "demo"}, token=token)[0] == 200
        yield table


def imported(url: str, ddb: Any, table: str) -> Outcome:
    reader = open_reader(parse_source(url))
    try:
        counts = reader.counts()
        outcome = write_import(reader, ddb, table)
    finally:
        reader.close()
    assert_every_row_accounted_for(outcome, counts)
    return outcome


def test_the_story_from_sqlite_is_written_and_the_app_shows_it(
    api: TableApi, ddb_client: Any, fresh_table: str, tmp_path: Path
) -> None:
    rows, monday, wednesday = story_with_soon(story())
    outcome = imported(f"sqlite://{write_sqlite(tmp_path / 'dev.db', rows)}", ddb_client, fresh_table)
    assert_the_app_shows_the_story(api, outcome, monday, wednesday, ddb_client, fresh_table)


def test_the_story_from_postgresql_is_written_and_the_app_shows_it(
    api: TableApi, ddb_client: Any, fresh_table: str, pg_database: MakeDatabase
) -> None:
    rows, monday, wednesday = story_with_soon(story())
    outcome = imported(pg_database(rows), ddb_client, fresh_table)
    assert_the_app_shows_the_story(api, outcome, monday, wednesday, ddb_client, fresh_table)


def assert_the_app_shows_the_story(
    api: TableApi, outcome: Outcome, monday: date, wednesday: date, ddb: Any, table: str
) -> None:
    ana, bob = outcome.users["ck_ana"], outcome.users["ck_bob"]
    assert refused_codes(outcome, "ck_bob")["pg_bob"] == ["slug_taken"]
    writes = {u.old_id: u.write for u in outcome.report.users}
    assert writes["ck_cy"] is None, "a refused user writes nothing"
    assert writes["ck_ana"] is not None and writes["ck_ana"].state == "written"
    status, page = api.call("GET", "/public/ana-studio")
    assert status == 200 and (page["name"], page["timezone"]) == ("Ana Lima", "Europe/Lisbon")
    grouped = [
        (g["category"] and g["category"]["name"], [s["name"] for s in g["services"]]) for g in page["groups"]
    ]
    assert grouped == [("Massages", ["Massage"]), (None, ["Hot stones"])], "Consultation is hidden"
    massage = next(s for s in ana.services if s.name == "Massage")
    assert [s["price"] for g in page["groups"] for s in g["services"]] == ["19.99", "30.60"]
    assert_slots_and_bookings(api, massage.id, monday, wednesday)
    assert_the_provider_sees_it(api, outcome, monday, wednesday)
    bob_token = api.sign_in_as(bob.provider.id, "bob@example.com")
    status, me = api.call("GET", "/me", token=bob_token)
    assert status == 200 and (me["name"], me["slug"], me["timezone"]) == ("Bob Barber", None, "UTC")
    assert_busy_time_is_exact(ddb, table, ana.provider.id)


def local_starts(api: TableApi, service_id: str, day: date) -> list[str]:
    """Free starts of a day, as Lisbon wall times."""
    status, body = api.call("GET", f"/public/ana-studio/services/{service_id}/slots?from={day}&to={day}")
    assert status == 200, body
    return [datetime.fromisoformat(s["start"]).astimezone(LISBON).strftime("%H:%M") for s in body["slots"]]


def book(api: TableApi, service_id: str, start: datetime, email: str = "new@example.com") -> int:
    body = {
        "service_id": service_id,
        "start": iso_z(start),
        "client": {"name": "New Client", "email": email},
        "timezone": "Europe/Lisbon",
    }
    status, _ = api.call("POST", "/public/ana-studio/bookings", body)
    return int(status)


def assert_slots_and_bookings(api: TableApi, massage: str, monday: date, wednesday: date) -> None:
    # Monday 10:00-11:00 holds blocks, 10:30-11:30 overlaps it (kept in a ledger): both block slots.
    assert local_starts(api, massage, monday) == [
        "09:00", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00",
    ]  # fmt: skip
    assert local_starts(api, massage, wednesday) == ["10:30", "11:00", "11:30"]
    assert book(api, massage, lisbon(monday, "10:00")) == 409, "over the appointment holding blocks"
    assert book(api, massage, lisbon(monday, "11:00")) == 409, "over the overlapping one's own end"
    assert book(api, massage, lisbon(monday, "09:00")) == 201, "a free slot is still bookable"
    assert "09:00" not in local_starts(api, massage, monday)


def assert_the_provider_sees_it(api: TableApi, outcome: Outcome, monday: date, wednesday: date) -> None:
    ana = outcome.users["ck_ana"]
    # Signed in as Ana's old Google account: the sign-in claims the imported provider.
    token = api.sign_in_with_google("ana@example.com", ANA_GOOGLE)
    status, me = api.call("GET", "/me", token=token)
    assert status == 200 and (me["id"], me["slug"], me["email"]) == (
        ana.provider.id,
        "ana-studio",
        "ana@example.com",
    )
    by_old = {ana.origins[a.id].old_id: a.id for a in ana.appointments}
    first, last = min(monday, wednesday).isoformat(), (max(monday, wednesday) + timedelta(days=1)).isoformat()
    status, page = api.call("GET", f"/appointments?from={first}&to={last}&limit=50", token=token)
    assert status == 200, page
    soon = {a["id"]: a for a in page["items"] if a["source"] == "import"}
    flags = {
        old: soon[by_old[old]]["conflict"] for old in ("ap_soon_1", "ap_soon_2", "ap_soon_3", "ap_soon_4")
    }
    assert flags == {"ap_soon_1": False, "ap_soon_2": True, "ap_soon_3": False, "ap_soon_4": True}
    status, clients = api.call("GET", "/clients", token=token)
    assert status == 200 and sorted(c["name"] for c in clients["items"]) == [
        "Joe Silva",
        "Mia Costa",
        "New Client",
    ]
    joe = next(c for c in clients["items"] if c["name"] == "Joe Silva")
    status, detail = api.call("GET", f"/clients/{joe['id']}", token=token)
    assert status == 200 and detail["phone"] == "+351 912 345 678" and detail["notes"] == "prefers mornings"
    history = detail["history"]
    assert history["by_status"]["completed"] == 1 and history["by_status"]["cancelled"] == 1
    assert history["last_start"] == "2024-05-06T09:00:00Z"
    assert history["next_start"] == iso_z(min(lisbon(monday, "10:00"), lisbon(wednesday, "09:00")))
    status, visits = api.call("GET", f"/clients/{joe['id']}/appointments?limit=50", token=token)
    assert status == 200 and "completed" in {v["status"] for v in visits["items"]}
    assert_kept_values_are_served(api, token, by_old)
    assert_conflicts_resolve(api, token, by_old, ana.services, monday, wednesday)


def assert_kept_values_are_served(api: TableApi, token: str, by_old: dict[str, str]) -> None:
    """Values our forms refuse and the import kept as they were are read like any (no 500, no
    refusal to serialise); an edit of them is a 422 on that field only, an edit of another field
    goes through."""
    status, clients = api.call("GET", "/clients?q=mia", token=token)
    assert status == 200, clients
    mia = next(c for c in clients["items"] if c["name"] == "Mia Costa")
    status, detail = api.call("GET", f"/clients/{mia['id']}", token=token)
    assert status == 200 and detail["phone"] == "555.123.4567 ext 2", "kept as it was"
    status, refused = api.call("PATCH", f"/clients/{mia['id']}", {"phone": "555.123.4567 ext 2"}, token=token)
    assert status == 422 and [d["field"] for d in refused["error"]["details"]] == ["phone"], refused
    status, edited = api.call("PATCH", f"/clients/{mia['id']}", {"notes": "calls first"}, token=token)
    assert status == 200 and (edited["notes"], edited["phone"]) == ("calls first", "555.123.4567 ext 2")
    status, page = api.call("GET", "/appointments?from=2030-03-08&to=2030-03-09&limit=50", token=token)
    assert status == 200, page
    longer = next(a for a in page["items"] if a["id"] == by_old["ap_9"])
    assert (parse_z(longer["end"]) - parse_z(longer["start"])) == timedelta(minutes=90), "its own times"
    status, one = api.call("GET", f"/appointments/{by_old['ap_9']}", token=token)
    assert status == 200 and one["end"] == longer["end"]


def assert_conflicts_resolve(
    api: TableApi, token: str, by_old: dict[str, str], services: list[Any], monday: date, wednesday: date
) -> None:
    massage = next(s.id for s in services if s.name == "Massage")
    # Cancel the Wednesday one that holds the blocks: the one overlapping it still keeps its time.
    assert (
        api.call("POST", f"/appointments/{by_old['ap_soon_3']}/cancel", {"reason": "x"}, token=token)[0]
        == 200
    )
    assert book(api, massage, lisbon(wednesday, "09:00"), "w@example.com") == 409, "09:30-10:30 is still kept"
    assert "09:00" not in local_starts(api, massage, wednesday)
    # Cancel Monday's overlapping one: its own end (11:00-11:30) is free again.
    assert (
        api.call("POST", f"/appointments/{by_old['ap_soon_2']}/cancel", {"reason": "x"}, token=token)[0]
        == 200
    )
    assert book(api, massage, lisbon(monday, "11:00"), "m@example.com") == 201
    status, moved = api.call(
        "POST",
        f"/appointments/{by_old['ap_soon_4']}/reschedule",
        {"start": iso_z(lisbon(wednesday, "11:30"))},
        token=token,
    )
    assert status == 200 and moved["conflict"] is False, "moved into free time, it holds blocks of its own"


def assert_busy_time_is_exact(ddb: Any, table: str, provider_id: str) -> None:
    """Blocks hold exactly the minutes of the active appointments that hold blocks, one id a
    minute, and the day summaries agree; those kept in a ledger are in their days' ledgers."""
    pk = keys.provider_pk(provider_id)
    appointments = query_all(ddb, table, pk, "APPT#")
    kept: dict[datetime, str] = {}
    for item in appointments:
        if item["status"]["S"] not in ACTIVE_STATUSES or not item["time_blocks"]["BOOL"]:
            continue
        minute, end = parse_z(item["start"]["S"]), parse_z(item["end"]["S"])
        while minute < end:
            assert minute not in kept, f"{minute} twice"
            kept[minute] = item["appointment_id"]["S"]
            minute += MINUTE
    assert minutes_held_by_blocks(ddb, table, provider_id) == kept
    assert minutes_in_day_summaries(ddb, table, provider_id) == set(kept)
    in_ledgers = {name for ledger in query_all(ddb, table, pk, "DAY#") for name in ledger["busy"]["M"]}
    conflicts = {
        i["appointment_id"]["S"]
        for i in appointments
        if i["status"]["S"] in ACTIVE_STATUSES and not i["time_blocks"]["BOOL"]
    }
    assert conflicts and conflicts <= in_ledgers
