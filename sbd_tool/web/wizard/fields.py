"""The pieces the wizard's forms are built from: the row and page bases (``Row``,
``WizardForm``, which carries the project's ``version`` so that a save from a stale tab is
refused), limits on editable lists, and one builder per kind of field from the questionnaire.

Messages say in Japanese what to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import (
    Field,
    FieldList,
    Form,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.content.schema import Parameter, ProjectField, Question
from sbd_tool.engine.parameters import check_value
from sbd_tool.limits import Limit
from sbd_tool.web.forms import CleanForm, CleanMeta, options


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Row(Form):
    """The base of the row forms inside a page form (tasks, subjects, diagram rows)."""

    class Meta(CleanMeta):
        pass


class WizardForm(CleanForm):
    version = HiddenField()


Rows = Callable[[Field], list[Any]]
Errors = list[tuple[Field, str]]  # problems found beyond the fields' own validators, each on its field


def _filled(form: Any, *names: str) -> bool:
    return any((form[name].data or "").strip() for name in names)


def row_limit(limit: Limit, rows: Rows, target: str) -> Callable[[Form, Field], None]:
    """A validator for an editable list (``sbd_tool.limits``): more than ``limit.count`` filled
    rows is refused, with the message on the ``target`` field of the first row past the limit,
    where the page shows it (a list's own errors are not drawn)."""

    def check(_form: Form, field: Field) -> None:
        kept = rows(field)
        if len(kept) > limit.count:
            extra = kept[limit.count][target]
            extra.errors = [*extra.errors, limit.form_refusal]
            raise ValidationError(limit.form_refusal)

    return check


def _entries(field: Field) -> list[Any]:
    """A FieldList's rows (the stubs type ``Rows`` callbacks' argument as a plain Field)."""
    assert isinstance(field, FieldList)
    return list(field.entries)


def filled_rows(*names: str) -> Rows:
    """The rows of a list with any of ``names`` filled in (what a save keeps)."""
    return lambda field: [e.form for e in _entries(field) if _filled(e.form, *names)]


def matrix_rows(field: Field) -> list[Any]:
    """Step 2: the named subject and information rows of all tasks together."""
    return [
        row.form
        for task in _entries(field)
        for kind in ("subjects", "information")
        for row in task.form[kind].entries
        if _filled(row.form, "name")
    ]


def text_field(spec: ProjectField, *, required: bool | None = None) -> Field:
    """A text input or text area for a project/task field in steps.yaml."""
    must = spec.required if required is None else required
    validators: list[Any] = [DataRequired(f"「{spec.label}」を入力してください。")] if must else [Optional()]
    validators.append(
        Length(max=spec.max_length, message=f"「{spec.label}」は{spec.max_length}文字以内にしてください。")
    )
    kind = TextAreaField if spec.multiline else StringField
    return kind(spec.label, validators=validators, description=spec.help)


def exclusive_check(question: Question) -> Any:
    def check(_form: Form, field: Field) -> None:
        for ex in question.exclusive:
            if ex in (field.data or []) and len(field.data) > 1:
                label = next(o.label for o in question.options if o.id == ex)
                raise ValidationError(f"「{label}」は他の選択肢と同時に選べません。どちらかを外してください。")

    return check


def question_field(question: Question) -> Field:
    """A radio group (single choice) or a checkbox group (multi) for a fixed question."""
    choices = options([(o.id, o.label) for o in question.options])
    required: Any = DataRequired(f"「{question.label}」の回答を選んでください。")
    if question.applies_when is not None:  # asked only when an earlier answer holds: checked in storers.py
        required = Optional()
    if question.type == "single":
        return RadioField(question.label, choices=choices, validators=[required], description=question.help)
    return MultiCheckboxField(
        question.label, choices=choices, validators=[required, exclusive_check(question)], description=question.help
    )


def parameter_format(param: Parameter) -> Any:
    """A step-7 parameter field's check of its kind (period, percentage, time window), in the
    words of ``sbd_tool.engine.parameters.check_value`` (the core checks answers files the same way)."""

    def check(_form: Any, field: Any) -> None:
        text = (field.data or "").strip()
        message = check_value(param, text) if text else None
        if message:
            raise ValidationError(message)

    return check
