"""Second validation pass: every id that one file names exists where it should."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sbd_tool.content.catalogue import LEVEL_ORDER
from sbd_tool.content.schema import (
    AnswerGroup,
    AnswerTest,
    CatalogueMeta,
    CategoryFile,
    CloudFile,
    ConditionsFile,
    QuestionsFile,
    RuleGroup,
    RulesFile,
    StepsFile,
)
from sbd_tool.content.yamlfile import YamlFile
from sbd_tool.problems import Problem

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
Q, R = "questionnaires", "requirement_sets"


@dataclass(frozen=True)
class ContentFiles:
    files: dict[str, YamlFile]
    meta: CatalogueMeta
    categories: tuple[CategoryFile, ...]
    steps: StepsFile
    questions: QuestionsFile
    conditions: ConditionsFile
    rules: RulesFile
    cloud: CloudFile | None = None


def _duplicates(ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def check(c: ContentFiles) -> list[Problem]:
    """All cross-reference problems of the content, each located in its file."""
    return [
        *_check_requirements(c),
        *_check_questions(c),
        *_check_conditions(c),
        *_check_rules(c),
        *_check_cloud(c),
        *_check_equivalents(c),
    ]


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


def _check_equivalents(c: ContentFiles) -> Iterator[Problem]:
    """A clause naming a product, standard or certification that could restrict competition
    must allow equivalents, or say in ``equivalent_exempt`` why it need not."""
    for cat in c.categories:
        file = c.files[f"{R}/{cat.id}.yaml"]
        for pi, policy in enumerate(cat.policies):
            for ri, req in enumerate(policy.requirements):
                for level, text in req.levels.items():
                    for ci, clause in enumerate(text.clauses):
                        name = _restricts(c, clause, clause.traits.equivalent_exempt)
                        if name is not None:
                            loc: list[int | str] = ["policies", pi, "requirements", ri, "levels", level, "clauses", ci]
                            yield file.problem(loc, _equivalent_message(req.id, name))
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


def _check_requirements(c: ContentFiles) -> Iterator[Problem]:
    meta_file = c.files[f"{R}/catalogue.yaml"]
    editions = {e.id for e in c.meta.editions}
    params = {p.id for p in c.meta.parameters}
    options = {q.id: {o.id for o in q.options} for q in c.questions.questions}
    conditions = {x.id for x in c.conditions.conditions}
    if _duplicates(lv.id for lv in c.meta.levels):
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


def _fact_tokens(steps: StepsFile) -> dict[str, set[str]]:
    m = steps.matrix
    classes: dict[str, set[str]] = {cl.id: {o.id for o in cl.classes} for cl in m.classifications}
    return {
        "subject_kind": {o.id for o in m.subject_kinds},
        "pii": {o.id for o in m.pii},
        "means": {o.id for o in m.means},
        "hosting": {z.hosting for z in steps.diagram.zone_kinds if z.hosting},
        **classes,
    }


def _check_questions(c: ContentFiles) -> Iterator[Problem]:
    file = c.files[f"{Q}/questions.yaml"]
    steps_file = c.files[f"{Q}/steps.yaml"]
    numbers = [s.number for s in c.steps.steps]
    if sorted(numbers) != list(range(1, 8)):
        yield steps_file.problem(["steps"], "手順は1から7まで一つずつ定義してください")
    tokens = _fact_tokens(c.steps)
    means = tokens["means"]
    for zi, zone in enumerate(c.steps.diagram.zone_kinds):
        if zone.means is not None and zone.means not in means:
            yield steps_file.problem(
                ["diagram", "zone_kinds", zi, "means"], f"利用環境・手段「{zone.means}」がありません"
            )
    for ei, kind in enumerate(c.steps.diagram.element_kinds):
        if kind.means is not None and kind.means not in means:
            yield steps_file.problem(
                ["diagram", "element_kinds", ei, "means"], f"利用環境・手段「{kind.means}」がありません"
            )
    for dup in _duplicates(z.id for z in c.steps.diagram.zone_kinds):
        yield steps_file.problem(["diagram", "zone_kinds"], f"区域の種類「{dup}」が重複しています")
    for dup in _duplicates(e.id for e in c.steps.diagram.element_kinds):
        yield steps_file.problem(["diagram", "element_kinds"], f"要素の種類「{dup}」が重複しています")
    perspectives = {p.id for p in c.questions.perspectives}
    for qid in _duplicates(q.id for q in c.questions.questions):
        yield file.problem(["questions"], f"設問id「{qid}」が重複しています")
    for qi, q in enumerate(c.questions.questions):
        loc: list[int | str] = ["questions", qi]
        opts = {o.id for o in q.options}
        if q.perspective not in perspectives:
            yield file.problem([*loc, "perspective"], f"観点「{q.perspective}」がありません")
        for dup in _duplicates(o.id for o in q.options):
            yield file.problem([*loc, "options"], f"{q.id}: 選択肢id「{dup}」が重複しています")
        if q.exclusive and q.type != "multi":
            yield file.problem([*loc, "exclusive"], f"{q.id}: exclusive は複数選択の設問にだけ指定できます")
        for ex in q.exclusive:
            if ex not in opts:
                yield file.problem([*loc, "exclusive"], f"{q.id}: 選択肢「{ex}」がありません")
        if q.default is not None and q.default not in opts:
            yield file.problem([*loc, "default"], f"{q.id}: 選択肢「{q.default}」がありません")
        if q.applies_when is not None:
            earlier = {e.id: e for e in c.questions.questions[:qi]}
            gate = q.applies_when
            if gate.question not in earlier:
                yield file.problem(
                    [*loc, "applies_when", "question"], f"{q.id}: 設問「{gate.question}」はこの設問より前にありません"
                )
            else:
                gate_opts = {o.id for o in earlier[gate.question].options}
                for option in [*(gate.in_ or ()), *(gate.includes or ())]:
                    if option not in gate_opts:
                        yield file.problem(
                            [*loc, "applies_when"], f"{q.id}: 設問「{gate.question}」に選択肢「{option}」がありません"
                        )
        if q.derive is None:
            continue
        sources: list[tuple[list[int | str], str, dict[str, str]]] = [
            ([*loc, "derive", "map"], q.derive.fact, q.derive.map),
            *(([*loc, "derive", "also", i, "map"], a.fact, a.map) for i, a in enumerate(q.derive.also)),
        ]
        for where, fact, mapping in sources:
            for token, option in mapping.items():
                if token not in tokens[fact]:
                    yield file.problem([*where, token], f"{q.id}: 「{token}」は {fact} の値にありません")
                if option not in opts:
                    yield file.problem([*where, token], f"{q.id}: 選択肢「{option}」がありません")
        if q.derive.otherwise is not None and q.derive.otherwise not in opts:
            yield file.problem([*loc, "derive", "otherwise"], f"{q.id}: 選択肢「{q.derive.otherwise}」がありません")


def answer_tests(group: AnswerGroup, loc: list[int | str]) -> Iterator[tuple[AnswerTest, list[int | str]]]:
    key = "all" if group.all is not None else "any"
    for i, item in enumerate(group.all or group.any or []):
        if isinstance(item, AnswerGroup):
            yield from answer_tests(item, [*loc, key, i])
        else:
            yield item, [*loc, key, i]


def _check_tests(
    c: ContentFiles, file: YamlFile, owner: str, group: AnswerGroup, loc: list[int | str]
) -> Iterator[Problem]:
    questions = {q.id: q for q in c.questions.questions}
    for test, tloc in answer_tests(group, loc):
        q = questions.get(test.question)
        if q is None:
            yield file.problem([*tloc, "question"], f"{owner}: 設問「{test.question}」がありません")
            continue
        if test.in_ is not None and q.type != "single":
            yield file.problem(tloc, f"{owner}: 複数選択の設問「{q.id}」には includes を使ってください")
        if test.includes is not None and q.type != "multi":
            yield file.problem(tloc, f"{owner}: 単一選択の設問「{q.id}」には in を使ってください")
        for option in test.in_ or test.includes or []:
            if option not in {o.id for o in q.options}:
                yield file.problem(tloc, f"{owner}: 設問「{q.id}」に選択肢「{option}」がありません")


def _check_conditions(c: ContentFiles) -> Iterator[Problem]:
    file = c.files[f"{Q}/conditions.yaml"]
    for cid in _duplicates(x.id for x in c.conditions.conditions):
        yield file.problem(["conditions"], f"判断条件id「{cid}」が重複しています")
    for ci, cond in enumerate(c.conditions.conditions):
        yield from _check_tests(c, file, cond.id, cond.when, ["conditions", ci, "when"])


def _check_cloud(c: ContentFiles) -> Iterator[Problem]:
    if c.cloud is None:
        return
    cloud, file = c.cloud, c.files[f"{R}/cloud.yaml"]
    model = next((q for q in c.questions.questions if q.id == cloud.model_question), None)
    if model is None:
        yield file.problem(["model_question"], f"設問「{cloud.model_question}」がありません")
        return
    models = [o.id for o in model.options]
    parties = {p.id for p in cloud.parties}
    for dup in _duplicates(p.id for p in cloud.parties):
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
                yield from _check_tests(c, file, topic.id, clause.when, loc)


def rule_condition_ids(when: str | RuleGroup) -> Iterator[str]:
    """Every condition id a rule mentions."""
    if isinstance(when, str):
        yield when
        return
    for item in when.all or when.any or []:
        yield from rule_condition_ids(item)


def _check_rules(c: ContentFiles) -> Iterator[Problem]:
    file = c.files[f"{Q}/rules.yaml"]
    conditions = {x.id for x in c.conditions.conditions}
    reqs = {r.id: r for cat in c.categories for p in cat.policies for r in p.requirements}
    for rid in reqs:
        if rid not in c.rules.requirements:
            yield file.problem(["requirements"], f"対策要件 {rid} の判断規則がありません")
    for rid, entry in c.rules.requirements.items():
        loc: list[int | str] = ["requirements", rid]
        req = reqs.get(rid)
        if req is None:
            yield file.problem(loc, f"対策要件 {rid} は要件集にありません")
            continue
        if entry.default == "not_applicable":
            if entry.default_reason is None:
                yield file.problem([*loc, "default_reason"], f"{rid}: 既定が対象外の場合は理由が必要です")
            if req.not_applicable_note is None:
                yield file.problem(loc, f"{rid}: 既定が対象外ですが、要件集に not_applicable_note がありません")
        elif entry.default not in req.levels:
            yield file.problem([*loc, "default"], f"{rid}: 既定のレベル {entry.default} の記載例がありません")
        for i, rule in enumerate(entry.rules):
            rloc = [*loc, "rules", i]
            for cid in rule_condition_ids(rule.when):
                if cid not in conditions:
                    yield file.problem([*rloc, "when"], f"{rid}: 判断条件 {cid} がありません")
            if rule.level not in req.levels:
                yield file.problem([*rloc, "level"], f"{rid}: レベル {rule.level} の記載例がありません")
            if LEVEL_ORDER[rule.level] <= LEVEL_ORDER[entry.default]:
                yield file.problem([*rloc, "level"], f"{rid}: 既定のレベル以下の規則は効果がありません")


def _check_clause_parties(c: ContentFiles, cloud: CloudFile, models: list[str], parties: set[str]) -> Iterator[Problem]:
    """A clause's ``party`` names declared parties (not the shared marker) and real service models."""
    for cat in c.categories:
        file = c.files[f"{R}/{cat.id}.yaml"]
        for pi, policy in enumerate(cat.policies):
            for ri, req in enumerate(policy.requirements):
                for level, text in req.levels.items():
                    for ci, clause in enumerate(text.clauses):
                        if clause.party is None:
                            continue
                        loc: list[int | str] = [
                            "policies",
                            pi,
                            "requirements",
                            ri,
                            "levels",
                            level,
                            "clauses",
                            ci,
                            "party",
                        ]
                        chosen = clause.party if isinstance(clause.party, dict) else {"": clause.party}
                        for model, party in chosen.items():
                            if model and model not in models:
                                yield file.problem([*loc, model], f"{req.id}: サービスの種類「{model}」がありません")
                            if party not in parties or party == cloud.shared:
                                yield file.problem(loc, f"{req.id}: 責任主体「{party}」がありません")
