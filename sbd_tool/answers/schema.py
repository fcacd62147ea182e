"""JSON Schema of ``sbd-tool/answers@1``: generated from the structural model (``AnswersDoc``),
then given the loaded catalogue's vocabulary (questions and options, requirement ids, parameter
ids, clause keys, required texts) so that it lists exactly what the parser accepts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sbd_tool.answers.model import FORMAT, AnswersDoc
from sbd_tool.answers.obligations import OBLIGATIONS, clause_traits
from sbd_tool.answers.tailoring import catalogue_clauses
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import ProjectField

Schema = dict[str, Any]


class _Option(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


def _enum(options: Sequence[_Option], sep: str = " / ") -> Schema:
    return {"enum": [o.id for o in options], "description": sep.join(f"{o.id}: {o.label}" for o in options)}


def _text(field: ProjectField) -> Schema:
    return {"type": "string", "maxLength": field.max_length, "title": field.label, "description": field.help}


def _plain(node: Any, defs: Schema) -> Any:
    """The model's schema without ``$ref``s (inlined), ``null`` alternatives (a file leaves a key
    out rather than writing null) and pydantic's English titles and null defaults."""
    if isinstance(node, list):
        return [_plain(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return _plain({**defs[node["$ref"].rsplit("/", 1)[1]], **rest}, defs)
    node = {k: v for k, v in node.items() if k != "title" and not (k == "default" and v is None)}
    options = [o for o in node.pop("anyOf", []) if o != {"type": "null"}]
    if len(options) == 1:
        return _plain({**options[0], **node}, defs)
    if options:
        node["anyOf"] = options
    out = {k: v if k in ("enum", "const", "required", "properties") else _plain(v, defs) for k, v in node.items()}
    if "properties" in out:  # its keys are the file's, one may be called "title"
        out["properties"] = {name: _plain(value, defs) for name, value in out["properties"].items()}
    return out


def _structure() -> Schema:
    raw = AnswersDoc.model_json_schema(by_alias=True)
    return dict(_plain({k: v for k, v in raw.items() if k != "$defs"}, raw.get("$defs", {})))


def _project(schema: Schema, catalogue: Catalogue) -> None:
    m, steps = catalogue.steps.matrix, catalogue.steps
    project = schema["properties"]["project"]
    project["required"] = [f.id for f in steps.project_fields if f.required]
    project["properties"].update({f.id: _text(f) for f in steps.project_fields})
    task = project["properties"]["tasks"]["items"]
    task["required"] = [f.id for f in steps.task_fields if f.required]
    task["properties"]["id"]["title"] = "業務のid（省略時は T1, T2, …）"
    task["properties"].update({f.id: _text(f) for f in steps.task_fields})
    subject = task["properties"]["subjects"]
    subject.update(title="主体")
    subject["items"]["required"] = ["name", "kind"]
    subject["items"]["properties"]["kind"] = _enum(m.subject_kinds)
    information = task["properties"]["information"]
    information.update(title="情報")
    information["items"]["required"] = ["name"]
    information["items"]["properties"].update(
        {
            c.id: {
                "enum": [int(o.id) if o.id.isdigit() else o.id for o in c.classes],
                "title": c.label,
                "description": " / ".join(f"{o.id}: {o.label}" for o in c.classes),
            }
            for c in m.classifications
        }
    )
    information["items"]["properties"]["name"]["title"] = "情報の名称"
    information["items"]["properties"]["pii"] = {**_enum(m.pii), "title": "個人情報"}
    task["properties"]["means"] = {
        "type": "array",
        "title": "利用環境・手段",
        "items": _enum(m.means),
        "uniqueItems": True,
    }


def _diagram(schema: Schema, catalogue: Catalogue) -> None:
    vocab = catalogue.steps.diagram
    diagram = schema["properties"]["diagram"]
    diagram["title"] = "システム概要図"
    diagram["description"] = "区域（境界）、区域に置く要素、要素間の情報の流れ。idは図全体で一意。"
    parts = diagram["properties"]
    parts["zones"]["items"]["required"] = ["kind"]
    parts["zones"]["items"]["properties"]["kind"] = _enum(vocab.zone_kinds, "、")
    parts["elements"]["items"]["required"] = ["kind", "label"]
    parts["elements"]["items"]["properties"]["kind"] = _enum(vocab.element_kinds, "、")
    flow = parts["flows"]["items"]
    flow["required"] = ["from", "to"]
    flow["properties"]["information"]["description"] = "手順2の情報の名称"
    flow["properties"]["means"] = _enum(catalogue.steps.matrix.means)


def _keyed(section: Schema, keys: list[str], required: list[str], description: str) -> None:
    """A section keyed by the catalogue's ids (requirements, clauses)."""
    section["propertyNames"] = {"enum": keys}
    section["additionalProperties"]["required"] = required
    section["description"] = description


def _decisions(props: Schema, catalogue: Catalogue) -> None:
    requirements = list(catalogue.requirements)
    _keyed(
        props["decisions"], requirements, ["level"], "対策要件ごとの決定レベル。提案より下げる場合は reason が必須。"
    )
    props["decisions"]["additionalProperties"]["properties"]["level"] = {"enum": list(LEVELS)}
    if catalogue.cloud is None:
        del props["responsibilities"]
        return
    description = "クラウド利用時の要件ごとの実施主体。既定から変える場合は reason が必須。"
    _keyed(props["responsibilities"], requirements, ["party"], description)
    parties = [p.id for p in catalogue.cloud.parties]
    props["responsibilities"]["additionalProperties"]["properties"]["party"] = {"enum": parties}


def _clauses(props: Schema, catalogue: Catalogue) -> None:
    obligations = props["obligations"]
    obligations["title"] = "条項ごとの必須／提案の変更"
    description = (
        "条項のキー（AU-1.middle.2、cloud.exit.1 等）ごとに、必須（required）又は提案（proposal）を指定する。"
        "対策要件集の区分から変える場合は reason（理由）が必須。"
    )
    _keyed(obligations, sorted(clause_traits(catalogue)), ["obligation"], description)
    obligation = {"enum": list(OBLIGATIONS), "title": "必須（required）又は提案（proposal）"}
    obligations["additionalProperties"]["properties"]["obligation"] = obligation
    obligations["additionalProperties"]["properties"]["reason"]["title"] = "変更の理由"
    description = (
        "条項の文言の変更（条項のキー（AU-1.middle.2、cloud.exit.1 等） → 変更後の文言と理由）。"
        "catalogue_text は変更時の対策要件集の文言。"
    )
    _keyed(props["tailoring"], list(catalogue_clauses(catalogue)), ["text", "reason"], description)
    added = props["added_clauses"]
    added["description"] = "対策要件に追加する条項（要件の条項の後に記載する）。理由は必須。"
    added["items"]["required"] = ["requirement", "text", "reason"]
    added["items"]["properties"]["requirement"] = {"enum": list(catalogue.requirements)}
    added["items"]["properties"]["obligation"] = {
        "enum": list(OBLIGATIONS),
        "default": "required",
        "description": "必須 / 提案",
    }


def _answers_and_parameters(props: Schema, catalogue: Catalogue) -> None:
    answers: Schema = {}
    for q in catalogue.questions.values():
        one = _enum(q.options)
        answers[q.id] = (
            {**one, "title": q.label}
            if q.type == "single"
            else {"type": "array", "items": one, "minItems": 1, "uniqueItems": True, "title": q.label}
        )
    props["answers"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": answers,
        "description": "定型設問への回答。省略した設問は業務の特徴から推定される。",
    }
    props["parameters"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            p.id: {"type": "string", "maxLength": 200, "title": p.label, "description": p.help}
            for p in catalogue.parameters.values()
        },
    }


def _document(props: Schema) -> None:
    doc = props["document"]["properties"]
    doc["title"]["title"] = "表題"
    doc["date"]["title"] = "作成日"
    doc["compliance_appendix"]["title"] = "別紙4として対応表を付ける"
    doc["start_chapter"]["title"] = "貼り付ける節の章番号"
    doc["start_chapter"]["description"] = (
        "仕様書に貼り付ける節「情報セキュリティに関する事項」の章番号（調達仕様書の章番号に続ける）。"
    )
    doc["training_appendix"]["title"] = "研修用の別紙（全レベルの考え方）を付ける"


def answers_schema(catalogue: Catalogue) -> Schema:
    """The schema as a plain dict (draft 2020-12)."""
    schema = _structure()
    props = schema["properties"]
    props["format"] = {"const": FORMAT}
    _project(schema, catalogue)
    _diagram(schema, catalogue)
    _answers_and_parameters(props, catalogue)
    _decisions(props, catalogue)
    _clauses(props, catalogue)
    _document(props)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": FORMAT,
        **schema,
        "title": "sbd-tool answers file",
        "description": "調達案件の業務の特徴、定型設問への回答及び対策要件の決定。",
        "required": ["format", "project", "answers"],
    }
