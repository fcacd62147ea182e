"""Signed-in sessions that the server can end.

Flask's signed cookie carries a random token (``sid``) and the time of the last request; the
database keeps the SHA-256 of the token in ``auth_session`` with the account, an absolute
expiry and, once ended, ``revoked_at``. A request is signed in only while that row is live, so a
cookie captured before sign-out, a password change, disabling, or a change of role or
organisation no longer works anywhere, even with its CSRF token.

- idle timeout: ``IDLE_TIMEOUT_MINUTES`` (30) since the last request, kept in the signed cookie;
- absolute lifetime: ``SESSION_LIFETIME_HOURS`` (12) from sign-in, kept in the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from flask import current_app, flash, g, session
from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbd_tool.storage.models import AuthSession, User, utcnow
from sbd_tool.web import audit


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config.get("SESSION_LIFETIME_HOURS", 12)))


def start(db: Session, who: User) -> None:
    """A new session for ``who`` (the old cookie's session, if any, is ended first)."""
    end_current(db)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(AuthSession(id=_digest(token), user_id=who.id, created_at=now, expires_at=now + lifetime(),
                       address=audit.client_address()))  # fmt: skip
    session.clear()  # a fresh CSRF secret too
    session.permanent = False
    session["sid"] = token
    session["seen"] = int(time.time())


def end_current(db: Session) -> None:
    """Sign-out: revoke this cookie's session row and forget the cookie."""
    token = session.get("sid")
    if isinstance(token, str):
        db.execute(
            update(AuthSession)
            .where(AuthSession.id == _digest(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    session.clear()


def end_all(db: Session, user_id: int, *, keep_current: bool = False) -> None:
    """End every session of a user (password reset, disabling, role or organisation change)."""
    statement = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    token = session.get("sid") if keep_current else None
    if isinstance(token, str):
        statement = statement.where(AuthSession.id != _digest(token))
    db.execute(statement.values(revoked_at=utcnow()))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def load_user(db: Session) -> None:
    """Before each request: ``g.user`` is the signed-in user, or None (the cookie is cleared if stale)."""
    g.user = None
    token = session.get("sid")
    if token is None:
        if session.get("uid") is not None:  # a cookie from before server-side sessions
            session.clear()
        return
    if not isinstance(token, str):
        session.clear()
        return
    row = db.execute(
        select(AuthSession, User).join(User, User.id == AuthSession.user_id).where(AuthSession.id == _digest(token))
    ).first()
    if row is None:
        session.clear()
        return
    live, who = row
    if live.revoked_at is not None or _aware(live.expires_at) <= utcnow() or not who.active:
        session.clear()
        if live.revoked_at is None and who.active:
            flash(
                gettext(
                    "サインインしてから一定時間が経ったため、サインアウトしました。もう一度サインインしてください。"
                ),
                "error",
            )
        return
    now = int(time.time())
    seen = session.get("seen")
    idle = int(current_app.config.get("IDLE_TIMEOUT_MINUTES", 30)) * 60
    if not isinstance(seen, int) or now - seen > idle:  # the signed cookie's time cannot be forged
        session.clear()
        flash(gettext("一定時間操作がなかったため、サインアウトしました。もう一度サインインしてください。"), "error")
        return
    if now - seen >= 30:  # refresh at most every 30 s, so most responses set no cookie
        session["seen"] = now
    g.user = who
