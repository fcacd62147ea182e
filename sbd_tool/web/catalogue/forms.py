"""The form that imports a catalogue release (a zip of the content) with its note."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from sbd_tool.web.forms import CleanForm

MAX_ZIP = 5_000_000


class ImportForm(CleanForm):
    file = FileField(
        lazy_gettext("対策要件集の zip ファイル"),
        validators=[FileRequired(lazy_gettext("zip ファイルを選択してください。"))],
        render_kw={"accept": ".zip,application/zip"},
    )
    note = StringField(
        lazy_gettext("この版の説明（任意）"),
        validators=[Optional(), Length(max=500, message=lazy_gettext("500文字以内にしてください。"))],
    )
