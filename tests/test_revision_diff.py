"""Revision diff: what changed between two revisions, with conditions and levels checked against
the engine evaluated directly on each side (nothing here says what the rules should conclude)."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.compare.revision_model import NONE, NOT_ANSWERED, UNKNOWN, FieldChange, RevisionDiff
from sbd_tool.content import Catalogue
from sbd_tool.engine.explain import value_label
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data

EXAMPLES = ["internal-small", "citizen-portal", "cloud-interagency"]
STEP_ORDER = ["purpose", "features", "diagram", "questions", "decisions", "output"]


def evaluated(catalogue: Catalogue, data: dict[str, Any]) -> Evaluation:
    return evaluate(catalogue, parse_answers(data, catalogue, partial=True))


def fields(diff: RevisionDiff) -> dict[str, FieldChange]:
    return {f.where: f for f in diff.fields}


def assert_judgment_matches_engine(catalogue: Catalogue, before: dict[str, Any], after: dict[str, Any]) -> None:
    """For two complete revisions, the listed condition and level changes are exactly those the
    engine gives when each side is evaluated on its own."""
    diff = diff_revisions(catalogue, before, after)
    old, new = evaluated(catalogue, before), evaluated(catalogue, after)
    assert not old.missing and not new.missing
    expected_conditions = {
        cid: (old.conditions[cid].met, new.conditions[cid].met)
        for cid in catalogue.conditions
        if old.conditions[cid].met != new.conditions[cid].met
    }
    assert {c.id: (c.before, c.after) for c in diff.conditions} == expected_conditions
    expected_levels = {
        rid: (o.proposed, n.proposed, o.decided, n.decided)
        for rid in catalogue.requirements
        if ((o := old.requirements[rid]).proposed, o.decided) != ((n := new.requirements[rid]).proposed, n.decided)
    }
    got = {
        lv.requirement: (lv.proposed_before, lv.proposed_after, lv.decided_before, lv.decided_after)
        for lv in diff.levels
    }
    assert got == expected_levels
    for lv in diff.levels:
        assert lv.name == catalogue.requirements[lv.requirement].requirement.name
        assert lv.decided_after is not None and lv.decided_after_label == catalogue.level_label(lv.decided_after)
        assert lv.reasons_before and lv.reasons_after
    assert [c.id for c in diff.conditions] == [c.id for c in catalogue.conditions_list if c.id in expected_conditions]
    assert [lv.requirement for lv in diff.levels] == [r for r in catalogue.requirements if r in expected_levels]
    assert diff.before_note == diff.after_note == ""


@pytest.mark.parametrize("name", EXAMPLES)
def test_identical_revisions_have_no_changes(catalogue: Catalogue, name: str) -> None:
    data = example_data(name)
    diff = diff_revisions(catalogue, data, copy.deepcopy(data))
    assert diff.empty and diff == RevisionDiff((), (), (), "", "")


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_same_revision_stored_as_json_has_no_changes(catalogue: Catalogue, name: str) -> None:
    """The wizard stores dates as ISO strings and classes as numbers or strings: not a change."""
    data = example_data(name)
    stored = json.loads(json.dumps(data, default=str))
    for task in stored["project"]["tasks"]:
        for item in task["information"]:
            item["confidentiality"] = str(item["confidentiality"])
        task["means"] = list(reversed(task["means"]))  # order of means carries no meaning
    assert diff_revisions(catalogue, data, stored).empty


def test_changing_one_answer_lists_it_with_its_conditions_and_levels(catalogue: Catalogue) -> None:
    before = example_data("internal-small")
    after = copy.deepcopy(before)
    after["answers"]["network"] = ["internet"]  # derived as closed before
    diff = diff_revisions(catalogue, before, after)
    q = catalogue.questions["network"]
    assert diff.fields == (
        FieldChange(
            "questions", "answers.network", q.label, NOT_ANSWERED, value_label(catalogue, "network", ("internet",))
        ),
    )
    assert diff.fields[0].after == "インターネット"
    assert diff.conditions and diff.levels  # computed below from the engine, not asserted from the rules
    assert_judgment_matches_engine(catalogue, before, after)
    old, new = evaluated(catalogue, before), evaluated(catalogue, after)
    for c in diff.conditions:
        assert c.label == catalogue.conditions[c.id].label
        assert c.sentence_before.startswith("該当する" if c.before else "該当しない")
        assert c.sentence_after.startswith("該当する" if c.after else "該当しない")
        assert old.conditions[c.id].met is c.before and new.conditions[c.id].met is c.after


def test_changing_an_explicit_answer_shows_both_labels(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    after["answers"]["outage"] = "hours"
    diff = diff_revisions(catalogue, before, after)
    change = fields(diff)["answers.outage"]
    assert (change.label, change.before, change.after) == (
        catalogue.questions["outage"].label,
        catalogue.option_label("outage", "one_day"),
        catalogue.option_label("outage", "hours"),
    )
    assert len(diff.fields) == 1
    assert_judgment_matches_engine(catalogue, before, after)


def test_a_decision_reason_is_a_field_change_only(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    after["decisions"]["AT-4"]["reason"] = "繁忙期の集中に備えるため。"
    diff = diff_revisions(catalogue, before, after)
    name = catalogue.requirements["AT-4"].requirement.name
    assert diff.fields == (
        FieldChange(
            "decisions",
            "decisions.AT-4.reason",
            f"AT-4 {name} の決定の理由",
            before["decisions"]["AT-4"]["reason"],
            "繁忙期の集中に備えるため。",
        ),
    )
    assert diff.conditions == () and diff.levels == ()


def test_a_decided_level_changes_the_decision_not_the_proposal(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    del after["decisions"]["AT-4"]  # back to the proposal
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert changes["decisions.AT-4.level"].before == catalogue.level_label("high")
    assert changes["decisions.AT-4.level"].after == "（提案どおり）"
    assert changes["decisions.AT-4.reason"].after == NONE
    (level,) = diff.levels
    assert level.requirement == "AT-4" and level.proposed_before == level.proposed_after
    assert level.decided_before == "high" and level.decided_after == level.proposed_after
    assert any(r.startswith("提案（") for r in level.reasons_before)  # the decision's note (引上げ)
    assert_judgment_matches_engine(catalogue, before, after)


def test_a_responsibility_shows_the_party_labels(catalogue: Catalogue) -> None:
    before = example_data("cloud-interagency")
    after = copy.deepcopy(before)
    after["responsibilities"] = {"AU-1": {"party": "organisation", "reason": "ログは当省の基盤で保管するため。"}}
    changes = fields(diff_revisions(catalogue, before, after))
    assert list(changes) == ["responsibilities.AU-1.party", "responsibilities.AU-1.reason"]
    assert changes["responsibilities.AU-1.party"].after == catalogue.party_label("organisation")
    assert changes["responsibilities.AU-1.reason"].after == "ログは当省の基盤で保管するため。"


def test_adding_and_removing_a_task(catalogue: Catalogue) -> None:
    before = example_data("internal-small")
    after = copy.deepcopy(before)
    after["project"]["tasks"].append(
        {
            "id": "T3",
            "name": "外部からの予約確認",
            "subjects": [{"name": "委託先事業者", "kind": "partner"}],
            "information": [{"name": "予約状況", "confidentiality": 1, "integrity": 1, "availability": 1}],
            "means": ["internet", "remote"],
        }
    )
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert list(changes) == ["tasks.T3", "tasks.T3.subjects", "tasks.T3.information", "tasks.T3.means"]
    assert (changes["tasks.T3"].label, changes["tasks.T3"].before, changes["tasks.T3"].after) == (
        "業務 T3",
        NONE,
        "外部からの予約確認",
    )
    assert changes["tasks.T3.subjects"].after == "他機関・事業者：委託先事業者"
    assert changes["tasks.T3.information"].after == "予約状況：機密性1・完全性1・可用性1・個人情報を含まない"
    assert changes["tasks.T3.means"].after == "庁外からのリモート接続（テレワーク等）、インターネット"  # option order
    assert [changes[k].step for k in changes] == ["purpose", "features", "features", "features"]
    assert_judgment_matches_engine(catalogue, before, after)

    removed = diff_revisions(catalogue, after, before)  # and back: the same changes, the other way round
    assert [(f.where, f.before, f.after) for f in removed.fields] == [(f.where, f.after, f.before) for f in diff.fields]
    assert {c.id: (c.after, c.before) for c in removed.conditions} == {
        c.id: (c.before, c.after) for c in diff.conditions
    }


def test_renaming_a_task_and_changing_its_information(catalogue: Catalogue) -> None:
    before = example_data("internal-small")
    after = copy.deepcopy(before)
    after["project"]["tasks"][1]["name"] = "利用実績の集計・報告"
    after["project"]["tasks"][1]["information"][0]["confidentiality"] = 3
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert list(changes) == ["tasks.T2.name", "tasks.T2.information"]
    assert (changes["tasks.T2.name"].label, changes["tasks.T2.name"].before, changes["tasks.T2.name"].after) == (
        "業務 T2 の名称",
        "利用実績の集計",
        "利用実績の集計・報告",
    )
    assert changes["tasks.T2.information"].label == "業務 T2 の情報"
    assert "機密性2" in changes["tasks.T2.information"].before and "機密性3" in changes["tasks.T2.information"].after
    assert_judgment_matches_engine(catalogue, before, after)


def test_diagram_changes_are_listed_by_id_with_labels(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    diagram = after["diagram"]
    diagram["zones"][1]["label"] = "インターネット（公衆網）"  # Z2: its elements are not changed by it
    diagram["flows"][3]["means"] = "internet"  # F4: e-mail → Internet
    diagram["flows"] = [f for f in diagram["flows"] if f["id"] != "F5"]
    diagram["elements"].append({"id": "E4", "kind": "datastore", "label": "申請DB", "zone": "Z1"})
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert list(changes) == ["diagram.zones.Z2", "diagram.elements.E4", "diagram.flows.F4", "diagram.flows.F5"]
    assert all(c.step == "diagram" for c in diff.fields)
    assert changes["diagram.zones.Z2"].label == "システム概要図の区域 Z2"
    assert changes["diagram.zones.Z2"].after == "インターネット（公衆網）（種類：インターネット）"
    assert changes["diagram.elements.E4"].before == NONE
    assert changes["diagram.elements.E4"].after == "申請DB（種類：データ保管、区域：Z1 外部データセンタ）"
    assert (
        changes["diagram.flows.F4"].before
        == "審査結果：E1 補助金電子申請ポータル（業務アプリ） → E2 申請者（国民・事業者）（手段：電子メール）"
    )
    assert changes["diagram.flows.F4"].after.endswith("（手段：インターネット）")
    assert changes["diagram.flows.F5"].after == NONE
    assert_judgment_matches_engine(catalogue, before, after)


def test_changes_come_in_the_wizard_order(catalogue: Catalogue) -> None:
    before = example_data("citizen-portal")
    after = copy.deepcopy(before)
    after["document"]["date"] = "2027-04-01"
    after["parameters"]["log_retention"] = "10年間"
    after["decisions"]["AC-2"]["reason"] = "見直す。"
    after["answers"]["scale"] = "1000to10000"
    after["diagram"]["zones"][0]["label"] = "委託先データセンタ"
    after["project"]["tasks"][0]["means"] = ["internet", "mobile"]
    after["project"]["tasks"][2]["description"] = "結果を通知する。"
    after["project"]["name"] = "補助金電子申請システム"
    diff = diff_revisions(catalogue, before, after)
    assert [f.where for f in diff.fields] == [
        "project.name",
        "tasks.T3.description",
        "tasks.T1.means",
        "diagram.zones.Z1",
        "answers.scale",
        "decisions.AC-2.reason",
        "document.date",
        "parameters.log_retention",
    ]
    steps = [f.step for f in diff.fields]
    assert steps == sorted(steps, key=STEP_ORDER.index)
    assert set(steps) <= {s.id for s in catalogue.steps.steps}
    changes = fields(diff)
    assert (changes["project.name"].label, changes["project.name"].before) == (
        "情報システムの名称",
        "補助金電子申請ポータル",
    )
    assert (changes["document.date"].before, changes["document.date"].after) == ("令和8年11月24日", "令和9年4月1日")
    assert changes["parameters.log_retention"].label == catalogue.parameters["log_retention"].label
    assert_judgment_matches_engine(catalogue, before, after)


def test_a_half_finished_revision_is_judged_only_where_it_can_be(catalogue: Catalogue) -> None:
    after = example_data("citizen-portal")
    before = {"format": "sbd-tool/answers@1", "project": copy.deepcopy(after["project"]), "answers": {}}
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert changes["answers.scale"].before == NOT_ANSWERED
    assert "diagram.zones.Z1" in changes and changes["diagram.zones.Z1"].before == NONE
    assert "未回答の設問" in diff.before_note and "「利用者数の規模は？」" in diff.before_note
    assert diff.after_note == ""
    old, new = evaluated(catalogue, before), evaluated(catalogue, after)
    assert old.missing
    unknown = [c for c in diff.conditions if c.before is None]
    assert unknown and all(c.sentence_before.startswith("判定できません：") for c in unknown)
    for c in diff.conditions:  # what is known agrees with the engine on each side
        assert c.after is new.conditions[c.id].met
        assert c.before is None or c.before is old.conditions[c.id].met
    listed = {c.id for c in diff.conditions}
    for cid in catalogue.conditions:  # a known, unchanged condition is not listed
        if cid not in listed:
            assert old.conditions[cid].met is new.conditions[cid].met
    for lv in diff.levels:
        assert lv.proposed_after == new.requirements[lv.requirement].proposed
        if lv.proposed_before is None:
            assert lv.proposed_before_label == UNKNOWN and lv.reasons_before == ()
        else:
            assert lv.proposed_before == old.requirements[lv.requirement].proposed


def _completions(catalogue: Catalogue, data: dict[str, Any], questions: list[str]) -> list[dict[str, Any]]:
    choices = [[o.id for o in catalogue.questions[q].options] for q in questions]
    out = []
    for values in itertools.product(*choices):
        filled = copy.deepcopy(data)
        for q, v in zip(questions, values, strict=True):
            filled["answers"][q] = [v] if catalogue.questions[q].type == "multi" else v
        out.append(filled)
    return out


def test_what_a_half_finished_revision_claims_holds_whatever_the_missing_answers(catalogue: Catalogue) -> None:
    """Soundness: every condition and level the diff gives for a half-finished side is the same
    however its unanswered questions are later answered (each completion evaluated directly)."""
    complete = example_data("cloud-interagency")
    partial = copy.deepcopy(complete)
    del partial["diagram"]  # else the diagram shows the hosting
    missing = ["hosting", "outage", "scope"]
    for q in missing:
        del partial["answers"][q]
    diff = diff_revisions(catalogue, partial, complete)
    assert set(evaluated(catalogue, partial).missing) == set(missing)
    listed = {c.id: c.before for c in diff.conditions}
    levels = {lv.requirement: (lv.proposed_before, lv.decided_before) for lv in diff.levels}
    complete_eval = evaluated(catalogue, complete)
    claimed_conditions = {
        cid: listed[cid] if cid in listed else complete_eval.conditions[cid].met for cid in catalogue.conditions
    }
    claimed_levels = {rid: levels.get(rid, (o.proposed, o.decided)) for rid, o in complete_eval.requirements.items()}
    assert None in claimed_conditions.values() and any(p is None for p, _ in claimed_levels.values())
    for filled in _completions(catalogue, partial, missing):
        result = evaluated(catalogue, filled)
        assert not result.missing
        for cid, met in claimed_conditions.items():
            assert met is None or result.conditions[cid].met is met, (cid, filled["answers"])
        for rid, (proposed, decided) in claimed_levels.items():
            outcome = result.requirements[rid]
            assert proposed is None or outcome.proposed == proposed, (rid, filled["answers"])
            assert decided is None or outcome.decided == decided, (rid, filled["answers"])


def test_a_revision_that_does_not_parse_still_shows_its_field_changes(catalogue: Catalogue) -> None:
    before = example_data("internal-small")
    after = copy.deepcopy(before)
    after["answers"]["network"] = ["closed", "bogus"]
    with pytest.raises(AnswersError):
        parse_answers(after, catalogue, partial=True)
    diff = diff_revisions(catalogue, before, after)
    assert fields(diff)["answers.network"].after == "なし（閉域）・bogus"
    assert "誤り" in diff.after_note and "answers.network[1]" in diff.after_note
    assert {c.id for c in diff.conditions} == set(catalogue.conditions)  # each now unknown
    assert all(c.after is None and c.sentence_after.startswith("判定できません") for c in diff.conditions)
    assert all(lv.decided_after is None and lv.decided_after_label == UNKNOWN for lv in diff.levels)
    assert len(diff.levels) == len(catalogue.requirements)
    both_broken = diff_revisions(catalogue, after, copy.deepcopy(after))
    assert both_broken.empty


def test_hostile_strings_are_passed_through_as_data(catalogue: Catalogue) -> None:
    before = example_data("internal-small")
    after = copy.deepcopy(before)
    markup = '<script>alert("x")</script>&amp;{{ 7*7 }}{% raw %}'
    long_text = "長" * 100_000  # over the limit: that side no longer validates, the text is shown whole
    after["project"]["name"] = markup
    after["project"]["purpose"] = long_text
    after["project"]["tasks"][0]["subjects"][0]["name"] = markup
    after["decisions"] = {"AT-1": {"level": "high", "reason": markup + "\n二行目"}}
    after["diagram"]["elements"][0]["label"] = markup
    diff = diff_revisions(catalogue, before, after)
    changes = fields(diff)
    assert changes["project.name"].after == markup
    assert changes["project.purpose"].after == long_text
    assert changes["tasks.T1.subjects"].after == f"職員：{markup}"
    assert changes["decisions.AT-1.reason"].after == markup + "\n二行目"
    assert changes["diagram.elements.E1"].after.startswith(markup)
    assert "diagram.flows.F1" not in changes  # flows compare the ids they refer to, not the labels shown
    assert "project.purpose" in diff.after_note  # 2000 characters at most


def test_wrong_shapes_do_not_crash(catalogue: Catalogue) -> None:
    good = example_data("internal-small")
    broken: dict[str, Any] = {
        "format": "sbd-tool/answers@1",
        "project": {"name": ["a"], "tasks": {"T1": "x"}},
        "diagram": {"zones": ["Z1", None], "elements": [{"id": "E1", "zone": {"a": 1}}], "flows": "F1"},
        "answers": {"network": {"internet": True}, "users": 3, "unknown_question": "x"},
        "decisions": ["AT-1"],
        "responsibilities": {"AU-1": "provider", "XX-9": {"party": 1}},
        "parameters": {"log_retention": None, "nope": 1},
        "document": {"date": "昨日", "compliance_appendix": "yes"},
    }
    for before, after in [(good, broken), (broken, good), (None, good), (good, []), ("text", 3)]:
        diff = diff_revisions(catalogue, before, after)
        assert isinstance(diff, RevisionDiff)
    changes = fields(diff_revisions(catalogue, good, broken))
    assert changes["answers.unknown_question"].label == "設問 unknown_question（定義されていない設問）"
    assert changes["document.date"].after == "昨日"
    assert changes["document.compliance_appendix"].after == "yes"
    assert changes["responsibilities.XX-9.party"].label == "XX-9（定義されていない対策要件） の実施主体"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["T1", "Z1", "E1", "internet"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
KEYS = ["project", "diagram", "answers", "decisions", "responsibilities", "parameters", "document"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLES), st.dictionaries(st.sampled_from(KEYS), JSON, max_size=3))
def test_any_damage_to_a_revision_gives_a_diff_not_an_error(
    catalogue: Catalogue, name: str, damage: dict[str, Any]
) -> None:
    good = example_data(name)
    damaged = {**good, **damage}
    diff = diff_revisions(catalogue, good, damaged)
    assert diff_revisions(catalogue, damaged, copy.deepcopy(damaged)).empty
    for f in diff.fields:
        assert f.before != f.after and f.step in STEP_ORDER
