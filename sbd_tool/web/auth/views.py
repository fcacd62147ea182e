"""The auth pages: sign-in (throttled, with one hash check on every path so timing tells nothing),
sign-out, and password change (which ends every other session)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import User, utcnow
from sbd_tool.web import access, audit, sessions, throttle
from sbd_tool.web.auth.blueprint import bp
from sbd_tool.web.auth.forms import LoginForm, PasswordForm
from sbd_tool.web.auth.passwords import hash_password, password_matches
from sbd_tool.web.marks import N_
from sbd_tool.web.redirects import safe_next
from sbd_tool.web.store import db


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
    matches = password_matches(stored, form.password.data or "")
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
