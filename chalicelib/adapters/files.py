"""Local mailer: each email becomes one ``.eml`` file under ``<var_dir>/mail/``.

File names sort by send time and carry only a random id (never an address), so the folder reads
as an outbox; a mail client opens any of them. Files appear whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import UTC
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from chalicelib.domain.errors import MailerUnavailableError
from chalicelib.domain.notifications.mail import OutgoingEmail, to_mime
from chalicelib.observability import logger
from chalicelib.services.notifications.ports import Mailer
from chalicelib.services.shared import Clock, SystemClock

if TYPE_CHECKING:
    from chalicelib.config import Settings

MAIL_SUBDIR = "mail"
ID_DOMAIN = "scheduler.localhost"


class FileMailer(Mailer):
    def __init__(self, directory: str | os.PathLike[str], sender: str, clock: Clock | None = None) -> None:
        self.directory = Path(directory)
        self._sender = sender or f"bookings@{ID_DOMAIN}"
        self._clock = clock or SystemClock()

    @classmethod
    def from_settings(cls, settings: Settings) -> FileMailer:
        return cls(Path(settings.var_dir) / MAIL_SUBDIR, settings.sender_email)

    def new_id(self) -> str:
        """``20270314T140000123456Z-<random hex>``: sorts by time, unique, free of personal data."""
        return f"{self._clock.now().astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:16]}"

    def send(self, message: OutgoingEmail) -> str:
        message_id = self.new_id()
        mime = to_mime(message, self._sender)
        mime["Date"] = format_datetime(self._clock.now())
        mime["Message-ID"] = f"<{message_id}@{ID_DOMAIN}>"
        target = self.directory / f"{message_id}.eml"
        # A hidden temporary name in the same folder, then an atomic rename: readers never
        # see a half-written file.
        partial = self.directory / f".{message_id}.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(mime.as_bytes())
            os.replace(partial, target)
        except OSError as error:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise MailerUnavailableError("The mail folder is not writable.") from error
        logger.info("Email written", extra={"message_id": message_id, **message.tags})
        return message_id
