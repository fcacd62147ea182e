"""The lenient structural read of an answers file: the typed document (``AnswersDoc``) and every
problem with its key path (``project.tasks[0].name``) and the Japanese message the hand-written
parser gave.

Pydantic stops inside a value it refuses (a task that is not a mapping hides its fields), so the
document is validated, the refused containers are pruned the way the old parser read them (a
bad mapping as empty, a long list cut to its limit, an unknown key dropped), and validated again
until nothing is pruned; a last validation in lenient mode gives fallbacks for refused leaves.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sbd_tool.answers.model import AnswersDoc, type_name
from sbd_tool.limits import ADDED_CLAUSES, DIAGRAM_ELEMENTS, DIAGRAM_FLOWS, DIAGRAM_ZONES, TASKS, Limit
from sbd_tool.problems import Problem

Options = Callable[[str], list[str]]  # a choice's option ids by key path (the catalogue's)
LIMITS: dict[str, Limit] = {
    "tasks": TASKS,
    "zones": DIAGRAM_ZONES,
    "elements": DIAGRAM_ELEMENTS,
    "flows": DIAGRAM_FLOWS,
    "added_clauses": ADDED_CLAUSES,
}
UNKNOWN_KEY = "定義されていない項目です"  # how an unknown key's message starts
_MAPPING = "キーと値の組（マッピング）を指定してください（{type}が指定されています）"
# pydantic's own error types → the message (``{type}``: the given value's type; ``{allowed}``: the keys).
MESSAGES: dict[str, str] = {
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    "list_type": "リストを指定してください（{type}が指定されています）",
    "string_type": "文字列を指定してください（{type}が指定されています）",
    "bool_type": "true 又は false を指定してください",
    "extra_forbidden": UNKNOWN_KEY + "（使える項目: {allowed}）",
}
_EMPTY_MAPPING = {"model_type", "model_attributes_type", "dict_type"}
_EN_MAPPING = "give a mapping of keys to values (a {type} is given)"
# Every error type → the message in English (``{type}`` in English; the others from the error).
ENGLISH: dict[str, str] = {
    "model_type": _EN_MAPPING,
    "model_attributes_type": _EN_MAPPING,
    "dict_type": _EN_MAPPING,
    "list_type": "give a list (a {type} is given)",
    "string_type": "give a text (a {type} is given)",
    "text_type": "give a text (a {type} is given)",
    "choice_type": "give one of {options} (a {type} is given)",
    "bool_type": "give true or false",
    "extra_forbidden": "unknown key (the keys allowed: {allowed})",
    "too_long": "at most {max_length} items (there are {actual_length})",
    "not_finite": 'not a usable number ({value}); put a text in quotes (")',
    "chapter": "give the chapter number as a whole number from 1 to {max} (given: {value})",
    "date": "give a date such as 2026-12-01",
    "format": "give '{expected}' (given: {given})",
}
_EN_TYPES = {"str": "text", "int": "whole number", "float": "number", "bool": "true/false", "NoneType": "null"}


def english(err: ErrorDetails, options: list[str], allowed: tuple[str, ...]) -> str:
    """The English message of one error (pydantic's own for a type not in ``ENGLISH``)."""
    template = ENGLISH.get(err["type"])
    if template is None:
        return err["msg"]
    value_type = type(err.get("input")).__name__
    fields = {**err.get("ctx", {}), "type": _EN_TYPES.get(value_type, value_type)}
    fields.update(options=" / ".join(options), allowed=", ".join(allowed))
    return template.format_map(fields)


def where(loc: tuple[int | str, ...]) -> str:
    """``("project", "tasks", 0, "name")`` → ``project.tasks[0].name``."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(tp: Any) -> Any:
    """The type inside ``Annotated[…]`` and ``X | None``."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def allowed_keys(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The keys the model allows in the mapping at ``loc``, in the file's documented order."""
    tp: Any = AnswersDoc
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = {f.alias or name: f for name, f in tp.model_fields.items()}
            tp = fields[str(part)].annotation
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tuple(f.alias or name for name, f in tp.model_fields.items())
    return ()


def problem(err: ErrorDetails, options: Options) -> Problem:
    """One pydantic error as the parser's problem, in Japanese and English."""
    loc, kind = tuple(err["loc"]), err["type"]
    on_key = bool(loc) and loc[-1] == "[key]"
    path = where(loc)
    choices = options(path) if kind == "choice_type" else []
    allowed = allowed_keys(loc[:-2] if on_key else loc[:-1]) if kind in MESSAGES else ()
    en = english(err, choices, allowed)
    given = type_name(err.get("input"))
    if choices:
        return Problem(path, f"{' / '.join(choices)} のいずれかを指定してください（{given}が指定されています）", en)
    if kind == "too_long" and str(loc[-1]) in LIMITS:
        found = int(err.get("ctx", {}).get("actual_length", 0))
        return Problem(path, LIMITS[str(loc[-1])].refusal(found), en)
    if kind in MESSAGES:
        return Problem(path, MESSAGES[kind].format(type=given, allowed=", ".join(allowed)), en)
    return Problem(path, err["msg"], en)  # the validators' own (Japanese) messages


def _prune(data: Any, err: ErrorDetails) -> bool:
    """Make the value at the error's place readable as the old parser read it; whether it changed."""
    loc, kind = tuple(err["loc"]), err["type"]
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        kind = "extra_forbidden"
    if not loc:
        return False
    parent = data
    try:
        for part in loc[:-1]:
            parent = parent[part]
    except (KeyError, IndexError, TypeError):  # a value shared by two places, pruned at the first
        return False
    last = loc[-1]
    if kind in _EMPTY_MAPPING:
        parent[last] = {}
    elif kind == "too_long":
        parent[last] = parent[last][: LIMITS[str(last)].count if str(last) in LIMITS else 0]
    elif kind in ("extra_forbidden", "list_type", "bool_type", "string_type") and isinstance(parent, dict):
        if last not in parent:  # a mapping shared by two places, pruned at the first
            return False
        del parent[last]
    else:
        return False  # a leaf the lenient validation replaces by its fallback
    return True


def read_document(data: dict[str, Any], options: Options, *, strict: bool = False) -> tuple[AnswersDoc, list[Problem]]:
    """The typed document and the structural problems of ``data`` (a mapping), in order, each once."""
    try:  # the usual case (a stored project, an example): valid at once, nothing copied
        return AnswersDoc.model_validate(data, context={"strict": strict}), []
    except ValidationError:
        pass
    work = copy.deepcopy(data)
    found: dict[tuple[str, str], Problem] = {}
    for _ in range(20):  # each round prunes one level deeper; files are far shallower
        try:
            AnswersDoc.model_validate(work, context={"strict": strict})
            break
        except ValidationError as exc:
            changed = False
            for err in exc.errors():
                p = problem(err, options)
                found.setdefault((p.where, p.message), p)
                changed = _prune(work, err) or changed
            if not changed:
                break
    for _ in range(20):
        try:
            return AnswersDoc.model_validate(work, context={"strict": strict, "lenient": True}), list(found.values())
        except ValidationError as exc:  # not expected: every refusal is pruned or has a fallback
            for err in exc.errors():
                p = problem(err, options)
                found.setdefault((p.where, p.message), p)
                _drop(work, tuple(err["loc"]))
    return AnswersDoc.model_validate({}, context={"lenient": True}), list(found.values())


def _drop(data: Any, loc: tuple[int | str, ...]) -> None:
    """Remove what is at ``loc`` (the last resort: a value no fallback reads)."""
    loc = loc[:-1] if loc and loc[-1] == "[key]" else loc
    try:
        parent = data
        for part in loc[:-1]:
            parent = parent[part]
        del parent[loc[-1]]
    except (KeyError, IndexError, TypeError):
        pass
