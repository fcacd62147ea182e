"""The groups of printed clauses the step-6 clause page edits: a requirement's clauses (``AT-1``) or
a cloud-chapter topic's (``cloud.exit``, on a cloud procurement). The page is the same for both;
only a requirement takes added clauses and has a decided level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sbd_tool.answers.obligations import clause_traits
from sbd_tool.answers.read import Answers
from sbd_tool.answers.tailoring import CLOUD_PREFIX
from sbd_tool.compare.clause_changes import printed_numbers
from sbd_tool.content import Catalogue
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.web.wizard import clause_form as cf


@dataclass(frozen=True)
class ClauseGroup:
    """One clause page: whose clauses, numbered and titled as the spec prints them."""

    id: str  # AT-1, or cloud.exit
    number: str  # AT-1, or CL-4 (the topic's place in the cloud chapter)
    title: str  # the requirement's or the topic's name (Japanese)
    clauses: tuple[cf.PageClause, ...]
    before: int  # how many clauses the spec prints before the added ones (requirements)
    outcome: Any = None  # the requirement's outcome (None for a cloud topic)
    requirement: Any = None  # the catalogue's requirement (None for a cloud topic)

    @property
    def cloud(self) -> bool:
        return self.requirement is None

    @property
    def anchor(self) -> str:
        """Where step 6 shows the group, for the links back."""
        return f"topic-{self.id}" if self.cloud else f"req-{self.id}"


def known(cat: Catalogue, gid: str) -> bool:
    """Whether ``gid`` names a requirement or a topic of the catalogue's cloud chapter."""
    if gid in cat.requirements:
        return True
    topics = [t.id for t in cat.cloud.topics] if cat.cloud is not None else []
    return gid.startswith(CLOUD_PREFIX) and gid[len(CLOUD_PREFIX) :] in topics


def clause_group(cat: Catalogue, answers: Answers, evaluation: Evaluation, gid: str) -> ClauseGroup | None:
    """The clause page of a requirement or a cloud topic, numbered as the spec prints it; None for a
    cloud topic when the procurement is not on a cloud service (there is no cloud chapter to edit)."""
    printed = printed_numbers(cat, answers, evaluation)
    if gid in cat.requirements:
        listed = cf.page_clauses(cat, evaluation, gid, printed.numbers)
        before = printed.added_at.get(gid, 0)
        req = cat.requirements[gid].requirement
        return ClauseGroup(gid, gid, req.name, tuple(listed), before, evaluation.requirements[gid], req)
    if evaluation.cloud is None or cat.cloud is None:
        return None
    topic_id = gid[len(CLOUD_PREFIX) :]
    order = [t.id for t in cat.cloud.topics]
    topic = cat.cloud.topics[order.index(topic_id)]
    shown = next((t for t in evaluation.cloud.topics if t.id == topic_id), None)
    traits = clause_traits(cat)
    clauses = tuple(
        cf.PageClause(i, key, printed.numbers.get(key, key), text, traits[key].obligation)
        for i, (key, text) in enumerate(zip(shown.keys, shown.clauses, strict=True) if shown else [])
    )
    return ClauseGroup(gid, f"CL-{order.index(topic_id) + 1}", topic.title, clauses, 0)


def cloud_topics(cat: Catalogue, evaluation: Evaluation, answers: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """Step 6 on a cloud procurement: each topic the cloud chapter prints, as (group id, number,
    title, how many of its clauses are reworded)."""
    if evaluation.cloud is None or cat.cloud is None:
        return []
    order = [t.id for t in cat.cloud.topics]
    tailoring = answers.get("tailoring") or {}
    out = []
    for t in evaluation.cloud.topics:
        gid = f"{CLOUD_PREFIX}{t.id}"
        changed = sum(1 for key in tailoring if str(key).startswith(f"{gid}."))
        out.append((gid, f"CL-{order.index(t.id) + 1}", t.title, changed))
    return out
