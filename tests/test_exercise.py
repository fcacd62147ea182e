"""Exercise check: a trainee's levels against a model answer, with the answers that matter."""

from __future__ import annotations

import copy

from sbd_tool.answers.read import parse_answers
from sbd_tool.compare.exercise import compare
from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data


def evaluated(catalogue: Catalogue, data: dict) -> object:  # type: ignore[type-arg]
    return evaluate(catalogue, parse_answers(data, catalogue))


def test_the_same_answers_match_the_model(catalogue: Catalogue) -> None:
    model = evaluated(catalogue, example_data("cloud-interagency"))
    assert compare(catalogue, model, model) == []  # type: ignore[arg-type]


def test_differences_name_the_answers_behind_each_requirement(catalogue: Catalogue) -> None:
    model_data = example_data("internal-small")
    trainee_data = copy.deepcopy(model_data)
    trainee_data["answers"]["network"] = ["internet"]  # the trainee thinks it is on the Internet
    trainee_data["answers"]["equipment"] = "not_procured"
    model, trainee = evaluated(catalogue, model_data), evaluated(catalogue, trainee_data)
    differences = {d.requirement: d for d in compare(catalogue, trainee, model)}  # type: ignore[arg-type]
    at1 = differences["AT-1"]
    assert (at1.trainee_level, at1.model_level) == ("middle", "low")
    assert [(a.question, a.trainee, a.model) for a in at1.answers] == [("network", "インターネット", "なし（閉域）")]
    assert any("インターネット" in r for r in at1.trainee_reasons)
    sc2 = differences["SC-2"]  # not procuring equipment makes SC-2 対象外; its rules also look at the network
    assert sc2.trainee_level == "not_applicable" and [a.question for a in sc2.answers] == ["network", "equipment"]
    assert "DA-1" not in differences
