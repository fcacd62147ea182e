"""The answers file (``sbd-tool/answers@1``): parse and validate it against the questionnaire.

Validation is written out rather than generated so that every message says, in Japanese,
what to fix, with the English key path (``answers.network[1]``) telling where.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import ProjectField
from sbd_tool.dates import parse_date
from sbd_tool.limits import DIAGRAM_ELEMENTS, DIAGRAM_FLOWS, DIAGRAM_ZONES, MATRIX_ROWS, TASKS, Limit
from sbd_tool.limits import MAX_DIAGRAM_ELEMENTS as MAX_DIAGRAM_ELEMENTS  # what the step-3 page states
from sbd_tool.limits import MAX_DIAGRAM_FLOWS as MAX_DIAGRAM_FLOWS
from sbd_tool.obligations import ClauseObligation, parse_obligations
from sbd_tool.problems import Problem, ProblemsError
from sbd_tool.safe_yaml import UnsafeYamlError, load_untrusted
from sbd_tool.tailoring import AddedClause, TailoredClause, parse_added, parse_tailoring
from sbd_tool.text import clean_input, has_line_break

FORMAT = "sbd-tool/answers@1"
MAX_FILE_BYTES = 2_000_000
TOP_KEYS = (
    "format",
    "project",
    "diagram",
    "answers",
    "decisions",
    "responsibilities",
    "parameters",
    "document",
    "obligations",
    "tailoring",  # clause tailoring (sbd_tool.tailoring)
    "added_clauses",
)

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


def _type_name(value: Any) -> str:
    return {str: "文字列", int: "整数", float: "数値", bool: "真偽値", list: "リスト", dict: "マッピング"}.get(
        type(value), type(value).__name__
    )


class _Parser:
    def __init__(self, catalogue: Catalogue, strict: bool = False) -> None:
        self.cat = catalogue
        self.strict = strict
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}  # where → the normalised text, for ``import_answers``

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def mapping(self, value: Any, where: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(where, f"キーと値の組（マッピング）を指定してください（{_type_name(value)}が指定されています）")
            return {}
        for key in value:
            if allowed is not None and key not in allowed:
                self.fail(
                    f"{where}.{key}" if where else str(key),
                    f"定義されていない項目です（使える項目: {', '.join(allowed)}）",
                )
        return value

    def sequence(self, value: Any, where: str, limit: Limit | None = None) -> list[Any]:
        """A list; past ``limit`` (``sbd_tool.limits``) it is refused and only the items within
        the limit are read (a project of 100,000 tasks is not checked one by one)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"リストを指定してください（{_type_name(value)}が指定されています）")
            return []
        if limit is not None and len(value) > limit.count:
            self.fail(where, limit.refusal(len(value)))
            return value[: limit.count]
        return value

    def text(
        self,
        value: Any,
        where: str,
        spec: ProjectField | None = None,
        partial: bool = False,
        *,
        multiline: bool | None = None,
    ) -> str:
        """A text of the file, normalised by ``clean_input``: one line unless ``multiline`` (or,
        when not given, the project field ``spec``) says the text may have lines."""
        if value is not None and (not isinstance(value, str | int | float) or isinstance(value, bool)):
            self.fail(where, f"文字列を指定してください（{_type_name(value)}が指定されています）")
            return ""
        lines = spec.multiline if multiline is None and spec is not None else bool(multiline)
        if self.strict and not self._acceptable(value, where, lines):
            return ""
        # The one place user text comes in: control and format characters go, line ends become
        # "\n" in a text with lines and a space in a one-line text (a name, a label, an id).
        text = "" if value is None else clean_input(str(value), multiline=lines)
        if value is not None:
            self.texts[where] = text
        if not text:
            if spec is not None and spec.required and not partial:
                self.fail(where, f"「{spec.label}」を入力してください")
            return ""
        if spec is not None and len(text) > spec.max_length:
            self.fail(where, f"「{spec.label}」は{spec.max_length}文字以内にしてください（{len(text)}文字）")
        return text

    def _acceptable(self, value: Any, where: str, multiline: bool) -> bool:
        """What the wizard's forms refuse, refused in a file from outside too (``strict``)
        rather than cleaned silently: a number that is not finite, a NUL, a line end in a
        one-line text."""
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, f'数として扱えない値（{value}）です。文字列なら引用符（"）で囲んでください')
            return False
        if not isinstance(value, str):
            return True
        if "\x00" in value:
            self.fail(where, "使えない文字（U+0000）が含まれています。削除してください")
            return False
        if not multiline and has_line_break(value):
            self.fail(where, "改行は使えません。1行で書いてください")
            return False
        return True

    def choice(self, value: Any, where: str, options: list[str]) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(
                where, f"{' / '.join(options)} のいずれかを指定してください（{_type_name(value)}が指定されています）"
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
    return _parse(data, catalogue, partial, strict)[0]


def import_answers(data: Any, catalogue: Catalogue, *, partial: bool = True) -> tuple[Answers, dict[str, Any]]:
    """An answers file from outside (the projects page's import): parsed ``strict`` (and
    ``partial``), and the document to store: the file's own structure with every text replaced
    by its normalised form (``clean_input``) and dates as ISO strings, so that what is stored is
    the cleaned document, never the raw one, and exports round-trip exactly. Raise
    ``AnswersError`` as ``parse_answers`` does."""
    answers, texts = _parse(data, catalogue, partial, True)

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


def _parse(data: Any, catalogue: Catalogue, partial: bool, strict: bool) -> tuple[Answers, dict[str, str]]:
    p = _Parser(catalogue, strict)
    top = p.mapping(data, "", TOP_KEYS)
    if not isinstance(data, dict):
        raise AnswersError(p.problems)
    if top.get("format") != FORMAT:
        p.fail("format", f"'{FORMAT}' を指定してください（指定値: {top.get('format')!r}）")
    project = _project(p, top.get("project"), partial)
    answers = _fixed_answers(p, top.get("answers"))
    decisions = _decisions(p, top.get("decisions"))
    responsibilities = _responsibilities(p, top.get("responsibilities"))
    diagram = _diagram(p, top.get("diagram")) if top.get("diagram") is not None else None
    parameters = {
        key: p.text(value, f"parameters.{key}")
        for key, value in p.mapping(top.get("parameters"), "parameters", tuple(catalogue.parameters)).items()
        if key in catalogue.parameters
    }
    document = _document(p, top.get("document"))
    obligations = parse_obligations(p, top.get("obligations"))
    tailoring = parse_tailoring(p, top.get("tailoring"))
    added = parse_added(p, top.get("added_clauses"))
    if p.problems:
        raise AnswersError(p.problems)
    parsed = Answers(project, answers, decisions, parameters, document, responsibilities, diagram)
    return dataclasses.replace(parsed, obligations=obligations, tailoring=tailoring, added_clauses=added), p.texts


def _project(p: _Parser, value: Any, partial: bool) -> Project:
    fields = {f.id: f for f in p.cat.steps.project_fields}
    raw = p.mapping(value, "project", (*fields, "tasks"))
    texts = {fid: p.text(raw.get(fid), f"project.{fid}", spec, partial) for fid, spec in fields.items()}
    tasks: list[Task] = []
    seen: set[str] = set()
    for i, item in enumerate(p.sequence(raw.get("tasks"), "project.tasks", TASKS)):
        task = _task(p, item, f"project.tasks[{i}]", i, partial)
        if task.id in seen:
            p.fail(f"project.tasks[{i}].id", f"業務のid '{task.id}' が重複しています")
        seen.add(task.id)
        tasks.append(task)
    _matrix_rows(p, raw.get("tasks"))
    return Project(
        name=texts.get("name", ""),
        organisation=texts.get("organisation", ""),
        purpose=texts.get("purpose", ""),
        effects=texts.get("effects", ""),
        tasks=tuple(tasks),
    )


def _matrix_rows(p: _Parser, tasks: Any) -> None:
    """The subjects and information of all tasks together within ``MATRIX_ROWS``: the problem
    is put on the first row past the limit."""
    if not isinstance(tasks, list):
        return
    rows = [
        f"project.tasks[{i}].{kind}[{j}]"
        for i, task in enumerate(tasks[: TASKS.count])
        if isinstance(task, dict)
        for kind in ("subjects", "information")
        if isinstance(task.get(kind), list)
        for j in range(len(task[kind]))
    ]
    if len(rows) > MATRIX_ROWS.count:
        p.fail(rows[MATRIX_ROWS.count], MATRIX_ROWS.refusal(len(rows)))


def _task(p: _Parser, value: Any, where: str, index: int, partial: bool) -> Task:
    fields = {f.id: f for f in p.cat.steps.task_fields}
    raw = p.mapping(value, where, ("id", *fields, "subjects", "information", "means"))
    matrix = p.cat.steps.matrix
    task_id = p.text(raw.get("id"), f"{where}.id") or f"T{index + 1}"
    kinds = [o.id for o in matrix.subject_kinds]
    subjects = []
    for j, s in enumerate(p.sequence(raw.get("subjects"), f"{where}.subjects")):
        sw = f"{where}.subjects[{j}]"
        sraw = p.mapping(s, sw, ("name", "kind"))
        name = p.text(sraw.get("name"), f"{sw}.name")
        if not name and not partial:
            p.fail(f"{sw}.name", "主体の名称を入力してください")
        kind = p.choice(sraw.get("kind"), f"{sw}.kind", kinds) if "kind" in sraw else None
        if kind is None and "kind" not in sraw:
            p.fail(f"{sw}.kind", f"主体の種類を指定してください（{', '.join(kinds)} のいずれか）")
        subjects.append(Subject(name, kind or ""))
    information = []
    classes = {c.id: [o.id for o in c.classes] for c in matrix.classifications}
    pii_options = [o.id for o in matrix.pii]
    for j, item in enumerate(p.sequence(raw.get("information"), f"{where}.information")):
        iw = f"{where}.information[{j}]"
        iraw = p.mapping(item, iw, ("name", *classes, "pii"))
        name = p.text(iraw.get("name"), f"{iw}.name")
        if not name and not partial:
            p.fail(f"{iw}.name", "情報の名称を入力してください")
        levels = {}
        for axis, opts in classes.items():
            got = iraw.get(axis, opts[0])
            levels[axis] = p.choice(got, f"{iw}.{axis}", opts) or opts[0]
        pii = p.choice(iraw.get("pii", pii_options[0]), f"{iw}.pii", pii_options) or pii_options[0]
        information.append(
            Information(name, levels["confidentiality"], levels["integrity"], levels["availability"], pii)
        )
    means_options = [o.id for o in matrix.means]
    means = []
    for j, m in enumerate(p.sequence(raw.get("means"), f"{where}.means")):
        chosen = p.choice(m, f"{where}.means[{j}]", means_options)
        if chosen is not None and chosen not in means:
            means.append(chosen)
    name = p.text(raw.get("name"), f"{where}.name", fields.get("name"), partial)
    description = p.text(raw.get("description"), f"{where}.description", fields.get("description"))
    return Task(task_id, name, description, tuple(subjects), tuple(information), tuple(means))


def _fixed_answers(p: _Parser, value: Any) -> dict[str, AnswerValue]:
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
            chosen = p.choice(given, where, options)
            if chosen is not None:
                out[qid] = chosen
            continue
        items = given if isinstance(given, list) else [given]
        picked = [p.choice(item, f"{where}[{i}]", options) for i, item in enumerate(items)]
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


def _decisions(p: _Parser, value: Any) -> dict[str, Decision]:
    reqs = p.cat.requirements
    out: dict[str, Decision] = {}
    for rid, item in p.mapping(value, "decisions", None).items():
        where = f"decisions.{rid}"
        if rid not in reqs:
            p.fail(
                where, f"対策要件 '{rid}' はありません（{', '.join(list(reqs)[:4])} … のようなidを指定してください）"
            )
            continue
        raw = p.mapping(item, where, ("level", "reason"))
        level = p.choice(raw.get("level"), f"{where}.level", list(LEVELS))
        if level is not None and level not in p.cat.defined_levels(rid):
            labels = "、".join(p.cat.level_label(lv) for lv in p.cat.defined_levels(rid))
            p.fail(f"{where}.level", f"{rid} に {p.cat.level_label(level)} は定義されていません（{labels} から選択）")
            continue
        reason = p.text(raw.get("reason"), f"{where}.reason", multiline=True)
        if level is not None:
            out[rid] = Decision(level, reason.strip())
    return out


def _diagram(p: _Parser, value: Any) -> Diagram:
    """The system overview diagram: ids unique, every reference resolves, kinds are known."""
    vocab = p.cat.steps.diagram
    raw = p.mapping(value, "diagram", ("zones", "elements", "flows"))
    means = [o.id for o in p.cat.steps.matrix.means]
    seen: set[str] = set()

    def ident(item: dict[str, Any], where: str, prefix: str, index: int) -> str:
        got = p.text(item.get("id"), f"{where}.id") or f"{prefix}{index + 1}"
        if got in seen:
            p.fail(f"{where}.id", f"id '{got}' が重複しています（区域・要素・流れのidは図全体で一意にしてください）")
        seen.add(got)
        return got

    zones = []
    for i, z in enumerate(p.sequence(raw.get("zones"), "diagram.zones", DIAGRAM_ZONES)):
        where = f"diagram.zones[{i}]"
        item = p.mapping(z, where, ("id", "kind", "label"))
        kind = p.choice(item.get("kind"), f"{where}.kind", [k.id for k in vocab.zone_kinds]) or ""
        zones.append(Zone(ident(item, where, "Z", i), kind, p.text(item.get("label"), f"{where}.label")))
    zone_ids = [z.id for z in zones]
    elements = []
    for i, e in enumerate(p.sequence(raw.get("elements"), "diagram.elements", DIAGRAM_ELEMENTS)):
        where = f"diagram.elements[{i}]"
        item = p.mapping(e, where, ("id", "kind", "label", "zone"))
        kind = p.choice(item.get("kind"), f"{where}.kind", [k.id for k in vocab.element_kinds]) or ""
        label = p.text(item.get("label"), f"{where}.label")
        if not label:
            p.fail(f"{where}.label", "要素の名称を入力してください")
        zone = p.text(item.get("zone"), f"{where}.zone")
        if zone and zone not in zone_ids:
            choose = f"{', '.join(zone_ids)} のいずれかを指定してください" if zone_ids else "先に区域を追加してください"
            p.fail(f"{where}.zone", f"区域 '{zone}' はありません（{choose}）")
            zone = ""
        elements.append(Element(ident(item, where, "E", i), kind, label, zone))
    element_ids = [e.id for e in elements]
    flows = []
    for i, f in enumerate(p.sequence(raw.get("flows"), "diagram.flows", DIAGRAM_FLOWS)):
        where = f"diagram.flows[{i}]"
        item = p.mapping(f, where, ("id", "from", "to", "information", "means"))
        ends = []
        for key in ("from", "to"):
            end = p.text(item.get(key), f"{where}.{key}")
            if end not in element_ids:
                choose = (
                    f"{', '.join(element_ids)} のいずれかを指定してください"
                    if element_ids
                    else "先に要素を追加してください"
                )
                p.fail(f"{where}.{key}", f"要素 '{end}' はありません（{choose}）")
            ends.append(end)
        means_id = p.choice(item["means"], f"{where}.means", means) or "" if item.get("means") else ""
        information = p.text(item.get("information"), f"{where}.information")
        flows.append(Flow(ident(item, where, "F", i), ends[0], ends[1], information, means_id))
    return Diagram(tuple(zones), tuple(elements), tuple(flows))


def _responsibilities(p: _Parser, value: Any) -> dict[str, Assignment]:
    out: dict[str, Assignment] = {}
    raw = p.mapping(value, "responsibilities", None)
    if raw and p.cat.cloud is None:
        p.fail("responsibilities", "この対策要件集にはクラウドサービスの責任分担（cloud.yaml）がありません")
        return out
    parties = [party.id for party in p.cat.cloud.parties] if p.cat.cloud else []
    for rid, item in raw.items():
        where = f"responsibilities.{rid}"
        if rid not in p.cat.requirements:
            p.fail(where, f"対策要件 '{rid}' はありません")
            continue
        entry = p.mapping(item, where, ("party", "reason"))
        party = p.choice(entry.get("party"), f"{where}.party", parties)
        reason = p.text(entry.get("reason"), f"{where}.reason")
        if party is not None:
            out[rid] = Assignment(party, reason.strip())
    return out


MAX_START_CHAPTER = 99


def _document(p: _Parser, value: Any) -> DocumentOptions:
    raw = p.mapping(value, "document", ("title", "date", "compliance_appendix", "start_chapter", "training_appendix"))
    flags = {}
    for key in ("compliance_appendix", "training_appendix"):
        flags[key] = raw.get(key, False)
        if not isinstance(flags[key], bool):
            p.fail(f"document.{key}", "true 又は false を指定してください")
            flags[key] = False
    start = raw.get("start_chapter", 1)
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= MAX_START_CHAPTER:
        p.fail(
            "document.start_chapter",
            f"章番号は1から{MAX_START_CHAPTER}までの整数で指定してください（指定値: {str(start)[:20]}）",
        )
        start = 1
    title = p.text(raw.get("title"), "document.title")
    date = raw.get("date")
    if isinstance(date, str):
        try:
            date = parse_date(date)  # 2026-12-01, 2026/12/1, 令和8年12月1日, R8.12.1 …
        except ValueError as exc:
            p.fail("document.date", str(exc))
            date = None
    elif date is not None and not isinstance(date, dt.date):
        p.fail("document.date", "日付は YYYY-MM-DD の形で指定してください")
        date = None
    return DocumentOptions(
        title, date, flags["compliance_appendix"], start, training_appendix=flags["training_appendix"]
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
