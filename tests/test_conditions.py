"""Judgment conditions from answers, with the trace of what decided them; and answers the
who/what/how matrix implies."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from sbd_tool.answers.read import Answers, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.engine.explain import condition_sentence
from sbd_tool.engine.rules import evaluate
from tests.conftest import MINIMAL

CASES = [
    ({"network": ["internet"]}, "C-internet", True),
    ({"network": ["interorg"]}, "C-internet", False),
    ({"network": ["interorg", "internet"]}, "C-extlink", True),
    ({"users": "partners"}, "C-extusers", True),
    ({"scope": "public"}, "C-public", True),
    ({"users": "partners"}, "C-public", False),
    ({"places": ["office", "mobile"]}, "C-remote", True),
    ({"confidentiality": "c2"}, "C-conf2", True),
    ({"confidentiality": "c2"}, "C-conf3", False),
    ({"confidentiality": "c3"}, "C-conf2", True),
    ({"outage": "one_day"}, "C-avail2", True),
    ({"outage": "hours"}, "C-availcrit", False),
    ({"outage": "hours", "hours": "extended"}, "C-availcrit", True),
    ({"pii": "sensitive"}, "C-pii", True),
    ({"scale": "1000to10000"}, "C-large", True),
    ({"hosting": "datacenter"}, "C-hosted", True),
    ({"hosting": "datacenter"}, "C-cloud", False),
    ({"outsourcing": "subcontracted"}, "C-outsourced", True),
    ({"equipment": "procured"}, "C-equip", True),
    ({"network": ["internet"]}, "C-mail-in", True),  # not answered: the default keeps the mail clauses
    ({"network": ["internet"], "mail": "send"}, "C-mail-in", False),
    ({"network": ["internet"], "mail": "send"}, "C-mail-out", True),
    ({"network": ["closed"], "mail": "send_receive"}, "C-mail-out", False),  # not asked on a closed network
    ({"network": ["interorg"], "web_browsing": "used"}, "C-browse", False),  # browsing needs the Internet
    ({"network": ["internet"], "web_browsing": "used"}, "C-browse", True),
    ({"equipment": "procured", "terminals": "office"}, "C-terminals", True),
    ({"equipment": "procured", "terminals": "office"}, "C-portable", False),
    ({"equipment": "not_procured", "terminals": "portable"}, "C-terminals", False),
    ({"users": "partners"}, "C-screens", True),
    ({"users": "partners", "user_screens": "none"}, "C-screens", False),
    ({"users": "staff", "scope": "public"}, "C-screens", True),
    ({"users": "public", "user_screens": "web"}, "C-webapp", False),  # not on the Internet
    ({"users": "public", "user_screens": "web", "network": ["internet"]}, "C-webapp", True),
    ({"users": "public", "user_screens": "app"}, "C-app", True),
    ({"hosting": "datacenter"}, "C-ownnet", True),
    ({"hosting": "cloud", "cloud_model": "iaas"}, "C-ownnet", True),
    ({"hosting": "cloud", "cloud_model": "saas"}, "C-ownnet", False),
    ({"hosting": "cloud", "cloud_model": "paas"}, "C-managed", True),
]


@pytest.mark.parametrize(("answers", "condition", "expected"), CASES)
def test_condition(
    catalogue: Catalogue,
    make_answers: Callable[..., Answers],
    answers: dict[str, object],
    condition: str,
    expected: bool,
) -> None:
    evaluation = evaluate(catalogue, make_answers(**answers))
    assert evaluation.conditions[condition].met is expected


def test_minimal_answers_meet_no_condition(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    evaluation = evaluate(catalogue, make_answers())
    # Only facts of a system built on premises (its own network, keys held by the office), which
    # choose clauses and raise no level.
    assert [c for c, o in evaluation.conditions.items() if o.met] == ["C-ownnet", "C-ownkeys"]
    assert {r.proposed for r in evaluation.requirements.values()} == {"low", "not_applicable"}


def test_condition_trace_names_the_deciding_answer(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    evaluation = evaluate(catalogue, make_answers(network=["interorg", "internet"]))
    sentence = condition_sentence(catalogue, evaluation, evaluation.conditions["C-internet"])
    assert (
        sentence
        == "該当する：「外部ネットワークとの接続は？（複数選択可）」→「他機関等との閉域網・専用線及びインターネット」"
    )
    unmet = condition_sentence(catalogue, evaluation, evaluation.conditions["C-pii"])
    assert unmet.startswith("該当しない：") and "「取り扱わない」" in unmet


def _with_tasks(tasks: list[dict[str, object]], drop: tuple[str, ...] = (), **answers: object) -> dict[str, object]:
    data = copy.deepcopy(MINIMAL)
    data["project"]["tasks"] = tasks  # type: ignore[index]
    for key in drop:
        del data["answers"][key]  # type: ignore[attr-defined]
    data["answers"].update(answers)  # type: ignore[attr-defined]
    return data


PUBLIC_TASK = {
    "id": "T1",
    "name": "申請の受付",
    "subjects": [{"name": "国民", "kind": "public"}, {"name": "職員", "kind": "staff"}],
    "information": [
        {"name": "申請データ", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "sensitive"}
    ],
    "means": ["internet", "wireless"],
}


def test_absent_answers_are_derived_from_the_matrix(catalogue: Catalogue) -> None:
    data = _with_tasks(
        [PUBLIC_TASK], drop=("users", "confidentiality", "integrity", "pii", "network", "wireless", "media")
    )
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    a = evaluation.answers
    assert (a["users"].value, a["users"].source) == ("public", "derived")
    assert a["users"].evidence[0].name == "国民"
    assert a["confidentiality"].value == "c2"
    assert a["integrity"].value == "i2"
    assert a["pii"].value == "sensitive"
    assert a["network"].value == ("internet",)
    assert a["wireless"].value == "used"
    assert a["media"].value == "not_used"  # the matrix lists means, and media is not among them
    assert evaluation.conditions["C-public"].met and evaluation.conditions["C-pii-sensitive"].met
    sentence = condition_sentence(catalogue, evaluation, evaluation.conditions["C-public"])
    assert "業務T1「申請の受付」の主体「国民」" in sentence


def test_closed_network_is_derived_when_no_external_means(catalogue: Catalogue) -> None:
    task = {**PUBLIC_TASK, "means": ["office_lan"]}
    data = _with_tasks([task], drop=("network",))
    assert evaluate(catalogue, parse_answers(data, catalogue)).answers["network"].value == ("closed",)


def test_contradiction_is_a_warning_naming_both_sides(catalogue: Catalogue) -> None:
    data = _with_tasks([PUBLIC_TASK], users="staff", network=["closed"])
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    messages = {w.question: w.message for w in evaluation.warnings}
    assert "「職員のみ」" in messages["users"] and "「不特定多数（国民等）」" in messages["users"]
    assert "業務T1「申請の受付」の主体「国民」" in messages["users"]
    assert "「なし（閉域）」" in messages["network"] and "「インターネット」" in messages["network"]
    # The officer's answer stands; the warning asks them to look.
    assert evaluation.answers["users"].value == "staff"
    assert not evaluation.conditions["C-extusers"].met


def test_a_more_demanding_answer_is_not_a_contradiction(catalogue: Catalogue) -> None:
    data = _with_tasks([PUBLIC_TASK], confidentiality="c3", network=["interorg", "internet"])
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    assert not [w for w in evaluation.warnings if w.question in ("confidentiality", "network")]


def test_missing_answers_are_reported(catalogue: Catalogue) -> None:
    data = _with_tasks([], drop=("scale", "hosting"))
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    assert evaluation.missing == ("scale", "hosting")
    assert not evaluation.conditions["C-hosted"].met
