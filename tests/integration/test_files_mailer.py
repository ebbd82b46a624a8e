"""The local mailer writes real files; they parse back with the stdlib email parser."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar

from chalicelib.adapters.files import FileMailer
from chalicelib.config import Settings
from chalicelib.domain.errors import MailerUnavailableError
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import NoticeKind, Recipient
from chalicelib.services.shared import Clock
from tests.notice_builders import STAMP, TOKEN, make_notice

pytestmark = pytest.mark.integration

SENDER = "bookings@scheduler.localhost"


class SteppingClock(Clock):
    """Each reading is one second after the previous one."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current


def read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_each_message_becomes_one_parseable_eml_file(tmp_path: Path) -> None:
    mailer = FileMailer(tmp_path / "mail", SENDER)
    email = render(NoticeKind.BOOKED, Recipient.CLIENT, make_notice(), STAMP)

    message_id = mailer.send(email)

    [path] = (tmp_path / "mail").iterdir()
    assert path.name == f"{message_id}.eml"
    message = read(path)
    assert message["To"].addresses[0].addr_spec == "casey@client.example"
    assert message["Subject"] == "Booking confirmed: Coaching session with Pat Provider"
    assert message["Message-ID"] == f"<{message_id}@scheduler.localhost>"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and TOKEN in body.get_content()
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert isinstance(part, EmailMessage)
    assert part.get_param("method") == "REQUEST"
    assert Calendar.from_ical(part.get_content()).events[0].start == make_notice().start


def test_file_names_sort_by_time_and_never_contain_an_address(tmp_path: Path) -> None:
    mailer = FileMailer(tmp_path, SENDER, clock=SteppingClock(datetime(2027, 3, 14, 13, 59, 58, tzinfo=UTC)))
    notice = make_notice()
    ids = [
        mailer.send(render(kind, Recipient.CLIENT, notice, STAMP))
        for kind in (NoticeKind.BOOKED, NoticeKind.RESCHEDULED, NoticeKind.REMINDER)
    ]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{i}.eml" for i in ids]
    assert ids[0].startswith("20270314T135959")
    for name in names:
        assert re.fullmatch(r"\d{8}T\d{12}Z-[0-9a-f]{16}\.eml", name)
        assert "@" not in name and "casey" not in name


def test_no_partial_files_are_left_behind(tmp_path: Path) -> None:
    mailer = FileMailer(tmp_path, SENDER)
    for _ in range(3):
        mailer.send(render(NoticeKind.REMINDER, Recipient.CLIENT, make_notice(), STAMP))
    assert [p.suffix for p in tmp_path.iterdir()] == [".eml"] * 3


def test_unwritable_folder_is_reported_as_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the mail folder should be")
    mailer = FileMailer(blocker / "mail", SENDER)
    with pytest.raises(MailerUnavailableError):
        mailer.send(render(NoticeKind.REMINDER, Recipient.CLIENT, make_notice(), STAMP))


def test_from_settings_writes_under_var_dir_mail(tmp_path: Path) -> None:
    mailer = FileMailer.from_settings(
        Settings.from_env({"STAGE": "local", "VAR_DIR": str(tmp_path), "SENDER_EMAIL": SENDER})
    )
    mailer.send(render(NoticeKind.REMINDER, Recipient.CLIENT, make_notice(), STAMP))
    [path] = (tmp_path / "mail").iterdir()
    assert read(path)["From"].addresses[0].addr_spec == SENDER
