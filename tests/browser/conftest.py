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
from tests.accounts import PASSWORD, add_user
from tests.browser.axe_audit import axe_audit
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


def javascript_enabled(page: Page) -> bool:
    """False in a context made with ``java_script_enabled=False`` (evaluating there never returns)."""
    return page.context._impl_obj._options.get("javaScriptEnabled") is not False


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
    for username, role, name in USERS:
        add_user(app, username, role, None if role == "admin" else "テスト省", display_name=name)
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


USERS = (
    ("officer", "officer", "調達 太郎"),
    ("adviser", "adviser", "相談 花子"),
    ("trainer", "trainer", "研修 次郎"),
    ("admin", "admin", "管理 三郎"),
)


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(base + "/login")
    page.get_by_label("利用者名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()
    page.get_by_role("button", name="サインアウト").wait_for()


@pytest.fixture
def page(context: BrowserContext, live_server: str) -> Page:
    """A tab signed in as the officer of テスト省."""
    page = context.new_page()
    sign_in(page, live_server, "officer")
    return page


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> object:
    """``shoot(page, name)`` saves a full-page screenshot named after the test and database, after
    axe-core has found no violation on the page as photographed (every state a person looks at)."""
    folder = SCREENSHOTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        if javascript_enabled(page):  # axe-core is JavaScript: it cannot run in a page without
            axe_audit(page)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
