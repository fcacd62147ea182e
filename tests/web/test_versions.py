"""Issue 17, versions: restore an earlier revision as a new one; two tabs that collide see what
differs and keep theirs, take the other or merge field by field; a task deletion asks first and
can be undone (without JavaScript: a confirmation page)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import AuditEvent, Revision
from tests.web.test_review import import_example
from tests.web.test_wizard import Controls, new_project, save, step1, version


def export(client: FlaskClient, pid: int) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(client.get(f"/projects/{pid}/export").data)


def test_restore_an_earlier_revision_as_a_new_one(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    first = export(client, pid)
    assert save(client, pid, "purpose", step1(name="名称を変えた版")).status_code == 302
    history = client.get(f"/projects/{pid}/history").data.decode()
    assert f'href="/projects/{pid}/revisions/1/restore"' in history
    assert f'href="/projects/{pid}/revisions/2/restore"' not in history, "not the current revision"
    page = client.get(f"/projects/{pid}/revisions/1/restore").data.decode()
    assert "第1版を復元しますか" in page and "名称を変えた版" in page and "補助金電子申請ポータル" in page
    done = client.post(f"/projects/{pid}/revisions/1/restore", data={"version": "2"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/projects/{pid}/history")
    assert export(client, pid) == first
    history = client.get(f"/projects/{pid}/history").data.decode()
    assert "第1版の内容を、新しい版（第3版）として復元しました。" in history and "第1版から復元" in history
    with app.extensions["sbd"]["sessions"]() as session:
        revision = session.scalar(select(Revision).where(Revision.project_id == pid, Revision.number == 3))
        assert revision is not None and revision.step == "restore:1" and revision.answers == first
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "revision")).all()[-1]
        assert event.detail == {"revision": 3, "restored_from": 1}
    # Confirmed on a page older than the saved version: refused, nothing saved.
    stale = client.post(f"/projects/{pid}/revisions/2/restore", data={"version": "2"}, follow_redirects=True)
    assert "この案件が保存されました" in stale.data.decode()
    assert export(client, pid) == first
    assert client.get(f"/projects/{pid}/revisions/9/restore").status_code == 404


def _two_tabs(client: FlaskClient) -> tuple[int, str]:
    """A project saved once in step 1; a stale tab's version, then another tab saves a new purpose."""
    pid = new_project(client)
    assert save(client, pid, "purpose", step1()).status_code == 302
    stale = version(client.get(f"/projects/{pid}/steps/purpose").data)
    assert save(client, pid, "purpose", step1(purpose="別のタブで書いた目的。")).status_code == 302
    return pid, stale


def _stale_save(client: FlaskClient, pid: int, stale: str, **extra: str) -> Any:
    form = {**step1(name="このタブで変えた名称"), "version": stale, "action": "save", **extra}
    return client.post(f"/projects/{pid}/steps/purpose", data=form)


def picks(page: str) -> dict[str, str]:
    """The preselected choice of each differing field on the conflict page."""
    return dict(re.findall(r'name="pick:([^"]+)" value="(mine|theirs)" checked', page))


def test_colliding_tabs_see_what_differs_with_sensible_choices(client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)
    response = _stale_save(client, pid, stale)
    page = response.data.decode()
    assert response.status_code == 409 and "別の画面（タブ）で先に保存されています" in page
    assert 'value="このタブで変えた名称"' in page, "the input is kept"
    assert "保存済みの内容との違い" in page
    # The name changed here (keep mine), the purpose in the other tab (keep theirs).
    assert picks(page) == {"project.name": "mine", "project.purpose": "theirs"}
    assert "別のタブで書いた目的。" in page and "あなたが変更" in page and "ほかの画面で変更" in page
    base = re.search(r'name="conflict_base" value="(\d+)"', page)
    assert base and base.group(1) == "3"


def test_merge_field_by_field(client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)
    _stale_save(client, pid, stale)
    merged = _stale_save(
        client, pid, stale, action="conflict:merge", conflict_base="3",
        **{"pick:project.name": "mine", "pick:project.purpose": "theirs"},
    )  # fmt: skip
    assert merged.status_code == 302
    stored = export(client, pid)["project"]
    assert (stored["name"], stored["purpose"]) == ("このタブで変えた名称", "別のタブで書いた目的。")
    assert "選んだとおりに統合して保存しました" in client.get(merged.headers["Location"]).data.decode()


def test_keep_mine_or_take_theirs(client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)
    theirs = _stale_save(client, pid, stale, action="conflict:theirs", conflict_base="3")
    assert theirs.status_code == 302
    assert export(client, pid)["project"]["name"] == "テスト申請システム"
    assert "この画面の入力は破棄しました" in client.get(theirs.headers["Location"]).data.decode()
    mine = _stale_save(client, pid, stale, action="conflict:mine", conflict_base="3")
    assert mine.status_code == 302
    stored = export(client, pid)["project"]
    assert (stored["name"], stored["purpose"]) == ("このタブで変えた名称", "申請をオンライン化する。")


def test_a_choice_about_an_older_version_shows_the_conflict_again(client: FlaskClient) -> None:
    pid, stale = _two_tabs(client)
    assert save(client, pid, "purpose", step1(effects="三つ目のタブ。")).status_code == 302  # version 4
    again = _stale_save(client, pid, stale, action="conflict:mine", conflict_base="3")
    assert again.status_code == 409 and 'name="conflict_base" value="4"' in again.data.decode()
    assert export(client, pid)["project"]["effects"] == "三つ目のタブ。", "nothing saved over it"


def test_merge_in_step_6_keeps_each_side_s_decision(client: FlaskClient) -> None:
    """The same in step 6: one tab raised AT-2, the other lowered AC-2 with a reason; both kept."""
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    form = {**Controls(page).values, "version": version(page.encode()), "action": "save"}
    url = f"/projects/{pid}/steps/decisions"
    other = {**form, "level_AT-2": "high", "reason_AT-2": "別のタブ"}
    assert client.post(url, data=other).status_code == 302
    mine = {**form, "level_AT-3": "high", "reason_AT-3": "このタブ"}
    conflict = client.post(url, data=mine)
    assert conflict.status_code == 409
    chosen = picks(conflict.data.decode())
    assert chosen["decisions.AT-2.level"] == "theirs" and chosen["decisions.AT-3.level"] == "mine"
    merged = client.post(url, data={**mine, "action": "conflict:merge", "conflict_base": str(int(form["version"]) + 1),
                                    **{f"pick:{k}": v for k, v in chosen.items()}})  # fmt: skip
    assert merged.status_code == 302, merged.data.decode()[-2000:]
    decisions = export(client, pid)["decisions"]
    assert decisions["AT-2"] == {"level": "high", "reason": "別のタブ"}
    assert decisions["AT-3"] == {"level": "high", "reason": "このタブ"}


def test_deleting_a_task_without_javascript_asks_and_can_be_undone(client: FlaskClient) -> None:
    pid = new_project(client)
    assert save(client, pid, "purpose", step1()).status_code == 302
    url = f"/projects/{pid}/steps/purpose"
    form = {**step1(purpose="まだ保存していない目的。"), "version": version(client.get(url).data)}
    asked = client.post(url, data={**form, "action": "row:remove:tasks:0"})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"{url}/tasks/0/remove")
    page = client.get(asked.headers["Location"]).data.decode()
    assert "業務1「申請の受付」を削除しますか" in page and "国民が申請する。" in page
    assert f'href="{url}"' in page, "a way back without deleting"
    kept = client.get(url).data.decode()
    assert 'value="申請の受付"' in kept and "まだ保存していない目的。" in kept, "nothing deleted yet, input kept"
    done = client.post(f"{url}/tasks/0/remove")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{url}#undo-task")
    page = client.get(url).data.decode()
    assert 'value="申請の受付"' not in page and 'value="審査"' in page and "まだ保存していない目的。" in page
    assert "業務1「申請の受付」を削除しました（保存するまでは確定しません）。" in page
    assert export(client, pid)["project"]["tasks"][0]["name"] == "申請の受付", "not saved"
    undone = client.post(f"{url}/tasks/undo")
    assert undone.status_code == 302 and undone.headers["Location"].endswith("#tasks-0-name")
    page = client.get(url).data.decode()
    assert page.index('value="申請の受付"') < page.index('value="審査"') and 'value="T1"' in page
    assert "を削除しました" not in page
