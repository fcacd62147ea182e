"""Bad answers files: one clear Japanese message per problem, located by English key path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import decision_problems, evaluate
from tests.conftest import MINIMAL


def problems(catalogue: Catalogue, change: Any) -> list[str]:
    data = copy.deepcopy(MINIMAL)
    change(data)
    with pytest.raises(AnswersError) as info:
        parse_answers(data, catalogue)
    return [str(p) for p in info.value.problems]


def test_unknown_option_in_a_list(catalogue: Catalogue) -> None:
    got = problems(catalogue, lambda d: d["answers"].update(network=["internet", "intranet"]))
    assert got == ["answers.network[1]: 'intranet' は選択肢にありません（closed, interorg, internet のいずれか）"]


def test_unknown_keys_everywhere(catalogue: Catalogue) -> None:
    def change(d: dict[str, Any]) -> None:
        d["answer"] = {}
        d["answers"]["colour"] = "red"
        d["project"]["owner"] = "x"

    got = problems(catalogue, change)
    assert any(g.startswith("answer: 定義されていない項目です") for g in got)
    assert any(g.startswith("answers.colour: 定義されていない項目です") for g in got)
    assert any(g.startswith("project.owner: 定義されていない項目です") for g in got)


def test_wrong_types(catalogue: Catalogue) -> None:
    def change(d: dict[str, Any]) -> None:
        d["answers"]["users"] = ["staff"]
        d["project"]["tasks"] = {"name": "x"}

    got = problems(catalogue, change)
    assert "answers.users: staff / partners / public のいずれかを指定してください（リストが指定されています）" in got
    assert "project.tasks: リストを指定してください（マッピングが指定されています）" in got


def test_closed_network_cannot_be_combined(catalogue: Catalogue) -> None:
    got = problems(catalogue, lambda d: d["answers"].update(network=["closed", "internet"]))
    assert got == ["answers.network: 'closed'（なし（閉域））は他の選択肢と同時に指定できません"]


def test_format_and_required_texts(catalogue: Catalogue) -> None:
    def change(d: dict[str, Any]) -> None:
        d["format"] = "sbd-tool/answers@2"
        d["project"]["name"] = ""

    got = problems(catalogue, change)
    assert "format: 'sbd-tool/answers@1' を指定してください（指定値: 'sbd-tool/answers@2'）" in got
    assert "project.name: 「情報システムの名称」を入力してください" in got


def test_partial_drafts_may_leave_texts_empty(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["project"] = {"name": ""}
    assert parse_answers(data, catalogue, partial=True).project.name == ""


def test_matrix_entries_are_checked(catalogue: Catalogue) -> None:
    def change(d: dict[str, Any]) -> None:
        d["project"]["tasks"] = [
            {
                "name": "受付",
                "subjects": [{"name": "国民", "kind": "citizen"}],
                "information": [{"name": "申請", "confidentiality": 4}],
                "means": ["fax"],
            }
        ]

    got = problems(catalogue, change)
    assert (
        "project.tasks[0].subjects[0].kind: 'citizen' は選択肢にありません（staff, partner, public, system のいずれか）"
        in got
    )
    assert "project.tasks[0].information[0].confidentiality: '4' は選択肢にありません（1, 2, 3 のいずれか）" in got
    assert any(g.startswith("project.tasks[0].means[0]: 'fax' は選択肢にありません") for g in got)


def test_unknown_requirement_and_undefined_level(catalogue: Catalogue) -> None:
    def change(d: dict[str, Any]) -> None:
        d["decisions"] = {"XX-9": {"level": "high"}, "AT-1": {"level": "highest"}}

    got = problems(catalogue, change)
    assert any(g.startswith("decisions.XX-9: 対策要件 'XX-9' はありません") for g in got)
    assert any(g.startswith("decisions.AT-1.level: 'highest' は選択肢にありません") for g in got)


def test_lowering_below_the_proposal_needs_a_reason(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["answers"]["network"] = ["internet"]
    data["decisions"] = {"AT-1": {"level": "low"}, "AU-4": {"level": "low", "reason": "別途監視サービスを契約済み"}}
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    at1, au4 = evaluation.requirements["AT-1"], evaluation.requirements["AU-4"]
    assert at1.lowered and au4.lowered and (at1.proposed, at1.decided) == ("middle", "low")
    got = [str(p) for p in decision_problems(catalogue, evaluation)]
    assert got == ["decisions.AT-1.reason: AT-1 を提案（中位）より低い低位にするには、理由を記入してください"]


def test_raising_needs_no_reason(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["decisions"] = {"AT-1": {"level": "high"}}
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    outcome = evaluation.requirements["AT-1"]
    assert outcome.overridden and not outcome.lowered and outcome.decided == "high"
    assert decision_problems(catalogue, evaluation) == []
