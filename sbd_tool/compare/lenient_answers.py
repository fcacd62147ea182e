"""An answers document read leniently: whatever a catalogue rejects is pruned (the answer, the
item of a multiple answer, decision, parameter or list item at fault) and reported, never
raised. Used by drift."""

from __future__ import annotations

import copy
import re
from typing import Any

from sbd_tool.answers.read import FORMAT, Answers, AnswersError, parse_answers
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.problems import Problem

_SECTIONS = ("answers", "decisions", "responsibilities", "parameters")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_MAX_PRUNING_ROUNDS = 10
_KEYED_BY_CLAUSE = ("tailoring", "obligations")  # sections keyed by a clause key (AT-1.low.1)
_CLAUSE_FIELDS = ("text", "reason", "catalogue_text", "obligation")


def _path(where: str) -> tuple[str | int, ...]:
    """``project.tasks[0].subjects[1].kind`` → ('project', 'tasks', 0, 'subjects', 1, 'kind')."""
    return tuple(m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _TOKEN.finditer(where))


def _target(tokens: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """What to drop for a problem: one item of a multiple answer, else the whole answer,
    decision, assignment or parameter; elsewhere the innermost list item (a subject, a flow)."""
    head = tokens[0]
    if head in _KEYED_BY_CLAUSE:  # tailoring.AT-1.low.1.text: the key has dots of its own
        rest = [str(t) for t in tokens[1:]]
        if rest and rest[-1] in _CLAUSE_FIELDS:
            rest = rest[:-1]
        return (head, ".".join(rest))
    if head == "answers" and len(tokens) >= 3 and isinstance(tokens[2], int):
        return tokens[:3]
    if head in _SECTIONS:
        return tokens[:2]
    indices = [i for i, t in enumerate(tokens) if isinstance(t, int)]
    return tokens[: indices[-1] + 1] if indices else tokens


def _delete(data: Any, target: tuple[str | int, ...]) -> None:
    """Delete the deepest element on ``target`` that exists."""
    trail: list[tuple[Any, str | int]] = []
    node = data
    for key in target:
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if not (in_dict or in_list):
            break
        trail.append((node, key))
        node = node[key]
    if trail:
        container, key = trail[-1]
        del container[key]


def _sort_key(target: tuple[str | int, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, t, "") if isinstance(t, int) else (1, 0, t) for t in target)


def _prune(data: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    targets = {_target(tokens) for p in problems if (tokens := _path(p.where))}
    for target in sorted(targets, key=_sort_key, reverse=True):  # later list items first
        if target == ("format",):
            out["format"] = FORMAT
        else:
            _delete(out, target)
    return out


def parse_leniently(data: Any, catalogue: Catalogue) -> tuple[Answers, tuple[Problem, ...]]:
    """The answers as ``catalogue`` reads them (a draft may be partial), dropping whatever it
    rejects, with the problems found. Never raises: at worst, nothing is answered."""
    current: dict[str, Any] = data if isinstance(data, dict) else {}
    found: tuple[Problem, ...] = ()
    if not isinstance(data, dict):
        found = (Problem("", "回答データがキーと値の組（マッピング）ではありません"),)
    for _ in range(_MAX_PRUNING_ROUNDS):
        try:
            return parse_answers(current, catalogue, partial=True), found
        except AnswersError as exc:
            found = found or tuple(exc.problems)  # the first pass sees every problem at once
            pruned = _prune(current, exc.problems)
        if pruned == current:
            break
        current = pruned
    return parse_answers({"format": FORMAT}, catalogue, partial=True), found
