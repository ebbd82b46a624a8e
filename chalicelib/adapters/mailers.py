"""Which mailer a stage uses: .eml files under ``<var_dir>/mail`` locally, SES in AWS."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chalicelib.config import Settings
    from chalicelib.services.notifications.ports import Mailer


def make_mailer(settings: Settings) -> Mailer:
    """Local stage: .eml files under ``<var_dir>/mail``; AWS stages: SES."""
    if settings.is_local:
        from chalicelib.adapters.files import FileMailer

        return FileMailer.from_settings(settings)
    from chalicelib.adapters.ses import SesMailer

    return SesMailer.from_settings(settings)
