"""A cloud-chapter clause reworded in a real browser: the officer opens CL-4 (契約終了時のデータの扱い)
from step 6, is told on the field that a reason is missing, saves, and the spec preview prints the
new wording in the cloud chapter. Each state passes axe-core (``shoot``)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_wizard_browser import Shoot
from tests.conftest import ROOT


def test_officer_rewords_a_cloud_clause(page: Page, shoot: Shoot) -> None:
    page.get_by_role("link", name="取込み").click()
    page.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / "cloud-interagency.yaml"))
    page.get_by_role("button", name="取り込む").click()
    page.get_by_role("link", name=re.compile("6 対策要件の決定")).click()
    page.get_by_role("link", name=re.compile(r"条項を編集\s*（CL-4 ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CL-4")
    shoot(page, "1-cloud-topic-page")

    page.locator("details summary").first.click()  # the editing box opens on demand
    text = page.get_by_label(re.compile(r"文言を変更\s*（CL-4-ア）"))
    text.fill(text.input_value() + "なお、移行の手順は発注者と協議して定める。")
    page.get_by_role("button", name="保存", exact=True).click()
    reason = page.get_by_label(re.compile(r"変更の理由\s*（CL-4-ア）"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(text).to_have_value(re.compile("移行の手順は発注者と協議して定める。"))  # nothing typed is lost
    shoot(page, "2-missing-reason")

    reason.fill("移行の手順は次期システムの調達時に決めるため。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="条項を保存しました。")).to_be_visible()
    shoot(page, "3-saved")

    page.goto(page.url.split("/steps/")[0] + "/spec.html")
    expect(page.locator("body")).to_contain_text("移行の手順は発注者と協議して定める。")
