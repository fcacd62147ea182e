"""Properties every correct rule set keeps: monotonic, deterministic, explained."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.engine.rules import evaluate, propose_levels
from tests.conftest import CONTENT, MINIMAL

CATALOGUE = load_catalogue(CONTENT)
CONDITION_IDS = sorted(CATALOGUE.conditions)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def truth_and_flip(draw: Any) -> tuple[dict[str, bool], str]:
    truths = {cid: draw(st.booleans()) for cid in CONDITION_IDS}
    false = [c for c, v in truths.items() if not v]
    flip = draw(st.sampled_from(false)) if false else CONDITION_IDS[0]
    return truths, flip


@SETTINGS
@given(truth_and_flip())
def test_turning_a_condition_true_never_lowers_a_proposal(case: tuple[dict[str, bool], str]) -> None:
    truths, flip = case
    before = propose_levels(CATALOGUE, truths)
    after = propose_levels(CATALOGUE, {**truths, flip: True})
    for rid, p in before.items():
        assert LEVEL_ORDER[after[rid].proposed] >= LEVEL_ORDER[p.proposed], (rid, flip)


def _answers_strategy(catalogue: Catalogue) -> Any:
    fields = {}
    for q in catalogue.questions.values():
        ids = [o.id for o in q.options]
        if q.type == "single":
            fields[q.id] = st.sampled_from(ids)
        else:
            free = [i for i in ids if i not in q.exclusive]
            fields[q.id] = st.one_of(
                *[st.just([e]) for e in q.exclusive],
                st.lists(st.sampled_from(free), min_size=1, unique=True),
            )
    return st.fixed_dictionaries(fields)


@SETTINGS
@given(_answers_strategy(CATALOGUE))
def test_same_answers_same_levels_and_every_proposal_explained(answers: dict[str, Any]) -> None:
    data = {**MINIMAL, "answers": answers}
    parsed = parse_answers(data, CATALOGUE)
    first = evaluate(CATALOGUE, parsed)
    again = evaluate(CATALOGUE, parse_answers(data, CATALOGUE))
    assert first == again
    for rid, outcome in first.requirements.items():
        # The proposal is the default or the level of a rule that fired, never unexplained.
        levels = {r.level for r in outcome.fired} | {outcome.default}
        assert outcome.proposed in levels, rid
        assert max(levels, key=LEVEL_ORDER.__getitem__) == outcome.proposed
        assert outcome.explained_by and all(outcome.explained_by)
        for fired in outcome.fired:
            assert all(first.conditions[c].met for c in fired.conditions)


@SETTINGS
@given(_answers_strategy(CATALOGUE), st.randoms(use_true_random=False))
def test_rule_order_does_not_matter(answers: dict[str, Any], rnd: Any) -> None:
    parsed = parse_answers({**MINIMAL, "answers": answers}, CATALOGUE)
    truths = {c: o.met for c, o in evaluate(CATALOGUE, parsed).conditions.items()}
    base = {rid: p.proposed for rid, p in propose_levels(CATALOGUE, truths).items()}
    shuffled_rules = {}
    for rid, entry in CATALOGUE.rules.requirements.items():
        rules = list(entry.rules)
        rnd.shuffle(rules)
        shuffled_rules[rid] = entry.model_copy(update={"rules": rules})
    shuffled = CATALOGUE.__class__.build(
        CATALOGUE.meta,
        CATALOGUE.categories,
        CATALOGUE.steps,
        CATALOGUE.questions_file,
        CATALOGUE.conditions_list,
        CATALOGUE.rules.model_copy(update={"requirements": shuffled_rules}),
        CATALOGUE.content_version,
    )
    assert {rid: p.proposed for rid, p in propose_levels(shuffled, truths).items()} == base


def _riskier(question: Any, value: Any, rnd: Any) -> Any:
    """One step towards the more demanding end: a later option (single choice), or one more
    option (multiple choice; an exclusive option such as 「なし（閉域）」 gives way)."""
    ids = [o.id for o in question.options]
    if question.type == "single":
        later = ids[ids.index(value) + 1 :]
        return rnd.choice(later) if later else None
    chosen = [v for v in value if v not in question.exclusive]
    free = [o for o in ids if o not in question.exclusive and o not in chosen]
    if not free:
        return None
    added = rnd.choice(free)
    return [o for o in ids if o in chosen or o == added]


@SETTINGS
@given(_answers_strategy(CATALOGUE), st.randoms(use_true_random=False))
def test_a_riskier_answer_never_lowers_a_proposal(answers: dict[str, Any], rnd: Any) -> None:
    """Options run from the least to the most demanding: moving any one answer that way (which
    may also bring a gated question into play) keeps or raises every proposed level."""
    question = CATALOGUE.questions[rnd.choice(sorted(answers))]
    riskier = _riskier(question, answers[question.id], rnd)
    if riskier is None:
        return
    before = evaluate(CATALOGUE, parse_answers({**MINIMAL, "answers": answers}, CATALOGUE))
    after = evaluate(CATALOGUE, parse_answers({**MINIMAL, "answers": {**answers, question.id: riskier}}, CATALOGUE))
    for rid, outcome in before.requirements.items():
        assert LEVEL_ORDER[after.requirements[rid].proposed] >= LEVEL_ORDER[outcome.proposed], (
            rid,
            question.id,
            answers[question.id],
            riskier,
        )


def test_low_is_never_below_the_baseline() -> None:
    """Real specs copy the manual's baseline sentences; our 低位 must carry them for everyone."""
    low = {rid: "\n".join(p.requirement.levels["low"].clauses) for rid, p in CATALOGUE.requirements.items()}
    assert "一定回数連続して認証に失敗した場合" in low["AC-1"]  # lockout is baseline, not 中位
    assert "最新のセキュリティ更新" in low["AT-7"] and "{patch_period}" in low["AT-8"]
    assert "ログを取得" in low["AU-1"] and "{log_retention}" in low["AU-1"]
    assert "バックアップを取得" in low["DA-2"]
    assert "平文で送信しないこと" in low["PR-1"]
