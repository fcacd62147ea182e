"""The shape of an answers file (``sbd-tool/answers@1``) as a typed pydantic model.

This is the structural pass: types, which keys exist (no others), list limits (``sbd_tool.limits``).
Whatever depends on the catalogue (question ids and options, requirement ids, levels, parameter
ids, clause keys, text lengths of the questionnaire's fields) is the second pass in
``sbd_tool.answers.read``. Messages are Japanese, as the hand-written parser gave them; the
validators raise them directly, and ``sbd_tool.answers.errors`` maps pydantic's own errors.

Validated with ``context={"lenient": True}`` the leaf validators do not raise but give a
fallback (the problem was reported by a first, raising validation), so that a document with
problems still yields a typed form.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from sbd_tool.dates import parse_date
from sbd_tool.limits import (
    ADDED_CLAUSES,
    CLAUSE_REASON_CHARS,
    CLAUSE_TEXT_CHARS,
    DIAGRAM_ELEMENTS,
    DIAGRAM_FLOWS,
    DIAGRAM_ZONES,
    TASKS,
)

FORMAT = "sbd-tool/answers@1"
MAX_START_CHAPTER = 99


def type_name(value: Any) -> str:
    """The Japanese name of a YAML/JSON value's type, as the messages state it."""
    return {str: "文字列", int: "整数", float: "数値", bool: "真偽値", list: "リスト", dict: "マッピング"}.get(
        type(value), type(value).__name__
    )


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _text(value: Any, info: ValidationInfo) -> Any:
    """A text: a string, or a number written without quotes (read as its digits)."""
    if value is None or isinstance(value, str):
        return value
    ctx = _context(info)
    if isinstance(value, bool) or not isinstance(value, int | float):
        if ctx.get("lenient"):
            return ""
        raise PydanticCustomError(
            "text_type", "文字列を指定してください（{type}が指定されています）", {"type": type_name(value)}
        )
    if isinstance(value, float) and not math.isfinite(value) and ctx.get("strict") and not ctx.get("lenient"):
        message = '数として扱えない値（{value}）です。文字列なら引用符（"）で囲んでください'
        raise PydanticCustomError("not_finite", message, {"value": str(value)})
    return str(value)


def _choice(value: Any, info: ValidationInfo) -> Any:
    """The id of an option (a string, or a number such as a class 2); the options themselves are
    the catalogue's (checked in the second pass). ``None`` is refused: the key is given empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if _context(info).get("lenient"):
        return None
    raise PydanticCustomError(
        "choice_type", "選択肢のidを指定してください（{type}が指定されています）", {"type": type_name(value)}
    )


def _chapter(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_START_CHAPTER:
        return value
    if _context(info).get("lenient"):
        return 1
    message = "章番号は1から{max}までの整数で指定してください（指定値: {value}）"
    raise PydanticCustomError("chapter", message, {"max": MAX_START_CHAPTER, "value": str(value)[:20]})


def _date(value: Any, info: ValidationInfo) -> Any:
    lenient = _context(info).get("lenient")
    if isinstance(value, str):
        try:
            return parse_date(value)  # 2026-12-01, 2026/12/1, 令和8年12月1日, R8.12.1 …
        except ValueError as exc:
            if lenient:
                return None
            raise PydanticCustomError("date", str(exc).replace("{", "{{").replace("}", "}}")) from exc
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    if lenient:
        return None
    raise PydanticCustomError("date", "日付は YYYY-MM-DD の形で指定してください")


def _format(value: Any, info: ValidationInfo) -> Any:
    if value == FORMAT or _context(info).get("lenient"):
        return FORMAT
    message = "'{expected}' を指定してください（指定値: {given}）"
    raise PydanticCustomError("format", message, {"expected": FORMAT, "given": repr(value)})


Text = Annotated[str | None, BeforeValidator(_text)]
Choice = Annotated[str | None, BeforeValidator(_choice)]
Chapter = Annotated[int, BeforeValidator(_chapter)]
Date = Annotated[dt.date | None, BeforeValidator(_date)]
Format = Annotated[str, BeforeValidator(_format)]
Mapping = dict[str, Any]
# Lengths the second pass checks on the normalised text (so not refused here), stated in the schema.
ClauseText = Annotated[Text, Field(json_schema_extra={"minLength": 1, "maxLength": CLAUSE_TEXT_CHARS})]
ClauseReason = Annotated[Text, Field(json_schema_extra={"minLength": 1, "maxLength": CLAUSE_REASON_CHARS})]


class _Doc(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_empty(cls, data: Any) -> Any:
        """A mapping written as null (``- ~`` in a list) is read as an empty one."""
        return {} if data is None else data


class SubjectDoc(_Doc):
    name: Text = None
    kind: Choice = None  # absent: the second pass asks for it


class InformationDoc(_Doc):
    name: Text = None
    confidentiality: Choice = None  # absent: the catalogue's first class
    integrity: Choice = None
    availability: Choice = None
    pii: Choice = None


class TaskDoc(_Doc):
    id: Text = None  # absent: T1, T2, …
    name: Text = None
    description: Text = None
    subjects: list[SubjectDoc] | None = None
    information: list[InformationDoc] | None = None
    means: list[Choice] | None = None


class ProjectDoc(_Doc):
    name: Text = None
    organisation: Text = None
    purpose: Text = None
    effects: Text = None
    tasks: Annotated[list[TaskDoc], Field(max_length=TASKS.count)] | None = None


class ZoneDoc(_Doc):
    id: Text = None
    kind: Choice = Field(None, validate_default=True)
    label: Text = None


class ElementDoc(_Doc):
    id: Text = None
    kind: Choice = Field(None, validate_default=True)
    label: Text = None
    zone: Text = None


class FlowDoc(_Doc):
    id: Text = None
    source: Text = Field(None, alias="from")
    target: Text = Field(None, alias="to")
    information: Text = None
    means: Annotated[str | None, BeforeValidator(lambda v, i: None if not v else _choice(v, i))] = None


class DiagramDoc(_Doc):
    zones: Annotated[list[ZoneDoc], Field(max_length=DIAGRAM_ZONES.count)] | None = None
    elements: Annotated[list[ElementDoc], Field(max_length=DIAGRAM_ELEMENTS.count)] | None = None
    flows: Annotated[list[FlowDoc], Field(max_length=DIAGRAM_FLOWS.count)] | None = None


class DecisionDoc(_Doc):
    level: Choice = Field(None, validate_default=True)
    reason: Text = None


class AssignmentDoc(_Doc):
    party: Choice = Field(None, validate_default=True)
    reason: Text = None


class DocumentDoc(_Doc):
    title: Text = None
    date: Date = None
    compliance_appendix: bool = False
    start_chapter: Chapter = Field(1, json_schema_extra={"minimum": 1, "maximum": MAX_START_CHAPTER})
    training_appendix: bool = False


class ObligationDoc(_Doc):
    obligation: Choice = Field(None, validate_default=True)
    reason: Text = None


class TailoredDoc(_Doc):
    text: ClauseText = None
    reason: ClauseReason = None
    catalogue_text: Text = None


class AddedClauseDoc(_Doc):
    requirement: Text = None
    text: ClauseText = None
    reason: ClauseReason = None
    obligation: Choice = "required"


class AnswersDoc(_Doc):
    """The whole file. ``answers`` maps question ids to options, whose type (one option or a list)
    is the question's: the second pass checks them against the catalogue."""

    format: Format = Field(None, validate_default=True)
    project: ProjectDoc | None = None
    diagram: DiagramDoc | None = None
    answers: Mapping | None = None
    decisions: dict[str, DecisionDoc] | None = None
    responsibilities: dict[str, AssignmentDoc] | None = None
    parameters: dict[str, Text] | None = None
    document: DocumentDoc | None = None
    obligations: dict[str, ObligationDoc] | None = None
    tailoring: dict[str, TailoredDoc] | None = None
    added_clauses: Annotated[list[AddedClauseDoc], Field(max_length=ADDED_CLAUSES.count)] | None = None


TOP_KEYS = tuple(AnswersDoc.model_fields)
