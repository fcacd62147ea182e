"""What-if: every single-answer change that moves a level, checked against direct evaluation."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import evaluate
from sbd_tool.engine.whatif import alternatives, change_sentence, what_if
from tests.conftest import ROOT, example_data


@pytest.mark.parametrize("name", ["internal-small", "citizen-portal", "cloud-interagency"])
def test_what_if_agrees_with_direct_evaluation(catalogue: Catalogue, name: str) -> None:
    answers = parse_answers(example_data(name), catalogue)
    base = evaluate(catalogue, answers)
    reported = {(c.requirement, c.question, c.alternative, c.after) for c in what_if(catalogue, answers)}
    expected = set()
    for qid, q in catalogue.questions.items():  # every single-answer change, evaluated directly
        resolved = base.answers[qid]
        if resolved.source == "not_applicable":
            continue
        options = [o.id for o in q.options]
        if q.type == "single":
            candidates: list[object] = [o for o in options if o != resolved.value]
        else:
            candidates = [alt for alt in alternatives(q, resolved.value)]
        for alt in candidates:
            changed = dataclasses.replace(answers, answers={**answers.answers, qid: alt})
            as_file = alt if isinstance(alt, str) else list(alt)  # each alternative is a valid answer
            parse_answers({**example_data(name), "answers": {**example_data(name)["answers"], qid: as_file}}, catalogue)
            result = evaluate(catalogue, changed)
            for rid, outcome in base.requirements.items():
                if result.requirements[rid].proposed != outcome.proposed:
                    expected.add((rid, qid, alt, result.requirements[rid].proposed))
    assert reported == expected and reported


def test_multiple_choice_alternatives_respect_exclusive_options(catalogue: Catalogue) -> None:
    network = catalogue.questions["network"]
    assert set(alternatives(network, ("closed",))) == {("interorg",), ("internet",)}
    assert set(alternatives(network, ("interorg", "internet"))) == {("internet",), ("interorg",), ("closed",)}


def test_sentences_name_the_answer_and_the_levels(catalogue: Catalogue) -> None:
    answers = parse_answers(example_data("internal-small"), catalogue)
    at1 = [change_sentence(catalogue, c) for c in what_if(catalogue, answers) if c.requirement == "AT-1"]
    expected = "「なし（閉域）」から「インターネット」にすると、AT-1 は低位から中位になる。"
    assert any(s.endswith(expected) and s.startswith("「外部ネットワークとの接続は？") for s in at1)


def test_what_if_command() -> None:
    from tests.test_cli import run

    code, out, _ = run("what-if", str(ROOT / "examples" / "internal-small.yaml"))
    assert code == 0 and out.startswith("↑ 「")
    code, out, _ = run("what-if", "--json", str(ROOT / "examples" / "internal-small.yaml"))
    assert code == 0 and {"requirement": "AT-1", "question": "network"}.items() <= json.loads(out)["changes"][0].items()
