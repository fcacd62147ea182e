"""The review loop in a real browser: officer submits → adviser comments and returns → officer fixes →
adviser approves → the approved Word document is downloaded and says so."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import Shoot, audit
from tests.conftest import ROOT


def test_officer_and_adviser_review_loop(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    officer = page
    officer.get_by_role("link", name="取込み").click()
    officer.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / "citizen-portal.yaml"))
    officer.get_by_role("button", name="取り込む").click()
    officer.get_by_role("link", name=re.compile("7 調達仕様書への反映")).click()
    officer.get_by_role("link", name=re.compile("レビューを依頼する")).click()
    officer.get_by_label("レビューを依頼する CIO補佐官等").select_option(label="相談 花子（adviser）")
    officer.get_by_label("依頼の内容").fill("AT-1 の判断をご確認ください。")
    audit(officer)
    officer.get_by_role("button", name=re.compile("のレビューを依頼する")).click()
    expect(officer.get_by_role("status").filter(has_text="レビューを依頼しました")).to_be_visible()

    adviser_context = browser.new_context(locale="ja-JP", accept_downloads=True)
    adviser = adviser_context.new_page()
    sign_in(adviser, live_server, "adviser")
    adviser.get_by_role("link", name=re.compile(r"（第1版）")).click()
    expect(adviser.get_by_role("heading", level=1)).to_contain_text("第1版")
    audit(adviser)
    shoot(adviser, "1-adviser-review")
    adviser.locator("#req-AT-1").get_by_text("コメントする").click()
    adviser.get_by_label(re.compile(r"コメントを追加\s*（AT-1")).fill(
        "インターネット公開なので高位を検討してください。"
    )
    adviser.get_by_role("button", name=re.compile(r"コメントを追加\s*（AT-1")).click()
    expect(adviser.locator("#req-AT-1")).to_contain_text("高位を検討してください")
    adviser.get_by_label("所見").fill("AT-1 を見直してください。")
    adviser.get_by_role("button", name="コメントを付けて差し戻す").click()
    expect(adviser.get_by_role("status").filter(has_text="第1版を差し戻しました")).to_be_visible()

    officer.goto(live_server + "/")
    officer.get_by_role("link", name=re.compile("補助金電子申請ポータル")).first.click()
    officer.get_by_role("link", name=re.compile("6 対策要件の決定")).click()
    expect(officer.locator("#req-AT-1")).to_contain_text("高位を検討してください")
    audit(officer)
    shoot(officer, "2-officer-sees-comment")
    officer.get_by_label(re.compile(r"決定する実装レベル\s*（AT-1")).select_option(label="高位")
    officer.get_by_label(re.compile(r"決定の理由\s*（AT-1")).fill("国民が利用するため高位とする。")
    officer.get_by_role("button", name="保存", exact=True).click()
    expect(officer.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()
    officer.get_by_role("link", name="レビューとコメント").click()
    officer.get_by_role("button", name=re.compile("解決済みにする")).click()
    officer.get_by_role("link", name=re.compile(r"現在の版（第\d+版）のレビューを依頼する")).click()
    officer.get_by_label("レビューを依頼する CIO補佐官等").select_option(label="相談 花子（adviser）")
    officer.get_by_role("button", name=re.compile("のレビューを依頼する")).click()

    adviser.goto(live_server + "/")
    adviser.get_by_role("link", name=re.compile(r"（第2版）")).click()
    expect(adviser.locator("#req-AT-1")).to_contain_text("決定 高位")
    adviser.get_by_role("button", name="第2版を承認する").click()
    expect(adviser.get_by_role("status").filter(has_text="第2版を承認しました")).to_be_visible()
    audit(adviser)
    shoot(adviser, "3-approved")
    adviser_context.close()

    officer.goto(live_server + "/")
    officer.get_by_role("link", name=re.compile("補助金電子申請ポータル")).first.click()
    expect(officer.get_by_role("status").filter(has_text="承認済みです")).to_be_visible()
    with officer.expect_download() as download:
        officer.get_by_role("link", name=re.compile("承認済みの仕様書")).click()
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert re.search(r"本書（第2版）は、令和\d+年\d+月\d+日、相談 花子（テスト省）が承認した。", text)
    officer.get_by_role("link", name="変更履歴").first.click()
    expect(officer.get_by_role("table")).to_contain_text("承認済み（相談 花子）")
    audit(officer)
    shoot(officer, "4-history")
