"""Issue 17, part A, in a real browser: what axe-core does not test, and the defects a new user hit.

- Focus is never hidden under the sticky save bar (WCAG 2.2 2.4.11), at 1280 × 900 and 320 × 640.
- On English pages, Japanese catalogue text in every step says ``lang="ja"`` (3.1.2).
- The sign-in fields say what they are (``autocomplete``, 1.3.5).
- At 320 px nothing scrolls sideways; the step 2 and 3 tables scroll inside their own box (1.4.10).
- Times in Japan time; long text counted, not cut; dates typed as officers write them; short labels
  on one line; error links that show the label; styled password fields; admin forms that keep
  what was typed and pick the organisation.

Every page state here is also checked by axe-core (``shoot`` runs it before each screenshot).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import Shoot, audit, named

SAMPLE = re.compile("^国民向け電子申請ポータル")
JST = dt.timezone(dt.timedelta(hours=9))


def open_sample(page: Page, base: str) -> str:
    """The citizen-portal sample as a new project; the address of its steps (…/steps/)."""
    page.goto(base + "/")
    page.get_by_role("button", name=SAMPLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順1")
    return re.sub(r"/steps/.*$", "/steps/", page.url)


# ------------------------------------------------------------------ focus not obscured (2.4.11)

# Where the focused control is: covered by the sticky bar, or not the topmost thing at its centre.
FOCUSED_JS = """
() => {
  const e = document.activeElement, bar = document.querySelector('.buttons');
  if (!e || e === document.body || (bar && bar.contains(e))) return null;
  const r = e.getBoundingClientRect(), b = bar.getBoundingClientRect();
  const sticky = getComputedStyle(bar).position === 'sticky';
  const covered = sticky && r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const onTop = hit !== null && (hit === e || e.contains(hit));
  return {name: e.id || e.name || e.textContent.trim().slice(0, 30), covered, onTop};
}
"""


def tab_stops(page: Page, limit: int = 600) -> list[dict[str, Any]]:
    """Tab from the top of the main content to the save bar; where each focused control was."""
    page.locator("main").focus()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(FOCUSED_JS)
        if where is None:
            if page.evaluate("() => !!document.activeElement.closest('.buttons')"):
                return stops
            continue
        stops.append(where)
    raise AssertionError("never reached the save bar")


@pytest.mark.parametrize("size", [(1280, 900), (320, 640)], ids=["1280x900", "320x640"])
def test_focus_is_never_hidden_under_the_save_bar(
    live_server: str, page: Page, shoot: Shoot, size: tuple[int, int]
) -> None:
    steps = open_sample(page, live_server)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for step in ("questions", "features"):
        page.goto(steps + step)
        stops = tab_stops(page)
        assert len(stops) > 30, step  # each radio group is one stop
        hidden = [s["name"] for s in stops if s["covered"] or not s["onTop"]]
        assert hidden == [], f"{step}: focus hidden at {size} on {hidden}"
        shoot(page, f"{step}-last-stop-{size[0]}")


# ------------------------------------------------------------------ lang="ja" on English pages (3.1.2)

# Text with kana or kanji in the step's form whose language (the nearest lang) is not Japanese.
# Left out: what the officer typed (text areas; task names in step 2's headings and task buttons).
UNMARKED_JAPANESE_JS = """
() => {
  const japanese = /[\\u3040-\\u30ff\\u3400-\\u9fff\\uff01-\\uff5e]/, found = [];
  const walker = document.createTreeWalker(document.querySelector('form.wizard'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), el = walker.currentNode.parentElement;
    if (!japanese.test(text) || el.closest('textarea, section.task > h2, .task-actions')) continue;
    if (el.closest('[lang]').getAttribute('lang') !== 'ja') found.push(el.tagName + ': ' + text.slice(0, 40));
  }
  return found;
}
"""


def test_japanese_text_on_english_pages_says_so(live_server: str, page: Page, shoot: Shoot) -> None:
    steps = open_sample(page, live_server)
    page.get_by_role("link", name="English", exact=True).click()
    unmarked = {}
    for step in ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output"):
        page.goto(steps + step)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        unmarked[step] = page.evaluate(UNMARKED_JAPANESE_JS)
        audit(page, "en")
        shoot(page, f"{step}-en")
    assert unmarked == {step: [] for step in unmarked}, unmarked
    # An English message quoting Japanese marks the quote: 令和8年12月1日 in the date's error.
    page.goto(steps + "output")
    page.locator("#date").fill("someday")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#date-error")).to_contain_text("Enter the date as 2026-12-01")
    expect(page.locator('#date-error [lang="ja"]')).to_have_text("令和8年12月1日")
    assert page.evaluate(UNMARKED_JAPANESE_JS) == []
    page.goto(steps + "diagram")
    expect(page.get_by_role("group", name="Flows of information")).to_be_visible()
    expect(page.get_by_role("button", name="Add a flow")).to_be_visible()
    # The interface around them is English.
    page.goto(steps + "purpose")
    expect(page.get_by_role("group", name="Business tasks")).to_be_visible()
    expect(page.get_by_role("button", name="Add a task")).to_be_visible()


# ------------------------------------------------------------------ autocomplete (1.3.5), password style


def test_sign_in_fields_say_what_they_are_and_look_alike(browser: Any, live_server: str, shoot: Shoot) -> None:
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(live_server + "/login")
    name, password = page.get_by_label("利用者名"), page.get_by_label("パスワード")
    expect(name).to_have_attribute("autocomplete", "username")
    expect(password).to_have_attribute("autocomplete", "current-password")
    style = (
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderTopColor, s.paddingLeft, s.width]; }"
    )
    assert password.evaluate(style) == name.evaluate(style), "the password box is styled like the name box"
    audit(page)
    shoot(page, "login")
    sign_in(page, live_server, "officer")
    page.get_by_role("link", name="パスワード変更").click()
    expect(page.get_by_label(re.compile("^現在のパスワード"))).to_have_attribute("autocomplete", "current-password")
    new = page.get_by_label(re.compile(r"^新しいパスワード\s*（必須）"))
    expect(new).to_have_attribute("autocomplete", "new-password")
    audit(page)
    context.close()


# ------------------------------------------------------------------ reflow at 320 px (1.4.10)


def test_nothing_scrolls_sideways_at_320_px(live_server: str, page: Page, shoot: Shoot) -> None:
    steps = open_sample(page, live_server)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "projects"
    shoot(page, "projects-320")
    for step in ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output"):
        page.goto(steps + step)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, step
        shoot(page, f"{step}-320")
    for step in ("features", "diagram"):  # the tables are whole, and scroll inside their own group
        page.goto(steps + step)
        boxes = page.evaluate(
            "() => Array.from(document.querySelectorAll('table.grid'), t => {"
            " const box = t.parentElement; return [box.scrollWidth > box.clientWidth,"
            " getComputedStyle(box).overflowX]; })"
        )
        assert boxes and any(wide for wide, _ in boxes), step
        assert all(overflow == "auto" for _, overflow in boxes), step


# ------------------------------------------------------------------ short labels on one line

# Each short label's own text (not the visually hidden part) on one line.
BROKEN_LABELS_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).filter(el => el.offsetParent).filter(el => {
  const text = Array.from(el.childNodes).find(n => n.nodeType === 3 && n.textContent.trim());
  if (!text) return false;
  const range = document.createRange(); range.selectNodeContents(text);
  return new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size > 1;
}).map(el => el.textContent.trim())
"""


@pytest.mark.parametrize("width", [1280, 320])
def test_short_labels_do_not_break(live_server: str, page: Page, shoot: Shoot, width: int) -> None:
    steps = open_sample(page, live_server)
    page.set_viewport_size({"width": width, "height": 800})
    for step, selector in (
        ("features", "table.grid button, table.grid th"),
        ("diagram", "table.grid button, table.grid th"),
        ("conditions", "td strong, th[scope=col]"),
        ("decisions", ".badge-lowered, .proposed"),
    ):
        page.goto(steps + step)
        assert page.evaluate(BROKEN_LABELS_JS, selector) == [], f"{step} at {width}"
    page.goto(live_server + "/")
    assert page.evaluate(BROKEN_LABELS_JS, "header a, header button, .badge, th[scope=col]") == []
    shoot(page, f"projects-{width}")


# ------------------------------------------------------------------ error summary shows the label


def test_error_link_shows_the_field_with_its_label(live_server: str, page: Page, shoot: Shoot) -> None:
    steps = open_sample(page, live_server)
    page.goto(steps + "purpose")
    page.get_by_label("調達を行う組織").fill("")
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    summary.get_by_role("link", name=re.compile("調達を行う組織")).click()
    field = page.get_by_label("調達を行う組織")
    expect(field).to_be_focused()
    box = page.locator("label[for=organisation]").bounding_box()
    assert box is not None and box["y"] >= 0, "the label is in the window, not above it"
    field_box = field.bounding_box()
    assert field_box is not None and field_box["y"] + field_box["height"] <= 900
    shoot(page, "error-link-followed")


# ------------------------------------------------------------------ defect 3: Japan time everywhere


def test_times_are_japan_time(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    page.get_by_label("情報システムの名称").fill("時刻確認システム")
    page.get_by_role("button", name="作成して手順1へ").click()
    page.get_by_role("link", name="案件一覧").first.click()
    now = dt.datetime.now(JST)
    row = page.get_by_role("row", name=re.compile("時刻確認システム"))
    shown = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row.inner_text())
    assert shown, row.inner_text()
    at = dt.datetime.strptime(shown.group(0), "%Y-%m-%d %H:%M").replace(tzinfo=JST)
    assert abs((now - at).total_seconds()) < 180, f"{shown.group(0)} is not Japan time ({now:%H:%M})"
    shoot(page, "projects")
    row.get_by_role("link", name=re.compile("^削除")).click()
    page.get_by_role("button", name="削除する").click()
    page.get_by_role("link", name="削除した案件").click()
    deleted = page.get_by_role("row", name=re.compile("時刻確認システム"))
    shown = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", deleted.inner_text())
    assert shown, deleted.inner_text()
    at = dt.datetime.strptime(shown.group(0), "%Y-%m-%d %H:%M").replace(tzinfo=JST)
    assert abs((now - at).total_seconds()) < 180, f"deleted at {shown.group(0)} is not Japan time"


# ------------------------------------------------------------------ defect 8: long text counted, not cut


def test_long_paste_is_counted_and_refused_with_the_limit_kept(live_server: str, page: Page, shoot: Shoot) -> None:
    steps = open_sample(page, live_server)
    page.goto(steps + "purpose")
    purpose = page.get_by_label("調達の目的")
    purpose.focus()
    purpose.press("Control+a")
    page.keyboard.insert_text("あ" * 100_000)  # as a paste arrives
    assert purpose.evaluate("e => e.value.length") == 100_000, "the browser did not cut the text"
    described = purpose.get_attribute("aria-describedby") or ""
    count_id = next(i for i in described.split() if i.endswith("-count"))
    counter = page.locator(f"#{count_id}")
    expect(counter).to_contain_text("98000 文字多すぎます（2000 文字まで）")
    shoot(page, "counter-over")
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(summary).to_contain_text("2000文字以内")
    assert page.get_by_label("調達の目的").evaluate("e => e.value.length") == 100_000, "what was typed is kept"
    expect(page.get_by_label("調達の目的")).to_have_attribute("aria-invalid", "true")
    # Cut down to the limit: the counter says what is left, and it saves.
    page.get_by_label("調達の目的").fill("い" * 1990)
    expect(page.locator(f"#{count_id}")).to_contain_text("残り 10 文字（2000 文字まで）")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    audit(page)


# ------------------------------------------------------------------ defect 9: dates as officers write them


@pytest.mark.parametrize("typed", ["2026/12/1", "令和8年12月1日", "R8.12.1", "２０２６年１２月１日"])
def test_dates_typed_the_usual_ways_are_accepted(live_server: str, page: Page, typed: str) -> None:
    steps = open_sample(page, live_server)
    page.goto(steps + "output")
    page.get_by_label(re.compile("^作成日")).fill(typed)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    expect(page.get_by_label(re.compile("^作成日"))).to_have_value("2026-12-01")


def test_a_date_that_is_not_one_says_how_to_write_it(live_server: str, page: Page) -> None:
    steps = open_sample(page, live_server)
    page.goto(steps + "output")
    page.get_by_label(re.compile("^作成日")).fill("平成40年1月1日")
    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    expect(summary).to_be_visible()
    expect(page.get_by_label(re.compile("^作成日"))).to_have_value("平成40年1月1日")


# ------------------------------------------------------------------ admin forms


def test_admin_forms_keep_input_and_pick_the_organisation(live_server: str, browser: Any, shoot: Shoot) -> None:
    context = browser.new_context(locale="ja-JP")
    admin = context.new_page()
    sign_in(admin, live_server, "admin")
    admin.get_by_role("link", name="利用者", exact=True).click()
    admin.get_by_role("link", name="利用者を作成").click()
    organisation = admin.get_by_label("組織", exact=True)
    expect(organisation.locator("option:checked")).to_have_text("テスト省"), "the only organisation"
    admin.get_by_label(re.compile("^利用者名")).fill("newofficer")
    admin.get_by_label("氏名").fill("新任 四郎")
    admin.get_by_role("button", name="作成する").click()  # no initial password: refused
    expect(admin.get_by_role("alert")).to_contain_text("初期パスワードを入力してください")
    expect(admin.get_by_label(re.compile("^利用者名"))).to_have_value("newofficer")
    expect(admin.get_by_label("氏名")).to_have_value("新任 四郎")
    expect(organisation.locator("option:checked")).to_have_text("テスト省")
    audit(admin)
    shoot(admin, "new-user-error")

    # A second organisation: the new-user form offers the one used last.
    admin.get_by_role("link", name="組織", exact=True).click()
    admin.get_by_label(re.compile("^組織名")).fill("テスト省")
    admin.get_by_role("button", name="追加する").click()
    expect(admin.get_by_role("alert")).to_contain_text("同じ名前の組織が既にあります")
    expect(admin.get_by_label(re.compile("^組織名"))).to_have_value("テスト省")
    admin.get_by_label(re.compile("^組織名")).fill("別の庁")
    admin.get_by_role("button", name="追加する").click()
    admin.get_by_role("link", name="利用者", exact=True).click()
    admin.get_by_role("link", name="利用者を作成").click()
    admin.get_by_label(re.compile("^利用者名")).fill("otherofficer")
    admin.get_by_label("氏名").fill("別庁 五郎")
    admin.get_by_label("組織", exact=True).select_option(label="別の庁")
    admin.get_by_label(re.compile("^初期パスワード")).fill("a-long-initial-password")
    admin.get_by_role("button", name="作成する").click()
    expect(admin.get_by_role("status")).to_contain_text("otherofficer")
    admin.get_by_role("link", name="利用者を作成").click()
    expect(admin.get_by_label("組織", exact=True).locator("option:checked")).to_have_text("別の庁")
    shoot(admin, "new-user-last-organisation")
    context.close()


def test_step1_task_rows_keep_counters_and_names_when_added(live_server: str, page: Page) -> None:
    """Rows added in place get their own counter; ids and descriptions stay true."""
    steps = open_sample(page, live_server)
    page.goto(steps + "purpose")
    page.get_by_role("button", name="業務を追加").click()
    added = page.get_by_label(named("業務の内容", "（業務4）"))
    added.fill("う" * 10)
    count_id = next(i for i in (added.get_attribute("aria-describedby") or "").split() if i.endswith("-count"))
    expect(page.locator(f"#{count_id}")).to_contain_text("残り 1990 文字")
    audit(page)
