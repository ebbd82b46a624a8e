"""Embed origins: exactly an https origin (http loopback on the local stage), normalised, else refused."""

from __future__ import annotations

import pytest

from chalicelib.domain.embed import OriginError, frame_ancestors, normalise_origin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://studio.example", "https://studio.example"),
        ("HTTPS://Studio.Example", "https://studio.example"),
        ("https://studio.example:8443", "https://studio.example:8443"),
        ("https://studio.example:443", "https://studio.example"),  # the default port is no port
        ("https://café.pt", "https://xn--caf-dma.pt"),
        ("https://xn--caf-dma.pt", "https://xn--caf-dma.pt"),
        ("https://192.0.2.10", "https://192.0.2.10"),
    ],
)
def test_an_origin_is_kept_as_the_browser_writes_it(text: str, expected: str) -> None:
    assert normalise_origin(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("https://studio.example/", "invalid_origin"),
        ("https://studio.example/book", "invalid_origin"),
        ("https://studio.example?x=1", "invalid_origin"),
        ("https://studio.example#top", "invalid_origin"),
        ("https://user:pw@studio.example", "invalid_origin"),
        ("https://*.studio.example", "wildcard"),
        ("*", "wildcard"),
        ("javascript:alert(1)", "invalid_origin"),
        ("data:text/html,hi", "invalid_origin"),
        (" https://studio.example", "invalid_origin"),
        ("https://studio.example ", "invalid_origin"),
        ("https://studio .example", "invalid_origin"),
        ("studio.example", "invalid_origin"),
        ("http://studio.example", "https_required"),
        ("ftp://studio.example", "https_required"),
        ("https://studio..example", "invalid_host"),
        ("https://-studio.example", "invalid_host"),
        ("https://999.1.1.1", "invalid_host"),
        ("https://studio.example:0", "invalid_port"),
        ("https://studio.example:70000", "invalid_port"),
        ("https://" + "a" * 300 + ".example", "too_long"),
        ("'none'", "invalid_origin"),
        ("https://studio.example; script-src *", "wildcard"),
        ("https://studio.example;", "invalid_host"),
    ],
)
def test_anything_but_exactly_an_origin_is_refused_with_its_reason(text: str, code: str) -> None:
    with pytest.raises(OriginError) as refused:
        normalise_origin(text, allow_loopback_http=True)
    assert refused.value.code == code


def test_http_is_only_for_loopback_and_only_when_allowed() -> None:
    assert normalise_origin("http://127.0.0.1:8123", allow_loopback_http=True) == "http://127.0.0.1:8123"
    assert normalise_origin("http://LocalHost:9", allow_loopback_http=True) == "http://localhost:9"
    for text in ("http://127.0.0.1:8123", "http://localhost"):
        with pytest.raises(OriginError, match="https"):
            normalise_origin(text)
    with pytest.raises(OriginError):
        normalise_origin("http://10.0.0.1", allow_loopback_http=True)


def test_the_directive_lists_exactly_the_origins_or_none() -> None:
    assert frame_ancestors([]) == "'none'"
    assert frame_ancestors(["https://a.example", "https://b.example:8443"]) == (
        "https://a.example https://b.example:8443"
    )
