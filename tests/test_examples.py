"""The examples: each is complete and valid, and docs/examples.md states their real levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbd_tool.answers.read import load_answers
from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import decision_problems, evaluate
from tests.conftest import EXAMPLES, ROOT

SHORT = {"対": "not_applicable", "低": "low", "中": "middle", "高": "high"}


def documented_levels() -> dict[str, dict[str, str]]:
    lines = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| ID |"))
    names = [c.strip() for c in header.strip("|").split("|")][2:]
    table: dict[str, dict[str, str]] = {n: {} for n in names}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and cells[0][:2].isalpha() and cells[0][:2].isupper() and "-" in cells[0]:
            for name, cell in zip(names, cells[2:], strict=True):
                table[name][cells[0]] = SHORT[cell[0]]
    return table


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_complete_and_documented(catalogue: Catalogue, example: Path) -> None:
    evaluation = evaluate(catalogue, load_answers(example, catalogue))
    assert decision_problems(catalogue, evaluation) == []
    assert evaluation.warnings == ()
    documented = documented_levels()[example.stem]
    assert documented == {rid: r.decided for rid, r in evaluation.requirements.items()}


def test_examples_exercise_derivation_and_decisions(catalogue: Catalogue) -> None:
    portal = evaluate(catalogue, load_answers(ROOT / "examples" / "citizen-portal.yaml", catalogue))
    assert portal.answers["users"].source == "derived"
    assert portal.requirements["AC-2"].lowered and portal.requirements["AT-4"].overridden
    assert {p.stem for p in EXAMPLES} == {"internal-small", "citizen-portal", "cloud-interagency"}
