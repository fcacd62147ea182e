"""HTML for form fields, written directly instead of through WTForms' generic widgets.

The step pages hold hundreds of fields (26 level selects and reasons, every matrix cell); WTForms'
widgets spent most of each page's time formatting attributes one by one. These functions read the
same WTForms fields (id, name, data, flags, choices) and write the same markup in one pass.
Validation stays with WTForms; only the drawing is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape
from wtforms import Field
from wtforms.fields import (
    BooleanField,
    FileField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.widgets import ListWidget

# ``maxlength`` is not drawn as such: a browser would cut a long paste silently (issue 17,
# defect 8). The limit goes out as ``data-maxlength`` for the counter in sbd.js, and the form's
# Length validator refuses longer text with a message that says the limit and keeps the text.
_TEXT_FLAGS = ("required", "minlength")


def _attrs(pairs: dict[str, Any]) -> str:
    """``key="value"`` pairs; True writes a bare attribute, None/False omits it."""
    parts = []
    for key, value in pairs.items():
        if value is True:
            parts.append(key)
        elif value is not None and value is not False:
            parts.append(f'{key}="{escape(value)}"')
    return " ".join(parts)


def _base(field: Field, flags: tuple[str, ...], extra: dict[str, Any]) -> dict[str, Any]:
    pairs: dict[str, Any] = {"id": field.id, "name": field.name}
    for flag in flags:
        value = getattr(field.flags, flag)
        if value is not None and value is not False and flag not in extra:
            pairs[flag] = value
    # The form's own attributes (e.g. autocomplete="username"), then the template's.
    pairs.update(field.render_kw or {})
    pairs.update(extra)
    return pairs


def _selected(field: Field) -> set[str]:
    data = field.data
    if isinstance(field, SelectMultipleField):
        return {str(v) for v in data or ()}
    return set() if data is None else {str(data)}


def render_field(field: Field, option_labels: Mapping[str, str] | None = None, **extra: Any) -> Markup:
    """One control, as WTForms would draw it (``field(**extra)``); a control with errors points to them.

    ``option_labels`` (value → label) replaces a select's option labels, e.g. English level names.
    """
    if field.errors and "aria-invalid" not in extra:
        extra = {**extra, "aria-describedby": f"{field.id}-error", "aria-invalid": "true"}
    if isinstance(field, BooleanField):
        pairs = {"id": field.id, "name": field.name, "type": "checkbox", "value": "y", "checked": bool(field.data)}
        return Markup(f"<input {_attrs({**pairs, **extra})}>")
    if isinstance(field, HiddenField):
        pairs = {"id": field.id, "name": field.name, "type": "hidden", "value": shown_value(field)}
        return Markup(f"<input {_attrs(pairs)}>")
    if isinstance(field, TextAreaField):
        pairs = _base(field, _TEXT_FLAGS, {**_limit(field), **extra})
        return Markup(f"<textarea {_attrs(pairs)}>\r\n{escape(shown_value(field))}</textarea>")
    if isinstance(field, RadioField) or isinstance(field.widget, ListWidget):
        raise TypeError("lists of choices are drawn with choice_list()")
    if isinstance(field, SelectField | SelectMultipleField):
        chosen = _selected(field)
        options = "".join(
            f'<option {"selected " if str(value) in chosen else ""}value="{escape(value)}">{escape(label)}</option>'
            for value, label in _choices(field, option_labels)
        )
        pairs = _base(field, ("required",), extra)
        if isinstance(field, SelectMultipleField):
            pairs["multiple"] = True
        return Markup(f"<select {_attrs(pairs)}>{options}</select>")
    if isinstance(field, FileField):
        accept = (field.render_kw or {}).get("accept", ".yaml,.yml,.json")
        pairs = _base(field, ("required",), {"type": "file", "accept": accept, **extra})
        return Markup(f"<input {_attrs(pairs)}>")
    if isinstance(field, PasswordField):  # never echoed back into the page
        pairs = _base(
            field,
            _TEXT_FLAGS,
            {
                "type": "password",
                "autocomplete": (field.render_kw or {}).get("autocomplete", "current-password"),
                **extra,
            },
        )
        return Markup(f"<input {_attrs(pairs)}>")
    pairs = _base(field, _TEXT_FLAGS, {"type": "text", "value": shown_value(field), **_limit(field), **extra})
    return Markup(f"<input {_attrs(pairs)}>")


def shown_value(field: Field) -> str:
    """The field's value as the page shows it: WTForms' ``Field._value``, which every text-like
    field has but its type stubs do not declare."""
    value: Callable[[], str] = field._value  # type: ignore[attr-defined]
    return value()


def _limit(field: Field) -> dict[str, Any]:
    """The text's maximum length for the counter (sbd.js), when the form sets one."""
    limit = getattr(field.flags, "maxlength", None)
    return {"data-maxlength": limit} if limit else {}


def _choices(field: Field, option_labels: Mapping[str, str] | None = None) -> list[tuple[Any, str]]:
    # SelectChoice, as forms.options() makes them, or plain (value, label) pairs
    choices: Iterable[Any] = getattr(field, "choices", None) or ()
    pairs = [(c[0], c[1]) if isinstance(c, tuple) else (c.value, c.label) for c in choices]
    if option_labels:
        pairs = [(value, option_labels.get(str(value), label)) for value, label in pairs]
    return pairs


def choice_list(field: Field, lang_attr: bool = False) -> Markup:
    """Radio buttons (single choice) or check boxes (multiple), each with its own label.

    ``lang_attr``: an English page; the option labels are the catalogue's Japanese text, so the
    list says ``lang="ja"`` (WCAG 3.1.2)."""
    kind = "checkbox" if isinstance(field, SelectMultipleField) else "radio"
    required = kind == "radio" and bool(field.flags.required)
    chosen = _selected(field)
    items = []
    for i, (value, label) in enumerate(_choices(field)):
        option_id = f"{field.id}-{i}"
        pairs = {"id": option_id, "name": field.name, "required": required, "type": kind, "value": value}
        pairs["checked"] = str(value) in chosen
        label_html = f'<label for="{escape(option_id)}">{escape(label)}</label>'
        items.append(f'<div class="choice"><input {_attrs(pairs)}> {label_html}</div>')
    lang = ' lang="ja"' if lang_attr else ""
    return Markup(f'<div class="choice-list"{lang}>{"".join(items)}</div>')
