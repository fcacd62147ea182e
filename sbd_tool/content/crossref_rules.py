"""Cross-reference checks of the judgment conditions and rules: the answer tests of a condition
name real questions and options, and each rule names real requirements, conditions and levels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.content.references import Q, answer_tests, duplicates, rule_condition_ids
from sbd_tool.content.schema import AnswerGroup
from sbd_tool.content.yamlfile import YamlFile
from sbd_tool.problems import Problem

if TYPE_CHECKING:
    from sbd_tool.content.crossref import ContentFiles


def check_answer_tests(
    c: ContentFiles, file: YamlFile, owner: str, group: AnswerGroup, loc: list[int | str]
) -> Iterator[Problem]:
    questions = {q.id: q for q in c.questions.questions}
    for test, tloc in answer_tests(group, loc):
        q = questions.get(test.question)
        if q is None:
            yield file.problem([*tloc, "question"], f"{owner}: 設問「{test.question}」がありません")
            continue
        if test.in_ is not None and q.type != "single":
            yield file.problem(tloc, f"{owner}: 複数選択の設問「{q.id}」には includes を使ってください")
        if test.includes is not None and q.type != "multi":
            yield file.problem(tloc, f"{owner}: 単一選択の設問「{q.id}」には in を使ってください")
        for option in test.in_ or test.includes or []:
            if option not in {o.id for o in q.options}:
                yield file.problem(tloc, f"{owner}: 設問「{q.id}」に選択肢「{option}」がありません")


def check_conditions(c: ContentFiles) -> Iterator[Problem]:
    file = c.files[f"{Q}/conditions.yaml"]
    for cid in duplicates(x.id for x in c.conditions.conditions):
        yield file.problem(["conditions"], f"判断条件id「{cid}」が重複しています")
    for ci, cond in enumerate(c.conditions.conditions):
        yield from check_answer_tests(c, file, cond.id, cond.when, ["conditions", ci, "when"])


def check_rules(c: ContentFiles) -> Iterator[Problem]:
    file = c.files[f"{Q}/rules.yaml"]
    conditions = {x.id for x in c.conditions.conditions}
    reqs = {r.id: r for cat in c.categories for p in cat.policies for r in p.requirements}
    for rid in reqs:
        if rid not in c.rules.requirements:
            yield file.problem(["requirements"], f"対策要件 {rid} の判断規則がありません")
    for rid, entry in c.rules.requirements.items():
        loc: list[int | str] = ["requirements", rid]
        req = reqs.get(rid)
        if req is None:
            yield file.problem(loc, f"対策要件 {rid} は要件集にありません")
            continue
        if entry.default == "not_applicable":
            if entry.default_reason is None:
                yield file.problem([*loc, "default_reason"], f"{rid}: 既定が対象外の場合は理由が必要です")
            if req.not_applicable_note is None:
                yield file.problem(loc, f"{rid}: 既定が対象外ですが、要件集に not_applicable_note がありません")
        elif entry.default not in req.levels:
            yield file.problem([*loc, "default"], f"{rid}: 既定のレベル {entry.default} の記載例がありません")
        for i, rule in enumerate(entry.rules):
            rloc = [*loc, "rules", i]
            for cid in rule_condition_ids(rule.when):
                if cid not in conditions:
                    yield file.problem([*rloc, "when"], f"{rid}: 判断条件 {cid} がありません")
            if rule.level not in req.levels:
                yield file.problem([*rloc, "level"], f"{rid}: レベル {rule.level} の記載例がありません")
            if LEVEL_ORDER[rule.level] <= LEVEL_ORDER[entry.default]:
                yield file.problem([*rloc, "level"], f"{rid}: 既定のレベル以下の規則は効果がありません")
