"""The form that creates a training course: its name, description, and whether copies start blank."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.web.forms import CleanForm


class CourseForm(CleanForm):
    name = StringField(
        lazy_gettext("研修の名称"),
        validators=[
            DataRequired(lazy_gettext("研修の名称を入力してください。")),
            Length(max=200, message=lazy_gettext("200文字以内にしてください。")),
        ],
    )
    description = TextAreaField(
        lazy_gettext("説明（受講者に表示）"),
        validators=[Optional(), Length(max=2000, message=lazy_gettext("2000文字以内にしてください。"))],
    )
    blank = BooleanField(
        lazy_gettext("手順4以降は白紙から始める"),
        description=lazy_gettext(
            "受講者のコピーには、手順1〜3（業務と図）だけを写し、定型設問の回答から先は受講者が自分で入力します。"
            "どちらの場合も、模範解答の決定（手順6）は写しません。"
        ),
    )
