"""Notifications: who hears of what happens on a project, in the inbox and (optionally) by e-mail.

``notify`` is called by a review action just before it commits (sbd_tool/web/review/):

| event | who is told |
|---|---|
| review requested | the adviser it was submitted to |
| approved, returned with comments | the officer who submitted that review |
| a new comment on the project or a requirement | the officers who submitted the project for review |
| a reply to a comment | the comment's author and the others who replied in that thread |

Never the person who acted, and only users who may read the project now (``access.can_read``),
so a notification never leads to a page its reader is refused.

The inbox rows are added to the request's session, so they commit with the action (or not at all).
E-mail, where the server has SMTP settings (``settings._mail``) and the user an address, is sent
*after* the commit: the messages wait in the session until it commits (dropped on a rollback);
once the view has returned, a thread of their own sends them, so a slow or failing mail server
never delays or fails the request, and a failure is logged: the inbox entry is there whatever
happens to the e-mail. (Not ``Response.call_on_close``: a development server skips it when the
browser drops the connection first.) An e-mail carries the project's name
and a link to the inbox entry (sign-in needed), nothing else of the project.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import after_this_request, current_app, g, request, url_for
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sbd_tool.storage.models import Comment, Notification, Project, Review, User
from sbd_tool.web.access import can_read

log = logging.getLogger(__name__)

# kind → (subject of the e-mail, what happened, in the e-mail's words)
MAIL_TEXT = {
    "review_requested": ("レビューの依頼", "案件「{project}」のレビューを依頼されました。"),
    "review_approved": ("承認", "案件「{project}」が承認されました。"),
    "review_returned": ("差戻し", "案件「{project}」がコメントを付けて差し戻されました。"),
    "comment": ("コメント", "案件「{project}」にコメントが追加されました。"),
    "reply": ("コメントへの返信", "案件「{project}」のコメントに返信がありました。"),
}
OUTBOX = "sbd_outbox"  # session.info key: messages waiting for the commit
READY = "sbd_mail_ready"  # flask.g key: messages whose transaction committed


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def notify(
    session: Session,
    kind: str,
    project: Project,
    *,
    recipients: list[int] | None = None,
    review_id: int | None = None,
) -> None:
    """Tell the users concerned (see the table above) that ``kind`` happened on ``project``.

    ``kind``: ``review_requested`` (``recipients``: the adviser), ``review_approved`` or
    ``review_returned`` (``review_id``: the decided review), ``comment`` (the comments added to
    the session in this request; a reply becomes ``reply``)."""
    actor = g.get("user")
    planned: list[tuple[int, str, Comment | None]] = []
    if kind == "comment":
        added = [obj for obj in session.new if isinstance(obj, Comment) and obj.project_id == project.id]
        session.flush()
        for comment in added:
            who, what = _comment_readers(session, project, comment)
            planned += [(uid, what, comment) for uid in who]
    elif kind in ("review_approved", "review_returned"):
        review = session.get(Review, review_id)
        planned = [(review.submitted_by, kind, None)] if review is not None else []
    elif kind == "review_requested":
        planned = [(uid, kind, None) for uid in recipients or []]
    else:
        raise ValueError(f"unknown notification kind {kind!r}")
    rows: list[tuple[Notification, User]] = []
    seen: set[tuple[int, int | None]] = set()
    for uid, what, about in planned:
        key = (uid, about.id if about else None)
        reader = session.get(User, uid)
        if key in seen or reader is None or not reader.active or (actor is not None and uid == actor.id):
            continue
        if not can_read(session, reader, project):
            continue
        seen.add(key)
        row = Notification(
            user_id=uid,
            kind=what,
            project_id=project.id,
            requirement=about.requirement if about else None,
            comment_id=about.id if about else None,
            actor_id=actor.id if actor is not None else None,
        )
        session.add(row)
        rows.append((row, reader))
    if not rows:
        return
    session.flush()
    if current_app.config.get("SMTP_HOST"):
        _queue(session, [_mail(row, reader, project) for row, reader in rows if reader.email])


def _comment_readers(session: Session, project: Project, comment: Comment) -> tuple[list[int], str]:
    if comment.parent_id is None:  # the officers who submitted the project for review
        submitters = select(Review.submitted_by).where(Review.project_id == project.id).distinct()
        return sorted(session.scalars(submitters)), "comment"
    parent = session.get(Comment, comment.parent_id)
    others = select(Comment.author_id).where(Comment.parent_id == comment.parent_id, Comment.id != comment.id)
    thread = [parent.author_id] if parent else []
    return thread + sorted(set(session.scalars(others)) - set(thread)), "reply"


def target_url(row: Notification) -> str:
    """Where an inbox entry leads: the review page, at the comment when it is about one."""
    anchor = f"comment-{row.comment_id}" if row.comment_id else None
    return url_for("review.review", project_id=row.project_id, _anchor=anchor)


# ---------------------------------------------------------------- e-mail


def _mail(row: Notification, reader: User, project: Project) -> Mail:
    subject, sentence = MAIL_TEXT[row.kind]
    name = " ".join(project.name.split())[:100]  # one line, whatever was stored
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    link = base + url_for("inbox.open_notification", notification_id=row.id)
    body = (
        f"{reader.display_name} 様\n\n"
        f"sbd-tool（政府調達セキュリティ要件策定）からのお知らせです。\n\n"
        f"{sentence.format(project=name)}\n\n"
        f"次のリンクから確認してください（サインインが必要です）。\n{link}\n\n"
        f"このメールは送信専用です。お知らせは sbd-tool の「お知らせ」でも確認できます。\n"
    )
    return Mail(to=reader.email or "", subject=f"[sbd-tool] {subject}：{name}", body=body)


def _queue(session: Session, mails: list[Mail]) -> None:
    """Keep ``mails`` until the session commits; send them after the response (see the docstring)."""
    if not mails:
        return
    if OUTBOX not in session.info:
        session.info[OUTBOX] = []
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_rollback", _rolled_back)
    session.info[OUTBOX].extend(mails)
    if not g.get("sbd_mail_hook"):
        g.sbd_mail_hook = True
        config = {k: current_app.config.get(k) for k in SMTP_KEYS}
        after_this_request(lambda response: _send_later(response, config))


SMTP_KEYS = ("SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS")


def _committed(session: Session) -> None:
    ready = g.setdefault(READY, [])
    ready.extend(session.info.get(OUTBOX, []))
    session.info[OUTBOX] = []


def _rolled_back(session: Session) -> None:
    session.info[OUTBOX] = []


def _send_later(response: Any, config: dict[str, Any]) -> Any:
    """After the view (and so after its commit): send what committed, in a thread of its own."""
    mails = list(g.pop(READY, []))
    if mails:
        thread = threading.Thread(target=_send_and_forget, args=(mails, config), name="sbd-mail")
        with _LOCK:
            _SENDING.add(thread)
        thread.start()
    return response


_LOCK = threading.Lock()
_SENDING: set[threading.Thread] = set()


def _send_and_forget(mails: list[Mail], config: dict[str, Any]) -> None:
    try:
        send(mails, config)
    finally:
        with _LOCK:
            _SENDING.discard(threading.current_thread())


def wait_for_mail(timeout: float = 15) -> None:
    """Until the e-mails being sent now have gone (or failed); for tests and an orderly shutdown."""
    with _LOCK:
        running = list(_SENDING)
    for thread in running:
        thread.join(timeout)


def send(mails: list[Mail], config: dict[str, Any]) -> None:
    """Send over one SMTP connection; every failure is logged (without the password), none raised."""
    try:
        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            for mail in mails:
                try:
                    smtp.send_message(_message(mail, config["SMTP_FROM"]))
                except (smtplib.SMTPException, ValueError) as error:
                    log.warning("notification e-mail to %s not sent: %s", mail.to, error)
    except (OSError, smtplib.SMTPException) as error:
        log.warning(
            "notification e-mails not sent (%d): the mail server %s:%s failed: %s",
            len(mails),
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            error,
        )


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message
