"""The catalogue pass of the answers file's project (steps 1-2: tasks, subjects, information,
means) and system overview diagram (step 3)."""

from __future__ import annotations

from sbd_tool.answers.check import AnswersChecker
from sbd_tool.answers.model import DiagramDoc, InformationDoc, ProjectDoc, SubjectDoc, TaskDoc
from sbd_tool.answers.types import Diagram, Element, Flow, Information, Project, Subject, Task, Zone
from sbd_tool.limits import MATRIX_ROWS


def read_project(p: AnswersChecker, doc: ProjectDoc, partial: bool) -> Project:
    fields = {f.id: f for f in p.cat.steps.project_fields}
    texts = {fid: p.text(getattr(doc, fid, None), f"project.{fid}", spec, partial) for fid, spec in fields.items()}
    tasks: list[Task] = []
    seen: set[str] = set()
    for i, item in enumerate(doc.tasks or []):
        task = _task(p, item, f"project.tasks[{i}]", i, partial)
        if task.id in seen:
            p.fail(f"project.tasks[{i}].id", f"業務のid '{task.id}' が重複しています")
        seen.add(task.id)
        tasks.append(task)
    _matrix_rows(p, doc.tasks or [])
    return Project(
        name=texts.get("name", ""),
        organisation=texts.get("organisation", ""),
        purpose=texts.get("purpose", ""),
        effects=texts.get("effects", ""),
        tasks=tuple(tasks),
    )


def _matrix_rows(p: AnswersChecker, tasks: list[TaskDoc]) -> None:
    """The subjects and information of all tasks together within ``MATRIX_ROWS``: the problem
    is put on the first row past the limit."""
    rows = [
        f"project.tasks[{i}].{kind}[{j}]"
        for i, task in enumerate(tasks)
        for kind, items in (("subjects", task.subjects), ("information", task.information))
        for j in range(len(items or []))
    ]
    if len(rows) > MATRIX_ROWS.count:
        p.fail(rows[MATRIX_ROWS.count], MATRIX_ROWS.refusal(len(rows)))


def _subjects(p: AnswersChecker, items: list[SubjectDoc], where: str, partial: bool) -> tuple[Subject, ...]:
    kinds = [o.id for o in p.cat.steps.matrix.subject_kinds]
    subjects = []
    for j, s in enumerate(items):
        sw = f"{where}.subjects[{j}]"
        name = p.text(s.name, f"{sw}.name")
        if not name and not partial:
            p.fail(f"{sw}.name", "主体の名称を入力してください")
        if "kind" not in s.model_fields_set:
            p.fail(f"{sw}.kind", f"主体の種類を指定してください（{', '.join(kinds)} のいずれか）")
        kind = p.choice(s.kind, f"{sw}.kind", kinds)
        subjects.append(Subject(name, kind or ""))
    return tuple(subjects)


def _information(p: AnswersChecker, items: list[InformationDoc], where: str, partial: bool) -> tuple[Information, ...]:
    matrix = p.cat.steps.matrix
    classes = {c.id: [o.id for o in c.classes] for c in matrix.classifications}
    pii_options = [o.id for o in matrix.pii]
    information = []
    for j, item in enumerate(items):
        iw = f"{where}.information[{j}]"
        name = p.text(item.name, f"{iw}.name")
        if not name and not partial:
            p.fail(f"{iw}.name", "情報の名称を入力してください")
        levels = {
            axis: p.choice(getattr(item, axis, None), f"{iw}.{axis}", opts) or opts[0] for axis, opts in classes.items()
        }
        pii = p.choice(item.pii, f"{iw}.pii", pii_options) or pii_options[0]
        information.append(
            Information(name, levels["confidentiality"], levels["integrity"], levels["availability"], pii)
        )
    return tuple(information)


def _task(p: AnswersChecker, doc: TaskDoc, where: str, index: int, partial: bool) -> Task:
    fields = {f.id: f for f in p.cat.steps.task_fields}
    task_id = p.text(doc.id, f"{where}.id") or f"T{index + 1}"
    subjects = _subjects(p, doc.subjects or [], where, partial)
    information = _information(p, doc.information or [], where, partial)
    means_options = [o.id for o in p.cat.steps.matrix.means]
    means: list[str] = []
    for j, m in enumerate(doc.means or []):
        chosen = p.choice(m, f"{where}.means[{j}]", means_options)
        if chosen is not None and chosen not in means:
            means.append(chosen)
    name = p.text(doc.name, f"{where}.name", fields.get("name"), partial)
    description = p.text(doc.description, f"{where}.description", fields.get("description"))
    return Task(task_id, name, description, subjects, information, tuple(means))


def read_diagram(p: AnswersChecker, doc: DiagramDoc) -> Diagram:
    """The system overview diagram: ids unique, every reference resolves, kinds are known."""
    vocab = p.cat.steps.diagram
    means = [o.id for o in p.cat.steps.matrix.means]
    seen: set[str] = set()

    def ident(value: str | None, where: str, prefix: str, index: int) -> str:
        got = p.text(value, f"{where}.id") or f"{prefix}{index + 1}"
        if got in seen:
            p.fail(f"{where}.id", f"id '{got}' が重複しています（区域・要素・流れのidは図全体で一意にしてください）")
        seen.add(got)
        return got

    def missing(ids: list[str], what: str) -> str:
        return f"{', '.join(ids)} のいずれかを指定してください" if ids else f"先に{what}を追加してください"

    zones = []
    for i, z in enumerate(doc.zones or []):
        where = f"diagram.zones[{i}]"
        kind = p.choice(z.kind, f"{where}.kind", [k.id for k in vocab.zone_kinds]) or ""
        zones.append(Zone(ident(z.id, where, "Z", i), kind, p.text(z.label, f"{where}.label")))
    zone_ids = [z.id for z in zones]
    elements = []
    for i, e in enumerate(doc.elements or []):
        where = f"diagram.elements[{i}]"
        kind = p.choice(e.kind, f"{where}.kind", [k.id for k in vocab.element_kinds]) or ""
        label = p.text(e.label, f"{where}.label")
        if not label:
            p.fail(f"{where}.label", "要素の名称を入力してください")
        zone = p.text(e.zone, f"{where}.zone")
        if zone and zone not in zone_ids:
            p.fail(f"{where}.zone", f"区域 '{zone}' はありません（{missing(zone_ids, '区域')}）")
            zone = ""
        elements.append(Element(ident(e.id, where, "E", i), kind, label, zone))
    element_ids = [e.id for e in elements]
    flows = []
    for i, f in enumerate(doc.flows or []):
        where = f"diagram.flows[{i}]"
        ends = []
        for key, value in (("from", f.source), ("to", f.target)):
            end = p.text(value, f"{where}.{key}")
            if end not in element_ids:
                p.fail(f"{where}.{key}", f"要素 '{end}' はありません（{missing(element_ids, '要素')}）")
            ends.append(end)
        means_id = p.choice(f.means, f"{where}.means", means) or ""
        information = p.text(f.information, f"{where}.information")
        flows.append(Flow(ident(f.id, where, "F", i), ends[0], ends[1], information, means_id))
    return Diagram(tuple(zones), tuple(elements), tuple(flows))
