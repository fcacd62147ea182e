"""Step 7's date: the message for a date it cannot read names every form it accepts (issue 17)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.test_i18n_web import english
from tests.web.test_review import import_example
from tests.web.test_wizard import save

FORMS = ("2026-12-01", "2026/12/1", "令和8年12月1日", "R8.12.1")


def test_an_unreadable_date_lists_the_accepted_forms(client: FlaskClient) -> None:
    pid = import_example(client, "internal-small")
    refused = save(client, pid, "output", {"title": "", "date": "来月1日", "start_chapter": "1"})
    page = refused.data.decode()
    assert refused.status_code == 400 and "来月1日" in page  # what was typed is kept
    assert "年-月-日で入力" not in page
    assert all(form in page for form in FORMS)
    for typed in ("2026/12/1", "令和8年12月1日"):
        assert save(client, pid, "output", {"title": "", "date": typed, "start_chapter": "1"}).status_code == 302


def test_the_date_message_in_english(client: FlaskClient) -> None:
    pid = import_example(client, "internal-small")
    english(client)
    page = save(client, pid, "output", {"title": "", "date": "tomorrow", "start_chapter": "1"}).data.decode()
    assert 'Enter the date as 2026-12-01, 2026/12/1, <span lang="ja">令和8年12月1日</span> or R8.12.1.' in page
