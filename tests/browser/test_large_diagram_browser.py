"""Step 3 with the largest diagram the form allows (issue 16): the page carries the picture as an
<img> of its own URL and names each row by its id; with JavaScript the picture is drawn inline
again (so elements can be dragged), the fields keep suggesting from the shared lists (no select
of every element per flow end) and new rows take their new id in their names."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from sbd_tool.storage.db import make_engine
from sbd_tool.storage.models import Project, User
from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import audit
from tests.conftest import example_data

Shoot = Callable[[Page, str], Path]


def large_project(database_url: str, elements: int = 300) -> int:
    data: dict[str, Any] = json.loads(json.dumps(example_data("citizen-portal"), default=str))
    diagram = data["diagram"]
    diagram["elements"], diagram["flows"] = diagram["elements"][:1], []
    for n in range(2, elements + 1):
        diagram["elements"].append({"id": f"E{n}", "kind": "terminal", "label": f"端末{n}", "zone": f"Z{n % 3 + 1}"})
        diagram["flows"].append({"id": f"F{n}", "from": f"E{n}", "to": "E1", "means": "internet"})
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            officer = session.scalar(select(User).where(User.username == "officer"))
            assert officer is not None
            project = Project(name="大きな図の案件", answers=copy.deepcopy(data), visited={}, version=1,
                              organisation_id=officer.organisation_id, created_by=officer.id)  # fmt: skip
            session.add(project)
            session.commit()
            return project.id
    finally:
        engine.dispose()


def test_a_large_diagram_with_javascript(live_server: str, database_url: str, page: Page, shoot: Shoot) -> None:
    pid = large_project(database_url)
    page.goto(f"{live_server}/projects/{pid}/steps/diagram")
    # The <img> is replaced by the inline drawing, whose elements can be dragged.
    expect(page.locator(".diagram-canvas svg g.element")).to_have_count(300, timeout=60_000)
    expect(page.locator("img[data-diagram-image]")).to_have_count(0)
    expect(page.get_by_label("E300を置く区域")).to_have_value("Z1")  # a field suggesting from the zones
    page.get_by_label("E300を置く区域").fill("Z3")
    page.get_by_role("button", name="要素を追加").click()
    expect(page.get_by_label("E301の名称")).to_have_value("")  # the copy of the last row is renamed
    expect(page.get_by_role("button", name="（E301）")).to_be_visible()
    page.get_by_role("button", name="（E5）").click()
    expect(page.get_by_role("button", name="（E6）")).to_be_visible()  # ids stay ids when rows move up
    expect(page.get_by_label("E6の種類")).to_have_value("terminal")
    audit(page)
    shoot(page, "large-diagram-js")


def test_a_large_diagram_without_javascript(
    live_server: str, database_url: str, browser: Browser, shoot: Shoot
) -> None:
    pid = large_project(database_url)
    context = browser.new_context(locale="ja-JP", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, live_server, "officer")
        page.goto(f"{live_server}/projects/{pid}/steps/diagram")
        picture = page.get_by_role("img", name="システム概要図（区域3個、要素300個、情報の流れ299本。", exact=False)
        expect(picture).to_be_visible()
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG file loaded
        page.get_by_label("F300の送信先").fill("E2")
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
        expect(page.get_by_label("F300の送信先")).to_have_value("E2")
        shoot(page, "large-diagram-no-js")
    finally:
        context.close()
