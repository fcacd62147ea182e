"""Issue 17, versions: restore an earlier revision as a new one; two tabs that collide see what
differs and keep theirs, take the other or merge field by field; a task deletion asks first and
can be undone (without JavaScript: a confirmation page)."""

from __future__ import annotations

import re

import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import AuditEvent, Revision
from tests.web.test_review import import_example
from tests.web.test_wizard import save, step1, version


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
