"""The auth forms: signing in, and changing one's password."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from sbd_tool.web import access
from sbd_tool.web.auth.passwords import MIN_PASSWORD, password_problem
from sbd_tool.web.forms import CleanForm


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
