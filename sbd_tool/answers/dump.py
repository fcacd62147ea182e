"""``Answers`` back to an answers file (``sbd-tool/answers@1``): the serialiser of the typed form.

``parse_answers(dump_answers(a), catalogue) == a`` for every ``a`` the parser gave; the result
is checked against the structural model (``AnswersDoc``) before it is returned, and carries no
empty section, so that it reads as a file written by hand.
"""

from __future__ import annotations

from typing import Any

from sbd_tool.answers.model import FORMAT, AnswersDoc
from sbd_tool.answers.read import Answers, Task


def _task(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "name": task.name,
        "description": task.description,
        "subjects": [{"name": s.name, "kind": s.kind} for s in task.subjects],
        "information": [
            {
                "name": i.name,
                "confidentiality": i.confidentiality,
                "integrity": i.integrity,
                "availability": i.availability,
                "pii": i.pii,
            }
            for i in task.information
        ],
        "means": list(task.means),
    }


def _diagram(answers: Answers) -> dict[str, Any] | None:
    d = answers.diagram
    if d is None:
        return None
    return {
        "zones": [{"id": z.id, "kind": z.kind, "label": z.label} for z in d.zones],
        "elements": [{"id": e.id, "kind": e.kind, "label": e.label, "zone": e.zone} for e in d.elements],
        "flows": [
            {"id": f.id, "from": f.source, "to": f.target, "information": f.information, "means": f.means}
            for f in d.flows
        ],
    }


def _document(answers: Answers) -> dict[str, Any]:
    doc = answers.document
    return {
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "compliance_appendix": doc.compliance_appendix,
        "start_chapter": doc.start_chapter,
        "training_appendix": doc.training_appendix,
    }


def dump_answers(answers: Answers) -> dict[str, Any]:
    """The answers file of ``answers`` (plain JSON-compatible data)."""
    p = answers.project
    data: dict[str, Any] = {
        "format": FORMAT,
        "project": {
            "name": p.name,
            "organisation": p.organisation,
            "purpose": p.purpose,
            "effects": p.effects,
            "tasks": [_task(t) for t in p.tasks],
        },
        "diagram": _diagram(answers),
        "answers": {qid: v if isinstance(v, str) else list(v) for qid, v in answers.answers.items()},
        "decisions": {rid: {"level": d.level, "reason": d.reason} for rid, d in answers.decisions.items()},
        "responsibilities": {
            rid: {"party": a.party, "reason": a.reason} for rid, a in answers.responsibilities.items()
        },
        "parameters": dict(answers.parameters),
        "document": _document(answers),
        "obligations": {
            key: {"obligation": o.obligation, "reason": o.reason} for key, o in answers.obligations.items()
        },
        "tailoring": {
            key: {"text": t.text, "reason": t.reason, "catalogue_text": t.catalogue_text}
            for key, t in answers.tailoring.items()
        },
        "added_clauses": [
            {"requirement": c.requirement, "text": c.text, "reason": c.reason, "obligation": c.obligation}
            for c in answers.added_clauses
        ],
    }
    out = {key: value for key, value in data.items() if value not in (None, {}, [])}
    out.setdefault("answers", {})
    AnswersDoc.model_validate(out)  # the shape is the model's (raises ValidationError otherwise)
    return out
