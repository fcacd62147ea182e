"""Cross-reference checks of cloud.yaml: its service-model question, parties, the responsibility
split of every requirement, its topics' clauses, and the parties clauses of the requirement set
name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sbd_tool.content.crossref_requirements import located_clauses
from sbd_tool.content.crossref_rules import check_answer_tests
from sbd_tool.content.references import R, duplicates
from sbd_tool.content.schema import CloudFile
from sbd_tool.problems import Problem

if TYPE_CHECKING:
    from sbd_tool.content.crossref import ContentFiles


def check_cloud(c: ContentFiles) -> Iterator[Problem]:
    if c.cloud is None:
        return
    cloud, file = c.cloud, c.files[f"{R}/cloud.yaml"]
    model = next((q for q in c.questions.questions if q.id == cloud.model_question), None)
    if model is None:
        yield file.problem(["model_question"], f"設問「{cloud.model_question}」がありません")
        return
    models = [o.id for o in model.options]
    parties = {p.id for p in cloud.parties}
    for dup in duplicates(p.id for p in cloud.parties):
        yield file.problem(["parties"], f"責任主体のid「{dup}」が重複しています")
    if cloud.provider not in parties:
        yield file.problem(["provider"], f"責任主体「{cloud.provider}」がありません")
    for key in ("shared", "shared_default"):
        value = getattr(cloud, key)
        if value is not None and value not in parties:
            yield file.problem([key], f"責任主体「{value}」がありません")
    if (cloud.shared is None) != (cloud.shared_default is None):
        yield file.problem(["shared"], "shared と shared_default は両方指定してください")
    yield from _check_clause_parties(c, cloud, models, parties)
    reqs = [r.id for cat in c.categories for p in cat.policies for r in p.requirements]
    for rid in reqs:
        if rid not in cloud.responsibility:
            yield file.problem(["responsibility"], f"対策要件 {rid} の責任分担がありません")
    for rid, split in cloud.responsibility.items():
        if rid not in reqs:
            yield file.problem(["responsibility", rid], f"対策要件 {rid} は要件集にありません")
        for m in models:
            if m not in split:
                yield file.problem(["responsibility", rid], f"{rid}: {m} の場合の責任主体がありません")
        for m, party in split.items():
            if m not in models:
                yield file.problem(["responsibility", rid, m], f"{rid}: 設問「{model.id}」に選択肢「{m}」がありません")
            if party not in parties:
                yield file.problem(["responsibility", rid, m], f"{rid}: 責任主体「{party}」がありません")
    for ti, topic in enumerate(cloud.topics):
        for ci, clause in enumerate(topic.clauses):
            if clause.party is not None and (clause.party not in parties or clause.party == cloud.shared):
                yield file.problem(["topics", ti, "clauses", ci, "party"], f"責任主体「{clause.party}」がありません")
            if clause.when is not None:
                loc: list[int | str] = ["topics", ti, "clauses", ci, "when"]
                yield from check_answer_tests(c, file, topic.id, clause.when, loc)


def _check_clause_parties(c: ContentFiles, cloud: CloudFile, models: list[str], parties: set[str]) -> Iterator[Problem]:
    """A clause's ``party`` names declared parties (not the shared marker) and real service models."""
    for file, rid, where, clause in located_clauses(c):
        if clause.party is None:
            continue
        loc = [*where, "party"]
        chosen = clause.party if isinstance(clause.party, dict) else {"": clause.party}
        for model, party in chosen.items():
            if model and model not in models:
                yield file.problem([*loc, model], f"{rid}: サービスの種類「{model}」がありません")
            if party not in parties or party == cloud.shared:
                yield file.problem(loc, f"{rid}: 責任主体「{party}」がありません")
