"""Step 3's form and the answers' ``diagram``: the choices of references, the rows read back
as a diagram, and the parser's problems put on the fields they concern."""

from __future__ import annotations

import re
from typing import Any

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.web.forms import options
from sbd_tool.web.state import ProjectState
from sbd_tool.web.wizard.fields import Errors
from sbd_tool.web.wizard.loaders import tasks_of


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
    names = [i.get("name") for t in tasks_of(answers) for i in t.get("information") or [] if i.get("name")]
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
