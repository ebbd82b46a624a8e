"""Where the old data is: the DATABASE_URL forms the old app used, parsed without ever echoing a password.

    sqlite:///abs/path/dev.db     sqlite:relative/dev.db     file:./dev.db (as Prisma writes it)
    postgresql://user@host:5432/db?sslmode=require           postgres://user@host/db
    (a password after the user, ``user:...@host``, works too and is never shown)

A path that is not absolute is read from the current directory (Prisma itself reads ``file:`` paths
from the folder of schema.prisma, usually ``prisma/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

SQLITE_SCHEMES = frozenset({"sqlite", "file"})
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})
SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
# Parameters of Prisma's own connection pool that libpq does not know; ``schema`` names the schema.
PRISMA_PARAMETERS = frozenset(
    {
        "schema",
        "connection_limit",
        "pool_timeout",
        "socket_timeout",
        "pgbouncer",
        "statement_cache_size",
        "sslidentity",
        "sslaccept",
        "max_connection_lifetime",
        "max_idle_connection_lifetime",
    }
)
MAX_URL = 4096
FORMS = "sqlite:///path/to/dev.db, file:./dev.db or postgresql://user@host:5432/db"


class SourceError(Exception):
    """The source cannot be read as the old app's database. The message is one sentence for a person."""


@dataclass(frozen=True)
class SqliteSource:
    path: Path

    kind = "sqlite"

    @property
    def display(self) -> str:
        path = self.path.as_posix()
        return f"sqlite://{path}" if self.path.is_absolute() else f"sqlite:{path}"

    def scrub(self, text: str) -> str:
        return text


@dataclass(frozen=True)
class PostgresSource:
    url: str = field(repr=False)  # for libpq: it may hold a password, so it is never printed
    display: str
    schema: str = "public"
    secrets: tuple[str, ...] = field(default=(), repr=False)

    kind = "postgresql"

    def scrub(self, text: str) -> str:
        """The text with every secret of the URL replaced, for messages that quote a driver."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


Source = SqliteSource | PostgresSource


def parse_source(url: str) -> Source:
    text = url.strip()
    if not text or len(text) > MAX_URL or any(ch in text for ch in "\r\n\0"):
        raise SourceError(f"Give the old app's DATABASE_URL: {FORMS}.")
    scheme = text.partition(":")[0].lower()
    if scheme in SQLITE_SCHEMES:
        return _sqlite(text)
    if scheme in POSTGRES_SCHEMES:
        return _postgres(text)
    if re.fullmatch(r"[a-z][a-z0-9+.-]{0,20}", scheme):
        raise SourceError(f"A {scheme}: source is not supported; use {FORMS}.")
    raise SourceError(f"This is not a database URL; use {FORMS}.")


def _sqlite(text: str) -> SqliteSource:
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise SourceError("A SQLite URL names a file on this machine: sqlite:///abs/path or file:./dev.db.")
    raw = unquote(parts.path)
    if not raw.strip("/"):
        raise SourceError("The SQLite URL names no file: sqlite:///abs/path or file:./dev.db.")
    if raw.startswith("//"):  # sqlite:////abs/path, the four-slash absolute form
        raw = "/" + raw.lstrip("/")
    return SqliteSource(Path(raw))


def _postgres(text: str) -> PostgresSource:
    parts = urlsplit(text)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    secrets = {password, unquote(password)} if colon and password else set()
    schema, kept, shown = "public", [], []
    for piece in filter(None, parts.query.split("&")):
        key, _, value = piece.partition("=")
        name = unquote(key).lower()
        secret = name in SECRET_PARAMETERS and bool(value)
        if secret:
            secrets |= {value, unquote(value)}
        if name == "schema" and unquote(value):
            schema = unquote(value)
        if name not in PRISMA_PARAMETERS:
            kept.append(piece)
        shown.append(f"{key}=***" if secret else piece)
    netloc = f"{user}{':***' if colon else ''}{at}{hostport}"
    display = f"{parts.scheme}://{netloc}{parts.path}" + (f"?{'&'.join(shown)}" if shown else "")
    url = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{'&'.join(kept)}" if kept else "")
    source = PostgresSource(url=url, display=display, schema=schema, secrets=tuple(s for s in secrets if s))
    _check_conninfo(source)
    return source


def _check_conninfo(source: PostgresSource) -> None:
    """libpq's own reading of the URL, so a malformed one fails here, before any connection."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(source.url)
    except ProgrammingError as error:
        reason = source.scrub(str(error).strip().splitlines()[0] if str(error).strip() else "malformed")
        raise SourceError(f"The PostgreSQL URL cannot be read ({reason}); use {FORMS}.") from None
