"""Per step: how the stored answers fill the step's form (``LOADERS``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sbd_tool.content import Catalogue
from sbd_tool.web.state import ProjectState

Loader = Callable[[Catalogue, dict[str, Any], ProjectState], dict[str, Any]]


def tasks_of(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Step 1's tasks as stored (none yet: an empty list)."""
    return list(answers.get("project", {}).get("tasks") or [])


def load_purpose(cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    project = answers.get("project", {})
    data: dict[str, Any] = {f.id: project.get(f.id) or "" for f in cat.steps.project_fields}
    tasks = [
        {"id": t.get("id") or f"T{i + 1}", **{f.id: t.get(f.id) or "" for f in cat.steps.task_fields}}
        for i, t in enumerate(tasks_of(answers))
    ]
    data["tasks"] = tasks or [{"id": "T1"}]
    return data


def load_features(_cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    tasks = []
    for i, t in enumerate(tasks_of(answers)):
        info = [{k: str(v) for k, v in item.items()} for item in t.get("information") or []]
        tasks.append(
            {
                "id": t.get("id") or f"T{i + 1}",
                "subjects": list(t.get("subjects") or []) or [{}],
                "information": info or [{}],
                "means": list(t.get("means") or []),
            }
        )
    return {"tasks": tasks}


def diagram_form_data(diagram: dict[str, Any] | None) -> dict[str, Any]:
    """The answers file's ``diagram`` as form data (``from``/``to`` are ``source``/``target``)."""
    diagram = diagram or {}
    flows = [
        {"id": f.get("id", ""), "source": f.get("from", ""), "target": f.get("to", ""),
         "information": f.get("information", ""), "means": f.get("means", "")}
        for f in diagram.get("flows") or []
    ]  # fmt: skip
    return {  # an empty list still shows one row to fill in, with an id to refer to
        "zones": [dict(z) for z in diagram.get("zones") or []] or [{"id": "Z1"}],
        "elements": [dict(e) for e in diagram.get("elements") or []] or [{"id": "E1"}],
        "flows": flows or [{"id": "F1"}],
    }


def load_diagram(_cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    return diagram_form_data(answers.get("diagram"))


def load_questions(cat: Catalogue, answers: dict[str, Any], state: ProjectState) -> dict[str, Any]:
    given = answers.get("answers") or {}
    data: dict[str, Any] = {}
    for qid, q in cat.questions.items():
        value = state.evaluation.answers[qid].value if state.evaluation else given.get(qid)
        data[qid] = list(value) if q.type == "multi" and value is not None else value
    return data


def load_decisions(cat: Catalogue, answers: dict[str, Any], state: ProjectState) -> dict[str, Any]:
    data: dict[str, Any] = {}
    decisions = answers.get("decisions") or {}
    for rid in cat.requirements:
        outcome = state.evaluation.requirements[rid] if state.evaluation else None
        data[f"level_{rid}"] = outcome.decided if outcome else decisions.get(rid, {}).get("level", "low")
        data[f"reason_{rid}"] = decisions.get(rid, {}).get("reason", "")
    cloud = state.evaluation.cloud if state.evaluation else None
    chosen = answers.get("responsibilities") or {}
    if cloud is not None:
        for rid, r in cloud.responsibilities.items():
            data[f"party_{rid}"] = r.party
            data[f"party_reason_{rid}"] = (chosen.get(rid) or {}).get("reason", "")
    return data


def load_output(cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    document = answers.get("document") or {}
    params = answers.get("parameters") or {}
    data = {"title": document.get("title", ""), "date": str(document.get("date") or "")}
    data["compliance_appendix"] = bool(document.get("compliance_appendix"))
    data["training_appendix"] = bool(document.get("training_appendix"))
    start = document.get("start_chapter")
    data["start_chapter"] = str(start) if isinstance(start, int) and start != 1 else ""
    # A parameter never set is offered its suggested value (one an answer implies is left blank);
    # one the officer cleared is stored as "" and stays blank: deliberately left open.
    data.update(
        {f"param_{pid}": params.get(pid, "" if p.question else p.suggested) for pid, p in cat.parameters.items()}
    )
    return data


LOADERS: dict[str, Loader] = {
    "purpose": load_purpose,
    "features": load_features,
    "diagram": load_diagram,
    "questions": load_questions,
    "decisions": load_decisions,
    "output": load_output,
}
