"""The clauses the specification prints: the requirements' clauses by category and policy, the
cloud chapter's, and those placed in 入札参加資格, each with its party mark, parameter values,
必須/提案 and phase."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sbd_tool.answers.obligations import clause_traits, effective
from sbd_tool.answers.read import Answers
from sbd_tool.content.catalogue import Catalogue
from sbd_tool.content.schema import Clause
from sbd_tool.document import tailored
from sbd_tool.document.model import CategorySection, CloudSection, PolicySection, RequirementSection, SpecClause, Table
from sbd_tool.engine.cloud import CloudOutcome, clause_party
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.parameters import parameter_value
from sbd_tool.engine.rules import printed_clauses
from sbd_tool.procurement import in_scope

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
SERVICE_MODEL = "{service_model}"  # in the cloud chapter's intro: the service model's label


def fill_parameters(text: str, catalogue: Catalogue, answers: Answers, answered: Mapping[str, object]) -> str:
    """Replace ``{param}`` with the officer's value, the value implied by an answer, or the
    explicit 「発注者が指定する…」 default."""

    def one(match: re.Match[str]) -> str:
        value = parameter_value(catalogue, answers, answered, match.group(1))
        return catalogue.parameters[match.group(1)].default if value is None else value

    return PLACEHOLDER.sub(one, text)


def security_sections(
    catalogue: Catalogue, answers: Answers, evaluation: Evaluation, phases: frozenset[str]
) -> tuple[list[CategorySection], list[str], list[SpecClause]]:
    """The requirements' printed clauses by category and policy (in the procurement's scope), the
    requirements left out (対象外), and the clauses placed in 入札参加資格."""
    answered = {qid: r.value for qid, r in evaluation.answers.items()}
    cloud = evaluation.cloud
    categories, not_applicable, qualifications = [], [], []
    for cat in catalogue.categories:
        policies = []
        for pol in cat.policies:
            sections = []
            for req in pol.requirements:
                outcome = evaluation.requirements[req.id]
                if outcome.decided == "not_applicable":
                    not_applicable.append(f"{req.id} {req.name}")
                    continue
                catalogue_clauses = printed_clauses(catalogue, outcome)
                originals = {c.key: str(c) for c in catalogue_clauses}
                printed = tailored.reword(catalogue_clauses, answers)  # the officer's wording
                if cloud is not None and catalogue.cloud is not None:
                    clauses = _cloud_clauses(catalogue, cloud, req.id, req.name, printed, answers, answered)
                else:
                    clauses = tuple(
                        _spec(catalogue, answers, fill_parameters(clause, catalogue, answers, answered), clause.key)
                        for clause in printed
                    )
                clauses = tailored.annotate(  # catalogue wording and reason; added clauses appended
                    req.id, clauses, originals, answers, lambda t: fill_parameters(t, catalogue, answers, answered),
                    _added_mark(catalogue, cloud, req.id),
                )  # fmt: skip
                clauses, placed = _place(catalogue, clauses, phases)
                qualifications += placed
                if clauses:
                    level = catalogue.level_label(outcome.decided)
                    sections.append(RequirementSection(req.id, req.name, outcome.decided, level, clauses))
            if sections:
                policies.append(PolicySection(pol.name, tuple(sections)))
        if policies:
            categories.append(CategorySection(cat.id, cat.name, tuple(policies)))
    return categories, not_applicable, qualifications


def _spec(catalogue: Catalogue, answers: Answers, text: str, key: str) -> SpecClause:
    """A printed clause with its 必須/提案 (the officer's, else the catalogue's) and its phase."""
    obligation, reason = effective(catalogue, answers, key)
    traits = clause_traits(catalogue).get(key)
    return SpecClause(text, key, obligation, reason=reason, phase=traits.phase if traits else "build")


_BOUND = re.compile(r"^〔[^〕]+〕")


def _place(
    catalogue: Catalogue, clauses: tuple[SpecClause, ...], phases: frozenset[str]
) -> tuple[tuple[SpecClause, ...], list[SpecClause]]:
    """A requirement's clauses in the procurement's scope, design/build ones first, and apart
    from them the entry qualifications (printed in 入札参加資格, without a party at their head)."""
    traits = clause_traits(catalogue)
    kept, qualified = [], []
    for clause in clauses:
        if clause.key in traits and traits[clause.key].placement == "qualification":
            text = _BOUND.sub("", clause)
            # The officer's wording and reason travel with it: 仕様書の条項の変更 lists it under QL.
            kept_text = SpecClause(
                text, clause.key, clause.obligation, clause.catalogue_text, clause.reason, clause.phase
            )
            qualified.append(kept_text)
        elif in_scope(clause.phase, phases):
            kept.append(clause)
    kept.sort(key=lambda c: c.phase == "operation")  # stable: the catalogue's order within each phase
    return tuple(kept), qualified


def _cloud_clauses(
    catalogue: Catalogue,
    cloud: CloudOutcome,
    rid: str,
    name: str,
    printed: tuple[Clause, ...],
    answers: Answers,
    answered: Mapping[str, object],
) -> tuple[SpecClause, ...]:
    """On a cloud service every clause names who is bound by it (〔受注者〕…); the provider's
    clauses are followed by one clause saying how exactly those are confirmed, and by whom."""
    assert catalogue.cloud is not None
    provider = catalogue.cloud.provider
    out, confirmed = [], False
    for clause in printed:
        party = clause_party(catalogue.cloud, cloud, rid, clause)
        text = _bound(catalogue, party) + fill_parameters(clause, catalogue, answers, answered)
        out.append(_spec(catalogue, answers, text, clause.key))
        confirmed = confirmed or party == provider
    if confirmed:
        out.append(
            _spec(
                catalogue,
                answers,
                catalogue.cloud.provider_clause.replace("{requirement}", f"{name}（{rid}）"),
                f"{rid}.confirm",
            )
        )
    return tuple(out)


def _added_mark(catalogue: Catalogue, cloud: CloudOutcome | None, rid: str) -> str:
    """On a cloud service, who an officer's added clause binds: the requirement's party (or, when
    its split is shared, the catalogue's default party), marked as every clause there is."""
    if cloud is None or catalogue.cloud is None:
        return ""
    return _bound(catalogue, clause_party(catalogue.cloud, cloud, rid, Clause("")))


def _bound(catalogue: Catalogue, party: str) -> str:
    """「〔受注者〕」: who a clause binds, at its head (nothing when the catalogue names no party)."""
    return f"〔{catalogue.party_label(party)}〕" if party else ""


def _printed_parties(catalogue: Catalogue, clauses: tuple[SpecClause, ...]) -> set[str]:
    """The parties named at the head of printed clauses (〔受注者〕 …), leaving out the
    contractor's check of the provider's share (``….confirm``), which the intro explains."""
    assert catalogue.cloud is not None
    ids = {p.label: p.id for p in catalogue.cloud.parties}
    found = set()
    for clause in clauses:
        mark = _BOUND.match(clause)
        if mark and not clause.key.endswith(".confirm"):
            found.add(ids.get(mark.group(0)[1:-1], ""))
    return found - {""}


def cloud_section(
    catalogue: Catalogue,
    cloud: CloudOutcome,
    answers: Answers,
    answered: Mapping[str, object],
    phases: frozenset[str],
    qualifications: list[SpecClause],
    shown: Mapping[str, tuple[SpecClause, ...]],
) -> CloudSection:
    """The cloud chapter: the responsibility table and the topics' clauses (in the procurement's
    scope, parameters filled); a topic clause placed in 入札参加資格 is added to ``qualifications``.
    The table marks the parties of the clauses the chapter before prints (``shown``), so that it
    says what the spec binds, not what clauses outside this procurement would."""
    assert catalogue.cloud is not None
    shared = catalogue.cloud.shared
    parties = [p for p in catalogue.cloud.parties if p.id != shared]  # "shared" is no column of its own
    model = catalogue.option_label(catalogue.cloud.model_question, cloud.model)
    rows = []
    for rid, placed in catalogue.requirements.items():
        r = cloud.responsibilities[rid]
        clauses = [c for level in placed.requirement.levels.values() for c in level.clauses]
        bound = _printed_parties(catalogue, shown.get(rid, ())) or {
            clause_party(catalogue.cloud, cloud, rid, c) for c in clauses
        }
        marks = tuple("●" if party.id in bound else "" for party in parties)
        notes = ["条項ごとに分担（各条項の冒頭に記載）"] if r.party == shared else []
        if r.overridden:
            notes.append(f"既定（{catalogue.party_label(r.default)}）から変更：{r.reason}")
        rows.append((rid, placed.requirement.name, *marks, "。".join(notes)))
    table = Table(("ID", "対策要件", *(p.label for p in parties), "備考"), tuple(rows), (1.2, 3.6, 1.6, 1.2, 1.2, 3))
    intro = catalogue.cloud.intro
    if SERVICE_MODEL in intro:
        intro = intro.replace(SERVICE_MODEL, model)
    else:  # an office's catalogue written before the placeholder
        intro = f"{intro}（利用するサービスの種類：{model}）"
    topics = []

    def fill(text: str) -> str:
        return fill_parameters(text, catalogue, answers, answered)

    for t in cloud.topics:
        originals = dict(zip(t.keys, t.clauses, strict=True))
        printed = tuple(  # the officer's wording where a clause was tailored, with who is bound at its head
            _spec(catalogue, answers, _bound(catalogue, p) + fill(tailored.cloud_text(key, text, answers)), key)
            for p, text, key in zip(t.parties, t.clauses, t.keys, strict=True)
        )
        printed = tailored.annotate(f"cloud.{t.id}", printed, originals, answers, fill)
        kept, entry = _place(catalogue, printed, phases)
        qualifications += entry
        if kept:
            topics.append((t.title, kept))
    return CloudSection(intro, table, tuple(topics))
