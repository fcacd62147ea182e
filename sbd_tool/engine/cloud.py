"""Cloud procurements: who implements each requirement, and which cloud clauses apply.

Pure: the catalogue's ``cloud.yaml`` and the resolved answers in, plain data out. Nothing here
knows a requirement or a clause; the split and the clauses are data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sbd_tool.answers.read import Answers, AnswerValue
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import AnswerGroup, AnswerTest, Clause, CloudFile, cloud_clause_key


class Responsibility(NamedTuple):
    id: str
    party: str
    default: str  # the party the service model gives
    reason: str  # the officer's reason when the party was changed
    overridden: bool


class CloudTopicText(NamedTuple):
    id: str
    title: str
    clauses: tuple[str, ...]
    parties: tuple[str, ...] = ()  # who is bound by each clause, in the same order
    keys: tuple[str, ...] = ()  # each clause's key (``cloud.<topic>.<n>``), in the same order


class CloudOutcome(NamedTuple):
    model: str
    responsibilities: dict[str, Responsibility]
    topics: tuple[CloudTopicText, ...]

    def provider_covers(self, requirement_id: str, provider: str) -> bool:
        return self.responsibilities[requirement_id].party == provider


def holds(group: AnswerGroup, answered: Mapping[str, AnswerValue | None]) -> bool:
    """Whether answer tests combined with all/any hold for the given answers."""

    def one(item: AnswerTest | AnswerGroup) -> bool:
        if isinstance(item, AnswerGroup):
            return holds(item, answered)
        return item.holds(answered.get(item.question))

    items = group.all or group.any or []
    return all(one(i) for i in items) if group.all is not None else any(one(i) for i in items)


def cloud_outcome(
    catalogue: Catalogue, answers: Answers, answered: Mapping[str, AnswerValue | None]
) -> CloudOutcome | None:
    """The split and the cloud clauses, or None when the system is not on a cloud service
    (the service-model question does not apply) or the model is not answered yet."""
    cloud = catalogue.cloud
    if cloud is None:
        return None
    model = answered.get(cloud.model_question)
    if not isinstance(model, str):
        return None
    split = {}
    for rid in catalogue.requirements:
        default = cloud.responsibility[rid][model]
        chosen = answers.responsibilities.get(rid)
        party = chosen.party if chosen else default
        split[rid] = Responsibility(rid, party, default, chosen.reason if chosen else "", party != default)
    bound = cloud.shared_default or ""  # "" when the catalogue names no default party
    topics = []
    for t in cloud.topics:
        picked = [(i, c) for i, c in enumerate(t.clauses) if c.when is None or holds(c.when, answered)]
        texts = tuple(c.text for _, c in picked)
        parties = tuple(c.party or bound for _, c in picked)
        keys = tuple(cloud_clause_key(t.id, i) for i, _ in picked)
        topics.append(CloudTopicText(t.id, t.title, texts, parties, keys))
    return CloudOutcome(model, split, tuple(t for t in topics if t.clauses))


def clause_party(cloud_file: CloudFile, outcome: CloudOutcome, requirement_id: str, clause: Clause) -> str:
    """Who is bound by one clause: the requirement's party, or, when its split is shared
    (decided clause by clause), the party the clause names for the service model (else the
    catalogue's ``shared_default``)."""
    party = outcome.responsibilities[requirement_id].party
    if cloud_file.shared is None or party != cloud_file.shared:
        return party
    return clause.party_for(outcome.model) or cloud_file.shared_default or party
