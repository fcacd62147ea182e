"""Step 2 (業務の特徴) for a three-task 補助金電子申請システム, counted in user actions.

Issue 17 found that describing a three-task system in step 2 costs about 55 actions (clicks,
selections, typed fields). Both tests below describe the same system (``TARGET``) and check that
the saved answers are exactly it; ``Actions`` counts every click, selection, tick and typed field,
and does nothing (counts nothing) where the field already holds what is wanted, so each count is
the least a person needs along that way of working:

- ``before``: today's controls only (add a row, type, choose, tick), as a person would without
  the copy actions;
- ``after``: the copy actions of issue 17 (copy a row, copy a task to the other tasks).

The figures are written to ``out/step2-actions.json`` and reported in docs/workflow.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Locator, Page, expect

from sbd_tool.content import load_catalogue
from tests.browser.conftest import sign_in
from tests.conftest import CONTENT, ROOT

Shoot = Callable[[Page, str], Path]
RESULTS = ROOT / "out" / "step2-actions.json"

# The system of the issue: three tasks that share most of their people and information (means
# in the catalogue's order, as the form stores them).
TARGET: list[dict[str, Any]] = [
    {
        "id": "T1",
        "subjects": [
            {"name": "申請者（国民・事業者）", "kind": "public"},
            {"name": "受付担当職員", "kind": "staff"},
        ],
        "information": [
            {
                "name": "申請データ（氏名・住所・口座）",
                "confidentiality": 2,
                "integrity": 2,
                "availability": 2,
                "pii": "pii",
            },
            {"name": "添付書類（決算書等）", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "pii"},
        ],
        "means": ["office_lan", "internet"],
    },
    {
        "id": "T2",
        "subjects": [
            {"name": "外部審査委員", "kind": "partner"},
            {"name": "審査担当職員", "kind": "staff"},
        ],
        "information": [
            {
                "name": "申請データ（氏名・住所・口座）",
                "confidentiality": 2,
                "integrity": 2,
                "availability": 2,
                "pii": "pii",
            },
            {"name": "添付書類（決算書等）", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "pii"},
            {"name": "審査記録", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "pii"},
        ],
        "means": ["office_lan", "remote"],
    },
    {
        "id": "T3",
        "subjects": [
            {"name": "申請者（国民・事業者）", "kind": "public"},
            {"name": "審査担当職員", "kind": "staff"},
        ],
        "information": [
            {
                "name": "申請データ（氏名・住所・口座）",
                "confidentiality": 2,
                "integrity": 2,
                "availability": 2,
                "pii": "pii",
            },
            {"name": "交付決定通知", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "pii"},
        ],
        "means": ["office_lan", "internet", "email"],
    },
]

STEP1 = {
    "format": "sbd-tool/answers@1",
    "project": {
        "name": "補助金電子申請システム",
        "organisation": "テスト省 補助金課",
        "purpose": "補助金の申請から交付決定までをオンラインで行う。",
        "tasks": [
            {"id": "T1", "name": "申請の受付", "description": "申請者がインターネットから申請する。"},
            {"id": "T2", "name": "審査", "description": "職員と外部審査委員が申請を審査する。"},
            {"id": "T3", "name": "交付決定と通知", "description": "交付決定を申請者に通知する。"},
        ],
    },
}
AXES = ("confidentiality", "integrity", "availability")


class Actions:
    """Drives the page and counts what a person does; an action that would change nothing is skipped."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def type(self, field: Locator, text: str) -> None:
        if field.input_value() != text:
            field.fill(text)
            self.count += 1

    def choose(self, field: Locator, value: str) -> None:
        if field.input_value() != value:
            field.select_option(value)
            self.count += 1

    def tick(self, box: Locator, on: bool) -> None:
        if box.is_checked() != on:
            box.set_checked(on)
            self.count += 1

    def click(self, target: Locator) -> None:
        target.click()
        self.count += 1


def new_project(page: Page, base: str) -> str:
    """The project with its three tasks from step 1 (not counted: step 1 is not step 2), at step 2."""
    page.goto(base + "/projects/import")
    data = yaml.safe_dump(STEP1, allow_unicode=True).encode()
    page.locator("input[type=file]").set_input_files({"name": "t.yaml", "mimeType": "text/yaml", "buffer": data})
    page.get_by_role("button", name="取り込む").click()
    url = page.url.replace("/steps/purpose", "/steps/features")
    page.goto(url)
    return url


def rows(page: Page, tid: str, what: str) -> int:
    label = "主体の名称" if what == "subjects" else "情報の名称"
    return page.get_by_label(f"{tid}：{label}", exact=False).count()


def describe_row(act: Actions, tid: str, what: str, n: int, row: dict[str, Any]) -> None:
    """Row ``n`` (from 1) of a task's subjects or information made to say ``row``."""
    page = act.page
    if what == "subjects":
        act.type(page.get_by_label(f"{tid}：主体の名称（{n}行目）"), row["name"])
        act.choose(page.get_by_label(f"{tid}：主体の種類（{n}行目）"), row["kind"])
        return
    act.type(page.get_by_label(f"{tid}：情報の名称（{n}行目）"), row["name"])
    for axis, label in zip((*AXES, "pii"), ("機密性", "完全性", "可用性", "個人情報"), strict=True):
        act.choose(page.get_by_label(f"{tid}：{label}（{n}行目）"), str(row[axis]))


def set_means(act: Actions, tid: str, means: list[str]) -> None:
    cat = load_catalogue(CONTENT)
    region = act.page.get_by_role("region", name=tid)
    for option in cat.steps.matrix.means:
        act.tick(region.get_by_role("checkbox", name=option.label, exact=True), option.id in means)


def saved_tasks(page: Page, step_url: str) -> list[dict[str, Any]]:
    export = step_url.split("/steps/")[0] + "/export"
    answers = yaml.safe_load(page.request.get(export).text())
    return [{k: t.get(k) for k in ("id", "subjects", "information", "means")} for t in answers["project"]["tasks"]]


def save(act: Actions) -> None:
    act.click(act.page.get_by_role("button", name="保存", exact=True))
    expect(act.page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()


def record(name: str, count: int) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    found[name] = count
    RESULTS.write_text(json.dumps(found, ensure_ascii=False, indent=1))


def test_before_today_s_controls(live_server: str, page: Page) -> None:
    """The three tasks typed one by one with add-row, type, choose and tick: today's way."""
    url = new_project(page, live_server)
    act = Actions(page)
    for task in TARGET:
        tid = task["id"]
        region = page.get_by_role("region", name=tid)
        for what, button in (("subjects", "主体を追加"), ("information", "情報を追加")):
            for n, row in enumerate(task[what], start=1):
                if n > rows(page, tid, what):
                    act.click(region.get_by_role("button", name=button))
                describe_row(act, tid, what, n, row)
        set_means(act, tid, task["means"])
    save(act)
    assert saved_tasks(page, url) == TARGET
    record("before", act.count)
    assert act.count >= 50, act.count  # what the issue measured (about 55)


DEFAULTS = {
    "subjects": {"name": "", "kind": "staff"},
    "information": {"name": "", "confidentiality": 1, "integrity": 1, "availability": 1, "pii": "none"},
}


def differences(row: dict[str, Any], start: dict[str, Any]) -> int:
    return sum(1 for key, value in row.items() if str(start.get(key)) != str(value))


def copy_button(page: Page, tid: str, what: str, n: int) -> Locator:
    noun = "主体" if what == "subjects" else "情報"
    return page.get_by_role("region", name=tid).get_by_role(
        "button", name=re.compile(f"^複製\\s*（{tid} {noun}{n}行目）$")
    )


def test_after_with_copies(live_server: str, page: Page, shoot: Shoot) -> None:
    """The same system with the shortcuts: a new row is a copy of the row above where that is
    fewer changes than a blank row; the first task, once described, is added to the other two."""
    url = new_project(page, live_server)
    act = Actions(page)
    shoot(page, "01-empty")
    for task in TARGET:
        tid = task["id"]
        region = page.get_by_role("region", name=tid)
        for what, button in (("subjects", "主体を追加"), ("information", "情報を追加")):
            wanted = task[what]
            for n, row in enumerate(wanted, start=1):
                if n > rows(page, tid, what):
                    previous = wanted[n - 2]
                    if differences(row, previous) < 1 + differences(row, DEFAULTS[what]):
                        act.click(copy_button(page, tid, what, n - 1))
                    else:
                        act.click(region.get_by_role("button", name=button))
                describe_row(act, tid, what, n, row)
        set_means(act, tid, task["means"])
        if tid == "T1":
            shoot(page, "02-first-task")
            act.click(region.get_by_role("button", name=re.compile("^主体・情報・利用手段をほかの全業務に追加")))
            expect(page.get_by_label("T3：情報の名称（2行目）")).to_have_value(TARGET[0]["information"][1]["name"])
            shoot(page, "03-copied-to-all")
    save(act)
    assert saved_tasks(page, url) == TARGET
    shoot(page, "04-saved")
    record("after", act.count)
    before = json.loads(RESULTS.read_text()).get("before", 55) if RESULTS.exists() else 55
    assert act.count * 2 <= before, (act.count, before)


def test_shortcuts_without_javascript_and_the_definitions(browser: Any, live_server: str, shoot: Shoot) -> None:
    """Each shortcut is a submit button: without JavaScript the server does the same, keeping what
    was typed; the definitions of the classes are next to where they are chosen."""
    context = browser.new_context(locale="ja-JP", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, "officer")
        new_project(page, live_server)
        act = Actions(page)
        describe_row(act, "T1", "information", 1, TARGET[0]["information"][0])
        act.click(copy_button(page, "T1", "information", 1))
        expect(page.get_by_label("T1：情報の名称（2行目）")).to_have_value(TARGET[0]["information"][0]["name"])
        expect(page.get_by_label("T1：可用性（2行目）")).to_have_value("2")
        set_means(act, "T1", ["office_lan", "internet"])
        region = page.get_by_role("region", name="T1")
        region.get_by_role("button", name=re.compile("^この利用手段をすべての業務に適用")).click()
        expect(page.get_by_role("region", name="T3").get_by_role("checkbox", name="インターネット")).to_be_checked()
        region.get_by_role("button", name=re.compile("^主体・情報・利用手段をほかの全業務に追加")).click()
        expect(page.get_by_label("T2：情報の名称（2行目）")).to_have_value(TARGET[0]["information"][0]["name"])
        region.get_by_text("追加する先の業務を選ぶ").click()
        shoot(page, "no-js-after-copies")
        definitions = region.get_by_text("機密性・完全性・可用性の格付の定義")
        definitions.click()
        expect(region.get_by_role("cell", name="秘密文書に相当する機密性を要する情報。")).to_be_visible()
        region.locator("details.definitions").screenshot(
            path=str(shoot(page, "definitions-open").with_name("definitions-crop.png"))
        )
    finally:
        context.close()
