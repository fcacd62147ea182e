"""The answers file (``sbd-tool/answers@1``): read it into a typed form and check it against
the questionnaire.

Two passes: the structural model (``sbd_tool.answers_model``, read leniently by
``sbd_tool.answers_errors``) checks the document's shape; ``_Parser`` below checks it against the
catalogue and builds ``Answers``. Every message says, in Japanese, what to fix, with the English
key path (``answers.network[1]``) telling where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbd_tool.answers_errors import UNKNOWN_KEY, Options, read_document
from sbd_tool.answers_model import FORMAT as FORMAT
from sbd_tool.answers_model import MAX_START_CHAPTER as MAX_START_CHAPTER
from sbd_tool.answers_model import TOP_KEYS as TOP_KEYS
from sbd_tool.answers_model import (
    AssignmentDoc,
    DecisionDoc,
    DiagramDoc,
    DocumentDoc,
    InformationDoc,
    ProjectDoc,
    SubjectDoc,
    TaskDoc,
    type_name,
)
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import ProjectField
from sbd_tool.limits import MATRIX_ROWS
from sbd_tool.limits import MAX_DIAGRAM_ELEMENTS as MAX_DIAGRAM_ELEMENTS  # what the step-3 page states
from sbd_tool.limits import MAX_DIAGRAM_FLOWS as MAX_DIAGRAM_FLOWS
from sbd_tool.obligations import OBLIGATIONS, ClauseObligation, parse_obligations
from sbd_tool.problems import Problem, ProblemsError
from sbd_tool.safe_yaml import UnsafeYamlError, load_untrusted
from sbd_tool.tailoring import AddedClause, TailoredClause, parse_added, parse_tailoring
from sbd_tool.text import clean_input, has_line_break

MAX_FILE_BYTES = 2_000_000

AnswerValue = str | tuple[str, ...]


@dataclass(frozen=True)
class Subject:
    name: str
    kind: str


@dataclass(frozen=True)
class Information:
    name: str
    confidentiality: str
    integrity: str
    availability: str
    pii: str


@dataclass(frozen=True)
class Task:
    id: str
    name: str
    description: str = ""
    subjects: tuple[Subject, ...] = ()
    information: tuple[Information, ...] = ()
    means: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    name: str = ""
    organisation: str = ""
    purpose: str = ""
    effects: str = ""
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class Zone:
    """A boundary in the system overview diagram (庁舎内LAN, インターネット, クラウド, …)."""

    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class Element:
    """Something placed in a zone: a subject, terminal, server, data store, …"""

    id: str
    kind: str
    label: str
    zone: str = ""  # empty: not placed yet (a reviewer would flag it)


@dataclass(frozen=True)
class Flow:
    """Information moving from one element to another by some means."""

    id: str
    source: str
    target: str
    information: str = ""  # the name of a step-2 information item
    means: str = ""  # a matrix means id


@dataclass(frozen=True)
class Diagram:
    zones: tuple[Zone, ...] = ()
    elements: tuple[Element, ...] = ()
    flows: tuple[Flow, ...] = ()


@dataclass(frozen=True)
class Decision:
    level: str
    reason: str = ""


@dataclass(frozen=True)
class Assignment:
    """The officer's choice of who implements a requirement on a cloud service (step 6)."""

    party: str
    reason: str = ""


@dataclass(frozen=True)
class DocumentOptions:
    title: str = ""
    date: dt.date | None = None
    compliance_appendix: bool = False  # 別紙4: the compliance matrix (対応表) for bidders
    # The chapter number of 「情報セキュリティに関する事項」 in the section to paste, so that it
    # continues the office's own specification (its chapters 1 … start_chapter - 1).
    start_chapter: int = 1
    training_appendix: bool = False  # the explanation of every level of every requirement (for training)


@dataclass(frozen=True)
class Answers:
    """A procurement described by the officer: steps 1-2, the fixed answers, decisions."""

    project: Project = Project()
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    document: DocumentOptions = DocumentOptions()
    responsibilities: dict[str, Assignment] = field(default_factory=dict)
    diagram: Diagram | None = None
    obligations: dict[str, ClauseObligation] = field(default_factory=dict)  # 必須/提案 changed (obligations.py)
    # Clause tailoring (sbd_tool.tailoring): reworded catalogue clauses by key, and added clauses.
    tailoring: dict[str, TailoredClause] = field(default_factory=dict)
    added_clauses: tuple[AddedClause, ...] = ()


class AnswersError(ProblemsError):
    """The answers file has problems; ``problems`` lists every one."""


def _options(catalogue: Catalogue) -> Options:
    """The option ids of the choice at a key path: what a message lists when a choice is not a text."""
    m, vocab = catalogue.steps.matrix, catalogue.steps.diagram
    table: list[tuple[str, list[str]]] = [
        (r"project\.tasks\[\d+\]\.subjects\[\d+\]\.kind", [o.id for o in m.subject_kinds]),
        (r"project\.tasks\[\d+\]\.information\[\d+\]\.pii", [o.id for o in m.pii]),
        (r"project\.tasks\[\d+\]\.means\[\d+\]", [o.id for o in m.means]),
        (r"diagram\.zones\[\d+\]\.kind", [k.id for k in vocab.zone_kinds]),
        (r"diagram\.elements\[\d+\]\.kind", [k.id for k in vocab.element_kinds]),
        (r"diagram\.flows\[\d+\]\.means", [o.id for o in m.means]),
        (r"decisions\.[^.]+\.level", list(LEVELS)),
        (r"responsibilities\.[^.]+\.party", [p.id for p in catalogue.cloud.parties] if catalogue.cloud else []),
        (r"obligations\..+\.obligation", list(OBLIGATIONS)),
        (r"added_clauses\[\d+\]\.obligation", list(OBLIGATIONS)),
        *(
            (rf"project\.tasks\[\d+\]\.information\[\d+\]\.{re.escape(c.id)}", [o.id for o in c.classes])
            for c in m.classifications
        ),
    ]

    def options(where: str) -> list[str]:
        return next((opts for pattern, opts in table if re.fullmatch(pattern, where)), [])

    return options


class _Parser:
    """The second pass: the typed document (``AnswersDoc``) checked against the catalogue, its
    texts normalised, into ``Answers``."""

    def __init__(self, catalogue: Catalogue, strict: bool = False) -> None:
        self.cat = catalogue
        self.strict = strict
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}  # where → the normalised text, for ``import_answers``
        self.reported: set[str] = set()  # where the structural pass found a problem
        self.unknown: set[str] = set()  # keys the catalogue lacks: what is under them is not read

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def unknown_key(self, where: str, message: str) -> None:
        """A key the catalogue lacks (a question, requirement, parameter, clause)."""
        self.unknown.add(where)
        self.fail(where, message)

    def structural(self, problems: list[Problem]) -> list[Problem]:
        """The structural problems that are not under a key the catalogue lacks (not read)."""
        return [p for p in problems if not any(p.where == u or p.where.startswith(f"{u}.") for u in self.unknown)]

    def mapping(self, value: dict[str, Any] | None, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        """A mapping whose keys are the catalogue's (question ids, parameter ids)."""
        for key in value or {}:
            if key not in allowed:
                self.unknown_key(f"{where}.{key}", f"{UNKNOWN_KEY}（使える項目: {', '.join(allowed)}）")
        return value or {}

    def text(
        self,
        value: str | None,
        where: str,
        spec: ProjectField | None = None,
        partial: bool = False,
        *,
        multiline: bool | None = None,
    ) -> str:
        """A text of the file, normalised by ``clean_input``: one line unless ``multiline`` (or,
        when not given, the project field ``spec``) says the text may have lines."""
        lines = spec.multiline if multiline is None and spec is not None else bool(multiline)
        if where in self.reported:  # refused by the structural pass: read as empty, not asked for again
            return ""
        if self.strict and not self._acceptable(value, where, lines):
            return ""
        # The one place user text comes in: control and format characters go, line ends become
        # "\n" in a text with lines and a space in a one-line text (a name, a label, an id).
        text = "" if value is None else clean_input(value, multiline=lines)
        if value is not None:
            self.texts[where] = text
        if not text:
            if spec is not None and spec.required and not partial:
                self.fail(where, f"「{spec.label}」を入力してください")
            return ""
        if spec is not None and len(text) > spec.max_length:
            self.fail(where, f"「{spec.label}」は{spec.max_length}文字以内にしてください（{len(text)}文字）")
        return text

    def _acceptable(self, value: str | None, where: str, multiline: bool) -> bool:
        """What the wizard's forms refuse, refused in a file from outside too (``strict``)
        rather than cleaned silently: a NUL, a line end in a one-line text (a number that is
        not finite is refused by the model)."""
        if value is None:
            return True
        if "\x00" in value:
            self.fail(where, "使えない文字（U+0000）が含まれています。削除してください")
            return False
        if not multiline and has_line_break(value):
            self.fail(where, "改行は使えません。1行で書いてください")
            return False
        return True

    def choice(self, value: Any, where: str, options: list[str], *, none_reported: bool = True) -> str | None:
        """An option id. ``None`` is a choice absent or refused by the model (which said so)
        unless ``none_reported`` is false (the ``answers`` section, read raw)."""
        if value is None and none_reported:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(
                where, f"{' / '.join(options)} のいずれかを指定してください（{type_name(value)}が指定されています）"
            )
            return None
        if str(value) not in options:
            self.fail(where, f"'{value}' は選択肢にありません（{', '.join(options)} のいずれか）")
            return None
        return str(value)


def parse_answers(data: Any, catalogue: Catalogue, *, partial: bool = False, strict: bool = False) -> Answers:
    """Validate plain data (from YAML/JSON) into ``Answers``; raise ``AnswersError``.

    ``partial`` accepts a half-finished project (the wizard's drafts): required texts and
    unanswered questions may be missing, but nothing present may be wrong.

    Every text is normalised (``clean_input``). ``strict`` is for a file from outside (an
    import): what the wizard's forms refuse is refused here too, with where it is, instead of
    being cleaned silently: a NUL, a number that is not finite (.inf, .nan), a line end in a
    one-line text. Stored projects are read without it, so nothing stored becomes unreadable.
    """
    answers, problems, _ = read_answers(data, catalogue, partial=partial, strict=strict)
    if problems:
        raise AnswersError(problems)
    return answers


def read_answers(
    data: Any, catalogue: Catalogue, *, partial: bool = False, strict: bool = False
) -> tuple[Answers, list[Problem], dict[str, str]]:
    """The lenient read: the typed answers as far as they are readable, every problem (key path
    and Japanese message), and the normalised text at each key path."""
    if not isinstance(data, dict):
        message = f"キーと値の組（マッピング）を指定してください（{type_name(data)}が指定されています）"
        return Answers(), [Problem("", message)], {}
    doc, structural = read_document(data, _options(catalogue), strict=strict)
    p = _Parser(catalogue, strict)
    p.reported = {problem.where for problem in structural}
    project = _project(p, doc.project or ProjectDoc(), partial)
    answers = _fixed_answers(p, doc.answers)
    decisions = _decisions(p, doc.decisions)
    responsibilities = _responsibilities(p, doc.responsibilities)
    diagram = _diagram(p, doc.diagram) if doc.diagram is not None else None
    parameters = {
        key: p.text(value, f"parameters.{key}")
        for key, value in p.mapping(doc.parameters, "parameters", tuple(catalogue.parameters)).items()
        if key in catalogue.parameters
    }
    document = _document(p, doc.document or DocumentDoc())
    parsed = Answers(project, answers, decisions, parameters, document, responsibilities, diagram)
    parsed = dataclasses.replace(
        parsed,
        obligations=parse_obligations(p, doc.obligations),
        tailoring=parse_tailoring(p, doc.tailoring),
        added_clauses=parse_added(p, doc.added_clauses),
    )
    return parsed, _in_order(p.structural(structural) + p.problems, data), p.texts


# The order the sections' problems are listed in (the hand-written parser's).
_SECTIONS: tuple[str, ...] = (
    "",
    "format",
    "project",
    "answers",
    "decisions",
    "responsibilities",
    "diagram",
    "parameters",
)
_SECTIONS += ("document", "obligations", "tailoring", "added_clauses")


def _in_order(problems: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """The problems by section, then as the file lists what they are about (a key the file lacks
    takes its parent's place), so that the structural and the catalogue pass read as one list."""
    if not problems:
        return problems
    order: dict[str, int] = {}

    def walk(value: Any, where: str) -> None:
        order.setdefault(where, len(order))
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(data, "")

    def parent(path: str) -> str:
        return re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""

    def key(problem: Problem) -> tuple[int, int]:
        path = problem.where
        if problem.message.startswith(UNKNOWN_KEY):  # found when its mapping is read, before what it holds
            path = parent(path)
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        section = _SECTIONS.index(head) if head in _SECTIONS else len(_SECTIONS)
        while path and path not in order:
            path = parent(path)
        return section, order.get(path, 0)

    return sorted(problems, key=key)


def import_answers(data: Any, catalogue: Catalogue, *, partial: bool = True) -> tuple[Answers, dict[str, Any]]:
    """An answers file from outside (the projects page's import): parsed ``strict`` (and
    ``partial``), and the document to store: the file's own structure with every text replaced
    by its normalised form (``clean_input``) and dates as ISO strings, so that what is stored is
    the cleaned document, never the raw one, and exports round-trip exactly. Raise
    ``AnswersError`` as ``parse_answers`` does."""
    answers, problems, texts = read_answers(data, catalogue, partial=partial, strict=True)
    if problems:
        raise AnswersError(problems)

    def cleaned(value: Any, where: str) -> Any:
        if where in texts:
            return texts[where]
        if isinstance(value, dict):
            return {str(k): cleaned(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [cleaned(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value  # the format, choices (validated against the questionnaire), numbers, true/false

    return answers, cleaned(data, "")


def _project(p: _Parser, doc: ProjectDoc, partial: bool) -> Project:
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


def _matrix_rows(p: _Parser, tasks: list[TaskDoc]) -> None:
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


def _subjects(p: _Parser, items: list[SubjectDoc], where: str, partial: bool) -> tuple[Subject, ...]:
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


def _information(p: _Parser, items: list[InformationDoc], where: str, partial: bool) -> tuple[Information, ...]:
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


def _task(p: _Parser, doc: TaskDoc, where: str, index: int, partial: bool) -> Task:
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


def _fixed_answers(p: _Parser, value: dict[str, Any] | None) -> dict[str, AnswerValue]:
    questions = p.cat.questions
    raw = p.mapping(value, "answers", tuple(questions))
    out: dict[str, AnswerValue] = {}
    for qid, given in raw.items():
        q = questions.get(qid)
        if q is None or given is None:
            continue
        options = [o.id for o in q.options]
        where = f"answers.{qid}"
        if q.type == "single":
            chosen = p.choice(given, where, options, none_reported=False)
            if chosen is not None:
                out[qid] = chosen
            continue
        items = given if isinstance(given, list) else [given]
        picked = [p.choice(item, f"{where}[{i}]", options, none_reported=False) for i, item in enumerate(items)]
        values = tuple(o for o in options if o in picked)  # canonical order, no repeats
        if not values and not picked:
            p.fail(where, "少なくとも一つ選択してください")
            continue
        for ex in q.exclusive:
            if ex in values and len(values) > 1:
                label = next(o.label for o in q.options if o.id == ex)
                p.fail(where, f"'{ex}'（{label}）は他の選択肢と同時に指定できません")
        if None not in picked:
            out[qid] = values
    return out


def _decisions(p: _Parser, value: dict[str, DecisionDoc] | None) -> dict[str, Decision]:
    reqs = p.cat.requirements
    out: dict[str, Decision] = {}
    for rid, item in (value or {}).items():
        where = f"decisions.{rid}"
        if rid not in reqs:
            p.unknown_key(
                where, f"対策要件 '{rid}' はありません（{', '.join(list(reqs)[:4])} … のようなidを指定してください）"
            )
            continue
        level = p.choice(item.level, f"{where}.level", list(LEVELS))
        if level is not None and level not in p.cat.defined_levels(rid):
            labels = "、".join(p.cat.level_label(lv) for lv in p.cat.defined_levels(rid))
            p.fail(f"{where}.level", f"{rid} に {p.cat.level_label(level)} は定義されていません（{labels} から選択）")
            continue
        reason = p.text(item.reason, f"{where}.reason", multiline=True)
        if level is not None:
            out[rid] = Decision(level, reason.strip())
    return out


def _diagram(p: _Parser, doc: DiagramDoc) -> Diagram:
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


def _responsibilities(p: _Parser, value: dict[str, AssignmentDoc] | None) -> dict[str, Assignment]:
    out: dict[str, Assignment] = {}
    if value and p.cat.cloud is None:
        p.unknown_key("responsibilities", "この対策要件集にはクラウドサービスの責任分担（cloud.yaml）がありません")
        return out
    parties = [party.id for party in p.cat.cloud.parties] if p.cat.cloud else []
    for rid, item in (value or {}).items():
        where = f"responsibilities.{rid}"
        if rid not in p.cat.requirements:
            p.unknown_key(where, f"対策要件 '{rid}' はありません")
            continue
        party = p.choice(item.party, f"{where}.party", parties)
        reason = p.text(item.reason, f"{where}.reason")
        if party is not None:
            out[rid] = Assignment(party, reason.strip())
    return out


def _document(p: _Parser, doc: DocumentDoc) -> DocumentOptions:
    """The output options (their types and ranges are the model's)."""
    return DocumentOptions(
        p.text(doc.title, "document.title"),
        doc.date,
        doc.compliance_appendix,
        doc.start_chapter,
        training_appendix=doc.training_appendix,
    )


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different (``json`` keeps the last of two silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise UnsafeYamlError(f"キー '{key}' が2回書かれています。どちらか一方を削除してください")
        out[key] = value
    return out


def read_answers_data(path: Path) -> Any:
    """Read a YAML or JSON answers file safely: size-limited, UTF-8, no arbitrary objects, and
    (YAML) no anchors, aliases or tags and a limited depth (``load_untrusted``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AnswersError([Problem(str(path), f"ファイルを読めません（{exc.strerror}）")]) from exc
    try:
        if path.suffix.lower() != ".json":
            return load_untrusted(raw, max_bytes=MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:
            raise UnsafeYamlError(f"ファイルが大きすぎます（上限 {MAX_FILE_BYTES:,} バイト）")
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except UnsafeYamlError as exc:
        raise AnswersError([Problem(str(path), str(exc))]) from exc
    except UnicodeDecodeError as exc:
        raise AnswersError([Problem(str(path), "UTF-8 のテキストとして読めません")]) from exc
    except json.JSONDecodeError as exc:
        raise AnswersError(
            [Problem(str(path), f"ファイルの形式が正しくありません（JSON の書式の誤り、{exc.lineno}行目: {exc.msg}）")]
        ) from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise AnswersError([Problem(str(path), f"値を読み取れません（{exc}）")]) from exc
    except RecursionError as exc:
        message = "入れ子が深すぎます。回答ファイルの形式どおりの構造にしてください"
        raise AnswersError([Problem(str(path), message)]) from exc


def load_answers(path: Path, catalogue: Catalogue, *, partial: bool = False) -> Answers:
    """Read and validate an answers file."""
    return parse_answers(read_answers_data(path), catalogue, partial=partial)
