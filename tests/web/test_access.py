"""The authorisation matrix: every route of the app × every kind of user, allowed or refused.

The expected table below is written by hand, independently of ``sbd_tool.web.access``. A route
added to the app without a row here fails ``test_every_route_is_in_the_matrix``; a route without
an access rule in the app is refused for everyone and fails its row.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from sbd_tool.storage.models import (
    CatalogueRelease,
    Comment,
    Course,
    CourseSample,
    Notification,
    Project,
    ProjectShare,
    Review,
    Revision,
    ShareLink,
    User,
    utcnow,
)
from tests.accounts import add_user, login
from tests.conftest import example_data
from tests.web.conftest import make_app

ACTORS = ("anonymous", "officer", "officer_other_org", "adviser", "adviser_not_shared", "trainer", "admin")
SIGNED_IN = frozenset(ACTORS) - {"anonymous"}
EVERYONE = frozenset(ACTORS)
OFFICER = frozenset({"officer"})
READERS = frozenset({"officer", "adviser"})
CREATORS = frozenset({"officer", "officer_other_org", "trainer"})
ADMIN = frozenset({"admin"})
TRAINER = frozenset({"trainer"})

# (endpoint, method) → (which project the URL names, who is allowed)
MATRIX: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("auth.login", "GET"): ("-", EVERYONE),
    ("auth.login", "POST"): ("-", EVERYONE),
    ("auth.logout", "POST"): ("-", SIGNED_IN),
    ("auth.password", "GET"): ("-", SIGNED_IN),
    ("auth.password", "POST"): ("-", SIGNED_IN),
    ("projects.index", "GET"): ("-", SIGNED_IN),
    ("projects.create", "POST"): ("-", CREATORS),
    ("projects.from_sample", "POST"): ("-", CREATORS),
    ("projects.import_file", "GET"): ("-", CREATORS),
    ("projects.import_file", "POST"): ("-", CREATORS),
    ("projects.trash", "GET"): ("-", SIGNED_IN),
    ("projects.duplicate", "POST"): ("procurement", OFFICER),
    ("projects.model_answer", "POST"): ("training", frozenset({"trainer"})),
    ("projects.export", "GET"): ("procurement", READERS),
    ("projects.delete", "GET"): ("procurement", OFFICER),
    ("projects.delete", "POST"): ("procurement", OFFICER),
    ("projects.restore", "POST"): ("trashed", OFFICER),
    ("wizard.step", "GET"): ("procurement", OFFICER),
    ("wizard.step", "POST"): ("procurement", OFFICER),
    ("wizard.diagram_preview", "POST"): ("procurement", OFFICER),
    ("wizard.diagram_picture", "GET"): ("procurement", OFFICER),
    ("wizard.save_draft", "POST"): ("procurement", OFFICER),
    ("wizard.discard_draft", "POST"): ("procurement", OFFICER),
    ("wizard.remove_task", "GET"): ("procurement", OFFICER),
    ("wizard.remove_task", "POST"): ("procurement", OFFICER),
    ("wizard.undo_task_removal", "POST"): ("procurement", OFFICER),
    ("clauses.edit", "GET"): ("procurement", OFFICER),
    ("clauses.edit", "POST"): ("procurement", OFFICER),
    ("clauses.save_draft", "POST"): ("procurement", OFFICER),
    ("clauses.discard_draft", "POST"): ("procurement", OFFICER),
    ("wizard.download", "GET"): ("procurement", READERS),
    ("wizard.download_matrix", "GET"): ("procurement", READERS),
    ("wizard.download_text", "GET"): ("procurement", READERS),
    ("wizard.what_if_page", "GET"): ("procurement", READERS),
    ("wizard.compare_page", "GET"): ("procurement", OFFICER),
    ("review.history", "GET"): ("procurement", READERS),
    ("review.compare", "GET"): ("procurement", READERS),
    ("review.revision_docx", "GET"): ("procurement", READERS),
    ("review.revision_html", "GET"): ("procurement", READERS),
    ("review.review", "GET"): ("procurement", READERS),
    ("review.restore", "GET"): ("procurement", OFFICER),
    ("review.restore", "POST"): ("procurement", OFFICER),
    ("review.submit", "GET"): ("procurement", OFFICER),
    ("review.submit", "POST"): ("procurement", OFFICER),
    ("review.comment", "POST"): ("procurement", READERS),
    ("review.resolve", "POST"): ("procurement", READERS),
    ("review.decide", "POST"): ("procurement", frozenset({"adviser"})),
    ("shares.shares", "GET"): ("procurement", OFFICER),
    ("shares.shares", "POST"): ("procurement", OFFICER),
    ("shares.revoke", "POST"): ("procurement", OFFICER),
    ("shares.bidder_page", "GET"): ("-", EVERYONE),
    ("shares.bidder_matrix", "GET"): ("-", EVERYONE),
    ("catalogue.index", "GET"): ("-", ADMIN),
    ("catalogue.index", "POST"): ("-", ADMIN),
    ("catalogue.release", "GET"): ("-", ADMIN),
    ("catalogue.activate", "POST"): ("-", ADMIN),
    ("catalogue.export", "GET"): ("-", ADMIN),
    ("catalogue.project_update", "GET"): ("procurement", OFFICER),
    ("catalogue.project_update", "POST"): ("procurement", OFFICER),
    ("i18n.switch", "GET"): ("-", EVERYONE),
    ("courses.index", "GET"): ("-", CREATORS),
    ("courses.index", "POST"): ("-", TRAINER),
    ("courses.course", "GET"): ("-", frozenset({"officer", "trainer"})),
    ("courses.add_sample", "POST"): ("-", TRAINER),
    ("courses.remove_sample", "POST"): ("-", TRAINER),
    ("courses.close", "POST"): ("-", TRAINER),
    ("courses.settings", "POST"): ("-", TRAINER),
    ("courses.copy_sample", "POST"): ("-", frozenset({"officer", "trainer"})),
    ("admin.users", "GET"): ("-", ADMIN),
    ("admin.new_user", "GET"): ("-", ADMIN),
    ("admin.new_user", "POST"): ("-", ADMIN),
    ("admin.edit_user", "GET"): ("-", ADMIN),
    ("admin.edit_user", "POST"): ("-", ADMIN),
    ("admin.unlock_user", "POST"): ("-", ADMIN),
    ("admin.organisations", "GET"): ("-", ADMIN),
    ("admin.organisations", "POST"): ("-", ADMIN),
    ("audit_log.audit_log", "GET"): ("-", ADMIN),
    ("audit_log.audit_csv", "GET"): ("-", ADMIN),
    ("inbox.index", "GET"): ("-", SIGNED_IN),
    ("inbox.open_notification", "GET"): ("-", OFFICER),  # the officer's own notification; anyone else: 404
    ("inbox.read_all", "POST"): ("-", SIGNED_IN),
}


@dataclass
class World:
    app: Flask
    ids: dict[str, int]  # projects, revision, review, comment, users


def make_world(app: Flask) -> World:
    """Two organisations, one of each kind of user, and projects in every state."""
    ids: dict[str, int] = {}
    for name, role, org in (
        ("officer", "officer", "テスト省"),
        ("officer_other_org", "officer", "別の庁"),
        ("adviser", "adviser", "テスト省"),
        ("adviser_not_shared", "adviser", "テスト省"),
        ("trainer", "trainer", "テスト省"),
        ("admin", "admin", None),
    ):
        ids[name] = add_user(app, name, role, org)
    data = json.loads(json.dumps(example_data("citizen-portal"), default=str))
    with app.extensions["sbd"]["sessions"]() as session:
        officer_org = session.get(User, ids["officer"]).organisation_id  # type: ignore[union-attr]
        visited = {
            s: True for s in ("purpose", "features", "diagram", "questions", "conditions", "decisions", "output")
        }
        for key, kind, creator, deleted in (
            ("procurement", "procurement", "officer", False),
            ("training", "training", "trainer", False),
            ("trashed", "procurement", "officer", True),
        ):
            project = Project(
                name=key, answers=copy.deepcopy(data), visited=visited, version=1, kind=kind,
                organisation_id=officer_org, created_by=ids[creator], deleted_at=utcnow() if deleted else None,
            )  # fmt: skip
            session.add(project)
            session.flush()
            session.add(Revision(project_id=project.id, number=1, answers=project.answers, visited=visited,
                                 content_version="test", author_id=ids[creator]))  # fmt: skip
            ids[key] = project.id
        pid = ids["procurement"]
        session.add(ProjectShare(project_id=pid, user_id=ids["adviser"]))
        review = Review(project_id=pid, revision_number=1, adviser_id=ids["adviser"], submitted_by=ids["officer"],
                        message="", status="pending", decision_note="")  # fmt: skip
        comment = Comment(project_id=pid, requirement="AT-1", author_id=ids["adviser"], revision_number=1, body="確認")
        link = ShareLink(project_id=pid, label="入札者", secret_hash=hashlib.sha256(b"s3cret").hexdigest(),
                         created_by=ids["officer"], expires_at=utcnow() + dt.timedelta(days=1))  # fmt: skip
        notice = Notification(user_id=ids["officer"], kind="review_approved", project_id=pid, actor_id=ids["adviser"])
        session.add_all([review, comment, link, notice])
        session.commit()
        ids["review"], ids["comment"], ids["link"] = review.id, comment.id, link.id
        ids["notification"] = notice.id
        ids["release"] = session.scalars(select(CatalogueRelease.id)).one()
        course = Course(organisation_id=officer_org, name="研修", description="", created_by=ids["trainer"])
        session.add(course)
        session.flush()
        session.add(CourseSample(course_id=course.id, project_id=ids["training"], position=0))
        session.commit()
        ids["course"] = course.id
    return World(app, ids)


def url_for_row(world: World, endpoint: str, project: str) -> str:
    ids = world.ids
    serializer = URLSafeSerializer(world.app.config["SECRET_KEY"], salt="sbd-bidder-link")
    token = serializer.dumps({"l": ids["link"], "s": "s3cret"})
    args: dict[str, Any] = {}
    if project != "-":
        args["project_id"] = ids[project]
    extra = {
        "wizard.step": {"step": "purpose"},
        "wizard.save_draft": {"step": "purpose"},
        "wizard.discard_draft": {"step": "purpose"},
        "wizard.remove_task": {"index": 0},
        "clauses.edit": {"rid": "AT-1"},
        "clauses.save_draft": {"rid": "AT-1"},
        "clauses.discard_draft": {"rid": "AT-1"},
        "wizard.download_text": {"kind": "md"},
        "projects.from_sample": {"name": "internal-small"},
        "review.revision_docx": {"number": 1},
        "review.revision_html": {"number": 1},
        "review.restore": {"number": 1},
        "review.resolve": {"comment_id": ids["comment"]},
        "review.decide": {"review_id": ids["review"]},
        "inbox.open_notification": {"notification_id": ids["notification"]},
        "admin.edit_user": {"user_id": ids["officer"]},
        "admin.unlock_user": {"user_id": ids["officer"]},
        "review.compare": {"a": 1, "b": 1},
        "shares.revoke": {"link_id": ids["link"]},
        "i18n.switch": {"code": "en"},
        "courses.course": {"course_id": ids["course"]},
        "courses.add_sample": {"course_id": ids["course"]},
        "courses.remove_sample": {"course_id": ids["course"], "project_id": ids["training"]},
        "courses.close": {"course_id": ids["course"]},
        "courses.settings": {"course_id": ids["course"]},
        "courses.copy_sample": {"course_id": ids["course"], "project_id": ids["training"]},
        "catalogue.release": {"release_id": ids["release"]},
        "catalogue.activate": {"release_id": ids["release"]},
        "catalogue.export": {"release_id": ids["release"]},
        "shares.bidder_page": {"token": token},
        "shares.bidder_matrix": {"token": token},
    }
    args.update(extra.get(endpoint, {}))
    with world.app.test_request_context():
        return url_for(endpoint, **args)


FORM_DATA: dict[str, dict[str, str]] = {
    "review.decide": {"action": "approve", "revision": "1"},
    "review.comment": {"body": "テスト"},
}


def denied(response: Any) -> bool:
    if response.status_code == 302 and "/login?next=" in response.headers.get("Location", ""):
        return True
    return response.status_code in (401, 403, 404)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url, WTF_CSRF_ENABLED=False, TESTING=True)
    yield app
    app.extensions["sbd"]["engine"].dispose()


def client_for(app: Flask, actor: str) -> FlaskClient:
    client = app.test_client()
    if actor != "anonymous":
        login(client, actor)
    return client


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert routes - MATRIX.keys() == set(), "new routes need a row in MATRIX (and an access rule)"
    assert MATRIX.keys() - routes == set(), "MATRIX names routes the app no longer has"


@pytest.mark.parametrize("row", sorted(MATRIX), ids=lambda r: f"{r[0]}-{r[1]}")
def test_route_allows_exactly_its_users(app: Flask, row: tuple[str, str]) -> None:
    endpoint, method = row
    project, allowed = MATRIX[row]
    world = make_world(app)
    url = url_for_row(world, endpoint, project)
    # Refusals first (they must change nothing), then the allowed users (which may change things).
    for actor in sorted(ACTORS, key=lambda a: a in allowed):
        client = client_for(app, actor)
        data = FORM_DATA.get(endpoint, {})
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        verdict = "allowed" if not denied(response) else "refused"
        expected = "allowed" if actor in allowed else "refused"
        assert verdict == expected, (
            f"{method} {url} as {actor}: {response.status_code} {response.headers.get('Location')}"
        )


def test_projects_of_another_organisation_look_missing(app: Flask) -> None:
    """404 rather than 403, so a project number tells an outsider nothing."""
    world = make_world(app)
    client = client_for(app, "officer_other_org")
    page = client.get(f"/projects/{world.ids['procurement']}/steps/purpose")
    assert page.status_code == 404
    missing = client.get("/projects/999999/steps/purpose")

    # The same page, but for the path itself (the language switch links back to it).
    def masked(body: bytes) -> str:
        return re.sub(r"projects(/|%2F)\d+", "projects/N", body.decode())

    assert missing.status_code == 404 and masked(missing.data) == masked(page.data)


def test_lists_show_only_what_the_user_may_open(app: Flask) -> None:
    world = make_world(app)
    add_user(app, "colleague", "officer", "テスト省")
    listed = {
        actor: client_for(app, actor).get("/").data.decode()
        for actor in ("officer", "officer_other_org", "adviser", "adviser_not_shared", "trainer")
    }
    p, t = world.ids["procurement"], world.ids["training"]
    assert f"/projects/{p}/steps" in listed["officer"] and f"/projects/{t}/steps" not in listed["officer"]
    assert f"/projects/{p}/" not in listed["officer_other_org"]
    assert f"/projects/{p}/" in listed["adviser"] and "レビュー依頼" in listed["adviser"]
    assert f"/projects/{p}/" not in listed["adviser_not_shared"]
    assert f"/projects/{t}/steps" in listed["trainer"] and f"/projects/{p}/" not in listed["trainer"]
    # An officer's practice project (from a sample) is theirs alone.
    officer = client_for(app, "officer")
    sandbox = int(officer.post("/projects/sample/internal-small").headers["Location"].split("/")[2])
    assert f"/projects/{sandbox}/steps" in officer.get("/").data.decode()
    colleague = client_for(app, "colleague")
    assert f"/projects/{sandbox}/" not in colleague.get("/").data.decode()
    assert colleague.get(f"/projects/{sandbox}/steps/purpose").status_code == 404
