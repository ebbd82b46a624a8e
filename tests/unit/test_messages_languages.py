"""Every email in each of the five languages: the recipient's words, dates, times and money, and
no English left over in the others."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from chalicelib import i18n
from chalicelib.domain.booking.answers import Answer
from chalicelib.domain.catalog import Location
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import RECIPIENTS, NoticeKind, Recipient
from chalicelib.domain.notifications.policy import ChangePolicy, duration
from chalicelib.domain.notifications.wording import Words
from tests.notice_builders import STAMP, make_notice

pytestmark = pytest.mark.unit

ALL = [(kind, recipient) for kind, recipients in RECIPIENTS.items() for recipient in recipients]
OTHERS = [lang for lang in i18n.LANGUAGES if lang != "en"]
# Words every English email has one of, and that none of the other languages writes.
ENGLISH_WORDS = re.compile(
    r"\b(Hi|What|When|Where|With|Price|Reason|Phone|Previously|appointment|booking|calendar|"
    r"cancelled|Reminder|attached|reschedule|Keep|Yes|Monday|March|AM|PM|by phone|hours)\b"
)
NOTIFICATIONS = Path(__file__).resolve().parents[2] / "chalicelib" / "domain" / "notifications"


def everything(language: str, **overrides: Any) -> dict[str, Any]:
    """A notice with every row an email can have (names in no language), in ``language`` for both."""
    return {
        "service_name": "Shiatsu",
        "provider_name": "Ana Sousa",
        "client_name": "Inês Lopes",
        "client_timezone": "Europe/Lisbon",
        "provider_timezone": "Europe/Lisbon",
        "location": Location("phone", "+351 912 345 678"),
        "answers": (Answer("consent", "Consentimento", True),),
        "client_phone": "+351 912 000 000",
        "client_notes": "Primeira vez",
        "price": Decimal("45.50"),
        "currency": "EUR",
        "cancellation_reason": "Gripe",
        "previous_start": datetime(2027, 3, 12, 15, 0, tzinfo=UTC),
        "change_policy": ChangePolicy(notice_minutes=1440, grace_minutes=10),
        "booked_at": STAMP,
        "written_at": STAMP,
        "client_language": language,
        "provider_language": language,
        **overrides,
    }


def mail(kind: NoticeKind, recipient: Recipient, language: str, **overrides: Any) -> OutgoingEmail:
    return render(kind, recipient, make_notice(**everything(language, **overrides)), STAMP)


def invite_text(email: OutgoingEmail) -> str:
    if email.invite is None:
        return ""
    (event,) = Calendar.from_ical(email.invite.ics).events
    return f"{event['SUMMARY']}\n{event.get('DESCRIPTION', '')}"


@pytest.mark.parametrize("language", OTHERS)
@pytest.mark.parametrize(("kind", "recipient"), ALL)
def test_no_english_is_left_in_an_email_in_another_language(
    kind: NoticeKind, recipient: Recipient, language: str
) -> None:
    email = mail(kind, recipient, language)
    for part in (email.subject, email.text, invite_text(email)):
        assert ENGLISH_WORDS.findall(part) == [], (language, kind, recipient, part)
    assert f'<html lang="{language}">' in email.html


def test_the_portuguese_confirmation_reads_as_written_in_portugal() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, "pt")
    assert email.subject == "Marcação confirmada: Shiatsu com Ana Sousa"
    assert email.text.startswith("Olá Inês Lopes,\n\nA sua marcação está confirmada.\n")
    assert (
        "Quando: segunda-feira, 15 de março de 2027, 13:00\u2009\u2013\u200913:30 (Europe/Lisbon, WET)"
        in email.text
    )
    assert "Onde: Por telefone: +351 912 345 678" in email.text
    assert "Preço: 45,50\xa0€" in email.text
    assert "Cancelamento ou remarcação grátis até 24 horas antes do início." in email.text
    assert "Cancelar ou remarcar:" in email.text
    assert "Guarde esta ligação só para si" in email.text
    assert "Segue em anexo um convite para o calendário." in email.text
    assert invite_text(email).startswith("Shiatsu com Ana Sousa\nOnde: Por telefone: +351 912 345 678\n")
    assert "Alterar ou cancelar: https://" in invite_text(email)


@pytest.mark.parametrize(
    ("language", "subject", "when"),
    [
        (
            "en",
            "Booking confirmed: Shiatsu with Ana Sousa",
            "Monday, March 15, 2027, 1:00\u2009\u2013\u20091:30\u202fPM",
        ),
        ("es", "Reserva confirmada: Shiatsu con Ana Sousa", "lunes, 15 de marzo de 2027, 13:00\u201313:30"),
        (
            "fr",
            "Réservation confirmée : Shiatsu avec Ana Sousa",
            "lundi 15 mars 2027, 13:00\u2009\u2013\u200913:30",
        ),
        ("de", "Buchung bestätigt: Shiatsu bei Ana Sousa", "Montag, 15. März 2027, 13:00\u201313:30 Uhr"),
    ],
)
def test_each_language_writes_its_own_subject_date_and_clock(language: str, subject: str, when: str) -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, language)
    assert email.subject == subject
    assert f"{when} (Europe/Lisbon, WET)" in email.text
    assert when in email.html


def test_english_is_12_hour_and_money_follows_the_locale() -> None:
    english = mail(NoticeKind.REMINDER, Recipient.CLIENT, "en", client_timezone="America/New_York")
    assert (
        "When: Monday, March 15, 2027, 9:00\u2009\u2013\u20099:30\u202fAM (America/New_York, EDT)"
        in english.text
    )
    assert "Price: €45.50" in english.text
    german = mail(NoticeKind.REMINDER, Recipient.CLIENT, "de", currency="USD")
    assert "Preis: 45,50\xa0$" in german.text
    assert "Wann: Montag, 15. März 2027, 13:00\u201313:30 Uhr (Europe/Lisbon, WET)" in german.text


def test_client_and_provider_each_read_their_own_language() -> None:
    notice = make_notice(**everything("pt", provider_language="de"))
    client = render(NoticeKind.BOOKED, Recipient.CLIENT, notice, STAMP)
    provider = render(NoticeKind.BOOKED, Recipient.PROVIDER, notice, STAMP)
    assert client.subject.startswith("Marcação confirmada")
    assert provider.subject == "Neue Buchung: Shiatsu bei Inês Lopes"
    assert "Inês Lopes hat einen Termin bei Ihnen gebucht." in provider.text
    assert "Telefon: +351 912 000 000" in provider.text and "Consentimento: Ja" in provider.text


@pytest.mark.parametrize(
    ("by", "recipient", "lead"),
    [
        ("client", Recipient.CLIENT, "Cancelou esta marcação."),
        ("client", Recipient.PROVIDER, "Inês Lopes cancelou esta marcação."),
        ("provider", Recipient.CLIENT, "Ana Sousa cancelou esta marcação."),
        ("provider", Recipient.PROVIDER, "Cancelou esta marcação."),
        ("system", Recipient.CLIENT, "Esta marcação foi cancelada."),
        ("", Recipient.PROVIDER, "Esta marcação foi cancelada."),
    ],
)
def test_a_cancellation_says_who_cancelled_and_why(by: str, recipient: Recipient, lead: str) -> None:
    email = mail(NoticeKind.CANCELLED, recipient, "pt", cancelled_by=by, cancellation_reason="Fechado")
    assert f"\n\n{lead}\n\n" in email.text
    assert "Motivo: Fechado" in email.text
    assert email.subject == "Cancelada: Shiatsu com " + (
        "Ana Sousa" if recipient is Recipient.CLIENT else "Inês Lopes"
    )


def test_an_english_cancellation_by_the_provider_names_her_and_keeps_her_reason() -> None:
    email = mail(
        NoticeKind.CANCELLED, Recipient.CLIENT, "en", cancelled_by="provider", cancellation_reason="Ill"
    )
    assert "Ana Sousa cancelled this appointment." in email.text
    assert "Reason: Ill" in email.text
    no_reason = mail(
        NoticeKind.CANCELLED, Recipient.CLIENT, "en", cancelled_by="client", cancellation_reason=""
    )
    assert "You cancelled this appointment." in no_reason.text and "Reason:" not in no_reason.text


def test_plural_forms_follow_each_languages_rule() -> None:
    # French counts 0 and 1 as singular; English and Portuguese only 1.
    assert Words("fr").count("email.duration.minutes", 0) == "0 minute"
    assert Words("en").count("email.duration.minutes", 0) == "0 minutes"
    assert duration(60, Words("pt")) == "1 hora" and duration(120, Words("pt")) == "2 horas"
    assert duration(2880, Words("de")) == "2 Tage" and duration(90, Words("es")) == "90 minutos"
    assert Words("de").count("email.duration.minutes", 1500) == "1.500 Minuten"


def test_an_unknown_language_reads_as_english() -> None:
    email = mail(NoticeKind.REMINDER, Recipient.CLIENT, "xx")
    assert email.subject == "Reminder: Shiatsu with Ana Sousa"
    assert Words("nl").language == "en"


def test_every_email_key_the_code_names_is_in_the_catalog() -> None:
    """A key written in the notification code but missing from English would fail at send time."""
    named = set()
    for path in NOTIFICATIONS.glob("*.py"):
        named |= set(re.findall(r"[\"'](email\.[a-z_.]+[a-z_])[\"']", path.read_text()))
    english = i18n.messages("en")
    assert len(named) > 40
    missing = [k for k in sorted(named) if k not in english and f"{k}.other" not in english]
    assert missing == []


def test_the_webhook_alert_is_marked_with_the_language_it_is_written_in() -> None:
    from chalicelib.domain.integrations.webhook_alerts import disabled_email

    alert = disabled_email(
        "ana@example.com", "Ana", "https://example.com/hook", "2027-03-01T10:00:00Z", "https://x", "pt"
    )
    assert '<html lang="pt">' in alert.html and alert.text.startswith("Olá Ana,")
    assert '<html lang="en">' in disabled_email("a@example.com", "A", "u", "", "x", "nl").html


def test_french_rows_put_a_space_before_the_colon() -> None:
    text = mail(NoticeKind.REMINDER, Recipient.CLIENT, "fr").text
    assert (
        "\nPrestation : Shiatsu\nAvec : Ana Sousa\nQuand : lundi 15 mars 2027, 13:00\u2009\u2013\u200913:30"
        in text
    )
    assert "\nServiço: Shiatsu\nCom: Ana Sousa\n" in mail(NoticeKind.REMINDER, Recipient.CLIENT, "pt").text
