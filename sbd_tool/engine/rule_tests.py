"""Rule tests as content: example answers with the levels they must get, run by check-content.

An office that edits ``rules.yaml`` or ``conditions.yaml`` sees at once which expectations it
broke, located in ``questionnaires/rule_tests.yaml`` like every other content problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from sbd_tool.answers.read import FORMAT, AnswersError, parse_answers
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import LevelId, RequirementId, Strict, Text
from sbd_tool.content.yamlfile import YamlFile, yaml_error_problem
from sbd_tool.engine.explain import requirement_reasons
from sbd_tool.engine.rules import evaluate
from sbd_tool.problems import Problem

RULE_TESTS = "questionnaires/rule_tests.yaml"


class RuleTestCase(Strict):
    name: Text
    note: str = ""
    project: dict[str, Any] = {}  # optional tasks (the who/what/how matrix), as in an answers file
    answers: dict[str, Any] = Field(min_length=1)  # the fixed answers, as in an answers file
    expect: dict[RequirementId, LevelId] = Field(min_length=1)  # the proposed level each must get


class RuleTestsFile(Strict):
    cases: list[RuleTestCase] = Field(min_length=1)


def run_rule_tests(catalogue: Catalogue, files: Mapping[str, bytes]) -> tuple[int, list[Problem]]:
    """(number of expectations checked, problems) for the content ``files`` (by name, as
    ``read_content_files`` gives them). No rule-test file means no tests."""
    raw = files.get(RULE_TESTS)
    if raw is None:
        return 0, []
    try:
        file = YamlFile(Path(RULE_TESTS), RULE_TESTS, raw.decode("utf-8", errors="replace"))
    except yaml.YAMLError as exc:
        return 0, [yaml_error_problem(RULE_TESTS, exc)]
    try:
        tests = RuleTestsFile.model_validate(file.data)
    except ValidationError as exc:
        return 0, file.validation_problems(exc)
    problems: list[Problem] = []
    checked = 0
    for i, case in enumerate(tests.cases):
        project = {"name": case.name, "organisation": "規則の確認", "purpose": "判断規則の確認", **case.project}
        try:
            answers = parse_answers({"format": FORMAT, "project": project, "answers": case.answers}, catalogue)
        except AnswersError as exc:
            problems += [file.problem(["cases", i, "answers"], f"{case.name}: {p}") for p in exc.problems]
            continue
        evaluation = evaluate(catalogue, answers)
        for qid in evaluation.missing:
            problems.append(file.problem(["cases", i, "answers"], f"{case.name}: 設問 {qid} の回答がありません"))
        for rid, expected in case.expect.items():
            outcome = evaluation.requirements.get(rid)
            if outcome is None:
                problems.append(file.problem(["cases", i, "expect", rid], f"{case.name}: 対策要件 {rid} はありません"))
                continue
            checked += 1
            if outcome.proposed != expected:
                why = " / ".join(requirement_reasons(catalogue, outcome))
                problems.append(
                    file.problem(
                        ["cases", i, "expect", rid],
                        f"{case.name}: {rid} は{catalogue.level_label(expected)}のはずが"
                        f"{catalogue.level_label(outcome.proposed)}と提案されます（{why}）",
                    )
                )
    return checked, problems
