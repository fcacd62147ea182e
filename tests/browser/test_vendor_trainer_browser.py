"""Vendors, trainers and the catalogue admin in a real browser: each page audited and photographed."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_wizard_browser import Shoot, audit
from tests.conftest import ROOT
from tests.web.test_courses import model_departures


def import_example(page: Page) -> None:
    page.get_by_role("link", name="取込み").click()
    page.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / "citizen-portal.yaml"))
    page.get_by_role("button", name="取り込む").click()


def test_bidder_reads_a_shared_project(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    import_example(page)
    page.get_by_role("link", name=re.compile("7 調達仕様書への反映")).click()
    page.get_by_role("link", name=re.compile("入札者への共有")).click()
    page.get_by_label("共有先").fill("株式会社サンプル")
    page.get_by_role("button", name="リンクを作成する").click()
    url = page.get_by_role("textbox", name="共有リンク", exact=True).input_value()
    audit(page)
    shoot(page, "1-share-links")

    bidder_context = browser.new_context(locale="ja-JP", accept_downloads=True)
    bidder = bidder_context.new_page()
    bidder.goto(url)
    expect(bidder.get_by_role("heading", level=1)).to_contain_text("補助金電子申請ポータル")
    expect(bidder.locator("#req-AT-1")).to_contain_text("このレベルとした理由")
    expect(bidder.get_by_role("button", name="サインアウト")).to_have_count(0)
    audit(bidder)
    shoot(bidder, "2-bidder-view")
    with bidder.expect_download() as download:
        bidder.get_by_role("link", name="対応表（Excel）をダウンロード").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.freeze_panes and sheet.max_row > 10
    bidder_context.close()

    page.reload()
    expect(page.get_by_role("table").last).to_contain_text("ページの閲覧")
    page.once("dialog", lambda dialog: dialog.accept())  # the page asks first
    page.get_by_role("button", name=re.compile("取り消す")).click()
    expect(page.get_by_role("status").filter(has_text="取り消しました")).to_be_visible()
    refused = browser.new_context(locale="ja-JP").new_page()
    refused.goto(url)
    expect(refused.get_by_role("heading", level=1)).to_have_text("取り消されたリンクです")
    refused.context.close()


def test_admin_sees_the_catalogue(live_server: str, browser: Any, shoot: Shoot) -> None:
    context = browser.new_context(locale="ja-JP")
    admin = context.new_page()
    sign_in(admin, live_server, "admin")
    admin.get_by_role("link", name="対策要件集").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("対策要件集")
    audit(admin)
    shoot(admin, "1-catalogue")
    admin.get_by_role("link", name=re.compile("内容（要件・レベル")).click()
    admin.get_by_text("AT-1 通信経路の分離").click()
    expect(admin.get_by_text("高位").first).to_be_visible()
    audit(admin)
    shoot(admin, "2-release")
    context.close()


def test_trainer_course_and_trainee_practice(live_server: str, page: Page, browser: Any, shoot: Shoot) -> None:
    context = browser.new_context(locale="ja-JP")
    trainer = context.new_page()
    sign_in(trainer, live_server, "trainer")
    trainer.get_by_role("link", name="研修", exact=True).click()
    trainer.get_by_label("研修の名称").fill("SBD入門（第1回）")
    trainer.get_by_role("button", name="作成する").click()
    trainer.get_by_label("追加するサンプル").select_option(
        label="国民向け電子申請ポータル（要配慮個人情報・インターネット）"
    )
    trainer.get_by_role("button", name="サンプルに追加する").click()
    audit(trainer)
    shoot(trainer, "1-course-trainer")

    page.get_by_role("link", name="研修", exact=True).click()
    page.get_by_role("link", name="SBD入門（第1回）").click()
    page.get_by_role("button", name=re.compile("練習を始める")).click()
    page.get_by_role("link", name=re.compile("6 対策要件の決定")).click()
    page.get_by_label(re.compile(r"決定する実装レベル\s*（AT-2")).select_option(label="高位")
    page.get_by_label(re.compile(r"決定の理由\s*（AT-2")).fill("練習として引き上げる。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("link", name="模範解答と比べる（研修）").click()
    # The copy starts without the model's decisions (issue 17, defect 5), and AT-2 now differs too.
    total, departures = model_departures("citizen-portal")
    score = f"{total - len(departures) - 1} / {total}"
    expect(page.get_by_role("heading", level=2)).to_contain_text(score)
    audit(page)
    shoot(page, "2-trainee-compare")

    trainer.reload()
    expect(trainer.get_by_role("table").last).to_contain_text(f"{score} 要件")
    shoot(trainer, "3-course-progress")
    context.close()
