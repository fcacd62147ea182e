"""A project's state as the wizard shows it: evaluation and per-step status. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sbd_tool.answers.read import Answers
from sbd_tool.assessment import assess
from sbd_tool.content import Catalogue
from sbd_tool.content.schema import Parameter
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.problems import Problem

Status = Literal["todo", "done", "problem"]


@dataclass(frozen=True)
class ProjectState:
    answers: Answers | None
    evaluation: Evaluation | None
    problems: tuple[Problem, ...]  # stored data that no longer validates (e.g. after a content change)
    status: dict[str, Status]
    blocking: tuple[Problem, ...] = ()  # what stands between the answers and a spec (``assess``)
    # Parameters a printed clause uses with no value (``assess``): listed on step 7, not a block.
    open_parameters: tuple[Parameter, ...] = ()

    @property
    def done(self) -> int:
        return sum(1 for s in self.status.values() if s == "done")


def empty_answers() -> dict[str, Any]:
    return {"format": "sbd-tool/answers@1", "project": {"tasks": []}, "answers": {}}


def _status(visited: bool, ok: bool) -> Status:
    if not visited:
        return "todo"
    return "done" if ok else "problem"


def project_state(catalogue: Catalogue, data: dict[str, Any], visited: dict[str, Any]) -> ProjectState:
    """Evaluate a stored (possibly half-finished) answers document and grade each step.

    Step 7 is done exactly when ``assess`` says a specification may be produced: the same verdict
    every download and the CLI use.
    """
    assessment = assess(catalogue, data)
    answers, evaluation = assessment.answers, assessment.evaluation
    if answers is None or evaluation is None:
        status: dict[str, Status] = {s.id: ("problem" if visited.get(s.id) else "todo") for s in catalogue.steps.steps}
        return ProjectState(None, None, assessment.problems, status)
    project = answers.project
    tasks = project.tasks
    step1 = bool(project.name and project.organisation and project.purpose and tasks and all(t.name for t in tasks))
    step2 = bool(tasks) and all(t.subjects and t.information and t.means for t in tasks)
    step4 = not evaluation.missing and not evaluation.warnings
    step6 = not [
        p for p in assessment.problems if p.where.startswith(("decisions.", "responsibilities.", "obligations."))
    ]
    status = {
        "purpose": _status(bool(visited.get("purpose")), step1),
        "features": _status(bool(visited.get("features")), step2),
        "diagram": _status(bool(visited.get("diagram")), True),
        "questions": _status(bool(visited.get("questions")), step4),
        "conditions": _status(bool(visited.get("conditions")), not evaluation.missing),
        "decisions": _status(bool(visited.get("decisions")), step6 and not evaluation.missing),
        "output": _status(bool(visited.get("output")), assessment.ready),
    }
    return ProjectState(answers, evaluation, (), status, assessment.problems, assessment.open_parameters)
