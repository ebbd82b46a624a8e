"""CSV exports and one client's record: formulas escaped, accents kept, offsets, nobody else's."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api import Api, booking_body

pytestmark = pytest.mark.functional
HOSTILE = '=HYPERLINK("http://evil.example","click")'


def rows_of(api: Api, path: str) -> list[dict[str, str]]:
    """The CSV the provider downloads, read back with the csv module."""
    raw = api.http.request("GET", path, headers=api.headers, body=b"")
    assert raw.status_code == 200, raw.body[:300]
    assert raw.headers["Content-Type"].startswith("text/csv")
    assert raw.headers["Content-Disposition"].startswith("attachment; filename=")
    text = raw.body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def booked(api: Api, name: str, email: str, hour: int = 10) -> tuple[dict[str, Any], str]:
    service = api.bookable("Europe/Paris")
    day = datetime.now(UTC).date() + timedelta(days=5)
    body = booking_body(service["id"], f"{day}T{hour}:00:00+01:00", email)
    body["client"]["name"] = name
    reply = api.post("/appointments", body)
    assert reply.status == 201, reply
    return reply.json, str(day)


def test_appointments_csv_escapes_formulas_keeps_accents_and_carries_offsets(http: Any) -> None:
    api = Api(http)
    booked(api, HOSTILE, "evil@example.com")
    _, day = booked(api, "Zoë Éléonore Müller", "zoe@example.com", hour=14)
    last = (datetime.fromisoformat(day) + timedelta(days=1)).date()

    rows = rows_of(api, f"/appointments/export?from={datetime.now(UTC).date()}&to={last}&format=csv")

    names = {r["client_name"] for r in rows}
    assert "'" + HOSTILE in names and HOSTILE not in names
    assert "Zoë Éléonore Müller" in names
    assert all(r["start"].endswith(("+01:00", "+02:00")) for r in rows), [r["start"] for r in rows]
    assert all(r["client_phone"].startswith("'+") for r in rows)  # a leading + is a formula too


def test_clients_csv_and_one_clients_record_are_the_callers_own(http: Any) -> None:
    alice, bob = Api(http), Api(http)
    appointment, _ = booked(alice, "Zoë Ünal", "zoe@example.com")
    client_id = appointment["client"]["id"]

    rows = rows_of(alice, "/clients/export")
    assert [r["name"] for r in rows] == ["Zoë Ünal"] and rows[0]["created_at"][-6] in "+-"
    assert rows_of(bob, "/clients/export") == []
    record = alice.get(f"/clients/{client_id}/export")
    assert record.status == 200, record
    assert record.json["client"]["name"] == "Zoë Ünal" and record.json["complete"] is True
    assert [a["id"] for a in record.json["appointments"]] == [appointment["id"]]
    assert isinstance(record.json["appointments"][0]["notices"], list)
    assert bob.get(f"/clients/{client_id}/export").status == 404


def test_a_range_over_366_days_or_reversed_is_a_422(http: Any) -> None:
    api = Api(http)
    for query in ("from=2027-01-01&to=2028-01-05", "from=2027-02-01&to=2027-01-01", "from=2027-01-01"):
        reply = api.get(f"/appointments/export?{query}")
        assert reply.status == 422, (query, reply)
    assert api.get("/appointments/export?from=2027-01-01&to=2027-02-01&format=xlsx").status == 422
