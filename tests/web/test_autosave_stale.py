"""Issue 17, versions: a stale tab's autosave never passes for newer work. The draft names the
version its page was loaded from; one older than the saved version is refused (409) and never
restored, and the page's 「保存済みの内容との違いを見る」 opens the conflict page with the input kept."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import StepDraft
from tests.web.test_versions import _two_tabs
from tests.web.test_wizard import step1, version

RESTORED = "下書き）を復元しました"


def test_an_autosave_from_a_stale_tab_is_refused(app: Flask, client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)  # another tab saved a new purpose after this one was loaded
    url = f"/projects/{pid}/steps/purpose"
    typed = {**step1(name="古いタブの名称"), "version": stale}
    refused = client.post(f"{url}/draft", data=typed)
    assert refused.status_code == 409
    with app.extensions["sbd"]["sessions"]() as session:
        assert list(session.scalars(select(StepDraft))) == []
    page = client.get(url).data.decode()
    assert RESTORED not in page and "古いタブの名称" not in page and "別のタブで書いた目的。" in page
    # From the current version, the autosave is kept and restored as before.
    current = {**step1(name="新しいタブの名称"), "version": version(client.get(url).data)}
    assert client.post(f"{url}/draft", data=current).status_code == 204
    page = client.get(url).data.decode()
    assert RESTORED in page and "新しいタブの名称" in page


def test_the_stale_page_shows_the_conflict_on_request(client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)
    url = f"/projects/{pid}/steps/purpose"
    form = {**step1(name="古いタブの名称"), "version": stale, "action": "conflict:show"}
    shown = client.post(url, data=form)
    page = shown.data.decode()
    assert shown.status_code == 409 and 'id="conflict"' in page and "保存済みの内容との違い" in page
    assert "古いタブの名称" in page and "別のタブで書いた目的。" in page  # mine and theirs, side by side
    assert "下書きは自動保存していません" in page  # what the page's autosave says from now on
    # Nothing was saved by asking.
    assert "古いタブの名称" not in client.get(url).data.decode()
    # A page that is not stale (reloaded meanwhile) is just shown again.
    fresh = client.post(url, data={**form, "version": version(client.get(url).data)})
    assert fresh.status_code == 200 and 'id="conflict"' not in fresh.data.decode()
