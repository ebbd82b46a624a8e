"""The disabled-endpoint email: the provider's language, her zone, every value escaped in HTML."""

from __future__ import annotations

from chalicelib.domain.integrations.webhook_alerts import disabled_email


def test_it_is_written_in_her_language_with_the_time_in_her_zone() -> None:
    email = disabled_email(
        "ana@example.com",
        "Ana Sousa",
        "https://crm.example.com/in",
        "2031-03-01T12:00:00Z",
        "https://book.example.com/app",
        "pt",
        "America/New_York",
    )
    assert email.subject == "O seu endpoint de webhook foi desativado"
    assert "Olá Ana Sousa," in email.text
    assert "sábado, 1 de março de 2031, 07:00 (America/New_York)" in email.text
    assert "https://book.example.com/app" in email.text
    assert '<html lang="pt">' in email.html
    assert email.tags == {"notice": "webhook_disabled", "recipient": "provider"}


def test_an_unknown_language_is_english_and_markup_in_values_is_escaped() -> None:
    email = disabled_email(
        "ana@example.com",
        "Ana <b>",
        "https://crm.example.com/in?a=1&b=<x>",
        "",
        "https://b.example.com/app",
        "xx",
    )
    assert email.subject == "Your webhook endpoint was turned off"
    assert "<b>" not in email.html and "Ana &lt;b&gt;" in email.html
    assert "&lt;x&gt;" in email.html and "<x>" not in email.html
