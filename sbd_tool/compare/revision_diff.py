"""Revision diff: what changed between two revisions of a project's answers document.

Pure: the catalogue and two ``sbd-tool/answers@1`` documents (plain data, as stored) in, the
changes out, in the order the wizard shows them. A reviewer reads it side by side.

Field changes are read from the raw documents, so a revision that does not validate (a draft
saved half-way, or data the content no longer accepts) still shows what changed. Judgment
conditions and levels come from the engine, evaluated on each side. Where a side cannot say
(its document has errors, or an unanswered question could still change the result), the value
is ``None`` rather than a guess: the engine's rules are monotonic (no 'not'), so a condition
that holds without the missing answers holds whatever they will be, and a level is known when
the lowest and highest outcomes the missing answers allow are the same.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sbd_tool.answers.obligations import OBLIGATIONS, obligation_label
from sbd_tool.answers.read import AnswersError, AnswerValue, parse_answers
from sbd_tool.compare.clause_changes import revision_changes
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import AnswerGroup, Question
from sbd_tool.engine.explain import condition_sentence, decision_note, requirement_reasons, value_label
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import evaluate, propose_levels
from sbd_tool.problems import Problem
from sbd_tool.wareki import wareki

NOT_ANSWERED = "（未回答）"
NONE = "（なし）"
AS_PROPOSED = "（提案どおり）"
DEFAULT_PARTY = "（既定の実施主体）"
AS_CATALOGUE = "（対策要件集のとおり）"
NOT_SET = "（指定なし）"
UNKNOWN = "（判定不能）"


@dataclass(frozen=True)
class FieldChange:
    """One thing the officer entered that differs between the revisions."""

    step: str  # the wizard step that shows it: purpose, features, diagram, questions, decisions, output
    where: str  # a stable key: project.name, tasks.T2.name, answers.network, diagram.flows.F4, …
    label: str  # what it is, in Japanese: 「外部ネットワークとの接続は？」, 「業務 T2 の名称」
    before: str  # the value, readable (option labels, not ids); 「（未回答）」 and the like when absent
    after: str


@dataclass(frozen=True)
class ConditionChange:
    """A judgment condition whose result differs; ``None`` where a side cannot be judged."""

    id: str
    label: str  # 「インターネットと接続するか」
    before: bool | None
    after: bool | None
    sentence_before: str  # 「該当する：「…」→「…」」 (explain.condition_sentence), or why it is unknown
    sentence_after: str


@dataclass(frozen=True)
class LevelChange:
    """A requirement whose proposed or decided level differs; ``None`` where unknown."""

    requirement: str
    name: str
    proposed_before: str | None  # level ids: not_applicable | low | middle | high
    proposed_after: str | None
    decided_before: str | None
    decided_after: str | None
    proposed_before_label: str  # 低位/中位/高位/対象外, or 「（判定不能）」
    proposed_after_label: str
    decided_before_label: str
    decided_after_label: str
    reasons_before: tuple[str, ...]  # why that level: the rules (or default), then the decision's reason
    reasons_after: tuple[str, ...]


@dataclass(frozen=True)
class RevisionDiff:
    fields: tuple[FieldChange, ...]
    conditions: tuple[ConditionChange, ...]
    levels: tuple[LevelChange, ...]
    before_note: str  # why some conditions/levels of that side are unknown; empty when all are known
    after_note: str

    @property
    def empty(self) -> bool:
        return not (self.fields or self.conditions or self.levels)


def diff_revisions(catalogue: Catalogue, before: Any, after: Any) -> RevisionDiff:
    """Every change from ``before`` to ``after``: what was entered, then what the engine makes of it."""
    old, new = _Side(catalogue, before), _Side(catalogue, after)
    fields = tuple(
        change
        for section in (_project, _features, _diagram, _answers, _decisions, _obligations, _tailoring, _output)
        for change in section(catalogue, old, new)
        if change.before != change.after
    )
    return RevisionDiff(
        fields,
        tuple(_condition_changes(catalogue, old, new)),
        tuple(_level_changes(catalogue, old, new)),
        old.note(catalogue),
        new.note(catalogue),
    )


# ---------------------------------------------------------------- raw data, read defensively


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A scalar as the parser reads it; anything else written out, so a change still shows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _or(text: str, absent: str) -> str:
    return text if text else absent


class _Named(Protocol):
    """An option-like item of the content: matrix options, diagram kinds, cloud parties."""

    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


def _option(options: Iterable[_Named], value: Any) -> str:
    """An option's label; a value that is not an option is shown as it is."""
    token = _text(value)
    return next((o.label for o in options if o.id == token), token)


def _keyed(items: list[Any], prefix: str) -> dict[str, dict[Any, Any]]:
    """Items by id (by position, like the parser, when left out); a repeated id gets #2, #3…"""
    out: dict[str, dict[Any, Any]] = {}
    for i, item in enumerate(items):
        raw = _mapping(item)
        key = base = _text(raw.get("id")) or f"{prefix}{i + 1}"
        n = 1
        while key in out:
            n += 1
            key = f"{base}#{n}"
        out[key] = raw
    return out


def _union(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Keys in the newer order, then those only the older revision has."""
    return [*new, *(k for k in old if k not in new)]


# ---------------------------------------------------------------- one revision


class _Side:
    """One revision: its raw parts and, when it validates, the engine's judgment."""

    def __init__(self, catalogue: Catalogue, data: Any) -> None:
        top = _mapping(data)
        self.data = top
        self.project = _mapping(top.get("project"))
        self.tasks = _keyed(_sequence(self.project.get("tasks")), "T")
        diagram = _mapping(top.get("diagram"))
        self.zones = _keyed(_sequence(diagram.get("zones")), "Z")
        self.elements = _keyed(_sequence(diagram.get("elements")), "E")
        self.flows = _keyed(_sequence(diagram.get("flows")), "F")
        self.answers = _mapping(top.get("answers"))
        self.decisions = _mapping(top.get("decisions"))
        self.responsibilities = _mapping(top.get("responsibilities"))
        self.parameters = _mapping(top.get("parameters"))
        self.document = _mapping(top.get("document"))
        self.obligations = _mapping(top.get("obligations"))  # 必須/提案 changed per clause (obligations.py)
        self.problems: tuple[Problem, ...] = ()
        self.evaluation: Evaluation | None = None
        self.unknown: frozenset[str] = frozenset()  # questions whose answer could still change a result
        self.conditions: dict[str, bool | None] = {}
        self.proposed: dict[str, str | None] = {}
        self.decided: dict[str, str | None] = {}
        try:
            answers = parse_answers(data, catalogue, partial=True)
        except AnswersError as exc:
            self.problems = tuple(exc.problems)
            return
        evaluation = self.evaluation = evaluate(catalogue, answers)
        unknown: set[str] = set()
        for qid, q in catalogue.questions.items():
            source = evaluation.answers[qid].source
            gate = q.applies_when
            if source == "missing" or (source == "not_applicable" and gate is not None and gate.question in unknown):
                unknown.add(qid)
        self.unknown = frozenset(unknown)
        answered = {qid: r.value for qid, r in evaluation.answers.items()}
        for c in catalogue.conditions_list:
            known = _three_valued(c.when, answered, self.unknown)
            self.conditions[c.id] = None if known is None else evaluation.conditions[c.id].met
        highest = propose_levels(catalogue, {cid: met is not False for cid, met in self.conditions.items()})
        for rid, outcome in evaluation.requirements.items():
            proposed = outcome.proposed if highest[rid].proposed == outcome.proposed else None
            self.proposed[rid] = proposed
            self.decided[rid] = outcome.decided if rid in answers.decisions else proposed

    def note(self, catalogue: Catalogue) -> str:
        """Why some of this revision's conditions and levels are unknown (empty when none are)."""
        if self.problems:
            more = f" ほか{len(self.problems) - 1}件" if len(self.problems) > 1 else ""
            return f"この版の回答には誤りがあるため、判断条件と実装レベルを判定できません（{self.problems[0]}{more}）"
        if self.evaluation is not None and self.evaluation.missing:
            names = "、".join(f"「{catalogue.questions[q].label}」" for q in self.evaluation.missing)
            return f"この版には未回答の設問（{names}）があるため、判定できない判断条件と実装レベルがあります"
        return ""


def _three_valued(
    group: AnswerGroup, answered: Mapping[str, AnswerValue | None], unknown: frozenset[str]
) -> bool | None:
    """A condition's truth with unanswered questions unknown: True or False when the missing
    answers cannot change it, else None."""
    results: list[bool | None] = []
    for item in group.all or group.any or []:
        if isinstance(item, AnswerGroup):
            results.append(_three_valued(item, answered, unknown))
        elif item.question in unknown:
            results.append(None)
        else:
            results.append(item.holds(answered.get(item.question)))
    decisive = group.all is None  # any: one True decides; all: one False decides
    if any(r is decisive for r in results):
        return decisive
    return None if any(r is None for r in results) else not decisive


# ---------------------------------------------------------------- the wizard's steps, in order

Changes = Iterator[FieldChange]


def _project(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 1: the project's texts, then each task (added, removed, renamed, described)."""
    for f in catalogue.steps.project_fields:
        yield FieldChange(
            "purpose",
            f"project.{f.id}",
            f.label,
            _or(_text(old.project.get(f.id)), NOT_ANSWERED),
            _or(_text(new.project.get(f.id)), NOT_ANSWERED),
        )
    for tid in _union(old.tasks, new.tasks):
        before, after = old.tasks.get(tid), new.tasks.get(tid)
        if before is None or after is None:
            yield FieldChange(
                "purpose",
                f"tasks.{tid}",
                f"業務 {tid}",
                NONE if before is None else _or(_text(before.get("name")), "（名称未入力）"),
                NONE if after is None else _or(_text(after.get("name")), "（名称未入力）"),
            )
        for f in catalogue.steps.task_fields:
            if f.id == "name" and (before is None or after is None):
                continue  # shown by the task's own line
            texts = _text((before or {}).get(f.id)), _text((after or {}).get(f.id))
            if texts[0] == texts[1]:
                continue  # also when both are empty, whether or not the task exists
            yield FieldChange(
                "purpose",
                f"tasks.{tid}.{f.id}",
                f"業務 {tid} の{f.label.removeprefix('業務の')}",
                _or(texts[0], NOT_ANSWERED if before is not None else NONE),
                _or(texts[1], NOT_ANSWERED if after is not None else NONE),
            )


def _features(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 2: each task's subjects, information and means."""
    matrix = catalogue.steps.matrix
    classes = {c.id: c.classes for c in matrix.classifications}

    def subjects(task: dict[Any, Any]) -> str:
        out = []
        for s in _sequence(task.get("subjects")):
            raw = _mapping(s)
            kind = _or(_option(matrix.subject_kinds, raw.get("kind")), "（種類未設定）")
            out.append(f"{kind}：{_or(_text(raw.get('name')), '（名称未入力）')}")
        return "、".join(out)

    def information(task: dict[Any, Any]) -> str:
        out = []
        for item in _sequence(task.get("information")):
            raw = _mapping(item)
            grades = [_option(opts, raw.get(axis, opts[0].id)) for axis, opts in classes.items()]
            grades.append(_option(matrix.pii, raw.get("pii", matrix.pii[0].id)))
            out.append(f"{_or(_text(raw.get('name')), '（名称未入力）')}：{'・'.join(grades)}")
        return "、".join(out)

    def means(task: dict[Any, Any]) -> str:
        given = [_text(m) for m in _sequence(task.get("means"))]
        ids = {o.id for o in matrix.means}
        labels = [o.label for o in matrix.means if o.id in given]
        return "、".join(labels + [m for m in dict.fromkeys(given) if m not in ids])

    parts: tuple[tuple[str, str, Callable[[dict[Any, Any]], str]], ...] = (
        ("subjects", "主体", subjects),
        ("information", "情報", information),
        ("means", "利用環境・手段", means),
    )
    for tid in _union(old.tasks, new.tasks):
        before, after = old.tasks.get(tid, {}), new.tasks.get(tid, {})
        for key, label, show in parts:
            yield FieldChange(
                "features",
                f"tasks.{tid}.{key}",
                f"業務 {tid} の{label}",
                _or(show(before), NONE),
                _or(show(after), NONE),
            )


def _diagram(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 3: zones, elements and flows added, removed or changed, by id."""
    vocab = catalogue.steps.diagram
    means = catalogue.steps.matrix.means

    def zone(side: _Side, raw: dict[Any, Any]) -> str:
        kind = _option(vocab.zone_kinds, raw.get("kind"))
        return f"{_or(_text(raw.get('label')), kind or '（名称未入力）')}（種類：{_or(kind, '未設定')}）"

    def place(side: _Side, zid: str) -> str:
        if not zid:
            return "区域外"
        found = side.zones.get(zid)
        return f"{zid} {_text(found.get('label'))}".rstrip() if found is not None else zid

    def element(side: _Side, raw: dict[Any, Any]) -> str:
        kind = _or(_option(vocab.element_kinds, raw.get("kind")), "未設定")
        name = _or(_text(raw.get("label")), "（名称未入力）")
        return f"{name}（種類：{kind}、区域：{place(side, _text(raw.get('zone')))}）"

    def end(side: _Side, eid: str) -> str:
        if not eid:
            return "（未設定）"
        found = side.elements.get(eid)
        return f"{eid} {_text(found.get('label'))}".rstrip() if found is not None else eid

    def flow(side: _Side, raw: dict[Any, Any]) -> str:
        info = _or(_text(raw.get("information")), "（情報未設定）")
        how = _or(_option(means, raw.get("means")), "未設定")
        return f"{info}：{end(side, _text(raw.get('from')))} → {end(side, _text(raw.get('to')))}（手段：{how}）"

    # Compared on what is stored (references by id), shown with the labels of the same revision.
    parts: tuple[tuple[str, str, tuple[str, ...], Callable[[_Side, dict[Any, Any]], str]], ...] = (
        ("zones", "区域", ("kind", "label"), zone),
        ("elements", "要素", ("kind", "label", "zone"), element),
        ("flows", "流れ", ("from", "to", "information", "means"), flow),
    )
    for key, label, compared, show in parts:
        older: dict[str, dict[Any, Any]] = getattr(old, key)
        newer: dict[str, dict[Any, Any]] = getattr(new, key)
        for iid in _union(older, newer):
            before, after = older.get(iid), newer.get(iid)
            if (
                before is not None
                and after is not None
                and all(_text(before.get(k)) == _text(after.get(k)) for k in compared)
            ):
                continue
            yield FieldChange(
                "diagram",
                f"diagram.{key}.{iid}",
                f"システム概要図の{label} {iid}",
                NONE if before is None else show(old, before),
                NONE if after is None else show(new, after),
            )


def _answer(catalogue: Catalogue, q: Question | None, value: Any) -> str:
    """An answer's option labels (explain.value_label); values that are not options as they are."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if q is None:
        return _text(value)
    ids = [o.id for o in q.options]
    if q.type == "single":
        token = _text(value)
        return value_label(catalogue, q.id, token) if token in ids else token
    given = [_text(v) for v in (value if isinstance(value, list | tuple) else [value])]
    known = tuple(o for o in ids if o in given)  # the parser's canonical order
    other = [v for v in dict.fromkeys(given) if v not in ids]
    return "・".join(([value_label(catalogue, q.id, known)] if known else []) + other)


def _answers(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 4: the fixed answers, in the questionnaire's order (then any the catalogue lacks)."""
    for qid, q in catalogue.questions.items():
        yield FieldChange(
            "questions",
            f"answers.{qid}",
            q.label,
            _answer(catalogue, q, old.answers.get(qid)),
            _answer(catalogue, q, new.answers.get(qid)),
        )
    for key in _union(old.answers, new.answers):
        if key not in catalogue.questions:
            yield FieldChange(
                "questions",
                f"answers.{key}",
                f"設問 {key}（定義されていない設問）",
                _answer(catalogue, None, old.answers.get(key)),
                _answer(catalogue, None, new.answers.get(key)),
            )


@dataclass(frozen=True)
class _Level:
    id: str
    label: str


def _decisions(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 6: per requirement, the decided level and its reason, then the implementing party."""
    parties = catalogue.cloud.parties if catalogue.cloud is not None else []
    levels = [_Level(lv, catalogue.level_label(lv)) for lv in LEVELS]
    every: list[Any] = [*catalogue.requirements]
    every += [k for k in _union(old.decisions, new.decisions) if k not in every]
    every += [k for k in _union(old.responsibilities, new.responsibilities) if k not in every]
    for rid in every:
        key = _text(rid)
        placed = catalogue.requirements.get(key)
        title = f"{key} {placed.requirement.name}" if placed is not None else f"{key}（定義されていない対策要件）"
        d0, d1 = old.decisions.get(rid), new.decisions.get(rid)
        r0, r1 = old.responsibilities.get(rid), new.responsibilities.get(rid)
        level = (_chosen(levels, d0, "level", AS_PROPOSED), _chosen(levels, d1, "level", AS_PROPOSED))
        yield FieldChange("decisions", f"decisions.{key}.level", f"{title} の実装レベル（決定）", *level)
        yield FieldChange("decisions", f"decisions.{key}.reason", f"{title} の決定の理由", _reason(d0), _reason(d1))
        party = (_chosen(parties, r0, "party", DEFAULT_PARTY), _chosen(parties, r1, "party", DEFAULT_PARTY))
        yield FieldChange("decisions", f"responsibilities.{key}.party", f"{title} の実施主体", *party)
        yield FieldChange(
            "decisions", f"responsibilities.{key}.reason", f"{title} の実施主体を変える理由", _reason(r0), _reason(r1)
        )


def _obligations(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 6: the officer's 必須/提案 of a clause and the reason, by clause key."""
    kinds = [_Level(o, obligation_label(o)) for o in OBLIGATIONS]
    for key in _union(old.obligations, new.obligations):
        o0, o1 = old.obligations.get(key), new.obligations.get(key)
        name = _text(key)
        chosen = (_chosen(kinds, o0, "obligation", AS_CATALOGUE), _chosen(kinds, o1, "obligation", AS_CATALOGUE))
        yield FieldChange("decisions", f"obligations.{name}.obligation", f"条項 {name} の必須／提案", *chosen)
        yield FieldChange(
            "decisions", f"obligations.{name}.reason", f"条項 {name} の必須／提案を変える理由", _reason(o0), _reason(o1)
        )


def _tailoring(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 6's clause pages: reworded and added clauses (``sbd_tool.compare.clause_changes``)."""
    for where, label, before, after in revision_changes(catalogue, old.data, new.data):
        yield FieldChange("decisions", where, label, before, after)


def _chosen(options: Iterable[_Named], entry: Any, key: str, absent: str) -> str:
    """A decision's level or an assignment's party, by label; 「（提案どおり）」 and the like when not set."""
    if entry is None:
        return absent
    if not isinstance(entry, dict):
        return _text(entry)
    return _or(_option(options, entry.get(key)), absent)


def _reason(entry: Any) -> str:
    return _or(_text(_mapping(entry).get("reason")).strip(), NONE)


def _date(value: Any) -> str:
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        return _or(_text(value), NOT_SET)
    try:
        return wareki(day)
    except ValueError:
        return day.isoformat()


def _appendix(value: Any) -> str:
    if value is None or value is False:
        return "付けない"
    return "付ける" if value is True else _text(value)


def _output(catalogue: Catalogue, old: _Side, new: _Side) -> Changes:
    """Step 7: the document's title, date and appendix, then the values for the spec's placeholders."""
    a, b = old.document, new.document
    title = (_or(_text(a.get("title")), NOT_SET), _or(_text(b.get("title")), NOT_SET))
    yield FieldChange("output", "document.title", "仕様書の表題", *title)
    yield FieldChange("output", "document.date", "作成日", _date(a.get("date")), _date(b.get("date")))
    appendix = (_appendix(a.get("compliance_appendix")), _appendix(b.get("compliance_appendix")))
    yield FieldChange("output", "document.compliance_appendix", "別紙4（対応表）", *appendix)
    unknown = [k for k in _union(old.parameters, new.parameters) if k not in catalogue.parameters]
    for pid in [*catalogue.parameters, *unknown]:
        param = catalogue.parameters.get(pid)
        yield FieldChange(
            "output",
            f"parameters.{_text(pid)}",
            param.label if param is not None else f"{_text(pid)}（定義されていない項目）",
            _or(_text(old.parameters.get(pid)), NOT_SET),
            _or(_text(new.parameters.get(pid)), NOT_SET),
        )


# ---------------------------------------------------------------- what the engine makes of it


def _sentence(catalogue: Catalogue, side: _Side, cid: str) -> str:
    met = side.conditions.get(cid)
    if side.evaluation is None:
        return "判定できません：この版の回答に誤りがあります"
    if met is None:
        questions = dict.fromkeys(
            t.question for t in side.evaluation.conditions[cid].tests if t.question in side.unknown
        )
        names = "、".join(f"「{catalogue.questions[q].label}」" for q in questions)
        return f"判定できません：{names}が未回答です"
    return condition_sentence(catalogue, side.evaluation, side.evaluation.conditions[cid])


def _condition_changes(catalogue: Catalogue, old: _Side, new: _Side) -> Iterator[ConditionChange]:
    for c in catalogue.conditions_list:
        before, after = old.conditions.get(c.id), new.conditions.get(c.id)
        if before is after:
            continue
        yield ConditionChange(
            c.id, c.label, before, after, _sentence(catalogue, old, c.id), _sentence(catalogue, new, c.id)
        )


def _reasons(catalogue: Catalogue, side: _Side, rid: str) -> tuple[str, ...]:
    """Why the level: the rules behind the proposal (or the default), then how the decision departs from it."""
    if side.evaluation is None:
        return ()
    outcome = side.evaluation.requirements[rid]
    if side.proposed.get(rid) is None:  # the proposal is unknown; a decision's own reason still stands
        return (f"決定の理由：{outcome.decision_reason}",) if outcome.decision_reason else ()
    reasons = requirement_reasons(catalogue, outcome)
    if outcome.overridden:
        reasons.append(decision_note(catalogue, outcome))
    return tuple(reasons)


def _level_changes(catalogue: Catalogue, old: _Side, new: _Side) -> Iterator[LevelChange]:
    def label(level: str | None) -> str:
        return UNKNOWN if level is None else catalogue.level_label(level)

    for rid, placed in catalogue.requirements.items():
        p0, p1 = old.proposed.get(rid), new.proposed.get(rid)
        d0, d1 = old.decided.get(rid), new.decided.get(rid)
        if p0 == p1 and d0 == d1:
            continue
        yield LevelChange(
            rid,
            placed.requirement.name,
            p0,
            p1,
            d0,
            d1,
            label(p0),
            label(p1),
            label(d0),
            label(d1),
            _reasons(catalogue, old, rid),
            _reasons(catalogue, new, rid),
        )


# ---------------------------------------------------------------- merging two versions field by field


def merge_documents(theirs: Any, mine: Any, take_mine: Iterable[str]) -> dict[str, Any]:
    """``theirs`` with the fields named in ``take_mine`` (``FieldChange.where`` keys from
    ``diff_revisions(catalogue, theirs, mine)``) taken from ``mine``: what a user keeps of their
    own input when two tabs saved the same project. Pure: neither document is changed."""
    out: dict[str, Any] = copy.deepcopy(_mapping(theirs))
    own = _mapping(mine)
    for where in take_mine:
        head, _, rest = where.partition(".")
        if "#" in rest or not rest:
            continue  # a repeated id: which one is meant cannot be told
        if head == "project":
            _take_key(out.setdefault("project", {}), _mapping(own.get("project")), rest)
        elif head == "tasks":
            tid, _, key = rest.partition(".")
            _take_item(
                _list_in(out, "project", "tasks"), _sequence(_mapping(own.get("project")).get("tasks")), "T", tid, key
            )
        elif head == "diagram":
            kind, _, iid = rest.partition(".")
            prefix = {"zones": "Z", "elements": "E", "flows": "F"}.get(kind)
            if prefix is not None:
                _take_item(
                    _list_in(out, "diagram", kind), _sequence(_mapping(own.get("diagram")).get(kind)), prefix, iid, ""
                )
        elif head in ("answers", "parameters", "document", "tailoring"):
            _take_key(out.setdefault(head, {}), _mapping(own.get(head)), rest)
        elif head in ("decisions", "responsibilities", "obligations"):
            rid, _, key = rest.rpartition(".")
            required = {"decisions": "level", "responsibilities": "party", "obligations": "obligation"}[head]
            _take_entry(out.setdefault(head, {}), _mapping(own.get(head)), rid, key, required)
    for key in (
        "answers",
        "parameters",
        "document",
        "decisions",
        "responsibilities",
        "obligations",
        "diagram",
        "tailoring",
    ):
        if key in out and not out[key] and not _mapping(theirs).get(key):
            del out[key]  # not there before and nothing taken into it
    return out


def _take_key(target: dict[str, Any], source: dict[Any, Any], key: str) -> None:
    if key in source:
        target[key] = copy.deepcopy(source[key])
    else:
        target.pop(key, None)


def _list_in(doc: dict[str, Any], outer: str, key: str) -> list[Any]:
    container = doc.setdefault(outer, {})
    if not isinstance(container.get(key), list):
        container[key] = []
    found: list[Any] = container[key]
    return found


def _take_item(target: list[Any], source: list[Any], prefix: str, iid: str, key: str) -> None:
    """One item of a list keyed by id (by position when the id is left out, as ``_keyed``): the
    whole item (added, removed, replaced) when ``key`` is empty, else one of its keys."""
    mine = _keyed(source, prefix).get(iid)
    ids = list(_keyed(target, prefix))
    here = ids.index(iid) if iid in ids else None
    if key and here is None:
        return  # a field of an item that is not here: it comes (or not) with the item itself
    if not key or here is None:
        if mine is None:
            if here is not None:
                del target[here]
        elif here is not None:
            target[here] = copy.deepcopy(mine)
        else:  # added in mine: after the nearest item that precedes it there and is kept here
            order = list(_keyed(source, prefix))
            preceding = [b for b in order[: order.index(iid)] if b in ids]
            target.insert(ids.index(preceding[-1]) + 1 if preceding else 0, copy.deepcopy(mine))
        return
    if mine is not None and isinstance(target[here], dict):
        _take_key(target[here], mine, key)


def _take_entry(target: dict[str, Any], source: dict[Any, Any], rid: str, key: str, required: str) -> None:
    """One key of a decision (level, reason) or an assignment (party, reason); an entry without
    its level (or party) is no entry."""
    entry = dict(_mapping(target.get(rid)))
    _take_key(entry, _mapping(source.get(rid)), key)
    if required in entry:
        target[rid] = entry
    else:
        target.pop(rid, None)
