"""The base of every page form of the app: typed text cleaned as it arrives (``CleanMeta``,
``CleanForm``) and choices as WTForms wants them (``options``). The wizard's own forms live in
``sbd_tool.web.wizard.forms``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import Field, Form, HiddenField, PasswordField, StringField, TextAreaField, ValidationError

from sbd_tool.text import clean_input, has_line_break, one_line
from sbd_tool.web.choices import SelectChoice


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Choices as WTForms wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _clean_text(value: Any) -> Any:
    return clean_input(value) if isinstance(value, str) else value


def _clean_line(value: Any) -> Any:
    return one_line(value) if isinstance(value, str) else value


def _no_line_break(_form: Form, field: Field) -> None:
    """A one-line field refuses a line end (a newline, U+2028, U+2029, …) rather than join the
    lines silently: a browser never sends one there, an import refuses it the same way."""
    if any(isinstance(raw, str) and has_line_break(raw) for raw in field.raw_data or ()):
        raise ValidationError(gettext("改行は入力できません。1行で入力してください。"))


class CleanMeta:
    """Typed text is normalised as it arrives (``sbd_tool.text.clean_input``), so nothing stored
    can break a page, the database or a document later: a text area keeps its lines (\r\n,
    U+2028 and U+2029 become \n) and loses control and format characters except the joiners; a
    one-line field (names, labels, titles, ids) loses every control and format character (bidi
    overrides, zero-width characters) and refuses a line end. Passwords are left as typed."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        kind = unbound_field.field_class
        if not issubclass(kind, StringField) or issubclass(kind, PasswordField):
            return unbound_field.bind(form=form, **options)
        clean = _clean_text if issubclass(kind, TextAreaField) else _clean_line
        options["filters"] = (clean, *options.get("filters", unbound_field.kwargs.get("filters", ())))
        field = unbound_field.bind(form=form, **options)
        if clean is _clean_line and not issubclass(kind, HiddenField):
            field.validators = [*field.validators, _no_line_break]  # a new list: the class's is shared
        return field


class CleanForm(FlaskForm):
    """The base of every page form of the app."""

    class Meta(CleanMeta):
        pass
