"""infra/slim.py keeps only Babel's data for the emails' locales, and those suffice to write them."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import babel.localedata
import pytest

from chalicelib.domain.notifications.wording import LOCALES, Words
from infra.slim import email_locales, inherited, slim_zip

pytestmark = pytest.mark.unit


def test_each_locale_keeps_what_it_inherits_from() -> None:
    assert inherited("pt_PT") == {"pt_PT", "pt", "root"}
    assert inherited("en_US") == {"en_US", "en", "root"}
    assert set(LOCALES.values()) < email_locales()
    assert len(email_locales()) == 11


def test_the_zip_keeps_the_emails_locales_and_drops_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "deployment.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for name in ("root", "pt", "pt_PT", "pt_BR", "ja", "en_GB", "de_DE"):
            archive.writestr(f"babel/locale-data/{name}.dat", name)
        archive.writestr("babel/global.dat", "global")
        archive.writestr("babel/dates.py", "# code\n")
    slim_zip(source, tmp_path / "slim.zip")
    with zipfile.ZipFile(tmp_path / "slim.zip") as slim:
        names = set(slim.namelist())
    kept = {n.removeprefix("babel/locale-data/") for n in names if n.startswith("babel/locale-data/")}
    assert kept == {"root.dat", "pt.dat", "pt_PT.dat", "de_DE.dat"}
    assert {"babel/global.dat", "babel/dates.py"} <= names


def test_every_language_is_written_from_the_kept_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path(babel.localedata._dirname)
    for locale in email_locales():
        shutil.copy(data / f"{locale}.dat", tmp_path / f"{locale}.dat")
    monkeypatch.setattr(babel.localedata, "_dirname", str(tmp_path))
    monkeypatch.setattr(babel.localedata, "_cache", {})
    local = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
    written = {
        lang: (Words(lang).date(local), Words(lang).time(local), Words(lang).money(Decimal("45.5"), "EUR"))
        for lang in LOCALES
    }
    assert written["pt"] == ("segunda-feira, 15 de março de 2027", "09:00", "45,50\xa0€")
    assert written["en"] == ("Monday, March 15, 2027", "9:00\u202fAM", "€45.50")
    assert Words("fr").count("email.duration.hours", 2) == "2 heures"
