"""Properties every correct rule set keeps: monotonic, deterministic, explained."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbd_tool.answers import parse_answers
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.rules import evaluate, propose_levels
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
