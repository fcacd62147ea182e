"""Administration: organisations and accounts (the audit log is in ``audit_log.py``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import delete, func, select, update
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from sbd_tool.storage.models import Organisation, ProjectShare, Review, User, utcnow
from sbd_tool.web import audit, sessions, throttle
from sbd_tool.web.access import rule, user
from sbd_tool.web.auth import hash_password, password_problem
from sbd_tool.web.choices import SelectChoice
from sbd_tool.web.forms import CleanForm, options
from sbd_tool.web.marks import N_
from sbd_tool.web.store import db

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLE_LABELS = {
    "officer": N_("調達担当職員"),
    "adviser": N_("CIO補佐官等"),
    "trainer": N_("研修講師"),
    "admin": N_("管理者"),
}


class OrganisationForm(CleanForm):
    name = StringField(
        lazy_gettext("組織名（府省庁・機関）"),
        validators=[
            DataRequired(lazy_gettext("組織名を入力してください。")),
            Length(max=200, message=lazy_gettext("組織名は200文字以内にしてください。")),
        ],
    )

    def validate_name(self, field: StringField) -> None:
        if db().scalar(select(Organisation).where(Organisation.name == (field.data or "").strip())):
            raise ValidationError(gettext("同じ名前の組織が既にあります。"))


class UserForm(CleanForm):
    display_name = StringField(
        lazy_gettext("氏名"),
        validators=[
            DataRequired(lazy_gettext("氏名を入力してください。")),
            Length(max=100, message=lazy_gettext("氏名は100文字以内にしてください。")),
        ],
    )
    email = StringField(
        lazy_gettext("メールアドレス（任意。お知らせをメールでも受け取る）"),
        validators=[
            Optional(),
            Length(max=254, message=lazy_gettext("メールアドレスは254文字以内にしてください。")),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=lazy_gettext("メールアドレスの形式が正しくありません。")),
        ],
        render_kw={"autocomplete": "off", "type": "email"},
    )
    role = SelectField(lazy_gettext("役割"), choices=options(list(ROLE_LABELS.items())))
    organisation = SelectField(lazy_gettext("組織"), coerce=int)
    active = BooleanField(lazy_gettext("有効（サインインできる）"), default=True)
    password = PasswordField(
        lazy_gettext("初期パスワード（新規作成時は必須。変更時は、入力した場合だけ再設定）"),
        description=lazy_gettext("利用者は最初のサインインで自分のパスワードに変更します。"),
        render_kw={"autocomplete": "new-password"},
    )

    def validate_organisation(self, field: SelectField) -> None:
        if self.role.data != "admin" and not field.data:
            raise ValidationError(gettext("管理者以外は組織を選んでください。"))


class NewUserForm(UserForm):
    username = StringField(
        lazy_gettext("利用者名（サインインに使う英数字）"),
        validators=[
            DataRequired(lazy_gettext("利用者名を入力してください。")),
            Length(min=3, max=64, message=lazy_gettext("利用者名は3〜64文字にしてください。")),
            Regexp(r"^[A-Za-z0-9._-]+$", message=lazy_gettext("利用者名には半角英数字と . _ - だけを使ってください。")),
        ],
    )

    def validate_username(self, field: StringField) -> None:
        if db().scalar(select(User).where(func.lower(User.username) == (field.data or "").lower())):
            raise ValidationError(gettext("この利用者名は既に使われています。"))


def _organisation_choices(form: UserForm) -> None:
    orgs = list(db().scalars(select(Organisation).order_by(Organisation.name)))
    form.organisation.choices = [SelectChoice(0, gettext("（なし：管理者のみ）"))] + [
        SelectChoice(o.id, o.name) for o in orgs
    ]


def _default_organisation() -> int:
    """For a new account: the only organisation, else the one given to the newest account."""
    orgs = list(db().scalars(select(Organisation.id).limit(2)))
    if len(orgs) == 1:
        return orgs[0]
    last = db().scalar(
        select(User.organisation_id).where(User.organisation_id.is_not(None)).order_by(User.id.desc()).limit(1)
    )
    return last or 0


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
    _organisation_choices(form)
    if request.method == "GET":
        form.organisation.data = _default_organisation()
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
    _organisation_choices(form)
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


@bp.route("/organisations", methods=["GET", "POST"])
@rule("admin")
def organisations() -> BaseResponse | tuple[str, int] | str:
    form = OrganisationForm()
    if form.validate_on_submit():
        org = Organisation(name=(form.name.data or "").strip())
        db().add(org)
        audit.record(db(), "admin_org_create", name=org.name)
        db().commit()
        flash(gettext("組織「%(name)s」を作成しました。", name=org.name), "success")
        return redirect(url_for(".organisations"))
    orgs = list(db().scalars(select(Organisation).order_by(Organisation.name)))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/organisations.html", form=form, organisations=orgs), status
