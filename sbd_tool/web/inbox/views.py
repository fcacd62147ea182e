"""The inbox pages (お知らせ): a user's notifications (``sbd_tool.web.notifications``), newest first.

Opening one marks it read and leads to its place (the review page, at the comment); 「すべて既読に
する」 marks them all read. The header shows the unread count (templates/_inbox_link.html): one
query per page on the (user_id, read_at) index, made only when the header is drawn.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select, update
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Notification, Project, utcnow
from sbd_tool.web.access import current_user, rule, user
from sbd_tool.web.notifications import target_url
from sbd_tool.web.store import db

bp = Blueprint("inbox", __name__, url_prefix="/inbox", template_folder="templates")
PAGE = 50


def unread_count() -> int:
    """The signed-in user's unread notifications (0 when nobody is signed in); once per request."""
    who = current_user()
    if who is None:
        return 0
    if "inbox_unread" not in g:
        query = select(func.count()).where(Notification.user_id == who.id, Notification.read_at.is_(None))
        g.inbox_unread = int(db().scalar(query) or 0)
    return int(g.inbox_unread)


@bp.app_context_processor
def _inbox_context() -> dict[str, Any]:
    return {"inbox_unread": unread_count}


@bp.get("")
@rule("signed_in")
def index() -> str:
    """Newest first, a page of 50 at a time (``?before=<id>`` for older ones)."""
    before = request.args.get("before", "")
    query = (
        select(Notification, Project.name, Project.deleted_at)
        .join(Project, Project.id == Notification.project_id)
        .where(Notification.user_id == user().id)
    )
    if before.isdigit():
        query = query.where(Notification.id < int(before))
    found = list(db().execute(query.order_by(Notification.id.desc()).limit(PAGE + 1)))
    older = found[PAGE - 1][0].id if len(found) > PAGE else None
    return render_template("inbox/index.html", entries=found[:PAGE], older=older, first_page=not before)


@bp.get("/<int:notification_id>")
@rule("signed_in")
def open_notification(notification_id: int) -> BaseResponse:
    """Mark read and go to the place it is about; someone else's notification does not exist."""
    found = db().get(Notification, notification_id)
    if found is None or found.user_id != user().id:
        abort(404)
    if found.read_at is None:
        found.read_at = utcnow()
        db().commit()
    return redirect(target_url(found))


@bp.post("/read")
@rule("signed_in")
def read_all() -> BaseResponse:
    db().execute(
        update(Notification)
        .where(Notification.user_id == user().id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db().commit()
    flash(gettext("すべてのお知らせを既読にしました。"), "success")
    return redirect(url_for(".index"))
