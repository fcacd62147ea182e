"""Per step: how stored answers fill the form (loaders) and how a valid form is stored."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from wtforms import Field

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.web.forms import options
from sbd_tool.web.i18n import is_english, level_name, local_name, party_name
from sbd_tool.web.marks import N_
from sbd_tool.web.state import ProjectState, project_state

Loader = Callable[[Catalogue, dict[str, Any], ProjectState], dict[str, Any]]


def _tasks(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return list(answers.get("project", {}).get("tasks") or [])


def load_purpose(cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    project = answers.get("project", {})
    data: dict[str, Any] = {f.id: project.get(f.id) or "" for f in cat.steps.project_fields}
    tasks = [
        {"id": t.get("id") or f"T{i + 1}", **{f.id: t.get(f.id) or "" for f in cat.steps.task_fields}}
        for i, t in enumerate(_tasks(answers))
    ]
    data["tasks"] = tasks or [{"id": "T1"}]
    return data


def load_features(_cat: Catalogue, answers: dict[str, Any], _state: ProjectState) -> dict[str, Any]:
    tasks = []
    for i, t in enumerate(_tasks(answers)):
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


def set_diagram_choices(cat: Catalogue, form: Any, answers: dict[str, Any]) -> None:
    """References are chosen from what the diagram (as now typed) and step 2 contain."""
    zones = [("", "（区域外）")] + [
        (z.form["id"].data, z.form["label"].data or z.form["id"].data) for z in form.zones.entries if z.form["id"].data
    ]
    elements = [("", "（選択）")] + [
        (e.form["id"].data, e.form["label"].data or e.form["id"].data)
        for e in form.elements.entries
        if e.form["id"].data
    ]
    names = [i.get("name") for t in _tasks(answers) for i in t.get("information") or [] if i.get("name")]
    information = [("", "（未設定）")] + [(n, n) for n in dict.fromkeys(names)]
    zone_choices, element_choices = options(zones), options(elements)
    for e in form.elements.entries:
        e.form["zone"].choices = zone_choices
    for f in form.flows.entries:
        f.form["source"].choices = element_choices
        f.form["target"].choices = element_choices
        current = f.form["information"].data
        extra = [(current, current)] if current and current not in dict(information) else []
        f.form["information"].choices = options(information + extra)


def _free_ids(rows: list[dict[str, Any]], prefix: str) -> None:
    used = {r["id"] for r in rows if r.get("id")}
    n = 1
    for r in rows:
        if not r.get("id"):
            while f"{prefix}{n}" in used:
                n += 1
            r["id"] = f"{prefix}{n}"
            used.add(r["id"])


def diagram_from_form(cat: Catalogue, form: Any) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The answers file's ``diagram`` from the form, skipping empty rows; and, per list, which
    form row each kept item came from (to put parser errors on the right field)."""
    zones, elements, flows = [], [], []
    rows: dict[str, list[int]] = {"zones": [], "elements": [], "flows": []}
    referenced = {
        (e.form["zone"].data or "").strip() for e in form.elements.entries if (e.form["label"].data or "").strip()
    }
    for i, e in enumerate(form.zones.entries):
        z = {k: (e.form[k].data or "").strip() for k in ("id", "kind", "label")}
        if z["kind"] and (z["label"] or (z["id"] and z["id"] in referenced)):  # an untouched row is not a zone
            zones.append(z)
            rows["zones"].append(i)
    for i, e in enumerate(form.elements.entries):
        el = {k: (e.form[k].data or "").strip() for k in ("id", "kind", "label", "zone")}
        if el["label"]:
            elements.append({k: v for k, v in el.items() if v or k != "zone"})
            rows["elements"].append(i)
    for i, e in enumerate(form.flows.entries):
        f = {k: (e.form[k].data or "").strip() for k in ("id", "source", "target", "information", "means")}
        if f["source"] or f["target"]:
            item = {"id": f["id"], "from": f["source"], "to": f["target"]}
            item |= {k: f[k] for k in ("information", "means") if f[k]}
            flows.append(item)
            rows["flows"].append(i)
    _free_ids(zones, "Z")
    _free_ids(elements, "E")
    _free_ids(flows, "F")
    kinds = {k.id: k.label for k in cat.steps.diagram.zone_kinds}
    for z in zones:
        z["label"] = z["label"] or kinds.get(z["kind"], z["kind"])
    return {"zones": zones, "elements": elements, "flows": flows}, rows


_FIELD = {"from": "source", "to": "target"}


def check_diagram(cat: Catalogue, form: Any, _state: ProjectState) -> Errors:
    data, rows = diagram_from_form(cat, form)
    try:
        parse_answers({"format": "sbd-tool/answers@1", "diagram": data}, cat, partial=True)
    except AnswersError as exc:
        errors: Errors = []
        for problem in exc.problems:
            match = re.fullmatch(r"diagram\.(zones|elements|flows)\[(\d+)\]\.(\w+)", problem.where)
            if match is None:
                continue
            kind, index, key = match.group(1), int(match.group(2)), match.group(3)
            entry = getattr(form, kind).entries[rows[kind][index]]
            field = entry.form[_FIELD.get(key, key)] if _FIELD.get(key, key) in entry.form else entry.form["label"]
            errors.append((field, problem.message + "。"))
        return errors
    return []


def store_diagram(cat: Catalogue, answers: dict[str, Any], form: Any) -> dict[str, Any]:
    data, _ = diagram_from_form(cat, form)
    if data["zones"] or data["elements"] or data["flows"]:
        answers["diagram"] = data
    else:
        answers.pop("diagram", None)
    return answers


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

Errors = list[tuple[Field, str]]


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
    existing = {t.get("id"): t for t in _tasks(answers)}
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
    by_id = {t.get("id"): t for t in _tasks(answers)}
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
