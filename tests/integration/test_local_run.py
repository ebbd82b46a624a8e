"""``make run`` as a new user meets it: the real runner process, real HTTP, data kept across runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from devtools.dynamodb_local import free_port, port_is_free
from tests.support import ROOT

pytestmark = pytest.mark.integration

DEMO_EMAIL = "demo@example.com"


@contextmanager
def running(var_dir: Path, port: int, ddb_port: int) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PORT": str(port), "DYNAMODB_PORT": str(ddb_port), "VAR_DIR": str(var_dir)}
    for name in ("STAGE", "TABLE_NAME", "DYNAMODB_ENDPOINT"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager or Ctrl-C would send; returns what the runner printed."""
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    return process.stdout.read() if process.stdout else ""


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"runner exited early:\n{output}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def token_for(base: str, email: str) -> str:
    response = requests.post(f"{base}/dev/login", json={"email": email, "name": "Kept"}, timeout=5)
    assert response.status_code == 200
    token: str = response.json()["id_token"]
    return token


def test_data_survives_a_restart_and_sigterm_stops_both_processes(tmp_path: Path) -> None:
    port, ddb_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    with running(tmp_path, port, ddb_port) as process:
        assert requests.get(f"{base}/health", timeout=5).json()["checks"] == {"dynamodb": "ok"}
        me = requests.get(
            f"{base}/me",
            headers={"Authorization": f"Bearer {token_for(base, 'kept@example.com')}"},
            timeout=5,
        ).json()
        demo = requests.get(
            f"{base}/me", headers={"Authorization": f"Bearer {token_for(base, DEMO_EMAIL)}"}, timeout=5
        ).json()
        assert demo["slug"] == "demo"
        output = stop(process)
    assert "Seeded the demo provider" in output
    assert "Stopped the app and DynamoDB Local." in output
    assert port_is_free(port) and port_is_free(ddb_port), "no orphan keeps a port"

    with running(tmp_path, port, ddb_port) as again:
        again_me = requests.get(
            f"{base}/me",
            headers={"Authorization": f"Bearer {token_for(base, 'kept@example.com')}"},
            timeout=5,
        ).json()
        assert again_me["id"] == me["id"]
        assert again_me["created_at"] == me["created_at"]
        output = stop(again)
    assert "Seeded" not in output, "the demo is seeded into an empty table only"


def test_a_new_user_gets_json_errors_over_real_http(tmp_path: Path) -> None:
    port, ddb_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    with running(tmp_path, port, ddb_port):
        cases = [
            (requests.get(f"{base}/me", timeout=5), 401, "unauthorized"),
            (
                requests.get(f"{base}/me", headers={"Authorization": "Bearer garbage"}, timeout=5),
                401,
                "unauthorized",
            ),
            (
                requests.post(
                    f"{base}/dev/login", data="{oops", headers={"Content-Type": "application/json"}, timeout=5
                ),
                400,
                "malformed_json",
            ),
            (requests.get(f"{base}/no/such/route", timeout=5), 404, "not_found"),
            (
                requests.get(f"{base}/no-such", headers={"Authorization": "Bearer x"}, timeout=5),
                404,
                "not_found",
            ),
            (requests.delete(f"{base}/health", timeout=5), 405, "method_not_allowed"),
            (
                requests.post(
                    f"{base}/dev/login",
                    data=json.dumps({"email": "x@example.com", "name": "y" * 200_000}),
                    headers={"Content-Type": "application/json"},
                    timeout=5,
                ),
                413,
                "payload_too_large",
            ),
        ]
        for response, status, code in cases:
            assert response.status_code == status, response.text
            assert response.headers["Content-Type"].startswith("application/json")
            assert response.json()["error"]["code"] == code
            assert response.headers.get("X-Request-Id")


def test_a_taken_port_is_one_clear_sentence(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        env = {**os.environ, "PORT": str(port), "DYNAMODB_PORT": str(free_port()), "VAR_DIR": str(tmp_path)}
        env.pop("DYNAMODB_ENDPOINT", None)  # else the runner would use that database, not start one
        result = subprocess.run(
            [sys.executable, "-m", "devtools.run"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_java_is_one_clear_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": "/nonexistent", "PORT": str(free_port()), "VAR_DIR": str(tmp_path)}
    env.pop("DYNAMODB_ENDPOINT", None)  # else the runner would use that database and need no Java
    result = subprocess.run(
        [sys.executable, "-m", "devtools.run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Java is missing" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_booking_written_to_the_local_table_becomes_eml_files_under_var_mail(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib.adapters.dynamo import keys
    from chalicelib.adapters.dynamo.booking_items import manage_link_item
    from chalicelib.adapters.dynamo.models import AppointmentItem, ClientItem, ProviderItem
    from chalicelib.adapters.links import LocalLinkSealer
    from chalicelib.domain.booking.appointments import iso_z
    from devtools.dynamodb_local import client

    port, ddb_port = free_port(), free_port()
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    now = iso_z(datetime.now(UTC))
    pk = keys.provider_pk("PLOCAL")
    items = [
        ProviderItem(
            pk,
            keys.PROFILE,
            provider_id="PLOCAL",
            email="owner@example.com",
            name="Owner",
            timezone="Europe/Paris",
            min_notice_minutes=60,
            max_advance_days=60,
            slot_interval_minutes=30,
            cancellation_notice_minutes=60,
            reminder_offsets_minutes=[60],
            created_at=now,
            updated_at=now,
        ),
        ClientItem(
            pk,
            keys.client_sk("CLOCAL"),
            client_id="CLOCAL",
            provider_id="PLOCAL",
            name="Guest",
            email="guest@example.com",
            timezone="Europe/Paris",
            created_at=now,
            updated_at=now,
        ),
        manage_link_item(
            "ALOCAL",
            LocalLinkSealer.from_var_dir(tmp_path).seal("ALOCAL", "local-token"),
            start + timedelta(hours=1),
            datetime.now(UTC),
        ),
        AppointmentItem(
            pk,
            keys.appointment_sk("ALOCAL"),
            appointment_id="ALOCAL",
            provider_id="PLOCAL",
            service_id="S",
            service_name="Intro call",
            start=iso_z(start),
            end=iso_z(start + timedelta(hours=1)),
            status="confirmed",
            client_id="CLOCAL",
            client_timezone="Europe/Paris",
            price="0.00",
            currency="EUR",
            created_at=now,
            updated_at=now,
        ),
    ]
    with running(tmp_path, port, ddb_port) as process:
        ddb = client(f"http://127.0.0.1:{ddb_port}")
        for item in items:
            ddb.put_item(TableName="scheduler-local", Item=item.serialize())
        mail = tmp_path / "mail"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(mail.glob("*.eml"))) < 2:
            time.sleep(0.3)
        texts = [p.read_text() for p in sorted(mail.glob("*.eml"))]
        output = stop(process)
    assert len(texts) == 2, output
    assert any(
        "To: Guest <guest@example.com>" in t and "/book/manage/ALOCAL?token=3Dlocal-token" in t for t in texts
    )
    assert any("To: Owner <owner@example.com>" in t for t in texts)
    assert f"written as .eml files to {tmp_path}/mail" in output
    assert "Stopped the app and DynamoDB Local." in output
