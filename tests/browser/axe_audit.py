"""axe-core (Deque's accessibility engine, shipped inside axe-playwright-python) run on a page.

Every rule of axe's WCAG 2.0/2.1/2.2 A and AA sets and its best practices runs (only the
experimental rules are left out, as axe itself does by default); any violation fails the test
with one readable line per element: rule id, the element (CSS target), and what to fix.
Nothing is downloaded at test time: the engine is the ``axe.min.js`` inside the package.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# axe.run's options: every non-experimental rule (axe's default); results: violations only.
OPTIONS: dict[str, Any] = {"resultTypes": ["violations"]}


@lru_cache(maxsize=1)
def _axe() -> Axe:
    return Axe()


def axe_violations(page: Page) -> list[str]:
    """One line per violating element: ``rule-id (impact) target: help``."""
    results = _axe().run(page, options=OPTIONS).response
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']} ({violation.get('impact')}) {target}: {violation['help']}")
    return lines


def axe_audit(page: Page) -> None:
    """No axe-core violation on the page as it is now."""
    found = axe_violations(page)
    assert not found, f"axe-core: {len(found)} violation(s) on {page.url}\n" + "\n".join(found)
