"""A throwaway PostgreSQL server (Debian's ``postgresql`` package) for tests: initdb in a temp dir.

The server binaries live in /usr/lib/postgresql/<major>/bin on Debian and Ubuntu (not on PATH);
``initdb`` and ``postgres`` refuse to run as root, so as root they run as the package's ``postgres``
system user (through ``runuser``, part of util-linux), and as anyone else as that user. The
server listens on 127.0.0.1 only, on a free port, with password (SCRAM) authentication, fsync off.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

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


class PostgresServer:
    def __init__(self, port: int, password: str) -> None:
        self.port = port
        self.password = password
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="scheduler-pg-"))
        self.data = self.root / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                raise PostgresSetupError(
                    f"PostgreSQL does not run as root and there is no '{SYSTEM_USER}' user to run it as "
                    "(install Debian's postgresql package)."
                ) from None
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", SYSTEM_USER, "--"]

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._as, *command], capture_output=True, text=True, timeout=120, check=False, cwd=self.root
        )
        if done.returncode != 0:
            raise PostgresSetupError(
                f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}"
            )

    def start(self) -> None:
        secret = self.root / "password"
        secret.write_text(self.password)
        secret.chmod(0o600)
        if self._as:
            shutil.chown(secret, SYSTEM_USER)
        self._run(
            str(self.bindir / "initdb"),
            f"--pgdata={self.data}",
            f"--username={SUPERUSER}",
            f"--pwfile={secret}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.root / "server.log"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )

    def url(self, database: str = "postgres", password: bool = True) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql://{SUPERUSER}{secret}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
