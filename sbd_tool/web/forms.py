"""WTForms classes built from the questionnaire at run time, one builder per kind of field.

Messages say in Japanese what to fix. Forms carry the project's ``version`` so that a save
from a stale tab is refused instead of overwriting newer work.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from sbd_tool.content import Catalogue
from sbd_tool.content.schema import Parameter, ProjectField, Question
from sbd_tool.dates import normalise_date
from sbd_tool.engine.parameters import check_value
from sbd_tool.limits import DIAGRAM_ELEMENTS, DIAGRAM_FLOWS, DIAGRAM_ZONES, MATRIX_ROWS, TASKS, Limit
from sbd_tool.text import clean_input, has_line_break, one_line
from sbd_tool.web.choices import SelectChoice


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Choices as WTForms wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


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


class Row(Form):
    """The base of the row forms inside a page form (tasks, subjects, diagram rows)."""

    class Meta(CleanMeta):
        pass


class WizardForm(CleanForm):
    version = HiddenField()


Rows = Callable[[Field], list[Any]]


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


def _rows(*names: str) -> Rows:
    """The rows of a list with any of ``names`` filled in (what a save keeps)."""
    return lambda field: [e.form for e in _entries(field) if _filled(e.form, *names)]


def _matrix_rows(field: Field) -> list[Any]:
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
    if question.applies_when is not None:  # asked only when an earlier answer holds: checked in steps.py
        required = Optional()
    if question.type == "single":
        return RadioField(question.label, choices=choices, validators=[required], description=question.help)
    return MultiCheckboxField(
        question.label, choices=choices, validators=[required, exclusive_check(question)], description=question.help
    )


@lru_cache(maxsize=8)
def purpose_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 1: the project fields and the list of tasks."""
    task_attrs: dict[str, Any] = {"id": HiddenField()}
    for spec in catalogue.steps.task_fields:
        task_attrs[spec.id] = text_field(spec, required=False)
    task_form = type("TaskForm", (Row,), task_attrs)
    attrs: dict[str, Any] = {spec.id: text_field(spec) for spec in catalogue.steps.project_fields}
    attrs["tasks"] = FieldList(
        FormField(task_form),
        label="業務",
        validators=[row_limit(TASKS, _rows("name", "description"), "name")],
        description=TASKS.help,
    )
    return type("PurposeForm", (WizardForm,), attrs)


@lru_cache(maxsize=8)
def features_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 2: per task, its subjects, information and means."""
    m = catalogue.steps.matrix
    subject = type(
        "SubjectForm",
        (Row,),
        {
            "name": StringField("主体の名称", [Optional(), Length(max=200, message="200文字以内にしてください。")]),
            "kind": SelectField("種類", choices=options([(o.id, o.label) for o in m.subject_kinds])),
        },
    )
    info_attrs: dict[str, Any] = {
        "name": StringField("情報の名称", [Optional(), Length(max=200, message="200文字以内にしてください。")])
    }
    for cl in m.classifications:
        info_attrs[cl.id] = SelectField(cl.label, choices=options([(o.id, o.label) for o in cl.classes]))
    info_attrs["pii"] = SelectField("個人情報", choices=options([(o.id, o.label) for o in m.pii]))
    information = type("InformationForm", (Row,), info_attrs)
    task = type(
        "TaskFeaturesForm",
        (Row,),
        {
            "id": HiddenField(),
            "subjects": FieldList(FormField(subject), label="主体"),
            "information": FieldList(FormField(information), label="情報"),
            "means": MultiCheckboxField("利用環境・手段", choices=options([(o.id, o.label) for o in m.means])),
        },
    )
    tasks: FieldList[Any] = FieldList(
        FormField(task), validators=[row_limit(MATRIX_ROWS, _matrix_rows, "name")], description=MATRIX_ROWS.help
    )
    return type("FeaturesForm", (WizardForm,), {"tasks": tasks})


@lru_cache(maxsize=8)
def diagram_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 3: zones, elements and flows as editable lists (choices of references set per request)."""
    vocab = catalogue.steps.diagram
    label = [Optional(), Length(max=100, message="100文字以内にしてください。")]
    zone = type(
        "ZoneForm",
        (Row,),
        {
            "id": HiddenField(),
            "kind": SelectField("区域の種類", choices=options([(k.id, k.label) for k in vocab.zone_kinds])),
            "label": StringField("区域の名称", label),
        },
    )
    element = type(
        "ElementForm",
        (Row,),
        {
            "id": HiddenField(),
            "kind": SelectField("要素の種類", choices=options([(k.id, k.label) for k in vocab.element_kinds])),
            "label": StringField("要素の名称", label),
            "zone": SelectField("置く区域", validate_choice=False),
        },
    )
    means = [("", "（指定なし）"), *((o.id, o.label) for o in catalogue.steps.matrix.means)]
    flow = type(
        "FlowForm",
        (Row,),
        {
            "id": HiddenField(),
            "source": SelectField("送信元", validate_choice=False),
            "target": SelectField("送信先", validate_choice=False),
            "information": SelectField("情報", validate_choice=False),
            "means": SelectField("利用環境・手段", choices=options(means)),
        },
    )
    return type(
        "DiagramForm",
        (WizardForm,),
        {
            "zones": FieldList(
                FormField(zone),
                label="区域",
                validators=[row_limit(DIAGRAM_ZONES, _rows("label"), "label")],
                description=DIAGRAM_ZONES.help,
            ),
            "elements": FieldList(
                FormField(element),
                label="要素",
                validators=[row_limit(DIAGRAM_ELEMENTS, _rows("label"), "label")],
                description=DIAGRAM_ELEMENTS.help,
            ),
            "flows": FieldList(
                FormField(flow),
                label="情報の流れ",
                validators=[row_limit(DIAGRAM_FLOWS, _rows("source", "target"), "source")],
                description=DIAGRAM_FLOWS.help,
            ),
        },
    )


@lru_cache(maxsize=8)
def questions_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 4: one field per fixed question."""
    attrs = {q.id: question_field(q) for q in catalogue.questions.values()}
    return type("QuestionsForm", (WizardForm,), attrs)


@lru_cache(maxsize=8)
def decisions_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 6: per requirement, the decided level and a reason."""
    attrs: dict[str, Any] = {}
    for rid in catalogue.requirements:
        choices = options([(lv, catalogue.level_label(lv)) for lv in catalogue.defined_levels(rid)])
        attrs[f"level_{rid}"] = SelectField(f"{rid} の実装レベル", choices=choices)
        attrs[f"reason_{rid}"] = TextAreaField(
            f"{rid} の決定の理由", [Optional(), Length(max=2000, message="理由は2000文字以内にしてください。")]
        )
        if catalogue.cloud is not None:  # shown when the system is on a cloud service
            parties = options([(p.id, p.label) for p in catalogue.cloud.parties])
            attrs[f"party_{rid}"] = SelectField(f"{rid} の実施主体", [Optional()], choices=parties)
            attrs[f"party_reason_{rid}"] = StringField(
                f"{rid} の実施主体を変える理由",
                [Optional(), Length(max=500, message="理由は500文字以内にしてください。")],
            )
    return type("DecisionsForm", (WizardForm,), attrs)


@lru_cache(maxsize=8)
def output_form(catalogue: Catalogue) -> type[WizardForm]:
    """Step 7: the document's title and date, and values for spec-text placeholders."""
    attrs: dict[str, Any] = {
        "title": StringField(
            lazy_gettext("表題（空欄なら「<名称> 調達仕様書（情報セキュリティ要件）」）"),
            [Optional(), Length(max=200, message=lazy_gettext("表題は200文字以内にしてください。"))],
        ),
        "date": StringField(
            lazy_gettext("作成日（YYYY-MM-DD、空欄なら出力した日）"),
            [Optional()],
            filters=[normalise_date],  # 2026/12/1, 令和8年12月1日, R8.12.1 → 2026-12-01
            description=lazy_gettext("「2026/12/1」「令和8年12月1日」「R8.12.1」の形でも入力できます。"),
        ),
        "compliance_appendix": BooleanField(
            lazy_gettext("別紙4として対応表（入札者が要件ごとに対応可否を記入する表）を付ける"),
            description=lazy_gettext("対応表は、下のボタンから Excel 形式でも出力できます。"),
        ),
        "start_chapter": StringField(
            lazy_gettext("貼り付ける節の章番号（空欄なら1）"),
            [Optional(), Length(max=2, message=lazy_gettext("章番号は1から99までの数字で入力してください。"))],
            description=lazy_gettext(
                "調達仕様書の第6章までがある場合は「7」とすると「7. 情報セキュリティに関する事項」となります。"
            ),
        ),
        "training_appendix": BooleanField(
            lazy_gettext("研修用の別紙（各対策要件の全ての実装レベルの考え方）を一式に付ける"),
            description=lazy_gettext("入札者向けの文書には付けません。研修や参考のための別紙です。"),
        ),
    }
    for p in catalogue.parameters.values():
        attrs[f"param_{p.id}"] = StringField(
            p.label,
            [Optional(), Length(max=200, message="200文字以内にしてください。"), _parameter_format(p)],
            # Blank: the value an answer implies (``question``), else the explicit 「発注者が指定する…」.
            description=p.help if p.question else f"{p.help}空欄にすると「{p.default}」と記載されます。",
        )
    return type("OutputForm", (WizardForm,), attrs)


def _parameter_format(param: Parameter) -> Any:
    """A step-7 parameter field's check of its kind (period, percentage, time window), in the
    words of ``sbd_tool.engine.parameters.check_value`` (the core checks answers files the same way)."""

    def check(_form: Any, field: Any) -> None:
        text = (field.data or "").strip()
        message = check_value(param, text) if text else None
        if message:
            raise ValidationError(message)

    return check
