"""A throwaway PostgreSQL server (Debian's ``postgresql`` package) for tests: initdb in a temp dir.

The server binaries live in /usr/lib/postgresql/<major>/bin on Debian and Ubuntu (not on PATH).
``initdb`` and ``postgres`` refuse to run as root, so as root they run as the package's
``postgres`` system user (the child drops to it before exec); as anyone else, as that user.
``postgres`` is this process's child, not a daemon, and gets SIGTERM if this process dies, so no
server outlives its tests. It listens on 127.0.0.1 only, with SCRAM passwords, fsync off.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from devtools.dynamodb_local import die_with_parent

SUPERUSER = "importer"
SYSTEM_USER = "postgres"  # made by Debian's postgresql-common


class PostgresSetupError(Exception):
    """PostgreSQL cannot be started here; the message says what to install."""


def find_bindir() -> Path:
    """The newest Debian/Ubuntu server install, else whatever ``initdb`` is on PATH."""
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if installed:
        return installed[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresSetupError(
        "PostgreSQL is missing: run 'make postgresql' (Debian/Ubuntu: apt-get install postgresql)."
    )


def _as_user(uid: int, gid: int) -> Callable[[], None]:
    def become() -> None:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        die_with_parent()  # after setuid: changing credentials clears the parent-death signal

    return become


class PostgresServer:
    def __init__(self, port: int, password: str) -> None:
        self.port = port
        self.password = password
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="scheduler-pg-"))
        self.data = self.root / "data"
        self._process: subprocess.Popen[bytes] | None = None
        self._become: Callable[[], None] = die_with_parent
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                raise PostgresSetupError(
                    f"PostgreSQL does not run as root and there is no '{SYSTEM_USER}' user to run it as "
                    "(install Debian's postgresql package)."
                ) from None
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._become = _as_user(account.pw_uid, account.pw_gid)

    def start(self, timeout: float = 60.0) -> None:
        secret = self.root / "password"
        secret.write_text(self.password)
        secret.chmod(0o600)
        shutil.chown(secret, self.root.owner(), self.root.group())
        initdb = [
            str(self.bindir / "initdb"),
            f"--pgdata={self.data}",
            f"--username={SUPERUSER}",
            f"--pwfile={secret}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        done = subprocess.run(
            initdb,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=self.root,
            preexec_fn=self._become,
        )
        if done.returncode != 0:
            raise PostgresSetupError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        server = [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port)]
        server += ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}"]
        server += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        with (self.root / "server.log").open("wb") as log:
            self._process = subprocess.Popen(
                server, stdout=log, stderr=subprocess.STDOUT, cwd=self.root, preexec_fn=self._become
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                log = (self.root / "server.log").read_text(errors="replace").strip().splitlines()
                raise PostgresSetupError(
                    f"postgres exited at start: {log[-1] if log else self._process.returncode}"
                )
            ready = [
                str(self.bindir / "pg_isready"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-t",
                "1",
            ]
            if subprocess.run(ready, check=False, timeout=10).returncode == 0:  # accepting connections
                return
            time.sleep(0.1)
        self.stop()
        raise PostgresSetupError(f"PostgreSQL did not answer on port {self.port} within {timeout:.0f} s.")

    def url(self, database: str = "postgres", password: bool = True) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql://{SUPERUSER}{secret}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)  # "fast" shutdown: clients are cut, no checkpoint wait
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
