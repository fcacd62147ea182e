"""The form that creates a bidder link: whom it is for and how many days it lasts."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from sbd_tool.web.forms import CleanForm

MAX_DAYS = 90


class ShareForm(CleanForm):
    label = StringField(
        lazy_gettext("共有先（事業者名など、一覧で見分けるため）"),
        validators=[
            DataRequired(lazy_gettext("共有先を入力してください。")),
            Length(max=200, message=lazy_gettext("200文字以内にしてください。")),
        ],
    )
    days = IntegerField(
        lazy_gettext("有効期間（日）"),
        default=14,
        validators=[
            DataRequired(lazy_gettext("有効期間を日数で入力してください。")),
            NumberRange(
                min=1, max=MAX_DAYS, message=lazy_gettext("有効期間は1〜%(days)s日にしてください。", days=MAX_DAYS)
            ),
        ],
    )
