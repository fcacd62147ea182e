"""The buyer-set values (``{parameter}`` in clause text): their format checks and which of them
the printed clauses leave open.

A parameter with no value (neither typed nor implied by an answer) is *open*: the document prints
its explicit 「発注者が指定する…」 wording, and ``assess`` lists it (not a block) so that step 7,
the review page and the CLI can say so before anything is downloaded. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from sbd_tool.answers.obligations import clause_traits
from sbd_tool.content.schema import Parameter
from sbd_tool.engine.rules import printed_clauses
from sbd_tool.problems import Problem
from sbd_tool.procurement import in_scope, phases_in_scope

if TYPE_CHECKING:
    from sbd_tool.answers.read import Answers
    from sbd_tool.content import Catalogue
    from sbd_tool.engine.outcomes import Evaluation

MAX_LENGTH = 200
PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[一二三四五六七八九十百千]+|数"
_PERIOD = re.compile(rf"(?:{_NUMBER})\s*(?:年|か月|ヶ月|カ月|箇月|月|週|営業日|日|時間|分)")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%")
_TIME = re.compile(r"[0-9]{1,2}\s*(?:時|:)")

# The format each kind asks for, said as the message of a value that does not have it.
KIND_MESSAGES = {
    "period": "期間は「1年間」「90日間」「72時間以上」のように、数と単位（年・か月・週・日・時間）で入力してください。",
    "percentage": "割合は「99.5％以上（月間）」のように、100以下の数と「％」で入力してください。",
    "time_window": "時間帯は「毎月第3土曜日の22時から翌6時まで」のように、時刻（○時）を含めて入力してください。",
}


def check_value(param: Parameter, text: str) -> str | None:
    """Why a typed value does not fit the parameter (Japanese), or None when it does."""
    if len(text) > MAX_LENGTH:
        return f"「{param.label}」は{MAX_LENGTH}文字以内にしてください（{len(text)}文字）。"
    plain = unicodedata.normalize("NFKC", text)
    if param.kind == "period" and not _PERIOD.search(plain):
        return KIND_MESSAGES["period"]
    if param.kind == "percentage":
        found = _PERCENT.search(plain)
        if found is None or float(found.group(1)) > 100:
            return KIND_MESSAGES["percentage"]
    if param.kind == "time_window" and not _TIME.search(plain):
        return KIND_MESSAGES["time_window"]
    return None


def parameter_problems(catalogue: Catalogue, answers: Answers) -> list[Problem]:
    """Typed values that do not have their parameter's format."""
    problems = []
    for pid, text in answers.parameters.items():
        param = catalogue.parameters.get(pid)
        message = check_value(param, text) if param is not None and text else None
        if message:
            problems.append(Problem(f"parameters.{pid}", message))
    return problems


def parameter_value(catalogue: Catalogue, answers: Answers, answered: Mapping[str, object], pid: str) -> str | None:
    """The value a parameter has: typed, or implied by an answer; None when it is open."""
    param = catalogue.parameters[pid]
    if answers.parameters.get(pid):
        return answers.parameters[pid]
    value = answered.get(param.question) if param.question else None
    if isinstance(value, str) and value in param.values:
        return param.values[value]
    return None


def printed_texts(catalogue: Catalogue, evaluation: Evaluation) -> Iterator[str]:
    """The catalogue text of every clause the document prints (in the procurement's scope)."""
    answered = {qid: r.value for qid, r in evaluation.answers.items()}
    phases = phases_in_scope(answered)
    traits = clause_traits(catalogue)
    for outcome in evaluation.requirements.values():
        if outcome.decided == "not_applicable":
            continue
        yield from (c for c in printed_clauses(catalogue, outcome) if in_scope(c.traits.phase, phases))
    if evaluation.cloud is not None:
        for topic in evaluation.cloud.topics:
            for text, key in zip(topic.clauses, topic.keys, strict=False):
                if key not in traits or in_scope(traits[key].phase, phases):
                    yield text


def open_parameters(catalogue: Catalogue, answers: Answers, evaluation: Evaluation) -> tuple[Parameter, ...]:
    """The parameters a printed clause uses that have no value, in the catalogue's order."""
    answered = {qid: r.value for qid, r in evaluation.answers.items()}
    used = {name for text in printed_texts(catalogue, evaluation) for name in PLACEHOLDER.findall(text)}
    return tuple(
        p
        for pid, p in catalogue.parameters.items()
        if pid in used and parameter_value(catalogue, answers, answered, pid) is None
    )
