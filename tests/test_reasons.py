"""Reasons state this case's facts: each names the conditions that held and the answers that made
them hold, never a rule's alternatives that did not hold; one sentence serves every output."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sbd_tool.answers.read import Answers, load_answers, parse_answers
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.document import build_document
from sbd_tool.engine.explain import requirement_reasons
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate, propose_levels
from tests.conftest import CONTENT, EXAMPLES, MINIMAL
from tests.test_engine_properties import _answers_strategy

CATALOGUE = load_catalogue(CONTENT)

# Words that state a fact about the case, and the condition that makes the fact true.
FACT_WORDS = {
    "インターネット": "C-internet",
    "他組織": "C-extlink",
    "組織外": "C-extusers",
    "不特定多数": "C-public",
    "国民": "C-public",
    "公開する": "C-public",
    "庁外から": "C-remote",
    "無線": "C-wireless",
    "外部記録媒体": "C-media",
    "機密性2": "C-conf2",
    "機密性3": "C-conf3",
    "完全性2": "C-integ2",
    "可用性2": "C-avail2",
    "個人情報": "C-pii",
    "要配慮": "C-pii-sensitive",
    "特定個人情報": "C-pii-sensitive",
    "1,000人": "C-large",
    "データセンタ": "C-hosted",
    "クラウド": "C-cloud",
    "委託": "C-outsourced",
    "再委託": "C-subcontract",
    "電子メール": "C-mail-out",
    "ウェブサイト": "C-browse",
}


def test_rule_texts_claim_no_fact_the_rule_does_not_require(catalogue: Catalogue) -> None:
    """A rule's own text may name a fact only if the rule cannot fire without it."""
    everything = dict.fromkeys(catalogue.conditions, True)
    for rid, entry in catalogue.rules.requirements.items():
        for i, rule in enumerate(entry.rules):
            for word, condition in FACT_WORDS.items():
                if word not in rule.reason:
                    continue
                without = propose_levels(catalogue, {**everything, condition: False})[rid]
                fires = any(f.position == i for f in without.fired)
                assert not fires, f"{rid} rule {i}: 「{word}」 but the rule holds without {condition}"
        reason = entry.default_reason or catalogue.rules.default_reason
        assert not [w for w in FACT_WORDS if w in reason], (rid, reason)


def _held_part(reason: str) -> str:
    match = re.search(r"（該当した判断条件：(.*)）。$", reason)
    return match.group(1) if match else ""


def _unmet_part(reason: str) -> list[str]:
    match = re.search(r"（該当しなかった判断条件：(.*)）。$", reason)
    return re.findall(r"「([^」]*)」", match.group(1)) if match else []


def check_reasons(catalogue: Catalogue, evaluation: Evaluation) -> None:
    met = {cid for cid, c in evaluation.conditions.items() if c.met}
    labels = {c.label: cid for cid, c in catalogue.conditions.items()}
    for rid, outcome in evaluation.requirements.items():
        # The trace: every condition a reason relies on held, with answers that really were given.
        for ground in outcome.grounds:
            assert ground.condition in met, (rid, ground.condition)
            for fact in ground.facts:
                value = evaluation.answers[fact.question].value
                given_values = {value} if isinstance(value, str) else set(value or ())
                assert set(fact.values) <= given_values, (rid, fact)
        assert not set(outcome.unmet) & met, rid
        # The sentences: no condition that did not hold is stated as holding.
        for reason in requirement_reasons(catalogue, outcome):
            held = _held_part(reason)
            for cid, condition in catalogue.conditions.items():
                if cid not in met:
                    assert (condition.statement or condition.label) not in held, (rid, cid, reason)
            for label in _unmet_part(reason):
                assert labels[label] not in met, (rid, label, reason)
            if held:  # the rule's own words carry no fact of a condition that did not hold
                own = reason[: reason.index("（該当した判断条件：")]
                for word, condition in FACT_WORDS.items():
                    if word in own:
                        assert condition in met, (rid, word, reason)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_reasons_state_only_facts(catalogue: Catalogue, example: Path) -> None:
    check_reasons(catalogue, evaluate(catalogue, load_answers(example, catalogue)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers_strategy(CATALOGUE))
def test_generated_reasons_state_only_facts(answers: dict[str, Any]) -> None:
    check_reasons(CATALOGUE, evaluate(CATALOGUE, parse_answers({**MINIMAL, "answers": answers}, CATALOGUE)))


def test_a_staff_only_system_is_not_called_public(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    # The two complaints of the outside reading: 「インターネットに公開」 for a staff-only system,
    # 「機密性3」 for a 機密性2 system.
    evaluation = evaluate(
        catalogue,
        make_answers(network=["internet"], confidentiality="c2", availability="a2", places=["office", "remote"]),
    )
    text = "\n".join(r for o in evaluation.requirements.values() for r in requirement_reasons(catalogue, o))
    held = "\n".join(_held_part(r) for r in text.splitlines())
    assert "公開" not in held and "不特定多数" not in held and "機密性3" not in held
    at4 = requirement_reasons(catalogue, evaluation.requirements["AT-4"])[0]
    assert at4 == (
        "過負荷時に通信を自動的に制限し、サービスを継続させる必要がある（該当した判断条件："
        "インターネットと接続する［外部ネットワークとの接続＝インターネット（定型設問9）］、"
        "可用性2の情報を扱い、又は業務停止の許容時間が1日以内である［可用性の最高格付け＝可用性2（定型設問7）］）。"
    )


def test_only_the_alternative_that_held_is_named(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    # AC-1 高位: conf3, or pii-sensitive, or (remote and conf2). Only pii-sensitive holds here.
    evaluation = evaluate(catalogue, make_answers(pii="sensitive", confidentiality="c2"))
    (reason,) = requirement_reasons(catalogue, evaluation.requirements["AC-1"])[:1]
    assert (
        "要配慮個人情報又は特定個人情報を扱う［個人情報の取扱い＝要配慮個人情報又は特定個人情報を含む（定型設問8）］"
        in reason
    )
    assert "機密性3" not in reason and "庁外" not in reason
    # A multiple-choice answer names only the option that made the test hold.
    evaluation = evaluate(catalogue, make_answers(network=["interorg", "internet"]))
    at1 = requirement_reasons(catalogue, evaluation.requirements["AT-1"])[0]
    assert "外部ネットワークとの接続＝インターネット（定型設問9）" in at1
    assert "外部ネットワークとの接続＝他機関等との閉域網・専用線（定型設問9）" in at1


def test_a_default_names_what_did_not_hold(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    evaluation = evaluate(catalogue, make_answers())
    sc1 = requirement_reasons(catalogue, evaluation.requirements["SC-1"])
    assert sc1 == [
        "適用の判断条件に該当しないため、本要件は対象外とする（該当しなかった判断条件：「構築・運用を外部委託するか」）。"
    ]
    assert LEVEL_ORDER[evaluation.requirements["SC-1"].proposed] == 0


def test_derived_answers_say_so(catalogue: Catalogue) -> None:
    portal = evaluate(catalogue, load_answers(Path(EXAMPLES[0]).parent / "citizen-portal.yaml", catalogue))
    reason = requirement_reasons(catalogue, portal.requirements["AT-3"])[0]
    assert "利用者の範囲＝不特定多数（国民等）（定型設問1、業務の特徴から推定）" in reason


def test_one_sentence_for_every_output(catalogue: Catalogue) -> None:
    answers = load_answers(Path(EXAMPLES[0]).parent / "citizen-portal.yaml", catalogue)
    evaluation = evaluate(catalogue, answers)
    model = build_document(catalogue, answers, evaluation, dt.date(2026, 11, 24))
    for row in model.decisions.rows:
        assert row[-1] == "\n".join(requirement_reasons(catalogue, evaluation.requirements[row[0]]))
