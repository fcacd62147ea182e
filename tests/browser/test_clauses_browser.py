"""Clause tailoring in a real browser: the officer rewords a clause of AT-1 in step 6 (a missing
reason is shown on its field first), adds a clause, and the adviser sees the change against the
catalogue text on the review page."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import Shoot
from tests.conftest import ROOT


def test_officer_rewords_a_clause_and_the_adviser_sees_the_diff(
    live_server: str, page: Page, browser: Any, shoot: Shoot
) -> None:
    officer = page
    officer.get_by_role("link", name="取込み").click()
    officer.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / "citizen-portal.yaml"))
    officer.get_by_role("button", name="取り込む").click()
    officer.get_by_role("link", name=re.compile("6 対策要件の決定")).click()
    officer.get_by_role("link", name=re.compile(r"条項を編集\s*（AT-1 ")).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("AT-1")
    shoot(officer, "1-clause-page")

    officer.locator("#clause-c0 summary").click()  # the editing box opens on demand
    text = officer.get_by_label(re.compile(r"文言を変更\s*（AT-1-ア）"))
    catalogue_text = text.input_value()
    text.fill(catalogue_text.replace("論理的に分離し", "物理的又は論理的に分離し"))
    officer.get_by_role("button", name="保存", exact=True).click()
    reason = officer.get_by_label(re.compile(r"変更の理由\s*（AT-1-ア）"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(officer.locator("#reason_c0-error")).to_contain_text("条項の文言を変更する理由を入力してください")
    expect(text).to_have_value(re.compile("物理的又は論理的に分離し"))  # nothing typed is lost
    shoot(officer, "2-missing-reason")

    reason.fill("庁舎の機器は物理的な分離も認めるため。")
    officer.get_by_label(re.compile(r"条項の文言\s*（追加する条項）")).fill("管理画面は庁内からのみ利用できること。")
    officer.get_by_label(re.compile(r"追加の理由\s*（追加する条項）")).fill("管理画面を外部に出さないため。")
    officer.get_by_role("button", name="保存", exact=True).click()
    expect(officer.get_by_role("status").filter(has_text="条項を保存しました。")).to_be_visible()
    expect(officer.get_by_role("heading", name=re.compile("追加した条項"))).to_be_visible()
    shoot(officer, "3-saved")

    officer.goto(officer.url.split("/steps/")[0] + "/steps/output")
    officer.get_by_role("link", name=re.compile("レビューを依頼する")).click()
    officer.get_by_label("レビューを依頼する CIO補佐官等").select_option(label="相談 花子（adviser）")
    officer.get_by_role("button", name=re.compile("のレビューを依頼する")).click()

    adviser_context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    adviser = adviser_context.new_page()
    sign_in(adviser, live_server, "adviser")
    adviser.get_by_role("link", name=re.compile(r"（第\d+版）")).first.click()
    changes = adviser.locator("#req-AT-1 .clause-changes")
    expect(changes).to_contain_text("条項の変更（2件）")
    expect(changes.locator("ins").first).to_have_text(re.compile(r"［追加：\s*物理的又は\s*］"))
    expect(changes).to_contain_text("庁舎の機器は物理的な分離も認めるため。")
    expect(changes).to_contain_text("管理画面は庁内からのみ利用できること。")
    changes.scroll_into_view_if_needed()
    shoot(adviser, "4-review-diff")
    adviser.locator("#req-AT-1").screenshot(path=str(ROOT / "out" / "screenshots" / "clause-review-AT-1.png"))
    adviser_context.close()
