"""The English UI in a real browser: a trainer-style walk through a sample project in English.

The header's 「English」 link switches the pages (and the catalogue's names) to English; the
accessibility audit runs on each page with ``lang="en"``, and the 「日本語」 link switches back.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from sbd_tool.content import Catalogue
from tests.browser.test_wizard_browser import Shoot, audit


def english_name(catalogue: Catalogue, requirement_id: str) -> str:
    return f"{requirement_id} {catalogue.requirements[requirement_id].requirement.name_en}"


def test_english_ui_from_sample_to_what_if(live_server: str, page: Page, catalogue: Catalogue, shoot: Shoot) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("案件一覧")
    page.get_by_role("link", name="English", exact=True).click()

    # The projects page in English.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")
    expect(page.get_by_role("heading", name="Create from a sample")).to_be_visible()
    expect(page.get_by_role("link", name="日本語", exact=True)).to_have_attribute("lang", "ja")
    audit(page, "en")
    shoot(page, "0-projects-en")

    page.get_by_role("button", name="Inter-ministry system on a cloud service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1: Purpose and business tasks")
    steps = page.get_by_role("navigation", name="Steps")
    for step in catalogue.steps.steps:
        expect(steps.get_by_role("link", name=f"{step.number} {step.title_en}")).to_be_visible()
    expect(steps).to_contain_text("7 of 7 steps done")
    audit(page, "en")
    shoot(page, "1-purpose-en")

    # Step 6: headings, requirement names, level and party choices in English.
    steps.get_by_role("link", name=f"6 {catalogue.steps.steps[5].title_en}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 6: Deciding the requirement levels")
    expect(page.get_by_role("heading", name="Shared responsibility on the cloud service")).to_be_visible()
    expect(page.get_by_role("heading", name="Decided levels at a glance")).to_be_visible()
    for rid in ("AC-1", "AU-1", "PH-1"):
        expect(
            page.get_by_role("heading", level=3, name=re.compile(re.escape(english_name(catalogue, rid))))
        ).to_be_visible()
    level = page.get_by_role(
        "combobox", name=re.compile(r"Decided level\s*\(" + re.escape(english_name(catalogue, "AC-1")))
    )
    chosen = level.evaluate("select => select.options[select.selectedIndex].text")
    assert chosen in ("Not applicable", "Low", "Middle", "High")
    party = page.get_by_role(
        "combobox", name=re.compile(r"Implemented by\s*\(" + re.escape(english_name(catalogue, "PH-2")))
    )
    expect(party).to_have_value("provider")
    expect(party.locator("option:checked")).to_have_text("Cloud service provider")
    expect(page.get_by_role("button", name="Save and go to the next step")).to_be_visible()
    audit(page, "en")
    shoot(page, "6-decisions-en")

    # Saving says so in English.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 6: Deciding the requirement levels")

    # The what-if page.
    page.get_by_role("link", name="See how each proposed level would change if one answer were different").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What if an answer changed")
    expect(page.get_by_role("link", name="Back to step 6, deciding the requirement levels")).to_be_visible()
    expect(
        page.get_by_role("heading", level=3, name=re.compile(re.escape(english_name(catalogue, "AT-1"))))
    ).to_contain_text("Proposed: ")
    audit(page, "en")
    shoot(page, "7-what-if-en")

    # And back to Japanese, on the same page.
    page.get_by_role("link", name="日本語", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("回答を変えた場合の影響")
    audit(page)
