"""The typed answers (``Answers`` and its parts): what the answers file says once it is read
and checked against the catalogue (``sbd_tool.answers.read``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sbd_tool.answers.obligations import ClauseObligation
from sbd_tool.answers.tailoring import AddedClause, TailoredClause
from sbd_tool.problems import ProblemsError

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
    # Clause tailoring (sbd_tool.answers.tailoring): reworded catalogue clauses by key, and added clauses.
    tailoring: dict[str, TailoredClause] = field(default_factory=dict)
    added_clauses: tuple[AddedClause, ...] = ()


class AnswersError(ProblemsError):
    """The answers file has problems; ``problems`` lists every one."""
