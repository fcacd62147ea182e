"""The typed answers model: every shipped example and every stored shape loads, the serialiser
round-trips, and structural problems keep the hand-written parser's paths and messages."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sbd_tool.answers.dump import dump_answers
from sbd_tool.answers.errors import allowed_keys, read_document
from sbd_tool.answers.model import AnswersDoc
from sbd_tool.answers.read import AnswersError, import_answers, parse_answers, read_answers
from sbd_tool.answers.schema import answers_schema
from sbd_tool.content import Catalogue
from sbd_tool.limits import ADDED_CLAUSES, TASKS
from sbd_tool.web.state import empty_answers
from tests.conftest import MINIMAL, example_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Shapes stored by earlier versions and carried by the migrations (0001 stored the project's
# answers, 0003 copied them into the first revision; later sections were added, never renamed).
STORED = {
    "migration 0003 revision": {"format": "sbd-tool/answers@1", "project": {"name": "旧案件"}},
    "new project": empty_answers(),
    "diagram draft": {"format": "sbd-tool/answers@1", "diagram": {"zones": [], "elements": [], "flows": []}},
    "minimal": MINIMAL,
}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_loads_and_round_trips(catalogue: Catalogue, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc, problems = read_document(data, lambda where: [])
    assert problems == [] and isinstance(doc, AnswersDoc)
    answers = parse_answers(data, catalogue)
    dumped = dump_answers(answers)
    assert parse_answers(dumped, catalogue) == answers
    assert dump_answers(parse_answers(dumped, catalogue)) == dumped
    assert parse_answers(copy.deepcopy(dumped), catalogue, strict=True) == answers


@pytest.mark.parametrize("name", list(STORED))
def test_every_stored_shape_loads(catalogue: Catalogue, name: str) -> None:
    answers = parse_answers(copy.deepcopy(STORED[name]), catalogue, partial=True)
    assert parse_answers(dump_answers(answers), catalogue, partial=True) == answers


def test_the_tailored_sections_round_trip(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["tailoring"] = {"AT-1.middle.1": {"text": "改めた文言。", "reason": "理由"}}
    data["added_clauses"] = [
        {"requirement": "AT-1", "text": "追加の条項。", "reason": "理由", "obligation": "proposal"}
    ]
    data["obligations"] = {"AT-1.middle.1": {"obligation": "proposal", "reason": "理由"}}
    data["decisions"] = {"AT-1": {"level": "high"}}
    data["document"] = {"date": "令和8年12月1日", "start_chapter": 5, "compliance_appendix": True}
    answers = parse_answers(data, catalogue)
    assert parse_answers(dump_answers(answers), catalogue) == answers
    assert dump_answers(answers)["document"]["date"] == "2026-12-01"


def problems(catalogue: Catalogue, change: Callable[[dict[str, Any]], None], **kw: bool) -> list[str]:
    data = copy.deepcopy(MINIMAL)
    change(data)
    with pytest.raises(AnswersError) as info:
        parse_answers(data, catalogue, **kw)
    return [str(p) for p in info.value.problems]


STRUCTURAL: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "mapping": (
        lambda d: d.update(project=["x"]),
        "project: キーと値の組（マッピング）を指定してください（リストが指定されています）",
    ),
    "list": (
        lambda d: d["project"].update(tasks="x"),
        "project.tasks: リストを指定してください（文字列が指定されています）",
    ),
    "text": (
        lambda d: d["project"].update(name=["x"]),
        "project.name: 文字列を指定してください（リストが指定されています）",
    ),
    "choice": (
        lambda d: d["project"].update(tasks=[{"name": "受付", "subjects": [{"name": "職員", "kind": ["staff"]}]}]),
        "project.tasks[0].subjects[0].kind: staff / partner / public / system のいずれかを指定してください"
        "（リストが指定されています）",
    ),
    "missing choice": (
        lambda d: d.update(decisions={"AT-1": {"reason": "x"}}),
        "decisions.AT-1.level: not_applicable / low / middle / high のいずれかを指定してください"
        "（NoneTypeが指定されています）",
    ),
    "extra key": (
        lambda d: d.update(diagram={"zones": [], "arrows": []}),
        "diagram.arrows: 定義されていない項目です（使える項目: zones, elements, flows）",
    ),
    "flow ends": (
        lambda d: d.update(diagram={"flows": [{"from": "E1", "to": "E2", "via": "x"}]}),
        "diagram.flows[0].via: 定義されていない項目です（使える項目: id, from, to, information, means）",
    ),
    "too many tasks": (
        lambda d: d["project"].update(tasks=[{"name": f"業務{i}"} for i in range(TASKS.count + 1)]),
        f"project.tasks: {TASKS.refusal(TASKS.count + 1)}",
    ),
    "too many clauses": (
        lambda d: d.update(added_clauses=[{}] * (ADDED_CLAUSES.count + 2)),
        f"added_clauses: {ADDED_CLAUSES.refusal(ADDED_CLAUSES.count + 2)}",
    ),
    "flag": (
        lambda d: d.update(document={"compliance_appendix": "yes"}),
        "document.compliance_appendix: true 又は false を指定してください",
    ),
    "chapter": (
        lambda d: d.update(document={"start_chapter": 100}),
        "document.start_chapter: 章番号は1から99までの整数で指定してください（指定値: 100）",
    ),
    "date": (
        lambda d: d.update(document={"date": 20261201}),
        "document.date: 日付は YYYY-MM-DD の形で指定してください",
    ),
    "format": (lambda d: d.pop("format"), "format: 'sbd-tool/answers@1' を指定してください（指定値: None）"),
}


@pytest.mark.parametrize("case", list(STRUCTURAL))
def test_structural_problems_keep_their_paths_and_messages(catalogue: Catalogue, case: str) -> None:
    change, expected = STRUCTURAL[case]
    assert expected in problems(catalogue, change)


@pytest.mark.parametrize("case", list(STRUCTURAL))
def test_the_generated_schema_refuses_what_the_parser_refuses(catalogue: Catalogue, case: str) -> None:
    schema = answers_schema(catalogue)
    jsonschema.validate(copy.deepcopy(MINIMAL), schema)
    data = copy.deepcopy(MINIMAL)
    STRUCTURAL[case][0](data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_schema_states_the_models_limits(catalogue: Catalogue) -> None:
    properties = answers_schema(catalogue)["properties"]
    assert properties["project"]["properties"]["tasks"]["maxItems"] == TASKS.count
    assert properties["added_clauses"]["maxItems"] == ADDED_CLAUSES.count
    assert properties["document"]["properties"]["start_chapter"] == {
        "type": "integer",
        "default": 1,
        "minimum": 1,
        "maximum": 99,
        "title": "貼り付ける節の章番号",
        "description": properties["document"]["properties"]["start_chapter"]["description"],
    }
    assert properties["tailoring"]["additionalProperties"]["additionalProperties"] is False


def test_a_refused_item_is_read_as_far_as_it_goes(catalogue: Catalogue) -> None:
    """A task that is not a mapping is read as an empty one (its name is then asked for), and a
    list past its limit is checked up to the limit only."""
    got = problems(catalogue, lambda d: d["project"].update(tasks=[3]))
    assert got == [
        "project.tasks[0]: キーと値の組（マッピング）を指定してください（整数が指定されています）",
        "project.tasks[0].name: 「業務の名称」を入力してください",
    ]
    many = [{"name": "x", "bad": 1}] * (TASKS.count + 5)
    got = problems(catalogue, lambda d: d["project"].update(tasks=many))
    assert sum("定義されていない項目" in g for g in got) == TASKS.count


def test_the_lenient_read_gives_answers_and_problems(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["project"]["owner"] = "x"
    data["answers"]["network"] = ["internet", "intranet"]
    answers, found, _ = read_answers(data, catalogue)
    assert answers.project.name == "テストシステム" and answers.answers["users"] == "staff"
    assert [p.where for p in found] == ["project.owner", "answers.network[1]"]


def test_strict_mode_refuses_a_number_that_is_not_finite(catalogue: Catalogue) -> None:
    got = problems(catalogue, lambda d: d["project"].update(name=float("inf")), strict=True)
    assert got == ['project.name: 数として扱えない値（inf）です。文字列なら引用符（"）で囲んでください']
    data = copy.deepcopy(MINIMAL)
    data["project"]["name"] = 123
    answers, stored = import_answers(data, catalogue)
    assert answers.project.name == "123" and stored["project"]["name"] == "123"


def test_allowed_keys_follow_the_model() -> None:
    assert allowed_keys(("project", "tasks", 0, "information", 1)) == (
        "name",
        "confidentiality",
        "integrity",
        "availability",
        "pii",
    )
    assert allowed_keys(("decisions", "AT-1")) == ("level", "reason")
    assert allowed_keys(())[:3] == ("format", "project", "diagram")


def test_structural_problems_are_also_in_english(catalogue: Catalogue) -> None:
    data = copy.deepcopy(MINIMAL)
    data["project"]["owner"] = "x"
    data["project"]["tasks"] = [{"name": "受付", "subjects": [{"name": "職員", "kind": ["staff"]}]}]
    data["document"] = {"start_chapter": 0}
    _, found, _ = read_answers(data, catalogue)
    english = {p.where: p.en for p in found}
    assert english["project.owner"] == "unknown key (the keys allowed: name, organisation, purpose, effects, tasks)"
    assert (
        english["project.tasks[0].subjects[0].kind"]
        == "give one of staff / partner / public / system (a list is given)"
    )
    assert english["document.start_chapter"] == "give the chapter number as a whole number from 1 to 99 (given: 0)"
    assert found[0] == type(found[0])(found[0].where, found[0].message)  # the English does not change equality


def test_what_the_old_parser_read_silently_or_once_stays_so(catalogue: Catalogue) -> None:
    """Found by comparing with the hand-written parser over fuzzed files: a null list item is an
    empty mapping, a refused required text is not also asked for, nothing under an unknown
    requirement is read, and a null means is one problem that keeps the rest of the file."""
    task = {"name": "受付", "subjects": [None], "means": [None, "office_lan"]}
    got = problems(catalogue, lambda d: d["project"].update(tasks=[task], name=["x"]))
    assert got == [
        "project.name: 文字列を指定してください（リストが指定されています）",
        "project.tasks[0].subjects[0].name: 主体の名称を入力してください",
        "project.tasks[0].subjects[0].kind: 主体の種類を指定してください（staff, partner, public, system のいずれか）",
        "project.tasks[0].means[0]: "
        + " / ".join(o.id for o in catalogue.steps.matrix.means)
        + " のいずれかを指定してください（NoneTypeが指定されています）",
    ]
    got = problems(catalogue, lambda d: d.update(decisions={"XX-1": {"level": []}, "AT-1": {"level": "high"}}))
    assert len(got) == 1 and got[0].startswith("decisions.XX-1: 対策要件 'XX-1' はありません")


GOLDEN = ROOT / "tests" / "data" / "answers_golden.json"  # written by the hand-written parser


def test_problems_are_those_of_the_hand_written_parser(catalogue: Catalogue) -> None:
    """200 files, each an example with one to three values replaced by a wrong one (a wrong type,
    an unknown key, a NUL, a line break, …), and the problems the hand-written parser (before the
    model) found in them, normal and strict: the model-based read finds the same ones.
    ``tests/data/answers_golden_gen.py`` wrote the file (run at commit 6945615)."""
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))
    base = {name: json.loads(json.dumps(example_data(name), default=str)) for name in {c["example"] for c in cases}}
    for i, case in enumerate(cases):
        data = copy.deepcopy(base[case["example"]])
        for path, value in case["changes"]:
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = copy.deepcopy(value)
        for strict, expected in ((False, case["problems"]), (True, case["strict_problems"])):
            _, found, _ = read_answers(copy.deepcopy(data), catalogue, strict=strict)
            assert sorted(str(p) for p in found) == expected, (i, strict)
