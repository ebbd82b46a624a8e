"""The provider's brand in the HTML part of every email, the plain-text part untouched by it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from chalicelib.domain.integrations.webhook_alerts import disabled_email
from chalicelib.domain.notifications.branding import (
    DEFAULT_ACCENT,
    MailBrand,
    mail_brand,
    photo_url,
    safe_accent,
    safe_photo_url,
)
from chalicelib.domain.notifications.mail import OutgoingEmail
from chalicelib.domain.notifications.messages import render
from chalicelib.domain.notifications.notices import RECIPIENTS, NoticeKind, Recipient
from tests.notice_builders import STAMP, make_notice

pytestmark = pytest.mark.unit

ALL = [(kind, recipient) for kind, recipients in RECIPIENTS.items() for recipient in recipients]
VERSION = "01J9Z8Y7X6W5V4T3S2R1Q0P9N8"
PHOTO = f"https://book.example.com/photos/{VERSION}-96.webp"
BRAND = mail_brand("Pat Provider", "Sports massage in Lisbon", "#7a1fa2", PHOTO)


class Tags(HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def mail(
    kind: NoticeKind, recipient: Recipient, brand: MailBrand | None = BRAND, **more: object
) -> OutgoingEmail:
    return render(kind, recipient, make_notice(brand=brand, **more), STAMP)


def manage_button(email: OutgoingEmail) -> dict[str, str | None]:
    (button,) = [a for a in Tags(email.html).all("a") if "/book/manage/" in (a.get("href") or "")]
    return button


@pytest.mark.parametrize(("kind", "recipient"), ALL)
def test_the_text_part_is_byte_identical_with_and_without_the_brand(
    kind: NoticeKind, recipient: Recipient
) -> None:
    branded, plain = mail(kind, recipient), mail(kind, recipient, brand=None)
    assert branded.text == plain.text
    assert branded.text.encode() == plain.text.encode()
    assert "Sports massage" not in branded.text and "photos/" not in branded.text
    assert branded.html != plain.html  # the brand is in the HTML part, and only there


@pytest.mark.parametrize(("kind", "recipient"), ALL)
def test_every_email_is_headed_by_the_providers_name_with_her_photo(
    kind: NoticeKind, recipient: Recipient
) -> None:
    email = mail(kind, recipient)
    (img,) = Tags(email.html).all("img")
    assert img == {"src": PHOTO, "width": "96", "height": "96", "alt": "Pat Provider", "style": img["style"]}
    assert '<p style="margin: 0; font-size: 20px; font-weight: bold;">Pat Provider</p>' in email.html
    assert "border-top: 4px solid #7a1fa2" in email.html
    # Her headline is for her clients; her own emails carry her name only.
    assert ("Sports massage in Lisbon" in email.html) is (recipient is Recipient.CLIENT)


def test_the_accent_colours_the_manage_button() -> None:
    button = manage_button(mail(NoticeKind.BOOKED, Recipient.CLIENT))
    assert "background-color: #7a1fa2" in (button["style"] or "")
    assert "color: #ffffff" in (button["style"] or "")
    cells = [td for td in Tags(mail(NoticeKind.BOOKED, Recipient.CLIENT).html).all("td") if "bgcolor" in td]
    assert [td["bgcolor"] for td in cells] == [
        "#7a1fa2"
    ]  # the button's cell, for clients that drop its style


def test_without_a_brand_the_button_and_border_take_the_default_accent_and_no_header() -> None:
    email = mail(NoticeKind.REMINDER, Recipient.CLIENT, brand=None)
    assert f"background-color: {DEFAULT_ACCENT}" in (manage_button(email)["style"] or "")
    assert f"border-top: 4px solid {DEFAULT_ACCENT}" in email.html
    assert Tags(email.html).all("img") == []


def test_the_name_and_headline_are_each_one_line() -> None:
    brand = mail_brand("Pat\r\nProvider\x00", "Massage\nin\u2028Lisbon", "#7a1fa2")
    html = mail(NoticeKind.BOOKED, Recipient.CLIENT, brand=brand).html
    assert ">Pat Provider</p>" in html and ">Massage in Lisbon</p>" in html
    assert "\x00" not in html and "\u2028" not in html


def test_no_img_without_a_photo() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, brand=mail_brand("Pat Provider", "Massage", "#7a1fa2"))
    assert Tags(email.html).all("img") == []
    assert "<img" not in email.html
    assert "Pat Provider" in email.html and "Massage" in email.html


def test_a_hostile_name_and_headline_are_escaped() -> None:
    name = 'Pat "><script>alert(1)</script>'
    headline = "<img src=x onerror=alert(1)> & <b>bold</b>"
    brand = mail_brand(name, headline, "#7a1fa2", PHOTO)
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, brand=brand)
    assert "<script>" not in email.html and "<b>" not in email.html
    assert all("onerror" not in attrs for _, attrs in Tags(email.html).tags)
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in email.html
    (img,) = Tags(email.html).all("img")  # the only img is the photo: the headline's is text
    assert img["src"] == PHOTO and img["alt"] == name
    assert 'alt="Pat &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in email.html


@pytest.mark.parametrize(
    "color",
    [
        "red",
        "#7a1fa",
        "#7a1fa2; background: url(https://evil.example/x)",
        "#7A1FA2 ",
        "#ffffff",
        "#fafa00",
        None,
        "",
    ],
)
def test_an_invalid_or_unreadable_colour_falls_back_to_the_default(color: str | None) -> None:
    assert safe_accent(color) == DEFAULT_ACCENT
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, brand=mail_brand("Pat", None, color))
    assert f"background-color: {DEFAULT_ACCENT}" in (manage_button(email)["style"] or "")
    assert "evil.example" not in email.html


def test_a_colour_set_past_the_brand_builder_is_still_checked_when_written() -> None:
    forged = MailBrand(
        "Pat", accent="red;background:url(https://evil.example/x)", photo_url="javascript:alert(1)"
    )
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, brand=forged)
    assert "evil.example" not in email.html and "javascript:" not in email.html
    assert f"border-top: 4px solid {DEFAULT_ACCENT}" in email.html
    assert Tags(email.html).all("img") == []


def test_an_uppercase_colour_is_written_lowercase() -> None:
    assert safe_accent("#7A1FA2") == "#7a1fa2"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        (PHOTO, True),
        (f"http://127.0.0.1:8000/photos/{VERSION}-96.webp", True),
        (f"http://book.example.com/photos/{VERSION}-96.webp", False),
        (f"http://127.0.0.1.evil.example/photos/{VERSION}-96.webp", False),
        (f"http://localhost:8000/photos/{VERSION}-96.webp", False),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("//evil.example/x.webp", False),
        ('https://book.example.com/x" onerror="alert(1)', False),
        ("https://user:pass@book.example.com/x.webp", False),
        (None, False),
    ],
)
def test_the_photo_is_only_an_https_or_local_stage_address(url: str | None, kept: bool) -> None:
    assert (safe_photo_url(url) == url and url is not None) is kept


def test_the_photo_url_is_the_96_px_square_on_the_public_base() -> None:
    assert photo_url("https://book.example.com", VERSION) == PHOTO
    assert photo_url("https://book.example.com/", VERSION) == PHOTO
    assert photo_url("http://127.0.0.1:8000", VERSION) == f"http://127.0.0.1:8000/photos/{VERSION}-96.webp"
    assert photo_url("https://book.example.com", None) is None
    assert photo_url("https://book.example.com", "../../etc/passwd") is None
    assert photo_url("http://book.example.com", VERSION) is None  # not https, not the local stage


@pytest.mark.parametrize("language", ["en", "pt", "fr"])
def test_lang_stays_the_recipients_language(language: str) -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT, client_language=language)
    assert re.search(rf'<html lang="{language}">', email.html)


def test_no_remote_resource_but_the_photo() -> None:
    email = mail(NoticeKind.BOOKED, Recipient.CLIENT)
    sources = [attrs.get("src") for _, attrs in Tags(email.html).tags if "src" in attrs]
    assert sources == [PHOTO]
    assert "<link" not in email.html and "url(" not in email.html and "<style" not in email.html


def test_the_webhook_disabled_email_carries_the_brand_and_keeps_its_text() -> None:
    args = (
        "pat@example.com",
        "Pat Provider",
        "https://hooks.example.com/x",
        "2026-12-01",
        "https://b.example/app",
    )
    branded = disabled_email(*args, language="pt", brand=mail_brand("Pat Provider", None, "#7a1fa2", PHOTO))
    plain = disabled_email(*args, language="pt")
    assert branded.text == plain.text
    assert '<html lang="pt">' in branded.html
    assert "border-top: 4px solid #7a1fa2" in branded.html
    (img,) = Tags(branded.html).all("img")
    assert img["src"] == PHOTO and img["alt"] == "Pat Provider"
    assert Tags(plain.html).all("img") == []


def test_the_photo_url_names_the_square_the_photo_routes_serve() -> None:
    photo = pytest.importorskip(
        "chalicelib.domain.photo", reason="a tree without the photo routes has no square"
    )
    assert 96 in photo.PHOTO_SIZES
    assert photo_url("https://book.example.com", VERSION) == "https://book.example.com" + photo.photo_path(
        VERSION, 96
    )
