"""The wizard in a real browser: an officer walks all seven steps, downloads the spec, reloads mid-step.

Field labels and option labels come from the catalogue, so these tests drive the pages the way a
user (or a screen reader) finds them: by accessible name, never by CSS selector.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from playwright.sync_api import Page, expect

from sbd_tool.content import Catalogue
from tests.browser.axe_audit import axe_audit
from tests.browser.conftest import sign_in
from tests.conftest import ROOT, example_data

SBD_TOOL = str(Path(sys.executable).parent / "sbd-tool")
Shoot = Callable[[Page, str], Path]

# Runs in the page: every problem a keyboard or screen-reader user, or a low-vision user, would hit.
AUDIT_JS = """
(lang) => {
  const problems = [];
  if (document.documentElement.lang !== lang) problems.push('html lang is not ' + lang);
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  const ids = {};
  document.querySelectorAll('[id]').forEach(e => { ids[e.id] = (ids[e.id] || 0) + 1; });
  Object.entries(ids).filter(([, n]) => n > 1).forEach(([id]) => problems.push('duplicate id ' + id));
  const names = {};
  document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(e => {
    const name = (e.labels && e.labels.length ? Array.from(e.labels).map(l => l.textContent).join(' ')
                  : e.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
    if (!name) problems.push('control without a name: ' + e.name);
    if (e.type !== 'radio' && e.type !== 'checkbox') {
      if (names[name]) problems.push('two controls named ' + name);
      names[name] = true;
    }
  });
  document.querySelectorAll('[aria-describedby]').forEach(e => e.getAttribute('aria-describedby').split(' ')
    .forEach(id => { if (id && !document.getElementById(id)) problems.push('aria-describedby to missing ' + id); }));
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.9) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const st = getComputedStyle(el), box = el.getBoundingClientRect();
    if (st.visibility === 'hidden' || box.width < 2 || box.height < 2) continue;  // not rendered, or visually hidden
    const l1 = lum(parse(st.color)), l2 = lum(background(el));
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(st.fontSize), large = size >= 24 || (parseInt(st.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push('contrast ' + ratio.toFixed(2) + ': ' + el.textContent.trim().slice(0, 30));
    }
  }
  return problems;
}
"""

FOCUS_JS = """
() => {
  const e = document.activeElement, st = getComputedStyle(e);
  const outline = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0;
  return {tag: e.tagName, visible: outline || st.boxShadow !== 'none'};
}
"""


def audit(page: Page, lang: str = "ja") -> None:
    """No accessibility problem on the page, whose language is ``lang`` (Japanese unless switched):
    the project's own checks above, then every axe-core rule (tests/browser/axe_audit.py)."""
    assert page.evaluate(AUDIT_JS, lang) == [], page.url
    axe_audit(page)


def next_step(page: Page) -> None:
    page.get_by_role("button", name="保存して次の手順へ").click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()


def heading(page: Page, number: int) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"手順{number}")


def named(label: str, suffix: str) -> re.Pattern[str]:
    """A label with a visually hidden suffix (browsers may put a space between the two)."""
    return re.compile(re.escape(label) + r"\s*" + re.escape(suffix))


def option_label(options: list[Any], option_id: str) -> str:
    return next(o.label for o in options if o.id == option_id)


def fill_step1(page: Page, cat: Catalogue, example: dict[str, Any]) -> None:
    project = example["project"]
    for f in cat.steps.project_fields:
        page.get_by_label(f.label, exact=False).first.fill(project.get(f.id) or "")
    for n, task in enumerate(project["tasks"], start=1):
        if n > 1:
            page.get_by_role("button", name="業務を追加").click()  # in place, by JavaScript
        for f in cat.steps.task_fields:
            page.get_by_label(named(f.label, f"（業務{n}）")).fill(task.get(f.id) or "")


def fill_step2(page: Page, cat: Catalogue, example: dict[str, Any]) -> None:
    m = cat.steps.matrix
    for task in example["project"]["tasks"]:
        tid = task["id"]
        region = page.get_by_role("region", name=tid)
        for n, subject in enumerate(task["subjects"], start=1):
            if n > 1:
                region.get_by_role("button", name="主体を追加").click()
            page.get_by_label(f"{tid}：主体の名称（{n}行目）").fill(subject["name"])
            page.get_by_label(f"{tid}：主体の種類（{n}行目）").select_option(
                label=option_label(m.subject_kinds, subject["kind"])
            )
        for n, info in enumerate(task["information"], start=1):
            if n > 1:
                region.get_by_role("button", name="情報を追加").click()
            page.get_by_label(f"{tid}：情報の名称（{n}行目）").fill(info["name"])
            for axis in m.classifications:
                page.get_by_label(f"{tid}：{axis.label}（{n}行目）").select_option(
                    label=option_label(axis.classes, str(info[axis.id]))
                )
            page.get_by_label(f"{tid}：個人情報（{n}行目）").select_option(label=option_label(m.pii, info["pii"]))
        means = region.get_by_role("group", name="利用環境・手段")
        for means_id in task["means"]:
            means.get_by_label(option_label(m.means, means_id), exact=True).check()


def fill_step4(page: Page, cat: Catalogue, example: dict[str, Any]) -> None:
    for qid, value in example["answers"].items():
        q = cat.questions[qid]
        group = page.get_by_role("group", name=q.label)
        for option_id in value if isinstance(value, list) else [value]:
            group.get_by_label(option_label(q.options, option_id), exact=True).check()


def fill_step6(page: Page, cat: Catalogue, example: dict[str, Any]) -> None:
    for rid, decision in example["decisions"].items():
        name = f"{rid} {cat.requirements[rid].requirement.name}"
        page.get_by_role("combobox", name=named("決定する実装レベル", f"（{name}）")).select_option(
            label=cat.level_label(decision["level"])
        )
        page.get_by_role("textbox", name=named("決定の理由", f"（{name}）")).fill(decision["reason"])


def fill_step7(page: Page, cat: Catalogue, example: dict[str, Any]) -> None:
    page.get_by_label("作成日").fill(str(example["document"]["date"]))
    for pid, value in example["parameters"].items():
        page.get_by_label(cat.parameters[pid].label, exact=True).fill(value)


def docx_levels(data: bytes) -> dict[str, str]:
    """別紙1 (the decision table, found by its header row): requirement id -> decided level label."""
    header = ["ID", "対策要件", "提案", "決定"]
    tables = docx.Document(io.BytesIO(data)).tables
    table = next(t for t in tables if [c.text for c in t.rows[0].cells][:4] == header)
    return {r.cells[0].text: r.cells[3].text for r in table.rows[1:]}


def cli_levels(cat: Catalogue, answers_file: Path) -> dict[str, str]:
    """What `sbd-tool levels --json` says, as the labels the document prints."""
    out = subprocess.run([SBD_TOOL, "levels", "--json", str(answers_file)], capture_output=True, check=True, text=True)
    rows = json.loads(out.stdout)["requirements"]
    return {r["id"]: cat.level_label(r["decided"]) + ("（引下げ）" if r["lowered"] else "") for r in rows}


def test_officer_walks_all_steps_and_gets_the_cli_spec(
    live_server: str, page: Page, catalogue: Catalogue, shoot: Shoot, tmp_path: Path
) -> None:
    example = example_data("citizen-portal")
    page.goto(live_server + "/")
    audit(page)
    shoot(page, "0-projects")
    page.get_by_label("情報システムの名称").fill(example["project"]["name"])
    page.get_by_role("button", name="作成して手順1へ").click()

    heading(page, 1)
    fill_step1(page, catalogue, example)
    audit(page)
    shoot(page, "1-purpose")
    next_step(page)

    heading(page, 2)
    fill_step2(page, catalogue, example)
    audit(page)
    shoot(page, "2-features")
    next_step(page)

    heading(page, 3)
    page.get_by_role("button", name="業務の特徴から図を作成").click()
    expect(page.get_by_role("img", name="システム概要図")).to_be_visible()
    audit(page)
    shoot(page, "3-diagram")
    next_step(page)

    heading(page, 4)
    # Pre-filled from the matrix, with where each answer came from.
    users = page.get_by_role("group", name=catalogue.questions["users"].label)
    expect(users.get_by_label(option_label(catalogue.questions["users"].options, "public"), exact=True)).to_be_checked()
    fill_step4(page, catalogue, example)
    audit(page)
    shoot(page, "4-questions")
    next_step(page)

    heading(page, 5)
    audit(page)
    shoot(page, "5-conditions")
    page.get_by_role("button", name="保存して次の手順へ").click()

    heading(page, 6)
    fill_step6(page, catalogue, example)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    expect(page.locator("#req-AC-2").get_by_text("提案より引下げ")).to_be_visible()
    audit(page)
    shoot(page, "6-decisions")
    next_step(page)

    heading(page, 7)
    fill_step7(page, catalogue, example)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    audit(page)
    shoot(page, "7-output")
    expect(page.get_by_text("7 / 7 手順完了")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="一式（Word）").click()
    spec = Path(download.value.path()).read_bytes()

    page.get_by_role("link", name="案件一覧").first.click()
    expect(page.get_by_role("row", name=example["project"]["name"])).to_contain_text("7/7 手順")
    with page.expect_download() as export:
        page.get_by_role("row", name=example["project"]["name"]).get_by_role("link", name="書き出し").click()
    answers_file = tmp_path / "exported.yaml"
    answers_file.write_bytes(Path(export.value.path()).read_bytes())

    levels = docx_levels(spec)
    assert len(levels) == len(catalogue.requirements)
    assert levels == cli_levels(catalogue, answers_file)
    # The officer reproduced the sample through the UI: same levels as the shipped example file.
    assert levels == cli_levels(catalogue, ROOT / "examples" / "citizen-portal.yaml")
    assert levels["AC-2"].endswith("（引下げ）") and levels["AT-4"] == catalogue.level_label("high")
    exported = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    assert exported["decisions"]["AC-2"]["reason"] == example["decisions"]["AC-2"]["reason"]


def test_reloading_mid_step_keeps_the_draft(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_label("情報システムの名称").fill("下書き確認システム")
    page.get_by_role("button", name="作成して手順1へ").click()
    heading(page, 1)
    page.get_by_label("調達の目的").fill("書きかけの目的")
    page.get_by_role("button", name="業務を追加").click()
    page.get_by_label(named("業務の名称", "（業務2）")).fill("書きかけの業務")
    expect(page.get_by_text("下書きを自動保存しました")).to_be_visible()

    page.reload()
    expect(page.get_by_text("下書き）を復元しました")).to_be_visible()
    expect(page.get_by_label("調達の目的")).to_have_value("書きかけの目的")
    expect(page.get_by_label(named("業務の名称", "（業務2）"))).to_have_value("書きかけの業務")
    shoot(page, "restored-draft")

    # Closing the tab is the same as a reload: a new page in the same session sees the draft too.
    other = page.context.new_page()
    other.goto(page.url)
    expect(other.get_by_label("調達の目的")).to_have_value("書きかけの目的")
    other.close()

    page.get_by_role("button", name="下書きを破棄する").click()
    expect(page.get_by_label("調達の目的")).to_have_value("")


def test_keyboard_reaches_everything_with_visible_focus(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "本文へ移動"
    seen = set()
    for _ in range(40):  # every stop in the tab order, until focus leaves the page
        focus = page.evaluate(FOCUS_JS)
        if focus["tag"] == "BODY":
            break
        assert focus["visible"], f"{focus['tag']} has no visible focus indicator"
        seen.add(focus["tag"])
        page.keyboard.press("Tab")
    assert {"A", "INPUT", "BUTTON"} <= seen
    page.get_by_label("情報システムの名称").fill("キーボード確認")
    page.keyboard.press("Enter")  # submits the form like the button
    heading(page, 1)


@pytest.fixture
def no_js_page(browser: Any, live_server: str) -> Any:
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    yield page
    context.close()


def test_essential_actions_work_without_javascript(live_server: str, no_js_page: Page, shoot: Shoot) -> None:
    page = no_js_page
    page.goto(live_server + "/")
    page.get_by_label("情報システムの名称").fill("JavaScriptなし")
    page.get_by_role("button", name="作成して手順1へ").click()
    page.get_by_label("調達を行う組織").fill("テスト省")
    page.get_by_label("調達の目的").fill("確認のため。")
    page.get_by_label(named("業務の名称", "（業務1）")).fill("受付")
    page.get_by_role("button", name="業務を追加").click()  # a round trip that keeps what was typed
    expect(page.get_by_label("調達を行う組織")).to_have_value("テスト省")
    page.get_by_label(named("業務の名称", "（業務2）")).fill("審査")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    expect(page.get_by_label(named("業務の名称", "（業務2）"))).to_have_value("審査")
    # A validation error: summary first, linked to the field, typed text kept.
    page.get_by_label("調達を行う組織").fill("")
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(summary).to_be_visible()
    shoot(page, "error-summary")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("調達を行う組織")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(named("業務の名称", "（業務2）"))).to_have_value("審査")


def test_cloud_sample_shows_the_responsibility_split(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name="クラウド上の府省庁間連携システム").click()
    page.get_by_role("link", name="6 対策要件の決定").click()
    heading(page, 6)
    expect(page.get_by_role("heading", name="クラウドサービスの責任分担")).to_be_visible()
    party = page.get_by_role("combobox", name=named("実施主体", "（PH-2 侵入の物理的対策）"))
    expect(party).to_have_value("provider")
    audit(page)
    shoot(page, "6-decisions-cloud")
    page.get_by_role("combobox", name=named("実施主体", "（AU-1 ログの蓄積・管理）")).select_option(label="発注者")
    page.get_by_role("button", name="保存", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(alert).to_contain_text("実施主体を既定の受注者から発注者に変える理由を記入してください。")
    page.get_by_role("textbox", name=named("実施主体を変える理由", "（AU-1 ログの蓄積・管理）")).fill(
        "当省で分析するため。"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()


def test_diagram_by_keyboard_and_by_pointer(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_label("情報システムの名称").fill("図の確認システム")
    page.get_by_role("button", name="作成して手順1へ").click()
    page.get_by_role("link", name="3 システム概要図").click()
    heading(page, 3)
    # The form path: every part of the diagram from the tables, without the mouse.
    page.get_by_label("区域の名称（1行目）").fill("庁舎内LAN")
    page.get_by_label("区域の種類（1行目）").select_option(label="庁舎内LAN")
    page.get_by_role("button", name="区域を追加").press("Enter")
    page.get_by_label("区域の名称（2行目）").fill("インターネット")
    page.get_by_label("区域の種類（2行目）").select_option(label="インターネット")
    page.get_by_label("要素の名称（1行目）").fill("受付サーバ")
    page.get_by_label("要素の種類（1行目）").select_option(label="サーバ・業務アプリ")
    page.get_by_label("要素を置く区域（1行目）").select_option(label="庁舎内LAN")
    page.get_by_role("button", name="要素を追加").press("Enter")
    page.get_by_label("要素の名称（2行目）").fill("国民")
    page.get_by_label("要素の種類（2行目）").select_option(label="主体")
    page.get_by_label("要素を置く区域（2行目）").select_option(label="庁舎内LAN")
    page.get_by_label("流れの送信元（1行目）").select_option(label="国民")
    page.get_by_label("流れの送信先（1行目）").select_option(label="受付サーバ")
    svg = page.get_by_role("img", name="システム概要図")
    expect(svg).to_contain_text("受付サーバ")
    # The pointer path: drag 国民 from the office LAN into the Internet zone.
    person = page.locator('g.element[data-element="E2"] rect')
    internet = page.locator('g.zone[data-zone="Z2"] rect')
    person.drag_to(internet)
    expect(page.get_by_label("要素を置く区域（2行目）")).to_have_value("Z2")
    page.get_by_role("button", name="元に戻す（直前の変更）").click()
    expect(page.get_by_label("要素を置く区域（2行目）")).to_have_value("Z1")
    person = page.locator('g.element[data-element="E2"] rect')
    person.drag_to(page.locator('g.zone[data-zone="Z2"] rect'))
    expect(page.get_by_label("要素を置く区域（2行目）")).to_have_value("Z2")
    audit(page)
    shoot(page, "diagram-edited")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    page.reload()
    expect(page.get_by_label("要素を置く区域（2行目）")).to_have_value("Z2")
    page.get_by_role("link", name="5 判断条件").click()
    internet_row = page.get_by_role("row", name="インターネットと接続するか")
    expect(internet_row).to_contain_text("該当する")
    expect(internet_row).to_contain_text("システム概要図の流れ「（情報未設定）: 国民 → 受付サーバ」")


def test_what_if_page_is_reached_from_step6(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name=re.compile("小規模な内部システム")).click()
    page.get_by_role("link", name="6 対策要件の決定").click()
    page.get_by_role("link", name=re.compile("回答を一つ変えた場合")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("回答を変えた場合の影響")
    expect(page.locator("#wi-AT-1")).to_contain_text("AT-1 は低位から中位になる")
    audit(page)
    shoot(page, "what-if")


def test_the_spec_web_page_is_styled_and_shows_the_diagram(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name=re.compile("国民向け電子申請ポータル")).click()
    page.get_by_role("link", name="7 調達仕様書への反映").click()
    page.get_by_role("link", name="仕様書をWebページで表示").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("補助金電子申請ポータル")
    diagram = page.get_by_role("img", name="システム概要図")
    expect(diagram).to_be_visible()
    assert page.evaluate("() => document.querySelector('figure img').naturalWidth") > 0  # the data: image loaded
    assert page.evaluate("() => getComputedStyle(document.querySelector('th')).backgroundColor") != "rgba(0, 0, 0, 0)"
    audit(page)
    shoot(page, "spec-html")


def test_exercise_check_in_the_browser(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    trainer_context = browser.new_context(locale="ja-JP")
    trainer = trainer_context.new_page()
    sign_in(trainer, live_server, "trainer")
    trainer.get_by_role("button", name=re.compile("小規模な内部システム")).click()
    trainer.get_by_role("link", name="案件一覧").first.click()
    trainer.get_by_role("button", name=re.compile("^模範解答にする")).click()
    expect(trainer.get_by_text("模範解答にしました")).to_be_visible()
    trainer_context.close()
    page.goto(live_server + "/")
    page.get_by_role("button", name=re.compile("国民向け電子申請ポータル")).click()
    page.get_by_role("link", name="6 対策要件の決定").click()
    page.get_by_role("link", name="模範解答と比べる（研修）").click()
    page.get_by_role("button", name="比べる").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("要件が模範解答と一致")
    audit(page)
    shoot(page, "compare")
