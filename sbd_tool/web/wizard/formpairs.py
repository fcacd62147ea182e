"""A form as the (name, value) pairs a browser would post for it: how a form built on the server
(rows added without JavaScript, a diagram generated from step 2, a merge of two versions) is
kept as the user's draft, which the step page then shows after a redirect (post/redirect/get).

``form_class(formdata=MultiDict(form_pairs(form)))`` gives back a form with the same data.
"""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, Field, FieldList, FormField, RadioField, SelectMultipleField

SKIPPED = ("CSRFTokenField", "SubmitField")


def form_pairs(form: Any) -> list[list[str]]:
    """Every field's value, in the form's order, as ``[name, value]`` (the draft's ``pairs``)."""
    pairs: list[list[str]] = []
    for field in form:
        _field_pairs(field, pairs)
    return pairs


def _field_pairs(field: Field, pairs: list[list[str]]) -> None:
    if field.type in SKIPPED:
        return
    if isinstance(field, FieldList):
        for entry in field.entries:
            _field_pairs(entry, pairs)
    elif isinstance(field, FormField):
        for sub in field.form:
            _field_pairs(sub, pairs)
    elif isinstance(field, SelectMultipleField):
        pairs.extend([field.name, str(value)] for value in field.data or ())
    elif isinstance(field, BooleanField):
        if field.data:
            pairs.append([field.name, "y"])
    elif isinstance(field, RadioField):
        if field.data not in (None, ""):  # an unanswered radio group sends nothing
            pairs.append([field.name, str(field.data)])
    else:
        pairs.append([field.name, "" if field.data is None else str(field.data)])


def entry_anchor(form: Any, path: list[int | str]) -> str:
    """The id of the first visible field of the row that ``path`` (``["tasks", 0, "subjects", 2]``)
    names, or of the list's last row when the path ends with the list; "" when there is none."""
    node: Any = form
    for key in path:
        if isinstance(node, FieldList):
            if not isinstance(key, int) or not node.entries:
                return ""
            node = node.entries[min(key, len(node.entries) - 1)]
        else:
            form_of = node.form if isinstance(node, FormField) else node
            if not isinstance(key, str) or key not in form_of:
                return ""
            node = form_of[key]
    if isinstance(node, FieldList):
        if not node.entries:
            return ""
        node = node.entries[-1]
    if isinstance(node, FormField):
        for sub in node.form:
            if sub.type not in ("HiddenField", *SKIPPED):
                return str(sub.id)
        return ""
    return str(getattr(node, "id", ""))
