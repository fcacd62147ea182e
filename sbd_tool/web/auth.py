"""Sign-in, sign-out, password change, and the session that carries the signed-in user.

- Passwords are hashed with scrypt (werkzeug); an unknown username costs the same hash check.
- The session is Flask's signed cookie: HttpOnly, SameSite=Lax, Secure whenever the request
  came over HTTPS. It holds the user id, the user's session epoch (``password_changed_at``) and
  the time of the last request; an idle session or a changed password ends it.
- Failed sign-ins are counted per account and per address in the database (shared by every
  worker); past the limit, sign-in is refused for a while with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as BaseResponse
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from sbd_tool.storage.models import LoginFailure, User, utcnow
from sbd_tool.web import access, audit
from sbd_tool.web.forms import CleanForm
from sbd_tool.web.store import db

bp = Blueprint("auth", __name__)

MIN_PASSWORD = 12
THROTTLE_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # failures per account in the window
ADDRESS_LIMIT = 20  # failures per client address in the window
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
        return f"パスワードは{MIN_PASSWORD}文字以上にしてください。"
    if len(password) > 200:
        return "パスワードは200文字以内にしてください。"
    if password.strip().lower() == username.strip().lower():
        return "利用者名と同じパスワードは使えません。"
    if len(set(password)) < 4:
        return "同じ文字の繰り返しが多すぎます。推測されにくいパスワードにしてください。"
    return None


def _epoch(who: User) -> str:
    moment = who.password_changed_at  # SQLite hands back naive UTC, PostgreSQL aware: compare instants
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"{moment.timestamp():.6f}"


def start_session(who: User) -> None:
    session.clear()
    session.permanent = False
    session["uid"] = who.id
    session["epoch"] = _epoch(who)
    session["seen"] = int(time.time())


def load_user() -> None:
    """Before each request: the signed-in user, or None (and the session ended if stale)."""
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    who = db().get(User, uid)
    idle = current_app.config.get("IDLE_TIMEOUT_MINUTES", 30) * 60
    now = int(time.time())
    if who is None or not who.active or session.get("epoch") != _epoch(who):
        session.clear()
        return
    if now - int(session.get("seen", 0)) > idle:
        session.clear()
        flash("一定時間操作がなかったため、サインアウトしました。もう一度サインインしてください。", "error")
        return
    if now - int(session.get("seen", 0)) >= 30:  # refresh at most every 30 s, so most responses set no cookie
        session["seen"] = now
    g.user = who


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
    username = StringField(
        "利用者名",
        validators=[DataRequired("利用者名を入力してください。"), Length(max=64, message="利用者名が長すぎます。")],
    )
    password = PasswordField("パスワード", validators=[DataRequired("パスワードを入力してください。")])


class PasswordForm(CleanForm):
    current = PasswordField("現在のパスワード", validators=[DataRequired("現在のパスワードを入力してください。")])
    new = PasswordField(
        "新しいパスワード",
        description=f"{MIN_PASSWORD}文字以上。利用者名と同じものは使えません。",
        render_kw={"autocomplete": "new-password"},
        validators=[DataRequired("新しいパスワードを入力してください。")],
    )
    confirm = PasswordField(
        "新しいパスワード（確認）",
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired("確認のため、新しいパスワードをもう一度入力してください。"),
            EqualTo("new", message="確認用のパスワードが一致しません。同じものを2回入力してください。"),
        ],
    )

    def validate_new(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", access.user().username)
        if problem:
            raise ValidationError(problem)


def _failures(key: str) -> int:
    since = utcnow() - THROTTLE_WINDOW
    return int(db().scalar(select(func.count()).where(LoginFailure.key == key, LoginFailure.at >= since)) or 0)


def _check_password(who: User | None, password: str) -> bool:
    if who is None:  # the same work as for a real account, so timing does not tell names apart
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        dummy = _DUMMY_HASH.setdefault(method, generate_password_hash("dummy-password", method=method))
        check_password_hash(dummy, password)
        return False
    return check_password_hash(who.password_hash, password)


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
    name = form.username.data.strip()
    account_key, address_key = f"user:{name.lower()}"[:200], f"addr:{audit.client_address()}"
    session_ = db()
    session_.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - THROTTLE_WINDOW))
    if _failures(account_key) >= ACCOUNT_LIMIT or _failures(address_key) >= ADDRESS_LIMIT:
        audit.record(session_, "login_throttled", username=name[:64])
        session_.commit()
        form.form_errors.append(
            "サインインの失敗が続いたため、この利用者名又はこの端末からのサインインを一時的に止めています。"
            f"{int(THROTTLE_WINDOW.total_seconds() // 60)}分ほど待ってから、もう一度お試しください。"
            "パスワードが分からない場合は管理者に再設定を依頼してください。"
        )
        return render_template("auth/login.html", form=form, next=target), 429
    who = session_.scalar(select(User).where(func.lower(User.username) == name.lower()))
    if who is not None and not who.active and _check_password(who, form.password.data or ""):
        audit.record(session_, "login_failed", username=who.username, user_id=who.id, reason="disabled")
        session_.commit()
        form.form_errors.append("このアカウントは無効になっています。管理者に確認してください。")
        return render_template("auth/login.html", form=form, next=target), 403
    if who is None or not who.active or not _check_password(who, form.password.data or ""):
        session_.add_all([LoginFailure(key=account_key), LoginFailure(key=address_key)])
        audit.record(session_, "login_failed", username=name[:64], user_id=0 if who is None else who.id)
        session_.commit()
        form.form_errors.append("利用者名又はパスワードが正しくありません。")
        return render_template("auth/login.html", form=form, next=target), 400
    session_.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
    who.last_login_at = utcnow()
    audit.record(session_, "login", username=who.username, user_id=who.id)
    session_.commit()
    start_session(who)
    if who.must_change_password:
        flash("初回のサインインです。新しいパスワードを設定してください。", "success")
        return redirect(url_for("auth.password"))
    return redirect(target)


@bp.post("/logout")
@access.rule("signed_in")
def logout() -> BaseResponse:
    audit.record(db(), "logout")
    db().commit()
    session.clear()
    flash("サインアウトしました。", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access.rule("signed_in")
def password() -> BaseResponse | tuple[str, int] | str:
    form = PasswordForm()
    who = access.user()
    if form.validate_on_submit():
        if not check_password_hash(who.password_hash, form.current.data or ""):
            form.current.errors = ["現在のパスワードが正しくありません。"]
        else:
            who.password_hash = hash_password(form.new.data or "")
            who.password_changed_at = utcnow()
            who.must_change_password = False
            audit.record(db(), "password_change")
            db().commit()
            start_session(who)  # this session continues; every other one ends
            flash("パスワードを変更しました。ほかの端末のサインインは終了しました。", "success")
            return redirect(url_for("projects.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status
