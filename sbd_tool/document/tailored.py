"""Tailored and added clauses in the document model (``sbd_tool.answers.tailoring``): the model prints
the officer's wording (parameters filled, the cloud party mark in front as for any clause) and
records the catalogue's wording and the reason; the 閲覧資料 lists every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sbd_tool.answers.read import Answers
from sbd_tool.answers.tailoring import OBLIGATION_LABELS, added_by_requirement
from sbd_tool.content.schema import Clause

if TYPE_CHECKING:
    from sbd_tool.document.model import DocumentModel, SpecClause, Table

CHANGES_TITLE = "仕様書の条項の変更"
ADDED_PHASE = "both"  # in every procurement scope (sbd_tool.procurement)


def reword(printed: tuple[Clause, ...], answers: Answers) -> tuple[Clause, ...]:
    """The printed catalogue clauses with the officer's wording where a clause was tailored."""
    return tuple(
        Clause(answers.tailoring[c.key].text, c.when, c.party, c.key) if c.key in answers.tailoring else c
        for c in printed
    )


def cloud_text(key: str, text: str, answers: Answers) -> str:
    """A cloud-chapter clause's wording: the officer's where it was tailored, else the catalogue's."""
    tailored = answers.tailoring.get(key)
    return tailored.text if tailored is not None else text


def annotate(
    rid: str,
    clauses: tuple[SpecClause, ...],
    originals: dict[str, str],
    answers: Answers,
    fill: Callable[[str], str],
    mark: str = "",
) -> tuple[SpecClause, ...]:
    """Mark the tailored clauses (catalogue wording, reason) and append the requirement's added
    clauses (``<rid>.added.<n>``) after its printed ones, with ``mark`` (〔受注者〕 on a cloud
    service) in front."""
    from sbd_tool.document.model import SpecClause

    out = []
    for clause in clauses:
        tailored = answers.tailoring.get(clause.key)
        if tailored is None or clause.key not in originals:
            out.append(clause)
            continue
        catalogue_text = fill(originals[clause.key])
        out.append(
            SpecClause(str(clause), clause.key, clause.obligation, catalogue_text, tailored.reason, clause.phase)
        )
    # An added clause is printed whatever the procurement's scope: the officer wrote it for this one.
    for key, added in added_by_requirement(answers.added_clauses).get(rid, []):
        out.append(SpecClause(mark + fill(added.text), key, added.obligation, None, added.reason, ADDED_PHASE))
    return tuple(out)


def changes_table(model: DocumentModel) -> Table | None:
    """「仕様書の条項の変更」: each tailored or added clause with its number as printed (AT-1-ア,
    CL-3-ア in the cloud chapter, QL-ア in 入札参加資格), its key, what was done and why (the
    adviser's record); None when nothing was changed."""
    from sbd_tool.document.model import Table
    from sbd_tool.document.numbering import numbered_clauses

    rows = []
    for number, clause in numbered_clauses(model):
        if ".added." in clause.key:
            what = f"追加（{OBLIGATION_LABELS.get(clause.obligation, clause.obligation)}）"
        elif clause.catalogue_text is not None:
            what = "文言を変更"
        else:
            continue
        rows.append((number, clause.key, what, clause.reason))
    if not rows:
        return None
    return Table(("番号", "条項のキー", "変更", "理由"), tuple(rows), (1.3, 2.2, 1.5, 5))
