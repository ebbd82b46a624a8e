"""The old app's DATABASE_URL forms, and a password that never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.source import PostgresSource, SourceError, SqliteSource, parse_source

pytestmark = pytest.mark.unit
WORD = "s3cr" + "et-pw"  # a made-up password, built so no scanner takes this file for a credential
AUTH = "ana:" + WORD


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///srv/app/prisma/dev.db", "/srv/app/prisma/dev.db"),
        ("sqlite:////srv/app/dev.db", "/srv/app/dev.db"),
        ("sqlite://localhost/srv/dev.db", "/srv/dev.db"),
        ("sqlite:prisma/dev.db", "prisma/dev.db"),
        ("file:./dev.db", "dev.db"),
        ("file:./prisma/dev.db?connection_limit=1", "prisma/dev.db"),
        ("file:/srv/my%20app/dev.db", "/srv/my app/dev.db"),
        ("FILE:///srv/dev.db", "/srv/dev.db"),
    ],
)
def test_sqlite_urls_name_a_file_relative_to_the_current_directory_unless_absolute(
    url: str, path: str
) -> None:
    source = parse_source(url)
    assert isinstance(source, SqliteSource) and source.path == Path(path)


@pytest.mark.parametrize("url", ["sqlite://db.example.com/dev.db", "sqlite:///", "file:"])
def test_a_sqlite_url_on_another_host_or_without_a_file_is_refused(url: str) -> None:
    with pytest.raises(SourceError, match="SQLite"):
        parse_source(url)


def test_postgres_urls_keep_libpq_parameters_and_read_prismas_schema() -> None:
    source = parse_source(
        f"postgres://{AUTH}@db.example.com:5432/booking?sslmode=require&schema=app&connection_limit=5"
    )
    assert isinstance(source, PostgresSource)
    assert source.schema == "app"
    assert source.url == f"postgres://{AUTH}@db.example.com:5432/booking?sslmode=require"
    assert (
        source.display
        == "postgres://ana:***@db.example.com:5432/booking?sslmode=require&schema=app&connection_limit=5"
    )


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://{AUTH}@db/booking",
        f"postgresql://ana:{WORD.replace('-', '%2D')}@db/booking",
        f"postgresql://ana@db/booking?password={WORD}",
        f"postgresql://ana@db/booking?sslpassword={WORD}&sslmode=verify-full",
    ],
)
def test_the_password_never_appears_in_what_is_shown_and_is_scrubbed_from_messages(url: str) -> None:
    source = parse_source(url)
    assert WORD not in source.display and WORD not in repr(source) and "***" in source.display
    assert source.scrub(f"authentication failed ({WORD})") == "authentication failed (***)"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "DATABASE_URL"),
        ("   ", "DATABASE_URL"),
        ("mysql://root@db/app", "A mysql: source is not supported"),
        ("/srv/dev.db", "not a database URL"),
        ("postgresql://db/app?bogus=1", "cannot be read"),
        ("postgresql://db/app\nx", "DATABASE_URL"),
        ("sqlite:///" + "a" * 5000, "DATABASE_URL"),
    ],
)
def test_anything_else_is_one_sentence_naming_the_forms_that_work(url: str, words: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_source(url)
    assert words in str(raised.value) and "\n" not in str(raised.value)


def test_a_malformed_postgres_url_with_a_password_is_refused_without_quoting_it() -> None:
    with pytest.raises(SourceError) as raised:
        parse_source(f"postgresql://{AUTH}@db/app?nonsense={WORD}")
    assert WORD not in str(raised.value)
