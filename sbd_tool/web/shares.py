"""Read-only links for bidders: created by an officer, signed, expiring, revocable, logged.

The URL carries ``itsdangerous``-signed ``{link id, secret}``; the database keeps only a SHA-256
of the secret. A link shows the newest approved revision (else the newest revision) through the
bidder's view: levels, clauses, why, expected evidence and example measures — never comments,
review notes or audit data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from sbd_tool.answers.obligations import obligation_label
from sbd_tool.assessment import assess, specification
from sbd_tool.dates import japan_date
from sbd_tool.document.bidder import bidder_cloud, bidder_qualifications, bidder_requirements
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.storage.models import Project, Revision, ShareAccess, ShareLink, utcnow
from sbd_tool.web import audit
from sbd_tool.web.access import rule, user
from sbd_tool.web.downloads import ascii_filename, attachment, document_filename
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.marks import N_
from sbd_tool.web.review import approved_review
from sbd_tool.web.store import catalogue_of, db, get_project, get_revision

bp = Blueprint("shares", __name__)
MAX_DAYS = 90


class ShareForm(CleanForm):
    label = StringField(
        lazy_gettext("共有先（事業者名など、一覧で見分けるため）"),
        validators=[
            DataRequired(lazy_gettext("共有先を入力してください。")),
            Length(max=200, message=lazy_gettext("200文字以内にしてください。")),
        ],
    )
    days = IntegerField(
        lazy_gettext("有効期間（日）"),
        default=14,
        validators=[
            DataRequired(lazy_gettext("有効期間を日数で入力してください。")),
            NumberRange(
                min=1, max=MAX_DAYS, message=lazy_gettext("有効期間は1〜%(days)s日にしてください。", days=MAX_DAYS)
            ),
        ],
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sbd-bidder-link")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def link_state(link: ShareLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if _aware(link.expires_at) <= utcnow() else "active"


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
                secret_hash=_digest(secret),
                created_by=user().id,
                expires_at=utcnow() + dt.timedelta(days=form.days.data or 14),
            )
            db().add(link)
            db().flush()
            audit.record(db(), "share_create", project_id=project.id, link=link.id, days=form.days.data)
            db().commit()
            token = _serializer().dumps({"l": link.id, "s": secret})
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
        shown=_shown_revision(project),
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


def _shown_revision(project: Project) -> Revision:
    """The newest approved revision, else the newest."""
    approved = approved_review(project)
    return get_revision(project, approved.revision_number if approved else project.version)


class _Refused(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        self.status, self.title, self.message = status, title, message


def _open(token: str) -> tuple[ShareLink, Project]:
    """The link a token names, after checking signature, secret, expiry and revocation (logged)."""
    try:
        data = _serializer().loads(token)
        link = db().get(ShareLink, int(data["l"]))
        secret = str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        link, secret = None, ""
    if link is None or not hmac.compare_digest(link.secret_hash, _digest(secret)):
        raise _Refused(
            404, N_("見つかりません"), N_("このリンクは正しくありません。共有した担当者に確認してください。")
        )
    project = db().get(Project, link.project_id)
    if project is None or project.deleted_at is not None or project.kind != "procurement":
        raise _Refused(
            404, N_("見つかりません"), N_("この案件は公開されていません。共有した担当者に確認してください。")
        )
    state = link_state(link)
    if state != "active":
        db().add(ShareAccess(link_id=link.id, address=audit.client_address(), what=f"refused-{state}",
                             user_agent=(request.user_agent.string or "")[:200]))  # fmt: skip
        db().commit()
        if state == "revoked":
            raise _Refused(
                410, N_("取り消されたリンクです"), N_("このリンクは共有した担当者によって取り消されました。")
            )
        raise _Refused(
            410,
            N_("有効期限が切れたリンクです"),
            N_("このリンクの有効期限が切れています。共有した担当者に新しいリンクを依頼してください。"),
        )
    return link, project


def _log(link: ShareLink, project: Project, what: str, number: int) -> None:
    db().add(ShareAccess(link_id=link.id, address=audit.client_address(), what=what, revision_number=number,
                         user_agent=(request.user_agent.string or "")[:200]))  # fmt: skip
    audit.record(db(), "bidder_view", project_id=project.id, username=f"link:{link.id}", link=link.id, what=what)
    db().commit()


def _evaluated(revision: Revision) -> Any:
    """What the bidder page shows of a revision, or None when it is not ready for a spec (``assess``)."""
    assessment = assess(catalogue_of(revision), revision.answers)
    if not assessment.ready:
        return None
    return assessment.answers, assessment.evaluation, specification(assessment, japan_date(revision.created_at))


def _shared(token: str, what: str) -> tuple[Project, Revision, Any, Any] | tuple[str, int]:
    """What a link shows, with its use logged; or the page that refuses it."""
    try:
        link, project = _open(token)
    except _Refused as refused:
        return render_template("errors/error.html", title=refused.title, message=refused.message), refused.status
    revision = _shown_revision(project)
    built = _evaluated(revision)
    if built is None:
        message = N_("この案件の仕様はまだ完成していません。")
        return render_template("errors/error.html", title=N_("準備中です"), message=message), 409
    _log(link, project, what, revision.number)
    return project, revision, built[1], built[2]


@bp.app_template_global()
def obligation_mark(clause: object) -> str:
    """「【必須】」 or 「【提案】」 before a printed clause (the spec's own mark; spec text stays Japanese)."""
    return f"【{obligation_label(getattr(clause, 'obligation', 'required'))}】"


@bp.get("/bid/<token>")
@rule("public")
def bidder_page(token: str) -> Any:
    shared = _shared(token, "page")
    if len(shared) == 2:
        return shared
    project, revision, evaluation, model = shared
    return render_template(
        "shares/bidder.html",
        model=model,
        requirements=bidder_requirements(catalogue_of(revision), evaluation, model),
        cloud=bidder_cloud(model),
        qualifications=bidder_qualifications(model),
        revision=revision,
        approved=approved_review(project, revision.number),
        token=token,
    )


@bp.get("/bid/<token>/compliance.xlsx")
@rule("public")
def bidder_matrix(token: str) -> Any:
    shared = _shared(token, "xlsx")
    if len(shared) == 2:
        return shared
    project, revision, _evaluation, model = shared
    name = document_filename(project.name, "対応表", revision.number, "xlsx")
    return attachment(compliance_xlsx(model), name, ascii_filename("matrix", project.id, revision.number, "xlsx"))


def bidder_headers(response: Response) -> Response:
    """Token pages: never cached, never indexed, and the token never leaves in a Referer."""
    if request.endpoint in ("shares.bidder_page", "shares.bidder_matrix"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(bidder_headers)
