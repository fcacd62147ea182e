"""The wizard's step forms: WTForms classes built from the questionnaire at run time, one
builder per step (the pieces are in ``fields``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext
from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from sbd_tool.content import Catalogue
from sbd_tool.dates import normalise_date
from sbd_tool.limits import DIAGRAM_ELEMENTS, DIAGRAM_FLOWS, DIAGRAM_ZONES, MATRIX_ROWS, TASKS
from sbd_tool.web.forms import options
from sbd_tool.web.wizard.fields import (
    MultiCheckboxField,
    Row,
    WizardForm,
    filled_rows,
    matrix_rows,
    parameter_format,
    question_field,
    row_limit,
    text_field,
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
        validators=[row_limit(TASKS, filled_rows("name", "description"), "name")],
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
        FormField(task), validators=[row_limit(MATRIX_ROWS, matrix_rows, "name")], description=MATRIX_ROWS.help
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
                validators=[row_limit(DIAGRAM_ZONES, filled_rows("label"), "label")],
                description=DIAGRAM_ZONES.help,
            ),
            "elements": FieldList(
                FormField(element),
                label="要素",
                validators=[row_limit(DIAGRAM_ELEMENTS, filled_rows("label"), "label")],
                description=DIAGRAM_ELEMENTS.help,
            ),
            "flows": FieldList(
                FormField(flow),
                label="情報の流れ",
                validators=[row_limit(DIAGRAM_FLOWS, filled_rows("source", "target"), "source")],
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
            [Optional(), Length(max=200, message="200文字以内にしてください。"), parameter_format(p)],
            # Blank: the value an answer implies (``question``), else the explicit 「発注者が指定する…」.
            description=p.help if p.question else f"{p.help}空欄にすると「{p.default}」と記載されます。",
        )
    return type("OutputForm", (WizardForm,), attrs)
