"""The admin's account pages: the list of accounts, creating one, editing one (which ends its
sessions, shares and pending reviews when its role or organisation changes), lifting sign-in locks."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import delete, select, update
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.storage.models import ProjectShare, Review, User, utcnow
from sbd_tool.web import audit, sessions, throttle
from sbd_tool.web.access import rule, user
from sbd_tool.web.admin.blueprint import ROLE_LABELS, bp
from sbd_tool.web.admin.forms import NewUserForm, UserForm, default_organisation, organisation_choices
from sbd_tool.web.auth.passwords import hash_password, password_problem
from sbd_tool.web.marks import N_
from sbd_tool.web.store import db


@bp.get("/users")
@rule("admin")
def users() -> str:
    found = list(db().scalars(select(User).order_by(User.organisation_id, User.username)))
    return render_template("admin/users.html", users=found, role_labels=ROLE_LABELS)


def _check_password(form: UserForm, username: str, required: bool) -> bool:
    value = form.password.data or ""
    if not value:
        if required:
            form.password.errors = [N_("初期パスワードを入力してください。")]
        return not required
    problem = password_problem(value, username)
    if problem:
        form.password.errors = [problem]
        return False
    return True


@bp.route("/users/new", methods=["GET", "POST"])
@rule("admin")
def new_user() -> BaseResponse | tuple[str, int] | str:
    form = NewUserForm()
    organisation_choices(form)
    if request.method == "GET":
        form.organisation.data = default_organisation()
    if request.method == "POST":
        valid = form.validate()
        if _check_password(form, form.username.data or "", required=True) and valid:
            created = User(
                username=form.username.data,
                display_name=form.display_name.data,
                email=form.email.data or None,
                role=form.role.data,
                organisation_id=form.organisation.data or None,
                password_hash=hash_password(form.password.data or ""),
                active=form.active.data,
                must_change_password=True,
            )
            db().add(created)
            db().flush()
            audit.record(db(), "admin_user_create", target=created.username, role=created.role)
            db().commit()
            flash(gettext("利用者「%(name)s」を作成しました。", name=created.username), "success")
            return redirect(url_for(".users"))
        return render_template("admin/user.html", form=form, target=None), 400
    return render_template("admin/user.html", form=form, target=None)


_MOVED = "担当者の所属又は役割の変更により終了しました。"


def _end_shares(user_id: int) -> None:
    """A user moved to another organisation or role loses every share and pending review."""
    db().execute(delete(ProjectShare).where(ProjectShare.user_id == user_id))
    db().execute(
        update(Review)
        .where(Review.adviser_id == user_id, Review.status == "pending")
        .values(status="superseded", decided_at=utcnow(), decision_note=_MOVED)
    )


@bp.post("/users/<int:user_id>/unlock")
@rule("admin")
def unlock_user(user_id: int) -> BaseResponse:
    """Lift every sign-in lock on an account (e.g. after someone guessed at it from elsewhere)."""
    target = db().get(User, user_id)
    if target is None:
        return redirect(url_for(".users"))
    cleared = throttle.lift(db(), target.username)
    audit.record(db(), "admin_user_unlock", target=target.username, cleared=cleared)
    db().commit()
    flash(gettext("利用者「%(name)s」のサインイン制限を解除しました。", name=target.username), "success")
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@rule("admin")
def edit_user(user_id: int) -> BaseResponse | tuple[str, int] | str:
    target = db().get(User, user_id)
    if target is None:
        return render_template("errors/error.html", code=404, message=N_("利用者が見つかりません。")), 404
    form = UserForm(obj=None) if request.method == "POST" else UserForm(
        formdata=None,
        data={"display_name": target.display_name, "email": target.email or "", "role": target.role,
              "organisation": target.organisation_id or 0, "active": target.active},
    )  # fmt: skip
    organisation_choices(form)
    if request.method == "POST":
        valid = form.validate()
        if _check_password(form, target.username, required=False) and valid:
            if target.id == user().id and (form.role.data != "admin" or not form.active.data):
                form.role.errors = [N_("自分自身の管理者権限を外したり、無効にしたりはできません。")]
                return render_template("admin/user.html", form=form, target=target), 400
            changes: dict[str, Any] = {}
            for attr, value in (
                ("display_name", form.display_name.data),
                ("email", form.email.data or None),
                ("role", form.role.data),
                ("organisation_id", form.organisation.data or None),
                ("active", form.active.data),
            ):
                if getattr(target, attr) != value:
                    changes[attr] = value
                    setattr(target, attr, value)
            if form.password.data:
                target.password_hash = hash_password(form.password.data)
                target.must_change_password = True
                changes["password"] = "reset"
            if {"password", "active", "role", "organisation_id"} & changes.keys():
                target.password_changed_at = utcnow()
                sessions.end_all(db(), target.id)  # every session of the user ends now
            if {"role", "organisation_id"} & changes.keys():
                _end_shares(target.id)
            audit.record(db(), "admin_user_update", target=target.username, changes=sorted(changes))
            db().commit()
            flash(gettext("利用者「%(name)s」を更新しました。", name=target.username), "success")
            return redirect(url_for(".users"))
        return _user_page(form, target), 400
    return _user_page(form, target)


def _user_page(form: UserForm, target: User) -> str:
    return render_template("admin/user.html", form=form, target=target, locked=throttle.locked(db(), target.username))
