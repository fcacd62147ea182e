"""Notifications in a real browser (issue 17): the header's unread count, the inbox, opening an
entry (marks it read, lands at the place), 「すべて既読にする」, English, and the e-mail a local SMTP
server (tests/smtpserver.py) receives, whose link leads to the same place after signing in."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update
from werkzeug.serving import make_server

from sbd_tool.storage.models import User
from sbd_tool.web import create_app
from tests.accounts import add_user
from tests.browser.conftest import USERS, sign_in
from tests.browser.test_wizard_browser import Shoot, audit
from tests.conftest import CONTENT, ROOT
from tests.pgserver import free_port
from tests.smtpserver import Mailbox, smtp_config, smtp_server


@pytest.fixture
def mail_server(database_url: str) -> Iterator[tuple[str, Mailbox]]:
    """The wizard as in conftest.live_server, with SMTP settings pointing at a local test server
    and e-mail addresses for the officer and the adviser."""
    with smtp_server() as (port, box):
        app = create_app(
            {"DATABASE_URL": database_url, "SECRET_KEY": "browser-test", "CONTENT_DIR": CONTENT}
            | smtp_config(port, BASE_URL=None)
        )
        for username, role, name in USERS:
            uid = add_user(app, username, role, None if role == "admin" else "テスト省", display_name=name)
            with app.extensions["sbd"]["sessions"]() as session:
                session.execute(update(User).where(User.id == uid).values(email=f"{username}@example.go.jp"))
                session.commit()
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", box
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["sbd"]["engine"].dispose()


def inbox_link(page: Page) -> Any:
    return page.get_by_role("banner").get_by_role("link", name=re.compile("^(お知らせ|Notifications)"))


def test_review_notifications_in_the_header_the_inbox_and_by_mail(
    mail_server: tuple[str, Mailbox], browser: Browser, shoot: Shoot
) -> None:
    base, box = mail_server
    officer_context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    adviser_context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    officer, adviser = officer_context.new_page(), adviser_context.new_page()
    try:
        sign_in(officer, base, "officer")
        officer.get_by_role("link", name="取込み").click()
        officer.get_by_label("回答ファイル").set_input_files(str(ROOT / "examples" / "citizen-portal.yaml"))
        officer.get_by_role("button", name="取り込む").click()
        project_url = officer.url.split("/steps/")[0]
        officer.goto(project_url + "/submit")
        officer.get_by_label("レビューを依頼する CIO補佐官等").select_option(label="相談 花子（adviser）")
        officer.get_by_role("button", name=re.compile("のレビューを依頼する")).click()
        expect(officer.get_by_role("status").filter(has_text="レビューを依頼しました")).to_be_visible()
        expect(inbox_link(officer)).to_have_accessible_name("お知らせ")

        # The adviser sees the count on any page, opens the inbox and the entry.
        sign_in(adviser, base, "adviser")
        expect(inbox_link(adviser)).to_have_accessible_name(re.compile(r"お知らせ\s*1?\s*（未読1件）"))
        audit(adviser)
        shoot(adviser, "1-adviser-header-count")
        inbox_link(adviser).click()
        entry = adviser.get_by_role(
            "link", name="調達 太郎さんから「補助金電子申請ポータル」のレビューを依頼されました。"
        )
        expect(entry).to_be_visible()
        audit(adviser)
        shoot(adviser, "2-adviser-inbox")
        entry.click()
        expect(adviser.get_by_role("heading", level=1)).to_contain_text("レビュー：補助金電子申請ポータル")
        expect(inbox_link(adviser)).to_have_accessible_name("お知らせ")

        # A comment on AT-1 reaches the officer, whose entry lands on that comment.
        adviser.locator("#req-AT-1").get_by_text("コメントする").click()
        adviser.get_by_label(re.compile(r"コメントを追加\s*（AT-1")).fill("高位を検討してください。")
        adviser.get_by_role("button", name=re.compile(r"コメントを追加\s*（AT-1")).click()
        expect(adviser.get_by_role("status").filter(has_text="コメントを追加しました")).to_be_visible()
        officer.goto(base + "/")
        expect(inbox_link(officer)).to_have_accessible_name(re.compile("（未読1件）"))
        inbox_link(officer).click()
        officer.get_by_role(
            "link", name=re.compile("相談 花子さんが「補助金電子申請ポータル」にコメントしました")
        ).click()
        assert re.search(r"/review#comment-\d+$", officer.url), officer.url
        comment = officer.locator(f"#{officer.url.split('#')[1]}")
        expect(comment).to_contain_text("高位を検討してください。")
        expect(comment).to_be_in_viewport()
        full = shoot(officer, "3-officer-at-the-comment")
        officer.screenshot(path=str(full.with_name("3-officer-at-the-comment-window.png")))  # what the window shows

        # Approval; the officer marks everything read.
        adviser.get_by_role("button", name="第1版を承認する").click()
        officer.goto(base + "/inbox")
        expect(officer.get_by_role("link", name=re.compile("を承認しました。"))).to_be_visible()
        audit(officer)
        shoot(officer, "4-officer-inbox")
        officer.get_by_role("button", name="すべて既読にする").click()
        expect(officer.get_by_role("status").filter(has_text="すべてのお知らせを既読にしました。")).to_be_visible()
        expect(inbox_link(officer)).to_have_accessible_name("お知らせ")
        expect(officer.get_by_role("button", name="すべて既読にする")).to_have_count(0)

        # English.
        officer.get_by_role("link", name="English").click()
        expect(officer.get_by_role("heading", level=1)).to_have_text("Notifications")
        expect(
            officer.get_by_role("link", name=re.compile("相談 花子 approved “補助金電子申請ポータル”"))
        ).to_be_visible()
        audit(officer, "en")
        shoot(officer, "5-officer-inbox-english")

        # The e-mails: one per event to the one concerned; the link works after signing in.
        mails = box.wait(3)
        assert [(m.recipients, m.message["Subject"]) for m in mails] == [
            (["adviser@example.go.jp"], "[sbd-tool] レビューの依頼：補助金電子申請ポータル"),
            (["officer@example.go.jp"], "[sbd-tool] コメント：補助金電子申請ポータル"),
            (["officer@example.go.jp"], "[sbd-tool] 承認：補助金電子申請ポータル"),
        ]
        link = re.search(r"http://127\.0\.0\.1:\d+/inbox/\d+", mails[1].message.get_content())
        assert link, mails[1].message.get_content()
        stranger = browser.new_context(locale="ja-JP").new_page()
        stranger.goto(link.group(0))
        expect(stranger.get_by_role("heading", level=1)).to_contain_text("サインイン")
        stranger.get_by_label("利用者名").fill("officer")
        stranger.get_by_label("パスワード").fill("correct horse battery")
        stranger.get_by_role("button", name="サインイン").click()
        expect(stranger.get_by_role("heading", level=1)).to_contain_text("レビュー：補助金電子申請ポータル")
        assert re.search(r"/review#comment-\d+$", stranger.url), stranger.url
        stranger.context.close()
    finally:
        officer_context.close()
        adviser_context.close()
