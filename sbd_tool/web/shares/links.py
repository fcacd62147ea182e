"""The bidder link itself: the signed token, the stored digest of its secret, its state (active,
expired, revoked), and opening a token (checked and, when refused, logged). A link shows the
newest approved revision, else the newest revision.

The URL carries ``itsdangerous``-signed ``{link id, secret}``; the database keeps only a SHA-256
of the secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from sbd_tool.storage.models import Project, Revision, ShareAccess, ShareLink, utcnow
from sbd_tool.web import audit
from sbd_tool.web.marks import N_
from sbd_tool.web.review.queries import approved_review
from sbd_tool.web.store import db, get_revision


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sbd-bidder-link")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def link_state(link: ShareLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if _aware(link.expires_at) <= utcnow() else "active"


def shown_revision(project: Project) -> Revision:
    """The newest approved revision, else the newest."""
    approved = approved_review(project)
    return get_revision(project, approved.revision_number if approved else project.version)


class Refused(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        self.status, self.title, self.message = status, title, message


def open_link(token: str) -> tuple[ShareLink, Project]:
    """The link a token names, after checking signature, secret, expiry and revocation (logged)."""
    try:
        data = serializer().loads(token)
        link = db().get(ShareLink, int(data["l"]))
        secret = str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        link, secret = None, ""
    if link is None or not hmac.compare_digest(link.secret_hash, digest(secret)):
        raise Refused(404, N_("見つかりません"), N_("このリンクは正しくありません。共有した担当者に確認してください。"))
    project = db().get(Project, link.project_id)
    if project is None or project.deleted_at is not None or project.kind != "procurement":
        raise Refused(404, N_("見つかりません"), N_("この案件は公開されていません。共有した担当者に確認してください。"))
    state = link_state(link)
    if state != "active":
        db().add(ShareAccess(link_id=link.id, address=audit.client_address(), what=f"refused-{state}",
                             user_agent=(request.user_agent.string or "")[:200]))  # fmt: skip
        db().commit()
        if state == "revoked":
            raise Refused(410, N_("取り消されたリンクです"), N_("このリンクは共有した担当者によって取り消されました。"))
        raise Refused(
            410,
            N_("有効期限が切れたリンクです"),
            N_("このリンクの有効期限が切れています。共有した担当者に新しいリンクを依頼してください。"),
        )
    return link, project
