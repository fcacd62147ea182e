"""Lists that must not grow with the data: the projects list and the history page, a page at a
time, searched and filtered in SQL, without reading answers (issue 16). No timings here."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from sbd_tool.storage.models import Project, Review, Revision, User
from tests.accounts import add_user, login
from tests.conftest import example_data
from tests.web.test_wizard import new_project, save, step1

STEPS = ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output")


def _officer(app: Flask) -> User:
    with app.extensions["sbd"]["sessions"]() as session:
        found = session.scalar(select(User).where(User.username == "officer"))
        assert found is not None
        return found


def add_projects(app: Flask, names: list[str], *, done: int | None = 3, kind: str = "procurement") -> list[int]:
    """Projects written straight into the database (``done``: the stored progress; None = from
    before progress was stored)."""
    officer = _officer(app)
    data = json.loads(json.dumps(example_data("citizen-portal"), default=str))
    ids = []
    with app.extensions["sbd"]["sessions"]() as session:
        for name in names:
            answers = copy.deepcopy(data)
            answers["project"]["name"] = name
            project = Project(name=name, answers=answers, visited=dict.fromkeys(STEPS, True), version=1, kind=kind,
                              organisation_id=officer.organisation_id, created_by=officer.id)  # fmt: skip
            session.add(project)
            session.flush()
            project.steps_done = done
            session.add(Revision(project_id=project.id, number=1, answers=answers, visited=project.visited,
                                 content_version="test", author_id=officer.id))  # fmt: skip
            ids.append(project.id)
        session.commit()
    return ids


def listed(page: str) -> list[str]:
    """Project names in the list tables, in order."""
    return re.findall(r'<th scope="row"><a href="/projects/\d+/[^"]+">([^<]+)</a>', page)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    found: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found.append(statement)

    engine = app.extensions["sbd"]["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_projects_list_is_paginated_and_keeps_the_search(app: Flask, client: FlaskClient) -> None:
    add_projects(app, [f"案件{n:03d}" for n in range(1, 121)])
    first = client.get("/").data.decode()
    names = listed(first)
    assert len(names) == 50 and "（120件）" in first
    assert 'aria-current="page"' in first and 'rel="next"' in first and 'href="/?page=3"' in first
    third = client.get("/?page=3").data.decode()
    assert len(listed(third)) == 20 and 'rel="prev"' in third and 'rel="next"' not in third
    assert set(listed(third)).isdisjoint(names)
    assert len(listed(client.get("/?page=999").data.decode())) == 20  # past the end: the last page
    assert len(listed(client.get("/?page=x").data.decode())) == 50
    # Search: part of the name, in SQL; page links keep it.
    found = client.get("/?q=案件1").data.decode()
    assert listed(found) and all(n.startswith("案件1") for n in listed(found))
    assert "（21件）" in found  # 案件100–120 and 案件1xx: 100..120 → 21
    many = client.get("/?q=案件0").data.decode()
    assert 'href="/?q=%E6%A1%88%E4%BB%B60&amp;page=2"' in many
    assert client.get("/?q=案件0&page=2").status_code == 200
    assert "条件に合う案件はありません。" in client.get("/?q=存在しない").data.decode()


def test_search_treats_wildcards_as_text(app: Flask, client: FlaskClient) -> None:
    add_projects(app, ["100%達成システム", "1000件処理システム", "a_b システム", "axb システム"])
    assert listed(client.get("/?q=100%25").data.decode()) == ["100%達成システム"]
    assert listed(client.get("/?q=a_b").data.decode()) == ["a_b システム"]


def test_review_state_filter(app: Flask, client: FlaskClient) -> None:
    pending, returned, approved, resubmitted, _ = add_projects(app, ["依頼中の案件", "差戻しの案件", "承認の案件",
                                                                         "再依頼の案件", "レビューなし"])  # fmt: skip
    adviser = add_user(app, "adviser", role="adviser")
    officer = _officer(app)
    with app.extensions["sbd"]["sessions"]() as session:
        for pid, status in ((pending, "pending"), (returned, "returned"), (approved, "approved"),
                            (resubmitted, "returned"), (resubmitted, "pending")):  # fmt: skip
            session.add(Review(project_id=pid, revision_number=1, adviser_id=adviser, submitted_by=officer.id,
                               message="", status=status, decision_note=""))  # fmt: skip
            session.flush()
        session.commit()
    assert sorted(listed(client.get("/?state=pending").data.decode())) == ["依頼中の案件", "再依頼の案件"]
    assert listed(client.get("/?state=returned").data.decode()) == ["差戻しの案件"]  # the latest review counts
    assert listed(client.get("/?state=approved").data.decode()) == ["承認の案件"]
    assert len(listed(client.get("/?state=nonsense").data.decode())) == 5  # unknown: no filter
    page = client.get("/?state=approved").data.decode()
    assert '<option value="approved" selected>' in page and '<span class="badge">承認済み</span>' in page


def test_progress_is_stored_on_save_and_the_list_reads_no_answers(app: Flask, client: FlaskClient) -> None:
    pid = new_project(client)
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.get(Project, pid).steps_done == 0  # type: ignore[union-attr]
    assert save(client, pid, "purpose", step1()).status_code == 302
    with app.extensions["sbd"]["sessions"]() as session:
        assert session.get(Project, pid).steps_done == 1  # type: ignore[union-attr]
    with statements(app) as sql:
        page = client.get("/").data.decode()
    assert "1/7 手順" in page
    reads = [s for s in sql if "FROM project" in s]
    assert reads and not [s for s in reads if "project.answers" in s or "project.visited" in s], reads


def test_rows_without_stored_progress_are_graded_when_shown(app: Flask, client: FlaskClient) -> None:
    add_projects(app, ["移行前の案件"], done=None)
    add_projects(app, ["保存済みの案件"], done=4)
    with statements(app) as sql:
        page = client.get("/").data.decode()
    assert "7/7 手順" in page and "4/7 手順" in page  # the sample is complete and every step visited
    graded = [s for s in sql if "project.answers" in s]
    assert len(graded) == 1  # one query, for the rows of this page that lack it


def test_adviser_sees_review_requests_by_name(app: Flask) -> None:
    add_user(app, "officer")
    (pid,) = add_projects(app, ["相談する案件"])
    adviser_id = add_user(app, "adviser", role="adviser")
    officer = _officer(app)
    from sbd_tool.storage.models import ProjectShare

    with app.extensions["sbd"]["sessions"]() as session:
        session.add(ProjectShare(project_id=pid, user_id=adviser_id))
        session.add(Review(project_id=pid, revision_number=1, adviser_id=adviser_id, submitted_by=officer.id,
                           message="", status="pending", decision_note=""))  # fmt: skip
        session.commit()
    adviser = app.test_client()
    login(adviser, "adviser")
    page = adviser.get("/").data.decode()
    assert "レビュー依頼" in page and "相談する案件（第1版）" in page and listed(page) == ["相談する案件"]


def test_history_is_paginated(app: Flask, client: FlaskClient) -> None:
    (pid,) = add_projects(app, ["履歴の長い案件"])
    officer = _officer(app)
    with app.extensions["sbd"]["sessions"]() as session:
        project = session.get(Project, pid)
        assert project is not None
        for number in range(2, 121):
            session.add(Revision(project_id=pid, number=number, answers=project.answers, visited=project.visited,
                                 step="questions", content_version="test", author_id=officer.id))  # fmt: skip
        project.version = 120
        session.commit()
    page = client.get(f"/projects/{pid}/history").data.decode()
    shown = re.findall(r'<th scope="row">第(\d+)版', page)
    assert shown[0] == "120" and len(shown) == 50 and "第120版（現在）" in page
    assert 'aria-current="page"' in page and f'href="/projects/{pid}/history?page=2"' in page
    last = client.get(f"/projects/{pid}/history?page=3").data.decode()
    assert re.findall(r'<th scope="row">第(\d+)版', last) == [str(n) for n in range(20, 0, -1)]
    # Two versions are compared by number: no list of every revision on the page.
    assert 'name="a" type="number" min="1" max="120" value="119"' in page and "<option" not in page.split("<table")[0]
