"""The review forms: submitting a revision to an adviser, a comment, and the adviser's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.web.forms import CleanForm

MAX_COMMENT = 4000


class SubmitForm(CleanForm):
    adviser = SelectField(lazy_gettext("レビューを依頼する CIO補佐官等"), coerce=int, validate_choice=True)
    message = TextAreaField(
        lazy_gettext("依頼の内容（任意）"),
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message=lazy_gettext("%(count)s文字以内にしてください。", count=MAX_COMMENT)),
        ],
    )


class CommentForm(CleanForm):
    body = TextAreaField(
        lazy_gettext("コメント"),
        validators=[
            DataRequired(lazy_gettext("コメントを入力してください。")),
            Length(
                max=MAX_COMMENT, message=lazy_gettext("コメントは%(count)s文字以内にしてください。", count=MAX_COMMENT)
            ),
        ],
    )
    requirement = HiddenField()
    parent = HiddenField()
    next = HiddenField()


class DecideForm(CleanForm):
    revision = HiddenField()
    note = TextAreaField(
        lazy_gettext("所見（差し戻す場合は必須）"),
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message=lazy_gettext("%(count)s文字以内にしてください。", count=MAX_COMMENT)),
        ],
    )
