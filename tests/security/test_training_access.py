"""Issue 12 item 9: an officer's practice project (sandbox) is private. Only its owner and, once
it is a copy in a course, that course's trainers may see it; no trainer may edit it, publish it in
a course or make it a model answer. Course material is the trainers' own training projects or the
shipped samples."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import CourseSample, Project
from tests.accounts import add_user
from tests.security.parallel import signed_in


def _pid(response: object) -> int:
    return int(response.headers["Location"].split("/")[2])  # type: ignore[attr-defined]


def _world(app: Flask) -> tuple[FlaskClient, FlaskClient, FlaskClient, int]:
    add_user(app, "trainer", role="trainer")
    add_user(app, "officer")
    add_user(app, "trainee")
    [trainer], [officer], [trainee] = (signed_in(app, name) for name in ("trainer", "officer", "trainee"))
    created = trainer.post("/courses", data={"name": "SBD研修", "description": ""})
    assert created.status_code == 302
    course = int(created.headers["Location"].rsplit("/", 1)[1])
    return trainer, officer, trainee, course


def _samples(app: Flask, course: int) -> set[int]:
    with app.extensions["sbd"]["sessions"]() as session:
        return set(session.scalars(select(CourseSample.project_id).where(CourseSample.course_id == course)))


def _project(app: Flask, pid: int) -> Project:
    with app.extensions["sbd"]["sessions"]() as session:
        found = session.get(Project, pid)
        assert found is not None
        return found


def test_a_trainer_can_neither_see_nor_publish_an_officers_sandbox(app: Flask) -> None:
    trainer, officer, trainee, course = _world(app)
    sandbox = _pid(officer.post("/projects/sample/internal-small"))
    assert trainer.post(f"/courses/{course}/samples", data={"sample": str(sandbox)}).status_code == 400
    assert sandbox not in _samples(app, course)
    assert trainer.post(f"/projects/{sandbox}/model-answer").status_code == 404
    assert not _project(app, sandbox).model_answer
    for page in ("steps/purpose", "review", "what-if", "export", "history"):
        assert trainer.get(f"/projects/{sandbox}/{page}").status_code == 404, page
    assert trainer.post(f"/projects/{sandbox}/duplicate").status_code == 404
    assert f"/projects/{sandbox}/" not in trainer.get("/").data.decode()
    assert f"/projects/{sandbox}/" not in trainee.get("/").data.decode()
    assert f"/projects/{sandbox}/" in officer.get("/").data.decode(), "the owner still has it"
    # The trainer's own training project is course material and may be a model answer.
    own = _pid(trainer.post("/projects/sample/internal-small"))
    assert trainer.post(f"/projects/{own}/model-answer").status_code == 302 and _project(app, own).model_answer
    assert trainer.post(f"/courses/{course}/samples", data={"sample": str(own)}).status_code == 302
    assert trainer.post(f"/courses/{course}/samples", data={"sample": "shipped:citizen-portal"}).status_code == 302
    assert own in _samples(app, course) and len(_samples(app, course)) == 2


def test_a_trainees_course_copy_is_read_only_for_the_courses_trainers(app: Flask) -> None:
    trainer, officer, trainee, course = _world(app)
    assert trainer.post(f"/courses/{course}/samples", data={"sample": "shipped:internal-small"}).status_code == 302
    [sample] = _samples(app, course)
    copy_ = _pid(officer.post(f"/courses/{course}/samples/{sample}/copy"))
    assert _project(app, copy_).course_id == course
    page = trainer.get(f"/courses/{course}").data.decode()
    assert f"/projects/{copy_}/review" in page, "the trainer follows the trainee's progress (read-only)"
    assert f"/projects/{copy_}/steps" not in page
    assert trainer.get(f"/projects/{copy_}/review").status_code == 200
    assert trainer.get(f"/projects/{copy_}/what-if").status_code == 200
    assert trainer.get(f"/projects/{copy_}/steps/decisions").status_code == 403
    assert trainer.post(f"/projects/{copy_}/model-answer").status_code == 403
    assert not _project(app, copy_).model_answer
    assert trainer.post(f"/courses/{course}/samples", data={"sample": str(copy_)}).status_code == 400
    assert _samples(app, course) == {sample}
    # Other trainees never see it.
    assert trainee.get(f"/projects/{copy_}/review").status_code == 404
    assert f"/projects/{copy_}/" not in trainee.get(f"/courses/{course}").data.decode()


def test_a_sandbox_published_before_the_fix_is_not_offered_to_trainees(app: Flask) -> None:
    """Rows written by the old rule stay in the database: they are still not shown or copied."""
    trainer, officer, trainee, course = _world(app)
    sandbox = _pid(officer.post("/projects/sample/citizen-portal"))
    with app.extensions["sbd"]["sessions"]() as session:
        found = session.get(Project, sandbox)
        assert found is not None
        found.model_answer = True
        session.add(CourseSample(course_id=course, project_id=sandbox, position=0))
        session.commit()
    name = _project(app, sandbox).name
    listed = trainee.get(f"/courses/{course}").data.decode()
    assert f"/samples/{sandbox}/copy" not in listed and name not in listed
    assert trainee.post(f"/courses/{course}/samples/{sandbox}/copy").status_code == 404
    own = _pid(trainee.post("/projects/sample/internal-small"))
    assert name not in trainee.get(f"/projects/{own}/compare").data.decode(), "not offered as a model answer"
    assert name not in trainee.get(f"/projects/{own}/compare?model={sandbox}").data.decode()
