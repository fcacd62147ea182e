"""The revision diff's fields of wizard steps 4, 6 and 7: the answers, the decided levels and
implementing parties, the clauses' 必須/提案 and rewording, and the output's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sbd_tool.answers.obligations import OBLIGATIONS, obligation_label
from sbd_tool.compare.clause_changes import revision_changes
from sbd_tool.compare.raw_document import Named, as_mapping, as_text, option_label, or_absent, union
from sbd_tool.compare.revision_model import (
    AS_CATALOGUE,
    AS_PROPOSED,
    DEFAULT_PARTY,
    NONE,
    NOT_ANSWERED,
    NOT_SET,
    FieldChange,
)
from sbd_tool.compare.revision_side import RevisionSide
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import Question
from sbd_tool.engine.explain import value_label
from sbd_tool.wareki import wareki

Changes = Iterator[FieldChange]


def answer_changes(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Steps 4, 6 and 7 in order; unchanged fields may come too (the caller keeps the changes)."""
    for section in (_answers, _decisions, _obligations, _tailoring, _output):
        yield from section(catalogue, old, new)


def _answer(catalogue: Catalogue, q: Question | None, value: Any) -> str:
    """An answer's option labels (explain.value_label); values that are not options as they are."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if q is None:
        return as_text(value)
    ids = [o.id for o in q.options]
    if q.type == "single":
        token = as_text(value)
        return value_label(catalogue, q.id, token) if token in ids else token
    given = [as_text(v) for v in (value if isinstance(value, list | tuple) else [value])]
    known = tuple(o for o in ids if o in given)  # the parser's canonical order
    other = [v for v in dict.fromkeys(given) if v not in ids]
    return "・".join(([value_label(catalogue, q.id, known)] if known else []) + other)


def _answers(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 4: the fixed answers, in the questionnaire's order (then any the catalogue lacks)."""
    for qid, q in catalogue.questions.items():
        yield FieldChange(
            "questions",
            f"answers.{qid}",
            q.label,
            _answer(catalogue, q, old.answers.get(qid)),
            _answer(catalogue, q, new.answers.get(qid)),
        )
    for key in union(old.answers, new.answers):
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


def _decisions(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 6: per requirement, the decided level and its reason, then the implementing party."""
    parties = catalogue.cloud.parties if catalogue.cloud is not None else []
    levels = [_Level(lv, catalogue.level_label(lv)) for lv in LEVELS]
    every: list[Any] = [*catalogue.requirements]
    every += [k for k in union(old.decisions, new.decisions) if k not in every]
    every += [k for k in union(old.responsibilities, new.responsibilities) if k not in every]
    for rid in every:
        key = as_text(rid)
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


def _obligations(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 6: the officer's 必須/提案 of a clause and the reason, by clause key."""
    kinds = [_Level(o, obligation_label(o)) for o in OBLIGATIONS]
    for key in union(old.obligations, new.obligations):
        o0, o1 = old.obligations.get(key), new.obligations.get(key)
        name = as_text(key)
        chosen = (_chosen(kinds, o0, "obligation", AS_CATALOGUE), _chosen(kinds, o1, "obligation", AS_CATALOGUE))
        yield FieldChange("decisions", f"obligations.{name}.obligation", f"条項 {name} の必須／提案", *chosen)
        yield FieldChange(
            "decisions", f"obligations.{name}.reason", f"条項 {name} の必須／提案を変える理由", _reason(o0), _reason(o1)
        )


def _tailoring(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 6's clause pages: reworded and added clauses (``sbd_tool.compare.clause_changes``)."""
    for where, label, before, after in revision_changes(catalogue, old.data, new.data):
        yield FieldChange("decisions", where, label, before, after)


def _chosen(options: Iterable[Named], entry: Any, key: str, absent: str) -> str:
    """A decision's level or an assignment's party, by label; 「（提案どおり）」 and the like when not set."""
    if entry is None:
        return absent
    if not isinstance(entry, dict):
        return as_text(entry)
    return or_absent(option_label(options, entry.get(key)), absent)


def _reason(entry: Any) -> str:
    return or_absent(as_text(as_mapping(entry).get("reason")).strip(), NONE)


def _date(value: Any) -> str:
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        return or_absent(as_text(value), NOT_SET)
    try:
        return wareki(day)
    except ValueError:
        return day.isoformat()


def _appendix(value: Any) -> str:
    if value is None or value is False:
        return "付けない"
    return "付ける" if value is True else as_text(value)


def _output(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 7: the document's title, date and appendix, then the values for the spec's placeholders."""
    a, b = old.document, new.document
    title = (or_absent(as_text(a.get("title")), NOT_SET), or_absent(as_text(b.get("title")), NOT_SET))
    yield FieldChange("output", "document.title", "仕様書の表題", *title)
    yield FieldChange("output", "document.date", "作成日", _date(a.get("date")), _date(b.get("date")))
    appendix = (_appendix(a.get("compliance_appendix")), _appendix(b.get("compliance_appendix")))
    yield FieldChange("output", "document.compliance_appendix", "別紙4（対応表）", *appendix)
    unknown = [k for k in union(old.parameters, new.parameters) if k not in catalogue.parameters]
    for pid in [*catalogue.parameters, *unknown]:
        param = catalogue.parameters.get(pid)
        yield FieldChange(
            "output",
            f"parameters.{as_text(pid)}",
            param.label if param is not None else f"{as_text(pid)}（定義されていない項目）",
            or_absent(as_text(old.parameters.get(pid)), NOT_SET),
            or_absent(as_text(new.parameters.get(pid)), NOT_SET),
        )
