"""Browser fixtures: the wizard served over HTTP (CSRF on, as in production) and a real headless Chromium.

Chromium is the Debian package installed by scripts/setup.sh, driven by Playwright through
``executable_path`` (Playwright never downloads a browser here). Screenshots of each page go to
``out/screenshots/`` so a person can look at them after a run.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from sbd_tool.web import create_app
from tests.conftest import CONTENT, ROOT
from tests.pgserver import free_port

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]
SCREENSHOTS = ROOT / "out" / "screenshots"


def chromium_path() -> str:
    for candidate in ("chromium", "chromium-browser"):
        path = shutil.which(candidate)
        if path:
            return path
    raise RuntimeError("Debian's chromium is missing: run scripts/setup.sh")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_server(database_url: str) -> Iterator[str]:
    """The wizard on a free loopback port, in a thread, with CSRF protection on."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "browser-test", "CONTENT_DIR": CONTENT})
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["sbd"]["engine"].dispose()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="ja-JP", accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> object:
    """``shoot(page, name)`` saves a full-page screenshot named after the test and database."""
    folder = SCREENSHOTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
