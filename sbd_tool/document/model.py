"""The procurement specification as plain data: what the Word renderer (or any other) draws.

``sbd_tool.document.build.build_document`` decides every word of the document; renderers only
map it to styles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sbd_tool.diagram.draw import Picture


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


class SpecClause(str):
    """One printed clause. It is a ``str`` (the text as printed, party mark and parameter values
    included), so a renderer that only prints text keeps working; beside the text it carries:

    - ``key``: which catalogue clause it is (``AU-1.middle.2``, ``cloud.keys.1``, or
      ``AU-1.confirm`` for the clause that confirms a cloud provider's share), the same in
      every output, in the compliance matrix and on the bidder page;
    - ``obligation``: ``required`` (必須) or ``proposal`` (提案);
    - ``catalogue_text``: the catalogue's wording when the officer tailored the clause for this
      procurement (``None`` when the clause is printed as the catalogue has it);
    - ``reason``: why it was tailored (or why its obligation was changed);
    - ``phase``: ``build`` (設計・構築に係る事項) or ``operation`` (運用・保守に係る事項)."""

    key: str
    obligation: str
    catalogue_text: str | None
    reason: str
    phase: str

    def __new__(
        cls,
        text: str,
        key: str,
        obligation: str = "required",
        catalogue_text: str | None = None,
        reason: str = "",
        phase: str = "build",
    ) -> SpecClause:
        obj = super().__new__(cls, text)
        obj.key = key
        obj.obligation = obligation
        obj.catalogue_text = catalogue_text
        obj.reason = reason
        obj.phase = phase
        return obj

    def __reduce__(self) -> tuple[object, ...]:
        return (SpecClause, (str(self), self.key, self.obligation, self.catalogue_text, self.reason, self.phase))


@dataclass(frozen=True)
class RequirementSection:
    id: str
    name: str
    level: str
    level_label: str
    clauses: tuple[SpecClause, ...]


@dataclass(frozen=True)
class PolicySection:
    name: str
    requirements: tuple[RequirementSection, ...]


@dataclass(frozen=True)
class CategorySection:
    id: str
    name: str
    policies: tuple[PolicySection, ...]


@dataclass(frozen=True)
class RationaleEntry:
    heading: str
    items: tuple[tuple[str, str], ...]  # (label, text)


@dataclass(frozen=True)
class CloudSection:
    """「クラウドサービス利用時の要件」: the responsibility table and the cloud clauses by topic."""

    intro: str
    responsibility: Table
    topics: tuple[tuple[str, tuple[SpecClause, ...]], ...]  # (title, clauses)


@dataclass(frozen=True)
class Approval:
    """A reviewer's approval of one revision, as the approved document states it."""

    revision: int
    approver: str
    organisation: str
    approved_on: dt.date


@dataclass(frozen=True)
class DocumentModel:
    title: str
    organisation: str
    date_text: str
    date: dt.date
    content_version: str
    catalogue_title: str
    purpose: str
    effects: str
    tasks: Table
    matrix: Table
    answers: Table
    security_intro: str
    security: tuple[CategorySection, ...]
    not_applicable: tuple[str, ...]
    decisions: Table
    rationale: tuple[RationaleEntry, ...]
    provenance: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    cloud: CloudSection | None = None
    diagram: Picture | None = None  # the system overview diagram, drawn when an output shows it
    flows: Table | None = None
    compliance_appendix: bool = False
    approval: str = ""  # who approved which revision when, for an approved revision's document
    name: str = ""  # the procurement's name: page header, file names
    title_lines: tuple[str, ...] = ()  # the title as printed, in lines that break between words
    start_chapter: int = 1  # the chapter number of the section to paste (document.start_chapter)
    cloud_numbers: tuple[str, ...] = ()  # CL-1 …: each cloud topic's number, as ``cloud.topics``
    training: tuple[RationaleEntry, ...] = ()  # every level explained (document.training_appendix)
    sources: Table | None = None  # each requirement's provenance, for 別紙3
    # Entry qualifications (入札参加資格): clauses the catalogue places there instead of in a requirement.
    qualifications: tuple[SpecClause, ...] = ()
    phases: tuple[str, ...] = ("build", "operation")  # the phases the procurement covers (procurement_scope)
    scope_note: str = ""  # the sentence saying which phase the document leaves out ("" when none)
    # The officer's changes of 必須/提案 on printed clauses: (clause key, 必須/提案 now, reason).
    obligation_changes: tuple[tuple[str, str, str], ...] = ()

    @property
    def diagram_png(self) -> bytes | None:
        """The diagram as a PNG (drawn on first use, once per diagram content), if there is one."""
        return self.diagram.png if self.diagram is not None else None
