"""Step 6's clause page of one requirement: the form, how the stored answers fill it, and how a
submitted form is stored (``tailoring``, ``added_clauses`` and ``obligations`` of the answers
file, see ``sbd_tool.answers.tailoring`` and docs/answers-format.md).

Validation is the core's: the stored document is parsed and each problem is put on its field.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wtforms import Field, HiddenField, SelectField, TextAreaField
from wtforms.validators import Optional

from sbd_tool.answers.read import TOP_KEYS, AnswersError, parse_answers
from sbd_tool.answers.tailoring import OBLIGATION_LABELS, OBLIGATIONS
from sbd_tool.content import Catalogue
from sbd_tool.content.schema import Clause
from sbd_tool.document.numbering import clause_mark
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.rules import printed_clauses
from sbd_tool.web.forms import options
from sbd_tool.web.marks import N_
from sbd_tool.web.wizard.fields import WizardForm

# 必須/提案 per clause (``obligations``) is parsed by the core once it knows the section.
OBLIGATIONS_SUPPORTED = "obligations" in TOP_KEYS
MAX_NEW_ROWS = 1


@dataclass(frozen=True)
class PageClause:
    """A clause that prints at the decided level, as the page shows it."""

    index: int
    key: str
    number: str  # AT-1-ア, as the spec and the matrix number it
    catalogue_text: str
    default_obligation: str  # the catalogue's 必須/提案


def default_obligation(clause: Clause) -> str:
    traits = getattr(clause, "traits", None)
    return str(getattr(traits, "obligation", None) or getattr(clause, "obligation", None) or "required")


def page_clauses(cat: Catalogue, evaluation: Evaluation, rid: str, numbers: Mapping[str, str]) -> list[PageClause]:
    """The clauses of the decided level, each numbered as the spec prints it (``numbers``); one the
    procurement's scope leaves out shows its key instead."""
    outcome = evaluation.requirements[rid]
    if outcome.decided == "not_applicable":
        return []
    printed = printed_clauses(cat, outcome)
    return [
        PageClause(i, c.key, numbers.get(c.key, c.key), str(c), default_obligation(c)) for i, c in enumerate(printed)
    ]


def added_number(rid: str, before: int, j: int) -> str:
    """The number the j-th (from 0) added clause is printed with, the first at place ``before``."""
    return f"{rid}-{clause_mark(before + j)}"


def clause_form(clauses: list[PageClause] | tuple[PageClause, ...], added: int, new: bool = True) -> type[WizardForm]:
    """One text, reason and 必須/提案 (with its reason) per printed clause; the same per added
    clause; and (unless ``new`` is false: a cloud topic takes no added clause) an empty row for a
    new clause."""
    obligations = options([(o, OBLIGATION_LABELS[o]) for o in OBLIGATIONS])
    attrs: dict[str, Any] = {"rid": HiddenField()}
    rows = [f"c{c.index}" for c in clauses] + [f"a{j}" for j in range(added)] + (["new"] if new else [])
    for row in rows:
        attrs[f"text_{row}"] = TextAreaField("条項の文言", [Optional()])
        attrs[f"reason_{row}"] = TextAreaField(N_("理由"), [Optional()])
        attrs[f"obligation_{row}"] = SelectField("必須・提案", [Optional()], choices=obligations)
        if row.startswith("c"):
            attrs[f"obligation_reason_{row}"] = TextAreaField("必須・提案を変える理由", [Optional()])
    return type("ClauseForm", (WizardForm,), attrs)


def load(answers: dict[str, Any], clauses: list[PageClause] | tuple[PageClause, ...], rid: str) -> dict[str, Any]:
    tailoring = answers.get("tailoring") or {}
    chosen = answers.get("obligations") or {}
    data: dict[str, Any] = {"rid": rid}
    for c in clauses:
        mine = tailoring.get(c.key) or {}
        data[f"text_c{c.index}"] = mine.get("text") or c.catalogue_text
        data[f"reason_c{c.index}"] = mine.get("reason", "")
        data[f"obligation_c{c.index}"] = (chosen.get(c.key) or {}).get("obligation", c.default_obligation)
        data[f"obligation_reason_c{c.index}"] = (chosen.get(c.key) or {}).get("reason", "")
    for j, item in enumerate(added_of(answers, rid)):
        data[f"text_a{j}"] = item.get("text", "")
        data[f"reason_a{j}"] = item.get("reason", "")
        data[f"obligation_a{j}"] = item.get("obligation", "required")
    data["obligation_new"] = "required"
    return data


def added_of(answers: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    return [a for a in answers.get("added_clauses") or [] if isinstance(a, dict) and a.get("requirement") == rid]


def added_rows(fields: Any) -> int:
    """How many added clauses a clause form, or a posted clause page, has rows for (``text_a0``, …):
    a posted page's form is built to match (another tab may have saved more or fewer meanwhile)."""
    count = 0
    while f"text_a{count}" in fields:
        count += 1
    return count


def _value(form: Any, name: str) -> str:
    return (form[name].data or "").strip() if name in form else ""


def store(
    answers: dict[str, Any],
    form: Any,
    clauses: list[PageClause] | tuple[PageClause, ...],
    rid: str,
    remove: int | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers with this requirement's clauses as the form says; and, per problem field
    kept only on the page (an added row's index in the file → the form row), the rows written."""
    out = copy.deepcopy(answers)
    tailoring = dict(out.get("tailoring") or {})
    obligations = dict(out.get("obligations") or {})
    for c in clauses:
        row = f"c{c.index}"
        text, reason = _value(form, f"text_{row}"), _value(form, f"reason_{row}")
        if text == c.catalogue_text:
            tailoring.pop(c.key, None)  # the catalogue's wording (a reason typed anyway is refused by ``problems``)
        else:
            old = tailoring.get(c.key) or {}
            same = old.get("text") == text and old.get("reason") == reason
            before = old.get("catalogue_text") if same and old.get("catalogue_text") else c.catalogue_text
            tailoring[c.key] = {"text": text, "reason": reason, "catalogue_text": before}
        if OBLIGATIONS_SUPPORTED:
            chosen, why = _value(form, f"obligation_{row}"), _value(form, f"obligation_reason_{row}")
            if chosen and (chosen != c.default_obligation or why):
                obligations[c.key] = {"obligation": chosen, "reason": why}
            else:
                obligations.pop(c.key, None)
    others = [a for a in out.get("added_clauses") or [] if not (isinstance(a, dict) and a.get("requirement") == rid)]
    mine: list[dict[str, str]] = []
    rows: dict[str, str] = {}
    count = added_rows(form)
    for row in [f"a{j}" for j in range(count) if j != remove] + ["new"]:
        text, reason = _value(form, f"text_{row}"), _value(form, f"reason_{row}")
        if not text and not reason:
            continue  # an empty row: no clause (emptying an added clause removes it)
        rows[f"added_clauses[{len(others) + len(mine)}]"] = row
        obligation = _value(form, f"obligation_{row}") or "required"
        mine.append({"requirement": rid, "text": text, "reason": reason, "obligation": obligation})
    _put(out, "tailoring", tailoring)
    _put(out, "obligations", obligations)
    _put(out, "added_clauses", others + mine)
    return out, rows


def _put(out: dict[str, Any], section: str, value: Any) -> None:
    if value:
        out[section] = value
    else:
        out.pop(section, None)


def problems(
    cat: Catalogue,
    answers: dict[str, Any],
    form: Any,
    clauses: list[PageClause] | tuple[PageClause, ...],
    rows: dict[str, str],
) -> list[tuple[Field, str]]:
    """The core's problems with the stored result, each on the field it is about; and a reason
    given for a clause whose wording was not changed (it would record a change that is none)."""
    errors: list[tuple[Field, str]] = [
        (form[f"reason_c{c.index}"], N_("文言を対策要件集から変えていないため、理由は不要です（空欄にしてください）。"))
        for c in clauses
        if _value(form, f"text_c{c.index}") == c.catalogue_text and _value(form, f"reason_c{c.index}")
    ]
    try:
        parse_answers(answers, cat, partial=True)
    except AnswersError as exc:
        found = exc.problems
    else:
        return errors
    by_key = {c.key: f"c{c.index}" for c in clauses}
    for p in found:
        name = _field_name(p.where, by_key, rows)
        if name is not None and name in form:
            errors.append((form[name], p.message + "。"))
    return errors


def _field_name(where: str, by_key: dict[str, str], rows: dict[str, str]) -> str | None:
    """``tailoring.AT-1.low.1.reason`` → ``reason_c0``; ``added_clauses[2].text`` → ``text_new``."""
    for section, reason_field in (("tailoring.", "reason"), ("obligations.", "obligation_reason")):
        if not where.startswith(section):
            continue
        rest = where[len(section) :]
        for key, row in by_key.items():
            if rest == key or rest.startswith(key + "."):
                leaf = rest[len(key) + 1 :]
                if section == "tailoring.":
                    return f"reason_{row}" if leaf == "reason" else f"text_{row}"
                return f"{reason_field}_{row}"
        return None
    head, _, leaf = where.rpartition(".")
    if head in rows:
        return f"{leaf if leaf in ('reason', 'obligation') else 'text'}_{rows[head]}"
    return rows.get(where) and f"text_{rows[where]}"
