"""The catalogue pass of the answers file: the typed document (``AnswersDoc``) checked against the
questionnaire and the requirement set (question ids and options, requirement ids, levels,
parameter ids), its texts normalised, into ``Answers``. The project and the diagram are in
``sbd_tool.answers.project``."""

from __future__ import annotations

import re
from typing import Any

from sbd_tool.answers.errors import UNKNOWN_KEY, Options
from sbd_tool.answers.model import AssignmentDoc, DecisionDoc, DocumentDoc, type_name
from sbd_tool.answers.obligations import OBLIGATIONS
from sbd_tool.answers.types import AnswerValue, Assignment, Decision, DocumentOptions
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import ProjectField
from sbd_tool.problems import Problem
from sbd_tool.text import clean_input, has_line_break


def option_ids(catalogue: Catalogue) -> Options:
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


class AnswersChecker:
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


def read_fixed_answers(p: AnswersChecker, value: dict[str, Any] | None) -> dict[str, AnswerValue]:
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


def read_decisions(p: AnswersChecker, value: dict[str, DecisionDoc] | None) -> dict[str, Decision]:
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


def read_responsibilities(p: AnswersChecker, value: dict[str, AssignmentDoc] | None) -> dict[str, Assignment]:
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


def read_document_options(p: AnswersChecker, doc: DocumentDoc) -> DocumentOptions:
    """The output options (their types and ranges are the model's)."""
    return DocumentOptions(
        p.text(doc.title, "document.title"),
        doc.date,
        doc.compliance_appendix,
        doc.start_chapter,
        training_appendix=doc.training_appendix,
    )
