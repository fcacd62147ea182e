"""Sign-in, sign-out and password change.

- Passwords are hashed with scrypt (werkzeug). Every failed sign-in costs exactly one hash check,
  whether the name exists, is disabled or the password is wrong, so timing tells nothing.
- Sessions are rows the server can revoke (``sessions.py``); attempts are counted atomically
  before the hash runs (``throttle.py``), and no transaction is open while it runs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as BaseResponse
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from sbd_tool.storage.models import User, utcnow
from sbd_tool.web import access, audit, sessions, throttle
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.marks import N_
from sbd_tool.web.store import db

bp = Blueprint("auth", __name__)

MIN_PASSWORD = 12
_DUMMY_HASH: dict[str, str] = {}


class HttpsAwareSessions(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` when the request arrived over HTTPS (or when configured)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with a new password, in words for the user; None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return gettext("パスワードは%(count)s文字以上にしてください。", count=MIN_PASSWORD)
    if len(password) > 200:
        return N_("パスワードは200文字以内にしてください。")
    if password.strip().lower() == username.strip().lower():
        return N_("利用者名と同じパスワードは使えません。")
    if len(set(password)) < 4:
        return N_("同じ文字の繰り返しが多すぎます。推測されにくいパスワードにしてください。")
    return None


def safe_next(target: str | None) -> str:
    """A redirect target from a form or query: only a path on this site, never another host."""
    default = url_for("projects.index")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target


class LoginForm(CleanForm):
    # autocomplete: password managers and assistive tools know what each field is (WCAG 1.3.5)
    username = StringField(
        lazy_gettext("利用者名"),
        validators=[
            DataRequired(lazy_gettext("利用者名を入力してください。")),
            Length(max=64, message=lazy_gettext("利用者名が長すぎます。")),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        lazy_gettext("パスワード"),
        validators=[DataRequired(lazy_gettext("パスワードを入力してください。"))],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordForm(CleanForm):
    current = PasswordField(
        lazy_gettext("現在のパスワード"),
        validators=[DataRequired(lazy_gettext("現在のパスワードを入力してください。"))],
    )
    new = PasswordField(
        lazy_gettext("新しいパスワード"),
        description=lazy_gettext("%(count)s文字以上。利用者名と同じものは使えません。", count=MIN_PASSWORD),
        render_kw={"autocomplete": "new-password"},
        validators=[DataRequired(lazy_gettext("新しいパスワードを入力してください。"))],
    )
    confirm = PasswordField(
        lazy_gettext("新しいパスワード（確認）"),
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired(lazy_gettext("確認のため、新しいパスワードをもう一度入力してください。")),
            EqualTo("new", message=lazy_gettext("確認用のパスワードが一致しません。同じものを2回入力してください。")),
        ],
    )

    def validate_new(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", access.user().username)
        if problem:
            raise ValidationError(problem)


def _dummy_hash() -> str:
    """A real hash at the configured cost, made once per worker, checked for unknown names."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return _DUMMY_HASH[method]


def _password_matches(stored: str | None, password: str) -> bool:
    """One hash check on every path: a missing account checks a dummy hash of the same cost."""
    return check_password_hash(stored or _dummy_hash(), password) and stored is not None


def _refused(form: LoginForm, target: str, wait: dt.timedelta) -> tuple[str, int]:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    form.form_errors.append(
        gettext(
            "サインインの失敗が続いたため、この利用者名又はこの端末からのサインインを一時的に止めています。"
            "%(minutes)s分ほど待ってから、もう一度お試しください。"
            "パスワードが分からない場合は管理者に再設定を依頼してください。",
            minutes=minutes,
        )
    )
    return render_template("auth/login.html", form=form, next=target), 429


@bp.route("/login", methods=["GET", "POST"])
@access.rule("public")
def login() -> BaseResponse | tuple[str, int] | str:
    form = LoginForm()
    target = safe_next(request.values.get("next"))
    if access.current_user() is not None and request.method == "GET":
        return redirect(target)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        no_accounts = db().scalar(select(func.count()).select_from(User)) == 0
        return render_template("auth/login.html", form=form, next=target, no_accounts=no_accounts), status
    name = (form.username.data or "").strip()
    address = audit.client_address()
    counters = throttle.keys(name, address)
    sessions_ = current_app.extensions["sbd"]["sessions"]
    with sessions_() as counting:  # its own short transaction, committed before the hash runs
        wait = throttle.reserve(counting, counters)
    session_ = db()
    if wait is not None:
        audit.record(session_, "login_throttled", username=name[:64])
        session_.commit()
        return _refused(form, target, wait)
    who = session_.scalar(select(User).where(func.lower(User.username) == name.lower()))
    stored, active = (who.password_hash, who.active) if who is not None else (None, False)
    session_.rollback()  # no transaction stays open across the hash
    matches = _password_matches(stored, form.password.data or "")
    if who is None or not matches or not active:
        with sessions_() as counting:
            throttle.failed(counting, counters)
        reason = "disabled" if who is not None and matches else None
        detail: dict[str, Any] = {"reason": reason} if reason else {}
        audit.record(session_, "login_failed", username=name[:64], user_id=0 if who is None else who.id, **detail)
        session_.commit()
        if reason == "disabled":
            form.form_errors.append(N_("このアカウントは無効になっています。管理者に確認してください。"))
            return render_template("auth/login.html", form=form, next=target), 403
        form.form_errors.append(N_("利用者名又はパスワードが正しくありません。"))
        return render_template("auth/login.html", form=form, next=target), 400
    throttle.succeeded(session_, name, address)
    who.last_login_at = utcnow()
    audit.record(session_, "login", username=who.username, user_id=who.id)
    sessions.start(session_, who)
    session_.commit()
    if who.must_change_password:
        flash(gettext("初回のサインインです。新しいパスワードを設定してください。"), "success")
        return redirect(url_for("auth.password"))
    return redirect(target)


@bp.post("/logout")
@access.rule("signed_in")
def logout() -> BaseResponse:
    audit.record(db(), "logout")
    sessions.end_current(db())
    db().commit()
    flash(gettext("サインアウトしました。"), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access.rule("signed_in")
def password() -> BaseResponse | tuple[str, int] | str:
    form = PasswordForm()
    who = access.user()
    if form.validate_on_submit():
        if not check_password_hash(who.password_hash, form.current.data or ""):
            form.current.errors = [N_("現在のパスワードが正しくありません。")]
        else:
            who.password_hash = hash_password(form.new.data or "")
            who.password_changed_at = utcnow()
            who.must_change_password = False
            audit.record(db(), "password_change")
            sessions.end_all(db(), who.id)
            sessions.start(db(), who)  # a new session for this browser; every other one has ended
            db().commit()
            flash(gettext("パスワードを変更しました。ほかの端末のサインインは終了しました。"), "success")
            return redirect(url_for("projects.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


def _authorise() -> BaseResponse | None:
    """Before every view: who is signed in, a forced password change, then the view's access rule."""
    if request.endpoint == "static":
        return None
    sessions.load_user(db())
    who = g.user
    if who is not None and who.must_change_password and request.endpoint not in ("auth.password", "auth.logout"):
        return redirect(url_for("auth.password"))
    return access.check_request(db())


def init_app(app: Flask) -> None:
    app.session_interface = HttpsAwareSessions()
    app.before_request(_authorise)
