"""Each printed clause's number as the specification prints it, read from the document model:
``AT-1-ア`` in a requirement, ``CL-4-イ`` in the cloud chapter, ``QL-ア`` in 入札参加資格.

The model decides the order (the procurement's phases, design and build first, a cloud provider's
confirming clause, added clauses, entry qualifications moved out), so a page or a review that
names a clause by number reads it here instead of ordering the clauses again.
"""

from __future__ import annotations

from collections.abc import Iterator

from sbd_tool.document.compliance import IROHA, QUALIFICATION_PREFIX
from sbd_tool.document.model import DocumentModel, SpecClause


def clause_mark(i: int) -> str:
    """The i-th (from 0) clause's letter: ア, イ, … as the Word numbering has them."""
    return IROHA[i] if i < len(IROHA) else str(i + 1)


def numbered_clauses(model: DocumentModel) -> Iterator[tuple[str, SpecClause]]:
    """Every clause the document prints, in order, with its number as printed."""
    for category in model.security:
        for policy in category.policies:
            for req in policy.requirements:
                yield from ((f"{req.id}-{clause_mark(i)}", c) for i, c in enumerate(req.clauses))
    if model.cloud is not None:
        topics = model.cloud.topics
        numbers = model.cloud_numbers or tuple(f"CL-{n}" for n in range(1, len(topics) + 1))
        for number, (_, clauses) in zip(numbers, topics, strict=True):
            yield from ((f"{number}-{clause_mark(i)}", c) for i, c in enumerate(clauses))
    yield from ((f"{QUALIFICATION_PREFIX}-{clause_mark(i)}", c) for i, c in enumerate(model.qualifications))


def clause_numbers(model: DocumentModel) -> dict[str, str]:
    """Every clause the document prints, by key → its number as printed."""
    return {clause.key: number for number, clause in numbered_clauses(model)}
