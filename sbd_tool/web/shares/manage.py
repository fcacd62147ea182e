"""The officer's page of a project's bidder links: create one (its URL shown once), list them
with their use and the access log, revoke one."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import Project, ShareAccess, ShareLink, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.shares.blueprint import bp
from sbd_tool.web.shares.forms import ShareForm
from sbd_tool.web.shares.links import digest, link_state, serializer, shown_revision
from sbd_tool.web.store import db, get_project


def _links(project: Project) -> list[tuple[ShareLink, int, dt.datetime | None]]:
    counts = dict(
        db()
        .execute(
            select(ShareAccess.link_id, func.count())
            .join(ShareLink)
            .where(ShareLink.project_id == project.id, ShareAccess.what.in_(("page", "xlsx")))
            .group_by(ShareAccess.link_id)
        )
        .all()
    )
    last = dict(
        db()
        .execute(
            select(ShareAccess.link_id, func.max(ShareAccess.at))
            .join(ShareLink)
            .where(ShareLink.project_id == project.id)
            .group_by(ShareAccess.link_id)
        )
        .all()
    )
    links = db().scalars(select(ShareLink).where(ShareLink.project_id == project.id).order_by(ShareLink.id.desc()))
    return [(link, counts.get(link.id, 0), last.get(link.id)) for link in links]


@bp.route("/projects/<int:project_id>/shares", methods=["GET", "POST"])
@rule("project:share")
def shares(project_id: int) -> BaseResponse | tuple[str, int] | str:
    """The project's bidder links: create, list with their use, revoke; and the access log."""
    project = get_project(project_id)
    form = ShareForm()
    if request.method == "POST":
        if form.validate():
            secret = secrets.token_urlsafe(24)
            link = ShareLink(
                project_id=project.id,
                label=form.label.data,
                secret_hash=digest(secret),
                created_by=user().id,
                expires_at=utcnow() + dt.timedelta(days=form.days.data or 14),
            )
            db().add(link)
            db().flush()
            audit.record(db(), "share_create", project_id=project.id, link=link.id, days=form.days.data)
            db().commit()
            token = serializer().dumps({"l": link.id, "s": secret})
            # Shown once, on the page the redirect leads to (a reload then creates nothing).
            session["new_share_url"] = url_for(".bidder_page", token=token, _external=True)
            return redirect(url_for(".shares", project_id=project.id))
        return _shares_page(project, form, None), 400
    new_url = session.pop("new_share_url", None)
    return _shares_page(project, form, new_url)


def _shares_page(project: Project, form: ShareForm, new_url: str | None) -> str:
    log = list(
        db().scalars(
            select(ShareAccess)
            .join(ShareLink)
            .where(ShareLink.project_id == project.id)
            .order_by(ShareAccess.id.desc())
            .limit(200)
        )
    )
    return render_template(
        "shares/index.html",
        project=project,
        form=form,
        links=_links(project),
        new_url=new_url,
        log=log,
        state=link_state,
        shown=shown_revision(project),
    )


@bp.post("/projects/<int:project_id>/shares/<int:link_id>/revoke")
@rule("project:share")
def revoke(project_id: int, link_id: int) -> BaseResponse:
    project = get_project(project_id)
    link = db().get(ShareLink, link_id)
    if link is None or link.project_id != project.id:
        abort(404)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(db(), "share_revoke", project_id=project.id, link=link.id)
        db().commit()
    flash(
        gettext("「%(name)s」への共有リンクを取り消しました。このリンクでは、もう閲覧できません。", name=link.label),
        "success",
    )
    return redirect(url_for(".shares", project_id=project.id))
