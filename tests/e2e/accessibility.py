"""axe-core in the page under test: `make axe` installs the pinned npm package into .tools/axe-core.

The script goes in through the DevTools protocol (page.evaluate), which the pages' strict CSP does
not govern: the pages stay exactly as served.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from playwright.sync_api import Page

from devtools.dynamodb_local import ROOT

AXE = ROOT / ".tools" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} ${n.failureSummary.replace(/\\s+/g, " ")}`),
  }));
}"""


@functools.cache
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run 'make axe'")
    return AXE.read_text()


def violations(page: Page, state: str) -> list[str]:
    """axe's violations on the page as it is now, one line each, named after ``state``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")
    found: list[dict[str, Any]] = page.evaluate(RUN)
    return [f"{state}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in found]
