"""Training courses: a trainer's samples, trainees' sandboxes, what-if and the exercise check."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import Project
from tests.accounts import add_user, login
from tests.web.test_wizard import Controls, save


def signed_in(app: Flask, username: str, role: str, org: str = "テスト省") -> FlaskClient:
    add_user(app, username, role=role, org=org, display_name=f"{username} さん")
    client = app.test_client()
    login(client, username)
    return client


def test_trainer_runs_a_course_and_trainees_practise_in_sandboxes(app: Flask, client: FlaskClient) -> None:
    trainer = signed_in(app, "trainer", "trainer")
    colleague = signed_in(app, "colleague", "officer")
    outsider = signed_in(app, "outsider", "officer", org="別の庁")
    assert trainer.post("/courses", data={"name": ""}).status_code == 400
    created = trainer.post("/courses", data={"name": "SBD入門", "description": "判断条件の考え方を学ぶ"})
    course = int(created.headers["Location"].rsplit("/", 1)[1])
    assert client.post("/courses", data={"name": "勝手な研修"}).status_code == 403, "officers do not create courses"
    trainer.post(f"/courses/{course}/samples", data={"sample": "shipped:citizen-portal"})
    page = trainer.get(f"/courses/{course}").data.decode()
    sample = int(re.search(r"/samples/(\d+)/copy", page).group(1))  # type: ignore[union-attr]
    assert "国民向け" in page or "補助金電子申請ポータル" in page
    assert outsider.get(f"/courses/{course}").status_code == 404, "another organisation's course"
    assert "SBD入門" in client.get("/courses").data.decode()

    # A trainee copies the sample into their sandbox, changes a level and checks against the model.
    copied = client.post(f"/courses/{course}/samples/{sample}/copy")
    mine = int(copied.headers["Location"].split("/")[2])
    assert client.get(f"/projects/{mine}/what-if").status_code == 200
    form = Controls(client.get(f"/projects/{mine}/steps/decisions").data.decode()).values
    reasons = {k: v for k, v in form.items() if k.startswith("reason_")}
    assert (
        save(client, mine, "decisions", {**form, **reasons, "level_AT-2": "high", "reason_AT-2": "練習"}).status_code
        == 302
    )
    result = client.get(f"/projects/{mine}/compare").data.decode()  # the sample is preselected
    assert "結果：33 / 34 要件が模範解答と一致" in result
    course_page = client.get(f"/courses/{course}").data.decode()
    assert "模範解答と一致：33 / 34 要件" in course_page

    # The sandbox is the trainee's: not in procurement lists, not visible to a colleague.
    assert f"/projects/{mine}/" not in colleague.get("/").data.decode()
    assert colleague.get(f"/projects/{mine}/steps/purpose").status_code == 404
    with app.extensions["sbd"]["sessions"]() as session:
        project = session.get(Project, mine)
        assert project is not None and project.kind == "training" and project.course_id == course
        assert session.scalars(select(Project.kind).where(Project.kind == "procurement")).all() == []
    # The trainer follows every trainee's progress.
    progress = trainer.get(f"/courses/{course}").data.decode()
    assert "受講者の練習" in progress and "officer 職員" in progress and "33 / 34 要件" in progress
    # A closed course takes no new copies.
    trainer.post(f"/courses/{course}/close")
    closed = client.post(f"/courses/{course}/samples/{sample}/copy", follow_redirects=True)
    assert "この研修は終了しています" in closed.data.decode()
