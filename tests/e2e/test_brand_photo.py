"""The photo from the dashboard's profile to the booking page: chosen and previewed, uploaded through
the target the API gives, shown on the booking page from the app's origin; a file of the wrong type
refused at the field before it is sent, a file that is no picture refused by the server at the field;
removed again. axe-core on each state.

Needs the photo routes (POST/PUT/DELETE /me/photo): a build whose profile has no ``photo`` field has
no photos to test, and says so instead of failing.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from devtools.stack import Stack
from tests.e2e.accessibility import violations
from tests.e2e.conftest import Console, Provider
from tests.e2e.flows import call, sign_in

pytestmark = pytest.mark.e2e


def png(width: int, height: int) -> bytes:
    """A plain RGB PNG of ``width`` x ``height`` (a diagonal gradient), made without any library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in ((x * 7) % 256, (y * 5) % 256, 120))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def with_photos(stack: Stack, provider: Provider) -> None:
    if "photo" not in call(stack, provider, "GET", "/me"):
        pytest.skip("this build's profile has no photo field, so it has no photo routes to upload to")


def test_a_photo_uploaded_from_the_dashboard_appears_on_the_booking_page(
    stack: Stack,
    provider: Provider,
    new_page: Callable[..., Page],
    console: Console,
    tmp_path: Path,
    with_photos: None,
) -> None:
    picture = tmp_path / "me.png"
    picture.write_bytes(png(320, 240))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<html>not a picture either</html>")

    page = new_page("Europe/Lisbon")
    sign_in(page, stack, provider, "#profile")
    form = page.locator("#photo-form")
    expect(form.locator("#brand-no-photo")).to_be_visible()
    chooser = form.locator("#brand-photo-file")

    chooser.set_input_files(str(notes))  # refused before anything is sent
    expect(chooser).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#brand-photo-file-error")).to_have_text("Choose a JPEG, PNG or WebP picture.")
    assert violations(page, "dashboard: photo, a wrong type refused") == []

    chooser.set_input_files(str(fake))  # passes the page's checks, not the server's
    form.get_by_role("button", name="Upload photo").click()
    expect(form.locator("#brand-photo-file-error")).to_have_text(
        "This file is not a picture of the type it claims."
    )
    assert call(stack, provider, "GET", "/me")["photo"] is None

    chooser.set_input_files(str(picture))
    expect(chooser).not_to_have_attribute("aria-invalid", "true")
    chosen = form.locator("#brand-photo-chosen")
    expect(chosen).to_be_visible()
    assert str(chosen.get_attribute("src")).startswith("data:image/png;base64,")
    assert violations(page, "dashboard: photo chosen, previewed") == []
    form.get_by_role("button", name="Upload photo").click()
    expect(form.locator(".notice")).to_have_text("Photo saved. Your pages show it now.")
    photo = call(stack, provider, "GET", "/me")["photo"]
    assert photo and photo.startswith("/photos/")
    expect(form.locator("#brand-photo-preview")).to_have_attribute("src", f"{stack.base}{photo}")
    assert violations(page, "dashboard: photo saved") == []

    visitor = new_page("Europe/Lisbon", locale="pt-PT")
    visitor.goto(f"{stack.base}/book/{provider.slug}")
    shown = visitor.locator("#brand-photo")
    expect(shown).to_be_visible()
    assert shown.get_attribute("src") == f"{stack.base}{photo}"
    assert shown.evaluate("(img) => img.complete && img.naturalWidth") == 256  # loaded within the CSP
    assert violations(visitor, "booking: the uploaded photo") == []

    form.get_by_role("button", name="Remove photo").click()
    expect(form.locator(".notice")).to_have_text("Photo removed.")
    expect(form.locator("#brand-no-photo")).to_be_visible()
    assert call(stack, provider, "GET", "/me")["photo"] is None
    visitor.reload()
    visitor.locator("button.service").first.wait_for()
    assert visitor.locator("#brand-photo").count() == 0
    assert [e for e in console.errors if "status of 422" not in e] == []
