"""Issue 17, part B in a real browser: links per role, post/redirect/get, training copies,
comment places, the review page, versions (restore, two tabs, undoing a task deletion) and
what-if by answer. Each test failed before its fix; screenshots land in out/screenshots/."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import Shoot
from tests.conftest import ROOT

PORTAL = "補助金電子申請ポータル"  # the citizen-portal example's name


def import_example(page: Page, name: str = "citizen-portal") -> int:
    """Import a shipped example as the signed-in officer; the new project's id."""
    page.get_by_role("link", name="取込み").click()
    page.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / f"{name}.yaml"))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順1")
    match = re.search(r"/projects/(\d+)/", page.url)
    assert match
    return int(match.group(1))


def request_review(page: Page, base: str, pid: int) -> None:
    page.goto(f"{base}/projects/{pid}/submit")
    page.get_by_label("レビューを依頼する CIO補佐官等").select_option(label="相談 花子（adviser）")
    page.get_by_role("button", name=re.compile("のレビューを依頼する")).click()
    expect(page.get_by_role("status").filter(has_text="レビューを依頼しました")).to_be_visible()


def other_user(browser: Any, base: str, username: str) -> Page:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page: Page = context.new_page()
    sign_in(page, base, username)
    return page


def test_adviser_list_links_open_the_review(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    """Defect 1: the project name and 「開く」 on the adviser's list led to 403."""
    pid = import_example(page)
    request_review(page, live_server, pid)
    adviser = other_user(browser, live_server, "adviser")
    table = adviser.get_by_role("table", name="調達案件の一覧")
    expect(table).to_contain_text(PORTAL)
    shoot(adviser, "1-adviser-list")
    table.get_by_role("link", name=PORTAL, exact=True).click()
    expect(adviser.get_by_role("heading", level=1)).to_contain_text(f"レビュー：{PORTAL}")
    shoot(adviser, "2-adviser-review")
    adviser.go_back()
    table.get_by_role("link", name=re.compile(r"^開く")).click()
    expect(adviser.get_by_role("heading", level=1)).to_contain_text(f"レビュー：{PORTAL}")
    for name in ("履歴・レビュー", "書き出し"):  # the other links of the row are the adviser's too
        adviser.go_back()
        link = table.get_by_role("link", name=re.compile(f"^{name}"))
        response = adviser.request.get(live_server + (link.get_attribute("href") or ""))
        assert response.status == 200, (name, response.status)
    adviser.context.close()


def test_back_after_generating_the_diagram_needs_no_resubmission(live_server: str, page: Page, shoot: Shoot) -> None:
    """Defect 4: the diagram generated from step 2 was a page answering a POST, so Back to it asked
    to resubmit the form. Now the POST redirects (the unsaved diagram is the user's draft)."""
    pid = import_example(page)
    page.goto(f"{live_server}/projects/{pid}/steps/diagram")
    page.once("dialog", lambda dialog: dialog.accept())  # 「今の図を…置き換えます」
    page.get_by_role("button", name="業務の特徴から図を作成").click()
    expect(page.get_by_role("status").filter(has_text="業務の特徴から図を作成しました")).to_be_visible()
    assert page.url.endswith(f"/projects/{pid}/steps/diagram"), "a GET page, not the answer to a POST"
    shoot(page, "1-generated")
    page.goto(f"{live_server}/projects/{pid}/history")  # go on elsewhere, then come back
    expect(page.get_by_role("heading", level=1)).to_contain_text("変更履歴")
    response = page.go_back()
    assert response is None or response.ok
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順3")
    expect(
        page.get_by_role("status").filter(has_text="下書き）を復元しました")
    ).to_be_visible()  # the generated diagram, unsaved
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順3")
    shoot(page, "2-back-and-reloaded")


IN_VIEW = """() => {
  const target = document.getElementById(location.hash.slice(1));
  if (!target) return 'no element with id ' + location.hash;
  const box = target.getBoundingClientRect();
  return box.top < innerHeight && box.bottom > 0 ? 'visible' : 'off screen at ' + box.top;
}"""


def test_a_comment_keeps_the_advisers_place(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    """Defect 6: after commenting on a requirement far down the page, the browser jumped to
    #req-AC-1-new, which no element has, and showed the top of a long page."""
    pid = import_example(page)
    request_review(page, live_server, pid)
    adviser = other_user(browser, live_server, "adviser")
    adviser.goto(f"{live_server}/projects/{pid}/review")
    block = adviser.locator(".requirement").last
    rid = (block.get_attribute("id") or "").removeprefix("req-")
    block.get_by_text("コメントする").click()
    block.get_by_label(re.compile(rf"コメントを追加\s*（{rid}")).fill("この要件の根拠を教えてください。")
    block.get_by_role("button", name=re.compile(rf"コメントを追加\s*（{rid}")).click()
    expect(adviser.get_by_role("status").filter(has_text="コメントを追加しました")).to_be_visible()
    assert re.search(r"#comment-\d+$", adviser.url), adviser.url
    assert adviser.evaluate(IN_VIEW) == "visible"
    expect(adviser.locator(f"#req-{rid}")).to_contain_text("この要件の根拠を教えてください。")
    adviser.screenshot(path=str(shoot(adviser, "1-after-comment").with_name("1-after-comment-viewport.png")))
    adviser.context.close()


def test_review_page_decision_last_and_no_request_when_approved(
    live_server: str, page: Page, browser: Any, shoot: Shoot
) -> None:
    """The decision box comes after the requirements (with a link to it at the top); once the current
    revision is approved, no page offers 「レビューを依頼する」 for it."""
    pid = import_example(page)
    request_review(page, live_server, pid)
    adviser = other_user(browser, live_server, "adviser")
    adviser.goto(f"{live_server}/projects/{pid}/review")
    decision = adviser.get_by_role("heading", name="第1版の判定")
    last = adviser.locator(".requirement").last
    assert last.bounding_box()["y"] < decision.bounding_box()["y"]  # type: ignore[index]
    adviser.get_by_role("link", name=re.compile("判定（承認・差戻し）へ移動")).click()
    expect(adviser.get_by_role("button", name="第1版を承認する")).to_be_in_viewport()
    adviser.get_by_role("button", name="第1版を承認する").click()
    expect(adviser.get_by_role("status").filter(has_text="第1版を承認しました")).to_be_visible()
    adviser.context.close()
    page.goto(f"{live_server}/projects/{pid}/steps/output")
    expect(page.get_by_text("現在の版（第1版）は承認済みです")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("レビューを依頼する"))).to_have_count(0)
    shoot(page, "1-step7-approved")
    page.goto(f"{live_server}/projects/{pid}/review")
    expect(page.get_by_role("link", name=re.compile("レビューを依頼する"))).to_have_count(0)
    shoot(page, "2-review-approved")


def test_practice_starts_without_the_model_answer(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    """Defect 5: 「練習を始める」 copied the model's decisions, so the check scored full marks at once;
    a course may also start trainees from step 4 with a blank page."""
    trainer = other_user(browser, live_server, "trainer")
    trainer.get_by_role("link", name="研修", exact=True).click()
    trainer.get_by_label("研修の名称").fill("SBD演習")
    trainer.get_by_role("button", name="作成する").click()
    trainer.get_by_label("追加するサンプル").select_option(
        label="国民向け電子申請ポータル（要配慮個人情報・インターネット）"
    )
    trainer.get_by_role("button", name="サンプルに追加する").click()
    course_url = trainer.url

    page.goto(course_url)
    page.get_by_role("button", name=re.compile("練習を始める")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順4")
    page.goto(course_url)
    mine = page.get_by_role("region", name="自分の練習")
    expect(mine).to_contain_text("模範解答と一致：")
    score = re.search(r"模範解答と一致：(\d+) / (\d+) 要件", mine.inner_text())
    assert score and score.group(1) != score.group(2), "the copy is not the model answer"
    shoot(page, "1-course-score")

    trainer.reload()
    trainer.get_by_label("手順4以降は白紙から始める").check()
    trainer.get_by_role("button", name="練習の始め方を変更する").click()
    expect(trainer.get_by_role("status").filter(has_text="手順4以降を白紙から始めます")).to_be_visible()
    shoot(trainer, "2-trainer-blank-option")
    trainer.context.close()
    page.reload()
    page.get_by_role("button", name=re.compile("練習を始める")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順4")
    expect(page.locator(".steps li.current")).to_contain_text("未着手")
    shoot(page, "3-blank-step4")


def test_restore_an_earlier_revision(live_server: str, page: Page, shoot: Shoot) -> None:
    """Versions: an earlier revision restored as a new one, after a page that says what changes."""
    pid = import_example(page)
    page.get_by_label("情報システムの名称").fill("名称を変えた版")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    page.goto(f"{live_server}/projects/{pid}/history")
    page.get_by_role("link", name=re.compile(r"この版を復元\s*（第1版）")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第1版を復元しますか")
    expect(page.get_by_role("table")).to_contain_text("名称を変えた版")
    shoot(page, "1-confirm")
    page.get_by_role("button", name="第1版の内容で新しい版を作成する").click()
    expect(page.get_by_role("status").filter(has_text="新しい版（第3版）として復元しました")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("第3版（現在）"))).to_contain_text("第1版から復元")
    shoot(page, "2-history")
    page.goto(f"{live_server}/projects/{pid}/steps/purpose")
    expect(page.get_by_label("情報システムの名称")).to_have_value(PORTAL)


def test_two_tabs_merge_field_by_field(live_server: str, page: Page, shoot: Shoot) -> None:
    """Versions: when two tabs collide, the losing save shows what differs and lets the user keep
    theirs, take the other or merge field by field."""
    pid = import_example(page)
    url = f"{live_server}/projects/{pid}/steps/purpose"
    other = page.context.new_page()
    other.goto(url)
    page.goto(url)
    other.get_by_label("調達の目的").fill("別のタブで書いた目的。")
    other.get_by_role("button", name="保存", exact=True).click()
    expect(other.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    page.get_by_label("情報システムの名称").fill("このタブで変えた名称")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="別の画面（タブ）で先に保存されています")).to_be_visible()
    differences = page.get_by_role("table", name=re.compile("違いのある項目"))
    expect(differences).to_contain_text("別のタブで書いた目的。")
    name_row = differences.get_by_role("row", name=re.compile("情報システムの名称"))
    purpose_row = differences.get_by_role("row", name=re.compile("調達の目的"))
    expect(name_row.get_by_role("radio", name="あなたの入力")).to_be_checked()
    expect(purpose_row.get_by_role("radio", name="保存済み")).to_be_checked()
    shoot(page, "1-conflict")
    page.get_by_role("button", name="選んだとおりに統合して保存").click()
    expect(page.get_by_role("status").filter(has_text="選んだとおりに統合して保存しました")).to_be_visible()
    expect(page.get_by_label("情報システムの名称")).to_have_value("このタブで変えた名称")
    expect(page.get_by_label("調達の目的")).to_have_value("別のタブで書いた目的。")
    shoot(page, "2-merged")


def test_deleting_a_task_asks_and_can_be_undone(live_server: str, page: Page, shoot: Shoot) -> None:
    """Versions: deleting a task in step 1 asks first and can be undone, in place (JavaScript)."""
    pid = import_example(page)
    page.goto(f"{live_server}/projects/{pid}/steps/purpose")
    first = page.get_by_label(re.compile(r"業務の名称\s*（業務1）"))
    name = first.input_value()
    questions: list[str] = []

    def answer(accept: bool) -> None:
        def handle(dialog: Any) -> None:
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", handle)

    answer(False)
    page.get_by_role("button", name=re.compile(r"削除\s*（業務1）")).click()
    assert questions == [f"業務「{name}」を削除しますか。保存するまでは確定しません。"]
    expect(first).to_have_value(name)  # declined: nothing happened
    answer(True)
    page.get_by_role("button", name=re.compile(r"削除\s*（業務1）")).click()
    expect(page.get_by_label(re.compile(r"業務の名称\s*（業務1）"))).not_to_have_value(name)
    undo = page.get_by_role("status").filter(has_text=f"業務「{name}」を削除しました")
    expect(undo).to_be_visible()
    expect(undo.get_by_role("button", name="元に戻す")).to_be_focused()
    shoot(page, "1-deleted-with-undo")
    undo.get_by_role("button", name="元に戻す").click()
    restored = page.get_by_label(re.compile(r"業務の名称\s*（業務1）"))
    expect(restored).to_have_value(name)
    expect(restored).to_have_attribute("name", "tasks-0-name")
    expect(restored).to_be_focused()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    expect(page.get_by_label(re.compile(r"業務の名称\s*（業務1）"))).to_have_value(name)
    expect(page.get_by_label(re.compile(r"業務の名称\s*（業務3）"))).to_be_visible()
    shoot(page, "2-undone-and-saved")


def test_deleting_a_task_without_javascript(live_server: str, browser: Any, shoot: Shoot) -> None:
    """Without JavaScript the delete button asks on a page of its own, and the deletion can be undone."""
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    pid = import_example(page)
    page.goto(f"{live_server}/projects/{pid}/steps/purpose")
    name = page.get_by_label(re.compile(r"業務の名称\s*（業務2）")).input_value()
    page.get_by_label("調達の目的").fill("まだ保存していない目的。")
    page.get_by_role("button", name=re.compile(r"削除\s*（業務2）")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"業務2「{name}」を削除しますか")
    shoot(page, "1-confirm")
    page.get_by_role("button", name="削除する").click()
    notice = page.get_by_role("status").filter(has_text=f"業務2「{name}」を削除しました")
    expect(notice).to_be_visible()
    expect(page.get_by_label("調達の目的")).to_have_value("まだ保存していない目的。")
    expect(page.get_by_label(re.compile(r"業務の名称\s*（業務2）"))).not_to_have_value(name)
    shoot(page, "2-deleted")
    notice.get_by_role("button", name=re.compile("元に戻す")).click()
    expect(page.get_by_label(re.compile(r"業務の名称\s*（業務2）"))).to_have_value(name)
    expect(page.get_by_label("調達の目的")).to_have_value("まだ保存していない目的。")
    context.close()


def test_step4_says_what_each_answer_moves(live_server: str, page: Page, shoot: Shoot) -> None:
    """What-if by answer: next to each question of step 4, the levels that move if it changes."""
    pid = import_example(page)
    page.goto(f"{live_server}/projects/{pid}/steps/questions")
    details = page.locator("details.whatif-answer")
    assert details.count() > 5
    block = page.locator("#whatif-network")
    expect(block.locator("ul")).not_to_be_visible()  # collapsed until asked for
    block.locator("summary").click()
    expect(block.get_by_role("listitem").first).to_contain_text("にすると：")
    expect(block.get_by_role("listitem").first).to_have_text(re.compile(r"[A-Z]{2}-\d+ (低位|中位|高位|対象外)→"))
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(shoot(page, "1-step4-whatif").with_name("1-step4-whatif-viewport.png")))
