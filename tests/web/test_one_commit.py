"""Issue 13, item 7: a GET never writes, and a request that changes something commits once, in the
view; the store's helpers (drafts, revisions) only add to the request's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.web.test_wizard import step1, version

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def counted(app: Flask) -> Iterator[dict[str, list[str]]]:
    """The writing statements and the commits that run while the block runs."""
    engine = app.extensions["sbd"]["engine"]
    seen: dict[str, list[str]] = {"writes": [], "commits": []}

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.lstrip().upper().startswith(WRITES):
            seen["writes"].append(sql.split("(")[0].strip())

    def commit(_session: Session) -> None:
        seen["commits"].append("commit")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Session, "after_commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Session, "after_commit", commit)


def test_pages_never_write(app: Flask, client: FlaskClient) -> None:
    """Pages only read. (A download is recorded in the audit log, the one write a GET makes.)"""
    pid = int(client.post("/projects/sample/citizen-portal").headers["Location"].split("/")[2])
    pages = [
        "/",
        "/trash",
        "/inbox",
        *(f"/projects/{pid}/steps/{s}" for s in ("purpose", "features", "diagram", "questions")),
        *(f"/projects/{pid}/steps/{s}" for s in ("conditions", "decisions", "output")),
        f"/projects/{pid}/steps/decisions/AT-1/clauses",
        f"/projects/{pid}/history",
        f"/projects/{pid}/what-if",
        f"/projects/{pid}/review",
    ]
    with counted(app) as seen:
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert seen == {"writes": [], "commits": []}


def test_an_autosave_and_a_row_edit_commit_once_each(app: Flask, client: FlaskClient) -> None:
    pid = int(client.post("/projects", data={"name": "一度だけ"}).headers["Location"].split("/")[2])
    url = f"/projects/{pid}/steps/purpose"
    typed = {**step1(name="自動保存の名称"), "version": version(client.get(url).data)}
    with counted(app) as seen:
        assert client.post(f"{url}/draft", data=typed).status_code == 204
    assert seen["commits"] == ["commit"] and seen["writes"]
    with counted(app) as seen:
        assert client.post(url, data={**typed, "action": "row:add:tasks"}).status_code == 302
    assert seen["commits"] == ["commit"]
    with counted(app) as seen:
        assert client.post(f"{url}/draft/discard").status_code == 302
    assert seen["commits"] == ["commit"]
    # A save is one commit too: the revision, the project's versioned UPDATE and the draft's removal.
    with counted(app) as seen:
        assert client.post(url, data={**typed, "action": "save"}).status_code == 302
    assert seen["commits"] == ["commit"]
