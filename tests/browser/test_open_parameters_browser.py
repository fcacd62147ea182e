"""Step 7's list of open parameters and the bidder page's 必須/提案 marks in a real browser:
audited with axe-core and photographed (issue 15, items 2 and 3)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.test_vendor_trainer_browser import import_example
from tests.browser.test_wizard_browser import Shoot


def test_open_parameters_on_step7_and_marks_on_the_bidder_page(
    live_server: str, page: Page, browser: Any, shoot: Shoot
) -> None:
    import_example(page)
    page.get_by_role("link", name=re.compile("4 定型設問")).click()
    scope = page.get_by_role("group", name="本調達の範囲は？")
    expect(scope.get_by_label("構築及び運用保守")).to_be_checked()  # the default, offered checked
    scope.scroll_into_view_if_needed()
    scope.screenshot(path=str(shoot(page, "0-step4-scope").with_name("0-step4-scope-question.png")))
    page.get_by_role("link", name=re.compile("7 調達仕様書への反映")).click()
    expect(page.locator("#open-parameters")).to_have_count(0)
    page.get_by_label("ログの保存期間").fill("")
    page.get_by_role("button", name="保存", exact=True).first.click()
    listed = page.locator("#open-parameters")
    expect(listed).to_contain_text("ログの保存期間（発注者が指定する期間）")
    shoot(page, "1-step7-open-parameters")
    listed.get_by_role("link", name="ログの保存期間").click()
    expect(page).to_have_url(re.compile("#param_log_retention$"))
    page.get_by_label("ログの保存期間").fill("ずっと")
    page.get_by_role("button", name="保存", exact=True).first.click()
    field = page.get_by_label("ログの保存期間")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#param_log_retention-error")).to_contain_text("数と単位")
    shoot(page, "2-step7-parameter-format")

    page.get_by_label("ログの保存期間").fill("5年間")
    page.get_by_role("button", name="保存", exact=True).first.click()
    page.get_by_role("link", name=re.compile("入札者への共有")).click()
    page.get_by_label("共有先").fill("株式会社サンプル")
    page.get_by_role("button", name="リンクを作成する").click()
    url = page.get_by_role("textbox", name="共有リンク", exact=True).input_value()
    bidder = browser.new_context(locale="ja-JP").new_page()
    bidder.goto(url)
    expect(bidder.locator("#qualifications")).to_contain_text("QL-ア")
    expect(bidder.locator("#req-AT-4")).to_contain_text("【提案】")
    bidder.locator("#qualifications").scroll_into_view_if_needed()
    shoot(bidder, "3-bidder-qualifications")
