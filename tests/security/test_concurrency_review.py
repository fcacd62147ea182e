"""Issue 12 item 7: submitting and deciding a review are atomic. Parallel submits leave exactly one
review pending (no unique-key 500); an approval racing a resubmission is reported and audited as
what really happened. Shares end some time after their review is decided."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from sbd_tool.storage.models import AuditEvent, ProjectShare, Review
from tests.accounts import add_user
from tests.security.parallel import signed_in, together
from tests.web.test_review import import_example

APPROVED = "第1版を承認しました"
TOO_LATE = "このレビューは既に決定されたか、再依頼により別の版に替わっています"


def _setup(app: Flask, officers: int = 1, advisers: int = 1) -> tuple[list[FlaskClient], list[FlaskClient], int]:
    add_user(app, "officer")
    for i in range(advisers):
        add_user(app, f"adviser{i}", role="adviser", display_name=f"相談{i}")
    tabs = signed_in(app, "officer", officers)
    reviewers = [signed_in(app, f"adviser{i}")[0] for i in range(advisers)]
    return tabs, reviewers, import_example(tabs[0])


def _adviser_ids(tab: FlaskClient, pid: int) -> list[str]:
    page = tab.get(f"/projects/{pid}/submit").data.decode()
    return re.findall(r'<option value="(\d+)">相談\d', page)


def _rows(app: Flask, pid: int) -> tuple[list[Review], list[ProjectShare], list[str]]:
    with app.extensions["sbd"]["sessions"]() as session:
        reviews = list(session.scalars(select(Review).where(Review.project_id == pid).order_by(Review.id)))
        shares = list(session.scalars(select(ProjectShare).where(ProjectShare.project_id == pid)))
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    return reviews, shares, actions


def test_parallel_submits_leave_exactly_one_review_pending(app: Flask) -> None:
    tabs, _, pid = _setup(app, officers=6, advisers=2)
    advisers = _adviser_ids(tabs[0], pid)
    for round_ in range(3):
        forms = [{"adviser": advisers[i % 2], "message": f"{round_}-{i}"} for i in range(len(tabs))]
        calls = [partial(tab.post, f"/projects/{pid}/submit", data=form) for tab, form in zip(tabs, forms, strict=True)]
        assert [r.status_code for r in together(calls)] == [302] * len(tabs)
        reviews, shares, actions = _rows(app, pid)
        pending = [r for r in reviews if r.status == "pending"]
        assert len(pending) == 1, [(r.id, r.status) for r in reviews]
        assert {r.status for r in reviews} <= {"pending", "superseded"}
        assert actions.count("review_submit") == len(reviews), "every submission that happened is audited"
        live = [s for s in shares if s.expires_at is None]
        assert [s.user_id for s in live] == [pending[0].adviser_id], "only the pending review's share is open-ended"


class Interleave:
    """Make the probe's interleaving happen every time: the submitting request pauses right after
    its first statement on the review table (up to ``WAIT`` seconds) while the approval runs
    from start to end. If the submit holds a lock the approval needs, the pause just times out."""

    WAIT = 0.5

    def __init__(self, app: Flask) -> None:
        self.engine = app.extensions["sbd"]["engine"]
        self.local = threading.local()
        self.read, self.decided = threading.Event(), threading.Event()

    def __enter__(self) -> Interleave:
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if getattr(self.local, "submitting", False) and " review" in statement and not self.read.is_set():
            self.read.set()
            self.decided.wait(self.WAIT)

    def submit(self, call: Callable[[], Any]) -> Any:
        self.read.clear()
        self.decided.clear()
        self.local.submitting = True
        try:
            return call()
        finally:
            self.local.submitting = False
            self.read.set()

    def decide(self, call: Callable[[], Any]) -> Any:
        self.read.wait(5)
        try:
            return call()
        finally:
            self.decided.set()


def test_an_approval_racing_a_resubmission_reports_what_happened(app: Flask) -> None:
    """Whichever lands first wins, and each side is told and audited what really happened: an
    approval that wins leaves the revision approved and the resubmission refused (nothing left to
    review); a resubmission that wins supersedes the review and the approval is refused."""
    tabs, [adviser], _ = _setup(app)
    for _ in range(2):
        pid = import_example(tabs[0])
        [adviser_id] = _adviser_ids(tabs[0], pid)
        assert tabs[0].post(f"/projects/{pid}/submit", data={"adviser": adviser_id}).status_code == 302
        with Interleave(app) as interleave:
            reviews, _, before = _rows(app, pid)
            review = next(r for r in reviews if r.status == "pending")
            approve = partial(adviser.post, f"/projects/{pid}/reviews/{review.id}/decide",
                              data={"action": "approve", "revision": str(review.revision_number)},
                              follow_redirects=True)  # fmt: skip
            resubmit = partial(tabs[0].post, f"/projects/{pid}/submit", data={"adviser": adviser_id},
                               follow_redirects=True)  # fmt: skip
            decided, submitted = together([partial(interleave.decide, approve), partial(interleave.submit, resubmit)])
        assert submitted.status_code == 200
        told, answered = decided.data.decode(), submitted.data.decode()
        reviews, _, after = _rows(app, pid)
        final = next(r for r in reviews if r.id == review.id).status
        audited = after[len(before) :]
        statuses = [r.status for r in reviews]
        if APPROVED in told:
            assert final == "approved" and audited.count("review_approve") == 1, "reported approved, so approved"
            assert "既に承認されています" in answered and "review_submit" not in audited
            assert statuses.count("pending") == 0, "nothing left to review"
        else:
            assert TOO_LATE in told
            assert final == "superseded" and "review_approve" not in audited, "refused, so not audited"
            assert "レビューを依頼しました" in answered and audited.count("review_submit") == 1
            assert statuses.count("pending") == 1, "the resubmission is the one pending"


def test_a_share_ends_some_days_after_its_review_is_decided(app: Flask) -> None:
    app.config["SHARE_DAYS_AFTER_REVIEW"] = 7
    tabs, [adviser], pid = _setup(app)
    [adviser_id] = _adviser_ids(tabs[0], pid)
    assert tabs[0].post(f"/projects/{pid}/submit", data={"adviser": adviser_id}).status_code == 302
    [review], [share], _ = _rows(app, pid)
    assert share.expires_at is None, "open while the review is pending"
    decided = adviser.post(f"/projects/{pid}/reviews/{review.id}/decide", data={"action": "return", "revision": "1",
                           "note": "直してください。"}, follow_redirects=True)  # fmt: skip
    assert "第1版を差し戻しました" in decided.data.decode()
    _, [share], _ = _rows(app, pid)
    assert share.expires_at is not None
    expires = share.expires_at.replace(tzinfo=dt.UTC) if share.expires_at.tzinfo is None else share.expires_at
    left = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=6, hours=23) < left <= dt.timedelta(days=7)
    assert tabs[0].post(f"/projects/{pid}/submit", data={"adviser": adviser_id}).status_code == 302
    _, [share], _ = _rows(app, pid)
    assert share.expires_at is None, "a new review to the same adviser opens the share again"
