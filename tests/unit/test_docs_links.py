"""No link in docs/ (or the README) points outside the repository.

The rule, for everything a reader can follow in the rendered Markdown (inline and reference links,
images, <autolinks>, HTML href/src, and bare URLs in the prose, which renderers make clickable):
- a relative target names a file or folder of this repository that exists (an #anchor may follow);
- an absolute one is http(s) to the app's own local addresses only (localhost, 127.0.0.1, [::1]) or
  to the names reserved for examples (example.com/.net/.org and the .example, .test, .invalid and
  .localhost domains); no other scheme and no other host;
- paths in code spans that climb out of their folder (`../x`) must stay inside the repository too.
Commands inside code blocks and spans are not links: their URLs are the app's own (`$B/...`).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from devtools.dynamodb_local import ROOT

pytestmark = pytest.mark.unit

DOCS = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s>]+)>")
HTML = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
BARE = re.compile(r"(?<![<(\w/])\b(https?://[^\s<>()\]`'\"]+)")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
EXAMPLE_TLDS = (".example", ".test", ".invalid", ".localhost")


def prose(text: str) -> str:
    """The Markdown without its code blocks and code spans (kept as blanks, lines unchanged)."""
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return CODE_SPAN.sub(" ", text)


def links(text: str) -> list[str]:
    body = prose(text)
    found = [m for pattern in (INLINE, REFERENCE, AUTOLINK, HTML) for m in pattern.findall(body)]
    return found + [url.rstrip(".,;:") for url in BARE.findall(body)]


def climbing_paths(text: str) -> list[str]:
    spans = [span for _, span in CODE_SPAN.findall(FENCE.sub("", text))]
    return [s.strip() for s in spans if re.fullmatch(r"(\.\./)+[\w./-]+", s.strip())]


def allowed_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS:
        return True
    return host in EXAMPLE_DOMAINS or host.endswith(tuple(f".{d}" for d in EXAMPLE_DOMAINS) + EXAMPLE_TLDS)


def problem(doc: Path, target: str) -> str | None:
    parsed = urlparse(target)
    if parsed.scheme:
        if parsed.scheme not in ("http", "https"):
            return f"{target}: only http(s) links, and only to local or example addresses"
        return None if allowed_host(parsed.hostname or "") else f"{target}: a host outside the project"
    if not parsed.path:  # "#anchor" in the same file
        return None
    resolved = (doc.parent / parsed.path).resolve()
    if not resolved.is_relative_to(ROOT):
        return f"{target}: outside the repository"
    return None if resolved.exists() else f"{target}: no such file"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_in_the_repository(doc: Path) -> None:
    text = doc.read_text()
    problems = [p for target in links(text) + climbing_paths(text) if (p := problem(doc, target))]
    assert problems == []


@pytest.mark.parametrize(
    ("markdown", "bad"),
    [
        ("See [the guide](https://docs.aws.amazon.com/lambda/).", True),
        ("Read <https://github.com/aws/chalice> first.", True),
        ("It lives at https://pypi.org/project/chalice/ today.", True),
        ('<a href="http://evil.invalid.com/">x</a>', True),
        ("[gone](missing.md) and [out](../../etc/passwd)", True),
        ("The contract is `../shared/design/API.md`.", True),
        ("[mail](mailto:someone@example.com)", True),
        ("Open <http://127.0.0.1:8000/app> or <https://book.example.com/health>.", False),
        ("[ops](operations.md#backups), [pages](pages.md), [up](../README.md)", False),
        ("```bash\ncurl https://api.github.com/\n```\nthen `https://token.actions.example`", False),
    ],
)
def test_the_rule_refuses_what_it_should(markdown: str, bad: bool) -> None:
    doc = ROOT / "docs" / "api.md"
    problems = [p for target in links(markdown) + climbing_paths(markdown) if (p := problem(doc, target))]
    assert bool(problems) is bad, problems
