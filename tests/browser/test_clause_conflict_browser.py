"""Two tabs on step 6's clause page of AT-1, in a real browser: one rewords a clause and saves; the
other adds a clause, its autosave is refused, and it is offered the conflict page of the step pages
(what differs in these clauses, who changed it, keep mine / take theirs / merge per field). The
merge keeps both tabs' work. Each state passes axe-core (``shoot``)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_wizard_browser import Shoot
from tests.browser.test_workflow_browser import import_example

ADDED = "管理画面は庁内からのみ利用できること。"


def test_a_stale_clause_page_merges_with_the_other_tabs_save(live_server: str, page: Page, shoot: Shoot) -> None:
    pid = import_example(page)
    url = f"{live_server}/projects/{pid}/steps/decisions/AT-1/clauses"
    other = page.context.new_page()
    other.goto(url)
    page.goto(url)
    other.locator("#clause-c0 summary").click()
    text = other.get_by_label(re.compile(r"文言を変更\s*（AT-1-ア）"))
    reworded = text.input_value().replace("論理的に分離し", "物理的又は論理的に分離し")
    text.fill(reworded)
    other.get_by_label(re.compile(r"変更の理由\s*（AT-1-ア）")).fill("物理的な分離も認めるため。")
    other.get_by_role("button", name="保存", exact=True).click()
    expect(other.get_by_role("status").filter(has_text="条項を保存しました。")).to_be_visible()

    # The stale tab adds a clause; its autosave is refused and it says so, offering what differs.
    page.get_by_label(re.compile(r"追加の理由\s*（追加する条項）")).fill("管理画面を外部に出さないため。")
    with page.expect_response(lambda r: r.url.endswith("/draft")) as answered:
        page.get_by_label(re.compile(r"条項の文言\s*（追加する条項）")).fill(ADDED)
    assert answered.value.status == 409
    alert = page.locator(".autosave-conflict")
    expect(alert).to_contain_text("別の画面（タブ）で新しい版が保存されました")
    shoot(page, "1-autosave-refused")

    alert.get_by_role("button", name="保存済みの内容との違いを見る").click()
    expect(page.get_by_role("heading", name="保存済みの内容との違い")).to_be_visible()
    differences = page.get_by_role("table", name=re.compile("違いのある項目"))
    expect(differences).to_contain_text("物理的又は論理的に分離し")
    expect(differences).to_contain_text(ADDED)
    reworded_row = differences.get_by_role("row", name=re.compile(r"条項 AT-1\.\S+ の文言"))
    added_row = differences.get_by_role("row", name=re.compile("AT-1 に追加した条項 1"))
    expect(reworded_row).to_contain_text("ほかの画面で変更")
    expect(reworded_row.get_by_role("radio", name="保存済み")).to_be_checked()
    expect(added_row).to_contain_text("あなたが変更")
    expect(added_row.get_by_role("radio", name="あなたの入力")).to_be_checked()
    expect(page.get_by_label(re.compile(r"条項の文言\s*（追加する条項）"))).to_have_value(ADDED)  # kept
    shoot(page, "2-conflict")

    page.get_by_role("button", name="選んだとおりに統合して保存").click()
    expect(page.get_by_role("status").filter(has_text="選んだとおりに統合して保存しました")).to_be_visible()
    expect(page.get_by_label(re.compile(r"文言を変更\s*（AT-1-ア）"))).to_have_value(reworded)
    expect(page.get_by_role("heading", name=re.compile("追加した条項"))).to_be_visible()
    expect(page.get_by_label(re.compile(r"条項の文言\s*（追加した条項 "))).to_have_value(ADDED)
    shoot(page, "3-merged")
