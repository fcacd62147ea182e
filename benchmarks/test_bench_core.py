"""Speed of the core, measured with pytest-benchmark (not asserted in unit tests).

    .venv/bin/pytest benchmarks --benchmark-enable

The normal test run executes each benchmark once (benchmarks disabled) so they keep working.
Figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sbd_tool.answers.read import load_answers
from sbd_tool.content import load_catalogue
from sbd_tool.document import build_document, render_docx
from sbd_tool.engine.rules import evaluate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "citizen-portal.yaml"


@pytest.fixture(scope="module")
def prepared() -> tuple[Any, Any]:
    catalogue = load_catalogue(ROOT)
    return catalogue, load_answers(EXAMPLE, catalogue)


def test_evaluate(benchmark: Any, prepared: tuple[Any, Any]) -> None:
    """Full evaluations (derivation, every condition, every requirement's rules, decisions),
    rotating through the three examples so no single answer set is measured warm."""
    catalogue, _ = prepared
    examples = [load_answers(p, catalogue) for p in sorted((ROOT / "examples").glob("*.yaml"))]

    def run() -> int:
        return sum(len(evaluate(catalogue, a).requirements) for a in examples)

    assert benchmark(run) == len(catalogue.requirements) * len(examples)


def test_full_document(benchmark: Any, prepared: tuple[Any, Any]) -> None:
    """Evaluation, document model and the rendered .docx bytes, in process."""
    catalogue, answers = prepared

    def run() -> bytes:
        evaluation = evaluate(catalogue, answers)
        model = build_document(catalogue, answers, evaluation, dt.date(2026, 11, 24))
        return render_docx(model)

    assert benchmark(run)[:2] == b"PK"


def test_load_catalogue(benchmark: Any) -> None:
    """Loading and validating all content (once per process in the CLI and the web app)."""
    expected = len(load_catalogue(ROOT).requirements)  # the count the content declares, not a constant
    assert expected >= 26 and len(benchmark(load_catalogue, ROOT).requirements) == expected
