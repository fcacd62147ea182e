"""The admin forms: an organisation, an account (new or edited), and the choice of organisation."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from sbd_tool.storage.models import Organisation, User
from sbd_tool.web.admin.blueprint import ROLE_LABELS
from sbd_tool.web.choices import SelectChoice
from sbd_tool.web.forms import CleanForm, options
from sbd_tool.web.store import db


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


def organisation_choices(form: UserForm) -> None:
    orgs = list(db().scalars(select(Organisation).order_by(Organisation.name)))
    form.organisation.choices = [SelectChoice(0, gettext("（なし：管理者のみ）"))] + [
        SelectChoice(o.id, o.name) for o in orgs
    ]


def default_organisation() -> int:
    """For a new account: the only organisation, else the one given to the newest account."""
    orgs = list(db().scalars(select(Organisation.id).limit(2)))
    if len(orgs) == 1:
        return orgs[0]
    last = db().scalar(
        select(User.organisation_id).where(User.organisation_id.is_not(None)).order_by(User.id.desc()).limit(1)
    )
    return last or 0
