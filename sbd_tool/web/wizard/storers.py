"""Per step: the checks beyond the form's own validators and how a valid form is stored in
the answers (``STORERS``)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from sbd_tool.content import Catalogue
from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.web.i18n import is_english, level_name, local_name, party_name
from sbd_tool.web.marks import N_
from sbd_tool.web.state import ProjectState, project_state
from sbd_tool.web.wizard.diagram_rows import check_diagram, store_diagram
from sbd_tool.web.wizard.fields import Errors
from sbd_tool.web.wizard.loaders import tasks_of


@dataclass(frozen=True)
class Storer:
    check: Callable[[Catalogue, Any, ProjectState], Errors]
    store: Callable[[Catalogue, dict[str, Any], Any], dict[str, Any]]


def _no_check(_cat: Catalogue, _form: Any, _state: ProjectState) -> Errors:
    return []


def check_purpose(_cat: Catalogue, form: Any, _state: ProjectState) -> Errors:
    errors: Errors = []
    filled = [e for e in form.tasks.entries if any((e.form[f].data or "").strip() for f in ("name", "description"))]
    for entry in filled:
        if not (entry.form["name"].data or "").strip():
            errors.append((entry.form["name"], N_("業務の名称を入力してください（内容だけの行は保存できません）。")))
    if not filled and form.tasks.entries:
        errors.append((form.tasks.entries[0].form["name"], N_("業務を少なくとも一つ入力してください。")))
    return errors


def store_purpose(cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    project = answers.setdefault("project", {})
    for f in cat.steps.project_fields:
        project[f.id] = (form[f.id].data or "").strip()
    existing = {t.get("id"): t for t in tasks_of(answers)}
    # A new row never reuses the id of a kept or a just-removed task (it would inherit that task's matrix).
    used = {e.form["id"].data for e in form.tasks.entries if e.form["id"].data} | set(existing)
    tasks: list[dict[str, Any]] = []
    for entry in form.tasks.entries:
        values = {f.id: (entry.form[f.id].data or "").strip() for f in cat.steps.task_fields}
        if not any(values.values()):
            continue
        task_id = entry.form["id"].data
        if not task_id or any(t["id"] == task_id for t in tasks):  # a new row (or a pasted duplicate)
            task_id = next(f"T{n}" for n in range(1, len(used) + 2) if f"T{n}" not in used)
            used.add(task_id)
        tasks.append({**existing.get(task_id, {}), "id": task_id, **values})
    project["tasks"] = tasks
    return answers


def store_features(_cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    by_id = {t.get("id"): t for t in tasks_of(answers)}
    for entry in form.tasks.entries:
        task = by_id.get(entry.form["id"].data)
        if task is None:
            continue
        task["subjects"] = [
            {"name": s["name"].strip(), "kind": s["kind"]}
            for s in entry.form.subjects.data
            if (s["name"] or "").strip()
        ]
        task["information"] = [
            {
                "name": i["name"].strip(),
                "confidentiality": int(i["confidentiality"]),
                "integrity": int(i["integrity"]),
                "availability": int(i["availability"]),
                "pii": i["pii"],
            }
            for i in entry.form.information.data
            if (i["name"] or "").strip()
        ]
        task["means"] = list(entry.form.means.data or [])
    answers["project"]["tasks"] = list(by_id.values())
    return answers


def _asked(cat: Catalogue, form: Any) -> dict[str, bool]:
    """Whether each question applies, judged on what the form now says (e.g. hosting = cloud)."""
    asked: dict[str, bool] = {}
    for qid, q in cat.questions.items():
        gate = q.applies_when
        if gate is None:
            asked[qid] = True
            continue
        asked[qid] = gate.holds(form[gate.question].data if asked.get(gate.question) else None)
    return asked


def check_questions(cat: Catalogue, form: Any, _state: ProjectState) -> Errors:
    errors: Errors = []
    for qid, asked in _asked(cat, form).items():
        q = cat.questions[qid]
        if asked and q.applies_when is not None and not form[qid].data and q.default is None:
            gate = cat.questions[q.applies_when.question]
            term = local_name(gate) if is_english() else gate.term
            message = gettext(
                "「%(question)s」の回答を選んでください（%(term)sの回答により必要です）。",
                question=local_name(q),
                term=term,
            )
            errors.append((form[qid], message))
    return errors


def store_questions(cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    asked = _asked(cat, form)
    answers["answers"] = {qid: form[qid].data for qid in cat.questions if asked[qid]}
    return answers


def check_decisions(cat: Catalogue, form: Any, state: ProjectState) -> Errors:
    errors: Errors = []
    if state.evaluation is None:
        return errors
    cloud = state.evaluation.cloud
    if cloud is not None:
        for rid, r in cloud.responsibilities.items():
            party, reason = form[f"party_{rid}"].data, (form[f"party_reason_{rid}"].data or "").strip()
            if party and party != r.default and not reason:
                errors.append(
                    (
                        form[f"party_reason_{rid}"],
                        gettext(
                            "実施主体を既定の%(default)sから%(party)sに変える理由を記入してください。",
                            default=party_name(cat, r.default),
                            party=party_name(cat, party),
                        ),
                    )
                )
    for rid, outcome in state.evaluation.requirements.items():
        level = form[f"level_{rid}"].data
        if level not in LEVEL_ORDER:  # not sent: the field's own validation reports it
            continue
        if LEVEL_ORDER[level] < LEVEL_ORDER[outcome.proposed] and not (form[f"reason_{rid}"].data or "").strip():
            errors.append(
                (
                    form[f"reason_{rid}"],
                    gettext(
                        "提案（%(proposed)s）より低い%(level)sにする理由を記入してください。",
                        proposed=level_name(cat, outcome.proposed),
                        level=level_name(cat, level),
                    ),
                )
            )
    return errors


def store_decisions(cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    state = project_state(cat, answers, {})
    decisions = {}
    for rid in cat.requirements:
        level, reason = form[f"level_{rid}"].data, (form[f"reason_{rid}"].data or "").strip()
        proposed = state.evaluation.requirements[rid].proposed if state.evaluation else None
        if level != proposed or reason:
            decisions[rid] = {"level": level, "reason": reason} if reason else {"level": level}
    answers["decisions"] = decisions
    cloud = state.evaluation.cloud if state.evaluation else None
    if cloud is not None:
        chosen = {}
        for rid, r in cloud.responsibilities.items():
            party, reason = form[f"party_{rid}"].data, (form[f"party_reason_{rid}"].data or "").strip()
            if party and party != r.default:
                chosen[rid] = {"party": party, "reason": reason}
        answers["responsibilities"] = chosen
    if not answers.get("responsibilities"):
        answers.pop("responsibilities", None)
    return answers


def check_output(_cat: Catalogue, form: Any, _state: ProjectState) -> Errors:
    errors: Errors = []
    value = (form.date.data or "").strip()
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            errors.append(
                (form.date, N_("作成日は 2026-12-01、2026/12/1、令和8年12月1日 又は R8.12.1 の形で入力してください。"))
            )
    if _start_chapter(form) is None:
        errors.append((form.start_chapter, N_("章番号は1から99までの数字で入力してください。")))
    return errors


def _start_chapter(form: Any) -> int | None:
    """The chapter number typed in step 7 (full-width digits too); 1 when blank, None when invalid."""
    text = unicodedata.normalize("NFKC", form.start_chapter.data or "").strip()
    if not text:
        return 1
    return int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= 99 else None


def store_output(cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        k: v for k, v in {"title": (form.title.data or "").strip(), "date": (form.date.data or "").strip()}.items() if v
    }
    if form.compliance_appendix.data:
        document["compliance_appendix"] = True
    if form.training_appendix.data:
        document["training_appendix"] = True
    start = _start_chapter(form)
    if start is not None and start != 1:
        document["start_chapter"] = start
    # Every parameter is stored, a blank one as "": left open on purpose, not offered again.
    params = {pid: (form[f"param_{pid}"].data or "").strip() for pid in cat.parameters}
    answers.pop("document", None)
    answers.pop("parameters", None)
    if document:
        answers["document"] = document
    if params:
        answers["parameters"] = params
    return answers


STORERS = {
    "purpose": Storer(check_purpose, store_purpose),
    "features": Storer(_no_check, store_features),
    "diagram": Storer(check_diagram, store_diagram),
    "questions": Storer(check_questions, store_questions),
    "decisions": Storer(check_decisions, store_decisions),
    "output": Storer(check_output, store_output),
}
