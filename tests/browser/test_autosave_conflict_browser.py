"""Issue 17, versions, in a real browser: a stale tab's autosave cannot save over newer work. Two
tabs open step 1; one saves; the other's autosave is refused and its page offers the same
conflict treatment as a stale save (keep mine, take the other, merge per field)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_wizard_browser import Shoot
from tests.browser.test_workflow_browser import import_example


def test_a_stale_tabs_autosave_shows_the_conflict(live_server: str, page: Page, shoot: Shoot) -> None:
    pid = import_example(page)
    url = f"{live_server}/projects/{pid}/steps/purpose"
    other = page.context.new_page()
    other.goto(url)
    page.goto(url)
    other.get_by_label("調達の目的").fill("別のタブで書いた目的。")
    other.get_by_role("button", name="保存", exact=True).click()
    expect(other.get_by_role("status").filter(has_text="保存しました。")).to_be_visible()

    # The stale tab types; its autosave is refused and it says so, offering what differs.
    with page.expect_response(lambda r: r.url.endswith("/draft")) as answered:
        page.get_by_label("情報システムの名称").fill("古いタブで変えた名称")
    assert answered.value.status == 409
    alert = page.locator(".autosave-conflict")
    expect(alert).to_contain_text("別の画面（タブ）で新しい版が保存されました")
    expect(page.get_by_label("情報システムの名称")).to_have_value("古いタブで変えた名称")  # nothing changed by itself
    shoot(page, "1-autosave-refused")

    # A fresh tab shows the saved work, not the stale tab's input as a restored draft.
    third = page.context.new_page()
    third.goto(url)
    expect(third.get_by_label("調達の目的")).to_have_value("別のタブで書いた目的。")
    expect(third.get_by_label("情報システムの名称")).not_to_have_value("古いタブで変えた名称")
    expect(third.get_by_text("下書き）を復元しました")).to_have_count(0)
    third.close()

    alert.get_by_role("button", name="保存済みの内容との違いを見る").click()
    differences = page.get_by_role("table", name=re.compile("違いのある項目"))
    expect(differences).to_contain_text("別のタブで書いた目的。")
    expect(differences).to_contain_text("古いタブで変えた名称")
    name_row = differences.get_by_role("row", name=re.compile("情報システムの名称"))
    purpose_row = differences.get_by_role("row", name=re.compile("調達の目的"))
    expect(name_row.get_by_role("radio", name="あなたの入力")).to_be_checked()
    expect(purpose_row.get_by_role("radio", name="保存済み")).to_be_checked()
    # Typing on the conflict page is not autosaved either; the page says where to choose.
    with page.expect_response(lambda r: r.url.endswith("/draft")) as answered:
        page.get_by_label("情報システムの名称").fill("古いタブで変えた名称（続き）")
    assert answered.value.status == 409
    expect(page.locator(".autosave-conflict")).to_contain_text("残す内容を選んで保存してください")
    shoot(page, "2-conflict")
    page.get_by_role("button", name="選んだとおりに統合して保存").click()
    expect(page.get_by_role("status").filter(has_text="選んだとおりに統合して保存しました")).to_be_visible()
    expect(page.get_by_label("情報システムの名称")).to_have_value("古いタブで変えた名称（続き）")
    expect(page.get_by_label("調達の目的")).to_have_value("別のタブで書いた目的。")
    shoot(page, "3-merged")
