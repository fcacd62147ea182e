"""The request path (issue 16): the language worked out once per request, the review banner in
one query with the same answer as before, the Word template's styles read once per worker."""

from __future__ import annotations

import datetime as dt

from flask import Flask, g

from sbd_tool.storage.models import Comment, Project, Review, User
from sbd_tool.web import banners, i18n
from sbd_tool.web.review import queries as review_queries
from sbd_tool.web.store import db
from tests.accounts import add_user
from tests.web.test_lists import add_projects


def test_the_language_is_worked_out_once_per_request(app: Flask) -> None:
    with app.test_request_context(headers={"Cookie": f"{i18n.COOKIE}=en"}):
        assert i18n.language() == "en" and g.sbd_language[1] == "en"
        g.sbd_language = (g.sbd_language[0], "ja")  # what is kept is what is used
        assert i18n.language() == "ja"
    with app.test_request_context():
        assert i18n.language() == "ja"
    assert i18n.language() == "ja"  # outside a request


def test_the_review_banner_in_one_query_says_what_two_did(app: Flask) -> None:
    add_user(app, "officer")
    adviser = add_user(app, "adviser", role="adviser")
    quiet, busy = add_projects(app, ["レビューなし", "レビューあり"])
    with app.extensions["sbd"]["sessions"]() as session:
        officer = session.query(User).filter_by(username="officer").one()
        day = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        for n, status in enumerate(("approved", "superseded", "approved", "returned")):
            session.add(Review(project_id=busy, revision_number=n + 1, adviser_id=adviser, submitted_by=officer.id,
                               message="", status=status, decision_note="", submitted_at=day,
                               decided_at=day + dt.timedelta(days=n) if status == "approved" else None))  # fmt: skip
        session.add_all([
            Comment(project_id=busy, author_id=adviser, revision_number=1, body="未解決"),
            Comment(project_id=busy, author_id=adviser, revision_number=1, body="解決済み", resolved_at=day),
        ])  # fmt: skip
        session.commit()
    for pid in (quiet, busy):
        with app.test_request_context():
            project = db().get(Project, pid)
            assert project is not None
            assert banners.review_summary(project) == review_queries.review_summary(project)
    with app.test_request_context():
        project = db().get(Project, busy)
        assert project is not None
        latest, approved, count = banners.review_summary(project)
        assert latest is not None and latest.status == "returned" and count == 1
        assert approved is not None and approved.revision_number == 3
