"""Cross-reference checks of the requirement set: catalogue.yaml's levels and parameters, each
requirement's id, edition, levels, conditions and placeholders, and that a clause naming a
restrictive product allows equivalents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.content.references import PLACEHOLDER, R, duplicates, rule_condition_ids
from sbd_tool.problems import Problem

if TYPE_CHECKING:
    from sbd_tool.content.crossref import ContentFiles
    from sbd_tool.content.schema import Clause
    from sbd_tool.content.yamlfile import YamlFile

EQUIVALENT = "同等以上"


def _restricts(c: ContentFiles, text: str, exempt: str | None) -> str | None:
    """The first restrictive name (catalogue.yaml ``restrictive_names``) a clause names without
    allowing equivalents (「又は同等以上」) or an exemption, if any."""
    if exempt or EQUIVALENT in text:
        return None
    return next((r.name for r in c.meta.restrictive_names if r.name in text), None)


def _equivalent_message(owner: str, name: str) -> str:
    return (
        f"{owner}: 条項が「{name}」を指定していますが「又は同等以上」がありません"
        "（競争を制限しないよう同等以上のものを認める文言にするか、equivalent_exempt に理由を記載してください）"
    )


def located_clauses(c: ContentFiles) -> Iterator[tuple[YamlFile, str, list[int | str], Clause]]:
    """Every requirement clause of the catalogue: its file, its requirement's id, its key path."""
    for cat in c.categories:
        file = c.files[f"{R}/{cat.id}.yaml"]
        for pi, policy in enumerate(cat.policies):
            for ri, req in enumerate(policy.requirements):
                for level, text in req.levels.items():
                    for ci, clause in enumerate(text.clauses):
                        yield file, req.id, ["policies", pi, "requirements", ri, "levels", level, "clauses", ci], clause


def check_equivalents(c: ContentFiles) -> Iterator[Problem]:
    """A clause naming a product, standard or certification that could restrict competition
    must allow equivalents, or say in ``equivalent_exempt`` why it need not."""
    for file, rid, loc, clause in located_clauses(c):
        name = _restricts(c, clause, clause.traits.equivalent_exempt)
        if name is not None:
            yield file.problem(loc, _equivalent_message(rid, name))
    if c.cloud is None:
        return
    file = c.files[f"{R}/cloud.yaml"]
    name = _restricts(c, c.cloud.provider_clause, None)
    if name is not None:
        yield file.problem(["provider_clause"], _equivalent_message("provider_clause", name))
    for ti, topic in enumerate(c.cloud.topics):
        for ci, cc in enumerate(topic.clauses):
            name = _restricts(c, cc.text, cc.equivalent_exempt)
            if name is not None:
                yield file.problem(["topics", ti, "clauses", ci], _equivalent_message(f"cloud.{topic.id}", name))
            for param in PLACEHOLDER.findall(cc.text):
                if param not in {p.id for p in c.meta.parameters}:
                    yield file.problem(
                        ["topics", ti, "clauses", ci],
                        f"cloud.{topic.id}: 差込項目「{{{param}}}」は catalogue.yaml の parameters にありません",
                    )


def check_requirements(c: ContentFiles) -> Iterator[Problem]:
    meta_file = c.files[f"{R}/catalogue.yaml"]
    editions = {e.id for e in c.meta.editions}
    params = {p.id for p in c.meta.parameters}
    options = {q.id: {o.id for o in q.options} for q in c.questions.questions}
    conditions = {x.id for x in c.conditions.conditions}
    if duplicates(lv.id for lv in c.meta.levels):
        yield meta_file.problem(["levels"], "レベルのidが重複しています")
    for i, p in enumerate(c.meta.parameters):
        if p.question is not None and p.question not in options:
            yield meta_file.problem(["parameters", i, "question"], f"設問「{p.question}」がありません")
        for key in p.values:
            if p.question in options and key not in options[p.question]:
                yield meta_file.problem(
                    ["parameters", i, "values", key], f"設問「{p.question}」に選択肢「{key}」がありません"
                )
    seen: set[str] = set()
    for cat in c.categories:
        file = c.files[f"{R}/{cat.id}.yaml"]
        for pi, policy in enumerate(cat.policies):
            for ri, req in enumerate(policy.requirements):
                loc: list[int | str] = ["policies", pi, "requirements", ri]
                if req.id in seen:
                    yield file.problem([*loc, "id"], f"対策要件 {req.id} が重複しています")
                seen.add(req.id)
                if not req.id.startswith(f"{cat.id}-"):
                    yield file.problem([*loc, "id"], f"{req.id} は対策区分 {cat.id} のidで始まっていません")
                if req.edition not in editions:
                    yield file.problem([*loc, "edition"], f"版「{req.edition}」は catalogue.yaml にありません")
                levels = list(req.levels)
                expected = ["low", "middle", "high"][: len(levels)]
                if sorted(levels, key=LEVEL_ORDER.__getitem__) != expected:
                    yield file.problem([*loc, "levels"], f"{req.id}: レベルは低位から順に欠けなく定義してください")
                for level, text in req.levels.items():
                    for ci, clause in enumerate(text.clauses):
                        if clause.when is not None:
                            for cid in rule_condition_ids(clause.when):
                                if cid not in conditions:
                                    yield file.problem(
                                        [*loc, "levels", level, "clauses", ci, "when"],
                                        f"{req.id}: 判断条件 {cid} がありません",
                                    )
                        for name in PLACEHOLDER.findall(clause):
                            if name not in params:
                                yield file.problem(
                                    [*loc, "levels", level, "clauses", ci],
                                    f"{req.id}: 差込項目「{{{name}}}」は catalogue.yaml の parameters にありません",
                                )
