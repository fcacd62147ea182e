"""JSON Schema of ``sbd-tool/answers@1``, generated from the loaded questionnaire so that it
always lists the questions and options the parser accepts."""

from __future__ import annotations

from typing import Any

from sbd_tool.answers import FORMAT
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import Option, ProjectField
from sbd_tool.obligations import OBLIGATIONS, clause_traits
from sbd_tool.tailoring import tailoring_schema


def _enum(options: list[Option]) -> dict[str, Any]:
    return {"enum": [o.id for o in options], "description": " / ".join(f"{o.id}: {o.label}" for o in options)}


def _text(field: ProjectField) -> dict[str, Any]:
    return {"type": "string", "maxLength": field.max_length, "title": field.label, "description": field.help}


def _diagram_schema(catalogue: Catalogue) -> dict[str, Any]:
    vocab = catalogue.steps.diagram
    text = {"type": "string"}

    def kinds(options: list[Any]) -> dict[str, Any]:
        return {"enum": [o.id for o in options], "description": "、".join(f"{o.id}: {o.label}" for o in options)}

    def item(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": required, "properties": properties}

    return {
        "type": "object",
        "additionalProperties": False,
        "title": "システム概要図",
        "description": "区域（境界）、区域に置く要素、要素間の情報の流れ。idは図全体で一意。",
        "properties": {
            "zones": {
                "type": "array",
                "items": item(["kind"], {"id": text, "kind": kinds(vocab.zone_kinds), "label": text}),
            },
            "elements": {
                "type": "array",
                "items": item(
                    ["kind", "label"],
                    {"id": text, "kind": kinds(vocab.element_kinds), "label": text, "zone": text},
                ),
            },
            "flows": {
                "type": "array",
                "items": item(
                    ["from", "to"],
                    {
                        "id": text,
                        "from": text,
                        "to": text,
                        "information": {**text, "description": "手順2の情報の名称"},
                        "means": _enum(catalogue.steps.matrix.means),
                    },
                ),
            },
        },
    }


def obligations_schema(catalogue: Catalogue) -> dict[str, Any]:
    """``obligations``: the officer's 必須/提案 for a clause, by clause key (sbd_tool/obligations.py)."""
    return {
        "type": "object",
        "title": "条項ごとの必須／提案の変更",
        "description": (
            "条項のキー（AU-1.middle.2、cloud.exit.1 等）ごとに、必須（required）又は提案（proposal）を指定する。"
            "対策要件集の区分から変える場合は reason（理由）が必須。"
        ),
        "propertyNames": {"enum": sorted(clause_traits(catalogue))},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "required": ["obligation"],
            "properties": {
                "obligation": {"enum": list(OBLIGATIONS), "title": "必須（required）又は提案（proposal）"},
                "reason": {"type": "string", "title": "変更の理由"},
            },
        },
    }


def answers_schema(catalogue: Catalogue) -> dict[str, Any]:
    """The schema as a plain dict (draft 2020-12)."""
    m = catalogue.steps.matrix
    classes: dict[str, Any] = {
        c.id: {
            "enum": [int(o.id) if o.id.isdigit() else o.id for o in c.classes],
            "title": c.label,
            "description": " / ".join(f"{o.id}: {o.label}" for o in c.classes),
        }
        for c in m.classifications
    }
    information = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "title": "情報の名称"},
            **classes,
            "pii": {**_enum(m.pii), "title": "個人情報"},
        },
    }
    task = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.id for f in catalogue.steps.task_fields if f.required],
        "properties": {
            "id": {"type": "string", "title": "業務のid（省略時は T1, T2, …）"},
            **{f.id: _text(f) for f in catalogue.steps.task_fields},
            "subjects": {
                "type": "array",
                "title": "主体",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "kind"],
                    "properties": {"name": {"type": "string"}, "kind": _enum(m.subject_kinds)},
                },
            },
            "information": {"type": "array", "title": "情報", "items": information},
            "means": {"type": "array", "title": "利用環境・手段", "items": _enum(m.means), "uniqueItems": True},
        },
    }
    answers: dict[str, Any] = {}
    for q in catalogue.questions.values():
        one = _enum(q.options)
        answers[q.id] = (
            {**one, "title": q.label}
            if q.type == "single"
            else {"type": "array", "items": one, "minItems": 1, "uniqueItems": True, "title": q.label}
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": FORMAT,
        "title": "sbd-tool answers file",
        "description": "調達案件の業務の特徴、定型設問への回答及び対策要件の決定。",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "project", "answers"],
        "properties": {
            "format": {"const": FORMAT},
            "project": {
                "type": "object",
                "additionalProperties": False,
                "required": [f.id for f in catalogue.steps.project_fields if f.required],
                "properties": {
                    **{f.id: _text(f) for f in catalogue.steps.project_fields},
                    "tasks": {"type": "array", "items": task},
                },
            },
            "diagram": _diagram_schema(catalogue),
            "answers": {
                "type": "object",
                "additionalProperties": False,
                "properties": answers,
                "description": "定型設問への回答。省略した設問は業務の特徴から推定される。",
            },
            "decisions": {
                "type": "object",
                "propertyNames": {"enum": list(catalogue.requirements)},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["level"],
                    "properties": {"level": {"enum": list(LEVELS)}, "reason": {"type": "string"}},
                },
                "description": "対策要件ごとの決定レベル。提案より下げる場合は reason が必須。",
            },
            **(
                {
                    "responsibilities": {
                        "type": "object",
                        "propertyNames": {"enum": list(catalogue.requirements)},
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["party"],
                            "properties": {
                                "party": {"enum": [p.id for p in catalogue.cloud.parties]},
                                "reason": {"type": "string"},
                            },
                        },
                        "description": "クラウド利用時の要件ごとの実施主体。既定から変える場合は reason が必須。",
                    }
                }
                if catalogue.cloud is not None
                else {}
            ),
            "parameters": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    p.id: {"type": "string", "maxLength": 200, "title": p.label, "description": p.help}
                    for p in catalogue.parameters.values()
                },
            },
            "obligations": obligations_schema(catalogue),
            "document": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "title": "表題"},
                    "date": {"type": "string", "format": "date", "title": "作成日"},
                    "compliance_appendix": {"type": "boolean", "title": "別紙4として対応表を付ける"},
                    "start_chapter": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 99,
                        "default": 1,
                        "title": "貼り付ける節の章番号",
                        "description": (
                            "仕様書に貼り付ける節「情報セキュリティに関する事項」の章番号（調達仕様書の章番号に続ける）。"
                        ),
                    },
                    "training_appendix": {
                        "type": "boolean",
                        "title": "研修用の別紙（全レベルの考え方）を付ける",
                    },
                },
            },
            **tailoring_schema(catalogue),
        },
    }
