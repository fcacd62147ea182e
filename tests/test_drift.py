"""Drift: what a new catalogue would change for one project, checked against the engine itself."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sbd_tool.answers.read import parse_answers
from sbd_tool.compare.drift import drift, printed_clauses
from sbd_tool.compare.drift_model import ClauseChange, Drift
from sbd_tool.compare.drift_report import drift_summary, question_sentence, requirement_sentence
from sbd_tool.compare.lenient_answers import parse_leniently
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate
from tests.conftest import EXAMPLES, example_data


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_yaml(root: Path, relative: str, change: Callable[[Any], None]) -> None:
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def evaluated(catalogue: Catalogue, data: dict[str, Any]) -> Evaluation:
    return evaluate(catalogue, parse_answers(data, catalogue, partial=True))


def assert_matches_the_engine(d: Drift, old: Catalogue, new: Catalogue, data: dict[str, Any]) -> None:
    """Every level in the drift is what evaluating each catalogue directly gives."""
    before, after = evaluated(old, data), evaluated(new, data)
    kept = {r.id: r for r in d.requirements if r.status == "kept"}
    assert set(kept) == set(old.requirements) & set(new.requirements)
    for rid, r in kept.items():
        assert (r.proposed_before, r.decided_before) == (
            before.requirements[rid].proposed,
            before.requirements[rid].decided,
        )
        assert (r.proposed_after, r.decided_after) == (
            after.requirements[rid].proposed,
            after.requirements[rid].decided,
        )


CITIZEN = example_data("citizen-portal")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_same_catalogue_changes_nothing(catalogue: Catalogue, example: Path) -> None:
    d = drift(catalogue, catalogue, example_data(example.stem))
    assert not d.changed
    assert d.answer_problems == () and d.questions == ()
    assert [r.id for r in d.requirements] == list(catalogue.requirements)
    assert all(r.status == "kept" and not r.changed and r.clause_changes == () for r in d.requirements)
    assert drift_summary(d) == "この案件への影響はありません"
    assert requirement_sentence(catalogue, catalogue, d.requirements[0]).endswith(": 変わりません")


def test_an_equal_copy_changes_nothing(catalogue: Catalogue, content_copy: Path) -> None:
    d = drift(catalogue, load_catalogue(content_copy), CITIZEN)
    assert not d.changed and d.old_version == d.new_version


def test_a_narrower_rule_lowers_the_level(catalogue: Catalogue, content_copy: Path) -> None:
    edit(
        content_copy,
        "questionnaires/rules.yaml",
        "when: {all: [C-internet, {any: [C-conf3, C-pii-sensitive]}]}",  # AT-1's high rule
        "when: {all: [C-internet, C-conf3]}",
    )
    new = load_catalogue(content_copy)
    d = drift(catalogue, new, CITIZEN)
    assert_matches_the_engine(d, catalogue, new, CITIZEN)
    before, after = evaluated(catalogue, CITIZEN), evaluated(new, CITIZEN)
    expected = {
        rid for rid in catalogue.requirements if before.requirements[rid].decided != after.requirements[rid].decided
    }
    assert expected  # the edit matters to this project
    assert {r.id for r in d.level_changes} == expected
    at1 = next(r for r in d.requirements if r.id == "AT-1")
    assert at1.level_changed and at1.proposal_changed and at1.changed
    # The clauses of the level no longer reached are what leaves the specification.
    gone = set(printed_clauses(catalogue, before.requirements["AT-1"])) - set(
        printed_clauses(new, after.requirements["AT-1"])
    )
    assert gone and {c.before for c in at1.clause_changes} == gone and all(c.after is None for c in at1.clause_changes)
    assert d.changed and d.text_changes == ()
    assert drift_summary(d) == f"{len(expected)}件の対策要件でレベルが変わります"
    before_label, after_label = (catalogue.level_label(lv or "") for lv in (at1.decided_before, at1.decided_after))
    assert (
        requirement_sentence(catalogue, new, at1)
        == f"AT-1 通信経路の分離: レベルが{before_label}から{after_label}に変わります"
    )


def test_a_changed_clause_is_listed_with_its_old_and_new_text(catalogue: Catalogue, content_copy: Path) -> None:
    old_text = catalogue.requirements["AT-1"].requirement.levels["low"].clauses[0]
    new_text = old_text.replace("論理的に分離し", "物理的又は論理的に分離し")
    assert new_text != old_text
    edit(content_copy, "requirement_sets/AT.yaml", old_text, new_text)
    new = load_catalogue(content_copy)
    d = drift(catalogue, new, CITIZEN)
    assert_matches_the_engine(d, catalogue, new, CITIZEN)
    at1 = next(r for r in d.requirements if r.id == "AT-1")
    assert not at1.level_changed and at1.text_changed
    assert at1.clause_changes == (ClauseChange(old_text, new_text),)
    assert [r.id for r in d.text_changes] == ["AT-1"] and d.level_changes == ()
    assert drift_summary(d) == "1件の対策要件で記載文が変わります"
    assert requirement_sentence(catalogue, new, at1).endswith("記載文が1か所変わります")


def test_a_clause_above_the_decided_level_does_not_matter(catalogue: Catalogue, content_copy: Path) -> None:
    decided = evaluated(catalogue, CITIZEN).requirements
    rid = next(rid for rid, o in decided.items() if o.decided in ("low", "middle"))  # found, not assumed
    old_text = catalogue.requirements[rid].requirement.levels["high"].clauses[0]
    edit(content_copy, f"requirement_sets/{rid[:2]}.yaml", old_text, old_text.replace("こと。", "ものとすること。"))
    d = drift(catalogue, load_catalogue(content_copy), CITIZEN)
    assert not d.changed
    # … but a project at high gets it.
    at_high = copy.deepcopy(CITIZEN)
    at_high["decisions"][rid] = {"level": "high", "reason": "試験のため"}
    d = drift(catalogue, load_catalogue(content_copy), at_high)
    assert [r.id for r in d.text_changes] == [rid]


def test_a_removed_option_the_project_answered_is_reported(catalogue: Catalogue, content_copy: Path) -> None:
    assert CITIZEN["answers"]["scale"] == "ge10000"
    edit(
        content_copy,
        "questionnaires/questions.yaml",
        '{id: ge10000, label: "10,000人以上"',
        '{id: ge10k, label: "1万人以上"',
    )
    edit(content_copy, "questionnaires/conditions.yaml", "in: [1000to10000, ge10000]", "in: [1000to10000, ge10k]")
    new = load_catalogue(content_copy)
    d = drift(catalogue, new, CITIZEN)
    assert [str(p) for p in d.answer_problems] == [
        "answers.scale: 'ge10000' は選択肢にありません（lt100, 100to1000, 1000to10000, ge10k のいずれか）"
    ]
    assert d.old_answer_problems == ()
    (scale,) = d.questions
    assert (scale.id, scale.status, scale.answered) == ("scale", "options_changed", True)
    assert (scale.options_added, scale.options_removed) == (("ge10k",), ("ge10000",))
    assert (scale.answer_before, scale.answer_after, scale.answer_lost) == ("ge10000", None, True)
    assert scale.affects_project and d.changed
    assert question_sentence(catalogue, new, scale) == (
        "設問「利用者数の規模は？」: 選択肢「1万人以上」が加わります、選択肢「10,000人以上」がなくなります。"
        "回答「10,000人以上」は使えなくなります"
    )
    # The levels after are those of the project without that answer.
    without = copy.deepcopy(CITIZEN)
    del without["answers"]["scale"]
    after = evaluated(new, without)
    for r in d.requirements:
        assert r.proposed_after == after.requirements[r.id].proposed
    assert "1件の回答・決定が新しい版では使えなくなります" in drift_summary(d)


def test_a_decision_on_a_level_that_is_gone_falls_back_to_the_proposal(
    catalogue: Catalogue, content_copy: Path
) -> None:
    assert CITIZEN["decisions"]["AT-4"]["level"] == "high"

    def drop_high(data: Any) -> None:
        for policy in data["policies"]:
            for req in policy["requirements"]:
                if req["id"] == "AT-4":
                    del req["levels"]["high"]

    def drop_high_rule(data: Any) -> None:
        rules = data["requirements"]["AT-4"]["rules"]
        data["requirements"]["AT-4"]["rules"] = [r for r in rules if r["level"] != "high"]

    edit_yaml(content_copy, "requirement_sets/AT.yaml", drop_high)
    edit_yaml(content_copy, "questionnaires/rules.yaml", drop_high_rule)
    new = load_catalogue(content_copy)
    d = drift(catalogue, new, CITIZEN)
    at4 = next(r for r in d.requirements if r.id == "AT-4")
    assert at4.decision == "high" and at4.decision_dropped and at4.changed
    assert at4.decided_before == "high" and at4.decided_after == at4.proposed_after
    assert [p.where for p in d.answer_problems] == ["decisions.AT-4.level"]
    assert requirement_sentence(catalogue, new, at4).startswith(
        "AT-4 サービス不能化の防止: 決定した高位は新しい版で定義されていないため、提案レベルを使います"
    )


@pytest.fixture
def extended(content_copy: Path) -> Catalogue:
    """The shipped content plus a requirement AT-99 and a question extra_check."""

    def add_requirement(data: Any) -> None:
        reqs = data["policies"][-1]["requirements"]
        reqs.append({**copy.deepcopy(reqs[-1]), "id": "AT-99", "name": "試験用の要件"})

    edit_yaml(content_copy, "requirement_sets/AT.yaml", add_requirement)
    edit(content_copy, "questionnaires/rules.yaml", "requirements:\n", "requirements:\n  AT-99: {default: middle}\n")
    edit(
        content_copy,
        "requirement_sets/cloud.yaml",
        "  AT-6: {iaas: contractor, paas: contractor, saas: provider}\n",
        "  AT-6: {iaas: contractor, paas: contractor, saas: provider}\n"
        "  AT-99: {iaas: contractor, paas: contractor, saas: provider}\n",
    )
    with (content_copy / "questionnaires" / "questions.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - id: extra_check\n    perspective: operation\n    label: 試験用の追加の設問は？\n"
            "    label_en: An extra question?\n    term: 試験用の追加の設問\n    help: 試験のために加えた設問です。\n"
            "    type: single\n    options:\n      - {id: absent, label: なし, label_en: Absent}\n"
            "      - {id: present, label: あり, label_en: Present}\n"
        )
    return load_catalogue(content_copy)


def test_added_requirement_and_question(catalogue: Catalogue, extended: Catalogue) -> None:
    d = drift(catalogue, extended, CITIZEN)
    (added,) = d.added
    assert (added.id, added.status, added.proposed_before, added.proposed_after) == ("AT-99", "added", None, "middle")
    assert [r.id for r in d.requirements] == list(extended.requirements)
    (question,) = d.questions
    assert (question.id, question.status, question.answered, question.needs_answer) == (
        "extra_check",
        "added",
        False,
        True,
    )
    assert d.changed
    assert drift_summary(d) == "1件の対策要件が加わり、1件の新しい設問に回答が必要になります"
    assert requirement_sentence(catalogue, extended, added) == "AT-99 試験用の要件: 新しい版で加わります（中位）"
    assert (
        question_sentence(catalogue, extended, question)
        == "設問「試験用の追加の設問は？」: 新しい版で加わります（回答が必要です）"
    )


def test_removed_requirement_and_answered_question(catalogue: Catalogue, extended: Catalogue) -> None:
    data = copy.deepcopy(CITIZEN)
    data["answers"]["extra_check"] = "present"
    data["decisions"]["AT-99"] = {"level": "high", "reason": "試験のため"}
    d = drift(extended, catalogue, data)  # back to the shipped content
    (removed,) = d.removed
    assert (removed.id, removed.decided_before, removed.decided_after, removed.decision) == (
        "AT-99",
        "high",
        None,
        "high",
    )
    assert removed.status == "removed" and removed.changed
    (question,) = d.questions
    assert (question.status, question.answered, question.answer_before, question.answer_after) == (
        "removed",
        True,
        "present",
        None,
    )
    assert {p.where for p in d.answer_problems} == {"answers.extra_check", "decisions.AT-99"}
    assert question_sentence(extended, catalogue, question) == (
        "設問「試験用の追加の設問は？」: 新しい版にはありません（回答「あり」は使われなくなります）"
    )
    assert_matches_the_engine(
        d, extended, catalogue, {**data, "answers": CITIZEN["answers"], "decisions": CITIZEN["decisions"]}
    )


def test_answers_invalid_everywhere_do_not_crash(catalogue: Catalogue) -> None:
    data = {"format": "other", "answers": {"network": ["internet", "bogus"], "colour": "red"}, "decisions": 3}
    d = drift(catalogue, catalogue, data)
    assert d.old_answer_problems == d.answer_problems and len(d.answer_problems) == 4
    assert not d.changed  # the same catalogue: the problems are not news
    assert all(r.status == "kept" for r in d.requirements)
    assert drift(catalogue, catalogue, [])  # type: ignore[arg-type]


def test_parse_leniently_keeps_what_is_still_valid(catalogue: Catalogue) -> None:
    data = copy.deepcopy(CITIZEN)
    data["answers"]["network"] = ["internet", "bogus"]
    data["project"]["tasks"][0]["subjects"].append({"name": "謎の主体", "kind": "alien"})
    answers, problems = parse_leniently(data, catalogue)
    assert answers.answers["network"] == ("internet",)
    assert [s.name for s in answers.project.tasks[0].subjects] == ["申請者（国民・事業者）"]
    assert answers.decisions == parse_answers(CITIZEN, catalogue).decisions
    assert [p.where for p in problems] == ["project.tasks[0].subjects[1].kind", "answers.network[1]"]


# ---------------------------------------------------------------- tailored clauses (issue 15 item 4)

AT1_LOW_1 = "管理機能への不正な接続を防止するため、サーバ及びネットワーク機器の管理用の通信を"


def _tailored_citizen(catalogue: Catalogue) -> dict[str, Any]:
    data = copy.deepcopy(CITIZEN)
    data["tailoring"] = {
        "AT-1.low.1": {"text": "管理用の通信は専用の VLAN に分けること。", "reason": "庁内標準に合わせるため。"},
        "AT-1.high.2": {"text": "管理は専用端末からのみ行うこと。", "reason": "運用体制に合わせるため。"},
    }
    return data


def test_a_tailored_clause_is_kept_and_flagged_when_the_catalogue_text_under_it_changes(
    catalogue: Catalogue, content_copy: Path
) -> None:
    edit(
        content_copy,
        "requirement_sets/AT.yaml",
        AT1_LOW_1,
        "管理画面への不正な接続を防止するため、サーバ及びネットワーク機器の管理用の通信を",
    )
    new = load_catalogue(content_copy)
    data = _tailored_citizen(catalogue)
    d = drift(catalogue, new, data)
    at1 = next(r for r in d.requirements if r.id == "AT-1")
    assert [(t.key, t.status) for t in at1.tailoring] == [("AT-1.low.1", "catalogue_changed")]
    assert at1.tailoring[0].now is not None and at1.tailoring[0].now.startswith("管理画面への")
    assert at1.changed and d.changed
    assert (
        "文言を変更した条項 AT-1.low.1 の元の文言が変わります（変更後の文言はそのまま使います）"
        in requirement_sentence(catalogue, new, at1)
    )
    assert "1件の文言を変更した条項で元の文言が変わります" in drift_summary(d)
    kept, problems = parse_leniently(data, new)
    assert kept.tailoring["AT-1.low.1"].text == "管理用の通信は専用の VLAN に分けること。" and not problems
    # the officer looked again: the stored catalogue text is the new one, nothing is flagged
    data["tailoring"]["AT-1.low.1"]["catalogue_text"] = at1.tailoring[0].now
    assert not next(r for r in drift(catalogue, new, data).requirements if r.id == "AT-1").tailoring


def test_a_tailored_clause_whose_key_disappears_is_flagged_and_the_others_are_kept(
    catalogue: Catalogue, content_copy: Path
) -> None:
    def drop_last_high_clause(data: Any) -> None:
        at1 = next(r for p in data["policies"] for r in p["requirements"] if r["id"] == "AT-1")
        at1["levels"]["high"]["clauses"].pop()  # AT-1.high.3 goes; AT-1.high.2 stays

    edit_yaml(content_copy, "requirement_sets/AT.yaml", drop_last_high_clause)
    new = load_catalogue(content_copy)
    data = _tailored_citizen(catalogue)
    data["tailoring"]["AT-1.high.3"] = {"text": "閉域接続に限ること。", "reason": "理由"}
    at1 = next(r for r in drift(catalogue, new, data).requirements if r.id == "AT-1")
    assert [(t.key, t.status) for t in at1.tailoring] == [("AT-1.high.3", "removed")]
    kept, problems = parse_leniently(data, new)
    assert set(kept.tailoring) == {"AT-1.low.1", "AT-1.high.2"}  # only the key that went is dropped
    assert [p.where for p in problems] == ["tailoring.AT-1.high.3"]


def test_printed_clauses_leave_out_clauses_whose_condition_does_not_hold(catalogue: Catalogue) -> None:
    outcome = evaluated(catalogue, CITIZEN).requirements["AT-1"]
    levels = catalogue.requirements["AT-1"].requirement.levels
    reached = [lv for lv in ("low", "middle", "high") if lv in levels][
        : ["low", "middle", "high"].index(outcome.decided) + 1
    ]
    every = [str(c) for lv in reached for c in levels[lv].clauses]
    omitted = {str(levels[o.level].clauses[o.position]) for o in outcome.omitted if o.level in reached}
    assert omitted, "the citizen portal leaves out AT-1's clauses for managed services"
    assert printed_clauses(catalogue, outcome) == tuple(c for c in every if c not in omitted)
