"""Training courses: a trainer's samples, trainees' sandboxes, what-if and the exercise check."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.answers.read import parse_answers
from sbd_tool.engine.rules import evaluate
from sbd_tool.storage.models import Project
from tests.accounts import add_user, login
from tests.conftest import example_data
from tests.web.test_wizard import CATALOGUE, Controls, save


def model_departures(example: str) -> tuple[int, list[str]]:
    """How many requirements there are, and those whose decided level in the example departs from
    the proposal (what a copy without the model's decisions differs in)."""
    evaluation = evaluate(CATALOGUE, parse_answers(example_data(example), CATALOGUE))
    departures = [rid for rid, o in evaluation.requirements.items() if o.decided != o.proposed]
    return len(CATALOGUE.requirements), departures


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
    # The copy started without the model's decisions (issue 17, defect 5): it differs where the model
    # departs from the proposal, and now also in AT-2.
    total, departures = model_departures("citizen-portal")
    assert "AT-2" not in departures
    score = f"{total - len(departures) - 1} / {total}"
    assert f"結果：{score} 要件が模範解答と一致" in result
    course_page = client.get(f"/courses/{course}").data.decode()
    assert f"模範解答と一致：{score} 要件" in course_page

    # The sandbox is the trainee's: not in procurement lists, not visible to a colleague.
    assert f"/projects/{mine}/" not in colleague.get("/").data.decode()
    assert colleague.get(f"/projects/{mine}/steps/purpose").status_code == 404
    with app.extensions["sbd"]["sessions"]() as session:
        project = session.get(Project, mine)
        assert project is not None and project.kind == "training" and project.course_id == course
        assert session.scalars(select(Project.kind).where(Project.kind == "procurement")).all() == []
    # The trainer follows every trainee's progress.
    progress = trainer.get(f"/courses/{course}").data.decode()
    assert "受講者の練習" in progress and "officer 職員" in progress and f"{score} 要件" in progress
    # A closed course takes no new copies.
    trainer.post(f"/courses/{course}/close")
    closed = client.post(f"/courses/{course}/samples/{sample}/copy", follow_redirects=True)
    assert "この研修は終了しています" in closed.data.decode()


def _course_with_sample(trainer: FlaskClient, **form: str) -> tuple[int, int]:
    created = trainer.post("/courses", data={"name": "SBD演習", **form})
    course = int(created.headers["Location"].rsplit("/", 1)[1])
    trainer.post(f"/courses/{course}/samples", data={"sample": "shipped:citizen-portal"})
    page = trainer.get(f"/courses/{course}").data.decode()
    return course, int(re.search(r"/samples/(\d+)/copy", page).group(1))  # type: ignore[union-attr]


def test_a_practice_copy_starts_without_the_model_decisions(app: Flask, client: FlaskClient) -> None:
    """Issue 17, defect 5: the copy took the sample's decisions too, so the check said 34 / 34 at once."""
    trainer = signed_in(app, "trainer", "trainer")
    course, sample = _course_with_sample(trainer)
    copied = client.post(f"/courses/{course}/samples/{sample}/copy")
    mine = int(copied.headers["Location"].split("/")[2])
    with app.extensions["sbd"]["sessions"]() as session:
        project = session.get(Project, mine)
        model = session.get(Project, sample)
        assert project is not None and model is not None and model.answers.get("decisions")
        assert "decisions" not in project.answers and "responsibilities" not in project.answers
        assert project.answers["answers"] == model.answers["answers"], "the answers are the sample's"
        assert project.answers.get("parameters") == model.answers.get("parameters")
        assert not project.visited.get("decisions") and project.visited.get("questions")
    total, departures = model_departures("citizen-portal")
    assert departures, "the example's model departs from some proposals"
    page = client.get(f"/courses/{course}").data.decode()
    assert f"模範解答と一致：{total - len(departures)} / {total} 要件" in page
    assert f"{total} / {total}" not in page


def test_a_course_can_start_copies_blank_from_step_4(app: Flask, client: FlaskClient) -> None:
    trainer = signed_in(app, "trainer", "trainer")
    course, sample = _course_with_sample(trainer, blank="y")
    page = client.get(f"/courses/{course}").data.decode()
    assert "サンプルの手順1〜3（業務と図）だけをコピーします" in page
    mine = int(client.post(f"/courses/{course}/samples/{sample}/copy").headers["Location"].split("/")[2])
    with app.extensions["sbd"]["sessions"]() as session:
        project = session.get(Project, mine)
        model = session.get(Project, sample)
        assert project is not None and model is not None
        for key in ("answers", "decisions", "responsibilities", "document", "parameters"):
            assert key not in project.answers, key
        assert project.answers["project"]["tasks"] == model.answers["project"]["tasks"]
        assert project.answers["diagram"] == model.answers["diagram"]
        assert set(project.visited) <= {"purpose", "features", "diagram"}
    assert "模範解答と一致：" not in client.get(f"/courses/{course}").data.decode(), "nothing to score yet"
    # The trainer turns it off: later copies take the sample's answers again (never its decisions).
    trainer.post(f"/courses/{course}/settings", data={})
    assert "サンプルの回答をコピーします" in client.get(f"/courses/{course}").data.decode()
    again = int(client.post(f"/courses/{course}/samples/{sample}/copy").headers["Location"].split("/")[2])
    with app.extensions["sbd"]["sessions"]() as session:
        copied = session.get(Project, again)
        assert copied is not None and "answers" in copied.answers and "decisions" not in copied.answers
