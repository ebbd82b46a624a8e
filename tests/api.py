"""A provider talking to the app through chalice.test.Client, as a browser would."""

from __future__ import annotations

import json
import uuid
from typing import Any

JSON = {"Content-Type": "application/json"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Reply:
    def __init__(self, raw: Any) -> None:
        self.status: int = raw.status_code
        self.headers: dict[str, str] = raw.headers
        self.text: str = raw.body.decode() if isinstance(raw.body, bytes) else str(raw.body or "")
        self.json: Any = json.loads(self.text) if self.text else None

    def error_fields(self) -> set[str]:
        return {d["field"] for d in self.json["error"].get("details", [])}

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.text[:300]})"


class Api:
    """Calls as one provider (a fresh one per email); ``anonymous`` sends no token."""

    def __init__(self, http: Any, email: str | None = None, anonymous: bool = False) -> None:
        self.http = http
        self.headers: dict[str, str] = dict(JSON)
        if not anonymous:
            email = email or f"{unique('p')}@example.com"
            login = http.post("/dev/login", headers=JSON, body=json.dumps({"email": email, "name": "Tester"}))
            assert login.status_code == 200, login.body
            self.headers["Authorization"] = f"Bearer {json.loads(login.body)['id_token']}"
            self.id: str = self.get("/me").json["id"]

    def call(self, method: str, path: str, body: Any = None, raw: str | None = None) -> Reply:
        payload = raw if raw is not None else ("" if body is None else json.dumps(body))
        return Reply(self.http.request(method, path, headers=self.headers, body=payload.encode()))

    def get(self, path: str) -> Reply:
        return self.call("GET", path)

    def post(self, path: str, body: Any) -> Reply:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any) -> Reply:
        return self.call("PATCH", path, body)

    def put(self, path: str, body: Any) -> Reply:
        return self.call("PUT", path, body)

    def delete(self, path: str) -> Reply:
        return self.call("DELETE", path)

    # -- shortcuts that assert success ---------------------------------------------
    def category(self, name: str = "Massage", **fields: Any) -> dict[str, Any]:
        reply = self.post("/categories", {"name": name, **fields})
        assert reply.status == 201, reply
        created: dict[str, Any] = reply.json
        return created

    def service(self, name: str = "Session", **fields: Any) -> dict[str, Any]:
        body = {"name": name, "duration_minutes": 60, "price": "50.00", "currency": "EUR", **fields}
        reply = self.post("/services", body)
        assert reply.status == 201, reply
        created: dict[str, Any] = reply.json
        return created

    def bookable(
        self, zone: str = "Europe/Paris", hours: tuple[str, str] = ("09:00", "17:00"), **service: Any
    ) -> dict[str, Any]:
        """Open every day ``hours`` in ``zone`` with a public slug; returns a visible service."""
        slug = unique("page")
        policy = {"min_notice_minutes": 0, "slot_interval_minutes": 30, "max_advance_days": 365}
        assert self.patch("/me", {"slug": slug, "timezone": zone, **policy}).status == 200
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        weekly = [{"day": d, "start": hours[0], "end": hours[1]} for d in days]
        assert self.put("/availability", {"weekly": weekly}).status == 200
        created = self.service(**{"duration_minutes": 30, **service})
        created["slug"] = slug
        return created


def booking_body(
    service_id: str, start: str, email: str = "client@example.com", **extra: Any
) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "start": start,
        "client": {"name": "Cleo Client", "email": email, "phone": "+33 1 23 45 67 89"},
        "timezone": "Europe/London",
        **extra,
    }
