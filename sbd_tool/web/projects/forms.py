"""The projects forms: a new project's name, and the answers file to import."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from sbd_tool.web.forms import CleanForm


class NewProjectForm(CleanForm):
    name = StringField(
        lazy_gettext("情報システムの名称"),
        validators=[
            DataRequired(lazy_gettext("情報システムの名称を入力してください。")),
            Length(max=200, message=lazy_gettext("名称は200文字以内にしてください。")),
        ],
    )


MAX_IMPORT = 1_000_000  # bytes; an answers file is a few tens of kilobytes


class ImportForm(CleanForm):
    file = FileField(
        lazy_gettext("回答ファイル（YAML 又は JSON）"),
        validators=[FileRequired(lazy_gettext("ファイルを選択してください。"))],
    )
